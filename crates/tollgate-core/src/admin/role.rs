//! Okta's standard admin role types, their labels and assignment ids.

/// A standard admin role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleType {
    /// Everything, including assigning roles.
    SuperAdmin,
    /// The whole directory, apps and org settings; not authorization servers or roles.
    OrgAdmin,
    /// Apps (optionally only some: app targets).
    AppAdmin,
    /// Users and groups (optionally only those of some groups: group targets).
    UserAdmin,
    /// Group memberships (optionally of some groups).
    GroupMembershipAdmin,
    /// Password resets, unlocks and sessions (optionally of some groups' users).
    HelpDeskAdmin,
    /// Reads everything.
    ReadOnlyAdmin,
    /// Authorization servers.
    ApiAccessManagementAdmin,
    /// The System Log.
    ReportAdmin,
}

/// What a role's targets name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// Groups (`/targets/groups`).
    Groups,
    /// Catalog apps or app instances (`/targets/catalog/apps`).
    Apps,
}

/// An app target: every instance of a catalog app (`id` none) or one instance.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppTarget {
    /// The catalog name (`oidc_client`, ...).
    pub name: String,
    /// One instance of it.
    pub id: Option<String>,
}

impl RoleType {
    /// Every standard role, in Okta's documentation order.
    pub const ALL: [Self; 9] = [
        Self::SuperAdmin,
        Self::OrgAdmin,
        Self::AppAdmin,
        Self::UserAdmin,
        Self::GroupMembershipAdmin,
        Self::HelpDeskAdmin,
        Self::ReadOnlyAdmin,
        Self::ApiAccessManagementAdmin,
        Self::ReportAdmin,
    ];

    /// Okta's wire name (`type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SuperAdmin => "SUPER_ADMIN",
            Self::OrgAdmin => "ORG_ADMIN",
            Self::AppAdmin => "APP_ADMIN",
            Self::UserAdmin => "USER_ADMIN",
            Self::GroupMembershipAdmin => "GROUP_MEMBERSHIP_ADMIN",
            Self::HelpDeskAdmin => "HELP_DESK_ADMIN",
            Self::ReadOnlyAdmin => "READ_ONLY_ADMIN",
            Self::ApiAccessManagementAdmin => "API_ACCESS_MANAGEMENT_ADMIN",
            Self::ReportAdmin => "REPORT_ADMIN",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Okta's `label`.
    pub fn label(self) -> &'static str {
        match self {
            Self::SuperAdmin => "Super Organization Administrator",
            Self::OrgAdmin => "Organizational Administrator",
            Self::AppAdmin => "Application Administrator",
            Self::UserAdmin => "User Administrator",
            Self::GroupMembershipAdmin => "Group Membership Administrator",
            Self::HelpDeskAdmin => "Help Desk Administrator",
            Self::ReadOnlyAdmin => "Read-only Administrator",
            Self::ApiAccessManagementAdmin => "API Access Management Administrator",
            Self::ReportAdmin => "Report Administrator",
        }
    }

    /// The assignment id Okta gives a standard role: its type in base32 without padding
    /// (`USER_ADMIN` is `KVJUKUS7IFCE2SKO`), the same for every assignee.
    pub fn assignment_id(self) -> String {
        base32(self.as_str().as_bytes())
    }

    /// The role an assignment id names.
    pub fn from_assignment_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.assignment_id() == id)
    }

    /// What the role's targets may name, if it has any.
    pub fn target_kind(self) -> Option<TargetKind> {
        match self {
            Self::UserAdmin | Self::GroupMembershipAdmin | Self::HelpDeskAdmin => {
                Some(TargetKind::Groups)
            }
            Self::AppAdmin => Some(TargetKind::Apps),
            _ => None,
        }
    }
}

/// RFC 4648 base32, upper case, no padding.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let symbol = |v: u32| {
        ALPHABET
            .get((v & 31) as usize)
            .map_or('A', |b| char::from(*b))
    };
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(symbol(buffer >> bits));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(symbol(buffer << (5 - bits)));
    }
    out
}
