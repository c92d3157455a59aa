//! Content negotiation for the few paths that answer both people and programs (the home page):
//! a browser gets HTML, an API client or a bare `curl` gets JSON.

/// The weight (`q`, 0 to 1) that an `Accept` header gives to a media type, matching exact
/// entries only (wildcards are left out on purpose: `*/*` must not turn into HTML). `None` when
/// the header does not name the type.
fn weight_of(accept: &str, media_type: &str) -> Option<f32> {
    accept
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let name = parts.next()?.trim();
            if !name.eq_ignore_ascii_case(media_type) {
                return None;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|v| v.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some(q.clamp(0.0, 1.0))
        })
        .reduce(f32::max)
}

/// Whether a response should be HTML: the header names `text/html` with a weight above zero
/// and at least that of `application/json`. A missing header, `*/*` and `application/json`
/// all get JSON.
pub fn prefers_html(accept: Option<&str>) -> bool {
    let Some(accept) = accept else {
        return false;
    };
    let html = weight_of(accept, "text/html").unwrap_or(0.0);
    let json = weight_of(accept, "application/json").unwrap_or(0.0);
    html > 0.0 && html >= json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browsers_get_html_and_programs_get_json() {
        let chromium = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8";
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        let cases: [(Option<&str>, bool); 11] = [
            (Some(chromium), true),
            (Some(firefox), true),
            (Some("TEXT/HTML"), true),
            (Some("text/html;q=0.5, application/json;q=0.5"), true),
            (None, false),
            (Some(""), false),
            (Some("*/*"), false),
            (Some("application/json"), false),
            (Some("application/json, text/html;q=0.9"), false),
            (Some("text/html;q=0"), false),
            (Some("text/*"), false),
        ];
        for (accept, html) in cases {
            assert_eq!(prefers_html(accept), html, "{accept:?}");
        }
    }
}
