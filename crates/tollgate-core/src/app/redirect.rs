//! Redirect URIs: what may be registered, and whether a requested URI matches a registered one.

use crate::app::vocab::WildcardRedirect;
use crate::error::Cause;

/// A redirect-style URI: absolute (a scheme), no fragment, no whitespace; `http(s)` URIs need
/// a host. With `wildcard`, one `*` may stand in the left-most label of an `https` host that has
/// at least two labels after it.
pub(crate) fn check_uri(field: &str, uri: &str, wildcard: bool, causes: &mut Vec<Cause>) {
    let bad = |why: &str| Cause::field(field, format!("'{uri}' {why}"));
    let Some((scheme, rest)) = uri.split_once(':') else {
        causes.push(bad("is not an absolute URI"));
        return;
    };
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok || rest.is_empty() {
        causes.push(bad("is not an absolute URI"));
        return;
    }
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
        causes.push(bad("must not contain whitespace"));
        return;
    }
    if uri.contains('#') {
        causes.push(bad("must not contain a fragment"));
        return;
    }
    let scheme = scheme.to_ascii_lowercase();
    if scheme == "http" || scheme == "https" {
        let Some(after) = rest.strip_prefix("//") else {
            causes.push(bad("is not an absolute URI"));
            return;
        };
        let authority = after.split(['/', '?']).next().unwrap_or_default();
        let host = authority.rsplit('@').next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        if host.is_empty() {
            causes.push(bad("has no host"));
            return;
        }
        if host.contains('*') {
            let labels: Vec<&str> = host.split('.').collect();
            let only_first = labels.iter().skip(1).all(|l| !l.contains('*'))
                && labels.first().is_some_and(|l| l.matches('*').count() == 1);
            if !wildcard {
                causes.push(bad("contains a wildcard but wildcard_redirect is DISABLED"));
            } else if scheme != "https" || !only_first || labels.len() < 3 {
                causes.push(bad(
                    "may have one '*' only in the left-most label of an https host with a subdomain",
                ));
            }
        }
    } else if uri.contains('*') && wildcard {
        causes.push(bad("may use a wildcard only with https"));
    }
}

/// Whether the requested `uri` matches the `registered` one: the same string, or, with
/// `SUBDOMAIN` wildcards, the registered URI with its one `*` standing for one or more hostname
/// characters that never span a dot.
pub(crate) fn redirect_matches(registered: &str, uri: &str, wildcard: WildcardRedirect) -> bool {
    if registered == uri {
        return true;
    }
    if wildcard != WildcardRedirect::Subdomain {
        return false;
    }
    let Some((head, tail)) = registered.split_once('*') else {
        return false;
    };
    if !head.starts_with("https://") || tail.contains('*') {
        return false;
    }
    let Some(middle) = uri
        .strip_prefix(head)
        .and_then(|rest| rest.strip_suffix(tail))
    else {
        return false;
    };
    !middle.is_empty()
        && middle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_and_wildcard_matches() {
        let exact = WildcardRedirect::Disabled;
        let wild = WildcardRedirect::Subdomain;
        assert!(redirect_matches(
            "myapp://callback",
            "myapp://callback",
            exact
        ));
        assert!(!redirect_matches(
            "https://a.example/cb",
            "https://a.example/cb/",
            exact
        ));
        let pattern = "https://redirect-*-domain.example.com/oidc/redirect";
        assert!(!redirect_matches(
            pattern,
            "https://redirect-1-domain.example.com/oidc/redirect",
            exact
        ));
        assert!(redirect_matches(
            pattern,
            "https://redirect-1-domain.example.com/oidc/redirect",
            wild
        ));
        assert!(redirect_matches(
            pattern,
            "https://redirect-sub-domain.example.com/oidc/redirect",
            wild
        ));
        assert!(!redirect_matches(
            pattern,
            "https://redirect-1.sub-domain.example.com/oidc/redirect",
            wild
        ));
        assert!(!redirect_matches(
            pattern,
            "https://redirect--domain.example.com/oidc/redirect",
            wild
        ));
        assert!(!redirect_matches(
            pattern,
            "https://redirect-1-domain.example.com/oidc/redirect?x",
            wild
        ));
    }

    #[test]
    fn registrable_uris() {
        let mut causes = Vec::new();
        for ok in [
            "https://a.example/cb",
            "myapp://callback",
            "com.example.app:/oauth2",
            "http://localhost:8080/cb?x=1",
        ] {
            check_uri("redirect_uris", ok, false, &mut causes);
        }
        assert!(causes.is_empty(), "{causes:?}");
        for bad in [
            "/cb",
            "https:/a.example",
            "https://",
            "https://a.example/#x",
            "https://a .example",
            "https://*.a.example/cb",
            "1app://x",
        ] {
            check_uri("redirect_uris", bad, false, &mut causes);
        }
        assert_eq!(causes.len(), 7, "{causes:?}");
        causes.clear();
        check_uri(
            "redirect_uris",
            "https://*.example.com/cb",
            true,
            &mut causes,
        );
        check_uri(
            "redirect_uris",
            "https://a.*.example.com/cb",
            true,
            &mut causes,
        );
        check_uri(
            "redirect_uris",
            "http://*.example.com/cb",
            true,
            &mut causes,
        );
        check_uri("redirect_uris", "https://*.com/cb", true, &mut causes);
        assert_eq!(causes.len(), 3, "{causes:?}");
    }
}
