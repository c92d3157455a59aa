//! Where an app's end-user link (`/home/{appName}/{appId}/{linkId}`, the `linkUrl` of
//! `appLinks`) takes a signed-in, assigned user: a bookmark's URL, a password app's sign-in
//! page, a custom SAML app's IdP-initiated SSO, an OpenID Connect client's
//! `initiate_login_uri`. Only absolute `http(s)` URLs are followed.

use serde_json::{Map, Value};

use super::template::TemplateKind;

/// Where a launch goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Launch {
    /// To this URL.
    Redirect(String),
    /// To the app's own SAML SSO endpoint (IdP-initiated).
    SamlSso,
    /// Nowhere Tollgate can send a browser (no URL set, or a kind it cannot start).
    Nowhere,
}

/// The launch of an app of `kind` (`None`: an OpenID Connect client) with these settings.
pub fn launch(
    kind: Option<TemplateKind>,
    app_settings: &Map<String, Value>,
    sign_on: Option<&Map<String, Value>>,
    initiate_login_uri: Option<&str>,
) -> Launch {
    let url = match kind {
        None => initiate_login_uri,
        Some(TemplateKind::Saml) => return Launch::SamlSso,
        Some(
            TemplateKind::Bookmark
            | TemplateKind::BasicAuth
            | TemplateKind::Swa
            | TemplateKind::Sps,
        ) => text(app_settings, "url"),
        Some(TemplateKind::Swa3Field) => text(app_settings, "targetURL"),
        Some(TemplateKind::AutoLogin) => sign_on.and_then(|s| text(s, "loginUrl")),
        Some(TemplateKind::Org2Org | TemplateKind::WsFed) => None,
    };
    match url.map(str::trim) {
        Some(u) if is_web_url(u) => Launch::Redirect(u.to_owned()),
        _ => Launch::Nowhere,
    }
}

fn text<'a>(settings: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    settings.get(key).and_then(Value::as_str)
}

fn is_web_url(u: &str) -> bool {
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn each_kind_launches_where_okta_would() {
        let url =
            map(json!({"url": "https://example.com/a", "targetURL": "https://example.com/b"}));
        let sign_on = map(json!({"loginUrl": "https://example.com/login"}));
        let cases = [
            (
                Some(TemplateKind::Bookmark),
                Launch::Redirect("https://example.com/a".into()),
            ),
            (
                Some(TemplateKind::BasicAuth),
                Launch::Redirect("https://example.com/a".into()),
            ),
            (
                Some(TemplateKind::Swa),
                Launch::Redirect("https://example.com/a".into()),
            ),
            (
                Some(TemplateKind::Sps),
                Launch::Redirect("https://example.com/a".into()),
            ),
            (
                Some(TemplateKind::Swa3Field),
                Launch::Redirect("https://example.com/b".into()),
            ),
            (
                Some(TemplateKind::AutoLogin),
                Launch::Redirect("https://example.com/login".into()),
            ),
            (Some(TemplateKind::Saml), Launch::SamlSso),
            (Some(TemplateKind::Org2Org), Launch::Nowhere),
            (Some(TemplateKind::WsFed), Launch::Nowhere),
            (None, Launch::Redirect("http://localhost:3000/start".into())),
        ];
        for (kind, want) in cases {
            let got = launch(
                kind,
                &url,
                Some(&sign_on),
                Some("http://localhost:3000/start"),
            );
            assert_eq!(got, want, "{kind:?}");
        }
    }

    #[test]
    fn only_web_urls_are_followed() {
        for bad in [
            "javascript:alert(1)",
            "//evil.example",
            "https://a.example/\nx",
            "",
            "ftp://x.example",
        ] {
            let settings = map(json!({"url": bad}));
            assert_eq!(
                launch(Some(TemplateKind::Bookmark), &settings, None, None),
                Launch::Nowhere,
                "{bad}"
            );
        }
        assert_eq!(launch(None, &Map::new(), None, None), Launch::Nowhere);
        let upper = map(json!({"url": "HTTPS://Example.com/"}));
        assert_eq!(
            launch(Some(TemplateKind::Bookmark), &upper, None, None),
            Launch::Redirect("HTTPS://Example.com/".into())
        );
    }
}
