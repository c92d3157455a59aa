//! Rules of an access policy (`management-api.md` section 5.5): who, which grant, which
//! scopes, and the token lifetimes they give.

use super::Causes;
use super::policy::{check_name, check_priority, check_status, check_type};
use crate::app::vocab::GrantType;
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::{AuthServerId, PolicyId, RuleId};
use crate::server::Status;

/// The `groups.include` value matching every user.
pub const EVERYONE: &str = "EVERYONE";

/// The only rule `type` of an authorization-server policy.
pub const RULE_TYPE: &str = "RESOURCE_ACCESS";

/// The grants a rule may name.
pub const RULE_GRANTS: [GrantType; 4] = [
    GrantType::AuthorizationCode,
    GrantType::Implicit,
    GrantType::Password,
    GrantType::ClientCredentials,
];

/// Five years in minutes: the longest refresh window.
pub const MAX_REFRESH_WINDOW: i64 = 2_628_000;

/// `conditions.people`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct People {
    /// User ids.
    pub users_include: Vec<String>,
    /// User ids never matched.
    pub users_exclude: Vec<String>,
    /// Group ids or [`EVERYONE`].
    pub groups_include: Vec<String>,
    /// Group ids never matched.
    pub groups_exclude: Vec<String>,
}

/// `actions.token`, in minutes. A refresh lifetime of 0 means unlimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetimes {
    /// `accessTokenLifetimeMinutes`, 5–1440.
    pub access_minutes: i64,
    /// `refreshTokenLifetimeMinutes`, 0 or at least the access lifetime.
    pub refresh_minutes: i64,
    /// `refreshTokenWindowMinutes`, 10 min – 5 years.
    pub refresh_window_minutes: i64,
}

impl Default for TokenLifetimes {
    fn default() -> Self {
        Self {
            access_minutes: 60,
            refresh_minutes: 0,
            refresh_window_minutes: 10_080,
        }
    }
}

/// A rule of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `0pr…`.
    pub id: RuleId,
    /// The policy it belongs to.
    pub policy_id: PolicyId,
    /// The server of that policy.
    pub server_id: AuthServerId,
    /// 1–100 characters.
    pub name: String,
    /// 1 is evaluated first; unique within the policy.
    pub priority: i64,
    /// Inactive rules are skipped.
    pub status: Status,
    /// Built in.
    pub system: bool,
    /// Who the rule applies to (ignored for `client_credentials`, which has no user).
    pub people: People,
    /// `conditions.grantTypes.include`.
    pub grant_types: Vec<GrantType>,
    /// `conditions.scopes.include`: names or `*`.
    pub scopes: Vec<String>,
    /// `actions.token`.
    pub token: TokenLifetimes,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
}

/// What an admin sends for a rule; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleInput {
    /// `type`.
    pub kind: Option<String>,
    /// `name`.
    pub name: Option<String>,
    /// `priority`.
    pub priority: Option<i64>,
    /// `status` (create only).
    pub status: Option<String>,
    /// Whether `conditions` was sent at all.
    pub has_conditions: bool,
    /// `conditions.people`; `None` when not sent.
    pub people: Option<People>,
    /// `conditions.grantTypes.include`.
    pub grant_types: Option<Vec<String>>,
    /// `conditions.scopes.include`.
    pub scopes: Option<Vec<String>>,
    /// `actions.token.accessTokenLifetimeMinutes`.
    pub access_minutes: Option<i64>,
    /// `actions.token.refreshTokenLifetimeMinutes`.
    pub refresh_minutes: Option<i64>,
    /// `actions.token.refreshTokenWindowMinutes`.
    pub refresh_window_minutes: Option<i64>,
}

struct Checked {
    name: String,
    status: Status,
    people: People,
    grant_types: Vec<GrantType>,
    scopes: Vec<String>,
    token: TokenLifetimes,
}

fn check(input: &RuleInput) -> Result<Checked, Error> {
    let mut causes = Causes::default();
    check_type(&mut causes, input.kind.as_deref(), RULE_TYPE);
    let name = check_name(&mut causes, "name", input.name.as_deref(), 100);
    check_priority(&mut causes, input.priority);
    let status = check_status(&mut causes, input.status.as_deref());
    if !input.has_conditions {
        causes.add("conditions", "The field cannot be left blank");
    }
    let people = input.people.clone().unwrap_or_else(|| People {
        groups_include: vec![EVERYONE.to_owned()],
        ..People::default()
    });
    if input.has_conditions && people.users_include.is_empty() && people.groups_include.is_empty() {
        causes.add(
            "conditions.people",
            "Include at least one user or group (or EVERYONE)",
        );
    }
    let mut grant_types = Vec::new();
    for g in input.grant_types.clone().unwrap_or_default() {
        match GrantType::parse(&g).filter(|g| RULE_GRANTS.contains(g)) {
            Some(g) if !grant_types.contains(&g) => grant_types.push(g),
            Some(_) => {}
            None => causes.add(
                "conditions.grantTypes.include",
                format!("Invalid grant type '{g}'; expected authorization_code, implicit, password or client_credentials"),
            ),
        }
    }
    if input.has_conditions
        && grant_types.is_empty()
        && input.grant_types.as_ref().is_none_or(Vec::is_empty)
    {
        causes.add(
            "conditions.grantTypes.include",
            "Include at least one grant type",
        );
    }
    let scopes: Vec<String> = input
        .scopes
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|s| s.trim().to_owned())
        .collect();
    if input.has_conditions && (scopes.is_empty() || scopes.iter().any(String::is_empty)) {
        causes.add(
            "conditions.scopes.include",
            "Include at least one scope, or *",
        );
    }
    let d = TokenLifetimes::default();
    let token = TokenLifetimes {
        access_minutes: input.access_minutes.unwrap_or(d.access_minutes),
        refresh_minutes: input.refresh_minutes.unwrap_or(d.refresh_minutes),
        refresh_window_minutes: input
            .refresh_window_minutes
            .unwrap_or(d.refresh_window_minutes),
    };
    if !(5..=1440).contains(&token.access_minutes) {
        causes.add(
            "actions.token.accessTokenLifetimeMinutes",
            "Access token lifetime must be between 5 minutes and 1 day",
        );
    }
    if token.refresh_minutes != 0 && token.refresh_minutes < token.access_minutes {
        causes.add(
            "actions.token.refreshTokenLifetimeMinutes",
            "Refresh token lifetime must be unlimited (0) or at least the access token lifetime",
        );
    }
    if !(10..=MAX_REFRESH_WINDOW).contains(&token.refresh_window_minutes) {
        causes.add(
            "actions.token.refreshTokenWindowMinutes",
            "Refresh token window must be between 10 minutes and 5 years",
        );
    }
    causes.finish()?;
    Ok(Checked {
        name,
        status,
        people,
        grant_types,
        scopes,
        token,
    })
}

impl Rule {
    /// A new rule of `policy_id`. The store settles the final priority.
    pub fn create(
        server_id: &AuthServerId,
        policy_id: &PolicyId,
        input: &RuleInput,
        now: Timestamp,
    ) -> Result<Self, Error> {
        let c = check(input)?;
        Ok(Self {
            id: RuleId::generate(),
            policy_id: policy_id.clone(),
            server_id: server_id.clone(),
            name: c.name,
            priority: input.priority.unwrap_or(i64::MAX),
            status: c.status,
            system: false,
            people: c.people,
            grant_types: c.grant_types,
            scopes: c.scopes,
            token: c.token,
            created: now,
            last_updated: now,
        })
    }

    /// Replaces the editable fields (`PUT`); status changes only through the lifecycle.
    pub fn replace(&mut self, input: &RuleInput, now: Timestamp) -> Result<(), Error> {
        let c = check(input)?;
        self.name = c.name;
        if let Some(p) = input.priority {
            self.priority = p;
        }
        self.people = c.people;
        self.grant_types = c.grant_types;
        self.scopes = c.scopes;
        self.token = c.token;
        self.last_updated = now;
        Ok(())
    }

    /// The `Default Policy Rule` of the built-in server's default policy.
    pub fn builtin_default(policy: &super::Policy, now: Timestamp) -> Self {
        Self {
            id: RuleId::generate(),
            policy_id: policy.id.clone(),
            server_id: policy.server_id.clone(),
            name: "Default Policy Rule".to_owned(),
            priority: 1,
            status: Status::Active,
            system: false,
            people: People {
                groups_include: vec![EVERYONE.to_owned()],
                ..People::default()
            },
            grant_types: vec![
                GrantType::Implicit,
                GrantType::ClientCredentials,
                GrantType::AuthorizationCode,
                GrantType::Password,
            ],
            scopes: vec!["*".to_owned()],
            token: TokenLifetimes::default(),
            created: now,
            last_updated: now,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RuleInput {
        RuleInput {
            kind: Some(RULE_TYPE.into()),
            name: Some("r".into()),
            priority: Some(1),
            status: None,
            has_conditions: true,
            people: None,
            grant_types: Some(vec!["authorization_code".into()]),
            scopes: Some(vec!["*".into()]),
            access_minutes: Some(60),
            refresh_minutes: Some(0),
            refresh_window_minutes: Some(10_080),
        }
    }

    #[test]
    fn rule_rules() {
        let now = Timestamp::from_millis(1);
        let s = AuthServerId::from_trusted("default");
        let p = PolicyId::from_trusted("00p1");
        let r = Rule::create(&s, &p, &input(), now).unwrap();
        assert_eq!(r.people.groups_include, vec![EVERYONE.to_owned()]);
        assert_eq!(r.grant_types, vec![GrantType::AuthorizationCode]);
        let cases: &[fn(&mut RuleInput)] = &[
            |i| i.has_conditions = false,
            |i| i.grant_types = Some(vec!["refresh_token".into()]),
            |i| i.grant_types = Some(vec![]),
            |i| i.scopes = Some(vec![]),
            |i| i.access_minutes = Some(4),
            |i| i.access_minutes = Some(1441),
            |i| i.refresh_minutes = Some(30),
            |i| i.refresh_window_minutes = Some(9),
            |i| i.refresh_window_minutes = Some(MAX_REFRESH_WINDOW + 1),
            |i| i.people = Some(People::default()),
            |i| i.kind = Some("SIGN_ON".into()),
            |i| i.name = None,
        ];
        for (n, case) in cases.iter().enumerate() {
            let mut i = input();
            case(&mut i);
            assert!(Rule::create(&s, &p, &i, now).is_err(), "case {n}");
        }
        let mut i = input();
        i.refresh_minutes = Some(60);
        i.refresh_window_minutes = Some(MAX_REFRESH_WINDOW);
        assert!(Rule::create(&s, &p, &i, now).is_ok());
    }
}
