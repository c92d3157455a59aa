//! [`Context::from_json`]: the context file format (the spec's §5.1 fixture, documented in the crate
//! README). Unknown keys are refused so that a typo in a context file is reported, not ignored.

use time::OffsetDateTime;

use super::{
    App, Context, ContextBuilder, Group, GroupSource, GroupType, JsonMap, Org, Session, User,
};
use crate::error::ContextError;
use crate::iso::parse_iso;

type Json = serde_json::Value;

impl Context {
    /// Reads a context in the JSON format of the spec's fixture. `{}` is valid: every binding is then
    /// absent (`user`, `app`, `appuser` are `null`; `org.*`, `access.scope`, `session.*` are `null`)
    /// and there is no clock.
    ///
    /// ```
    /// let ctx = tollgate_expr::Context::from_json(&serde_json::json!({
    ///     "user": { "id": "00u1", "profile": { "firstName": "Annie" } },
    ///     "now": "2015-07-31T17:18:37.979Z"
    /// })).unwrap();
    /// let v = tollgate_expr::compile("user.firstName").unwrap().eval(&ctx).unwrap();
    /// assert_eq!(v.as_str(), Some("Annie"));
    /// ```
    pub fn from_json(json: &Json) -> Result<Context, ContextError> {
        let root = object(json, "")?;
        known_keys(
            root,
            "",
            &[
                "user", "groups", "app", "appuser", "org", "access", "session", "now",
            ],
        )?;
        let mut b = ContextBuilder {
            now: opt_time(root, "", "now")?,
            ..ContextBuilder::default()
        };
        if let Some(u) = present(root, "user") {
            b = b.user(user(u)?);
        }
        if let Some(gs) = present(root, "groups") {
            let items = gs
                .as_array()
                .ok_or_else(|| err("groups", "must be a list"))?;
            let groups = items
                .iter()
                .enumerate()
                .map(|(i, g)| group(g, &format!("groups[{i}]")))
                .collect::<Result<Vec<_>, _>>()?;
            b = b.groups(groups);
        }
        if let Some(a) = present(root, "app") {
            let o = object(a, "app")?;
            known_keys(o, "app", &["id", "clientId", "profile"])?;
            let mut app = App::new(
                opt_str(o, "app", "id")?.unwrap_or_default(),
                opt_str(o, "app", "clientId")?.unwrap_or_default(),
            );
            app.profile = opt_object(o, "app", "profile")?;
            b = b.app(app);
        }
        if let Some(a) = present(root, "appuser") {
            b = b.app_user(object(a, "appuser")?.clone());
        }
        if let Some(o) = present(root, "org") {
            let o = object(o, "org")?;
            known_keys(o, "org", &["name", "subDomain"])?;
            b = b.org(Org::new(
                opt_str(o, "org", "name")?.unwrap_or_default(),
                opt_str(o, "org", "subDomain")?.unwrap_or_default(),
            ));
        }
        if let Some(a) = present(root, "access") {
            let o = object(a, "access")?;
            known_keys(o, "access", &["scope"])?;
            if let Some(s) = present(o, "scope") {
                b = b.scopes(strings(s, "access.scope")?);
            }
        }
        if let Some(s) = present(root, "session") {
            let o = object(s, "session")?;
            known_keys(o, "session", &["id", "amr"])?;
            let amr = present(o, "amr").map_or(Ok(Vec::new()), |a| strings(a, "session.amr"))?;
            b = b.session(Session::new(opt_str(o, "session", "id")?, amr));
        }
        Ok(b.build())
    }
}

fn err(path: &str, message: &str) -> ContextError {
    ContextError {
        path: path.to_owned(),
        message: message.to_owned(),
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

fn object<'j>(json: &'j Json, path: &str) -> Result<&'j JsonMap, ContextError> {
    json.as_object().ok_or_else(|| {
        err(
            if path.is_empty() { "$" } else { path },
            "must be an object",
        )
    })
}

fn known_keys(o: &JsonMap, path: &str, allowed: &[&str]) -> Result<(), ContextError> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        None => Ok(()),
        Some(k) => Err(err(
            &join(path, k),
            &format!("unknown key; expected one of: {}", allowed.join(", ")),
        )),
    }
}

/// A key that is absent or `null` counts as absent.
fn present<'j>(o: &'j JsonMap, key: &str) -> Option<&'j Json> {
    o.get(key).filter(|v| !v.is_null())
}

fn opt_str(o: &JsonMap, path: &str, key: &str) -> Result<Option<String>, ContextError> {
    match present(o, key) {
        None => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(err(&join(path, key), "must be a string")),
    }
}

fn opt_object(o: &JsonMap, path: &str, key: &str) -> Result<JsonMap, ContextError> {
    present(o, key).map_or(Ok(JsonMap::new()), |v| object(v, &join(path, key)).cloned())
}

fn opt_time(o: &JsonMap, path: &str, key: &str) -> Result<Option<OffsetDateTime>, ContextError> {
    opt_str(o, path, key)?
        .map(|s| {
            parse_iso(&s).ok_or_else(|| {
                err(
                    &join(path, key),
                    "must be an ISO-8601 instant like 2015-07-31T17:18:37.979Z",
                )
            })
        })
        .transpose()
}

fn strings(v: &Json, path: &str) -> Result<Vec<String>, ContextError> {
    let items = v
        .as_array()
        .ok_or_else(|| err(path, "must be a list of strings"))?;
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            s.as_str()
                .map(str::to_owned)
                .ok_or_else(|| err(&format!("{path}[{i}]"), "must be a string"))
        })
        .collect()
}

fn user(json: &Json) -> Result<User, ContextError> {
    let o = object(json, "user")?;
    known_keys(
        o,
        "user",
        &[
            "id",
            "status",
            "created",
            "lastUpdated",
            "passwordChanged",
            "lastLogin",
            "profile",
        ],
    )?;
    let id = opt_str(o, "user", "id")?.ok_or_else(|| err("user.id", "is required"))?;
    let mut u = User::new(
        id,
        opt_str(o, "user", "status")?.unwrap_or_else(|| "ACTIVE".to_owned()),
    );
    u.created = opt_time(o, "user", "created")?;
    u.last_updated = opt_time(o, "user", "lastUpdated")?;
    u.password_changed = opt_time(o, "user", "passwordChanged")?;
    u.last_login = opt_time(o, "user", "lastLogin")?;
    u.profile = opt_object(o, "user", "profile")?;
    Ok(u)
}

fn group(json: &Json, path: &str) -> Result<Group, ContextError> {
    let o = object(json, path)?;
    known_keys(
        o,
        path,
        &[
            "id",
            "name",
            "description",
            "type",
            "status",
            "objectClass",
            "created",
            "lastUpdated",
            "lastMembershipUpdated",
            "source",
            "profile",
            "member",
        ],
    )?;
    let id = opt_str(o, path, "id")?.ok_or_else(|| err(&join(path, "id"), "is required"))?;
    let mut profile = opt_object(o, path, "profile")?;
    let profile_name = profile.remove("name");
    let name = match (opt_str(o, path, "name")?, profile_name) {
        (Some(n), _) => n,
        (None, Some(Json::String(n))) => n,
        _ => return Err(err(&join(path, "name"), "is required (or profile.name)")),
    };
    let group_type = match opt_str(o, path, "type")? {
        None => GroupType::OktaGroup,
        Some(t) => GroupType::parse(&t).ok_or_else(|| {
            err(
                &join(path, "type"),
                "must be OKTA_GROUP, APP_GROUP or BUILT_IN",
            )
        })?,
    };
    let mut g = Group::new(id, name, group_type);
    let profile_description = profile.remove("description");
    g.description = match (opt_str(o, path, "description")?, profile_description) {
        (Some(d), _) => Some(d),
        (None, Some(Json::String(d))) => Some(d),
        _ => None,
    };
    if let Some(oc) = present(o, "objectClass") {
        g.object_class = strings(oc, &join(path, "objectClass"))?;
    }
    g.created = opt_time(o, path, "created")?;
    g.last_updated = opt_time(o, path, "lastUpdated")?;
    g.last_membership_updated = opt_time(o, path, "lastMembershipUpdated")?;
    if let Some(s) = present(o, "source") {
        let sp = join(path, "source");
        let so = object(s, &sp)?;
        known_keys(so, &sp, &["id", "appName", "name"])?;
        let sid = opt_str(so, &sp, "id")?.ok_or_else(|| err(&join(&sp, "id"), "is required"))?;
        let app_name = match opt_str(so, &sp, "appName")? {
            Some(n) => Some(n),
            None => opt_str(so, &sp, "name")?,
        };
        g.source = Some(GroupSource::new(sid, app_name));
    }
    g.profile = profile;
    g.member = match present(o, "member") {
        None => true,
        Some(Json::Bool(m)) => *m,
        Some(_) => return Err(err(&join(path, "member"), "must be a boolean")),
    };
    Ok(g)
}
