//! `tollgate token decode` and `tollgate token get`: a developer's view of the tokens an issuer
//! (Tollgate or Okta) gives. Every refusal from the server is summarised in one line.

mod code;
mod decode;
mod get;
mod jwt;
mod loopback;
mod refusal;

use std::collections::HashMap;

pub use decode::run_decode;
pub use get::run_get;

/// An endpoint of an issuer: a custom server's `{iss}/v1/{name}`, the org server's
/// `{iss}/oauth2/v1/{name}`.
fn endpoint(iss: &str, name: &str) -> String {
    let iss = iss.trim_end_matches('/');
    if iss.contains("/oauth2/") {
        format!("{iss}/v1/{name}")
    } else {
        format!("{iss}/oauth2/v1/{name}")
    }
}

/// The parameters of a redirect URL: its query and its fragment together.
fn redirect_params(url: &url::Url) -> HashMap<String, String> {
    let query = url.query().unwrap_or_default();
    let fragment = url.fragment().unwrap_or_default();
    url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .chain(url::form_urlencoded::parse(fragment.as_bytes()).into_owned())
        .collect()
}

/// Sends a request and gives the answer's status and body, or says `what` cannot be reached.
async fn call(
    req: reqwest::RequestBuilder,
    what: &str,
) -> anyhow::Result<(reqwest::StatusCode, String)> {
    let resp = req
        .send()
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach {what}: {}", root_cause(&e)))?;
    let status = resp.status();
    Ok((status, resp.text().await.unwrap_or_default()))
}

/// The innermost cause of an error, which says what went wrong ("Connection refused"), where
/// reqwest's own message only says that sending failed.
fn root_cause(e: &dyn std::error::Error) -> String {
    let mut cause = e;
    while let Some(inner) = cause.source() {
        cause = inner;
    }
    cause.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_issuer() {
        for (iss, name, want) in [
            (
                "http://127.0.0.1:8080/oauth2/default",
                "keys",
                "http://127.0.0.1:8080/oauth2/default/v1/keys",
            ),
            (
                "https://acme.example/",
                "keys",
                "https://acme.example/oauth2/v1/keys",
            ),
            (
                "https://acme.example",
                "authorize",
                "https://acme.example/oauth2/v1/authorize",
            ),
            (
                "https://acme.example/oauth2/aus1",
                "token",
                "https://acme.example/oauth2/aus1/v1/token",
            ),
        ] {
            assert_eq!(endpoint(iss, name), want);
        }
    }

    #[test]
    fn redirect_params_read_query_and_fragment() {
        let url = url::Url::parse("myapp://cb?code=c%2B1&state=s#id_token=a.b.c").unwrap();
        let p = redirect_params(&url);
        assert_eq!(p["code"], "c+1");
        assert_eq!(p["state"], "s");
        assert_eq!(p["id_token"], "a.b.c");
    }
}
