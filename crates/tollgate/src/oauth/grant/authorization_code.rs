//! `grant_type=authorization_code` (RFC 6749 4.1.3, RFC 7636 4.6): the code is redeemed once
//! (a replay revokes what it issued), checked against the request by core, and exchanged for
//! the tokens its grant remembered, for a user who is still active.

use tollgate_core::app::App;
use tollgate_core::oauth::code_exchange::{self, BAD_CODE, IssuedCode};
use tollgate_core::oauth::decision::Decision;
use tollgate_core::oauth::refresh::gets_refresh_token;
use tollgate_core::secret::sha256_hex;
use tollgate_store::CodeRedemption;

use crate::oauth::error::{OAuthCode, Refusal};
use crate::oauth::grant::{Issued, grant_person, id_shape, issue_refresh_token};
use crate::oauth::mint::{Want, mint};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// What the token request presented.
#[derive(Debug, Clone, Copy)]
pub struct Exchange<'a> {
    /// `code`.
    pub code: &'a str,
    /// `redirect_uri`.
    pub redirect_uri: Option<&'a str>,
    /// `code_verifier`.
    pub code_verifier: Option<&'a str>,
}

/// Exchanges a code for tokens.
pub async fn issue(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    request: Exchange<'_>,
) -> Result<Issued, Refusal> {
    let invalid = |why: &str| Refusal::new(OAuthCode::InvalidGrant, BAD_CODE).because(why);
    let now = state.clock().now();
    let digest = sha256_hex(request.code.as_bytes());
    let (grant, redirect_uri, challenge) = match state.store().redeem_code(&digest, now).await? {
        CodeRedemption::Fresh {
            grant,
            redirect_uri,
            code_challenge,
        } => (grant, redirect_uri, code_challenge),
        CodeRedemption::Replayed => {
            return Err(invalid(
                "the authorization code was already used; the tokens it issued are revoked",
            ));
        }
        CodeRedemption::Invalid => return Err(invalid("unknown or expired code")),
    };
    code_exchange::check(
        IssuedCode {
            grant: &grant,
            redirect_uri: &redirect_uri,
            code_challenge: challenge.as_deref(),
        },
        code_exchange::Presented {
            server_id: &server.id,
            client_id: &app.credentials.client_id,
            redirect_uri: request.redirect_uri,
            code_verifier: request.code_verifier,
        },
    )?;
    let Some(person) = grant_person(state, &grant).await? else {
        return Err(invalid("the user is no longer active"));
    };
    let decision = Decision::remembered(grant.scopes.clone(), grant.lifetimes);
    let want = Want {
        access: true,
        id: Some(id_shape(server)),
        nonce: grant.nonce.as_deref(),
        code: None,
        grant_id: Some(&grant.id),
    };
    let minted = mint(state, server, app, Some(&person), &decision, want).await?;
    let refresh_token = if gets_refresh_token(app, &decision.scopes) {
        Some(issue_refresh_token(state, &grant).await?)
    } else {
        None
    };
    Ok(Issued {
        person: Some(person),
        decision,
        minted,
        refresh_token,
    })
}
