//! The operations a user object links to, by status, as Okta's user objects show them
//! (`_links` of a single user: `activate`, `suspend`, `resetPassword`, ...).

use super::UserStatus;

/// An operation in a user's `_links`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserLink {
    /// `lifecycle/activate`.
    Activate,
    /// `lifecycle/deactivate`.
    Deactivate,
    /// `lifecycle/suspend`.
    Suspend,
    /// `lifecycle/unsuspend`.
    Unsuspend,
    /// `lifecycle/unlock`.
    Unlock,
    /// `lifecycle/expire_password`.
    ExpirePassword,
    /// `lifecycle/reset_password`.
    ResetPassword,
    /// `lifecycle/reset_factors`.
    ResetFactors,
    /// `credentials/forgot_password`.
    ForgotPassword,
    /// `credentials/change_password`.
    ChangePassword,
    /// `credentials/change_recovery_question`.
    ChangeRecoveryQuestion,
}

impl UserLink {
    /// The link relation (the key in `_links`).
    pub fn rel(self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Deactivate => "deactivate",
            Self::Suspend => "suspend",
            Self::Unsuspend => "unsuspend",
            Self::Unlock => "unlock",
            Self::ExpirePassword => "expirePassword",
            Self::ResetPassword => "resetPassword",
            Self::ResetFactors => "resetFactors",
            Self::ForgotPassword => "forgotPassword",
            Self::ChangePassword => "changePassword",
            Self::ChangeRecoveryQuestion => "changeRecoveryQuestion",
        }
    }

    /// The path under `/api/v1/users/{id}/`.
    pub fn path(self) -> &'static str {
        match self {
            Self::Activate => "lifecycle/activate",
            Self::Deactivate => "lifecycle/deactivate",
            Self::Suspend => "lifecycle/suspend",
            Self::Unsuspend => "lifecycle/unsuspend",
            Self::Unlock => "lifecycle/unlock",
            Self::ExpirePassword => "lifecycle/expire_password",
            Self::ResetPassword => "lifecycle/reset_password",
            Self::ResetFactors => "lifecycle/reset_factors",
            Self::ForgotPassword => "credentials/forgot_password",
            Self::ChangePassword => "credentials/change_password",
            Self::ChangeRecoveryQuestion => "credentials/change_recovery_question",
        }
    }
}

/// The operations a user in `status` links to; the password operations only when the user
/// has a password (`credentials.password`).
pub fn user_links(status: UserStatus, has_password: bool) -> Vec<UserLink> {
    use UserLink::*;
    let mut links = match status {
        UserStatus::Staged | UserStatus::Deprovisioned => vec![Activate],
        UserStatus::Provisioned => vec![Deactivate],
        UserStatus::Active | UserStatus::PasswordExpired => {
            vec![Suspend, ExpirePassword, ResetPassword, Deactivate]
        }
        UserStatus::Recovery => vec![ResetPassword, Deactivate],
        UserStatus::LockedOut => vec![Unlock, ResetPassword, Deactivate],
        UserStatus::Suspended => vec![Unsuspend, Deactivate],
    };
    if status != UserStatus::Deprovisioned {
        links.push(ResetFactors);
    }
    if has_password && matches!(status, UserStatus::Active | UserStatus::PasswordExpired) {
        links.extend([ForgotPassword, ChangePassword, ChangeRecoveryQuestion]);
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rels(status: UserStatus, has_password: bool) -> Vec<&'static str> {
        let mut rels: Vec<_> = user_links(status, has_password)
            .into_iter()
            .map(UserLink::rel)
            .collect();
        rels.sort_unstable();
        rels
    }

    #[test]
    fn links_by_status_as_okta_shows_them() {
        let with_password = [
            "changePassword",
            "changeRecoveryQuestion",
            "deactivate",
            "expirePassword",
            "forgotPassword",
            "resetFactors",
            "resetPassword",
            "suspend",
        ];
        let table: [(UserStatus, bool, &[&str]); 10] = [
            (UserStatus::Staged, true, &["activate", "resetFactors"]),
            (UserStatus::Active, true, &with_password),
            (UserStatus::PasswordExpired, true, &with_password),
            (
                UserStatus::Active,
                false,
                &[
                    "deactivate",
                    "expirePassword",
                    "resetFactors",
                    "resetPassword",
                    "suspend",
                ],
            ),
            (
                UserStatus::Suspended,
                true,
                &["deactivate", "resetFactors", "unsuspend"],
            ),
            (
                UserStatus::LockedOut,
                true,
                &["deactivate", "resetFactors", "resetPassword", "unlock"],
            ),
            (
                UserStatus::Recovery,
                true,
                &["deactivate", "resetFactors", "resetPassword"],
            ),
            (
                UserStatus::Provisioned,
                false,
                &["deactivate", "resetFactors"],
            ),
            (UserStatus::Deprovisioned, true, &["activate"]),
            (UserStatus::Staged, false, &["activate", "resetFactors"]),
        ];
        for (status, has_password, expected) in table {
            assert_eq!(rels(status, has_password), expected, "{status:?}");
        }
    }

    #[test]
    fn every_link_has_a_path_under_the_user() {
        for link in user_links(UserStatus::Active, true) {
            assert!(
                link.path().starts_with("lifecycle/") || link.path().starts_with("credentials/"),
                "{link:?}"
            );
        }
    }
}
