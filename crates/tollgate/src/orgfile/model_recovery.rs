//! A user's `recoveryQuestion` in an org file: the question and the argon2id hash of its
//! answer (as compared: trimmed, lower case), never the answer itself.

use serde::{Deserialize, Serialize};
use tollgate_core::directory::User;
use tollgate_core::directory::user::credentials::check_question;

/// `recoveryQuestion: {question, answerHash}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RecoveryQuestionSpec {
    /// The question, 1 to 100 characters.
    pub question: String,
    /// `$argon2id$v=19$m=...,t=...,p=...$salt$hash` of the answer.
    pub answer_hash: String,
}

impl RecoveryQuestionSpec {
    /// The file's form of `user`'s recovery question, if one is set.
    pub fn of(user: &User) -> Option<Self> {
        Some(Self {
            question: user.recovery_question.clone()?,
            answer_hash: user.recovery_answer_hash.clone()?,
        })
    }

    /// Checks the question and the hash's form; causes under `recoveryQuestion`.
    pub fn check(&self) -> Result<(), tollgate_core::Error> {
        check_question(&self.question, "recoveryQuestion.question")?;
        let h = &self.answer_hash;
        if h.starts_with("$argon2id$") && h.split('$').count() == 6 {
            return Ok(());
        }
        Err(tollgate_core::Error::invalid_field(
            "recoveryQuestion.answerHash",
            "must be an argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash)",
        ))
    }

    /// Gives `user` this recovery question (the file wins over what is stored).
    pub fn apply_to(&self, user: &mut User) {
        user.recovery_question = Some(self.question.trim().to_owned());
        user.recovery_answer_hash = Some(self.answer_hash.clone());
    }
}

/// Checks `spec`, if given: `Ok` with it when it is right.
pub fn checked(
    spec: Option<&RecoveryQuestionSpec>,
) -> Result<Option<&RecoveryQuestionSpec>, tollgate_core::Error> {
    spec.map(|s| s.check().map(|()| s)).transpose()
}
