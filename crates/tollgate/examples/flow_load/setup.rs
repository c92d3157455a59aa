//! The bench org, through the management API, and one check of each flow. Names carry a
//! per-run prefix, so a scratch PostgreSQL database can take several runs.

use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use reqwest::Method;
use serde_json::{Value, json};

use crate::http::{
    Admin, REDIRECT, authn, authorize, client, code_query, exchange, implicit_query, jwt_payload,
    text_at,
};

/// The seed page's groups claim value (with its extra quotes, as on a custom server).
const SEED_VALUE: &str = "\"getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)\"";
/// The client-credentials scope.
const SCOPE: &str = "bench.read";

/// `setup` options.
#[derive(Debug, Clone, Args)]
pub struct SetupArgs {
    /// The server's origin, e.g. http://127.0.0.1:18480.
    #[arg(long)]
    pub base: String,
    /// An admin API token.
    #[arg(long)]
    pub token: String,
    /// Groups the groups-claim user is a member of.
    #[arg(long, default_value_t = 1000)]
    pub groups: usize,
    /// Group ids in the web app's `groupwhitelist`.
    #[arg(long, default_value_t = 1000)]
    pub allow: usize,
    /// How many allow-listed groups the user is in: what the claim carries. The seed's
    /// expression fails the token when more than 40 match, so at most 40.
    #[arg(long, default_value_t = 40)]
    pub overlap: usize,
    /// Users for the code flow (one per load worker keeps each user's attempts apart).
    #[arg(long, default_value_t = 8)]
    pub users: usize,
    /// The users' password.
    #[arg(long, default_value = "Tollgate-Load-2026")]
    pub password: String,
}

/// What `setup` made, for the load.
pub struct Prepared {
    pub cc_id: String,
    pub cc_secret: String,
    pub web_id: String,
    pub web_secret: String,
    pub logins: Vec<String>,
    pub groups_sid: String,
    /// The id of the user in the groups (the owner of `groups_sid`).
    pub groups_user_id: String,
    pub plain_sid: String,
    pub claim_groups: usize,
}

/// A per-run prefix: random (std's hasher keys are seeded per process).
fn prefix() -> String {
    use std::hash::BuildHasher;
    let bits = std::collections::hash_map::RandomState::new().hash_one(0u64);
    format!("b{:08x}", bits & 0xffff_ffff)
}

/// Creates `names` as groups, eight at a time; their ids in the same order.
async fn create_groups(admin: &Admin, names: Vec<String>) -> anyhow::Result<Vec<String>> {
    let chunk = names.len().div_ceil(8).max(1);
    let mut tasks = tokio::task::JoinSet::new();
    for (part, slice) in names.chunks(chunk).enumerate() {
        let (admin, slice) = (admin.clone(), slice.to_vec());
        tasks.spawn(async move {
            let mut ids = Vec::with_capacity(slice.len());
            for name in slice {
                let body = json!({"profile": {"name": name, "description": "bench"}});
                let g = admin
                    .call(Method::POST, "/api/v1/groups", Some(&body), 200)
                    .await?;
                ids.push(text_at(&g, "/id")?);
            }
            anyhow::Ok((part, ids))
        });
    }
    let mut parts = Vec::new();
    while let Some(done) = tasks.join_next().await {
        parts.push(done.context("a group task panicked")??);
    }
    parts.sort_by_key(|(part, _)| *part);
    Ok(parts.into_iter().flat_map(|(_, ids)| ids).collect())
}

/// A user with `password`, active, in `group_ids`; its id.
async fn create_user(
    admin: &Admin,
    login: &str,
    password: &str,
    group_ids: &[String],
) -> anyhow::Result<String> {
    let body = json!({"profile": {"firstName": "Bench", "lastName": "User", "email": login, "login": login},
                      "credentials": {"password": {"value": password}}, "groupIds": group_ids});
    let u = admin
        .call(
            Method::POST,
            "/api/v1/users?activate=true",
            Some(&body),
            200,
        )
        .await?;
    text_at(&u, "/id")
}

/// The bench scope, the rule that allows the three grants, and the groups claim on `default`.
async fn server_objects(admin: &Admin) -> anyhow::Result<()> {
    let base = "/api/v1/authorizationServers/default";
    let scopes = admin
        .call(Method::GET, &format!("{base}/scopes"), None, 200)
        .await?;
    if !scopes
        .as_array()
        .is_some_and(|a| a.iter().any(|s| s["name"] == SCOPE))
    {
        let body =
            json!({"name": SCOPE, "description": "Load test", "metadataPublish": "NO_CLIENTS"});
        admin
            .call(Method::POST, &format!("{base}/scopes"), Some(&body), 201)
            .await?;
    }
    let policies = admin
        .call(Method::GET, &format!("{base}/policies"), None, 200)
        .await?;
    let Some(policy) = policies.as_array().and_then(|a| a.first()) else {
        bail!("the default server has no policy");
    };
    let rules_path = format!("{base}/policies/{}/rules", text_at(policy, "/id")?);
    let rules = admin.call(Method::GET, &rules_path, None, 200).await?;
    if !rules
        .as_array()
        .is_some_and(|a| a.iter().any(|r| r["name"] == "Bench"))
    {
        let body = json!({"type": "RESOURCE_ACCESS", "name": "Bench", "priority": 1,
            "conditions": {"people": {"groups": {"include": ["EVERYONE"]}},
                           "grantTypes": {"include": ["client_credentials", "authorization_code", "implicit"]},
                           "scopes": {"include": ["*"]}},
            "actions": {"token": {"accessTokenLifetimeMinutes": 60, "refreshTokenLifetimeMinutes": 0,
                                  "refreshTokenWindowMinutes": 10080}}});
        admin
            .call(Method::POST, &rules_path, Some(&body), 201)
            .await?;
    }
    // The seed's groups claim, always in the ID token; one of its name only.
    let claims = admin
        .call(Method::GET, &format!("{base}/claims"), None, 200)
        .await?;
    for c in claims.as_array().into_iter().flatten() {
        if c["name"] == "groups" && c["claimType"] == "IDENTITY" {
            let path = format!("{base}/claims/{}", text_at(c, "/id")?);
            admin.call(Method::DELETE, &path, None, 204).await?;
        }
    }
    let body = json!({"name": "groups", "status": "ACTIVE", "claimType": "IDENTITY",
                      "valueType": "EXPRESSION", "value": SEED_VALUE, "alwaysIncludeInToken": true,
                      "conditions": {"scopes": []}});
    admin
        .call(Method::POST, &format!("{base}/claims"), Some(&body), 201)
        .await?;
    Ok(())
}

/// An OIDC app; its client id and secret.
async fn create_app(
    admin: &Admin,
    label: &str,
    settings: Value,
    profile: Value,
) -> anyhow::Result<(String, String, String)> {
    let body = json!({"name": "oidc_client", "label": label, "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
        "settings": {"oauthClient": settings}, "profile": profile});
    let app = admin
        .call(Method::POST, "/api/v1/apps", Some(&body), 200)
        .await?;
    Ok((
        text_at(&app, "/id")?,
        text_at(&app, "/credentials/oauthClient/client_id")?,
        text_at(&app, "/credentials/oauthClient/client_secret")?,
    ))
}

/// Creates the bench org and checks each flow once; prints what the script needs.
pub async fn run(args: SetupArgs) -> anyhow::Result<()> {
    let password = args.password.clone();
    let p = prepare(args).await?;
    println!("CC_CLIENT_ID={}", p.cc_id);
    println!("CC_CLIENT_SECRET={}", p.cc_secret);
    println!("CC_SCOPE={SCOPE}");
    println!("WEB_CLIENT_ID={}", p.web_id);
    println!("WEB_CLIENT_SECRET={}", p.web_secret);
    println!("FLOW_USERS={}", p.logins.join(","));
    println!("FLOW_PASSWORD={password}");
    println!("GROUPS_SID={}", p.groups_sid);
    println!("GROUPS_USER_ID={}", p.groups_user_id);
    println!("PLAIN_SID={}", p.plain_sid);
    println!("CLAIM_GROUPS={}", p.claim_groups);
    println!(
        "IMPLICIT_PATH=/oauth2/default/v1/authorize?{}",
        implicit_query(&p.web_id, None)
    );
    Ok(())
}

/// Creates the bench org and checks each flow once.
pub async fn prepare(args: SetupArgs) -> anyhow::Result<Prepared> {
    if args.overlap > args.groups.min(args.allow) || args.overlap > 40 {
        bail!("--overlap must be at most --groups, --allow and 40 (the claim's limit)");
    }
    let http = client(Duration::from_secs(60))?;
    let admin = Admin {
        client: http.clone(),
        base: args.base.clone(),
        token: args.token.clone(),
    };
    let p = prefix();
    server_objects(&admin).await?;

    let settings = json!({"grant_types": ["client_credentials"], "response_types": ["token"],
                          "application_type": "service"});
    let (_, cc_id, cc_secret) =
        create_app(&admin, &format!("{p} service"), settings, json!({})).await?;

    // Groups [0, groups) hold the user; [groups - overlap, groups - overlap + allow) are allowed.
    let total = args.groups + args.allow - args.overlap;
    eprintln!("setup: {total} groups ...");
    let names = (0..total).map(|i| format!("{p}-group-{i:05}")).collect();
    let ids = create_groups(&admin, names).await?;
    let first_allowed = args.groups - args.overlap;
    let member: Vec<String> = ids.iter().take(args.groups).cloned().collect();
    let allowed: Vec<String> = ids.iter().skip(first_allowed).cloned().collect();

    let settings = json!({"redirect_uris": [REDIRECT], "response_types": ["code", "id_token", "token"],
                          "grant_types": ["authorization_code", "implicit"], "application_type": "web"});
    let profile = json!({"groupwhitelist": allowed});
    let (app_id, web_id, web_secret) =
        create_app(&admin, &format!("{p} web"), settings, profile).await?;

    eprintln!("setup: users ...");
    let groups_login = format!("{p}-groups@example.com");
    let mut user_ids = vec![create_user(&admin, &groups_login, &args.password, &member).await?];
    let mut logins = Vec::new();
    for i in 0..args.users.max(1) {
        let login = format!("{p}-flow-{i}@example.com");
        user_ids.push(create_user(&admin, &login, &args.password, &[]).await?);
        logins.push(login);
    }
    for uid in &user_ids {
        let path = format!("/api/v1/apps/{app_id}/users");
        admin
            .call(Method::POST, &path, Some(&json!({"id": uid})), 200)
            .await?;
    }

    // One of each flow, before any load.
    let server = format!("{}/oauth2/default", args.base);
    let cc = http
        .post(format!("{server}/v1/token"))
        .basic_auth(&cc_id, Some(&cc_secret))
        .form(&[("grant_type", "client_credentials"), ("scope", SCOPE)])
        .send()
        .await?;
    let (status, text) = (cc.status(), cc.text().await?);
    if status != 200 || !text.contains("\"access_token\"") {
        bail!("client credentials check: {status}: {text}");
    }
    let first = logins.first().map_or("", String::as_str);
    let st = authn(&http, &args.base, first, &args.password).await?;
    let redirect = authorize(&http, &server, &code_query(&web_id, &st, "setup"), None).await?;
    let code = redirect
        .params
        .get("code")
        .context("code flow check: no code")?;
    exchange(&http, &server, (&web_id, &web_secret), code).await?;
    // That user's session: the implicit flow without the groups, for comparison.
    let plain_sid = redirect
        .sid
        .context("code flow check: the authorize response set no sid cookie")?;
    let plain = authorize(
        &http,
        &server,
        &implicit_query(&web_id, None),
        Some(&plain_sid),
    )
    .await?;
    let plain_token = plain
        .params
        .get("id_token")
        .context("implicit check: no id_token")?;
    let plain_groups = jwt_payload(plain_token)?
        .get("groups")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if plain_groups != 0 {
        bail!("implicit check: a user in no group has {plain_groups} in the claim");
    }

    let st = authn(&http, &args.base, &groups_login, &args.password).await?;
    let signed_in = authorize(&http, &server, &implicit_query(&web_id, Some(&st)), None).await?;
    let sid = signed_in
        .sid
        .context("implicit check: the authorize response set no sid cookie")?;
    let again = authorize(&http, &server, &implicit_query(&web_id, None), Some(&sid)).await?;
    let id_token = again
        .params
        .get("id_token")
        .context("implicit check: no id_token")?;
    let claims = jwt_payload(id_token)?;
    let in_claim = claims
        .get("groups")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if in_claim != args.overlap {
        bail!(
            "implicit check: the ID token's groups claim has {in_claim} groups, expected {}: {claims}",
            args.overlap
        );
    }
    eprintln!("setup: done; the groups claim carries {in_claim} groups");

    Ok(Prepared {
        cc_id,
        cc_secret,
        web_id,
        web_secret,
        logins,
        groups_user_id: user_ids.first().cloned().unwrap_or_default(),
        groups_sid: sid,
        plain_sid,
        claim_groups: in_claim,
    })
}
