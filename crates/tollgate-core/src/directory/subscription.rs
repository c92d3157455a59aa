//! A user's notification subscriptions (Okta's Subscriptions API for users): one per
//! notification type, by email, subscribed unless the user unsubscribed.

/// Okta's notification types (`NotificationType`), in the order they are listed.
pub const NOTIFICATION_TYPES: [&str; 13] = [
    "AD_AGENT",
    "AGENT_AUTO_UPDATE_NOTIFICATION",
    "AGENT_AUTO_UPDATE_NOTIFICATION_LDAP",
    "APP_IMPORT",
    "CONNECTOR_AGENT",
    "IWA_AGENT",
    "LDAP_AGENT",
    "OKTA_ANNOUNCEMENT",
    "OKTA_UPDATE",
    "RATELIMIT_NOTIFICATION",
    "REPORT_SUSPICIOUS_ACTIVITY",
    "USER_DEPROVISION",
    "USER_LOCKED_OUT",
];

/// The only channel Okta offers.
pub const CHANNEL: &str = "email";

/// One notification type's subscription for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    /// A member of [`NOTIFICATION_TYPES`].
    pub notification_type: &'static str,
    /// `subscribed` or `unsubscribed`.
    pub subscribed: bool,
}

impl Subscription {
    /// `subscribed` or `unsubscribed`.
    pub fn status(&self) -> &'static str {
        if self.subscribed {
            "subscribed"
        } else {
            "unsubscribed"
        }
    }
}

/// The notification type named `name` (exactly, as Okta's enum spells it).
pub fn notification_type(name: &str) -> Option<&'static str> {
    NOTIFICATION_TYPES.iter().copied().find(|t| *t == name)
}

/// Every type's subscription, given the choices a user made (`(type, subscribed)`); a type
/// without a choice is subscribed, and a stored name that is no longer a type is ignored.
pub fn subscriptions(choices: &[(String, bool)]) -> Vec<Subscription> {
    NOTIFICATION_TYPES
        .iter()
        .map(|t| Subscription {
            notification_type: t,
            subscribed: choices
                .iter()
                .find(|(name, _)| name == t)
                .is_none_or(|(_, subscribed)| *subscribed),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_override_the_default() {
        let choices = vec![
            ("OKTA_UPDATE".to_owned(), false),
            ("APP_IMPORT".to_owned(), true),
            ("RETIRED_TYPE".to_owned(), false),
        ];
        let all = subscriptions(&choices);
        assert_eq!(all.len(), NOTIFICATION_TYPES.len());
        let status = |t: &str| {
            all.iter()
                .find(|s| s.notification_type == t)
                .map(Subscription::status)
        };
        let table = [
            ("OKTA_UPDATE", Some("unsubscribed")),
            ("APP_IMPORT", Some("subscribed")),
            ("USER_LOCKED_OUT", Some("subscribed")),
            ("RETIRED_TYPE", None),
        ];
        for (t, want) in table {
            assert_eq!(status(t), want, "{t}");
        }
    }

    #[test]
    fn types_are_matched_exactly() {
        let table = [
            ("USER_LOCKED_OUT", Some("USER_LOCKED_OUT")),
            ("user_locked_out", None),
            ("", None),
            ("EMAIL", None),
        ];
        for (name, want) in table {
            assert_eq!(notification_type(name), want, "{name}");
        }
    }
}
