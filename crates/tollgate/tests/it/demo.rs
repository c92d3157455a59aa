//! `tollgate serve --demo` as a user runs it: the banner (demo token, user, password, the one
//! command that fetches and decodes a token), the guide's Step Two and Step Three requests
//! run verbatim against the demo org, with the groups claim they lead to, and restarts that
//! keep those changes until `--demo-reset`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::process::{Served, serve};

const APP: &str = "0oabskvc6442nkvQO0h7";
const CUSTOM: &str = "ausain6z9zIedDCxB0h7";

/// The guide's Step Two body, as printed there.
const STEP_TWO: &str = r#"{
    "name": "oidc_client",
    "label": "Sample Client",
    "status": "ACTIVE",
    "signOnMode": "OPENID_CONNECT",
    "credentials": {
      "oauthClient": {
        "token_endpoint_auth_method": "client_secret_post"
      }
    },
    "settings": {
      "oauthClient": {
        "client_uri": "http://localhost:8080",
        "logo_uri": "http://developer.okta.com/assets/images/logo-new.png",
        "redirect_uris": [
          "https://example.com/oauth2/callback",
          "myapp://callback"
        ],
        "response_types": [
          "token",
          "id_token",
          "code"
        ],
        "grant_types": [
          "implicit",
          "authorization_code"
        ],
        "application_type": "native"
      }
    },
    "profile": {
      "groupwhitelist": [
        "00gbso71miOMjxHRW0h7"
      ]
    }
  }"#;

/// The guide's Step Three body (ID token), with its extra pair of quotes.
const STEP_THREE: &str = r#"{
   "name": "groups",
   "status": "ACTIVE",
   "claimType": "IDENTITY",
   "valueType": "EXPRESSION",
   "value": "\"getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)\"",
   "conditions": {
     "scopes": []
   }
 }"#;

/// The guide's headers, `${api_token}` included literally (it is in single quotes there).
fn guide(req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    req.header("accept", "application/json")
        .header("authorization", "SSWS ${api_token}")
        .header("cache-control", "no-cache")
        .header("content-type", "application/json")
}

async fn send(req: reqwest::RequestBuilder, status: u16) -> Value {
    let resp = req.send().await.unwrap();
    let got = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "{text}");
    serde_json::from_str(&text).unwrap()
}

async fn groups_in_preview(client: &reqwest::Client, base: &str, server: &str) -> Value {
    let preview = send(
        guide(client.post(format!(
            "{base}/api/v1/authorizationServers/{server}/tokenPreview"
        )))
        .json(&json!({"clientId": APP, "userId": "00u5t60iloOHN9pBi0h7",
                      "grantType": "implicit", "scopes": ["openid", "groups"]})),
        200,
    )
    .await;
    assert_eq!(preview["decision"]["result"], "ALLOW", "{preview}");
    preview["idToken"]["claims"]["groups"].clone()
}

/// Signs the demo user in and runs the implicit flow for an ID token on the server at `path`
/// (`oauth2/default`, `oauth2/{authServerId}`) with the URL-encoded `scope`.
pub async fn demo_id_token(base: &str, path: &str, scope: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let session = send(
        client
            .post(format!("{base}/api/v1/authn"))
            .json(&json!({"username": "annie.jackson@acme.com", "password": "Tollgate-Demo-2026"})),
        200,
    )
    .await;
    let resp = client
        .get(format!(
            "{base}/{path}/v1/authorize?client_id={APP}&response_type=id_token&response_mode=fragment\
             &scope={scope}&redirect_uri=https%3A%2F%2Fexample.com%2Foauth2%2Fcallback&state=myState\
             &nonce=n&sessionToken={}",
            session["sessionToken"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    location
        .split(['#', '&'])
        .find_map(|p| p.strip_prefix("id_token="))
        .unwrap_or_else(|| panic!("{location}"))
        .to_owned()
}

#[tokio::test]
async fn serve_demo_prints_the_way_in_and_answers_the_guide_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(dir.path(), &["--demo"], "token decode");
    let (base, banner) = (server.base.clone(), server.banner.clone());
    assert!(
        dir.path().join("tollgate-demo.db").exists() && !dir.path().join("tollgate.db").exists(),
        "the demo keeps its public token out of tollgate.db"
    );
    assert!(banner.contains("admin API token: ${api_token}"), "{banner}");
    assert!(
        banner.contains("annie.jackson@acme.com / Tollgate-Demo-2026"),
        "{banner}"
    );
    assert!(banner.contains("Created an admin API token"), "{banner}");
    assert!(banner.contains("created the demo org"), "{banner}");
    let command = banner
        .lines()
        .find(|l| l.contains("token decode"))
        .unwrap()
        .trim();
    assert!(
        command.contains(&format!("{base}/api/v1/authn")),
        "{command}"
    );
    assert!(
        command.contains(&format!(
            "{base}/oauth2/default/v1/authorize?client_id={APP}"
        )),
        "{command}"
    );

    let client = reqwest::Client::new();
    // The demo org answers Step One and the org server's claim gives the whitelisted group.
    let groups = send(guide(client.get(format!("{base}/api/v1/groups"))), 200).await;
    assert!(
        groups
            .as_array()
            .unwrap()
            .iter()
            .any(|g| g["id"] == "00gbso71miOMjxHRW0h7"),
        "{groups}"
    );
    assert_eq!(
        groups_in_preview(&client, &base, "default").await,
        json!(["WestCoastDivision"])
    );
    // The demo's own super admin owns the demo token and signs in with the printed password.
    assert!(
        banner.contains("admin user:      admin@127.0.0.1 / Demo-Super-2026"),
        "{banner}"
    );
    assert!(
        banner.contains(&format!("admin console:   {base}/admin")),
        "{banner}"
    );
    let console = client.get(format!("{base}/admin")).send().await.unwrap();
    assert_eq!(
        console.url().path(),
        "/login",
        "the console asks for a sign-in first"
    );
    let me = send(guide(client.get(format!("{base}/api/v1/users/me"))), 200).await;
    assert_eq!(me["profile"]["login"], "admin@127.0.0.1");
    let authn = client
        .post(format!("{base}/api/v1/authn"))
        .json(&json!({"username": "admin@127.0.0.1", "password": "Demo-Super-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(authn.status(), 200);
    // Step Two, verbatim.
    let app = send(
        guide(client.post(format!("{base}/api/v1/apps/{APP}"))).body(STEP_TWO),
        200,
    )
    .await;
    assert_eq!(
        app["profile"]["groupwhitelist"],
        json!(["00gbso71miOMjxHRW0h7"])
    );
    // Step Three on the guide's custom server, verbatim; then the claim gives the group.
    assert!(
        groups_in_preview(&client, &base, CUSTOM).await.is_null(),
        "no groups claim before Step Three"
    );
    let claim = send(
        guide(client.post(format!(
            "{base}/api/v1/authorizationServers/{CUSTOM}/claims"
        )))
        .body(STEP_THREE),
        201,
    )
    .await;
    assert_eq!(
        claim["value"],
        r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#
    );
    assert_eq!(
        groups_in_preview(&client, &base, CUSTOM).await,
        json!(["WestCoastDivision"])
    );

    // Steps Four and Five: the printed command, run as a person would (curl, then decode).
    let out = Command::new("bash").args(["-c", command]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("\"WestCoastDivision\"") && text.contains("signature: verified"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And on the guide's custom server, now that Step Three created its claim.
    let id_token = demo_id_token(&base, &format!("oauth2/{CUSTOM}"), "groups%20openid").await;
    let decoded = crate::process::binary()
        .args(["token", "decode", &id_token])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&decoded.stdout);
    assert!(
        text.contains(&format!("\"iss\": \"{base}/oauth2/{CUSTOM}\""))
            && text.contains("\"WestCoastDivision\"")
            && text.contains("signature: verified"),
        "{text}"
    );

    server.stop();
}

/// The redirect URIs of the demo app, as the admin API shows them.
async fn demo_redirect_uris(base: &str) -> Value {
    let client = reqwest::Client::new();
    let app = send(guide(client.get(format!("{base}/api/v1/apps/{APP}"))), 200).await;
    app["settings"]["oauthClient"]["redirect_uris"].clone()
}

/// Starts `serve ARGS` in `dir` and checks its banner says `said` and the demo app has
/// `uris` redirect URIs.
async fn start_demo(dir: &std::path::Path, args: &[&str], said: &str, uris: usize) -> Served {
    let server = serve(dir, args, "token decode");
    assert!(server.banner.contains(said), "{}", server.banner);
    let got = demo_redirect_uris(&server.base).await;
    assert_eq!(got.as_array().unwrap().len(), uris, "{got}");
    server
}

/// A restart of `serve --demo` keeps what was changed through the API (the guide's Step Two
/// drops two redirect URIs the demo file declares); `--demo-reset` starts over from the file.
#[tokio::test]
async fn serve_demo_restarts_keep_api_changes_until_demo_reset() {
    let dir = tempfile::tempdir().unwrap();
    let created = "created the demo org";
    let first = start_demo(dir.path(), &["--demo"], created, 4).await;
    let client = reqwest::Client::new();
    let step_two = guide(client.post(format!("{}/api/v1/apps/{APP}", first.base)));
    send(step_two.body(STEP_TWO), 200).await;
    first.stop();

    let kept = "kept your changes from the last run; --demo-reset starts over";
    let second = start_demo(dir.path(), &["--demo"], kept, 2).await;
    assert!(!second.banner.contains("created user"), "{}", second.banner);
    second.stop();

    start_demo(dir.path(), &["--demo-reset"], created, 4)
        .await
        .stop();
}

/// `serve --config-org FILE` applies the file at start and reports it; a bad file stops the
/// start with the file, line and field.
#[test]
fn serve_config_org_applies_the_file_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "groups:\n  - name: Ops\n    members: [nobody@acme.com]\n",
    )
    .unwrap();
    let out = crate::process::binary()
        .current_dir(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--config-org"])
        .arg(&bad)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.yaml:3: groups[0].members[0]"), "{err}");

    let good = dir.path().join("org.yaml");
    std::fs::write(&good, "groups:\n  - name: Ops\n    description: On call\n").unwrap();
    let mut child = crate::process::binary()
        .current_dir(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0", "--config-org"])
        .arg(&good)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut seen = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("org.yaml: created") {
            break;
        }
    }
    assert!(seen.contains("+ created group Ops"), "{seen}");
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
