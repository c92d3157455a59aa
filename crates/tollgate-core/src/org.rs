//! The organisation: the tenant every object belongs to, served at `/api/v1/org`.

use serde_json::{Map, Value};

use crate::clock::Timestamp;
use crate::id::OrgId;

pub mod preferences;

/// Settings fields Okta returns on the org object, all free text and nullable.
pub const SETTING_FIELDS: [&str; 11] = [
    "website",
    "phoneNumber",
    "endUserSupportHelpURL",
    "supportPhoneNumber",
    "address1",
    "address2",
    "city",
    "state",
    "country",
    "postalCode",
    "companyName",
];

/// The organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    /// `00o…`; also the `idp` claim of tokens.
    pub id: OrgId,
    /// The short name used in URLs (`org.subDomain` in expressions).
    pub subdomain: String,
    /// Display name, shown on the sign-in page (`org.name` in expressions).
    pub company_name: String,
    /// The other settings ([`SETTING_FIELDS`]), as Okta names them.
    pub settings: Map<String, Value>,
    /// When the org was created.
    pub created: Timestamp,
    /// When its settings last changed.
    pub last_updated: Timestamp,
}

impl Org {
    /// The org created on first start.
    pub fn initial(now: Timestamp) -> Self {
        Self {
            id: OrgId::generate(),
            subdomain: "tollgate".to_owned(),
            company_name: "Tollgate".to_owned(),
            settings: Map::new(),
            created: now,
            last_updated: now,
        }
    }

    /// Applies a partial update (`POST /api/v1/org`): only the known fields present in `patch`
    /// change; unknown and read-only fields are ignored, as Okta does. With `replace`, the
    /// known fields absent from `patch` are cleared (`PUT`).
    pub fn apply_update(
        &mut self,
        patch: &Map<String, Value>,
        replace: bool,
        now: Timestamp,
    ) -> Result<(), crate::Error> {
        for field in SETTING_FIELDS {
            let value = match patch.get(field) {
                Some(v) => v.clone(),
                None if replace => Value::Null,
                None => continue,
            };
            if !(value.is_string() || value.is_null()) {
                return Err(crate::Error::invalid_field(field, "must be a string"));
            }
            if field == "companyName" {
                match value.as_str() {
                    Some(name) if !name.trim().is_empty() => self.company_name = name.to_owned(),
                    _ if replace && value.is_null() => {}
                    _ => return Err(crate::Error::invalid_field(field, "must not be empty")),
                }
            } else {
                self.settings.insert(field.to_owned(), value);
            }
        }
        self.last_updated = now;
        Ok(())
    }

    /// A setting's value, `null` when never set.
    pub fn setting(&self, field: &str) -> Value {
        self.settings.get(field).cloned().unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn partial_update_keeps_other_fields() {
        let mut org = Org::initial(Timestamp::from_millis(0));
        let patch = json!({"supportPhoneNumber": "123", "id": "ignored", "bogus": 1});
        org.apply_update(patch.as_object().unwrap(), false, Timestamp::from_millis(5))
            .unwrap();
        assert_eq!(org.setting("supportPhoneNumber"), json!("123"));
        assert_eq!(org.setting("website"), Value::Null);
        let patch = json!({"companyName": "Acme"});
        org.apply_update(patch.as_object().unwrap(), false, Timestamp::from_millis(6))
            .unwrap();
        assert_eq!(org.company_name, "Acme");
        assert_eq!(org.setting("supportPhoneNumber"), json!("123"));
        assert_eq!(org.last_updated.millis(), 6);
    }

    #[test]
    fn bad_types_are_refused() {
        let mut org = Org::initial(Timestamp::from_millis(0));
        let patch = json!({"website": 3});
        assert!(
            org.apply_update(patch.as_object().unwrap(), false, Timestamp::from_millis(1))
                .is_err()
        );
        let patch = json!({"companyName": ""});
        assert!(
            org.apply_update(patch.as_object().unwrap(), false, Timestamp::from_millis(1))
                .is_err()
        );
    }
}
