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
    /// An app's Assignments tab: the people assigned.
    ViewAppUsers,
    /// An app's Assignments tab: the groups assigned.
    ViewAppGroups,
    /// Assigning a person to an app.
    AssignUser,
    /// Removing a person's assignment to an app.
    UnassignUser,
    /// Assigning a group to an app.
    AssignGroup,
    /// Removing a group's assignment to an app.
    UnassignGroup,
    /// Reports > System Log.
    ListLogs,
    /// Security > API > Tokens.
    ListApiTokens,
    /// Create Token.
    CreateApiToken,
    /// Revoking a token.
    RevokeApiToken,
    /// Security > API > Authorization Servers.
    ListAuthServers,
    /// Add Authorization Server.
    CreateAuthServer,
    /// A server's Settings tab.
    ViewAuthServer,
    /// Saving a server's settings.
    SaveAuthServer,
    /// Activating a server.
    ActivateAuthServer,
    /// Deactivating a server.
    DeactivateAuthServer,
    /// A server's Scopes tab.
    ListScopes,
    /// Add Scope.
    CreateScope,
    /// Deleting a scope.
    DeleteScope,
    /// A server's Claims tab.
    ListClaims,
    /// Add Claim.
    CreateClaim,
    /// A claim's edit form.
    ViewClaim,
    /// Saving a claim.
    SaveClaim,
    /// Deleting a claim.
    DeleteClaim,
    /// A server's Access Policies tab, with each policy's rules.
    ListPolicies,
    /// Add Policy.
    CreatePolicy,
    /// Deleting a policy and its rules.
    DeletePolicy,
    /// Add Rule.
    CreateRule,
    /// Deleting a rule.
    DeleteRule,
    /// A server's Keys tab.
    ListKeys,
    /// Rotate Keys.
    RotateKeys,
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
    /// Security > API > Trusted Origins.
    ListTrustedOrigins,
    /// Add Origin.
    CreateTrustedOrigin,
    /// An origin's edit form.
    ViewTrustedOrigin,
    /// Saving an origin.
    ReplaceTrustedOrigin,
    /// Activating an origin.
    ActivateTrustedOrigin,
    /// Deactivating an origin.
    DeactivateTrustedOrigin,
    /// Deleting an origin.
    DeleteTrustedOrigin,
    /// Edit Scope: the form.
    ViewScope,
    /// Saving a scope.
    SaveScope,
    /// Edit Policy: the form.
    ViewPolicy,
    /// Saving a policy.
    SavePolicy,
    /// Edit Rule: the form.
    ViewRule,
    /// Saving a rule.
    SaveRule,
}

impl ConsoleAction {
    /// The equivalent API call: method and route template.
    pub fn api_call(self) -> (&'static str, &'static str) {
        const SIGN_ON: &str = "/api/v1/internal/apps/{id}/settings/oauth/idToken";
        const S: &str = "/api/v1/authorizationServers";
        const ONE: &str = "/api/v1/authorizationServers/{id}";
        const SCOPES: &str = "/api/v1/authorizationServers/{id}/scopes";
        const CLAIMS: &str = "/api/v1/authorizationServers/{id}/claims";
        const CLAIM: &str = "/api/v1/authorizationServers/{id}/claims/{claim_id}";
        const POLICIES: &str = "/api/v1/authorizationServers/{id}/policies";
        const RULES: &str = "/api/v1/authorizationServers/{id}/policies/{policy_id}/rules";
        const SCOPE: &str = "/api/v1/authorizationServers/{id}/scopes/{scope_id}";
        const POLICY: &str = "/api/v1/authorizationServers/{id}/policies/{policy_id}";
        const RULE: &str = "/api/v1/authorizationServers/{id}/policies/{policy_id}/rules/{rule_id}";
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
            Self::ViewAppUsers => ("GET", "/api/v1/apps/{id}/users"),
            Self::ViewAppGroups => ("GET", "/api/v1/apps/{id}/groups"),
            Self::AssignUser => ("POST", "/api/v1/apps/{id}/users"),
            Self::UnassignUser => ("DELETE", "/api/v1/apps/{id}/users/{user_id}"),
            Self::AssignGroup => ("PUT", "/api/v1/apps/{id}/groups/{group_id}"),
            Self::UnassignGroup => ("DELETE", "/api/v1/apps/{id}/groups/{group_id}"),
            Self::ListLogs => ("GET", "/api/v1/logs"),
            Self::ListApiTokens => ("GET", "/api/v1/api-tokens"),
            Self::CreateApiToken => ("POST", "/api/v1/api-tokens"),
            Self::RevokeApiToken => ("DELETE", "/api/v1/api-tokens/{id}"),
            Self::ListAuthServers => ("GET", S),
            Self::CreateAuthServer => ("POST", S),
            Self::ViewAuthServer => ("GET", ONE),
            Self::SaveAuthServer => ("PUT", ONE),
            Self::ActivateAuthServer => (
                "POST",
                "/api/v1/authorizationServers/{id}/lifecycle/activate",
            ),
            Self::DeactivateAuthServer => (
                "POST",
                "/api/v1/authorizationServers/{id}/lifecycle/deactivate",
            ),
            Self::ListScopes => ("GET", SCOPES),
            Self::CreateScope => ("POST", SCOPES),
            Self::DeleteScope => (
                "DELETE",
                "/api/v1/authorizationServers/{id}/scopes/{scope_id}",
            ),
            Self::ListClaims => ("GET", CLAIMS),
            Self::CreateClaim => ("POST", CLAIMS),
            Self::ViewClaim => ("GET", CLAIM),
            Self::SaveClaim => ("PUT", CLAIM),
            Self::DeleteClaim => ("DELETE", CLAIM),
            Self::ListPolicies => ("GET", POLICIES),
            Self::CreatePolicy => ("POST", POLICIES),
            Self::DeletePolicy => (
                "DELETE",
                "/api/v1/authorizationServers/{id}/policies/{policy_id}",
            ),
            Self::CreateRule => ("POST", RULES),
            Self::DeleteRule => (
                "DELETE",
                "/api/v1/authorizationServers/{id}/policies/{policy_id}/rules/{rule_id}",
            ),
            Self::ListKeys => ("GET", "/api/v1/authorizationServers/{id}/credentials/keys"),
            Self::RotateKeys => (
                "POST",
                "/api/v1/authorizationServers/{id}/credentials/lifecycle/keyRotate",
            ),
            Self::ListGroupRules => ("GET", "/api/v1/groups/rules"),
            Self::CreateGroupRule => ("POST", "/api/v1/groups/rules"),
            Self::ReplaceGroupRule => ("PUT", "/api/v1/groups/rules/{id}"),
            Self::GroupRuleLifecycle(_) => ("POST", "/api/v1/groups/rules/{id}/lifecycle/{op}"),
            Self::DeleteGroupRule => ("DELETE", "/api/v1/groups/rules/{id}"),
            Self::PreviewToken => ("POST", "/api/v1/authorizationServers/{id}/tokenPreview"),
            Self::ListTrustedOrigins => ("GET", "/api/v1/trustedOrigins"),
            Self::CreateTrustedOrigin => ("POST", "/api/v1/trustedOrigins"),
            Self::ViewTrustedOrigin => ("GET", "/api/v1/trustedOrigins/{id}"),
            Self::ReplaceTrustedOrigin => ("PUT", "/api/v1/trustedOrigins/{id}"),
            Self::ActivateTrustedOrigin => {
                ("POST", "/api/v1/trustedOrigins/{id}/lifecycle/activate")
            }
            Self::DeactivateTrustedOrigin => {
                ("POST", "/api/v1/trustedOrigins/{id}/lifecycle/deactivate")
            }
            Self::DeleteTrustedOrigin => ("DELETE", "/api/v1/trustedOrigins/{id}"),
            Self::ViewScope => ("GET", SCOPE),
            Self::SaveScope => ("PUT", SCOPE),
            Self::ViewPolicy => ("GET", POLICY),
            Self::SavePolicy => ("PUT", POLICY),
            Self::ViewRule => ("GET", RULE),
            Self::SaveRule => ("PUT", RULE),
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
