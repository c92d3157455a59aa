//! A group rule on the wire: the request body, the response shape, and the check that the
//! target groups exist.

use serde::Deserialize;
use serde_json::{Map, Value, json};
use tollgate_core::directory::GroupType;
use tollgate_core::group_rule::{EXPRESSION_TYPE, GroupRule, RULE_TYPE, RuleInput};
use tollgate_core::id::GroupId;

use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
struct Expression {
    #[serde(rename = "type")]
    kind: Option<String>,
    value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct Exclusions {
    #[serde(default)]
    exclude: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
struct People {
    #[serde(default)]
    users: Option<Exclusions>,
}

#[derive(Debug, Default, Deserialize)]
struct Conditions {
    #[serde(default)]
    expression: Option<Expression>,
    #[serde(default)]
    people: Option<People>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Assign {
    #[serde(default)]
    group_ids: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Actions {
    #[serde(default)]
    assign_user_to_groups: Option<Assign>,
}

/// The body of create and replace; read-only fields (`id`, `status`, dates) are ignored.
#[derive(Debug, Default, Deserialize)]
pub struct RuleBody {
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    conditions: Option<Conditions>,
    #[serde(default)]
    actions: Option<Actions>,
}

impl RuleBody {
    /// The fields core validates.
    pub fn into_input(self) -> RuleInput {
        let conditions = self.conditions.unwrap_or_default();
        let expression = conditions.expression.unwrap_or_default();
        RuleInput {
            kind: self.kind,
            name: self.name,
            expression_type: expression.kind,
            expression: expression.value,
            excluded_users: conditions
                .people
                .and_then(|p| p.users)
                .and_then(|u| u.exclude)
                .unwrap_or_default(),
            group_ids: self
                .actions
                .and_then(|a| a.assign_user_to_groups)
                .and_then(|a| a.group_ids)
                .unwrap_or_default(),
        }
    }
}

/// Refuses target groups that do not exist or are not Okta groups (rules cannot assign to
/// `Everyone` or to app groups).
pub async fn check_groups(state: &AppState, rule: &GroupRule) -> ApiResult<()> {
    let ids: Vec<&str> = rule.group_ids.iter().map(GroupId::as_str).collect();
    let found = state.store().groups_by_ids(&ids).await?;
    for id in &ids {
        match found.iter().find(|g| g.id.as_str() == *id) {
            Some(g) if g.kind == GroupType::OktaGroup => {}
            Some(_) => {
                return Err(ApiError::invalid(
                    "actions.assignUserToGroups.groupIds",
                    &format!("Group {id} is not an Okta group"),
                ));
            }
            None => {
                return Err(ApiError::invalid(
                    "actions.assignUserToGroups.groupIds",
                    &format!("Group {id} does not exist"),
                ));
            }
        }
    }
    Ok(())
}

/// A rule in Okta's shape (field order as Okta sends it); `expand=groupIdToGroupNameMap` adds
/// `_embedded.groupIdToGroupNameMap`.
pub async fn rule_json(state: &AppState, r: &GroupRule, expand: Option<&str>) -> ApiResult<Value> {
    let mut conditions = Map::new();
    if !r.excluded_users.is_empty() {
        conditions.insert(
            "people".into(),
            json!({"users": {"exclude": r.excluded_users}, "groups": {"exclude": []}}),
        );
    }
    conditions.insert(
        "expression".into(),
        json!({"value": r.expression, "type": EXPRESSION_TYPE}),
    );
    let mut out = json!({
        "type": RULE_TYPE,
        "id": r.id.as_str(),
        "status": r.status.as_str(),
        "name": r.name,
        "created": r.created,
        "lastUpdated": r.last_updated,
        "conditions": conditions,
        "actions": {"assignUserToGroups": {"groupIds": r.group_ids}},
    });
    if expand == Some("groupIdToGroupNameMap") {
        let ids: Vec<&str> = r.group_ids.iter().map(GroupId::as_str).collect();
        let names: Map<String, Value> = state
            .store()
            .groups_by_ids(&ids)
            .await?
            .iter()
            .map(|g| (g.id.as_str().to_owned(), json!(g.name())))
            .collect();
        if let Some(obj) = out.as_object_mut() {
            obj.insert("_embedded".into(), json!({"groupIdToGroupNameMap": names}));
        }
    }
    Ok(out)
}
