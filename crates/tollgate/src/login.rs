//! Sign-in: the password check shared by `/api/v1/authn` and the hosted sign-in page, the
//! session cookie, and the page itself.

pub mod cookie;
pub mod csrf;
pub mod forgot;
pub mod hasher;
pub mod history;
pub mod page;
pub mod password;
pub mod recovery_answer;
pub mod reset;
pub mod resolve;
pub mod throttle;
