//! Cursor paging as Okta does it: `limit` and an opaque `after` (the last item's id), and a
//! `Link` header with `rel="self"` and, only when more data exists, `rel="next"` repeating the
//! original query with the new `after`.

use axum::http::{HeaderMap, HeaderValue, Uri};

/// How much to list and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    /// Items to return (already clamped).
    pub limit: usize,
    /// List items after this cursor.
    pub after: Option<String>,
}

impl PageRequest {
    /// From the raw `limit` and `after` parameters: a missing or unparsable limit gives
    /// `default`, an oversize one is clamped to `max` (Okta clamps rather than failing).
    pub fn new(limit: Option<&str>, after: Option<&str>, default: usize, max: usize) -> Self {
        let limit = limit
            .and_then(|l| l.trim().parse::<i64>().ok())
            .map_or(default, |l| {
                usize::try_from(l.max(1)).unwrap_or(default).min(max)
            });
        let after = after
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(str::to_owned);
        Self { limit, after }
    }
}

/// The `Link` headers for a page served at `uri` under `public_url`; `next_after` is the
/// cursor of the next page when there is one.
pub fn link_headers(public_url: &str, uri: &Uri, next_after: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let path = uri.path();
    let query = uri.query().unwrap_or_default();
    let self_url = if query.is_empty() {
        format!("{public_url}{path}")
    } else {
        format!("{public_url}{path}?{query}")
    };
    if let Ok(v) = HeaderValue::from_str(&format!("<{self_url}>; rel=\"self\"")) {
        headers.append("link", v);
    }
    if let Some(after) = next_after {
        let mut ser = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            if k != "after" {
                ser.append_pair(&k, &v);
            }
        }
        ser.append_pair("after", after);
        let next = format!("{public_url}{path}?{}", ser.finish());
        if let Ok(v) = HeaderValue::from_str(&format!("<{next}>; rel=\"next\"")) {
            headers.append("link", v);
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_clamped() {
        assert_eq!(PageRequest::new(None, None, 200, 200).limit, 200);
        assert_eq!(PageRequest::new(Some("5000"), None, 200, 200).limit, 200);
        assert_eq!(PageRequest::new(Some("0"), None, 200, 200).limit, 1);
        assert_eq!(
            PageRequest::new(Some("junk"), Some(" "), 20, 200),
            PageRequest {
                limit: 20,
                after: None
            }
        );
    }

    #[test]
    fn next_link_repeats_the_query() {
        let uri: Uri = "/api/v1/groups?q=West%20Coast&limit=2&after=00gold"
            .parse()
            .unwrap();
        let h = link_headers("https://id.example", &uri, Some("00gnext"));
        let links: Vec<_> = h
            .get_all("link")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            links[0],
            "<https://id.example/api/v1/groups?q=West%20Coast&limit=2&after=00gold>; rel=\"self\""
        );
        assert_eq!(
            links[1],
            "<https://id.example/api/v1/groups?q=West+Coast&limit=2&after=00gnext>; rel=\"next\""
        );
        assert_eq!(
            link_headers("https://id.example", &uri, None)
                .get_all("link")
                .iter()
                .count(),
            1
        );
    }
}
