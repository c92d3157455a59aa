//! The parameters of an OAuth request (a query string or a form body), each name at most once
//! (RFC 6749 section 3.1: "Request and response parameters MUST NOT be included more than
//! once"). An empty value counts as absent, as Okta treats it.

use std::collections::BTreeSet;

/// Okta's words for a repeated parameter.
pub const DUPLICATE: &str = "The request contained multiple parameters with the same name.";

/// A request's parameters in the order sent.
#[derive(Debug, Default, Clone)]
pub struct Params {
    pairs: Vec<(String, String)>,
    duplicate: bool,
}

impl Params {
    /// Parses `application/x-www-form-urlencoded` text (a query string or a form body).
    pub fn parse(text: &str) -> Self {
        let mut out = Self::default();
        let mut seen = BTreeSet::new();
        for (k, v) in url::form_urlencoded::parse(text.as_bytes()) {
            if !seen.insert(k.to_string()) {
                out.duplicate = true;
            }
            out.pairs.push((k.into_owned(), v.into_owned()));
        }
        out
    }

    /// Whether some name was sent twice.
    pub fn has_duplicate(&self) -> bool {
        self.duplicate
    }

    /// The value of `name`, unless absent or empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// Whether `name` was sent at all, even empty.
    pub fn contains(&self, name: &str) -> bool {
        self.pairs.iter().any(|(k, _)| k == name)
    }

    /// The parameters, re-encoded without the names in `drop`.
    pub fn encode_without(&self, drop: &[&str]) -> String {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            if !drop.contains(&k.as_str()) {
                ser.append_pair(k, v);
            }
        }
        ser.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_decodes_and_finds_duplicates() {
        let cases: [(&str, Option<&str>, bool); 6] = [
            ("a=1&b=2", Some("1"), false),
            ("a=1&a=2", Some("1"), true),
            ("a=&b=2", None, false),
            ("a=x%20y+z", Some("x y z"), false),
            ("b=1", None, false),
            ("a%00=1&a=2", Some("2"), false),
        ];
        for (text, a, dup) in cases {
            let p = Params::parse(text);
            assert_eq!(p.get("a"), a, "{text}");
            assert_eq!(p.has_duplicate(), dup, "{text}");
        }
    }

    #[test]
    fn encodes_without_dropped_names() {
        let p = Params::parse("a=1&sessionToken=s&b=x%20y");
        assert_eq!(p.encode_without(&["sessionToken"]), "a=1&b=x+y");
        assert!(p.contains("sessionToken"));
    }
}
