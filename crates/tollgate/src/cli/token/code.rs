//! The authorization code flow with PKCE (S256) for `token get`: the code arrives at the
//! loopback listener (or, for any other redirect URI, is read from the redirect without
//! visiting it), and is exchanged at the token endpoint with the verifier and, for a
//! confidential client, its secret.

use std::collections::HashMap;
use std::time::Duration;

use anyhow::{anyhow, bail};
use serde_json::Value;
use tollgate_core::token::hashes::pkce_s256;

use super::get::Authorize;
use super::loopback::{self, Loopback};
use super::refusal::Refusal;
use super::{call, endpoint, redirect_params, root_cause};
use crate::cli::args::{ClientAuth, TokenGetArgs};

/// How long the listener waits for the redirect the command itself delivers.
const DELIVERY_WAIT: Duration = Duration::from_secs(10);
/// How long the listener waits for a person to sign in in a browser.
const BROWSER_WAIT: Duration = Duration::from_secs(300);

/// Runs the code flow, with a signed-in session or through a browser, and prints the tokens.
pub async fn run(
    client: &reqwest::Client,
    args: &TokenGetArgs,
    session_token: Option<&str>,
) -> anyhow::Result<()> {
    let mut listener = loopback::listen(&args.redirect_uri).await?;
    let redirect_uri = listener
        .as_ref()
        .map_or_else(|| args.redirect_uri.clone(), |l| l.redirect_uri.clone());
    let request = Authorize::new(args, redirect_uri);
    // RFC 7636: 64 characters of [A-Za-z0-9], all unreserved.
    let verifier = tollgate_core::id::random_base62(64);
    let challenge = pkce_s256(&verifier);
    let extra = [
        ("response_type", "code"),
        ("code_challenge", challenge.as_str()),
        ("code_challenge_method", "S256"),
    ];
    let params = match (listener.as_mut(), session_token) {
        (None, Some(token)) => redirect_params(&request.signed_in(client, token, &extra).await?),
        (Some(listener), Some(token)) => {
            // Follow the redirect as a browser would: the listener receives it.
            let location = request.signed_in(client, token, &extra).await?;
            client.get(location.clone()).send().await.map_err(|e| {
                anyhow!(
                    "cannot deliver the redirect to {location}: {}",
                    root_cause(&e)
                )
            })?;
            listener.next(DELIVERY_WAIT).await?
        }
        (Some(listener), None) => through_browser(client, &request, listener, &extra).await?,
        (None, None) => bail!(
            "without --username, the sign-in happens in a browser, which needs a loopback \
             --redirect-uri (http://127.0.0.1:PORT/PATH) to come back to"
        ),
    };
    request.check(&params)?;
    let Some(code) = params.get("code") else {
        bail!("the authorization response carries no code");
    };
    let answer = exchange(client, args, &request.redirect_uri, code, &verifier).await?;
    print_answer(&request, &answer).await
}

/// Prints the authorize URL for a person to open, and waits for the browser's redirect.
async fn through_browser(
    client: &reqwest::Client,
    request: &Authorize<'_>,
    listener: &mut Loopback,
    extra: &[(&str, &str)],
) -> anyhow::Result<HashMap<String, String>> {
    let url = request.url(None, extra)?;
    // A request the server refuses is said here rather than in the browser.
    let first = request.send(client, url.clone()).await?;
    if let Ok(redirect) = url::Url::parse(&first)
        && let Some(r) = Refusal::from_params(&redirect_params(&redirect))
    {
        return Err(request.refused(&r));
    }
    eprintln!(
        "Open this URL in a browser and sign in (waiting {} s for the redirect to {}):\n  {url}",
        BROWSER_WAIT.as_secs(),
        request.redirect_uri
    );
    listener.next(BROWSER_WAIT).await
}

/// Prints the token endpoint's tokens, decoded and checked, then its refresh token and scope.
async fn print_answer(request: &Authorize<'_>, answer: &Value) -> anyhow::Result<()> {
    let tokens: Vec<(&str, String)> = ["id_token", "access_token"]
        .into_iter()
        .filter_map(|name| text(answer, name).map(|t| (name, t)))
        .collect();
    request.print_tokens(&tokens).await?;
    for name in ["refresh_token", "scope"] {
        if let Some(value) = text(answer, name) {
            println!("{name}: {value}");
        }
    }
    Ok(())
}

fn text(json: &Value, name: &str) -> Option<String> {
    json.get(name).and_then(Value::as_str).map(str::to_owned)
}

/// Exchanges the code at the token endpoint and gives its JSON answer.
async fn exchange(
    client: &reqwest::Client,
    args: &TokenGetArgs,
    redirect_uri: &str,
    code: &str,
    verifier: &str,
) -> anyhow::Result<Value> {
    let url = endpoint(&args.issuer, "token");
    let mut form: HashMap<&str, &str> = HashMap::from([
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ]);
    let mut req = client
        .post(&url)
        .header(reqwest::header::ACCEPT, "application/json");
    match (&args.client_secret, args.client_auth) {
        (None, _) => {
            form.insert("client_id", &args.client_id);
        }
        (Some(secret), ClientAuth::Basic) => req = req.basic_auth(&args.client_id, Some(secret)),
        (Some(secret), ClientAuth::Post) => {
            form.insert("client_id", &args.client_id);
            form.insert("client_secret", secret);
        }
    }
    let (status, body) = call(req.form(&form), &format!("the token endpoint {url}")).await?;
    if !status.is_success() {
        let r = Refusal::from_answer(status, &body);
        if r.is("invalid_client") {
            let hint = if args.client_secret.is_some() {
                "check the secret, and that --client-auth is the app's token_endpoint_auth_method"
            } else {
                "a confidential client needs --client-secret"
            };
            bail!(
                "the token endpoint refused the client credentials of {:?}: {r} ({hint})",
                args.client_id
            );
        }
        bail!("the token endpoint refused the code: {r}");
    }
    serde_json::from_str(&body).map_err(|_| anyhow!("the token endpoint's answer is not JSON"))
}
