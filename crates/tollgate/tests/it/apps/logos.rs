//! App logos: `POST /api/v1/apps/{appId}/logo` (multipart), the public logo URL it leads to,
//! the app's `_links.logo` and its users' `logoUrl`, the errors, and deletion with the app.

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};

use super::create_app;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};
use crate::users::create_user;

backend_tests!(
    uploaded_logo_is_linked_and_served,
    svg_logo_is_sandboxed_and_replaced,
    bad_uploads_are_okta_errors,
    logo_goes_with_its_app,
);

const BOUNDARY: &str = "tollgateLogoBoundary";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";
const SVG: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2\" height=\"2\"><script>alert(1)</script></svg>";

/// A `multipart/form-data` body with one file part named `field`.
fn form(field: &str, file_name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload(app: &TestApp, app_id: &str, body: Vec<u8>) -> RequestBuilder {
    app.req(Method::POST, &format!("/api/v1/apps/{app_id}/logo"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(body)
}

/// Uploads `bytes` as the logo and checks Okta's 201 with an empty body.
async fn upload_ok(app: &TestApp, app_id: &str, file_name: &str, bytes: &[u8]) {
    let resp = send(upload(app, app_id, form("file", file_name, bytes))).await;
    assert_eq!(resp.status().as_u16(), 201);
    assert_eq!(resp.text().await.unwrap(), "");
}

/// A new OIDC app's id.
async fn new_app_id(app: &TestApp, label: &str) -> String {
    let created = create_app(app, label).await;
    created["id"].as_str().unwrap().to_owned()
}

/// The status of an anonymous `GET` of `path`.
async fn anon_status(app: &TestApp, path: &str) -> u16 {
    send(app.anon(Method::GET, path)).await.status().as_u16()
}

fn logo_link(app_json: &Value) -> (String, String) {
    let logo = &app_json["_links"]["logo"][0];
    assert_eq!(logo["name"], "medium", "{app_json}");
    let href = logo["href"].as_str().unwrap().to_owned();
    (href, logo["type"].as_str().unwrap().to_owned())
}

async fn uploaded_logo_is_linked_and_served(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let created = create_app(&app, "Logo App").await;
    let id = created["id"].as_str().unwrap().to_owned();
    let upload_link = &created["_links"]["uploadLogo"];
    assert_eq!(
        upload_link["href"],
        format!("{}/api/v1/apps/{id}/logo", app.base)
    );
    assert_eq!(upload_link["hints"]["allow"], json!(["POST"]));
    let (default_href, _) = logo_link(&created);
    assert!(default_href.ends_with("/assets/img/logos/default.png"));

    // The file name says SVG; the bytes say PNG, and the bytes win.
    upload_ok(&app, &id, "logo.svg", PNG).await;
    let got = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
    let (href, media_type) = logo_link(&got);
    assert_eq!(media_type, "image/png");
    let prefix = format!("{}/logos/apps/{id}/", app.base);
    let file = href.strip_prefix(&prefix).unwrap();
    assert!(file.ends_with(".png") && file.len() == 36, "{href}");

    let resp = send(app.anon(Method::GET, &href.replace(&app.base, ""))).await;
    assert_eq!(resp.status().as_u16(), 200);
    let h = resp.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["cache-control"]
            .to_str()
            .unwrap()
            .contains("max-age=31536000")
    );
    assert_eq!(resp.bytes().await.unwrap().as_ref(), PNG);

    // An assigned user's app link shows the same logo.
    let user = create_user(&app, "logo.user@example.com", "?activate=true").await;
    let assign = json!({"id": user, "scope": "USER"});
    json(app.post(&format!("/api/v1/apps/{id}/users"), &assign), 200).await;
    let links = json(app.get(&format!("/api/v1/users/{user}/appLinks")), 200).await;
    assert_eq!(links[0]["logoUrl"], href.as_str());

    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22application.lifecycle.update%22"),
        200,
    )
    .await;
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["target"][0]["id"], id.as_str());
    app.finish().await;
}

async fn svg_logo_is_sandboxed_and_replaced(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let bookmark = json!({"name": "bookmark", "label": "Bookmark", "signOnMode": "BOOKMARK",
        "settings": {"app": {"requestIntegration": false, "url": "https://example.com/b.htm"}}});
    let created = json(app.post("/api/v1/apps", &bookmark), 200).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(created["_links"]["uploadLogo"]["href"].is_string());

    upload_ok(&app, &id, "logo.png", SVG.as_bytes()).await;
    let (svg_href, media_type) =
        logo_link(&json(app.get(&format!("/api/v1/apps/{id}")), 200).await);
    assert_eq!(media_type, "image/svg+xml");
    assert!(svg_href.ends_with(".svg"));
    let svg_path = svg_href.replace(&app.base, "");
    let resp = send(app.anon(Method::GET, &svg_path)).await;
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "image/svg+xml");
    let csp = resp.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );

    // A new upload replaces the logo under a new name; the old URL is gone.
    let gif = b"GIF89a\x01\0\x01\0\x80\0\0\0\0\0\xff\xff\xff!\xf9\x04\x01\0\0\0\0,\0\0\0\0\x01\0\x01\0\0\x02\x02D\x01\0;";
    upload_ok(&app, &id, "logo.gif", gif).await;
    let (gif_href, media_type) =
        logo_link(&json(app.get(&format!("/api/v1/apps/{id}")), 200).await);
    assert_eq!(media_type, "image/gif");
    assert_ne!(gif_href, svg_href);
    assert_eq!(anon_status(&app, &svg_path).await, 404);
    let resp = send(app.anon(Method::GET, &gif_href.replace(&app.base, ""))).await;
    assert_eq!(resp.headers()["content-type"], "image/gif");
    assert!(resp.headers().get("content-security-policy").is_none());
    app.finish().await;
}

async fn bad_uploads_are_okta_errors(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let id = new_app_id(&app, "Bad Logos").await;
    let mut too_big = b"GIF89a".to_vec();
    too_big.resize(1024 * 1024, 0);
    let cases = [
        (
            "no file field",
            form("image", "a.png", PNG),
            "file: A file is required.",
        ),
        (
            "empty file",
            form("file", "a.png", b""),
            "file: A file is required.",
        ),
        ("not a form", b"plain".to_vec(), "file: A file is required."),
        (
            "text named png",
            form("file", "a.png", b"hello"),
            "PNG, JPG, GIF or SVG",
        ),
        (
            "svg in UTF-16",
            form("file", "a.svg", b"\xff\xfe<\0s\0v\0g\0>\0"),
            "PNG, JPG, GIF or SVG",
        ),
        (
            "one MB",
            form("file", "a.gif", &too_big),
            "less than one MB",
        ),
    ];
    for (what, body, cause) in cases {
        let req = if what == "not a form" {
            app.req(Method::POST, &format!("/api/v1/apps/{id}/logo"))
                .header("Content-Type", "text/plain")
                .body(body)
        } else {
            upload(&app, &id, body)
        };
        let err = json(req, 400).await;
        assert_eq!(
            assert_okta_error(&err, "E0000001"),
            "Api validation failed: file",
            "{what}"
        );
        let text = err["errorCauses"][0]["errorSummary"].as_str().unwrap();
        assert!(text.contains(cause), "{what}: {text}");
    }
    let huge = vec![0_u8; 3 * 1024 * 1024];
    let over_limit = send(upload(&app, &id, form("file", "a.png", &huge))).await;
    assert_eq!(over_limit.status().as_u16(), 413, "over the request limit");
    let got = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
    assert!(logo_link(&got).0.ends_with("/default.png"));

    let missing = json(
        upload(&app, "0oaMISSINGMISSINGMIS", form("file", "a.png", PNG)),
        404,
    )
    .await;
    assert_okta_error(&missing, "E0000007");
    let anon = app
        .anon(Method::POST, &format!("/api/v1/apps/{id}/logo"))
        .header(
            "Content-Type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(form("file", "a.png", PNG));
    assert_okta_error(&json(anon, 403).await, "E0000005");
    for path in [
        "/logos/apps/{id}/nothex.png",
        "/logos/apps/{id}/0123456789abcdef0123456789abcdef.png",
    ] {
        let status = anon_status(&app, &path.replace("{id}", &id)).await;
        assert_eq!(status, 404, "{path}");
    }
    app.finish().await;
}

async fn logo_goes_with_its_app(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let id = new_app_id(&app, "Short Lived").await;
    upload_ok(&app, &id, "a.png", PNG).await;
    let (href, _) = logo_link(&json(app.get(&format!("/api/v1/apps/{id}")), 200).await);
    let path = href.replace(&app.base, "");
    assert_eq!(anon_status(&app, &path).await, 200);
    let deactivate = format!("/api/v1/apps/{id}/lifecycle/deactivate");
    json(app.post(&deactivate, &json!({})), 200).await;
    let deleted = send(app.delete(&format!("/api/v1/apps/{id}"))).await;
    assert_eq!(deleted.status().as_u16(), 204);
    assert_eq!(anon_status(&app, &path).await, 404);
    app.finish().await;
}
