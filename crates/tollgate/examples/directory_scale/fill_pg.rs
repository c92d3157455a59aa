//! Fills a PostgreSQL database inside the server with `generate_series` (no rows cross the
//! wire, nothing is held in memory here): users, groups, and ten memberships per user spread
//! over the groups.

use sqlx::{AssertSqlSafe, PgConnection};

/// Ten memberships per user: for user `u`, groups `(u * 7919 + k * 4729) mod groups`, `k` in
/// `0..10`, distinct for any group count above 42,561 (and usually far below).
pub async fn fill(conn: &mut PgConnection, users: usize, groups: usize) {
    let now = 1_700_000_000_000i64;
    let statements = [
        "DELETE FROM group_members".to_owned(),
        "DELETE FROM users WHERE id NOT IN (SELECT user_id FROM api_tokens WHERE user_id IS NOT NULL)".to_owned(),
        "DELETE FROM user_groups WHERE type <> 'BUILT_IN'".to_owned(),
        format!(
            "INSERT INTO users (id, status, login_lower, profile, created, last_updated) \
             SELECT '00u' || lpad(i::text, 17, '0'), 'ACTIVE', 'user' || i || '@scale.example', \
                    json_build_object('login', 'user' || i || '@scale.example', 'email', 'user' || i || '@scale.example', \
                                      'firstName', 'U' || i, 'lastName', 'Scale')::text, \
                    {now} + i, {now} + i \
             FROM generate_series(0, {}) AS i",
            users - 1
        ),
        format!(
            "INSERT INTO user_groups (id, type, name, name_lower, profile, created, last_updated, last_membership_updated) \
             SELECT '00g' || lpad(i::text, 17, '0'), 'OKTA_GROUP', 'Group ' || i, 'group ' || i, \
                    json_build_object('name', 'Group ' || i)::text, {now} + i, {now}, {now} \
             FROM generate_series(0, {}) AS i",
            groups - 1
        ),
        format!(
            "INSERT INTO group_members (group_id, user_id, created) \
             SELECT DISTINCT '00g' || lpad(((u::bigint * 7919 + k * 4729) % {groups})::text, 17, '0'), \
                    '00u' || lpad(u::text, 17, '0'), {now} \
             FROM generate_series(0, {}) AS u, generate_series(0, 9) AS k",
            users - 1
        ),
        "ANALYZE".to_owned(),
    ];
    for sql in statements {
        let started = std::time::Instant::now();
        sqlx::raw_sql(AssertSqlSafe(sql.clone()))
            .execute(&mut *conn)
            .await
            .unwrap();
        let head: String = sql.chars().take(40).collect();
        println!("  {head}… {:.1} s", started.elapsed().as_secs_f64());
    }
}
