//! Group rules: checked by the same core constructor as `POST /api/v1/groups/rules` (so a bad
//! expression is refused with the checker's message), their groups and exclusions resolved by
//! name and login.

use tollgate_core::group_rule::{EXPRESSION_TYPE, GroupRule, RULE_TYPE, RuleInput, RuleStatus};
use tollgate_core::id::GroupRuleId;
use tollgate_store::GroupRuleQuery;

use super::{Change, Op, Planner};
use crate::orgfile::model::GroupRuleSpec;

impl Planner<'_> {
    pub(super) async fn plan_group_rule(
        &mut self,
        i: usize,
        spec: &GroupRuleSpec,
    ) -> anyhow::Result<()> {
        let path = format!("groupRules[{i}]");
        let status = match spec.status.as_deref() {
            None | Some("ACTIVE") => RuleStatus::Active,
            Some("INACTIVE") => RuleStatus::Inactive,
            Some(_) => {
                self.problem(&format!("{path}.status"), "must be ACTIVE or INACTIVE");
                return Ok(());
            }
        };
        let mut group_ids = Vec::new();
        for (j, name) in spec.groups.iter().enumerate() {
            match self.group(name).await? {
                Some(g) => group_ids.push(g.id.as_str().to_owned()),
                None => self.problem(
                    &format!("{path}.groups[{j}]"),
                    format!("no group {name:?} is declared or stored"),
                ),
            }
        }
        let mut excluded_users = Vec::new();
        for (j, login) in spec.exclude.iter().enumerate() {
            match self.user(login).await? {
                Some(u) => excluded_users.push(u.id.as_str().to_owned()),
                None => self.problem(
                    &format!("{path}.exclude[{j}]"),
                    format!("no user {login:?} is declared or stored"),
                ),
            }
        }
        let input = RuleInput {
            kind: Some(RULE_TYPE.to_owned()),
            name: Some(spec.name.clone()),
            expression_type: Some(EXPRESSION_TYPE.to_owned()),
            expression: Some(spec.expression.clone()),
            excluded_users,
            group_ids,
        };
        let mut rule = match GroupRule::create(&input, self.now) {
            Ok(r) => r,
            Err(e) => {
                self.core_error(&path, e);
                return Ok(());
            }
        };
        rule.status = status;
        let existing = match spec.id.as_deref() {
            Some(id) => match id.parse::<GroupRuleId>() {
                Ok(id) => {
                    rule.id = id;
                    self.store.find_group_rule(rule.id.as_str()).await?
                }
                Err(e) => {
                    self.problem(&format!("{path}.id"), e.to_string());
                    return Ok(());
                }
            },
            None => self.stored_rule_named(&rule.name).await?,
        };
        let what = format!("group rule {} ({})", rule.name, rule.id);
        match existing {
            None => self.step(Change::Create, what, Op::CreateGroupRule(rule)),
            Some(ex) => {
                rule.id = ex.id.clone();
                rule.created = ex.created;
                let what = format!("group rule {} ({})", rule.name, rule.id);
                let same = (
                    &ex.name,
                    &ex.expression,
                    &ex.excluded_users,
                    &ex.group_ids,
                    ex.status,
                ) == (
                    &rule.name,
                    &rule.expression,
                    &rule.excluded_users,
                    &rule.group_ids,
                    rule.status,
                );
                if same {
                    self.step(Change::Unchanged, what, Op::None);
                } else {
                    self.step(Change::Update, what, Op::UpdateGroupRule(rule));
                }
            }
        }
        Ok(())
    }

    async fn stored_rule_named(&self, name: &str) -> anyhow::Result<Option<GroupRule>> {
        let query = GroupRuleQuery {
            search: Some(name.to_owned()),
            limit: 1000,
            after: None,
        };
        let (rules, _) = self.store.list_group_rules(&query).await?;
        Ok(rules
            .into_iter()
            .find(|r| r.name.to_lowercase() == name.to_lowercase()))
    }
}
