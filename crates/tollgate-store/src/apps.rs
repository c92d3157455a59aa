//! Apps (OpenID Connect clients and, with their `template` JSON, the other kinds). The client secret is stored only as its SHA-256 digest; settings and
//! profile are JSON text, so the profile comes back with its keys in the order they were sent.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::app::client::AuthMethod;
use tollgate_core::app::client_secrets::ClientSecrets;
use tollgate_core::app::logo::LogoRef;
use tollgate_core::app::{App, AppStatus, ClientCredentials, ClientSettings, TemplateApp};
use tollgate_core::id::{AppId, AppLinkId};
use tollgate_core::log::LogEvent;
use tollgate_core::sign_in_policy::AppPolicies;

use crate::{Error, Result, Store, in_tx, load, on_pool, write_events, write_logged};

#[derive(sqlx::FromRow)]
pub(crate) struct AppRow {
    id: String,
    label: String,
    status: String,
    client_id: String,
    auth_method: String,
    client_secrets: Option<String>,
    pkce_required: bool,
    auto_key_rotation: bool,
    settings: String,
    profile: String,
    link_id: String,
    created: i64,
    last_updated: i64,
    name: String,
    template: Option<String>,
    logo: Option<String>,
    access_policy: Option<String>,
    profile_enrollment: Option<String>,
}

impl TryFrom<AppRow> for App {
    type Error = Error;

    fn try_from(r: AppRow) -> Result<Self> {
        let template = match &r.template {
            None => None,
            Some(text) => {
                let stored: Value = serde_json::from_str(text)?;
                Some(TemplateApp::from_stored(&r.name, &stored).ok_or_else(|| {
                    Error::Corrupt(format!("app {} of unknown kind {:?}", r.id, r.name))
                })?)
            }
        };
        let settings: Map<String, Value> = serde_json::from_str(&r.settings)?;
        let settings = ClientSettings::from_stored(&settings).map_err(|causes| {
            let causes: Vec<String> = causes.iter().map(ToString::to_string).collect();
            Error::Corrupt(format!("settings of app {}: {}", r.id, causes.join("; ")))
        })?;
        Ok(App {
            label: r.label,
            status: AppStatus::parse(&r.status)
                .ok_or_else(|| Error::Corrupt(format!("app status {:?}", r.status)))?,
            credentials: ClientCredentials {
                client_id: r.client_id,
                auth_method: AuthMethod::parse(&r.auth_method)
                    .ok_or_else(|| Error::Corrupt(format!("auth method {:?}", r.auth_method)))?,
                secrets: ClientSecrets::from_stored(
                    r.client_secrets.as_deref(),
                    Timestamp::from_millis(r.created),
                )
                .map_err(Error::Corrupt)?,
                pkce_required: r.pkce_required,
                auto_key_rotation: r.auto_key_rotation,
            },
            settings,
            profile: serde_json::from_str(&r.profile)?,
            link_id: AppLinkId::from_trusted(r.link_id),
            created: Timestamp::from_millis(r.created),
            last_updated: Timestamp::from_millis(r.last_updated),
            logo: r.logo.as_deref().and_then(LogoRef::parse),
            policies: AppPolicies {
                access: r.access_policy,
                profile_enrollment: r.profile_enrollment,
            },
            id: AppId::from_trusted(r.id),
            template,
        })
    }
}

/// The columns of [`AppRow`], as a literal for `concat!`.
macro_rules! app_columns {
    () => {
        "id, label, status, client_id, auth_method, client_secrets, pkce_required, \
         auto_key_rotation, settings, profile, link_id, created, last_updated, name, template"
    };
}

/// [`app_columns`], the name of the app's uploaded logo and the ids of its sign-in policies,
/// for reading.
macro_rules! select_app {
    () => {
        concat!(
            "SELECT ",
            app_columns!(),
            ", (SELECT digest || '.' || format FROM app_logos WHERE app_id = apps.id) AS logo",
            ", COALESCE((SELECT policy_id FROM app_access_policies WHERE app_id = apps.id), \
               (SELECT id FROM org_policies WHERE type = 'ACCESS_POLICY' AND system)) AS access_policy",
            ", (SELECT id FROM org_policies WHERE type = 'PROFILE_ENROLLMENT' AND system) \
               AS profile_enrollment"
        )
    };
}

/// The ids of the apps user `$N` is assigned to: directly, through a group, or because the app
/// is assigned to the built-in `Everyone` group.
macro_rules! apps_of_user {
    ($n:literal) => {
        concat!(
            "SELECT app_id FROM app_users WHERE user_id = $",
            $n,
            " UNION SELECT ag.app_id FROM app_groups ag JOIN group_members gm \
               ON gm.group_id = ag.group_id WHERE gm.user_id = $",
            $n,
            " UNION SELECT ag.app_id FROM app_groups ag JOIN user_groups g \
               ON g.id = ag.group_id WHERE g.type = 'BUILT_IN'"
        )
    };
}

const INSERT_APP: &str = concat!(
    "INSERT INTO apps (label_lower, ",
    app_columns!(),
    ", signing_kid) VALUES ($14, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $15, $16, $17)"
);
const SELECT_APP: &str = concat!(select_app!(), " FROM apps WHERE id = $1");
const SELECT_BY_CLIENT: &str = concat!(
    select_app!(),
    " FROM apps WHERE client_id = $1 AND template IS NULL"
);
/// Everything but the status, which only [`Store::set_app_status`] moves, so an update that
/// read the app before a lifecycle change cannot undo it.
const UPDATE_APP: &str = "UPDATE apps SET label = $2, label_lower = $3, auth_method = $4, \
     client_secrets = $5, pkce_required = $6, auto_key_rotation = $7, settings = $8, profile = $9, \
     last_updated = $10, template = $11, signing_kid = $12 WHERE id = $1";
const SET_STATUS: &str =
    "UPDATE apps SET status = $2, last_updated = $3 WHERE id = $1 AND status <> $2";
const DELETE_INACTIVE: &str = "DELETE FROM apps WHERE id = $1 AND status = 'INACTIVE'";
/// Every criterion is a parameter that is `''` when unused, so one statement serves all lists.
const LIST_APPS: &str = concat!(
    select_app!(),
    " FROM apps WHERE id > $1",
    " AND ($2 = '' OR status = $2)",
    " AND ($3 = '' OR name = $3)",
    " AND ($4 = '' OR name LIKE $4 ESCAPE '\\' OR label_lower LIKE $4 ESCAPE '\\')",
    " AND ($5 = '' OR id IN (",
    apps_of_user!(5),
    "))",
    " AND ($6 = '' OR id IN (SELECT app_id FROM app_groups WHERE group_id = $6))",
    " AND ($8 = '' OR signing_kid = $8)",
    " AND ($9 = '' OR label_lower LIKE $9 ESCAPE '\\')",
    " ORDER BY id LIMIT $7"
);

/// Which apps to list: one page after `after`, in id order.
#[derive(Debug, Clone, Default)]
pub struct AppQuery {
    /// The id after which to continue.
    pub after: Option<String>,
    /// Page size.
    pub limit: usize,
    /// `q`: case-insensitive prefix of `name` or `label`.
    pub prefix: Option<String>,
    /// Only apps in this status.
    pub status: Option<AppStatus>,
    /// Only apps with this `name`.
    pub name: Option<String>,
    /// Only apps this user is assigned to (directly or through a group).
    pub user_id: Option<String>,
    /// Only apps assigned to this group.
    pub group_id: Option<String>,
    /// Only apps that sign with this key (`credentials.signing.kid`).
    pub signing_kid: Option<String>,
    /// Case-insensitive prefix of the `label` alone (the console's client search).
    pub label_prefix: Option<String>,
}

/// A `LIKE` pattern matching text that starts with `prefix`, case-insensitively.
pub(crate) fn like_prefix(prefix: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + 1);
    for c in prefix.to_lowercase().chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The `LIMIT` that reads one row beyond a page of `limit`, to learn whether more follow.
pub(crate) fn limit_plus_one(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX).saturating_add(1)
}

/// Splits the rows read with [`limit_plus_one`] into a page of converted items and whether more
/// follow.
pub(crate) fn page<R, T>(
    rows: Vec<R>,
    limit: usize,
    convert: impl FnMut(R) -> Result<T>,
) -> Result<(Vec<T>, bool)> {
    let more = rows.len() > limit;
    let items = rows
        .into_iter()
        .take(limit)
        .map(convert)
        .collect::<Result<Vec<T>>>()?;
    Ok((items, more))
}

/// The columns derived from a client's state.
fn stored(app: &App) -> Result<(String, String, Option<String>)> {
    let template = match &app.template {
        Some(t) => Some(serde_json::to_string(&t.to_stored())?),
        None => None,
    };
    Ok((
        serde_json::to_string(&app.settings.to_json())?,
        serde_json::to_string(&app.profile)?,
        template,
    ))
}

/// The `signing_kid` column: the key a SAML or WS-Federation app signs with.
fn signing_kid(app: &App) -> Option<&str> {
    app.template.as_ref().and_then(|t| t.signing_kid.as_deref())
}

/// A taken `client_id` is reported as `Conflict { constraint: "client_id" }` on both backends.
fn client_id_conflict(e: sqlx::Error) -> Error {
    match Error::from(e) {
        Error::Conflict { .. } => Error::Conflict {
            constraint: "client_id".to_owned(),
        },
        other => other,
    }
}

impl Store {
    /// Saves a new app. A `client_id` already in use is `Conflict { constraint: "client_id" }`.
    pub async fn insert_app(&self, app: &App, events: &[LogEvent]) -> Result<()> {
        let (settings, profile, template) = stored(app)?;
        let c = &app.credentials;
        in_tx!(self, |tx| {
            sqlx::query(INSERT_APP)
                .bind(app.id.as_str())
                .bind(&app.label)
                .bind(app.status.as_str())
                .bind(&c.client_id)
                .bind(c.auth_method.as_str())
                .bind(c.secrets.to_stored())
                .bind(c.pkce_required)
                .bind(c.auto_key_rotation)
                .bind(&settings)
                .bind(&profile)
                .bind(app.link_id.as_str())
                .bind(app.created.millis())
                .bind(app.last_updated.millis())
                .bind(app.label.to_lowercase())
                .bind(app.name())
                .bind(&template)
                .bind(signing_kid(app))
                .execute(&mut *tx)
                .await
                .map_err(client_id_conflict)?;
            write_events!(tx, events);
        });
        Ok(())
    }

    /// One app by id.
    pub async fn find_app(&self, id: &str) -> Result<Option<App>> {
        load!(one: self, AppRow, SELECT_APP, id)
    }

    /// One app by its OAuth `client_id` (what the OAuth endpoints receive).
    pub async fn find_app_by_client_id(&self, client_id: &str) -> Result<Option<App>> {
        load!(one: self, AppRow, SELECT_BY_CLIENT, client_id)
    }

    /// Saves an app's changed state (everything but its id, `client_id`, link and creation
    /// time, which never change, and its status, which [`Store::set_app_status`] moves).
    /// `NotFound` when the app is gone.
    pub async fn update_app(&self, app: &App, events: &[LogEvent]) -> Result<()> {
        let (settings, profile, template) = stored(app)?;
        let c = &app.credentials;
        let n = write_logged!(self, events, UPDATE_APP; app.id.as_str(), &app.label, app.label.to_lowercase(), c.auth_method.as_str(), c.secrets.to_stored(), c.pkce_required, c.auto_key_rotation, &settings, &profile, app.last_updated.millis(), &template, signing_kid(app));
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Moves an app to `status`. Returns whether it changed (false when it was already there
    /// or the app does not exist).
    pub async fn set_app_status(
        &self,
        id: &str,
        status: AppStatus,
        now: Timestamp,
        events: &[LogEvent],
    ) -> Result<bool> {
        let n = write_logged!(self, events, SET_STATUS; id, status.as_str(), now.millis());
        Ok(n > 0)
    }

    /// Deletes an app, with its assignments, only if it is `INACTIVE`. Returns whether a row
    /// was deleted.
    pub async fn delete_inactive_app(&self, id: &str, events: &[LogEvent]) -> Result<bool> {
        let n = write_logged!(self, events, DELETE_INACTIVE; id);
        Ok(n > 0)
    }

    /// One page of apps and whether more follow (`limit + 1` rows are read to know).
    pub async fn list_apps(&self, q: &AppQuery) -> Result<(Vec<App>, bool)> {
        let prefix = q.prefix.as_deref().map(like_prefix).unwrap_or_default();
        let label = q
            .label_prefix
            .as_deref()
            .map(like_prefix)
            .unwrap_or_default();
        let rows: Vec<AppRow> = on_pool!(self, |pool| sqlx::query_as(LIST_APPS)
            .bind(q.after.as_deref().unwrap_or_default())
            .bind(q.status.map(AppStatus::as_str).unwrap_or_default())
            .bind(q.name.as_deref().unwrap_or_default())
            .bind(&prefix)
            .bind(q.user_id.as_deref().unwrap_or_default())
            .bind(q.group_id.as_deref().unwrap_or_default())
            .bind(limit_plus_one(q.limit))
            .bind(q.signing_kid.as_deref().unwrap_or_default())
            .bind(&label)
            .fetch_all(pool)
            .await)?;
        page(rows, q.limit, App::try_from)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_prefix_escapes_wildcards() {
        assert_eq!(super::like_prefix("Ab_%\\"), "ab\\_\\%\\\\%");
    }
}
