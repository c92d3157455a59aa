use serde_json::json;
use tollgate_core::directory::user::CreateOptions;
use tollgate_core::directory::{Group, GroupType, User};
use tollgate_store::{GroupQuery, UserQuery};

use crate::{on_both, t0};

pub(crate) fn user(login: &str) -> User {
    let profile = json!({"login": login, "email": login, "firstName": "A", "lastName": "B"});
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    User::create(profile.as_object().unwrap().clone(), None, opts, t0()).unwrap()
}

pub(crate) fn group(name: &str) -> Group {
    Group::new(
        GroupType::OktaGroup,
        json!({"name": name}).as_object().unwrap().clone(),
        t0(),
    )
    .unwrap()
}

#[tokio::test]
async fn memberships_and_everyone() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let g = group("WestCoastDivision");
        store.create_group(&g, &[]).await.unwrap();
        assert!(matches!(
            store.create_group(&group("westcoastdivision"), &[]).await,
            Err(tollgate_store::Error::Conflict { .. })
        ));
        let u = user("annie@acme.com");
        store
            .create_user(&u, &[g.id.as_str().to_owned()], &[])
            .await
            .unwrap();
        let names: Vec<_> = store
            .groups_of_user(u.id.as_str())
            .await
            .unwrap()
            .iter()
            .map(|g| g.name().to_owned())
            .collect();
        assert_eq!(names, ["Everyone", "WestCoastDivision"]);
        assert!(
            !store
                .add_member(g.id.as_str(), u.id.as_str(), t0(), &[])
                .await
                .unwrap(),
            "already a member"
        );
        assert!(
            store
                .remove_member(g.id.as_str(), u.id.as_str(), t0(), &[])
                .await
                .unwrap()
        );
        assert_eq!(store.groups_of_user(u.id.as_str()).await.unwrap().len(), 1);

        // A failed create (unknown group) leaves nothing behind.
        let v = user("victor@acme.com");
        assert!(
            store
                .create_user(&v, &["00gmissing".to_owned()], &[])
                .await
                .is_err()
        );
        assert!(store.find_user("victor@acme.com").await.unwrap().is_none());
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn keyset_pages_cover_everything_once() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        for i in 0..7 {
            store
                .create_user(&user(&format!("u{i}@acme.com")), &[], &[])
                .await
                .unwrap();
            store
                .create_group(&group(&format!("g{i}")), &[])
                .await
                .unwrap();
        }
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let (page, more) = store
                .list_users(&UserQuery {
                    limit: 3,
                    after: after.clone(),
                    ..UserQuery::default()
                })
                .await
                .unwrap();
            seen.extend(page.iter().map(|u| u.id.as_str().to_owned()));
            if !more {
                break;
            }
            after = page.last().map(|u| u.id.as_str().to_owned());
        }
        assert_eq!(seen.len(), 7);
        let (groups, more) = store
            .list_groups(&GroupQuery {
                limit: 100,
                ..GroupQuery::default()
            })
            .await
            .unwrap();
        assert_eq!((groups.len(), more), (8, false));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn every_group_write_moves_its_version() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let mut g = group("WestCoastDivision");
        store.create_group(&g, &[]).await.unwrap();
        let u = user("annie@acme.com");
        store
            .create_user(&u, &[g.id.as_str().to_owned()], &[])
            .await
            .unwrap();
        let gid = g.id.as_str().to_owned();
        let version =
            |list: &[(String, i64)]| list.iter().find(|(id, _)| *id == gid).map(|(_, v)| *v);
        let listed = store.group_versions_of_user(u.id.as_str()).await.unwrap();
        assert_eq!(listed.len(), 2, "Everyone and WestCoastDivision");
        let first = version(&listed).unwrap();

        // Two profile writes in the same millisecond: lastUpdated stays, the version moves.
        for (i, name) in ["West", "Coast"].into_iter().enumerate() {
            let profile = json!({"name": name}).as_object().unwrap().clone();
            g.replace_profile(profile, t0()).unwrap();
            store.update_group(&g, &[]).await.unwrap();
            let listed = store.group_versions_of_user(u.id.as_str()).await.unwrap();
            assert_eq!(version(&listed), Some(first + 1 + i as i64));
        }
        let stored = store
            .groups_by_ids(&[gid.as_str(), "00gmissing"])
            .await
            .unwrap();
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].name(), "Coast");
        assert_eq!(stored[0].last_updated, t0());
        assert_eq!(stored[0].version, first + 2);

        // A membership change moves it too; a membership removed leaves the list at once.
        let v = user("victor@acme.com");
        store.create_user(&v, &[], &[]).await.unwrap();
        store
            .add_member(g.id.as_str(), v.id.as_str(), t0(), &[])
            .await
            .unwrap();
        let listed = store.group_versions_of_user(u.id.as_str()).await.unwrap();
        assert_eq!(version(&listed), Some(first + 3));
        store
            .remove_member(g.id.as_str(), u.id.as_str(), t0(), &[])
            .await
            .unwrap();
        let listed = store.group_versions_of_user(u.id.as_str()).await.unwrap();
        assert_eq!(version(&listed), None);
        assert_eq!(listed.len(), 1);
        store.close().await;
        scratch
    })
    .await;
}
