//! The claim sets Tollgate signs: ID tokens (`oauth-endpoints.md` §6.3), access tokens (§6.4)
//! and the userinfo document, with the standard claims each granted scope brings (§7.1) and the
//! thin/fat rule of §7.5. Custom and groups claims are decided by [`crate::oauth::claims`] and
//! arrive here as `extra`; a custom claim never overrides a claim the server sets itself.

use serde_json::{Map, Value, json};

use crate::directory::User;
use crate::oauth::claims::RESERVED;

/// `ID.` / `AT.` followed by 43 base64url characters, as Okta's `jti`s look.
pub fn jti(prefix: &str) -> String {
    use base64::Engine;
    let random = crate::id::random_bytes(32);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random)
    )
}

fn text<'a>(user: &'a User, attr: &str) -> Option<&'a str> {
    user.profile
        .get(attr)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn put(out: &mut Map<String, Value>, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        out.insert(name.to_owned(), json!(v));
    }
}

fn display_name(user: &User) -> Option<String> {
    if let Some(d) = text(user, "displayName") {
        return Some(d.to_owned());
    }
    let full = [text(user, "firstName"), text(user, "lastName")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (!full.is_empty()).then_some(full)
}

/// The standard claims the granted `scopes` bring for `user`. A thin set keeps only `email`,
/// `name` and `preferred_username`; absent attributes are left out, never `null`.
pub fn scope_claims(user: &User, scopes: &[String], thin: bool) -> Map<String, Value> {
    let has = |s: &str| scopes.iter().any(|g| g == s);
    let mut out = Map::new();
    if has("profile") {
        put(&mut out, "name", display_name(user).as_deref());
        if !thin {
            put(&mut out, "nickname", text(user, "nickName"));
        }
        put(&mut out, "preferred_username", Some(user.login()));
        if !thin {
            put(&mut out, "given_name", text(user, "firstName"));
            put(&mut out, "middle_name", text(user, "middleName"));
            put(&mut out, "family_name", text(user, "lastName"));
            put(&mut out, "profile", text(user, "profileUrl"));
            put(&mut out, "zoneinfo", text(user, "timezone"));
            let locale = text(user, "locale").map(|l| l.replace('_', "-"));
            put(&mut out, "locale", locale.as_deref());
            for same in ["picture", "website", "gender", "birthdate"] {
                put(&mut out, same, text(user, same));
            }
            out.insert(
                "updated_at".into(),
                json!(user.last_updated.millis().div_euclid(1000)),
            );
        }
    }
    if has("email") {
        put(&mut out, "email", text(user, "email"));
        if !thin && text(user, "email").is_some() {
            out.insert("email_verified".into(), json!(true));
        }
    }
    if !thin && has("address") {
        let mut address = Map::new();
        for (claim, attr) in [
            ("street_address", "streetAddress"),
            ("locality", "city"),
            ("region", "state"),
            ("postal_code", "zipCode"),
            ("country", "countryCode"),
        ] {
            put(&mut address, claim, text(user, attr));
        }
        if !address.is_empty() {
            out.insert("address".into(), Value::Object(address));
        }
    }
    if !thin && has("phone") {
        put(&mut out, "phone_number", text(user, "mobilePhone"));
    }
    out
}

fn add_extra(out: &mut Map<String, Value>, extra: Map<String, Value>) {
    for (k, v) in extra {
        if !RESERVED.contains(&k.as_str()) {
            out.insert(k, v);
        }
    }
}

/// Everything an ID token says.
#[derive(Debug, Clone)]
pub struct IdToken<'a> {
    /// `iss`.
    pub issuer: &'a str,
    /// `aud`: the client id.
    pub client_id: &'a str,
    /// The user (`sub` is the user id).
    pub user: &'a User,
    /// `idp`: the org id for local users.
    pub org_id: &'a str,
    /// `amr`, from the session.
    pub amr: &'a [String],
    /// `auth_time`, epoch seconds.
    pub auth_time: Option<i64>,
    /// `nonce`, only when the request carried one.
    pub nonce: Option<&'a str>,
    /// `at_hash`, when an access token is issued alongside.
    pub at_hash: Option<String>,
    /// `c_hash`, when a code is issued alongside.
    pub c_hash: Option<String>,
    /// The granted scopes.
    pub scopes: &'a [String],
    /// Thin (§7.5): only `email`, `name` and `preferred_username` of the standard claims.
    pub thin: bool,
    /// `iat`, epoch seconds.
    pub now: i64,
    /// Custom and groups claims.
    pub extra: Map<String, Value>,
}

/// ID tokens live one hour, on every server.
pub const ID_TOKEN_SECS: i64 = 3600;

impl IdToken<'_> {
    /// The claims, in Okta's order.
    pub fn claims(self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("sub".into(), json!(self.user.id.as_str()));
        out.insert("ver".into(), json!(1));
        out.insert("iss".into(), json!(self.issuer));
        out.insert("aud".into(), json!(self.client_id));
        out.insert("iat".into(), json!(self.now));
        out.insert("exp".into(), json!(self.now + ID_TOKEN_SECS));
        out.insert("jti".into(), json!(jti("ID.")));
        out.insert("amr".into(), json!(self.amr));
        out.insert("idp".into(), json!(self.org_id));
        if let Some(n) = self.nonce {
            out.insert("nonce".into(), json!(n));
        }
        if let Some(t) = self.auth_time {
            out.insert("auth_time".into(), json!(t));
        }
        if let Some(h) = self.at_hash {
            out.insert("at_hash".into(), json!(h));
        }
        if let Some(h) = self.c_hash {
            out.insert("c_hash".into(), json!(h));
        }
        out.extend(scope_claims(self.user, self.scopes, self.thin));
        add_extra(&mut out, self.extra);
        out
    }
}

/// Everything an access token says.
#[derive(Debug, Clone)]
pub struct AccessToken<'a> {
    /// `iss`.
    pub issuer: &'a str,
    /// `aud`: a string when the server has one audience.
    pub audience: Value,
    /// `cid`.
    pub client_id: &'a str,
    /// `uid`, when a user is involved.
    pub user_id: Option<&'a str>,
    /// `sub`: the user's login (or app username) or the client id.
    pub sub: &'a str,
    /// `scp`, ascending.
    pub scopes: &'a [String],
    /// `auth_time`, epoch seconds, when a session exists.
    pub auth_time: Option<i64>,
    /// `iat`, epoch seconds.
    pub now: i64,
    /// Lifetime in seconds.
    pub lifetime_secs: i64,
    /// `RESOURCE` claims (custom servers only).
    pub extra: Map<String, Value>,
}

impl AccessToken<'_> {
    /// The claims, in Okta's order, and the `jti` among them.
    pub fn claims(self) -> (String, Map<String, Value>) {
        let id = jti("AT.");
        let mut out = Map::new();
        out.insert("ver".into(), json!(1));
        out.insert("jti".into(), json!(id));
        out.insert("iss".into(), json!(self.issuer));
        out.insert("aud".into(), self.audience);
        out.insert("iat".into(), json!(self.now));
        out.insert("exp".into(), json!(self.now + self.lifetime_secs));
        out.insert("cid".into(), json!(self.client_id));
        if let Some(u) = self.user_id {
            out.insert("uid".into(), json!(u));
        }
        let mut scp = self.scopes.to_vec();
        scp.sort();
        out.insert("scp".into(), json!(scp));
        if let Some(t) = self.auth_time {
            out.insert("auth_time".into(), json!(t));
        }
        out.insert("sub".into(), json!(self.sub));
        add_extra(&mut out, self.extra);
        (id, out)
    }
}

/// The `/userinfo` document: `sub`, every standard claim of the granted scopes, and `extra`
/// (identity and groups claims).
pub fn userinfo(user: &User, scopes: &[String], extra: Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("sub".into(), json!(user.id.as_str()));
    out.extend(scope_claims(user, scopes, false));
    add_extra(&mut out, extra);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Timestamp;
    use crate::directory::user::CreateOptions;

    fn user() -> User {
        let profile = json!({"login": "annie@acme.com", "email": "annie@acme.com",
            "firstName": "Annie", "lastName": "Jackson", "locale": "en_US", "city": "Portland",
            "mobilePhone": "555"});
        User::create(
            profile.as_object().unwrap().clone(),
            None,
            CreateOptions {
                activate: true,
                change_password_next_login: false,
            },
            Timestamp::from_millis(1_700_000_000_000),
        )
        .unwrap()
    }

    fn scopes(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn fat_and_thin_standard_claims() {
        let u = user();
        let all = scopes(&["openid", "profile", "email", "address", "phone"]);
        let fat = scope_claims(&u, &all, false);
        assert_eq!(fat["name"], "Annie Jackson");
        assert_eq!(fat["locale"], "en-US");
        assert_eq!(fat["address"], json!({"locality": "Portland"}));
        assert_eq!(fat["phone_number"], "555");
        assert_eq!(fat["email_verified"], true);
        assert!(
            !fat.contains_key("nickname"),
            "absent attributes are left out"
        );
        let thin = scope_claims(&u, &all, true);
        let keys: Vec<&str> = thin.keys().map(String::as_str).collect();
        assert_eq!(keys, ["name", "preferred_username", "email"]);
        assert!(scope_claims(&u, &scopes(&["openid"]), false).is_empty());
    }

    #[test]
    fn id_token_base_claims_and_reserved_names() {
        let u = user();
        let s = scopes(&["openid", "groups"]);
        let mut extra = Map::new();
        extra.insert("groups".into(), json!(["WestCoastDivision"]));
        extra.insert("iss".into(), json!("forged"));
        let claims = IdToken {
            issuer: "http://127.0.0.1:8080",
            client_id: "0oa1",
            user: &u,
            org_id: "00o1",
            amr: &scopes(&["pwd"]),
            auth_time: Some(10),
            nonce: Some("n"),
            at_hash: None,
            c_hash: None,
            scopes: &s,
            thin: false,
            now: 100,
            extra,
        }
        .claims();
        assert_eq!(claims["iss"], "http://127.0.0.1:8080");
        assert_eq!(claims["exp"], 3700);
        assert_eq!(claims["groups"], json!(["WestCoastDivision"]));
        assert_eq!(claims["jti"].as_str().unwrap().len(), 46);
        assert!(!claims.contains_key("at_hash"));
    }

    #[test]
    fn access_token_sorts_scopes() {
        let s = scopes(&["openid", "groups"]);
        let (jti, claims) = AccessToken {
            issuer: "i",
            audience: json!("api://default"),
            client_id: "0oa1",
            user_id: None,
            sub: "0oa1",
            scopes: &s,
            auth_time: None,
            now: 0,
            lifetime_secs: 300,
            extra: Map::new(),
        }
        .claims();
        assert!(jti.starts_with("AT."));
        assert_eq!(claims["scp"], json!(["groups", "openid"]));
        assert_eq!(claims["exp"], 300);
        assert!(!claims.contains_key("uid"));
    }
}
