use super::*;

fn hashes(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn which_setters_are_checked() {
    let table = [
        (Setter::ChangePassword { strict: false }, true, false),
        (Setter::ChangePassword { strict: true }, true, true),
        (Setter::SelfService, true, true),
        (Setter::Admin { strict: false }, false, false),
        (Setter::Admin { strict: true }, true, true),
    ];
    for (setter, history, min_age) in table {
        assert_eq!(checks(setter), Checks { history, min_age }, "{setter:?}");
    }
}

/// Current hash, previous hashes, history count, and the hashes remembered.
type RememberedRow<'a> = (Option<&'a str>, &'a [String], usize, &'a [&'a str]);

#[test]
fn remembered_counts_the_current_password() {
    let previous = hashes(&["p3", "p2", "p1", "p0"]);
    let table: [RememberedRow; 6] = [
        (Some("p4"), &previous, 4, &["p4", "p3", "p2", "p1"]),
        (None, &previous, 4, &["p3", "p2", "p1", "p0"]),
        (Some("p4"), &[], 4, &["p4"]),
        (None, &[], 4, &[]),
        (Some("p4"), &previous, 1, &["p4"]),
        (Some("p4"), &previous, 0, &[]),
    ];
    for (current, previous, count, want) in table {
        let policy = AgePolicy {
            history_count: count,
            min_age_minutes: 0,
        };
        assert_eq!(
            remembered(current, previous, policy),
            want,
            "{current:?} {count}"
        );
    }
}

#[test]
fn remember_keeps_the_newest() {
    let table: [(&[&str], Option<&str>, &[&str]); 4] = [
        (&[], Some("a"), &["a"]),
        (&["c", "b", "a"], Some("d"), &["d", "c", "b", "a"]),
        (&["d", "c", "b", "a"], Some("e"), &["e", "d", "c", "b"]),
        (&["d", "c", "b", "a"], None, &["d", "c", "b", "a"]),
    ];
    for (before, old, after) in table {
        let mut previous = hashes(before);
        remember(&mut previous, old.map(str::to_owned), DEFAULT_AGE);
        assert_eq!(previous, hashes(after), "{before:?} + {old:?}");
    }
}

#[test]
fn minimum_age() {
    let t = |minutes: i64| Timestamp::from_millis(1_700_000_000_000).plus_seconds(minutes * 60);
    let policy = |min_age_minutes| AgePolicy {
        history_count: 4,
        min_age_minutes,
    };
    let table = [
        (Some(t(0)), t(59), 60, true),
        (Some(t(0)), t(60), 60, false),
        (Some(t(0)), t(0), 0, false),
        (None, t(0), 60, false),
        (Some(t(0)), t(1440), 1440, false),
    ];
    for (changed, now, min, soon) in table {
        assert_eq!(too_soon(changed, now, policy(min)), soon, "{min} {now:?}");
        let strict = checks(Setter::ChangePassword { strict: true });
        let lax = checks(Setter::ChangePassword { strict: false });
        assert_eq!(
            check_min_age(strict, changed, now, policy(min)).is_err(),
            soon
        );
        assert!(check_min_age(lax, changed, now, policy(min)).is_ok());
    }
}

#[test]
fn the_default_policy_is_oktas() {
    assert_eq!(DEFAULT_AGE.history_count, 4);
    assert_eq!(DEFAULT_AGE.min_age_minutes, 0);
    let Error::Invalid { causes, .. } = reused_error() else {
        panic!("not a validation failure");
    };
    assert_eq!(
        causes[0].to_string(),
        "password: Password has been used too recently"
    );
}
