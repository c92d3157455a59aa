//! Tollgate's objects as the expression language sees them: groups, apps and timestamps
//! converted to `tollgate_expr` values. Shared by claim assembly and the prepared caches.

use time::OffsetDateTime;

use crate::clock::Timestamp;
use crate::directory::{Group, GroupType};
use crate::expr;

pub(crate) fn odt(t: Timestamp) -> Option<OffsetDateTime> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(t.millis()) * 1_000_000).ok()
}

pub(crate) fn expr_group(g: &Group) -> expr::Group {
    let kind = match g.kind {
        GroupType::OktaGroup => expr::GroupType::OktaGroup,
        GroupType::BuiltIn => expr::GroupType::BuiltIn,
        GroupType::AppGroup => expr::GroupType::AppGroup,
    };
    let mut eg = expr::Group::new(g.id.as_str(), g.name(), kind);
    eg.description = g.description().map(str::to_owned);
    eg.created = odt(g.created);
    eg.last_updated = odt(g.last_updated);
    eg.last_membership_updated = odt(g.last_membership_updated);
    eg.source = g
        .source_app
        .as_ref()
        .map(|a| expr::GroupSource::new(a.as_str(), None));
    // The expression side answers `name` and `description` itself; copying only the other
    // attributes keeps a typical group (no others) free of a profile allocation.
    eg.profile = g
        .profile
        .iter()
        .filter(|(k, _)| k.as_str() != "name" && k.as_str() != "description")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    eg
}

/// A user with its profile and timestamps (claims and group rules read the same fields).
pub(crate) fn expr_user(u: &crate::directory::User) -> expr::User {
    let mut eu = expr::User::new(u.id.as_str(), u.status.as_str());
    eu.created = odt(u.created);
    eu.last_updated = odt(u.last_updated);
    eu.password_changed = u.password_changed.and_then(odt);
    eu.last_login = u.last_login.and_then(odt);
    eu.profile = u.profile.clone();
    eu
}

pub(crate) fn expr_app(a: &crate::app::App) -> expr::App {
    let mut app = expr::App::new(a.id.as_str(), a.credentials.client_id.clone());
    app.profile = a.profile.clone();
    app
}
