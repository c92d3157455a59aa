use super::*;
use crate::app::vocab::RotationType;

fn grant() -> Grant {
    crate::oauth::testing::grant(&["email", "offline_access", "openid"])
}

fn at(ms: i64) -> Timestamp {
    Timestamp::from_millis(ms)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// `Ok(scopes)`, `Err("invalid_grant")`/`Err("access_denied")`, or `Err("reused")`.
fn outcome(r: Result<Vec<String>, RefreshRefusal>) -> Result<Vec<String>, String> {
    r.map_err(|e| match e {
        RefreshRefusal::Invalid(e) => e.code.as_str().to_owned(),
        RefreshRefusal::Reused(e) => format!("reused:{}", e.code.as_str()),
    })
}

/// The token, the client, now, the leeway, the requested scopes, and the outcome.
type Case<'a> = (
    Presented<'a>,
    &'a str,
    i64,
    i64,
    Option<&'a [String]>,
    Result<Vec<String>, String>,
);

#[test]
fn table_of_presented_tokens() {
    let g = grant();
    let live = Presented {
        grant: &g,
        expires_at: at(100_000),
        idle_expires_at: at(50_000),
        replaced_at: None,
    };
    let all = strings(&["email", "offline_access", "openid"]);
    let narrow = strings(&["openid"]);
    let wide = strings(&["openid", "profile"]);
    let cases: Vec<Case<'_>> = vec![
        (live, "client", 1_000, 0, None, Ok(all.clone())),
        (live, "client", 1_000, 0, Some(&narrow), Ok(narrow.clone())),
        (
            live,
            "client",
            1_000,
            0,
            Some(&wide),
            Err("access_denied".into()),
        ),
        (live, "other", 1_000, 0, None, Err("invalid_grant".into())),
        (live, "client", 50_000, 0, None, Err("invalid_grant".into())),
        (
            Presented {
                idle_expires_at: at(200_000),
                ..live
            },
            "client",
            100_000,
            0,
            None,
            Err("invalid_grant".into()),
        ),
        // Rotated: usable again only within the leeway.
        (
            Presented {
                replaced_at: Some(at(1_000)),
                ..live
            },
            "client",
            1_000,
            0,
            None,
            Ok(all.clone()),
        ),
        (
            Presented {
                replaced_at: Some(at(1_000)),
                ..live
            },
            "client",
            1_001,
            0,
            None,
            Err("reused:invalid_grant".into()),
        ),
        (
            Presented {
                replaced_at: Some(at(1_000)),
                ..live
            },
            "client",
            3_000,
            30_000,
            None,
            Ok(all.clone()),
        ),
        (
            Presented {
                replaced_at: Some(at(1_000)),
                ..live
            },
            "client",
            31_001,
            30_000,
            None,
            Err("reused:invalid_grant".into()),
        ),
    ];
    for (token, client, now, leeway, requested, want) in cases {
        let got = outcome(check(token, client, "default", at(now), leeway, requested));
        assert_eq!(
            got, want,
            "client {client} now {now} leeway {leeway} {token:?}"
        );
    }
    let other_server = check(live, "client", "org", at(1_000), 0, None);
    assert!(matches!(other_server, Err(RefreshRefusal::Invalid(_))));
}

#[test]
fn expiries_follow_the_rule_lifetimes() {
    let l = TokenLifetimes {
        access_minutes: 60,
        refresh_minutes: 120,
        refresh_window_minutes: 30,
    };
    let e = new_expiry(l, at(0));
    assert_eq!(e.expires_at, at(120 * 60_000));
    assert_eq!(e.idle_expires_at, at(30 * 60_000));
    let never = new_expiry(
        TokenLifetimes {
            refresh_minutes: 0,
            ..l
        },
        at(0),
    );
    assert_eq!(never.expires_at, NEVER);
    let capped = new_expiry(
        TokenLifetimes {
            refresh_window_minutes: 500,
            ..l
        },
        at(0),
    );
    assert_eq!(capped.idle_expires_at, capped.expires_at);
    assert_eq!(
        idle_after_use(l, at(100 * 60_000), at(120 * 60_000)),
        at(120 * 60_000)
    );
    assert_eq!(
        idle_after_use(l, at(10 * 60_000), at(120 * 60_000)),
        at(40 * 60_000)
    );
}

#[test]
fn rotation_and_leeway_come_from_the_app() {
    let rotate = RefreshTokenSettings {
        rotation_type: RotationType::Rotate,
        leeway: 30,
    };
    let fixed = RefreshTokenSettings {
        rotation_type: RotationType::Static,
        leeway: 0,
    };
    assert!(rotates(Some(rotate)));
    assert!(!rotates(Some(fixed)));
    assert!(!rotates(None));
    assert_eq!(leeway_millis(Some(rotate)), 30_000);
    assert_eq!(leeway_millis(None), 0);
}
