use serde_json::{Map, Value, json};

use super::*;
use crate::error::Error;

fn profile() -> Map<String, Value> {
    json!({"login": "annie@acme.com", "email": "annie@acme.com", "firstName": "Annie", "lastName": "J", "salary": 1})
        .as_object()
        .unwrap()
        .clone()
}

const NOW: Timestamp = Timestamp::from_millis(1000);

#[test]
fn create_statuses() {
    let act = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let staged = CreateOptions {
        activate: false,
        change_password_next_login: false,
    };
    let expire = CreateOptions {
        activate: true,
        change_password_next_login: true,
    };
    assert_eq!(
        User::create(profile(), Some("h".into()), act, NOW)
            .unwrap()
            .status,
        UserStatus::Active
    );
    assert_eq!(
        User::create(profile(), None, act, NOW).unwrap().status,
        UserStatus::Provisioned
    );
    assert_eq!(
        User::create(profile(), Some("h".into()), staged, NOW)
            .unwrap()
            .status,
        UserStatus::Staged
    );
    assert_eq!(
        User::create(profile(), Some("h".into()), expire, NOW)
            .unwrap()
            .status,
        UserStatus::PasswordExpired
    );
}

#[test]
fn profile_rules() {
    let mut p = profile();
    p.remove("firstName");
    p.insert("login".into(), json!("nope"));
    let Err(Error::Invalid { causes, .. }) = validate_profile(p) else {
        panic!()
    };
    let fields: Vec<_> = causes.iter().filter_map(|c| c.field.as_deref()).collect();
    assert_eq!(fields, ["login", "firstName"]);
}

#[test]
fn lockout_after_max_failures() {
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let mut u = User::create(profile(), Some("h".into()), opts, NOW).unwrap();
    for _ in 0..9 {
        assert!(!u.record_failed_login(10, NOW));
    }
    assert!(u.record_failed_login(10, NOW));
    assert_eq!(u.status, UserStatus::LockedOut);
    assert!(
        !u.auto_unlock(0, NOW.plus_seconds(1_000_000)),
        "0 means never"
    );
    assert!(!u.auto_unlock(60, NOW.plus_seconds(59)));
    assert!(u.auto_unlock(60, NOW.plus_seconds(60)));
    assert_eq!((u.status, u.failed_logins), (UserStatus::Active, 0));
    u.record_failed_login(10, NOW);
    u.record_login(NOW);
    assert_eq!(u.failed_logins, 0);
}

#[test]
fn lifecycle() {
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let mut u = User::create(profile(), Some("h".into()), opts, NOW).unwrap();
    assert!(u.activate(NOW).is_err());
    u.suspend(NOW).unwrap();
    assert!(u.suspend(NOW).is_err());
    u.unsuspend(NOW).unwrap();
    u.deactivate(NOW).unwrap();
    assert!(u.deactivate(NOW).is_err());
    u.activate(NOW).unwrap();
    assert_eq!(u.status, UserStatus::Active);
    u.status = UserStatus::LockedOut;
    u.failed_logins = 10;
    u.unlock(NOW).unwrap();
    assert_eq!((u.status, u.failed_logins), (UserStatus::Active, 0));
}
