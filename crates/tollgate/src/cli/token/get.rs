//! `tollgate token get`: signs in with `/api/v1/authn`, sends the session token to the authorize
//! endpoint, and runs the flow asked for ([`super::code`] or the implicit flow here). Every
//! refusal is one line naming what the server refused.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde_json::Value;

use super::decode::{claim, print_checked};
use super::refusal::Refusal;
use super::{call, code, endpoint, redirect_params, root_cause};
use crate::cli::args::{Flow, TokenGetArgs};

/// How long one request to the server may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// `tollgate token get`.
pub async fn run_get(args: TokenGetArgs) -> anyhow::Result<()> {
    url::Url::parse(&args.issuer).context("--issuer is not a URL")?;
    let response_type = match (args.flow, &args.response_type) {
        (Flow::Implicit, rt) => rt.clone().unwrap_or_else(|| "id_token".to_owned()),
        (Flow::Code, None) => "code".to_owned(),
        (Flow::Code, Some(_)) => bail!("--response-type goes with --flow implicit"),
    };
    let client = reqwest::Client::builder()
        .timeout(REQUEST_TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let session_token = match &args.username {
        Some(user) => Some(sign_in(&client, &args, user).await?),
        None => None,
    };
    match (args.flow, session_token) {
        (Flow::Code, token) => code::run(&client, &args, token.as_deref()).await,
        (Flow::Implicit, Some(token)) => implicit(&client, &args, &token, &response_type).await,
        (Flow::Implicit, None) => bail!("--flow implicit needs --username and --password"),
    }
}

/// The org of an issuer: where `/api/v1/authn` is.
fn origin(issuer: &str) -> anyhow::Result<String> {
    let url = url::Url::parse(issuer).context("--issuer is not a URL")?;
    Ok(url.origin().ascii_serialization())
}

/// Signs in and gives the session token.
async fn sign_in(
    client: &reqwest::Client,
    args: &TokenGetArgs,
    who: &str,
) -> anyhow::Result<String> {
    let Some(password) = &args.password else {
        bail!("--username needs --password (or TOLLGATE_PASSWORD)");
    };
    let origin = origin(&args.issuer)?;
    let req = client
        .post(format!("{origin}/api/v1/authn"))
        .json(&serde_json::json!({"username": who, "password": password}));
    let (status, body) = call(req, &origin).await?;
    if !status.is_success() {
        bail!(
            "sign-in failed for {who:?}: {}",
            Refusal::from_answer(status, &body)
        );
    }
    let authn: Value = serde_json::from_str(&body)
        .map_err(|_| anyhow!("the sign-in answer of {origin}/api/v1/authn is not JSON"))?;
    match authn.get("sessionToken").and_then(Value::as_str) {
        Some(token) => Ok(token.to_owned()),
        None => bail!(
            "sign-in failed for {who:?}: the transaction is {} (a session token needs SUCCESS)",
            authn
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("unknown")
        ),
    }
}

/// One authorize request: where the answer goes, and the values it must come back with.
pub struct Authorize<'a> {
    pub args: &'a TokenGetArgs,
    pub redirect_uri: String,
    pub state: String,
    pub nonce: String,
}

impl<'a> Authorize<'a> {
    pub fn new(args: &'a TokenGetArgs, redirect_uri: String) -> Self {
        Self {
            args,
            redirect_uri,
            state: tollgate_core::id::random_base62(16),
            nonce: tollgate_core::id::random_base62(16),
        }
    }

    /// The authorize URL, with the session token when there is one.
    pub fn url(
        &self,
        session_token: Option<&str>,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<url::Url> {
        let mut url = url::Url::parse(&endpoint(&self.args.issuer, "authorize"))?;
        url.query_pairs_mut()
            .append_pair("client_id", &self.args.client_id)
            .append_pair("scope", &self.args.scope)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("state", &self.state)
            .append_pair("nonce", &self.nonce)
            .extend_pairs(session_token.map(|t| ("sessionToken", t)))
            .extend_pairs(extra);
        Ok(url)
    }

    /// Sends the request and gives where the server redirects; a server that answers without
    /// redirecting refused the request.
    pub async fn send(&self, client: &reqwest::Client, url: url::Url) -> anyhow::Result<String> {
        let resp = client
            .get(url)
            .send()
            .await
            .map_err(|e| anyhow!("cannot reach the authorize endpoint: {}", root_cause(&e)))?;
        let location = resp
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        match location {
            Some(location) => Ok(location),
            None => {
                let status = resp.status();
                let body = resp.text().await.unwrap_or_default();
                Err(self.refused(&Refusal::from_answer(status, &body)))
            }
        }
    }

    /// Sends the request with the session token, and gives the redirect to the app.
    pub async fn signed_in(
        &self,
        client: &reqwest::Client,
        session_token: &str,
        extra: &[(&str, &str)],
    ) -> anyhow::Result<url::Url> {
        let location = self
            .send(client, self.url(Some(session_token), extra)?)
            .await?;
        if !location.starts_with(&self.redirect_uri) {
            bail!(
                "the server redirected to {location} instead of the redirect URI (an \
                 interactive sign-in is needed, or the session token was refused)"
            );
        }
        url::Url::parse(&location).with_context(|| format!("the redirect {location} is not a URL"))
    }

    /// A refusal of the authorize request, naming what was refused.
    pub fn refused(&self, r: &Refusal) -> anyhow::Error {
        let args = self.args;
        if r.is("invalid_client") {
            return anyhow!("the server refused the client id {:?}: {r}", args.client_id);
        }
        if r.description.contains("redirect_uri") {
            let hint = if self.redirect_uri == args.redirect_uri {
                ""
            } else {
                " (port 0 picks a free port, but the server matches redirect URIs exactly: \
                 pass the port the app registers)"
            };
            return anyhow!(
                "the server refused the redirect URI {:?}: {r}{hint}",
                self.redirect_uri
            );
        }
        anyhow!("the authorize endpoint refused the request: {r}")
    }

    /// Checks the authorization response's parameters: no error, the same state, and the
    /// issuer asked (RFC 9207) when the server names one.
    pub fn check(&self, params: &HashMap<String, String>) -> anyhow::Result<()> {
        if let Some(r) = Refusal::from_params(params) {
            return Err(self.refused(&r));
        }
        if params.get("state") != Some(&self.state) {
            bail!("the redirect's state does not match the request's: the response is not ours");
        }
        let asked = self.args.issuer.trim_end_matches('/');
        if let Some(iss) = params.get("iss")
            && iss.trim_end_matches('/') != asked
        {
            bail!("the response comes from the issuer {iss}, not {asked}");
        }
        Ok(())
    }

    /// Prints each token decoded and checked; the ID token must carry the request's nonce.
    pub async fn print_tokens(&self, tokens: &[(&str, String)]) -> anyhow::Result<()> {
        for (name, token) in tokens {
            println!("{name}: {token}");
            print_checked(token, true, Some(&self.args.issuer))
                .await
                .with_context(|| format!("the {name}"))?;
            if *name == "id_token" && claim(token, "nonce").as_deref() != Some(&self.nonce) {
                bail!("the id_token's nonce is not the one the request sent");
            }
            println!();
        }
        Ok(())
    }
}

/// The implicit flow: the tokens come in the redirect's fragment, read without visiting it.
async fn implicit(
    client: &reqwest::Client,
    args: &TokenGetArgs,
    session_token: &str,
    response_type: &str,
) -> anyhow::Result<()> {
    let request = Authorize::new(args, args.redirect_uri.clone());
    let extra = [
        ("response_type", response_type),
        ("response_mode", "fragment"),
    ];
    let location = request.signed_in(client, session_token, &extra).await?;
    let params = redirect_params(&location);
    request.check(&params)?;
    let tokens: Vec<(&str, String)> = ["id_token", "access_token"]
        .into_iter()
        .filter_map(|name| params.get(name).map(|t| (name, t.clone())))
        .collect();
    if tokens.is_empty() {
        bail!("the redirect carries no token: {location}");
    }
    request.print_tokens(&tokens).await
}
