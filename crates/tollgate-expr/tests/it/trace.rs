//! Traced evaluation: why each group was or was not in the result.

use serde_json::json;
use tollgate_expr::{DropReason, Verdict, compile};

use crate::support::fixture;

fn verdicts(src: &str) -> Vec<(String, Verdict)> {
    let (result, trace) = compile(src).unwrap().eval_traced(&fixture());
    let _ = result;
    assert_eq!(trace.calls.len(), 1, "{src}");
    trace.calls[0]
        .groups
        .iter()
        .map(|g| (g.id.clone(), g.verdict))
        .collect()
}

fn dropped(r: DropReason) -> Verdict {
    Verdict::Dropped(r)
}

#[test]
fn filtered_groups_explains_every_group() {
    let src = r#"getFilteredGroups({"00gbso71miOMjxHRW0h7", "00garwpuyxHaWOkdV0g4", "00gUNKNOWN", "00gbso71miOMjxHRW0h7"}, "group.name", 40)"#;
    let (result, trace) = compile(src).unwrap().eval_traced(&fixture());
    assert_eq!(
        result.unwrap().to_json().unwrap(),
        json!(["WestCoastDivision"])
    );
    let call = &trace.calls[0];
    assert_eq!(call.function, "getFilteredGroups");
    assert_eq!(call.limit, Some(40));
    let got: Vec<_> = call
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.name.as_deref(), g.verdict))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "00garwpuyxHaWOkdV0g4",
                Some("West Coast Admins"),
                dropped(DropReason::UserNotMember)
            ),
            ("00gUNKNOWN", None, dropped(DropReason::UserNotMember)),
            (
                "00gbso71miOMjxHRW0h7",
                Some("WestCoastDivision"),
                dropped(DropReason::Duplicate)
            ),
            (
                "00gbso71miOMjxHRW0h7",
                Some("WestCoastDivision"),
                Verdict::Kept
            ),
            (
                "00gjitX9HqABSoqTB0g3",
                Some("Engineering Users"),
                dropped(DropReason::NotInWhitelist)
            ),
            (
                "00gak46y5hydV6NdM0g4",
                Some("Everyone"),
                dropped(DropReason::NotInWhitelist)
            ),
            (
                "00g1emaKYZTWRYYRRTSK",
                Some("West Coast Users"),
                dropped(DropReason::NotInWhitelist)
            ),
        ]
    );
    assert_eq!(
        trace.decision("00gak46y5hydV6NdM0g4").unwrap().verdict,
        dropped(DropReason::NotInWhitelist)
    );
    let j = trace.to_json();
    assert_eq!(
        j["calls"][0]["groups"][0]["reason"],
        json!("USER_NOT_MEMBER")
    );
    assert_eq!(j["calls"][0]["groups"][3]["kept"], json!(true));
}

#[test]
fn over_limit_and_null_values() {
    let v = verdicts(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 1)"#);
    assert!(v.contains(&(
        "00gbso71miOMjxHRW0h7".into(),
        dropped(DropReason::OverLimit)
    )));
    assert!(v.contains(&(
        "00g1emaKYZTWRYYRRTSK".into(),
        dropped(DropReason::OverLimit)
    )));
    let v = verdicts(
        r#"getFilteredGroups(app.profile.groupwhitelist, "group.name == 'WestCoastDivision' ? null : group.name", 5)"#,
    );
    assert!(v.contains(&(
        "00gbso71miOMjxHRW0h7".into(),
        dropped(DropReason::NullValue)
    )));
    assert!(v.contains(&("00g1emaKYZTWRYYRRTSK".into(), Verdict::Kept)));
}

#[test]
fn groups_functions_explain_source_name_and_truncation() {
    let v = verdicts(r#"Groups.startsWith("OKTA", "West", 1)"#);
    assert_eq!(
        v,
        vec![
            (
                "00gjitX9HqABSoqTB0g3".into(),
                dropped(DropReason::SourceMismatch)
            ),
            (
                "00gak46y5hydV6NdM0g4".into(),
                dropped(DropReason::NameMismatch)
            ),
            ("00g1emaKYZTWRYYRRTSK".into(), Verdict::Kept),
            (
                "00gbso71miOMjxHRW0h7".into(),
                dropped(DropReason::OverLimit)
            ),
        ]
    );
    let v = verdicts("user.getGroups({'group.type': 'APP_GROUP'})");
    assert_eq!(v.iter().filter(|(_, x)| *x == Verdict::Kept).count(), 1);
}

#[test]
fn untraced_evaluation_records_nothing_and_agrees() {
    let c = compile(r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#).unwrap();
    let (traced, _) = c.eval_traced(&fixture());
    assert_eq!(
        traced.unwrap().to_json().unwrap(),
        c.eval_json(&fixture()).unwrap()
    );
}
