//! Trusted origins: round trip, one entry per canonical origin, lookup by canonical origin,
//! filters and pages, and events written with each change (and only then).

use tollgate_core::log::{Entity, LogEvent};
use tollgate_core::scim;
use tollgate_core::server::Status;
use tollgate_core::trusted_origin::{
    OriginScope, ScopeType, TrustedOrigin, TrustedOriginInput, origin_key,
};
use tollgate_store::{Error, LogQuery, Store, TrustedOriginQuery};

use crate::{on_both, t0};

fn origin(name: &str, url: &str, kinds: &[ScopeType]) -> TrustedOrigin {
    TrustedOrigin::new(
        TrustedOriginInput {
            name: Some(name.into()),
            origin: Some(url.into()),
            scopes: Some(
                kinds
                    .iter()
                    .map(|&kind| OriginScope {
                        kind,
                        allowed_okta_apps: if kind == ScopeType::IframeEmbed {
                            vec!["OKTA_ENDUSER".into()]
                        } else {
                            vec![]
                        },
                    })
                    .collect(),
            ),
        },
        "00Tadmin",
        t0(),
    )
    .unwrap()
}

fn event(kind: &str, o: &TrustedOrigin) -> LogEvent {
    LogEvent::new(
        kind,
        kind,
        Entity::id_only("00Tadmin", "SystemPrincipal"),
        t0(),
    )
    .target(Entity::id_only(o.id.as_str(), "TrustedOrigin"))
}

/// Events whose target is `id`.
async fn event_count(store: &Store, id: &str) -> usize {
    store
        .query_logs(&LogQuery {
            limit: 1000,
            since: Some(t0().plus_seconds(-10)),
            filter: Some(scim::parse(&format!("target.id eq \"{id}\"")).unwrap()),
            ..LogQuery::default()
        })
        .await
        .unwrap()
        .events
        .len()
}

async fn list(store: &Store, filter: Option<&str>, prefix: Option<&str>) -> Vec<String> {
    let (items, _) = store
        .list_trusted_origins(&TrustedOriginQuery {
            prefix: prefix.map(str::to_owned),
            filter: filter.map(|f| scim::parse(f).unwrap()),
            limit: 100,
            after: None,
        })
        .await
        .unwrap();
    items.into_iter().map(|o| o.name).collect()
}

#[tokio::test]
async fn trusted_origins_round_trip_and_lookup() {
    on_both(|store, scratch| async move {
        let mut a = origin(
            "A",
            "https://App.example.com:443/",
            &[ScopeType::Cors, ScopeType::IframeEmbed],
        );
        store
            .create_trusted_origin(&a, &[event("create", &a)])
            .await
            .unwrap();
        assert_eq!(
            store.find_trusted_origin(a.id.as_str()).await.unwrap(),
            Some(a.clone())
        );
        // Found by the form a browser sends.
        let key = origin_key("https://app.example.com").unwrap();
        assert_eq!(
            store.trusted_origin_by_key(&key).await.unwrap(),
            Some(a.clone())
        );
        assert!(
            store
                .trusted_origin_by_key("https://other.example")
                .await
                .unwrap()
                .is_none()
        );

        // The same origin spelled differently is refused, and writes no event.
        let dup = origin("B", "https://app.example.com", &[ScopeType::Redirect]);
        assert!(matches!(
            store.create_trusted_origin(&dup, &[event("create", &dup)]).await,
            Err(Error::Conflict { constraint }) if constraint == "origin"
        ));
        assert_eq!(event_count(&store, a.id.as_str()).await, 1);
        assert_eq!(event_count(&store, dup.id.as_str()).await, 0);

        let b = origin("Beta", "http://localhost:3000", &[ScopeType::Redirect]);
        store.create_trusted_origin(&b, &[]).await.unwrap();
        a.status = Status::Inactive;
        a.name = "Alpha".into();
        a.touch("00Tother", t0().plus_seconds(5));
        store
            .update_trusted_origin(&a, &[event("update", &a)])
            .await
            .unwrap();
        store.set_trusted_origin_status(&a, &[]).await.unwrap();
        let back = store
            .find_trusted_origin(a.id.as_str())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(back, a);
        assert_eq!(back.last_updated_by, "00Tother");
        assert!(!back.allows_cors());

        // Moving an origin onto another one's is refused too.
        let mut moved = b.clone();
        moved.origin = "https://app.example.com/".into();
        assert!(matches!(
            store.update_trusted_origin(&moved, &[]).await,
            Err(Error::Conflict { .. })
        ));

        // Both were created at the same instant, so their order is by random id: compare sets.
        let mut all = list(&store, None, None).await;
        all.sort();
        assert_eq!(all, ["Alpha", "Beta"]);
        assert_eq!(list(&store, None, Some("HTTP://LOC")).await, ["Beta"]);
        assert_eq!(
            list(&store, Some("type eq \"CORS\""), None).await,
            ["Alpha"]
        );
        let mut either = list(
            &store,
            Some("status eq \"ACTIVE\" or name eq \"Alpha\""),
            None,
        )
        .await;
        either.sort();
        assert_eq!(either, ["Alpha", "Beta"]);
        assert!(matches!(
            store
                .list_trusted_origins(&TrustedOriginQuery {
                    filter: Some(scim::parse("name sw \"A\"").unwrap()),
                    limit: 10,
                    ..TrustedOriginQuery::default()
                })
                .await,
            Err(Error::BadFilter(_))
        ));
        let (page, more) = store
            .list_trusted_origins(&TrustedOriginQuery {
                limit: 1,
                ..TrustedOriginQuery::default()
            })
            .await
            .unwrap();
        assert!(more);
        let (rest, more) = store
            .list_trusted_origins(&TrustedOriginQuery {
                limit: 1,
                after: Some(page[0].id.as_str().to_owned()),
                ..TrustedOriginQuery::default()
            })
            .await
            .unwrap();
        assert!(!more);
        assert_ne!(
            rest[0].id, page[0].id,
            "the second page holds the other origin"
        );

        assert!(
            store
                .delete_trusted_origin(a.id.as_str(), &[event("delete", &a)])
                .await
                .unwrap()
        );
        assert!(
            !store
                .delete_trusted_origin(a.id.as_str(), &[event("delete", &a)])
                .await
                .unwrap()
        );
        assert_eq!(event_count(&store, a.id.as_str()).await, 3);
        assert!(matches!(
            store.update_trusted_origin(&a, &[]).await,
            Err(Error::NotFound)
        ));
        store.close().await;
        scratch
    })
    .await;
}
