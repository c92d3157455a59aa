//! A person's lifecycle buttons: Okta's words for each operation, offered when the user's
//! status allows it (asked of the same core functions the API runs, on a copy), disabled when
//! the admin's role does not.

use axum::response::Response;
use tollgate_core::Timestamp;
use tollgate_core::directory::user::credentials::CredentialOp;
use tollgate_core::directory::{User, UserStatus};

use crate::console::fields::post_button;
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::csrf_field;
use crate::state::AppState;

/// The lifecycle operations of the page, as the API names them, with their labels.
const OPERATIONS: [(&str, &str); 6] = [
    ("activate", "Activate"),
    ("deactivate", "Deactivate"),
    ("suspend", "Suspend"),
    ("unsuspend", "Unsuspend"),
    ("unlock", "Unlock"),
    ("reset_password", "Reset Password"),
];

/// The operation `op` names, if the page offers it.
pub fn known(op: &str) -> Option<&'static str> {
    OPERATIONS.iter().map(|(o, _)| *o).find(|o| *o == op)
}

/// Whether `user`'s status allows `op` now: the core's own answer.
fn allowed(user: &User, op: &str, now: Timestamp) -> bool {
    let mut copy = user.clone();
    match op {
        "activate" => copy.activate(now).is_ok(),
        "deactivate" => copy.deactivate(now).is_ok(),
        "suspend" => copy.suspend(now).is_ok(),
        "unsuspend" => copy.unsuspend(now).is_ok(),
        "unlock" => copy.unlock(now).is_ok(),
        "reset_password" => user.allows(CredentialOp::ResetPassword).is_ok(),
        _ => false,
    }
}

/// The operations offered for `user` (Delete only once deactivated, as Okta), each with its
/// label and the path it posts to.
fn offered(user: &User, now: Timestamp) -> Vec<(&'static str, ConsoleAction, String)> {
    let id = user.id.as_str();
    let mut list: Vec<_> = OPERATIONS
        .iter()
        .filter(|(op, _)| allowed(user, op, now))
        .map(|(op, label)| {
            let path = format!("/admin/people/{id}/lifecycle/{op}");
            (*label, ConsoleAction::UserLifecycle(op), path)
        })
        .collect();
    if user.status == UserStatus::Deprovisioned {
        let path = format!("/admin/people/{id}/delete");
        list.push(("Delete", ConsoleAction::DeleteUser, path));
    }
    list
}

/// The buttons of `user`'s page.
pub async fn actions_html(
    state: &AppState,
    admin: &ConsoleAdmin,
    user: &User,
) -> Result<String, Response> {
    let csrf = csrf_field(admin);
    let mut buttons = String::new();
    for (label, action, path) in offered(user, state.clock().now()) {
        let may = admin.may(state, action, Some(user.id.as_str())).await?;
        let disabled = if may { "" } else { " disabled" };
        buttons.push_str(&post_button(&path, &csrf, label, disabled));
    }
    Ok(format!(
        "<h2>Actions</h2><div class=\"actions\">{buttons}</div>"
    ))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tollgate_core::directory::user::CreateOptions;

    use super::*;

    fn labels(user: &User) -> Vec<&'static str> {
        offered(user, Timestamp::from_millis(1_800_000_000_000))
            .into_iter()
            .map(|(l, _, _)| l)
            .collect()
    }

    #[test]
    fn each_status_offers_okta_s_actions() {
        let now = Timestamp::from_millis(1_700_000_000_000);
        let profile =
            json!({"login": "a@b.co", "email": "a@b.co", "firstName": "A", "lastName": "B"});
        let profile = profile.as_object().cloned().unwrap_or_default();
        let options = CreateOptions {
            activate: true,
            change_password_next_login: false,
        };
        let mut user = User::create(profile, Some("hash".into()), options, now).unwrap();
        assert_eq!(labels(&user), ["Deactivate", "Suspend", "Reset Password"]);
        user.suspend(now).unwrap();
        assert_eq!(labels(&user), ["Deactivate", "Unsuspend"]);
        user.deactivate(now).unwrap();
        assert_eq!(labels(&user), ["Activate", "Delete"]);
        assert_eq!(known("suspend"), Some("suspend"));
        assert_eq!(known("delete"), None);
    }
}
