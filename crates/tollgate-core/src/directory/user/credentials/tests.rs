use serde_json::json;

use super::*;
use crate::directory::user::CreateOptions;

const NOW: Timestamp = Timestamp::from_millis(1000);
const LATER: Timestamp = Timestamp::from_millis(2000);
const ALL: [UserStatus; 8] = [
    UserStatus::Staged,
    UserStatus::Provisioned,
    UserStatus::Active,
    UserStatus::Recovery,
    UserStatus::PasswordExpired,
    UserStatus::LockedOut,
    UserStatus::Suspended,
    UserStatus::Deprovisioned,
];

fn user(status: UserStatus, password: bool) -> User {
    let profile = json!({"login": "annie.jackson@acme.com", "email": "annie.jackson@acme.com",
        "firstName": "Annie", "lastName": "Jackson"});
    let opts = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let hash = password.then(|| "old-hash".to_owned());
    let mut u = User::create(
        profile.as_object().cloned().unwrap_or_default(),
        hash,
        opts,
        NOW,
    )
    .unwrap();
    u.status = status;
    u
}

/// Each operation and the statuses (in [`ALL`]'s order) where it is allowed.
#[test]
fn statuses_each_operation_allows() {
    use CredentialOp::*;
    let table: [(CredentialOp, [bool; 8]); 9] = [
        //                       STG    PROV   ACT    RECOV  EXPIR  LOCK   SUSP   DEPROV
        (
            ChangePassword,
            [true, false, true, true, true, false, false, false],
        ),
        (
            ChangeRecoveryQuestion,
            [true, false, true, true, false, false, false, false],
        ),
        (
            ForgotPassword,
            [false, false, true, false, false, false, false, false],
        ),
        (
            ExpireWithTempPassword,
            [false, false, true, false, false, false, false, false],
        ),
        (
            ResetPassword,
            [false, true, true, true, true, true, false, false],
        ),
        (
            ResetFactors,
            [false, true, true, true, true, true, true, false],
        ),
        (
            CompleteReset,
            [false, false, true, true, false, false, false, false],
        ),
        (
            Reactivate,
            [false, true, false, false, false, false, false, false],
        ),
        (
            CompleteActivation,
            [false, true, true, false, false, false, false, false],
        ),
    ];
    for (op, allowed) in table {
        for (status, want) in ALL.into_iter().zip(allowed) {
            assert_eq!(op.allowed_in(status), want, "{op:?} in {status:?}");
            assert_eq!(
                user(status, true).allows(op).is_ok(),
                want,
                "{op:?} in {status:?}"
            );
        }
    }
}

#[test]
fn password_checks_need_a_password() {
    let u = user(UserStatus::Active, false);
    for op in [
        CredentialOp::ChangePassword,
        CredentialOp::ChangeRecoveryQuestion,
    ] {
        assert!(matches!(u.allows(op), Err(Error::WrongState(_))), "{op:?}");
    }
    assert!(u.allows(CredentialOp::ResetPassword).is_ok());
}

#[test]
fn change_password_moves_to_active() {
    for (from, to) in [
        (UserStatus::Active, UserStatus::Active),
        (UserStatus::Staged, UserStatus::Staged),
        (UserStatus::PasswordExpired, UserStatus::Active),
        (UserStatus::Recovery, UserStatus::Active),
    ] {
        let mut u = user(from, true);
        u.failed_logins = 3;
        u.change_password("new-hash".into(), LATER).unwrap();
        assert_eq!(u.status, to, "{from:?}");
        assert_eq!(u.failed_logins, 0);
        assert_eq!(u.password_hash.as_deref(), Some("new-hash"));
        assert_eq!(u.password_history, vec!["old-hash".to_owned()]);
        assert_eq!(u.password_changed, Some(LATER));
    }
    let mut locked = user(UserStatus::LockedOut, true);
    assert!(locked.change_password("new-hash".into(), LATER).is_err());
    assert_eq!(locked.password_hash.as_deref(), Some("old-hash"));
}

#[test]
fn reset_then_complete() {
    let mut u = user(UserStatus::LockedOut, true);
    u.failed_logins = 10;
    u.begin_reset(LATER).unwrap();
    assert_eq!(u.status, UserStatus::Recovery);
    assert_eq!(u.password_hash, None);
    assert_eq!(u.failed_logins, 0);
    assert_eq!(u.password_history, vec!["old-hash".to_owned()]);
    u.complete_reset("new-hash".into(), LATER).unwrap();
    assert_eq!(u.status, UserStatus::Active);
    assert_eq!(u.password_hash.as_deref(), Some("new-hash"));
    assert_eq!(u.password_history, vec!["old-hash".to_owned()]);
    let mut gone = user(UserStatus::Deprovisioned, true);
    assert!(gone.begin_reset(LATER).is_err());
    assert!(gone.complete_reset("x".into(), LATER).is_err());
}

#[test]
fn temp_password_expires() {
    let mut u = user(UserStatus::Active, true);
    u.expire_with_temp_password("temp-hash".into(), LATER)
        .unwrap();
    assert_eq!(u.status, UserStatus::PasswordExpired);
    assert_eq!(u.password_hash.as_deref(), Some("temp-hash"));
    assert!(
        user(UserStatus::Suspended, true)
            .expire_with_temp_password("t".into(), LATER)
            .is_err()
    );
}

#[test]
fn temp_passwords_meet_the_policy() {
    let login = "annie.jackson@acme.com";
    for _ in 0..50 {
        let p = temp_password(login);
        assert_eq!(p.expose().chars().count(), TEMP_PASSWORD_LEN);
        assert!(crate::password::check_policy(&p, login).is_ok());
    }
}

#[test]
fn recovery_question_rules() {
    let ok = "What is the food you least liked as a child?";
    for (question, answer, field) in [
        (ok, "Tofu", None),
        (ok, "  broccoli  ", None),
        ("", "Tofu", Some("recovery_question.question")),
        (
            &"q".repeat(101) as &str,
            "Tofu",
            Some("recovery_question.question"),
        ),
        (ok, "abc", Some("recovery_question.answer")),
        (ok, &"a".repeat(101), Some("recovery_question.answer")),
        (ok, "CHILD", Some("recovery_question.answer")),
    ] {
        let got = check_recovery_question(question, answer);
        match (field, got) {
            (None, Ok(())) => {}
            (Some(f), Err(Error::Invalid { summary, .. })) => assert_eq!(summary, f, "{answer}"),
            (want, got) => panic!("{question:?}/{answer:?}: wanted {want:?}, got {got:?}"),
        }
    }
}

#[test]
fn answers_compare_ignoring_case_and_spaces() {
    assert_eq!(answer_key(" Tofu ").expose(), answer_key("tofu").expose());
    let mut u = user(UserStatus::Active, true);
    u.set_recovery_question(" Favourite food? ", "h".into(), LATER)
        .unwrap();
    assert_eq!(u.recovery_question.as_deref(), Some("Favourite food?"));
    assert_eq!(u.recovery_answer_hash.as_deref(), Some("h"));
    assert_eq!(u.last_updated, LATER);
}
