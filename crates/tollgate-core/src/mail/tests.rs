use serde_json::{Value, json};

use super::*;
use crate::Timestamp;
use crate::directory::user::CreateOptions;

/// A valid user whose profile is then overwritten with `profile` (as stored data may be).
fn user(profile: Value) -> User {
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let valid =
        json!({"login": "x@acme.com", "email": "x@acme.com", "firstName": "X", "lastName": "Y"});
    let valid = valid.as_object().cloned().unwrap_or_default();
    let mut u = User::create(valid, None, opts, Timestamp::from_millis(0)).unwrap();
    u.profile = profile.as_object().cloned().unwrap_or_default();
    u
}

fn annie() -> User {
    user(
        json!({"login": "annie@acme.com", "email": "annie.jackson@acme.com",
        "firstName": "Annie", "lastName": "Jackson"}),
    )
}

#[test]
fn the_recipient_is_the_email_else_the_login_when_it_is_an_address() {
    let cases = [
        (
            json!({"login": "a@acme.com", "email": "b@acme.com", "firstName": "A", "lastName": "B"}),
            Some("b@acme.com"),
        ),
        (
            json!({"login": "a@acme.com", "email": "not an address", "firstName": "A", "lastName": "B"}),
            Some("a@acme.com"),
        ),
        (
            json!({"login": "a@acme.com", "email": "x@acme.com\r\nBcc: z@evil.com", "firstName": "A", "lastName": "B"}),
            Some("a@acme.com"),
        ),
        (
            json!({"login": "a@b@acme.com", "email": "@acme.com", "firstName": "A", "lastName": "B"}),
            None,
        ),
        (
            json!({"login": "a@localhost", "email": "a@localhost", "firstName": "A", "lastName": "B"}),
            None,
        ),
    ];
    for (profile, want) in cases {
        assert_eq!(
            recipient(&user(profile.clone())).as_deref(),
            want,
            "{profile}"
        );
    }
}

#[test]
fn each_kind_has_its_subject_and_the_link_on_a_line_of_its_own() {
    let link = "https://id.acme.com/signin/reset-password/abc";
    let cases = [
        (
            MailKind::Activation,
            "Activate your Acme account",
            "choose a password",
        ),
        (
            MailKind::PasswordReset,
            "Your Acme password has been reset",
            "an administrator of Acme",
        ),
        (
            MailKind::Recovery,
            "Reset your Acme password",
            "If you did not ask for this",
        ),
    ];
    for (kind, subject, phrase) in cases {
        let mail = compose(kind, "Acme", &annie(), link, "1 hour").unwrap();
        assert_eq!(mail.kind, kind);
        assert_eq!(mail.to, "annie.jackson@acme.com");
        assert_eq!(mail.subject, subject);
        assert!(mail.body.starts_with("Hi Annie,"), "{}", mail.body);
        assert!(mail.body.contains(phrase), "{}", mail.body);
        assert!(mail.body.contains("works once, for 1 hour"));
        assert_eq!(links(&mail.body), vec![link]);
    }
}

#[test]
fn a_user_without_an_address_gets_no_message() {
    let nobody = user(json!({"login": "annie", "email": "", "firstName": "", "lastName": "J"}));
    assert_eq!(
        compose(
            MailKind::Recovery,
            "Acme",
            &nobody,
            "https://x.y/z",
            "1 hour"
        ),
        None
    );
}

#[test]
fn durations_read_as_words() {
    let cases = [
        (60, "1 minute"),
        (90, "2 minutes"),
        (3600, "1 hour"),
        (7200, "2 hours"),
        (86_400, "1 day"),
        (7 * 86_400, "7 days"),
        (5400, "90 minutes"),
    ];
    for (secs, want) in cases {
        assert_eq!(duration_words(secs), want);
    }
}

#[test]
fn kinds_have_stored_names() {
    let names: Vec<_> = [
        MailKind::Activation,
        MailKind::PasswordReset,
        MailKind::Recovery,
    ]
    .iter()
    .map(|k| k.as_str())
    .collect();
    assert_eq!(names, ["activation", "password_reset", "recovery"]);
}
