//! Deciding a request: the scopes must exist on the server, the user (when there is one) must
//! be assigned to the app, and then the org server grants what was asked while a custom server
//! asks its policies (`tollgate_core::oauth::policy`). Loads what the decision needs; the rules
//! are core's.
//!
//! Reference: `oauth-endpoints.md` sections 5 and 6.

use std::sync::Arc;

use axum::http::StatusCode;
use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::directory::{Group, User};
use tollgate_core::oauth::decision::{Decision, NOT_ASSIGNED, check_known_scopes, policy_refusal};
use tollgate_core::oauth::policy::{self, Denied, Person as PolicyPerson};

use crate::oauth::error::{OAuthCode, Refusal};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// The user a token is for, as a session knows them.
#[derive(Debug, Clone)]
pub struct Person {
    /// The user.
    pub user: User,
    /// Their groups, `Everyone` included (shared with the group cache while unchanged).
    pub groups: Arc<[Group]>,
    /// When they authenticated.
    pub auth_time: Option<Timestamp>,
    /// How.
    pub amr: Vec<String>,
    /// The browser session, if any.
    pub session_id: Option<String>,
}

impl Person {
    /// `user` with their current groups.
    pub async fn load(
        state: &AppState,
        user: User,
        auth_time: Option<Timestamp>,
        amr: Vec<String>,
        session_id: Option<String>,
    ) -> Result<Self, Refusal> {
        let groups = state.caches().user_groups(user.id.as_str()).await?;
        Ok(Self {
            user,
            groups,
            auth_time,
            amr,
            session_id,
        })
    }
}

/// Why a request was not granted: the refusal, and the policy trail when a policy said no.
#[derive(Debug)]
pub struct Denial {
    /// What the client is told.
    pub refusal: Refusal,
    /// The policy engine's answer, when it was the policy.
    pub policy: Option<Denied>,
}

impl From<Refusal> for Denial {
    fn from(refusal: Refusal) -> Self {
        Self {
            refusal,
            policy: None,
        }
    }
}

impl From<Denial> for Refusal {
    fn from(d: Denial) -> Self {
        d.refusal
    }
}

/// Decides a request, keeping the policy trail of a denial (token preview shows it).
pub async fn decide_explained(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: Option<&Person>,
    grant: GrantType,
    requested: &[String],
) -> Result<Decision, Denial> {
    check_known_scopes(requested, &|s| server.knows_scope(s)).map_err(Refusal::from)?;
    if let Some(p) = person
        && !state
            .store()
            .is_user_assigned(app.id.as_str(), p.user.id.as_str())
            .await
            .map_err(Refusal::from)?
    {
        return Err(Refusal::new(OAuthCode::AccessDenied, NOT_ASSIGNED).into());
    }
    let Some(config) = server.config() else {
        return Ok(Decision::org_server(requested));
    };
    let request = policy::Request {
        client_id: &app.credentials.client_id,
        grant,
        scopes: requested,
        person: person.map(|p| PolicyPerson {
            user_id: p.user.id.as_str(),
            group_ids: &p.groups,
        }),
    };
    policy::evaluate(&config.policies, &request)
        .map(Decision::from_policy)
        .map_err(|denied| {
            let (error, unauthorized) = policy_refusal(&denied);
            let status = if unauthorized {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            };
            Denial {
                refusal: Refusal::from(error).with_status(status),
                policy: Some(denied),
            }
        })
}

/// Decides a request.
pub async fn decide(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: Option<&Person>,
    grant: GrantType,
    requested: &[String],
) -> Result<Decision, Refusal> {
    Ok(decide_explained(state, server, app, person, grant, requested).await?)
}
