//! The console's actions classify as the API calls they stand for.

use tollgate_core::admin::{Access, Family, Op, Target, classify};

use super::*;

#[test]
fn console_actions_classify_as_the_api_calls_they_stand_for() {
    let cases = [
        (ConsoleAction::ListApps, Access::Read, Target::None),
        (
            ConsoleAction::ViewApp,
            Access::Read,
            Target::App("0oa1".into()),
        ),
        (
            ConsoleAction::SaveApp,
            Access::Write,
            Target::App("0oa1".into()),
        ),
        (
            ConsoleAction::ViewSignOn,
            Access::Read,
            Target::App("0oa1".into()),
        ),
        (
            ConsoleAction::SaveSignOn,
            Access::Write,
            Target::App("0oa1".into()),
        ),
    ];
    for (action, access, target) in cases {
        let (method, template) = action.api_call();
        let got = classify(method, template, |_| Some("0oa1"));
        assert_eq!(
            (got.family, got.access, got.target),
            (Family::Apps, access, target),
            "{action:?}"
        );
    }
}

#[test]
fn directory_actions_classify_as_the_api_calls_they_stand_for() {
    let user = || Target::User("00u1".into());
    let cases = [
        (
            ConsoleAction::ListUsers,
            Access::Read,
            Target::None,
            Op::Other,
        ),
        (
            ConsoleAction::CreateUser,
            Access::Write,
            Target::None,
            Op::Other,
        ),
        (ConsoleAction::ViewUser, Access::Read, user(), Op::Other),
        (ConsoleAction::SaveUser, Access::Write, user(), Op::Other),
        (ConsoleAction::DeleteUser, Access::Write, user(), Op::Other),
        (
            ConsoleAction::UserLifecycle("suspend"),
            Access::Write,
            user(),
            Op::Other,
        ),
        (
            ConsoleAction::UserLifecycle("unlock"),
            Access::Write,
            user(),
            Op::HelpDesk,
        ),
        (
            ConsoleAction::UserLifecycle("reset_password"),
            Access::Write,
            user(),
            Op::HelpDesk,
        ),
    ];
    for (action, access, target, op) in cases {
        let (method, template) = action.api_call();
        let params = action.params(Some("00u1"));
        let got = classify(method, template, |name| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        });
        assert_eq!(
            (got.family, got.access, got.target, got.op),
            (Family::Users, access, target, op),
            "{action:?}"
        );
    }
    let group = || Target::Group("00g1".into());
    let cases = [
        (
            ConsoleAction::ListGroups,
            Access::Read,
            Target::None,
            Op::Other,
        ),
        (
            ConsoleAction::CreateGroup,
            Access::Write,
            Target::None,
            Op::Other,
        ),
        (ConsoleAction::ViewGroup, Access::Read, group(), Op::Other),
        (
            ConsoleAction::ViewGroupApps,
            Access::Read,
            group(),
            Op::Other,
        ),
        (
            ConsoleAction::AddMember,
            Access::Write,
            group(),
            Op::Membership,
        ),
        (
            ConsoleAction::RemoveMember,
            Access::Write,
            group(),
            Op::Membership,
        ),
    ];
    for (action, access, target, op) in cases {
        let (method, template) = action.api_call();
        let got = classify(method, template, |_| Some("00g1"));
        assert_eq!(
            (got.family, got.access, got.target, got.op),
            (Family::Groups, access, target, op),
            "{action:?}"
        );
    }
}

#[test]
fn assignment_actions_classify_as_the_app_calls_they_stand_for() {
    let app = || Target::App("0oa1".into());
    let cases = [
        (
            ConsoleAction::ViewAppUsers,
            "GET /api/v1/apps/{id}/users",
            Access::Read,
        ),
        (
            ConsoleAction::ViewAppGroups,
            "GET /api/v1/apps/{id}/groups",
            Access::Read,
        ),
        (
            ConsoleAction::AssignUser,
            "POST /api/v1/apps/{id}/users",
            Access::Write,
        ),
        (
            ConsoleAction::UnassignUser,
            "DELETE /api/v1/apps/{id}/users/{user_id}",
            Access::Write,
        ),
        (
            ConsoleAction::AssignGroup,
            "PUT /api/v1/apps/{id}/groups/{group_id}",
            Access::Write,
        ),
        (
            ConsoleAction::UnassignGroup,
            "DELETE /api/v1/apps/{id}/groups/{group_id}",
            Access::Write,
        ),
    ];
    for (action, call, access) in cases {
        let (method, template) = action.api_call();
        assert_eq!(format!("{method} {template}"), call, "{action:?}");
        let got = classify(method, template, |name| (name == "id").then_some("0oa1"));
        assert_eq!(
            (got.family, got.access, got.target),
            (Family::Apps, access, app()),
            "{action:?}"
        );
    }
}
