use serde_json::json;
use tollgate_core::directory::user::CreateOptions;
use tollgate_core::directory::{Group, GroupType, User};
use tollgate_store::{GroupQuery, UserQuery};

use crate::{on_both, t0};

fn user(login: &str) -> User {
    let profile = json!({"login": login, "email": login, "firstName": "A", "lastName": "B"});
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    User::create(profile.as_object().unwrap().clone(), None, opts, t0()).unwrap()
}

fn group(name: &str) -> Group {
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
