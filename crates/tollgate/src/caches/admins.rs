//! API tokens with the admin they act as and that admin's roles, so a management call costs
//! no query to authenticate while nothing changed (see the module above for how long a change
//! made through another process may go unseen).

use tollgate_core::admin::Grant;
use tollgate_core::directory::User;
use tollgate_store::{ApiTokenRecord, Store};

/// A token that works: its record, its owner and the owner's roles (own and through groups).
#[derive(Debug)]
pub struct TokenAdmin {
    /// The token (never its secret).
    pub token: ApiTokenRecord,
    /// The admin user it acts as.
    pub user: User,
    /// The roles it acts with; never empty.
    pub grants: Vec<Grant>,
}

/// Reads the token with `digest`: `None` when there is none, it has no owner, its owner is
/// deactivated or suspended, or its owner holds no admin role.
pub async fn load(store: &Store, digest: &str) -> tollgate_store::Result<Option<TokenAdmin>> {
    let Some(token) = store.find_api_token(digest).await? else {
        return Ok(None);
    };
    let Some(user_id) = token.user_id.clone() else {
        return Ok(None);
    };
    let Some(user) = store.find_user(&user_id).await? else {
        return Ok(None);
    };
    if !crate::http::authorize::owner_may_call(user.status) {
        return Ok(None);
    }
    let grants = store.grants_of_user(&user_id).await?;
    if grants.is_empty() {
        return Ok(None);
    }
    Ok(Some(TokenAdmin {
        token,
        user,
        grants,
    }))
}
