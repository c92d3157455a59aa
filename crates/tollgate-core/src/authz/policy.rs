//! Access policies of a custom authorization server (`management-api.md` section 5.5). A
//! policy picks clients; its rules (`super::rule`) pick grants, people and scopes.

use super::{Causes, non_blank};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::{AuthServerId, PolicyId};
use crate::server::Status;

/// The `clients.include` value matching every client.
pub const ALL_CLIENTS: &str = "ALL_CLIENTS";

/// The only policy `type` of an authorization server.
pub const POLICY_TYPE: &str = "OAUTH_AUTHORIZATION_POLICY";

/// An access policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// `00p…`.
    pub id: PolicyId,
    /// The server it belongs to.
    pub server_id: AuthServerId,
    /// 1–100 characters.
    pub name: String,
    /// 1–255 characters.
    pub description: String,
    /// 1 is evaluated first; unique within the server.
    pub priority: i64,
    /// Inactive policies are skipped.
    pub status: Status,
    /// Built in.
    pub system: bool,
    /// `conditions.clients.include`: [`ALL_CLIENTS`] or client ids.
    pub clients: Vec<String>,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What an admin sends for a policy; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyInput {
    /// `type`.
    pub kind: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `priority`.
    pub priority: Option<i64>,
    /// `status` (create only).
    pub status: Option<String>,
    /// `conditions.clients.include`.
    pub clients: Option<Vec<String>>,
}

impl Policy {
    /// True when the policy applies to `client_id`.
    pub fn includes_client(&self, client_id: &str) -> bool {
        self.clients
            .iter()
            .any(|c| c == ALL_CLIENTS || c == client_id)
    }

    /// A new policy of `server_id`. Its priority is what was asked (or last); the store
    /// settles the final value when it shifts the others.
    pub fn create(
        server_id: &AuthServerId,
        input: &PolicyInput,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let c = check(input)?;
        Ok(Self {
            id: PolicyId::generate(),
            server_id: server_id.clone(),
            name: c.name,
            description: c.description,
            priority: input.priority.unwrap_or(i64::MAX),
            status: c.status,
            system: false,
            clients: c.clients,
            created: now,
            last_updated: now,
        })
    }

    /// Replaces the editable fields (`PUT`); status changes only through the lifecycle.
    pub fn replace(&mut self, input: &PolicyInput, now: Timestamp) -> Result<(), Error> {
        let c = check(input)?;
        self.name = c.name;
        self.description = c.description;
        if let Some(p) = input.priority {
            self.priority = p;
        }
        self.clients = c.clients;
        self.last_updated = now;
        Ok(())
    }

    /// The `Default Policy` of the built-in server.
    pub fn builtin_default(server_id: &AuthServerId, now: Timestamp) -> Self {
        Self {
            id: PolicyId::generate(),
            server_id: server_id.clone(),
            name: "Default Policy".to_owned(),
            description: "Default policy description".to_owned(),
            priority: 1,
            status: Status::Active,
            system: false,
            clients: vec![ALL_CLIENTS.to_owned()],
            created: now,
            last_updated: now,
        }
    }
}

struct Checked {
    name: String,
    description: String,
    status: Status,
    clients: Vec<String>,
}

pub(crate) fn check_type(causes: &mut Causes, sent: Option<&str>, expected: &str) {
    if let Some(t) = sent
        && t != expected
    {
        causes.add("type", format!("Invalid value; expected {expected}"));
    }
}

pub(crate) fn check_status(causes: &mut Causes, sent: Option<&str>) -> Status {
    match sent {
        None => Status::Active,
        Some(s) => Status::parse(s).unwrap_or_else(|| {
            causes.add("status", "Invalid value; expected ACTIVE or INACTIVE");
            Status::Active
        }),
    }
}

pub(crate) fn check_name(
    causes: &mut Causes,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> String {
    let v = non_blank(value).unwrap_or_default();
    if v.is_empty() {
        causes.add(field, "The field cannot be left blank");
    } else if v.chars().count() > max {
        causes.add(field, format!("The field cannot exceed {max} characters"));
    }
    v
}

pub(crate) fn check_priority(causes: &mut Causes, priority: Option<i64>) {
    if let Some(p) = priority
        && p < 1
    {
        causes.add("priority", "Priority must be 1 or greater");
    }
}

fn check(input: &PolicyInput) -> Result<Checked, Error> {
    let mut causes = Causes::default();
    check_type(&mut causes, input.kind.as_deref(), POLICY_TYPE);
    let name = check_name(&mut causes, "name", input.name.as_deref(), 100);
    let description = check_name(
        &mut causes,
        "description",
        input.description.as_deref(),
        255,
    );
    check_priority(&mut causes, input.priority);
    let status = check_status(&mut causes, input.status.as_deref());
    let clients: Vec<String> = input
        .clients
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|c| c.trim().to_owned())
        .collect();
    // Okta (2026) accepts a policy without conditions and answers `"include": []`: a policy
    // that applies to no client until one is added.
    if clients.iter().any(String::is_empty) {
        causes.add("conditions.clients.include", "A client id cannot be blank");
    } else if clients.len() > 1 && clients.iter().any(|c| c == ALL_CLIENTS) {
        causes.add(
            "conditions.clients.include",
            "ALL_CLIENTS cannot be combined with client ids",
        );
    }
    causes.finish()?;
    Ok(Checked {
        name,
        description,
        status,
        clients,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PolicyInput {
        PolicyInput {
            kind: Some(POLICY_TYPE.into()),
            name: Some("Vendor2 Policy".into()),
            description: Some("For vendor 2".into()),
            priority: Some(1),
            status: None,
            clients: Some(vec![ALL_CLIENTS.into()]),
        }
    }

    #[test]
    fn policy_rules() {
        let now = Timestamp::from_millis(1);
        let s = AuthServerId::from_trusted("default");
        let p = Policy::create(&s, &input(), now).unwrap();
        assert!(p.includes_client("0oaanything"));
        assert_eq!(p.status, Status::Active);
        let cases: &[fn(&mut PolicyInput)] = &[
            |i| i.name = Some(String::new()),
            |i| i.name = Some("x".repeat(101)),
            |i| i.description = None,
            |i| i.description = Some("x".repeat(256)),
            |i| i.priority = Some(0),
            |i| i.clients = Some(vec![" ".into()]),
            |i| i.clients = Some(vec![ALL_CLIENTS.into(), "0oa1".into()]),
            |i| i.kind = Some("OKTA_SIGN_ON".into()),
            |i| i.status = Some("ON".into()),
        ];
        for (n, case) in cases.iter().enumerate() {
            let mut i = input();
            case(&mut i);
            assert!(Policy::create(&s, &i, now).is_err(), "case {n}");
        }
        for clients in [None, Some(vec![])] {
            let mut i = input();
            i.clients = clients;
            let p = Policy::create(&s, &i, now).unwrap();
            assert!(p.clients.is_empty());
            assert!(!p.includes_client("0oa1"));
        }
        let mut i = input();
        i.clients = Some(vec!["0oa1".into()]);
        let p = Policy::create(&s, &i, now).unwrap();
        assert!(p.includes_client("0oa1"));
        assert!(!p.includes_client("0oa2"));
    }
}
