//! Request paths with repeated slashes (`//api/v1/users`), which some versions of Okta's SDKs
//! send and Okta serves as if the slashes were single: the path is collapsed before routing.

use axum::Router;
use axum::extract::Request;
use axum::http::Uri;
use axum::http::uri::PathAndQuery;
use tower::ServiceExt;

/// `uri` with each run of slashes in its path made one, or `None` when it has no such run.
pub fn collapse_slashes(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    if !path.contains("//") {
        return None;
    }
    let mut collapsed = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && collapsed.ends_with('/')) {
            collapsed.push(c);
        }
    }
    if let Some(query) = uri.query() {
        collapsed.push('?');
        collapsed.push_str(query);
    }
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(PathAndQuery::try_from(collapsed).ok()?);
    Uri::from_parts(parts).ok()
}

/// `routes`, reached through collapsed paths (the rewrite has to happen before routing, so it
/// wraps the whole router rather than being one of its layers).
pub fn collapsing_slashes(routes: Router) -> Router {
    let service = routes.map_request(|mut req: Request| {
        if let Some(uri) = collapse_slashes(req.uri()) {
            *req.uri_mut() = uri;
        }
        req
    });
    Router::new().fallback_service(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_of_slashes_become_one() {
        let cases = [
            ("/api/v1/users", None),
            (
                "//api/v1/users?activate=true",
                Some("/api/v1/users?activate=true"),
            ),
            ("/api//v1///users/x", Some("/api/v1/users/x")),
            ("//", Some("/")),
            ("/oauth2/v1/authorize?redirect_uri=https://a//b", None),
        ];
        for (raw, want) in cases {
            let uri: Uri = raw.parse().unwrap();
            let got = collapse_slashes(&uri).map(|u| u.to_string());
            assert_eq!(got.as_deref(), want, "{raw}");
        }
    }
}
