//! The expression context of a token request: the user, app user, session, org and scopes, with
//! the groups and the app converted once (or taken from the shared cache).

use serde_json::{Map, json};
use time::OffsetDateTime;

use super::Subject;
use crate::expr;
use crate::oauth::expr_values::{expr_app, expr_group, expr_user, odt};

/// The expression context for `subject` (built once per request).
pub fn context(subject: &Subject<'_>) -> expr::Context {
    base_context(subject)
        .groups(subject.groups.iter().map(expr_group))
        .app(expr_app(subject.app))
        .build()
}

/// The same context, with the groups and the app taken from `cache` (converted once, then
/// shared by every request while they are unchanged).
pub fn context_cached(
    subject: &Subject<'_>,
    cache: &crate::oauth::prepared::ContextCache,
) -> expr::Context {
    base_context(subject)
        .group_set(cache.group_set(subject.groups))
        .prepared_app(cache.app(subject.app))
        .build()
}

/// Everything but the groups and the app.
fn base_context(subject: &Subject<'_>) -> expr::ContextBuilder {
    let now = odt(subject.now).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let mut b = expr::Context::builder(now)
        .org(expr::Org::new(
            subject.org.company_name.clone(),
            subject.org.subdomain.clone(),
        ))
        .scopes(subject.scopes.to_vec());
    if let Some(u) = subject.user {
        b = b.user(expr_user(u));
        let mut app_user = Map::new();
        app_user.insert(
            "userName".into(),
            json!(subject.app_user_name.unwrap_or(u.login())),
        );
        b = b.app_user(app_user);
    }
    if let Some((id, amr)) = subject.session {
        b = b.session(expr::Session::new(Some(id.to_owned()), amr.to_vec()));
    }
    b
}
