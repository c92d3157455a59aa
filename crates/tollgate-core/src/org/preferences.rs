//! The org's preferences and privacy settings (`/api/v1/org/preferences`,
//! `/org/privacy/oktaSupport`, `/org/privacy/oktaCommunication`) and its contacts
//! (`/org/contacts/{contactType}`). They live in the org's settings under keys the org object
//! never shows (each starts with `_`).

use serde_json::{Value, json};

use super::Org;
use crate::clock::Timestamp;
use crate::error::Error;

const FOOTER: &str = "_showEndUserFooter";
const OPT_OUT: &str = "_optOutEmailUsers";
const SUPPORT_UNTIL: &str = "_supportExpiration";
const CONTACT_PREFIX: &str = "_contact.";

/// How long Okta Support access lasts when granted, and how much an extension adds.
const SUPPORT_GRANT_MS: i64 = 8 * 3600 * 1000;
const SUPPORT_EXTEND_MS: i64 = 24 * 3600 * 1000;

/// The kinds of org contact Okta has.
pub const CONTACT_TYPES: [&str; 2] = ["BILLING", "TECHNICAL"];

/// Whether Okta Support may sign in to the org, and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportAccess {
    /// `support: ENABLED`.
    pub enabled: bool,
    /// When access ends (`null` when disabled).
    pub expiration: Option<Timestamp>,
}

/// The contact type `raw` names (`billing` or `BILLING`), as Okta spells it.
pub fn contact_type(raw: &str) -> Option<&'static str> {
    CONTACT_TYPES
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(raw.trim()))
}

impl Org {
    fn flag(&self, key: &str, default: bool) -> bool {
        self.settings
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(default)
    }

    /// Whether the end-user dashboard shows Okta's footer (Okta's default: shown).
    pub fn shows_end_user_footer(&self) -> bool {
        self.flag(FOOTER, true)
    }

    /// Shows or hides the end-user footer.
    pub fn set_end_user_footer(&mut self, show: bool, now: Timestamp) {
        self.settings.insert(FOOTER.into(), json!(show));
        self.last_updated = now;
    }

    /// Whether users are opted out of Okta's communication emails (Okta's default: opted in).
    pub fn opts_out_email_users(&self) -> bool {
        self.flag(OPT_OUT, false)
    }

    /// Opts users out of (or back into) Okta's communication emails.
    pub fn set_opt_out_email_users(&mut self, opt_out: bool, now: Timestamp) {
        self.settings.insert(OPT_OUT.into(), json!(opt_out));
        self.last_updated = now;
    }

    /// Okta Support's access at `now`: a grant ends by itself at its expiration.
    pub fn support_access(&self, now: Timestamp) -> SupportAccess {
        let until = self
            .settings
            .get(SUPPORT_UNTIL)
            .and_then(Value::as_i64)
            .map(Timestamp::from_millis)
            .filter(|t| t.millis() > now.millis());
        SupportAccess {
            enabled: until.is_some(),
            expiration: until,
        }
    }

    /// Grants Okta Support access for eight hours from `now`.
    pub fn grant_support(&mut self, now: Timestamp) -> SupportAccess {
        self.settings.insert(
            SUPPORT_UNTIL.into(),
            json!(now.millis().saturating_add(SUPPORT_GRANT_MS)),
        );
        self.last_updated = now;
        self.support_access(now)
    }

    /// Extends granted access by 24 hours; refused when access is not granted.
    pub fn extend_support(&mut self, now: Timestamp) -> Result<SupportAccess, Error> {
        let Some(until) = self.support_access(now).expiration else {
            return Err(Error::invalid_field(
                "support",
                "Okta Support access is not granted, so it cannot be extended",
            ));
        };
        self.settings.insert(
            SUPPORT_UNTIL.into(),
            json!(until.millis().saturating_add(SUPPORT_EXTEND_MS)),
        );
        self.last_updated = now;
        Ok(self.support_access(now))
    }

    /// Ends Okta Support access.
    pub fn revoke_support(&mut self, now: Timestamp) -> SupportAccess {
        self.settings.remove(SUPPORT_UNTIL);
        self.last_updated = now;
        self.support_access(now)
    }

    /// The user id of the contact of `kind` (one of [`CONTACT_TYPES`]).
    pub fn contact(&self, kind: &str) -> Option<String> {
        self.settings
            .get(&format!("{CONTACT_PREFIX}{kind}"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// Makes `user_id` the contact of `kind`.
    pub fn set_contact(&mut self, kind: &str, user_id: &str, now: Timestamp) {
        self.settings
            .insert(format!("{CONTACT_PREFIX}{kind}"), json!(user_id));
        self.last_updated = now;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: i64 = 3600 * 1000;

    #[test]
    fn support_access_is_granted_extended_expires_and_is_revoked() {
        let t = |h: i64| Timestamp::from_millis(1_000_000 + h * HOUR);
        let mut org = Org::initial(t(0));
        assert_eq!(
            org.support_access(t(0)),
            SupportAccess {
                enabled: false,
                expiration: None
            }
        );
        assert!(org.extend_support(t(0)).is_err());
        let granted = org.grant_support(t(0));
        assert_eq!(granted.expiration, Some(t(8)));
        assert!(granted.enabled);
        assert_eq!(org.extend_support(t(1)).unwrap().expiration, Some(t(32)));
        assert!(!org.support_access(t(32)).enabled, "ends by itself");
        assert!(org.extend_support(t(33)).is_err());
        org.grant_support(t(40));
        assert!(!org.revoke_support(t(41)).enabled);
        assert!(!org.support_access(t(41)).enabled);
    }

    #[test]
    fn preferences_and_contacts() {
        let now = Timestamp::from_millis(5);
        let mut org = Org::initial(now);
        assert!(org.shows_end_user_footer());
        assert!(!org.opts_out_email_users());
        org.set_end_user_footer(false, now);
        org.set_opt_out_email_users(true, now);
        assert!(!org.shows_end_user_footer());
        assert!(org.opts_out_email_users());
        assert_eq!(contact_type("billing"), Some("BILLING"));
        assert_eq!(contact_type("TECHNICAL"), Some("TECHNICAL"));
        assert_eq!(contact_type("SALES"), None);
        assert_eq!(org.contact("BILLING"), None);
        org.set_contact("BILLING", "00u1", now);
        assert_eq!(org.contact("BILLING").as_deref(), Some("00u1"));
        // None of it shows among the org object's settings.
        assert!(
            super::super::SETTING_FIELDS
                .iter()
                .all(|f| !f.starts_with('_'))
        );
    }
}
