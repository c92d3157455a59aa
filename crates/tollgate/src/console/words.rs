//! Okta's Admin Console words for the API's values: what the console shows where the API
//! answers `ACTIVE`, `PROVISIONED` or `authorization_code`.

use tollgate_core::app::vocab::GrantType;
use tollgate_core::app::{AppStatus, ApplicationType};
use tollgate_core::directory::UserStatus;
use tollgate_core::group_rule::RuleStatus;

/// A grant type, as the app's General Settings name it.
pub fn grant(g: GrantType) -> &'static str {
    match g {
        GrantType::AuthorizationCode => "Authorization Code",
        GrantType::ClientCredentials => "Client Credentials",
        GrantType::Implicit => "Implicit (hybrid)",
        GrantType::Password => "Resource Owner Password",
        GrantType::RefreshToken => "Refresh Token",
    }
}

/// An OpenID Connect application type.
pub fn application_type(t: ApplicationType) -> &'static str {
    match t {
        ApplicationType::Browser => "Single-Page Application",
        ApplicationType::Native => "Native",
        ApplicationType::Service => "Service",
        ApplicationType::Web => "Web",
    }
}

/// A person's status, as the People list shows it.
pub fn user_status(s: UserStatus) -> &'static str {
    match s {
        UserStatus::Staged => "Staged",
        UserStatus::Provisioned => "Pending user action",
        UserStatus::Active => "Active",
        UserStatus::Recovery => "Password reset",
        UserStatus::PasswordExpired => "Password expired",
        UserStatus::LockedOut => "Locked out",
        UserStatus::Suspended => "Suspended",
        UserStatus::Deprovisioned => "Deactivated",
    }
}

/// An app's status.
pub fn app_status(s: AppStatus) -> &'static str {
    match s {
        AppStatus::Active => "Active",
        AppStatus::Inactive => "Inactive",
    }
}

/// A group rule's status.
pub fn rule_status(s: RuleStatus) -> &'static str {
    match s {
        RuleStatus::Active => "Active",
        RuleStatus::Inactive => "Inactive",
        RuleStatus::Invalid => "Invalid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_as_the_admin_console_shows_them() {
        assert_eq!(user_status(UserStatus::Provisioned), "Pending user action");
        assert_eq!(user_status(UserStatus::Deprovisioned), "Deactivated");
        assert_eq!(user_status(UserStatus::Recovery), "Password reset");
        assert_eq!(app_status(AppStatus::Inactive), "Inactive");
        assert_eq!(rule_status(RuleStatus::Invalid), "Invalid");
        assert_eq!(grant(GrantType::Implicit), "Implicit (hybrid)");
        assert_eq!(
            application_type(ApplicationType::Browser),
            "Single-Page Application"
        );
    }
}
