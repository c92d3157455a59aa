//! Apps, and the helpers the assignment cases share. Users and groups are written with plain
//! SQL so that these cases depend only on the directory schema.

use serde_json::json;
use tollgate_core::app::assignment::{AppGroup, AppGroupDraft};
use tollgate_core::app::{App, AppDraft, AppStatus, CredentialsDraft};
use tollgate_core::id::{AppId, GroupId, UserId};
use tollgate_store::{AppQuery, Error, Store, on_pool};

use crate::{on_both, t0};

fn draft(label: &str, client_id: Option<&str>) -> AppDraft {
    AppDraft {
        template: Default::default(),
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

pub(crate) async fn new_app(store: &Store, label: &str) -> App {
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

pub(crate) async fn user(store: &Store, login: &str) -> UserId {
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

pub(crate) async fn group(store: &Store, kind: &str, name: &str) -> GroupId {
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

pub(crate) async fn member(store: &Store, g: &GroupId, u: &UserId) {
    on_pool!(store, |pool| sqlx::query(INSERT_MEMBER)
        .bind(g.as_str())
        .bind(u.as_str())
        .execute(pool)
        .await
        .map(drop))
    .unwrap();
}

pub(crate) async fn assign_group(store: &Store, app: &App, g: &GroupId) {
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
