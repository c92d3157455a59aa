//! App assignments: users directly, through groups and through `Everyone`.

use serde_json::json;
use tollgate_core::app::assignment::{AppUser, AppUserDraft, AssignmentScope};
use tollgate_store::AppQuery;

use crate::apps::{assign_group, group, member, new_app, user};
use crate::{on_both, t0};

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
                    password: Some(b"sealed elsewhere".to_vec()),
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
