use serde_json::{Value, json};
use tollgate_core::directory::{Group, GroupType};
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::scim;
use tollgate_store::{LogQuery, SortOrder, Store};

use crate::{on_both, t0};

fn event(kind: &str, at_secs: i64) -> LogEvent {
    let actor = Entity::new("00Ttoken", "SystemPrincipal", "api-token:ci", "ci");
    LogEvent::new(
        kind,
        "Something happened",
        actor,
        t0().plus_seconds(at_secs),
    )
}

fn all(q: LogQuery) -> LogQuery {
    LogQuery {
        limit: 1000,
        since: Some(t0().plus_seconds(-10)),
        ..q
    }
}

async fn kinds(store: &Store, q: LogQuery) -> Vec<String> {
    let page = store.query_logs(&q).await.unwrap();
    page.events
        .iter()
        .map(|e| {
            serde_json::from_str::<Value>(e).unwrap()["eventType"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn events_commit_and_roll_back_with_their_change() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let g = Group::new(
            GroupType::OktaGroup,
            json!({"name": "West"}).as_object().unwrap().clone(),
            t0(),
        )
        .unwrap();
        store
            .create_group(
                &g,
                &[event("group.lifecycle.create", 1).target(Entity::group(&g))],
            )
            .await
            .unwrap();
        let dup = Group::new(
            GroupType::OktaGroup,
            json!({"name": "west"}).as_object().unwrap().clone(),
            t0(),
        )
        .unwrap();
        assert!(
            store
                .create_group(&dup, &[event("group.lifecycle.create", 2)])
                .await
                .is_err()
        );
        assert_eq!(
            kinds(&store, all(LogQuery::default())).await,
            ["group.lifecycle.create"],
            "the failed change left no event"
        );
        let found = store
            .query_logs(&all(LogQuery {
                filter: Some(scim::parse(&format!("target.id eq \"{}\"", g.id)).unwrap()),
                ..LogQuery::default()
            }))
            .await
            .unwrap();
        assert_eq!(found.events.len(), 1);
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn filters_keywords_order_paging_and_retention() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        let events = vec![
            event("user.lifecycle.create", 1),
            event("app.oauth2.as.authorize", 2).outcome(
                Outcome::Deny,
                Some("User is not assigned to the client application.".into()),
            ),
            event("group.user_membership.add", 3).debug("grantType", "implicit"),
            event("user.lifecycle.create", 4),
        ];
        store.append_events(&events).await.unwrap();
        let f = |text: &str| LogQuery {
            filter: Some(scim::parse(text).unwrap()),
            ..LogQuery::default()
        };
        assert_eq!(
            kinds(&store, all(f("eventType eq \"user.lifecycle.create\"")))
                .await
                .len(),
            2
        );
        assert_eq!(
            kinds(&store, all(f("outcome.result eq \"DENY\""))).await,
            ["app.oauth2.as.authorize"]
        );
        assert_eq!(
            kinds(
                &store,
                all(f("debugContext.debugData.grantType eq \"implicit\""))
            )
            .await,
            ["group.user_membership.add"]
        );
        assert_eq!(
            kinds(
                &store,
                all(f("eventType sw \"app.\" or severity eq \"WARN\""))
            )
            .await,
            ["app.oauth2.as.authorize"]
        );
        let kw = LogQuery {
            keywords: vec!["assigned".into(), "client".into()],
            ..LogQuery::default()
        };
        assert_eq!(kinds(&store, all(kw)).await, ["app.oauth2.as.authorize"]);
        let desc = kinds(
            &store,
            all(LogQuery {
                sort: SortOrder::Descending,
                ..LogQuery::default()
            }),
        )
        .await;
        assert_eq!(
            desc.first().map(String::as_str),
            Some("user.lifecycle.create")
        );
        assert_eq!(
            desc.get(1).map(String::as_str),
            Some("group.user_membership.add")
        );
        let bounded = LogQuery {
            since: Some(t0().plus_seconds(2)),
            until: Some(t0().plus_seconds(4)),
            limit: 10,
            ..LogQuery::default()
        };
        assert_eq!(
            kinds(&store, bounded).await,
            ["app.oauth2.as.authorize", "group.user_membership.add"]
        );

        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .query_logs(&all(LogQuery {
                    limit: 3,
                    after: after.clone(),
                    ..LogQuery::default()
                }))
                .await
                .unwrap();
            seen.extend(page.events);
            if !page.more {
                break;
            }
            after = page.last_cursor;
        }
        assert_eq!(seen.len(), 4);

        assert_eq!(store.purge_logs(t0().plus_seconds(3)).await.unwrap(), 2);
        assert_eq!(
            store.purge_logs(t0().plus_seconds(3)).await.unwrap(),
            0,
            "idempotent"
        );
        assert!(matches!(
            store.query_logs(&all(f("nonsense.attr eq \"x\""))).await,
            Err(tollgate_store::Error::BadFilter(_))
        ));
        store.close().await;
        scratch
    })
    .await;
}

#[tokio::test]
async fn a_large_batch_lands_whole_and_in_order() {
    on_both(|store, scratch| async move {
        store.bootstrap(t0(), None).await.unwrap();
        // More than two multi-row statements' worth, with a partial last one.
        let events: Vec<LogEvent> = (0..257)
            .map(|i| event(&format!("test.batch.{i}"), i))
            .collect();
        let before = store.stats().writes();
        store.append_events(&events).await.unwrap();
        assert_eq!(
            store.stats().writes() - before,
            1,
            "one transaction per batch"
        );
        let got = kinds(&store, all(LogQuery::default())).await;
        let want: Vec<String> = (0..257).map(|i| format!("test.batch.{i}")).collect();
        assert_eq!(got, want);
        store.close().await;
        scratch
    })
    .await;
}
