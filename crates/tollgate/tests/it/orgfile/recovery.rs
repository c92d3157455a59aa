//! `recoveryQuestion` in an org file: exported as the question and the answer's argon2id hash
//! (never the answer), applied back, and the answer still works through the API.

use serde_json::json;
use tollgate::orgfile::{self, OrgFile};

use super::{apply_text, fresh_store, scratch};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json};
use crate::users::{PASSWORD, create_user, sign_in};

backend_tests!(
    recovery_questions_take_the_round_trip,
    a_wrong_recovery_question_says_where,
);

const LOGIN: &str = "recovery.file@acme.com";

async fn recovery_questions_take_the_round_trip(b: Backend) {
    let (Some(source), Some(target)) = (TestApp::start(b).await, TestApp::start(b).await) else {
        return;
    };
    let id = create_user(&source, LOGIN, "").await;
    let question = json!({"password": {"value": PASSWORD},
        "recovery_question": {"question": "Favourite colour?", "answer": "Teal Blue"}});
    let path = format!("/api/v1/users/{id}/credentials/change_recovery_question");
    json(source.post(&path, &question), 200).await;

    let store = source.open_store().await;
    let exported = orgfile::export::export(&store).await.unwrap();
    let user = exported.users.iter().find(|u| u.login == LOGIN).unwrap();
    let file = OrgFile {
        users: vec![user.clone()],
        ..OrgFile::default()
    };
    let text = orgfile::to_yaml(&file).unwrap();
    assert!(text.contains("question: Favourite colour?"), "{text}");
    assert!(text.contains("answerHash: $argon2id$"), "{text}");
    assert!(!text.to_lowercase().contains("teal"), "{text}");

    let applied = target.open_store().await;
    apply_text(&applied, &text).await.unwrap();
    assert!(apply_text(&applied, &text).await.unwrap().is_noop());
    let again = orgfile::export::export(&applied).await.unwrap();
    let back = again.users.iter().find(|u| u.login == LOGIN).unwrap();
    assert_eq!(back.recovery_question, user.recovery_question);

    // The answer works on the server the file was applied to, compared as Okta compares it.
    let forgot = json!({"password": {"value": "Fresh-Pass-77"},
        "recovery_question": {"answer": "  teal BLUE "}});
    let path = format!("/api/v1/users/{id}/credentials/forgot_password_recovery_question");
    json(target.post(&path, &forgot), 200).await;
    assert_eq!(sign_in(&target, LOGIN, "Fresh-Pass-77").await, "SUCCESS");
    store.close().await;
    applied.close().await;
    source.finish().await;
    target.finish().await;
}

async fn a_wrong_recovery_question_says_where(b: Backend) {
    let Some(s) = scratch(b).await else {
        return;
    };
    let store = fresh_store(&s).await;
    let file = |recovery: &str| {
        format!(
            "users:\n  - login: {LOGIN}\n    firstName: Rae\n    lastName: Cover\n    recoveryQuestion: {recovery}\n"
        )
    };
    let table = [
        (
            "{question: Colour?, answerHash: teal}",
            "users[0].recoveryQuestion.answerHash: must be an argon2id PHC string",
        ),
        (
            "{question: '', answerHash: teal}",
            "users[0].recoveryQuestion.question: The security question must be between 1 and 100",
        ),
        (
            "{question: Colour?, answer: teal}",
            "unknown field `answer`",
        ),
    ];
    for (recovery, want) in table {
        let err = apply_text(&store, &file(recovery))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains(want), "{recovery}: {err}");
    }
    assert!(store.find_user(LOGIN).await.unwrap().is_none());
    store.close().await;
    s.cleanup().await;
}
