use tollgate_core::admin::{AppTarget, Grant, RoleType};
use tollgate_store::{Principal, TargetRecord};

use crate::directory::{group, user};
use crate::{on_both, t0, token};

#[tokio::test]
async fn grants_come_from_the_user_and_its_groups_with_targets() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let (west, ops) = (group("West"), group("Ops"));
        store.create_group(&west, &[]).await.unwrap();
        store.create_group(&ops, &[]).await.unwrap();
        let u = user("ua@acme.com");
        store
            .create_user(&u, &[ops.id.as_str().to_owned()], &[])
            .await
            .unwrap();
        let me = Principal::User(u.id.as_str());
        let team = Principal::Group(ops.id.as_str());
        assert!(
            store
                .grants_of_user(u.id.as_str())
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .assign_role(me, RoleType::UserAdmin, t0(), &[])
                .await
                .unwrap()
        );
        assert!(
            !store
                .assign_role(me, RoleType::UserAdmin, t0(), &[])
                .await
                .unwrap()
        );
        let west_target = TargetRecord {
            kind: "GROUP".into(),
            target: west.id.as_str().into(),
            app_id: String::new(),
        };
        store
            .add_role_target(me, RoleType::UserAdmin, &west_target, t0(), &[])
            .await
            .unwrap();
        store
            .assign_role(team, RoleType::AppAdmin, t0(), &[])
            .await
            .unwrap();
        let instance = TargetRecord {
            kind: "APP".into(),
            target: "oidc_client".into(),
            app_id: "0oa1".into(),
        };
        store
            .add_role_target(team, RoleType::AppAdmin, &instance, t0(), &[])
            .await
            .unwrap();
        let mut grants = store.grants_of_user(u.id.as_str()).await.unwrap();
        grants.sort_by_key(|g| g.role);
        assert_eq!(
            grants,
            [
                Grant {
                    apps: vec![AppTarget {
                        name: "oidc_client".into(),
                        id: Some("0oa1".into())
                    }],
                    ..Grant::plain(RoleType::AppAdmin)
                },
                Grant {
                    groups: vec![west.id.as_str().to_owned()],
                    ..Grant::plain(RoleType::UserAdmin)
                },
            ]
        );
        // A catalog target replaces the instances of that app.
        let catalog = TargetRecord {
            app_id: String::new(),
            ..instance.clone()
        };
        store
            .add_role_target(team, RoleType::AppAdmin, &catalog, t0(), &[])
            .await
            .unwrap();
        assert_eq!(
            store.role_targets(team, RoleType::AppAdmin).await.unwrap(),
            [catalog]
        );
        // Unassigning drops the targets with the role.
        assert!(
            store
                .unassign_role(me, RoleType::UserAdmin, &[])
                .await
                .unwrap()
        );
        assert!(
            store
                .role_targets(me, RoleType::UserAdmin)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            !store
                .unassign_role(me, RoleType::UserAdmin, &[])
                .await
                .unwrap()
        );
        // Leaving the group drops its roles.
        store
            .remove_member(ops.id.as_str(), u.id.as_str(), t0(), &[])
            .await
            .unwrap();
        assert!(
            store
                .grants_of_user(u.id.as_str())
                .await
                .unwrap()
                .is_empty()
        );

        // Tokens: owners, ownerless ones claimed, revocation.
        assert_eq!(store.first_super_admin().await.unwrap(), None);
        store
            .assign_role(me, RoleType::SuperAdmin, t0(), &[])
            .await
            .unwrap();
        assert_eq!(
            store.first_super_admin().await.unwrap().as_deref(),
            Some(u.id.as_str())
        );
        let t = token();
        store
            .register_api_token("old", &t.digest(), None, t0())
            .await
            .unwrap();
        assert_eq!(store.ownerless_api_tokens().await.unwrap(), 1);
        assert_eq!(
            store
                .claim_ownerless_api_tokens(u.id.as_str())
                .await
                .unwrap(),
            1
        );
        let rec = store.find_api_token(&t.digest()).await.unwrap().unwrap();
        assert_eq!(rec.user_id.as_deref(), Some(u.id.as_str()));
        assert_eq!(
            store.find_api_token_by_id(&rec.id).await.unwrap(),
            Some(rec.clone())
        );
        assert!(store.delete_api_token(&rec.id, &[]).await.unwrap());
        assert!(store.find_api_token(&t.digest()).await.unwrap().is_none());
        store.close().await;
        scratch
    })
    .await;
}
