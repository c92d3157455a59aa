//! What a server said when it refused a request, in one line, whatever form the answer took:
//! an OAuth error (`error`, `error_description`) in JSON or a redirect, an Okta API error
//! (`errorCode`, `errorSummary`), or an HTML error page.

use std::collections::HashMap;
use std::fmt;

use serde_json::Value;

/// The longest description kept: enough for any error sentence, never a whole page.
const MAX_DESCRIPTION: usize = 240;

/// The OAuth 2.0 / OpenID Connect error codes an HTML page may name.
const OAUTH_CODES: [&str; 14] = [
    "invalid_request",
    "invalid_client",
    "invalid_grant",
    "invalid_scope",
    "invalid_token",
    "unauthorized_client",
    "unsupported_grant_type",
    "unsupported_response_type",
    "unsupported_response_mode",
    "access_denied",
    "login_required",
    "consent_required",
    "server_error",
    "temporarily_unavailable",
];

/// A server's refusal: its error code, when it gave one, and its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `invalid_client`, `E0000004`, ...
    pub code: Option<String>,
    /// The server's explanation, on one line.
    pub description: String,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) if self.description.is_empty() => f.write_str(code),
            Some(code) => write!(f, "{code} ({})", self.description),
            None => f.write_str(&self.description),
        }
    }
}

impl Refusal {
    /// The error a redirect's parameters carry, if any.
    pub fn from_params(params: &HashMap<String, String>) -> Option<Self> {
        let code = params.get("error")?;
        Some(Self {
            code: Some(one_line(code)),
            description: one_line(params.get("error_description").map_or("", String::as_str)),
        })
    }

    /// The refusal an HTTP answer's `status` and `body` give.
    pub fn from_answer(status: reqwest::StatusCode, body: &str) -> Self {
        let found = serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|json| from_json(&json))
            .or_else(|| body.contains('<').then(|| from_html(body)))
            .unwrap_or_else(|| Self {
                code: None,
                description: one_line(body),
            });
        if found.code.is_none() && found.description.is_empty() {
            return Self {
                code: None,
                description: format!("HTTP {status}"),
            };
        }
        found
    }

    /// Whether the code is `code`.
    pub fn is(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

fn from_json(json: &Value) -> Option<Refusal> {
    let text = |name: &str| json.get(name).and_then(Value::as_str).map(one_line);
    if let Some(code) = text("error") {
        return Some(Refusal {
            code: Some(code),
            description: text("error_description").unwrap_or_default(),
        });
    }
    let code = text("errorCode")?;
    Some(Refusal {
        code: Some(code),
        description: text("errorSummary").unwrap_or_default(),
    })
}

/// An HTML page: the OAuth error it names and the sentence after it, else its title and text.
fn from_html(html: &str) -> Refusal {
    let title = element_text(html, "title");
    let body = element_text(html, "body").unwrap_or_else(|| page_text(html));
    let named = OAUTH_CODES
        .iter()
        .filter_map(|code| body.find(code).map(|at| (at, *code)))
        .min();
    if let Some((at, code)) = named {
        let after = body.get(at + code.len()..).unwrap_or_default();
        let after = after.trim_start_matches([':', ' ', '-']);
        let sentence = after
            .find(". ")
            .map_or(after, |end| after.get(..=end).unwrap_or(after));
        return Refusal {
            code: Some(code.to_owned()),
            description: one_line(sentence),
        };
    }
    let description = match title {
        Some(t) if !t.is_empty() && !body.starts_with(&t) => format!("{t}: {body}"),
        _ => body,
    };
    Refusal {
        code: None,
        description: one_line(&description),
    }
}

/// The text inside the first `<name ...>...</name>` element, if there is one.
fn element_text(html: &str, name: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let open = lower.find(&format!("<{name}"))?;
    let start = open + lower.get(open..)?.find('>')? + 1;
    let end = lower
        .get(start..)?
        .find(&format!("</{name}"))
        .map_or(html.len(), |e| start + e);
    Some(page_text(html.get(start..end)?))
}

/// The visible text of some HTML: no tags, no scripts or styles, entities decoded.
fn page_text(html: &str) -> String {
    // ASCII lower-casing keeps every byte offset, so one copy serves every search.
    let lower = html.to_ascii_lowercase();
    let mut text = String::new();
    let mut at = 0;
    while let Some(open) = lower.get(at..).and_then(|r| r.find('<')).map(|i| at + i) {
        text.push_str(html.get(at..open).unwrap_or_default());
        text.push(' ');
        let tag = lower.get(open..).unwrap_or_default();
        let close = ["script", "style"]
            .into_iter()
            .find(|t| tag.starts_with(&format!("<{t}")))
            .map_or(">".to_owned(), |t| format!("</{t}>"));
        at = tag
            .find(&close)
            .map_or(html.len(), |end| open + end + close.len());
    }
    text.push_str(html.get(at..).unwrap_or_default());
    decode_entities(&text)
}

fn decode_entities(text: &str) -> String {
    [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#x27;", "'"),
        ("&apos;", "'"),
        ("&nbsp;", " "),
        ("&amp;", "&"),
    ]
    .into_iter()
    .fold(text.to_owned(), |t, (entity, c)| t.replace(entity, c))
}

/// Whitespace collapsed to single spaces, cut at [`MAX_DESCRIPTION`] characters.
fn one_line(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let line = words.join(" ");
    if line.chars().count() <= MAX_DESCRIPTION {
        return line;
    }
    let cut: String = line.chars().take(MAX_DESCRIPTION).collect();
    format!("{cut}...")
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::StatusCode;

    #[test]
    fn every_kind_of_answer_becomes_one_line() {
        let bad = StatusCode::BAD_REQUEST;
        let page = crate::login::page::error_html(
            "invalid_client",
            "Invalid value for 'client_id' parameter.",
        );
        let cases: [(StatusCode, String, &str); 7] = [
            (bad, page, "invalid_client (Invalid value for 'client_id' parameter.)"),
            (
                StatusCode::UNAUTHORIZED,
                r#"{"error":"invalid_client","error_description":"Client authentication failed."}"#
                    .into(),
                "invalid_client (Client authentication failed.)",
            ),
            (
                StatusCode::UNAUTHORIZED,
                r#"{"errorCode":"E0000004","errorSummary":"Authentication failed","errorCauses":[]}"#
                    .into(),
                "E0000004 (Authentication failed)",
            ),
            (
                StatusCode::NOT_FOUND,
                "<html><head><title>Not here</title><style>p{color:red}</style></head>\
                 <body><h1>404</h1>\n<p>No such   page &amp; no\nluck</p><script>x()</script></body></html>"
                    .into(),
                "Not here: 404 No such page & no luck",
            ),
            (
                bad,
                "<p>Error: unsupported_response_type - The response type is not supported. More text.</p>"
                    .into(),
                "unsupported_response_type (The response type is not supported.)",
            ),
            (StatusCode::BAD_GATEWAY, String::new(), "HTTP 502 Bad Gateway"),
            (StatusCode::IM_A_TEAPOT, "short\nand stout".into(), "short and stout"),
        ];
        for (status, body, want) in cases {
            assert_eq!(Refusal::from_answer(status, &body).to_string(), want);
        }
        let long = "x ".repeat(500);
        let line = Refusal::from_answer(bad, &long).to_string();
        assert!(line.len() < 300 && line.ends_with("...") && !line.contains('\n'));
    }

    #[test]
    fn a_redirect_error_is_a_refusal() {
        let params: HashMap<String, String> = [
            ("error".to_owned(), "access_denied".to_owned()),
            (
                "error_description".to_owned(),
                "User is not\nassigned".to_owned(),
            ),
        ]
        .into();
        let r = Refusal::from_params(&params).unwrap();
        assert!(r.is("access_denied"));
        assert_eq!(r.to_string(), "access_denied (User is not assigned)");
        assert!(Refusal::from_params(&HashMap::new()).is_none());
    }
}
