//! Authorization servers: the default server's one-time seeding, creation with system
//! objects, priorities, name conflicts, cascade deletes and `server_config`.

use tollgate_core::authz::{
    ALL_CLIENTS, Claim, ClaimInput, Policy, PolicyInput, Rule, RuleInput, Scope, ScopeInput,
    ServerInput,
};
use tollgate_core::server::{AuthServer, Status};
use tollgate_store::{AuthServerQuery, Error, ScopeQuery, Store};

use crate::{on_both, t0};

async fn server(store: &Store, name: &str) -> AuthServer {
    let input = ServerInput {
        name: Some(name.into()),
        audiences: Some(vec!["api://x".into()]),
        ..ServerInput::default()
    };
    let s = AuthServer::create(&input, t0()).unwrap();
    let scopes = Scope::system_scopes(&s.id, t0());
    let claims = [Claim::system_sub(&s.id, t0())];
    store
        .create_auth_server(&s, &scopes, &claims, &[])
        .await
        .unwrap();
    s
}

fn policy_input(name: &str, priority: i64) -> PolicyInput {
    PolicyInput {
        name: Some(name.into()),
        description: Some("d".into()),
        priority: Some(priority),
        clients: Some(vec![ALL_CLIENTS.into()]),
        ..PolicyInput::default()
    }
}

#[tokio::test]
async fn default_server_is_seeded_once_even_concurrently() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let again = tokio::join!(
            store.seed_default_server(t0()),
            store.seed_default_server(t0()),
            store.bootstrap(t0(), None),
        );
        assert!(!again.0.unwrap() && !again.1.unwrap());
        again.2.unwrap();
        let config = store.server_config("default").await.unwrap().unwrap();
        assert!(config.server.is_default());
        assert_eq!(config.scopes.len(), 8);
        assert_eq!(config.claims.len(), 1);
        assert_eq!(config.policies.len(), 1);
        let p = &config.policies[0];
        assert_eq!(p.policy.name, "Default Policy");
        assert_eq!(p.rules.len(), 1);
        assert_eq!(p.rules[0].name, "Default Policy Rule");
        assert_eq!(p.rules[0].token.refresh_window_minutes, 10_080);
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn servers_scopes_and_conflicts() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let s = server(&store, "One").await;
        let dup = AuthServer::create(
            &ServerInput {
                name: Some("One".into()),
                audiences: Some(vec!["api://y".into()]),
                ..ServerInput::default()
            },
            t0(),
        )
        .unwrap();
        assert!(matches!(
            store.create_auth_server(&dup, &[], &[], &[]).await,
            Err(Error::Conflict { .. })
        ));
        let (list, more) = store
            .list_auth_servers(&AuthServerQuery {
                prefix: Some("on".into()),
                limit: 10,
                after: None,
            })
            .await
            .unwrap();
        assert_eq!((list.len(), more), (1, false));

        let input = ScopeInput {
            name: Some("openid".into()),
            ..ScopeInput::default()
        };
        let taken = Scope::create(&s.id, &input, t0()).unwrap();
        assert!(matches!(
            store.create_scope(&taken, &[]).await,
            Err(Error::Conflict { .. })
        ));
        let (page, more) = store
            .list_scopes(
                s.id.as_str(),
                &ScopeQuery {
                    name_prefix: Some("O".into()),
                    limit: 1,
                    after: None,
                },
            )
            .await
            .unwrap();
        assert_eq!(page[0].name, "offline_access");
        assert!(more);

        let claim = ClaimInput {
            name: Some("dept".into()),
            claim_type: Some("RESOURCE".into()),
            value: Some("user.department".into()),
            ..ClaimInput::default()
        };
        let c = Claim::create(&s.id, &claim, t0()).unwrap();
        store.create_claim(&c, &[]).await.unwrap();
        let again = Claim::create(&s.id, &claim, t0()).unwrap();
        assert!(matches!(
            store.create_claim(&again, &[]).await,
            Err(Error::Conflict { .. })
        ));
        assert_eq!(
            store
                .find_claim(s.id.as_str(), c.id.as_str())
                .await
                .unwrap(),
            Some(c)
        );

        assert!(store.delete_auth_server(s.id.as_str(), &[]).await.unwrap());
        assert!(store.server_config(s.id.as_str()).await.unwrap().is_none());
        assert!(store.scopes_of(s.id.as_str()).await.unwrap().is_empty());
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn priorities_shift_and_close_gaps() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let s = server(&store, "Prio").await;
        let mut ids = Vec::new();
        for (name, at) in [("a", 1), ("b", 1), ("c", 7)] {
            let mut p = Policy::create(&s.id, &policy_input(name, at), t0()).unwrap();
            store.create_policy(&mut p, &[]).await.unwrap();
            ids.push(p);
        }
        assert_eq!(ids[2].priority, 3);
        let order = |ps: Vec<Policy>| -> Vec<(String, i64)> {
            ps.into_iter().map(|p| (p.name, p.priority)).collect()
        };
        let got = order(store.policies_of(s.id.as_str()).await.unwrap());
        assert_eq!(got, [("b".into(), 1), ("a".into(), 2), ("c".into(), 3)]);

        let rule_input = RuleInput {
            name: Some("r".into()),
            has_conditions: true,
            grant_types: Some(vec!["password".into()]),
            scopes: Some(vec!["*".into()]),
            ..RuleInput::default()
        };
        let a = &ids[0];
        let mut r1 = Rule::create(&s.id, &a.id, &rule_input, t0()).unwrap();
        store.create_rule(&mut r1, &[]).await.unwrap();
        let mut r2 = Rule::create(&s.id, &a.id, &rule_input, t0()).unwrap();
        r2.priority = 1;
        store.create_rule(&mut r2, &[]).await.unwrap();
        let rules = store.rules_of(a.id.as_str()).await.unwrap();
        assert_eq!(rules[0].id, r2.id);
        assert_eq!(rules[1].priority, 2);
        assert!(
            store
                .set_rule_status(a.id.as_str(), r1.id.as_str(), Status::Inactive, t0(), &[])
                .await
                .unwrap()
        );

        assert!(
            store
                .delete_policy(s.id.as_str(), ids[1].id.as_str(), &[])
                .await
                .unwrap()
        );
        let config = store.server_config(s.id.as_str()).await.unwrap().unwrap();
        let got: Vec<(String, i64, usize)> = config
            .policies
            .iter()
            .map(|p| (p.policy.name.clone(), p.policy.priority, p.rules.len()))
            .collect();
        assert_eq!(got, [("a".into(), 1, 2), ("c".into(), 2, 0)]);
        assert_eq!(config.policies[0].rules[1].status, Status::Inactive);
        store.close().await;
        scratch
    })
    .await;
}

/// Every change to a server or what it owns moves its configuration revision (what processes
/// caching the configuration compare), and a change to another server does not.
#[tokio::test]
async fn every_configuration_change_moves_the_revision() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let mut s = server(&store, "Rev").await;
        let other = server(&store, "Other").await;
        let id = s.id.as_str().to_owned();
        let rev = |store: Store, id: String| async move {
            store.config_revision(&id).await.unwrap().unwrap()
        };
        let mut last = rev(store.clone(), id.clone()).await;
        let mut moved = |now: i64, what: &str| {
            assert!(now > last, "{what} did not move the revision");
            last = now;
        };

        s.description = "changed".into();
        store.update_auth_server(&s, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "update_auth_server");
        store
            .set_auth_server_status(&id, Status::Inactive, t0(), &[])
            .await
            .unwrap();
        moved(
            rev(store.clone(), id.clone()).await,
            "set_auth_server_status",
        );

        let mut scope = Scope::create(
            &s.id,
            &ScopeInput {
                name: Some("api.read".into()),
                ..ScopeInput::default()
            },
            t0(),
        )
        .unwrap();
        store.create_scope(&scope, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "create_scope");
        scope.description = Some("Read".into());
        store.update_scope(&scope, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "update_scope");
        store
            .delete_scope(&id, scope.id.as_str(), &[])
            .await
            .unwrap();
        moved(rev(store.clone(), id.clone()).await, "delete_scope");

        let claim = ClaimInput {
            name: Some("dept".into()),
            claim_type: Some("RESOURCE".into()),
            value: Some("user.department".into()),
            ..ClaimInput::default()
        };
        let mut c = Claim::create(&s.id, &claim, t0()).unwrap();
        store.create_claim(&c, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "create_claim");
        c.value = "user.title".into();
        store.update_claim(&c, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "update_claim");
        store.delete_claim(&id, c.id.as_str(), &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "delete_claim");

        let mut p = Policy::create(&s.id, &policy_input("p", 1), t0()).unwrap();
        store.create_policy(&mut p, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "create_policy");
        p.description = "other".into();
        store.update_policy(&mut p, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "update_policy");
        store
            .set_policy_status(&id, p.id.as_str(), Status::Inactive, t0(), &[])
            .await
            .unwrap();
        moved(rev(store.clone(), id.clone()).await, "set_policy_status");

        let rule_input = RuleInput {
            name: Some("r".into()),
            has_conditions: true,
            grant_types: Some(vec!["client_credentials".into()]),
            scopes: Some(vec!["*".into()]),
            ..RuleInput::default()
        };
        let mut r = Rule::create(&s.id, &p.id, &rule_input, t0()).unwrap();
        store.create_rule(&mut r, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "create_rule");
        r.name = "renamed".into();
        store.update_rule(&mut r, &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "update_rule");
        store
            .set_rule_status(p.id.as_str(), r.id.as_str(), Status::Inactive, t0(), &[])
            .await
            .unwrap();
        moved(rev(store.clone(), id.clone()).await, "set_rule_status");
        store
            .delete_rule(p.id.as_str(), r.id.as_str(), &[])
            .await
            .unwrap();
        moved(rev(store.clone(), id.clone()).await, "delete_rule");
        store.delete_policy(&id, p.id.as_str(), &[]).await.unwrap();
        moved(rev(store.clone(), id.clone()).await, "delete_policy");

        let untouched = rev(store.clone(), other.id.as_str().to_owned()).await;
        assert_eq!(untouched, 0, "changes to one server leave the others alone");
        assert!(store.delete_auth_server(&id, &[]).await.unwrap());
        assert_eq!(store.config_revision(&id).await.unwrap(), None);
        store.close().await;
        scratch
    })
    .await;
}
