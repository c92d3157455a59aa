//! The authorization decision: may an admin holding these roles make this call?

use super::access::{Access, Action, Family, Op, Target};
use super::role::{AppTarget, RoleType};

/// One role an admin holds (directly or through a group), with its targets; empty targets
/// mean the role is not narrowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The role.
    pub role: RoleType,
    /// Group targets (ids).
    pub groups: Vec<String>,
    /// App targets.
    pub apps: Vec<AppTarget>,
}

impl Grant {
    /// A role with no targets.
    pub fn plain(role: RoleType) -> Self {
        Self {
            role,
            groups: Vec::new(),
            apps: Vec::new(),
        }
    }
}

/// What the decision may need to know about the target, loaded by the caller only when
/// [`needs_user_groups`] or [`needs_app_name`] says so.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// The ids of the target user's groups.
    pub user_groups: Option<&'a [String]>,
    /// The catalog name of the target app.
    pub app_name: Option<&'a str>,
}

/// How far a role reaches into a family for one kind of access.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    No,
    /// Everything, targets notwithstanding.
    All,
    /// What the role's targets allow (everything when it has none).
    Targeted,
}

/// The role table: what each role may do to each family.
fn reach(role: RoleType, family: Family, access: Access, op: Op) -> Reach {
    use Family as F;
    use Reach::{All, No, Targeted};
    use RoleType as R;
    let read = access == Access::Read;
    match role {
        R::SuperAdmin => All,
        R::ReadOnlyAdmin => match family {
            F::ApiTokens | F::Unknown => No,
            _ if read => All,
            _ => No,
        },
        R::OrgAdmin => match family {
            F::Users
            | F::Groups
            | F::GroupRules
            | F::Apps
            | F::Schemas
            | F::Logs
            | F::Org
            | F::Sessions
            | F::TrustedOrigins
            | F::Idps => All,
            F::AuthorizationServers | F::Roles | F::ApiTokens if read => All,
            _ => No,
        },
        R::AppAdmin => match family {
            F::Apps if read => All,
            F::Apps => Targeted,
            F::Users | F::Groups | F::Schemas if read => All,
            _ => No,
        },
        R::UserAdmin => match family {
            F::Users | F::Groups | F::Schemas | F::GroupRules if read => All,
            F::Users | F::Groups => Targeted,
            _ => No,
        },
        R::GroupMembershipAdmin => match family {
            F::Users | F::Groups if read => All,
            F::Groups if op == Op::Membership => Targeted,
            _ => No,
        },
        R::HelpDeskAdmin => match family {
            F::Users | F::Groups if read => All,
            F::Users if op == Op::HelpDesk => Targeted,
            _ => No,
        },
        R::ApiAccessManagementAdmin => match family {
            F::AuthorizationServers => All,
            F::Apps | F::Users | F::Groups if read => All,
            _ => No,
        },
        R::ReportAdmin => match family {
            F::Logs if read => All,
            _ => No,
        },
    }
}

/// Whether a targeted grant covers the call's target.
fn within_targets(grant: &Grant, target: &Target, facts: &Facts<'_>) -> bool {
    if grant.groups.is_empty() && grant.apps.is_empty() {
        return true;
    }
    match target {
        Target::Group(id) => grant.groups.iter().any(|g| g == id),
        Target::User(_) => facts
            .user_groups
            .is_some_and(|mine| mine.iter().any(|g| grant.groups.contains(g))),
        Target::App(id) => grant.apps.iter().any(|a| match &a.id {
            Some(instance) => instance == id,
            None => facts.app_name == Some(a.name.as_str()),
        }),
        Target::None | Target::Me => false,
    }
}

/// The decision: whether an admin holding `grants` may make the call `action`. An admin
/// with no role may do nothing; any admin may read itself and revoke the token it calls with.
pub fn permits(grants: &[Grant], action: &Action, facts: &Facts<'_>) -> bool {
    if grants.is_empty() {
        return false;
    }
    if action.target == Target::Me {
        return true;
    }
    grants.iter().any(
        |g| match reach(g.role, action.family, action.access, action.op) {
            Reach::No => false,
            Reach::All => true,
            Reach::Targeted => within_targets(g, &action.target, facts),
        },
    )
}

/// Whether the decision needs the target user's groups (a group-targeted grant that could
/// allow a call about a user).
pub fn needs_user_groups(grants: &[Grant], action: &Action) -> bool {
    matches!(action.target, Target::User(_))
        && grants.iter().any(|g| {
            !g.groups.is_empty()
                && reach(g.role, action.family, action.access, action.op) == Reach::Targeted
        })
}

/// Whether the decision needs the target app's catalog name.
pub fn needs_app_name(grants: &[Grant], action: &Action) -> bool {
    matches!(action.target, Target::App(_))
        && grants.iter().any(|g| {
            g.apps.iter().any(|a| a.id.is_none())
                && reach(g.role, action.family, action.access, action.op) == Reach::Targeted
        })
}
