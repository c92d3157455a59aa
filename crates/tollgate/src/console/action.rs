//! What each console page does, named by the management API call it stands for, so that the
//! API's own authorization decision answers whether an admin may do it.

/// What a console page does, named by the management API call it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsoleAction {
    /// Applications > Applications.
    ListApps,
    /// An app's General tab.
    ViewApp,
    /// Saving an app's profile.
    SaveApp,
    /// An app's Sign On tab.
    ViewSignOn,
    /// Saving an app's ID token groups claim.
    SaveSignOn,
    /// Generating, activating, deactivating or deleting an app's client secrets.
    ManageSecrets,
    /// Create App Integration.
    CreateApp,
    /// Directory > People.
    ListUsers,
    /// Add person.
    CreateUser,
    /// A person's page, with their groups.
    ViewUser,
    /// Saving a person's profile.
    SaveUser,
    /// A lifecycle operation on a person (`activate`, `reset_password`, ...).
    UserLifecycle(&'static str),
    /// Deleting a deactivated person.
    DeleteUser,
    /// Directory > Groups.
    ListGroups,
    /// Add group.
    CreateGroup,
    /// A group's page, with its members.
    ViewGroup,
    /// A group's applications.
    ViewGroupApps,
    /// Adding a person to a group.
    AddMember,
    /// Removing a person from a group.
    RemoveMember,
    /// Directory > Groups > Rules.
    ListGroupRules,
    /// Add Rule.
    CreateGroupRule,
    /// Editing an inactive rule.
    ReplaceGroupRule,
    /// Activating (`activate`) or deactivating (`deactivate`) a rule.
    GroupRuleLifecycle(&'static str),
    /// Deleting a rule.
    DeleteGroupRule,
    /// Token Preview of an authorization server.
    PreviewToken,
}

impl ConsoleAction {
    /// The equivalent API call: method and route template.
    pub fn api_call(self) -> (&'static str, &'static str) {
        const SIGN_ON: &str = "/api/v1/internal/apps/{id}/settings/oauth/idToken";
        match self {
            Self::ListApps => ("GET", "/api/v1/apps"),
            Self::ViewApp => ("GET", "/api/v1/apps/{id}"),
            Self::SaveApp => ("PUT", "/api/v1/apps/{id}"),
            Self::ViewSignOn => ("GET", SIGN_ON),
            Self::SaveSignOn => ("POST", SIGN_ON),
            Self::ManageSecrets => ("POST", "/api/v1/apps/{id}/credentials/secrets"),
            Self::CreateApp => ("POST", "/api/v1/apps"),
            Self::ListUsers => ("GET", "/api/v1/users"),
            Self::CreateUser => ("POST", "/api/v1/users"),
            Self::ViewUser => ("GET", "/api/v1/users/{id}"),
            Self::SaveUser => ("POST", "/api/v1/users/{id}"),
            Self::UserLifecycle(_) => ("POST", "/api/v1/users/{id}/lifecycle/{op}"),
            Self::DeleteUser => ("DELETE", "/api/v1/users/{id}"),
            Self::ListGroups => ("GET", "/api/v1/groups"),
            Self::CreateGroup => ("POST", "/api/v1/groups"),
            Self::ViewGroup => ("GET", "/api/v1/groups/{id}/users"),
            Self::ViewGroupApps => ("GET", "/api/v1/groups/{id}/apps"),
            Self::AddMember => ("PUT", "/api/v1/groups/{id}/users/{userId}"),
            Self::RemoveMember => ("DELETE", "/api/v1/groups/{id}/users/{userId}"),
            Self::ListGroupRules => ("GET", "/api/v1/groups/rules"),
            Self::CreateGroupRule => ("POST", "/api/v1/groups/rules"),
            Self::ReplaceGroupRule => ("PUT", "/api/v1/groups/rules/{id}"),
            Self::GroupRuleLifecycle(_) => ("POST", "/api/v1/groups/rules/{id}/lifecycle/{op}"),
            Self::DeleteGroupRule => ("DELETE", "/api/v1/groups/rules/{id}"),
            Self::PreviewToken => ("POST", "/api/v1/authorizationServers/{id}/tokenPreview"),
        }
    }

    /// The path parameters of the equivalent call, given the `{id}` it acts on.
    pub fn params(self, id: Option<&str>) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = id
            .map(|id| ("id".to_owned(), id.to_owned()))
            .into_iter()
            .collect();
        if let Self::UserLifecycle(op) | Self::GroupRuleLifecycle(op) = self {
            params.push(("op".to_owned(), op.to_owned()));
        }
        params
    }
}
