//! Classifying a management request: from its method and route template (with the path's
//! parameters) to the API family it touches, whether it reads or writes, and its target.
//! Routes added later are covered by their path's family; an unknown family is
//! [`Family::Unknown`], which only a super admin may call.

/// The API families roles are defined over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// `/users` (profiles, lifecycle, a user's groups, sessions and app links).
    Users,
    /// `/groups` (and memberships).
    Groups,
    /// `/groups/rules`.
    GroupRules,
    /// `/apps` and their assignments.
    Apps,
    /// `/authorizationServers` (scopes, claims, policies, rules, keys).
    AuthorizationServers,
    /// `/meta/schemas` and `/meta/types`.
    Schemas,
    /// `/logs`.
    Logs,
    /// `/org`.
    Org,
    /// `/sessions`.
    Sessions,
    /// `/trustedOrigins`.
    TrustedOrigins,
    /// Admin role assignments (`/users/{id}/roles`, `/groups/{id}/roles`).
    Roles,
    /// `/api-tokens`.
    ApiTokens,
    /// `/idps`.
    Idps,
    /// Anything else.
    Unknown,
}

impl Family {
    /// Every family, for tables.
    pub const ALL: [Self; 14] = [
        Self::Users,
        Self::Groups,
        Self::GroupRules,
        Self::Apps,
        Self::AuthorizationServers,
        Self::Schemas,
        Self::Logs,
        Self::Org,
        Self::Sessions,
        Self::TrustedOrigins,
        Self::Roles,
        Self::ApiTokens,
        Self::Idps,
        Self::Unknown,
    ];
}

/// Reading or changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// `GET`, `HEAD`, and calls that only compute (token preview).
    Read,
    /// Everything else.
    Write,
}

/// A write narrower than "manage": what the membership and help-desk roles may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    /// Any other call.
    Other,
    /// Adding a user to a group or removing one.
    Membership,
    /// Resetting a password or factors, unlocking, expiring a password, ending sessions.
    HelpDesk,
}

/// The object a call is about, when the path names one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// None (a collection: list or create).
    None,
    /// A user by id or login.
    User(String),
    /// A group.
    Group(String),
    /// An app instance.
    App(String),
    /// The caller itself: `GET /users/me`, `DELETE /api-tokens/current`.
    Me,
}

/// A classified management call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    /// The family.
    pub family: Family,
    /// Read or write.
    pub access: Access,
    /// The narrower kind of write, if any.
    pub op: Op,
    /// What it is about.
    pub target: Target,
}

impl Action {
    /// An action with no narrower kind.
    pub fn new(family: Family, access: Access, target: Target) -> Self {
        Self {
            family,
            access,
            op: Op::Other,
            target,
        }
    }
}

/// User lifecycle operations a help-desk admin may run.
const HELP_DESK_OPS: [&str; 5] = [
    "reset_password",
    "unlock",
    "expire_password",
    "expire_password_with_temp_password",
    "reset_factors",
];

/// Classifies `method` on a route `template` (`/api/v1/users/{id}/lifecycle/{op}`), with
/// `param` giving the value of each `{name}` of the request's path.
pub fn classify<'a>(
    method: &str,
    template: &str,
    param: impl Fn(&str) -> Option<&'a str>,
) -> Action {
    let read = matches!(method, "GET" | "HEAD" | "OPTIONS");
    let access = if read { Access::Read } else { Access::Write };
    let rest = template.strip_prefix("/api/v1/").unwrap_or_default();
    let segs: Vec<&str> = rest.split('/').collect();
    let seg = |i: usize| segs.get(i).copied().unwrap_or_default();
    let value = |i: usize| -> Option<String> {
        let s = seg(i);
        let name = s.strip_prefix('{')?.strip_suffix('}')?;
        param(name).map(str::to_owned)
    };
    let target_of = |make: fn(String) -> Target| value(1).map_or(Target::None, make);
    match seg(0) {
        "users" if seg(2) == "roles" => Action::new(Family::Roles, access, target_of(Target::User)),
        "users" if read && segs.len() == 2 && value(1).as_deref() == Some("me") => {
            Action::new(Family::Users, access, Target::Me)
        }
        "users" => {
            let help_desk = (seg(2) == "lifecycle"
                && value(3).is_some_and(|op| HELP_DESK_OPS.contains(&op.as_str())))
                || (seg(2) == "sessions" && !read);
            Action {
                op: if help_desk { Op::HelpDesk } else { Op::Other },
                ..Action::new(Family::Users, access, target_of(Target::User))
            }
        }
        "groups" if seg(1) == "rules" => Action::new(Family::GroupRules, access, Target::None),
        "groups" if seg(2) == "roles" => {
            Action::new(Family::Roles, access, target_of(Target::Group))
        }
        "groups" => Action {
            op: if seg(2) == "users" && segs.len() == 4 && !read {
                Op::Membership
            } else {
                Op::Other
            },
            ..Action::new(Family::Groups, access, target_of(Target::Group))
        },
        "apps" => Action::new(Family::Apps, access, target_of(Target::App)),
        "internal" if seg(1) == "apps" => Action::new(
            Family::Apps,
            access,
            value(2).map_or(Target::None, Target::App),
        ),
        "authorizationServers" => {
            let preview = segs.last() == Some(&"tokenPreview");
            let access = if preview { Access::Read } else { access };
            Action::new(Family::AuthorizationServers, access, Target::None)
        }
        "meta" => Action::new(Family::Schemas, access, Target::None),
        "logs" => Action::new(Family::Logs, access, Target::None),
        "org" => Action::new(Family::Org, access, Target::None),
        "sessions" => Action::new(Family::Sessions, access, Target::None),
        "trustedOrigins" => Action::new(Family::TrustedOrigins, access, Target::None),
        "api-tokens" if seg(1) == "current" => Action::new(Family::ApiTokens, access, Target::Me),
        "api-tokens" => Action::new(Family::ApiTokens, access, Target::None),
        "idps" => Action::new(Family::Idps, access, Target::None),
        "roles" | "iam" => Action::new(Family::Roles, access, Target::None),
        _ => Action::new(Family::Unknown, access, Target::None),
    }
}
