//! What a presented token is, for `/introspect`, `/revoke` and `/userinfo`: one of this
//! server's JWTs (signature and issuer checked; expiry and revocation reported), or one of its
//! refresh tokens.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::token::verify::verify;
use tollgate_store::RefreshToken;

use crate::oauth::error::Refusal;
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// A token this server issued.
#[derive(Debug, Clone)]
pub enum Inspected {
    /// A signed access token or ID token.
    Jwt {
        /// Its claims.
        claims: Map<String, Value>,
        /// `ID.` or `AT.` prefixed.
        jti: String,
        /// `exp`.
        expires_at: Timestamp,
        /// Expired or revoked.
        live: bool,
    },
    /// A refresh token.
    Refresh {
        /// It, with its grant.
        token: Box<RefreshToken>,
        /// Its digest.
        digest: String,
        /// Neither expired, replaced beyond its leeway, nor revoked.
        live: bool,
    },
}

impl Inspected {
    /// Whether the token is an access token.
    pub fn is_access_token(&self) -> bool {
        matches!(self, Self::Jwt { jti, .. } if jti.starts_with("AT."))
    }

    /// The client it was issued to.
    pub fn client_id(&self) -> Option<&str> {
        match self {
            Self::Jwt { claims, .. } => claims
                .get("cid")
                .or_else(|| claims.get("aud"))
                .and_then(Value::as_str),
            Self::Refresh { token, .. } => Some(&token.grant.client_id),
        }
    }

    /// Still usable.
    pub fn live(&self) -> bool {
        match self {
            Self::Jwt { live, .. } | Self::Refresh { live, .. } => *live,
        }
    }
}

/// `token` as this server knows it, or `None` when it is not one of its tokens.
pub async fn inspect(
    state: &AppState,
    server: &AuthServer,
    token: &str,
    leeway_secs: i64,
) -> Result<Option<Inspected>, Refusal> {
    let now = state.clock().now();
    if token.split('.').count() == 3 {
        let keys = state
            .keyring()
            .key_set(&server.id)
            .await
            .map_err(Refusal::internal)?;
        let Ok(claims) = verify(token, keys.public_keys()) else {
            return Ok(None);
        };
        if claims.get("iss").and_then(Value::as_str) != Some(server.issuer.as_str()) {
            return Ok(None);
        }
        let jti = claims
            .get("jti")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
        let expires_at = Timestamp::from_millis(exp.saturating_mul(1000));
        let revoked = jti.starts_with("AT.") && state.store().access_token_revoked(&jti).await?;
        return Ok(Some(Inspected::Jwt {
            live: expires_at > now && !revoked,
            claims,
            jti,
            expires_at,
        }));
    }
    let digest = tollgate_core::secret::sha256_hex(token.as_bytes());
    let Some(found) = state.store().find_refresh_token(&digest).await? else {
        return Ok(None);
    };
    if found.grant.server_id != server.id {
        return Ok(None);
    }
    let replaced_too_long = found
        .replaced_at
        .is_some_and(|r| now.millis() > r.millis() + leeway_secs * 1000);
    let live = found.expires_at > now && found.idle_expires_at > now && !replaced_too_long;
    Ok(Some(Inspected::Refresh {
        token: Box::new(found),
        digest,
        live,
    }))
}
