//! The token path at scale: the bench org of `flow_load` (a user in 1,000 groups, an app whose
//! `groupwhitelist` holds 1,000 ids, the seed's groups claim on `default`) created on the big
//! directory, then the implicit flow with the user's session cookie, timed request by request;
//! and, on PostgreSQL, the plan of each hot query.

use std::time::Instant;

use sqlx::{AssertSqlSafe, Connection, Row};

use crate::http::{authorize, client, implicit_query};
use crate::setup::{Prepared, SetupArgs, prepare};
use crate::{gid, report};

/// Times 200 implicit authorize requests for the user in 1,000 groups; the bench org is
/// handed back for the console's timings.
pub async fn measure(base: &str, token: &str, _groups: usize) -> Prepared {
    let prepared = prepare(SetupArgs {
        base: base.to_owned(),
        token: token.to_owned(),
        groups: 1000,
        allow: 1000,
        overlap: 40,
        users: 1,
        password: "Tollgate-Scale-2026".to_owned(),
    })
    .await
    .unwrap();
    let http = client(std::time::Duration::from_secs(30)).unwrap();
    let server = format!("{base}/oauth2/default");
    let query = implicit_query(&prepared.web_id, None);
    let mut samples = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let r = authorize(&http, &server, &query, Some(&prepared.groups_sid))
            .await
            .unwrap();
        samples.push(t.elapsed());
        assert!(r.params.contains_key("id_token"));
    }
    report(
        &format!(
            "implicit id_token, 1,000 groups, claim of {}",
            prepared.claim_groups
        ),
        samples,
    );
    prepared
}

/// `EXPLAIN` of the hot directory and token-path queries on PostgreSQL.
pub async fn explain(url: &str, users: usize, groups: usize) {
    let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
    let some_user = format!("00u{:017}", users / 2);
    let some_group = gid(groups / 2);
    // The store's statements (crates/tollgate-store/src/{groups,users}.rs), with literals.
    let queries = [
        (
            "a user's groups (the token path and /users/{id}/groups)",
            format!(
                "SELECT id, type, profile, source_app_id, created, last_updated, last_membership_updated \
                 FROM user_groups WHERE type = 'BUILT_IN' UNION ALL \
                 SELECT g.id, g.type, g.profile, g.source_app_id, g.created, g.last_updated, g.last_membership_updated \
                 FROM group_members m JOIN user_groups g ON g.id = m.group_id WHERE m.user_id = '{some_user}'"
            ),
        ),
        (
            "a group's members, a page",
            format!(
                "SELECT u.id, u.profile FROM users u JOIN group_members m ON m.user_id = u.id \
                 AND m.group_id = '{some_group}' WHERE 1 = 1 AND u.id > '{some_user}' ORDER BY u.id LIMIT 201"
            ),
        ),
        (
            "users, a page deep in",
            format!(
                "SELECT u.id, u.profile FROM users u WHERE 1 = 1 AND u.status <> 'DEPROVISIONED' \
                 AND (u.created, u.id) > (SELECT created, id FROM users WHERE id = '{some_user}') \
                 ORDER BY u.created, u.id LIMIT 201"
            ),
        ),
        (
            "groups, a page deep in",
            format!(
                "SELECT id, profile FROM user_groups WHERE 1 = 1 \
                 AND (created, id) > (SELECT created, id FROM user_groups WHERE id = '{some_group}') \
                 ORDER BY created, id LIMIT 201"
            ),
        ),
        (
            "a user by login (sign-in)",
            format!(
                "SELECT id FROM users WHERE login_lower = 'user{}@scale.example'",
                users / 3
            ),
        ),
    ];
    for (label, sql) in queries {
        println!("\nEXPLAIN ({label}): {sql}");
        let rows = sqlx::raw_sql(AssertSqlSafe(format!("EXPLAIN {sql}")))
            .fetch_all(&mut conn)
            .await
            .unwrap();
        for row in rows {
            let line: String = row.get(0);
            println!("  {line}");
        }
    }
}
