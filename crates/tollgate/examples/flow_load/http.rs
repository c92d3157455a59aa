//! The HTTP steps shared by `setup` and `code`: a client that never follows redirects, the
//! management API, and the three requests of a sign-in flow.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{LOCATION, SET_COOKIE};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};

/// The PKCE pair of RFC 7636's appendix B (the repo's tests use it too): a fixed verifier is
/// fine, each code is single use.
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
pub const REDIRECT: &str = "https://example.com/oauth2/callback";

/// A client that reports redirects instead of following them, with a per-request timeout.
pub fn client(timeout: Duration) -> anyhow::Result<Client> {
    Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .pool_max_idle_per_host(256)
        .build()
        .context("building the HTTP client")
}

/// The management API with an `SSWS` token.
#[derive(Debug, Clone)]
pub struct Admin {
    pub client: Client,
    pub base: String,
    pub token: String,
}

impl Admin {
    /// `method path` with a JSON body; the response's JSON when the status is `expect`.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        expect: u16,
    ) -> anyhow::Result<Value> {
        let mut req = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .header("Authorization", format!("SSWS {}", self.token))
            .header("Accept", "application/json");
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req
            .send()
            .await
            .with_context(|| format!("{method} {path}"))?;
        let status = resp.status();
        let text = resp
            .text()
            .await
            .with_context(|| format!("{method} {path}"))?;
        if status.as_u16() != expect {
            bail!("{method} {path}: {status} (expected {expect}): {text}");
        }
        if text.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&text).with_context(|| format!("{method} {path}: not JSON: {text}"))
    }
}

/// The string at `pointer` in `v`.
pub fn text_at(v: &Value, pointer: &str) -> anyhow::Result<String> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("no string at {pointer} in {v}"))
}

/// `POST /api/v1/authn`: the one-time session token.
pub async fn authn(
    client: &Client,
    base: &str,
    username: &str,
    password: &str,
) -> anyhow::Result<String> {
    let resp = client
        .post(format!("{base}/api/v1/authn"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await?;
    let status = resp.status();
    let body: Value = resp.json().await.context("authn: not JSON")?;
    if status != StatusCode::OK {
        bail!("authn: {status}: {body}");
    }
    text_at(&body, "/sessionToken").context("authn")
}

/// What `authorize` redirected to: the parameters of the query or fragment, and the session
/// cookie the server set, if any.
#[derive(Debug)]
pub struct Redirect {
    pub params: HashMap<String, String>,
    pub sid: Option<String>,
}

/// `GET {server}/v1/authorize?{query}` with an optional `sid` cookie: must be a `302` to the
/// registered redirect URI without an `error`.
pub async fn authorize(
    client: &Client,
    server: &str,
    query: &str,
    sid: Option<&str>,
) -> anyhow::Result<Redirect> {
    let mut req = client.get(format!("{server}/v1/authorize?{query}"));
    if let Some(sid) = sid {
        req = req.header("Cookie", format!("sid={sid}"));
    }
    let resp = req.send().await?;
    let status = resp.status();
    let sid = resp
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("sid="))
        .and_then(|v| v.split(';').next())
        .filter(|v| !v.is_empty())
        .map(str::to_owned);
    let location = resp
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(location) = location.filter(|_| status == StatusCode::FOUND) else {
        let text = resp.text().await.unwrap_or_default();
        bail!("authorize: {status}, not a redirect: {text:.300}");
    };
    let url = url::Url::parse(&location).with_context(|| format!("authorize: {location}"))?;
    let raw = url.fragment().or(url.query()).unwrap_or_default();
    let params: HashMap<String, String> = url::form_urlencoded::parse(raw.as_bytes())
        .into_owned()
        .collect();
    if let Some(e) = params.get("error") {
        let d = params.get("error_description").map_or("", String::as_str);
        bail!("authorize: {e}: {d}");
    }
    Ok(Redirect { params, sid })
}

/// The authorize query of the code flow with PKCE (S256) and a session token.
pub fn code_query(client_id: &str, session_token: &str, state: &str) -> String {
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    format!(
        "client_id={client_id}&response_type=code&scope=openid&redirect_uri={redirect}\
         &state={state}&nonce=n-{state}&code_challenge={CHALLENGE}&code_challenge_method=S256\
         &sessionToken={session_token}"
    )
}

/// The authorize query of the implicit flow for an ID token (session token optional: without
/// one the caller sends the `sid` cookie).
pub fn implicit_query(client_id: &str, session_token: Option<&str>) -> String {
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    let mut q = format!(
        "client_id={client_id}&response_type=id_token&response_mode=fragment&scope=openid\
         &redirect_uri={redirect}&state=bench&nonce=bench-nonce"
    );
    if let Some(t) = session_token {
        q.push_str("&sessionToken=");
        q.push_str(t);
    }
    q
}

/// `POST {server}/v1/token` for `code` with the PKCE verifier and `client_secret_basic`: the
/// token response, which must carry an access token and an ID token.
pub async fn exchange(
    client: &Client,
    server: &str,
    (client_id, secret): (&str, &str),
    code: &str,
) -> anyhow::Result<Value> {
    let resp = client
        .post(format!("{server}/v1/token"))
        .basic_auth(client_id, Some(secret))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", VERIFIER),
        ])
        .send()
        .await?;
    let status = resp.status();
    let body: Value = resp.json().await.context("token: not JSON")?;
    if status != StatusCode::OK
        || body.get("access_token").is_none()
        || body.get("id_token").is_none()
    {
        bail!("token: {status}: {body}");
    }
    Ok(body)
}

/// The payload of a JWT, unverified (the bench only counts what the token carries).
pub fn jwt_payload(jwt: &str) -> anyhow::Result<Value> {
    let part = jwt
        .split('.')
        .nth(1)
        .ok_or_else(|| anyhow!("not a JWT: {jwt:.40}"))?;
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .context("JWT payload: not base64url")?;
    serde_json::from_slice(&bytes).context("JWT payload: not JSON")
}
