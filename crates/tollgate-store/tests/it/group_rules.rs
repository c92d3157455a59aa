//! Group rules and rule-made memberships: round trip, search and pages, only active rules
//! loaded for evaluation, and membership changes that touch only what a rule made, move the
//! group's version and write an event only when something changed.

use tollgate_core::group_rule::{
    EXPRESSION_TYPE, GroupRule, Membership, MembershipChange, RULE_TYPE, RuleInput, RuleStatus,
};
use tollgate_core::id::GroupId;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_store::GroupRuleQuery;

use crate::directory::{group, user};
use crate::{on_both, t0};

fn rule(name: &str, group: &GroupId) -> GroupRule {
    let input = RuleInput {
        kind: Some(RULE_TYPE.into()),
        name: Some(name.into()),
        expression_type: Some(EXPRESSION_TYPE.into()),
        expression: Some(r#"user.department == "Engineering""#.into()),
        excluded_users: vec!["00uExcluded".into()],
        group_ids: vec![group.as_str().to_owned()],
    };
    GroupRule::create(&input, t0()).unwrap()
}

fn event() -> LogEvent {
    LogEvent::new(
        "group.user_membership.add",
        "add",
        Entity::id_only("x", "User"),
        t0(),
    )
}

#[tokio::test]
async fn rules_round_trip_and_list() {
    on_both(|store, scratch| async move {
        let g = group("Engineers");
        store.create_group(&g, &[]).await.unwrap();
        let mut a = rule("Engineering rule", &g.id);
        let mut b = rule("Sales", &g.id);
        b.created = t0().plus_seconds(2);
        store.create_group_rule(&a, &[]).await.unwrap();
        store.create_group_rule(&b, &[]).await.unwrap();
        assert_eq!(
            store.find_group_rule(a.id.as_str()).await.unwrap(),
            Some(a.clone())
        );
        assert!(store.active_group_rules().await.unwrap().is_empty());

        a.set_status(RuleStatus::Active, t0().plus_seconds(1))
            .unwrap();
        store.update_group_rule(&a, &[]).await.unwrap();
        assert_eq!(store.active_group_rules().await.unwrap(), vec![a.clone()]);

        let q = |search: Option<&str>, limit, after: Option<String>| GroupRuleQuery {
            search: search.map(str::to_owned),
            limit,
            after,
        };
        let (found, _) = store
            .list_group_rules(&q(Some("RULE"), 10, None))
            .await
            .unwrap();
        assert_eq!(found, vec![a.clone()]);
        let (first, more) = store.list_group_rules(&q(None, 1, None)).await.unwrap();
        assert!(more);
        let (second, more) = store
            .list_group_rules(&q(None, 1, Some(first[0].id.as_str().to_owned())))
            .await
            .unwrap();
        assert!(!more);
        assert_eq!(second, vec![b.clone()]);
        assert!(store.delete_group_rule(b.id.as_str(), &[]).await.unwrap());
        assert!(!store.delete_group_rule(b.id.as_str(), &[]).await.unwrap());
        scratch
    })
    .await;
}

#[tokio::test]
async fn rule_memberships_touch_only_what_rules_made() {
    on_both(|store, scratch| async move {
        let (manual, ruled) = (group("Manual"), group("Ruled"));
        store.create_group(&manual, &[]).await.unwrap();
        store.create_group(&ruled, &[]).await.unwrap();
        let u = user("annie@acme.com");
        store
            .create_user(&u, &[manual.id.as_str().to_owned()], &[])
            .await
            .unwrap();
        let uid = u.id.as_str();
        let version = |gid: &GroupId| {
            let store = store.clone();
            let gid = gid.clone();
            async move {
                store
                    .find_group(gid.as_str())
                    .await
                    .unwrap()
                    .unwrap()
                    .version
            }
        };
        let v0 = version(&ruled.id).await;

        let gone = GroupId::from_trusted("00gDeletedGroup");
        let add = MembershipChange {
            add: vec![ruled.id.clone(), manual.id.clone(), gone],
            remove: vec![],
        };
        let n = store
            .apply_rule_memberships(uid, &add, t0(), &[event(), event(), event()])
            .await
            .unwrap();
        assert_eq!(
            n, 1,
            "already a member, and a missing group, change nothing"
        );
        let mut got = store.memberships_of_user(uid).await.unwrap();
        got.sort_by(|a, b| a.group_id.cmp(&b.group_id));
        let mut want = vec![
            Membership {
                group_id: manual.id.clone(),
                by_rule: false,
            },
            Membership {
                group_id: ruled.id.clone(),
                by_rule: true,
            },
        ];
        want.sort_by(|a, b| a.group_id.cmp(&b.group_id));
        assert_eq!(got, want);
        assert!(version(&ruled.id).await > v0);

        let remove = MembershipChange {
            add: vec![],
            remove: vec![manual.id.clone(), ruled.id.clone()],
        };
        assert_eq!(
            store
                .apply_rule_memberships(uid, &remove, t0(), &[])
                .await
                .unwrap(),
            1
        );
        let left = store.memberships_of_user(uid).await.unwrap();
        assert_eq!(
            left,
            vec![Membership {
                group_id: manual.id.clone(),
                by_rule: false
            }]
        );
        scratch
    })
    .await;
}
