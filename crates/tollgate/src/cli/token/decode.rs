//! `tollgate token decode [--no-verify] [JWT | REDIRECT-URL]`: prints each token's header and
//! payload and checks its signature; a signature that is invalid or could not be checked is an
//! error (exit 1) unless `--no-verify` says not to check.

use std::io::Read;

use anyhow::{Context, bail};
use serde_json::Value;

use super::jwt::{self, Check};
use super::redirect_params;
use crate::cli::args::TokenDecodeArgs;

/// The token parameters a redirect may carry, in the order they are printed.
const TOKEN_PARAMS: [&str; 2] = ["id_token", "access_token"];

/// `tollgate token decode`: the token or redirect URL from the argument or standard input.
pub async fn run_decode(args: TokenDecodeArgs) -> anyhow::Result<()> {
    let input = match args.input {
        Some(t) => t,
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the token from standard input")?;
            s
        }
    };
    let input = input.trim();
    if input.is_empty() {
        bail!("no token given (pass it as an argument or on standard input)");
    }
    let verify = !args.no_verify;
    let issuer = args.issuer.as_deref();
    match tokens_in(input)? {
        None => print_checked(input, verify, issuer).await,
        Some(tokens) => {
            for (name, token) in &tokens {
                println!("{name}:");
                print_checked(token, verify, issuer)
                    .await
                    .with_context(|| format!("the {name}"))?;
                println!();
            }
            Ok(())
        }
    }
}

/// The tokens a redirect URL (or its bare query or fragment) carries, or `None` when the
/// input is not one.
fn tokens_in(input: &str) -> anyhow::Result<Option<Vec<(&'static str, String)>>> {
    let params = if let Ok(url) = url::Url::parse(input) {
        redirect_params(&url)
    } else if ["id_token=", "access_token=", "code=", "error="]
        .iter()
        .any(|p| input.contains(p))
    {
        let bare = input.trim_start_matches(['#', '?']);
        url::form_urlencoded::parse(bare.as_bytes())
            .into_owned()
            .collect()
    } else {
        return Ok(None);
    };
    if let Some(error) = params.get("error") {
        let description = params.get("error_description").map_or("", String::as_str);
        bail!("the redirect carries an error, not a token: {error} ({description})");
    }
    let tokens: Vec<(&'static str, String)> = TOKEN_PARAMS
        .into_iter()
        .filter_map(|name| params.get(name).map(|t| (name, t.clone())))
        .collect();
    if tokens.is_empty() {
        if params.contains_key("code") {
            bail!(
                "the redirect carries an authorization code, not a token: only the token \
                 endpoint turns it into tokens (`tollgate token get` runs the whole code flow)"
            );
        }
        bail!("the URL carries no id_token or access_token");
    }
    Ok(Some(tokens))
}

/// Prints one token decoded and when it expires, and checks its signature (against the keys
/// of `issuer`, else of the token's own `iss`) unless told not to.
pub async fn print_checked(token: &str, verify: bool, issuer: Option<&str>) -> anyhow::Result<()> {
    let d = jwt::decode(token)?;
    println!("header:\n{}", serde_json::to_string_pretty(&d.header)?);
    println!("payload:\n{}", serde_json::to_string_pretty(&d.payload)?);
    if let Some(exp) = d.payload.get("exp").and_then(Value::as_i64) {
        println!(
            "{}",
            expiry(exp, tollgate_core::Clock::System.now().unix_seconds())
        );
    }
    if !verify {
        println!("signature: not checked (--no-verify)");
        return Ok(());
    }
    match jwt::check(&d, issuer).await {
        Check::Verified { kid, url } => {
            let whose = match issuer {
                Some(_) => "",
                None => {
                    "; the issuer is the token's own iss claim: --issuer pins the one you trust"
                }
            };
            println!("signature: verified (RS256, key {kid} from {url}{whose})");
            Ok(())
        }
        Check::Invalid(why) => {
            println!("signature: INVALID: {why}");
            bail!("the signature is invalid: {why}")
        }
        Check::Unchecked(why) => {
            println!("signature: NOT CHECKED: {why}");
            bail!("the signature could not be checked: {why} (--no-verify skips the check)")
        }
    }
}

/// When a token with `exp` expires, seen at `now` (both Unix seconds).
fn expiry(exp: i64, now: i64) -> String {
    let at = time::OffsetDateTime::from_unix_timestamp(exp)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| exp.to_string());
    match exp - now {
        left if left > 0 => format!("expires: {at} (in {left} s)"),
        left => format!("expires: {at} (EXPIRED {} s ago)", -left),
    }
}

/// The claim `name` of a token's payload, as text.
pub fn claim(token: &str, name: &str) -> Option<String> {
    let d = jwt::decode(token).ok()?;
    d.payload
        .get(name)
        .and_then(Value::as_str)
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_urls_and_bare_parameters_give_their_tokens() {
        let url = "https://example.com/cb#id_token=a.b.c&access_token=d.e.f&state=s";
        let tokens = tokens_in(url).unwrap().unwrap();
        assert_eq!(
            tokens,
            [
                ("id_token", "a.b.c".into()),
                ("access_token", "d.e.f".into())
            ]
        );
        let bare = tokens_in("#access_token=x.y.z&token_type=Bearer")
            .unwrap()
            .unwrap();
        assert_eq!(bare, [("access_token", "x.y.z".into())]);
        assert!(tokens_in("eyJh.eyJp.c2ln").unwrap().is_none());
        let code = tokens_in("http://127.0.0.1:5/cb?code=abc&state=s").unwrap_err();
        assert!(code.to_string().contains("authorization code"), "{code}");
        let error =
            tokens_in("myapp://cb?error=access_denied&error_description=Not+assigned").unwrap_err();
        assert_eq!(
            error.to_string(),
            "the redirect carries an error, not a token: access_denied (Not assigned)"
        );
        assert!(tokens_in("https://example.com/cb").is_err());
    }

    #[test]
    fn expiry_says_when_and_whether_it_has_passed() {
        assert_eq!(
            expiry(1_513_815_878, 1_513_812_278),
            "expires: 2017-12-21T00:24:38Z (in 3600 s)"
        );
        assert_eq!(
            expiry(1_513_815_878, 1_513_815_880),
            "expires: 2017-12-21T00:24:38Z (EXPIRED 2 s ago)"
        );
    }
}
