//! Apps and assignments. Users and groups are written with plain SQL so that these cases depend
//! only on the directory schema.

use serde_json::json;
use tollgate_core::app::assignment::{
    AppGroup, AppGroupDraft, AppUser, AppUserDraft, AssignmentScope,
};
use tollgate_core::app::{App, AppDraft, AppStatus, CredentialsDraft};
use tollgate_core::id::{AppId, GroupId, UserId};
use tollgate_store::{AppQuery, Error, Store, on_pool};

use crate::{on_both, t0};

fn draft(label: &str, client_id: Option<&str>) -> AppDraft {
    AppDraft {
        name: Some("oidc_client".into()),
        label: Some(label.into()),
        sign_on_mode: Some("OPENID_CONNECT".into()),
        credentials: CredentialsDraft {
            client_id: client_id.map(str::to_owned),
            ..CredentialsDraft::default()
        },
        settings: json!({"application_type": "web", "grant_types": ["authorization_code"],
                         "redirect_uris": ["https://a.example/cb"], "logo_uri": "https://a.example/l.png"})
        .as_object()
        .cloned(),
        profile: Some(json!({"z": 1, "groupwhitelist": ["00g1"], "a": {"nested": [true, null]}})),
    }
}

async fn new_app(store: &Store, label: &str) -> App {
    let app = App::create(AppId::generate(), draft(label, None), true, t0())
        .unwrap()
        .app;
    store.insert_app(&app, &[]).await.unwrap();
    app
}

const INSERT_USER: &str = "INSERT INTO users (id, status, login_lower, profile, created, last_updated) \
     VALUES ($1, 'ACTIVE', $2, $3, 0, 0)";
const INSERT_GROUP: &str = "INSERT INTO user_groups \
     (id, type, name, name_lower, profile, created, last_updated, last_membership_updated) \
     VALUES ($1, $2, $3, $4, '{}', 0, 0, 0)";
const INSERT_MEMBER: &str =
    "INSERT INTO group_members (group_id, user_id, created) VALUES ($1, $2, 0)";

async fn user(store: &Store, login: &str) -> UserId {
    let id = UserId::generate();
    let profile = json!({"login": login}).to_string();
    on_pool!(store, |pool| sqlx::query(INSERT_USER)
        .bind(id.as_str())
        .bind(login.to_lowercase())
        .bind(&profile)
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
    id
}

async fn group(store: &Store, kind: &str, name: &str) -> GroupId {
    let id = GroupId::generate();
    on_pool!(store, |pool| sqlx::query(INSERT_GROUP)
        .bind(id.as_str())
        .bind(kind)
        .bind(name)
        .bind(name.to_lowercase())
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
    id
}

async fn member(store: &Store, g: &GroupId, u: &UserId) {
    on_pool!(store, |pool| sqlx::query(INSERT_MEMBER)
        .bind(g.as_str())
        .bind(u.as_str())
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
}

async fn assign_group(store: &Store, app: &App, g: &GroupId) {
    let next = store
        .next_app_group_priority(app.id.as_str())
        .await
        .unwrap();
    let ag = AppGroup::assign(
        app.id.clone(),
        g.clone(),
        None,
        next,
        AppGroupDraft::default(),
        t0(),
    )
    .unwrap();
    store.save_app_group(&ag, &[]).await.unwrap();
}

#[tokio::test]
async fn apps_round_trip_and_client_ids_are_unique() {
    on_both(|store, scratch| async move {
        let app = new_app(&store, "Round Trip").await;
        let read = store.find_app(app.id.as_str()).await.unwrap().unwrap();
        assert_eq!(read, app);
        let keys: Vec<_> = read.profile.keys().cloned().collect();
        assert_eq!(keys, ["z", "groupwhitelist", "a"]);
        let by_client = store
            .find_app_by_client_id(app.id.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(by_client.id, app.id);

        let twin = App::create(
            AppId::generate(),
            draft("Twin", Some(app.id.as_str())),
            true,
            t0(),
        )
        .unwrap()
        .app;
        match store.insert_app(&twin, &[]).await {
            Err(Error::Conflict { constraint }) => assert_eq!(constraint, "client_id"),
            other => panic!("expected a conflict, got {other:?}"),
        }

        let mut changed = read
            .replace(
                AppDraft {
                    label: Some("Renamed".into()),
                    ..AppDraft::default()
                },
                t0().plus_seconds(5),
            )
            .unwrap()
            .app;
        store.update_app(&changed, &[]).await.unwrap();
        assert_eq!(
            store.find_app(app.id.as_str()).await.unwrap().unwrap(),
            changed
        );

        assert!(
            !store
                .delete_inactive_app(app.id.as_str(), &[])
                .await
                .unwrap()
        );
        assert!(
            store
                .set_app_status(app.id.as_str(), AppStatus::Inactive, t0(), &[])
                .await
                .unwrap()
        );
        assert!(
            !store
                .set_app_status(app.id.as_str(), AppStatus::Inactive, t0(), &[])
                .await
                .unwrap()
        );
        // An update made from a copy read before the lifecycle change does not undo it.
        store.update_app(&changed, &[]).await.unwrap();
        let stored = store.find_app(app.id.as_str()).await.unwrap().unwrap();
        assert_eq!(stored.status, AppStatus::Inactive);
        changed.status = AppStatus::Inactive;
        assert!(
            store
                .delete_inactive_app(app.id.as_str(), &[])
                .await
                .unwrap()
        );
        assert!(store.find_app(app.id.as_str()).await.unwrap().is_none());
        assert!(matches!(
            store.update_app(&changed, &[]).await,
            Err(Error::NotFound)
        ));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn app_lists_page_and_filter() {
    on_both(|store, scratch| async move {
        let mut ids = Vec::new();
        for label in ["Alpha", "alpine", "Beta", "Al_x", "Gamma"] {
            ids.push(new_app(&store, label).await.id);
        }
        ids.sort();
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let q = AppQuery {
                after: after.clone(),
                limit: 2,
                ..AppQuery::default()
            };
            let (page, more) = store.list_apps(&q).await.unwrap();
            seen.extend(page.iter().map(|a| a.id.clone()));
            if !more {
                break;
            }
            after = page.last().map(|a| a.id.to_string());
        }
        assert_eq!(seen, ids);

        let q = AppQuery {
            prefix: Some("AL".into()),
            limit: 20,
            ..AppQuery::default()
        };
        let labels: Vec<_> = store
            .list_apps(&q)
            .await
            .unwrap()
            .0
            .into_iter()
            .map(|a| a.label)
            .collect();
        assert_eq!(labels.len(), 3, "{labels:?}");
        let q = AppQuery {
            prefix: Some("al_".into()),
            limit: 20,
            ..AppQuery::default()
        };
        assert_eq!(store.list_apps(&q).await.unwrap().0.len(), 1);
        let q = AppQuery {
            prefix: Some("oidc".into()),
            limit: 20,
            ..AppQuery::default()
        };
        assert_eq!(store.list_apps(&q).await.unwrap().0.len(), 5);

        store
            .set_app_status(ids[0].as_str(), AppStatus::Inactive, t0(), &[])
            .await
            .unwrap();
        let q = AppQuery {
            status: Some(AppStatus::Inactive),
            limit: 20,
            ..AppQuery::default()
        };
        let inactive = store.list_apps(&q).await.unwrap().0;
        assert_eq!(inactive.len(), 1);
        assert_eq!(inactive[0].id, ids[0]);
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn assignments_direct_group_and_everyone() {
    on_both(|store, scratch| async move {
        let app = new_app(&store, "Assigned").await;
        let other = new_app(&store, "Other").await;
        let alice = user(&store, "Alice@example.com").await;
        let bob = user(&store, "bob@example.com").await;
        let carol = user(&store, "carol@example.com").await;
        let staff = group(&store, "OKTA_GROUP", "Staff").await;
        let everyone = group(&store, "BUILT_IN", "Everyone").await;
        member(&store, &staff, &bob).await;
        let aid = app.id.as_str();

        for u in [&alice, &bob, &carol] {
            assert!(!store.is_user_assigned(aid, u.as_str()).await.unwrap());
        }
        let au = AppUser::assign(
            app.id.clone(),
            alice.clone(),
            "Alice@example.com",
            AppUserDraft::default(),
            t0(),
        )
        .unwrap();
        let saved = store.save_app_user(&au, &[]).await.unwrap();
        assert_eq!(saved, au);
        let again = au
            .update(
                AppUserDraft {
                    user_name: Some("alice".into()),
                    profile: Some(json!({"k": "v"})),
                },
                t0().plus_seconds(9),
            )
            .unwrap();
        let again_saved = store
            .save_app_user(
                &AppUser {
                    created: t0().plus_seconds(9),
                    ..again.clone()
                },
                &[],
            )
            .await
            .unwrap();
        assert_eq!(again_saved.created, t0());
        assert_eq!(
            store
                .find_direct_app_user(aid, alice.as_str())
                .await
                .unwrap()
                .unwrap(),
            again
        );
        assert!(store.is_user_assigned(aid, alice.as_str()).await.unwrap());
        assert!(
            !store
                .is_user_assigned(other.id.as_str(), alice.as_str())
                .await
                .unwrap()
        );

        assign_group(&store, &app, &staff).await;
        assert!(store.is_user_assigned(aid, bob.as_str()).await.unwrap());
        assert!(!store.is_user_assigned(aid, carol.as_str()).await.unwrap());
        let via_group = store
            .find_app_user(aid, bob.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(via_group.scope, AssignmentScope::Group);
        assert_eq!(via_group.user_name, "bob@example.com");
        assert!(
            store
                .find_direct_app_user(aid, bob.as_str())
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .find_app_user(aid, carol.as_str())
                .await
                .unwrap()
                .is_none()
        );

        let (users, more) = store.list_app_users(aid, None, 10, None).await.unwrap();
        let (bobs, _) = store
            .list_app_users(aid, None, 10, Some("BOB@"))
            .await
            .unwrap();
        assert_eq!(bobs.len(), 1);
        assert_eq!(bobs[0].user_id, bob);
        let (alices, _) = store
            .list_app_users(aid, None, 10, Some("ali"))
            .await
            .unwrap();
        assert_eq!(alices[0].user_name, "alice");
        assert!(!more);
        assert_eq!(users.len(), 2);

        let q = AppQuery {
            user_id: Some(bob.to_string()),
            limit: 20,
            ..AppQuery::default()
        };
        assert_eq!(store.list_apps(&q).await.unwrap().0.len(), 1);
        let q = AppQuery {
            group_id: Some(staff.to_string()),
            limit: 20,
            ..AppQuery::default()
        };
        assert_eq!(store.list_apps(&q).await.unwrap().0[0].id, app.id);

        assign_group(&store, &app, &everyone).await;
        assert!(store.is_user_assigned(aid, carol.as_str()).await.unwrap());
        assert!(!store.is_user_assigned(aid, "00unobody").await.unwrap());
        let (groups, _) = store.list_app_groups(aid, None, 10, None).await.unwrap();
        let (named, _) = store
            .list_app_groups(aid, None, 10, Some("sta"))
            .await
            .unwrap();
        assert_eq!(named.len(), 1);
        assert_eq!(named[0].group_id, staff);
        assert_eq!(groups.len(), 2);
        let priorities: Vec<_> = {
            let mut p: Vec<_> = groups.iter().map(|g| g.priority).collect();
            p.sort_unstable();
            p
        };
        assert_eq!(priorities, [0, 1]);
        let (page, more) = store.list_app_users(aid, None, 2, None).await.unwrap();
        assert!(more);
        let (rest, more) = store
            .list_app_users(aid, Some(page[1].user_id.as_str()), 2, None)
            .await
            .unwrap();
        assert!(!more);
        assert_eq!(page.len() + rest.len(), 3);

        assert!(
            store
                .delete_app_group(aid, everyone.as_str(), &[])
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_app_group(aid, everyone.as_str(), &[])
                .await
                .unwrap()
        );
        assert!(
            store
                .find_app_group(aid, everyone.as_str())
                .await
                .unwrap()
                .is_none()
        );
        assert_eq!(
            store
                .find_app_group(aid, staff.as_str())
                .await
                .unwrap()
                .unwrap()
                .priority,
            0
        );
        assert!(!store.is_user_assigned(aid, carol.as_str()).await.unwrap());
        assert!(
            store
                .delete_app_user(aid, alice.as_str(), &[])
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_app_user(aid, alice.as_str(), &[])
                .await
                .unwrap()
        );
        assert!(!store.is_user_assigned(aid, alice.as_str()).await.unwrap());
        store.close().await;
        scratch
    })
    .await;
}
