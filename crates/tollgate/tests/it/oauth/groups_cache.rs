//! The token path keeps users' groups in memory (`tollgate::caches::groups`) and checks them
//! against the database on every token: these scenarios fail if a token is minted from a group
//! that changed, or a membership that went, in this process or another one on the database.
//! The server's store counts the whole group rows it reads (`Stats::group_rows`).

use reqwest::Method;
use serde_json::{Value, json};
use tollgate_core::Clock;

use super::{REDIRECT, Seed, custom_server, no_redirects, seed, session_token, verified};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    a_warm_token_reads_no_group_row,
    another_process_rename_shows_in_the_next_token,
    a_membership_removed_elsewhere_drops_the_group_at_once,
    two_updates_in_the_same_millisecond_are_both_seen,
);

/// Groups the user is in besides the seed's two (none of them on the app's allow-list).
const EXTRA_GROUPS: usize = 40;

/// The seed (Annie in WestCoastDivision and Engineering, and in `EXTRA_GROUPS` more), a custom
/// server whose ID token carries the seed's groups claim, and Annie's browser session.
struct Fixture {
    seed: Seed,
    sid: String,
    cookie: String,
}

impl Fixture {
    async fn new(app: &TestApp) -> Self {
        let seed = seed(app).await;
        let sid = custom_server(app, &["implicit"], true).await;
        for i in 0..EXTRA_GROUPS {
            let g = json(
                app.post(
                    "/api/v1/groups",
                    &json!({"profile": {"name": format!("Extra {i}")}}),
                ),
                200,
            )
            .await;
            let gid = g["id"].as_str().unwrap();
            let resp = send(app.req(
                Method::PUT,
                &format!("/api/v1/groups/{gid}/users/{}", seed.user),
            ))
            .await;
            assert_eq!(resp.status(), 204);
        }
        let token = session_token(app).await;
        let resp = send(no_redirects().get(format!(
            "{}/oauth2/{sid}/v1/authorize?{}&sessionToken={token}",
            app.base,
            query(&seed)
        )))
        .await;
        assert_eq!(resp.status(), 302);
        let cookie = resp.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("sid="), "{cookie}");
        Self { seed, sid, cookie }
    }

    /// The groups claim of a new ID token from `app`'s server for Annie's session (`null` when
    /// the claim is left out).
    async fn groups_claim(&self, app: &TestApp) -> Value {
        let resp = send(
            no_redirects()
                .get(format!(
                    "{}/oauth2/{}/v1/authorize?{}",
                    app.base,
                    self.sid,
                    query(&self.seed)
                ))
                .header("cookie", &self.cookie),
        )
        .await;
        assert_eq!(resp.status(), 302);
        let got = super::redirect_params(&resp);
        let id_token = got.get("id_token").unwrap_or_else(|| panic!("{got:?}"));
        let claims = verified(app, &format!("/oauth2/{}/v1", self.sid), id_token).await;
        claims.get("groups").cloned().unwrap_or(Value::Null)
    }

    fn west(&self) -> &str {
        &self.seed.groups[0]
    }
}

pub(crate) fn query(s: &Seed) -> String {
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    format!(
        "client_id={}&response_type=id_token&response_mode=fragment&scope=openid\
         &redirect_uri={redirect}&state=st&nonce=n",
        s.client_id
    )
}

/// Whole group rows the server read while `f` ran.
async fn group_rows_during<T>(app: &TestApp, f: impl std::future::Future<Output = T>) -> (u64, T) {
    let before = app.store_stats().group_rows();
    let out = f.await;
    (app.store_stats().group_rows() - before, out)
}

/// Renames group `id` with a write of its own on the database, as another process would,
/// keeping its `lastUpdated` when `same_millisecond`.
async fn rename_elsewhere(app: &TestApp, id: &str, name: &str, same_millisecond: bool) {
    let store = app.open_store().await;
    let mut g = store.find_group(id).await.unwrap().unwrap();
    let at = if same_millisecond {
        g.last_updated
    } else {
        g.last_updated.plus_seconds(1)
    };
    let profile = json!({"name": name}).as_object().unwrap().clone();
    g.replace_profile(profile, at).unwrap();
    store.update_group(&g, &[]).await.unwrap();
    store.close().await;
}

async fn a_warm_token_reads_no_group_row(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let f = Fixture::new(&app).await;
    // The first token reads every group once (the sign-in's token already did).
    assert_eq!(f.groups_claim(&app).await, json!(["WestCoastDivision"]));

    let lists = app.store_stats().membership_lists();
    let (rows, claims) = group_rows_during(&app, async {
        let mut claims = Vec::new();
        for _ in 0..5 {
            claims.push(f.groups_claim(&app).await);
        }
        claims
    })
    .await;
    assert!(claims.iter().all(|c| *c == json!(["WestCoastDivision"])));
    assert_eq!(rows, 0, "a warm token read whole group rows");
    assert_eq!(
        app.store_stats().membership_lists(),
        lists,
        "a warm token read the user's memberships: the directory revision did not stand"
    );
    app.finish().await;
}

async fn another_process_rename_shows_in_the_next_token(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let f = Fixture::new(&app).await;
    assert_eq!(f.groups_claim(&app).await, json!(["WestCoastDivision"]));

    // Renamed behind this process's back: the next token has the new name, and only the
    // renamed group was read again.
    rename_elsewhere(&app, f.west(), "WestCoast", false).await;
    let lists = app.store_stats().membership_lists();
    let (rows, claim) = group_rows_during(&app, f.groups_claim(&app)).await;
    assert_eq!(claim, json!(["WestCoast"]));
    assert_eq!(rows, 1, "only the changed group is read");
    assert_eq!(
        app.store_stats().membership_lists(),
        lists + 1,
        "the revision moved"
    );

    // Through a second server's API this time.
    let other = app.second_server().await;
    let resp = send(
        app.client
            .put(format!("http://{}/api/v1/groups/{}", other.addr, f.west()))
            .header("Authorization", format!("SSWS {}", app.token))
            .json(&json!({"profile": {"name": "Pacific"}})),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let (rows, claim) = group_rows_during(&app, f.groups_claim(&app)).await;
    assert_eq!(claim, json!(["Pacific"]));
    assert_eq!(rows, 1);
    let (rows, _) = group_rows_during(&app, f.groups_claim(&app)).await;
    assert_eq!(rows, 0, "warm again");
    other.stop().await.unwrap();
    app.finish().await;
}

async fn a_membership_removed_elsewhere_drops_the_group_at_once(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let f = Fixture::new(&app).await;
    assert_eq!(f.groups_claim(&app).await, json!(["WestCoastDivision"]));

    let other = app.second_server().await;
    let member = format!(
        "http://{}/api/v1/groups/{}/users/{}",
        other.addr,
        f.west(),
        f.seed.user
    );
    let auth = format!("SSWS {}", app.token);
    let resp = send(app.client.delete(&member).header("Authorization", &auth)).await;
    assert_eq!(resp.status(), 204);
    // No allowed group left: the claim is left out.
    assert_eq!(f.groups_claim(&app).await, Value::Null);

    // Added back, and Contractors (allowed) added too, in the other process.
    let resp = send(app.client.put(&member).header("Authorization", &auth)).await;
    assert_eq!(resp.status(), 204);
    let contractors = format!(
        "http://{}/api/v1/groups/{}/users/{}",
        other.addr, f.seed.groups[2], f.seed.user
    );
    let resp = send(app.client.put(&contractors).header("Authorization", &auth)).await;
    assert_eq!(resp.status(), 204);
    let mut claim = f.groups_claim(&app).await;
    claim.as_array_mut().unwrap().sort_by_key(|v| v.to_string());
    assert_eq!(claim, json!(["Contractors", "WestCoastDivision"]));
    other.stop().await.unwrap();
    app.finish().await;
}

async fn two_updates_in_the_same_millisecond_are_both_seen(b: Backend) {
    // A fixed clock: every write through the server has the same lastUpdated.
    let clock = Clock::fixed(Clock::System.now());
    let Some(app) = TestApp::start_at(b, clock, |_| {}).await else {
        return;
    };
    let f = Fixture::new(&app).await;
    assert_eq!(f.groups_claim(&app).await, json!(["WestCoastDivision"]));
    let before = app.store_stats().group_rows();

    // Through this process's API...
    let first = json(
        app.put(
            &format!("/api/v1/groups/{}", f.west()),
            &json!({"profile": {"name": "First"}}),
        ),
        200,
    )
    .await;
    assert_eq!(f.groups_claim(&app).await, json!(["First"]));
    // ...then in another process, in the same millisecond.
    rename_elsewhere(&app, f.west(), "Second", true).await;
    let group = json(app.get(&format!("/api/v1/groups/{}", f.west())), 200).await;
    assert_eq!(group["profile"]["name"], "Second");
    assert_eq!(
        group["lastUpdated"], first["lastUpdated"],
        "both writes have the same lastUpdated"
    );
    assert_eq!(f.groups_claim(&app).await, json!(["Second"]));
    assert_eq!(app.store_stats().group_rows() - before, 2);

    // And twice in a row in the other process.
    rename_elsewhere(&app, f.west(), "Third", true).await;
    rename_elsewhere(&app, f.west(), "Fourth", true).await;
    assert_eq!(f.groups_claim(&app).await, json!(["Fourth"]));
    app.finish().await;
}
