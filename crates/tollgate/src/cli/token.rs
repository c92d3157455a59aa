//! `tollgate token decode [JWT]`: prints a JWT's header and payload and checks its RS256
//! signature against the issuer's published keys when they can be fetched.

use std::io::Read;

use anyhow::{Context, bail};
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// A JWT split into its parts.
#[derive(Debug)]
pub struct Decoded {
    /// The JOSE header.
    pub header: Value,
    /// The claims.
    pub payload: Value,
    signing_input: String,
    signature: Vec<u8>,
}

fn b64(part: &str, what: &str) -> anyhow::Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .with_context(|| format!("the {what} is not base64url"))
}

/// Splits and decodes a compact JWS.
pub fn decode(jwt: &str) -> anyhow::Result<Decoded> {
    let jwt = jwt.trim();
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        bail!(
            "not a JWT: expected three dot-separated parts, found {}",
            parts.len()
        );
    };
    let header: Value =
        serde_json::from_slice(&b64(h, "header")?).context("the header is not JSON")?;
    let payload: Value =
        serde_json::from_slice(&b64(p, "payload")?).context("the payload is not JSON")?;
    Ok(Decoded {
        header,
        payload,
        signing_input: format!("{h}.{p}"),
        signature: b64(s, "signature")?,
    })
}

/// Where an issuer publishes its keys: custom servers under `{iss}/v1/keys`, the org server
/// under `{iss}/oauth2/v1/keys`.
pub fn jwks_url(iss: &str) -> String {
    let iss = iss.trim_end_matches('/');
    if iss.contains("/oauth2/") {
        format!("{iss}/v1/keys")
    } else {
        format!("{iss}/oauth2/v1/keys")
    }
}

/// Checks the RS256 signature against the key of `kid` in `jwks`.
pub fn verify_with(d: &Decoded, jwks: &Value) -> Result<String, String> {
    if d.header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err("the header's alg is not RS256".to_owned());
    }
    let kid = d
        .header
        .get("kid")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let keys = jwks
        .get("keys")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let Some(key) = keys
        .iter()
        .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
    else {
        return Err(format!("no key {kid:?} in the issuer's key set"));
    };
    let part = |name: &str| {
        key.get(name)
            .and_then(Value::as_str)
            .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
            .ok_or_else(|| format!("key {kid:?} has no usable {name}"))
    };
    let public = RsaPublicKeyComponents {
        n: part("n")?,
        e: part("e")?,
    };
    public
        .verify(
            &RSA_PKCS1_2048_8192_SHA256,
            d.signing_input.as_bytes(),
            &d.signature,
        )
        .map(|()| kid.to_owned())
        .map_err(|_| format!("the signature does not match key {kid:?}"))
}

async fn fetch_jwks(url: &str) -> Result<Value, String> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("{url} answered {}", resp.status()));
    }
    resp.json().await.map_err(|e| e.to_string())
}

/// `tollgate token decode`: the token from the argument or standard input.
pub async fn run_decode(jwt: Option<String>) -> anyhow::Result<()> {
    let jwt = match jwt {
        Some(t) => t,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the token from standard input")?;
            s
        }
    };
    if jwt.trim().is_empty() {
        bail!("no token given (pass it as an argument or on standard input)");
    }
    let d = decode(&jwt)?;
    println!("header:\n{}", serde_json::to_string_pretty(&d.header)?);
    println!("payload:\n{}", serde_json::to_string_pretty(&d.payload)?);
    let Some(iss) = d.payload.get("iss").and_then(Value::as_str) else {
        println!("signature: not verified (the token has no iss)");
        return Ok(());
    };
    let url = jwks_url(iss);
    match fetch_jwks(&url).await {
        Err(e) => println!("signature: not verified (cannot fetch {url}: {e})"),
        Ok(jwks) => match verify_with(&d, &jwks) {
            Ok(kid) => println!("signature: verified (RS256, key {kid} from {url})"),
            Err(e) => bail!("signature: INVALID: {e}"),
        },
    }
    Ok(())
}

/// What `tollgate token get` needs.
#[derive(Debug, Clone)]
pub struct GetArgs {
    /// The issuer: the org URL or `{org}/oauth2/{authServerId}`.
    pub issuer: String,
    /// The app's client id.
    pub client_id: String,
    /// The user's login.
    pub username: String,
    /// The user's password.
    pub password: String,
    /// A redirect URI registered on the app.
    pub redirect_uri: String,
    /// Space-separated scopes.
    pub scope: String,
    /// `id_token`, `token` or `id_token token`.
    pub response_type: String,
}

/// The authorize endpoint of an issuer.
fn authorize_url(iss: &str) -> String {
    let iss = iss.trim_end_matches('/');
    if iss.contains("/oauth2/") {
        format!("{iss}/v1/authorize")
    } else {
        format!("{iss}/oauth2/v1/authorize")
    }
}

/// `tollgate token get`: signs in with `/api/v1/authn`, runs the implicit flow with the
/// session token, and prints (and decodes) the tokens the redirect carries.
pub async fn run_get(args: GetArgs) -> anyhow::Result<()> {
    let issuer = url::Url::parse(&args.issuer).context("--issuer is not a URL")?;
    let origin = issuer.origin().ascii_serialization();
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let authn: Value = client
        .post(format!("{origin}/api/v1/authn"))
        .json(&serde_json::json!({"username": args.username, "password": args.password}))
        .send()
        .await
        .with_context(|| format!("cannot reach {origin}"))?
        .json()
        .await
        .context("the sign-in answer is not JSON")?;
    let Some(session_token) = authn.get("sessionToken").and_then(Value::as_str) else {
        bail!(
            "sign-in failed: {}",
            authn
                .get("errorSummary")
                .or_else(|| authn.get("status"))
                .unwrap_or(&authn)
        );
    };
    let state = tollgate_core::id::random_base62(16);
    let nonce = tollgate_core::id::random_base62(16);
    let mut url = url::Url::parse(&authorize_url(issuer.as_str()))?;
    url.query_pairs_mut()
        .append_pair("client_id", &args.client_id)
        .append_pair("response_type", &args.response_type)
        .append_pair("response_mode", "fragment")
        .append_pair("scope", &args.scope)
        .append_pair("redirect_uri", &args.redirect_uri)
        .append_pair("state", &state)
        .append_pair("nonce", &nonce)
        .append_pair("sessionToken", session_token);
    let resp = client.get(url).send().await?;
    let location = resp
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(location) = location else {
        let status = resp.status();
        let body = resp.text().await.unwrap_or_default();
        bail!("the authorize endpoint answered {status} without a redirect: {body}");
    };
    let fragment = location.split_once('#').map(|(_, f)| f).unwrap_or_default();
    let params: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(fragment.as_bytes())
            .into_owned()
            .collect();
    if let Some(error) = params.get("error") {
        bail!(
            "the authorization server answered {error}: {}",
            params.get("error_description").map_or("", String::as_str)
        );
    }
    if params.get("state") != Some(&state) {
        bail!("the redirect's state does not match the request's");
    }
    let mut any = false;
    for name in ["id_token", "access_token"] {
        if let Some(token) = params.get(name) {
            any = true;
            println!("{name}: {token}");
            run_decode(Some(token.clone())).await?;
            println!();
        }
    }
    if !any {
        bail!("the redirect carries no token: {location}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_authorize_endpoints_follow_the_issuer() {
        assert_eq!(
            jwks_url("http://127.0.0.1:8080/oauth2/default"),
            "http://127.0.0.1:8080/oauth2/default/v1/keys"
        );
        assert_eq!(
            jwks_url("https://acme.example/"),
            "https://acme.example/oauth2/v1/keys"
        );
        assert_eq!(
            authorize_url("https://acme.example"),
            "https://acme.example/oauth2/v1/authorize"
        );
        assert_eq!(
            authorize_url("https://acme.example/oauth2/aus1"),
            "https://acme.example/oauth2/aus1/v1/authorize"
        );
    }

    #[test]
    fn decode_reads_the_guide_token() {
        // The example ID token of the groups-claim guide (its key is not published anywhere).
        let jwt = "eyJraWQiOiJiS0U0czM3d01tQWZ5ZzQtVFJQcVg1YW50blE1ajBuNFJKcE9nSl9zT0JVIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiIwMHU1dDYwaWxvT0hOOXBCaTBoNyIsInZlciI6MSwiaXNzIjoiaHR0cHM6Ly9teXN0aWNvcnAub2t0YXByZXZpZXcuY29tIiwiYXVkIjoiMG9hYnNrdmM2NDQybmt2UU8waDciLCJpYXQiOjE1MTM4MTIyNzgsImV4cCI6MTUxMzgxNTg3OCwianRpIjoiSUQuNlBKamc0c0VQam8zRWVvR0FSblExUEoyRnFVY2dhajdmWUUwUG5fNW9FWSIsImFtciI6WyJwd2QiXSwiaWRwIjoiMDBvNXQ2MGlsM1V6eUllNXYwaDciLCJub25jZSI6ImIxYmMxYWZlLTA5ZjctNGUyOC1hODQ3LWRjMGIyODZjN2Y0NiIsImF1dGhfdGltZSI6MTUxMzc5NTMyMiwiZ3JvdXBzIjpbIldlc3RDb2FzdERpdmlzaW9uIl19.QLp-xJ5vKYq6I2VAUEL11QL9D70EDBlYQb_GPirEOJeSEGhlFDaNdow7-FBbBUTCkn51LU4lNyKLxTi_Mhj5S3I8KxinuAxjyvUpt7zt3BmkDBpVzHB4oz9D28j2QXElslVnEf42pwn5VPyjRrejo63CkykeXZGAGU9irlZHHM9TqmZKHZzBVk5wN3RkbqfZ3VtMAt4zP7xGHH156IcGnlNe-k_p70Mtun_hblxwo1TFxR3MbIlNfxXSliiyQb8Y3wa7tp9OKZECDStZ4FCt4R1n5MKC1wVI2rc8yM7n6DbPT73lB7j4wtCBlcm_Dd-GqCwof-_eb_s8RkCKGlhdcQ";
        let d = decode(jwt).unwrap();
        assert_eq!(d.header["alg"], "RS256");
        assert_eq!(
            d.payload["groups"],
            serde_json::json!(["WestCoastDivision"])
        );
        let empty = serde_json::json!({"keys": []});
        assert!(verify_with(&d, &empty).unwrap_err().contains("no key"));
        assert!(decode("a.b").is_err());
    }
}
