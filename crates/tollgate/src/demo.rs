//! `tollgate serve --demo`: the seed scenario's org (`examples/seed-scenario.yaml`, built into
//! the binary) applied when the demo database is created, `--demo-reset` to start over, and a
//! banner with everything needed to try it.

use anyhow::{Context, bail};
use tollgate_core::secret::Secret;
use tollgate_store::{DatabaseUrl, Store};

/// The seed scenario's org file.
pub const SEED_SCENARIO: &str = include_str!("../../../examples/seed-scenario.yaml");
/// How the embedded file is named in messages.
pub const SEED_FILE: &str = "examples/seed-scenario.yaml (built in)";
/// Where `serve --demo` keeps its data unless told otherwise: not `tollgate.db`, so that the
/// demo's public token and password never land in a real org by accident.
pub const DEMO_DATABASE_URL: &str = "sqlite://tollgate-demo.db";
/// The demo admin API token: the literal text the guide's curl commands send.
pub const DEMO_API_TOKEN: &str = "${api_token}";
/// The demo user.
pub const DEMO_LOGIN: &str = "annie.jackson@acme.com";
/// The demo user's password (demo only: it is printed at start).
pub const DEMO_PASSWORD: &str = "Tollgate-Demo-2026";
/// The demo admin user's password (demo only: it is printed at start).
pub const DEMO_ADMIN_PASSWORD: &str = "Demo-Super-2026";
/// The guide's app, whose client id is its app id.
pub const DEMO_CLIENT_ID: &str = "0oabskvc6442nkvQO0h7";
/// The guide's custom authorization server.
pub const DEMO_SERVER_ID: &str = "ausain6z9zIedDCxB0h7";

/// Quotes `s` for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// One shell command that signs the demo user in, runs the implicit flow on `default` for an
/// ID token with the `groups` scope, and decodes the token with `tollgate token decode`.
pub fn token_command(base: &str, exe: &str) -> String {
    let authn = format!(
        "curl -s -X POST -H 'Content-Type: application/json' \
         -d '{{\"username\":\"{DEMO_LOGIN}\",\"password\":\"{DEMO_PASSWORD}\"}}' {base}/api/v1/authn \
         | sed -E 's/.*\"sessionToken\":\"([^\"]*)\".*/\\1/'"
    );
    format!(
        "curl -s -o /dev/null -w '%{{redirect_url}}\\n' \
         \"{base}/oauth2/default/v1/authorize?client_id={DEMO_CLIENT_ID}&response_type=id_token&response_mode=fragment\
         &scope=openid%20groups&redirect_uri=https%3A%2F%2Fexample.com%2Foauth2%2Fcallback&state=myState&nonce=n\
         &sessionToken=$({authn})\" | sed -E 's/.*[#&]id_token=([^&]*).*/\\1/' | {} token decode",
        shell_quote(exe)
    )
}

/// `--demo-reset`: deletes the demo's SQLite database with its `-wal`, `-shm` and key files.
/// Only a database holding the demo's public API token is deleted, so a real org named by
/// mistake survives.
pub async fn reset(url: &DatabaseUrl) -> anyhow::Result<()> {
    let DatabaseUrl::Sqlite(path) = url else {
        bail!(
            "--demo-reset deletes a SQLite demo database; with PostgreSQL, drop and create the \
             database instead"
        );
    };
    if !path.exists() {
        return Ok(());
    }
    let store = Store::connect(url)
        .await
        .with_context(|| format!("cannot open the database {url}"))?;
    let demo_token = store
        .find_api_token(&Secret::new(DEMO_API_TOKEN).digest())
        .await;
    store.close().await;
    if demo_token?.is_none() {
        bail!(
            "--demo-reset deletes only a demo database, and {url} does not hold the demo's API \
             token; nothing was deleted"
        );
    }
    crate::cli::db_file::delete_with_key_file(path)
}

/// The banner lines printed after the server is up; `created` says whether this start made
/// the demo org or found the one of an earlier run.
pub fn banner(base: &str, exe: &str, admin: &str, created: bool) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(String::new());
    line("Demo org: Okta's groups-claim guide (examples/seed-scenario.yaml)".to_owned());
    line(if created {
        "  created the demo org".to_owned()
    } else {
        "  kept your changes from the last run; --demo-reset starts over".to_owned()
    });
    line(format!(
        "  admin API token: {DEMO_API_TOKEN}   (DEMO ONLY: the literal text the guide's curl commands send)"
    ));
    line(format!("  demo user:       {DEMO_LOGIN} / {DEMO_PASSWORD}"));
    line(format!(
        "  admin user:      {admin} / {DEMO_ADMIN_PASSWORD}   (super admin; owns the API token)"
    ));
    line(format!(
        "  app:             Sample Client, id and client_id {DEMO_CLIENT_ID}, profile.groupwhitelist [00gbso71miOMjxHRW0h7]"
    ));
    line(format!(
        "  issuers:         {base} (org), {base}/oauth2/default, {base}/oauth2/{DEMO_SERVER_ID}"
    ));
    line(format!(
        "  admin console:   {base}/admin   (sign in as the admin user; the app's Sign On tab is the guide's Step Three)"
    ));
    line(String::new());
    line(
        "The guide's requests run as printed there, with https://{yourOktaDomain}.com replaced:"
            .to_owned(),
    );
    line(format!(
        "  curl -s -H 'authorization: SSWS ${{api_token}}' {base}/api/v1/groups"
    ));
    line(String::new());
    line("Get an ID token with the groups claim and decode it:".to_owned());
    line(format!("  {}", token_command(base, exe)));
    out
}
