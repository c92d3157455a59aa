//! The authorization-server pages' actions classify as the API calls they stand for, and the
//! API's causes find their fields.

use tollgate_core::admin::{Access, Family, Target, classify};

use super::*;
use crate::console::guard::ConsoleAction as A;

#[test]
fn authorization_server_actions_classify_as_the_api_calls_they_stand_for() {
    let cases = [
        (A::ListAuthServers, Access::Read),
        (A::CreateAuthServer, Access::Write),
        (A::ViewAuthServer, Access::Read),
        (A::SaveAuthServer, Access::Write),
        (A::ActivateAuthServer, Access::Write),
        (A::DeactivateAuthServer, Access::Write),
        (A::ListScopes, Access::Read),
        (A::CreateScope, Access::Write),
        (A::DeleteScope, Access::Write),
        (A::ListClaims, Access::Read),
        (A::CreateClaim, Access::Write),
        (A::ViewClaim, Access::Read),
        (A::SaveClaim, Access::Write),
        (A::DeleteClaim, Access::Write),
        (A::ListPolicies, Access::Read),
        (A::CreatePolicy, Access::Write),
        (A::DeletePolicy, Access::Write),
        (A::CreateRule, Access::Write),
        (A::DeleteRule, Access::Write),
        (A::ListKeys, Access::Read),
        (A::RotateKeys, Access::Write),
        (A::ViewScope, Access::Read),
        (A::SaveScope, Access::Write),
        (A::ViewPolicy, Access::Read),
        (A::SavePolicy, Access::Write),
        (A::ViewRule, Access::Read),
        (A::SaveRule, Access::Write),
    ];
    for (action, access) in cases {
        let (method, template) = action.api_call();
        assert!(
            template.starts_with("/api/v1/authorizationServers"),
            "{action:?}"
        );
        let got = classify(method, template, |_| Some("aus1"));
        assert_eq!(
            (got.family, got.access, got.target),
            (Family::AuthorizationServers, access, Target::None),
            "{action:?}"
        );
    }
}

#[test]
fn causes_are_renamed_to_the_form_s_fields() {
    let mut e = ApiError::invalid("conditions.scopes", "The scope 'x' does not exist");
    e.causes.push("value: Bad expression".to_owned());
    let e = renamed(e, &[("conditions.scopes", "scopes")]);
    assert_eq!(
        e.causes,
        vec![
            "scopes: The scope 'x' does not exist".to_owned(),
            "value: Bad expression".to_owned()
        ]
    );
    assert_eq!(split_list("a, b\nc  d"), vec!["a", "b", "c", "d"]);
}

#[test]
fn the_edit_forms_stand_for_the_api_s_get_and_put() {
    const SCOPE: &str = "/api/v1/authorizationServers/{id}/scopes/{scope_id}";
    const POLICY: &str = "/api/v1/authorizationServers/{id}/policies/{policy_id}";
    const RULE: &str = "/api/v1/authorizationServers/{id}/policies/{policy_id}/rules/{rule_id}";
    let cases = [
        (A::ViewScope, ("GET", SCOPE)),
        (A::SaveScope, ("PUT", SCOPE)),
        (A::ViewPolicy, ("GET", POLICY)),
        (A::SavePolicy, ("PUT", POLICY)),
        (A::ViewRule, ("GET", RULE)),
        (A::SaveRule, ("PUT", RULE)),
    ];
    for (action, call) in cases {
        assert_eq!(action.api_call(), call, "{action:?}");
        assert_eq!(
            action.params(Some("aus1")),
            vec![("id".into(), "aus1".into())]
        );
    }
}
