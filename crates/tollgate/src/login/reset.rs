//! The password reset page behind the links of `lifecycle/reset_password` (`/reset_password/{t}`)
//! and `credentials/forgot_password` (`/signin/reset-password/{t}`), and the same page for
//! activation links (`/tokens/{t}/verify`, `/welcome/{t}`), where a user activated without a
//! password chooses one. `GET` shows a form for the
//! new password while the link is valid, without using it; `POST` checks the form's CSRF token
//! (double submit, as the sign-in page), the policy and the link, then uses the link once, sets
//! the password and makes the user `ACTIVE`. Like the sign-in page: server-rendered, no external
//! assets, not framed, never cached, sent with no referrer (the link is a secret).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use tollgate_core::directory::User;
use tollgate_core::log::Entity;
use tollgate_core::password::history::{self, Setter};
use tollgate_core::secret::Secret;
use tollgate_core::session::TokenKind;

use crate::api::users::change_user;
use crate::api::users::credentials::checked_password_hash;
use crate::http::audit::Anonymous;
use crate::http::{ApiError, OktaCode};
use crate::login::csrf;
use crate::login::recovery_answer::{self, Answer};
use crate::pages::{SHOW_PASSWORD_SCRIPT, document, escape, html_response};
use crate::state::AppState;

const CSRF_COOKIE: &str = "tollgate_reset_csrf";
const WRONG_ANSWER: &str = "The answer to the security question is not right.";
const TOO_MANY_ANSWERS: &str = "Too many wrong answers. Try again in a few minutes.";

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Purpose {
    /// A password reset.
    Reset,
    /// Choosing the first password of an activated account.
    Activation,
}

impl Purpose {
    fn token_kind(self) -> TokenKind {
        match self {
            Self::Reset => TokenKind::PasswordReset,
            Self::Activation => TokenKind::Activation,
        }
    }

    /// The page heading and its button.
    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Reset => ("Reset your password", "Reset password"),
            Self::Activation => ("Activate your account", "Set password"),
        }
    }
}

/// The page, at every link shape.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reset_password/{token}", get(show).post(submit))
        .route("/signin/reset-password/{token}", get(show).post(submit))
        .route(
            "/tokens/{token}/verify",
            get(show_activation).post(submit_activation),
        )
        .route(
            "/welcome/{token}",
            get(show_activation).post(submit_activation),
        )
}

/// The form; `problem` is said above it (and marks both fields) when the last try failed.
fn form_html(
    purpose: Purpose,
    (org, login, question): (&str, &str, Option<&str>),
    csrf: &str,
    problem: Option<&str>,
) -> String {
    let (heading, button) = purpose.words();
    let about_answer = problem.is_some_and(|p| p == WRONG_ANSWER || p == TOO_MANY_ANSWERS);
    let (error, invalid) = match problem {
        Some(p) if about_answer => (
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                escape(p)
            ),
            "",
        ),
        Some(p) => (
            format!(
                "<p class=\"error\" role=\"alert\" id=\"error\">{}</p>",
                escape(p)
            ),
            " aria-invalid=\"true\" aria-describedby=\"error\"",
        ),
        None => (String::new(), ""),
    };
    let body = format!(
        "<h1>{heading}</h1><p class=\"org\">{org}</p><p>For {login}</p>{error}\
         <form method=\"post\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">{question_field}\
         <label for=\"password\">New password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required{focus}{invalid}>\
         <button type=\"button\" class=\"toggle\" id=\"show-password\" aria-controls=\"password\" aria-pressed=\"false\" hidden>Show password</button>\
         <label for=\"confirm\">Repeat the new password</label><input id=\"confirm\" name=\"confirm\" type=\"password\" autocomplete=\"new-password\" required{invalid}>\
         <p>At least 8 characters, a lowercase letter, an uppercase letter, a number, no parts of your username.</p>\
         <button type=\"submit\" class=\"primary\">{button}</button></form><script>{SHOW_PASSWORD_SCRIPT}</script>",
        org = escape(org),
        login = escape(login),
        csrf = escape(csrf),
        question_field = question
            .map(|q| question_field(q, about_answer))
            .unwrap_or_default(),
        focus = if question.is_some() { "" } else { " autofocus" },
    );
    document(&format!("{heading} - {org}"), &body)
}

/// Why the form's answer to the recovery question does not let the reset go on, if it does not.
async fn answer_problem(
    state: &AppState,
    audit: &Anonymous,
    user: &User,
    form: &str,
) -> Result<Option<(StatusCode, &'static str)>, ApiError> {
    let given = form_field(form, "answer");
    Ok(
        match recovery_answer::check(state, audit, user, &given).await? {
            Answer::Right => None,
            Answer::Wrong => Some((
                StatusCode::UNAUTHORIZED,
                "The answer to the security question is not right.",
            )),
            Answer::Throttled => Some((
                StatusCode::TOO_MANY_REQUESTS,
                "Too many wrong answers. Try again in a few minutes.",
            )),
        },
    )
}

/// The recovery question, asked before the new password when the user has one.
fn question_field(question: &str, invalid: bool) -> String {
    let marked = if invalid {
        " aria-invalid=\"true\" aria-describedby=\"error\""
    } else {
        ""
    };
    format!(
        "<label for=\"answer\">Answer to your security question: {}</label>\
         <input id=\"answer\" name=\"answer\" type=\"text\" autocomplete=\"off\" required autofocus{marked}>",
        escape(question)
    )
}

fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!("<h1>{}</h1><p>{}</p>", escape(title), escape(text));
    html_response(status, document(title, &body))
}

fn invalid_link() -> Response {
    message_page(
        StatusCode::NOT_FOUND,
        "This link is no longer valid",
        "Reset and activation links work once and expire. Ask your administrator for a new one.",
    )
}

async fn render_form(
    state: &AppState,
    purpose: Purpose,
    status: StatusCode,
    user: &User,
    problem: Option<&str>,
) -> Result<Response, ApiError> {
    let org = state.caches().org().await?;
    let csrf = csrf::fresh(state, CSRF_COOKIE);
    let question = match purpose {
        Purpose::Reset => user.recovery_question.as_deref(),
        Purpose::Activation => None,
    };
    let shown = (org.company_name.as_str(), user.login(), question);
    let html = form_html(purpose, shown, &csrf.value, problem);
    let mut r = html_response(status, html);
    if let Some(c) = csrf.set_cookie {
        r.headers_mut().append(SET_COOKIE, c);
    }
    Ok(r)
}

/// The user a valid, unused link is for.
async fn link_user(
    state: &AppState,
    purpose: Purpose,
    token: &str,
) -> Result<Option<User>, ApiError> {
    let digest = Secret::new(token).digest();
    let now = state.clock().now();
    let kind = purpose.token_kind();
    let Some(id) = state
        .store()
        .peek_one_time_token(&digest, kind, now)
        .await?
    else {
        return Ok(None);
    };
    Ok(state.store().find_user(&id).await?)
}

/// `GET /reset_password/{token}` and `GET /signin/reset-password/{token}`.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    show_for(&state, Purpose::Reset, &token).await
}

/// `GET /tokens/{token}/verify` and `GET /welcome/{token}`.
pub async fn show_activation(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    show_for(&state, Purpose::Activation, &token).await
}

async fn show_for(state: &AppState, purpose: Purpose, token: &str) -> Result<Response, ApiError> {
    match link_user(state, purpose, token).await? {
        Some(user) => render_form(state, purpose, StatusCode::OK, &user, None).await,
        None => Ok(invalid_link()),
    }
}

fn form_field(form: &str, name: &str) -> String {
    url::form_urlencoded::parse(form.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// `POST` of a reset link's form: sets the new password and uses the link.
pub async fn submit(
    State(state): State<AppState>,
    audit: Anonymous,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    submit_for(state, Purpose::Reset, audit, token, headers, body).await
}

/// `POST` of an activation link's form: sets the first password and uses the link.
pub async fn submit_activation(
    State(state): State<AppState>,
    audit: Anonymous,
    Path(token): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    submit_for(state, Purpose::Activation, audit, token, headers, body).await
}

async fn submit_for(
    state: AppState,
    purpose: Purpose,
    audit: Anonymous,
    token: String,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let Some(user) = link_user(&state, purpose, &token).await? else {
        return Ok(invalid_link());
    };
    let form = String::from_utf8_lossy(&body);
    if !csrf::verify(&headers, CSRF_COOKIE, &form_field(&form, csrf::FIELD)) {
        let problem = Some("Your form expired. Please try again.");
        return render_form(&state, purpose, StatusCode::FORBIDDEN, &user, problem).await;
    }
    if purpose == Purpose::Reset
        && let Some((status, problem)) = answer_problem(&state, &audit, &user, &form).await?
    {
        return render_form(&state, purpose, status, &user, Some(problem)).await;
    }
    let password = form_field(&form, "password");
    if password != form_field(&form, "confirm") {
        let problem = Some("The two passwords are not the same.");
        return render_form(&state, purpose, StatusCode::BAD_REQUEST, &user, problem).await;
    }
    let password = Secret::new(password);
    let hash = match checked_password_hash(&state, &user, password, Setter::SelfService).await {
        Ok(hash) => hash,
        Err(e) if e.code == OktaCode::E0000014 => {
            let reused = e.causes.iter().any(|c| c.ends_with(history::REUSED));
            let problem = Some(if reused {
                "This password was used too recently. Please choose another one."
            } else {
                "The password does not meet the requirements below."
            });
            return render_form(&state, purpose, StatusCode::BAD_REQUEST, &user, problem).await;
        }
        Err(e) => return Err(e),
    };
    let now = state.clock().now();
    let digest = Secret::new(token).digest();
    let redeemed = state
        .store()
        .redeem_one_time_token(&digest, purpose.token_kind(), now)
        .await?;
    if redeemed.as_deref() != Some(user.id.as_str()) {
        return Ok(invalid_link());
    }
    let id = user.id.as_str().to_owned();
    let (event_type, message) = match purpose {
        Purpose::Reset => (
            "user.account.reset_password",
            "Reset password through a reset link",
        ),
        Purpose::Activation => (
            "user.account.update_password",
            "Set the first password through an activation link",
        ),
    };
    let changed = change_user(&state, &id, |u| {
        match purpose {
            Purpose::Reset => u.complete_reset(hash.clone(), now)?,
            Purpose::Activation => u.complete_activation(hash.clone(), now)?,
        }
        Ok(vec![
            audit
                .event(Entity::user(u), event_type, message, now)
                .target(Entity::user(u)),
        ])
    })
    .await;
    match changed {
        Ok(_) => {}
        // Deactivated or suspended since the link was made: the link is spent, nothing changes.
        Err(e) if e.code == OktaCode::E0000038 => return Ok(invalid_link()),
        Err(e) => return Err(e),
    }
    Ok(message_page(
        StatusCode::OK,
        match purpose {
            Purpose::Reset => "Your password has been reset",
            Purpose::Activation => "Your account is active",
        },
        "You can now sign in with your new password.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_marks_both_fields_only_after_a_problem() {
        let marked = " aria-invalid=\"true\" aria-describedby=\"error\"";
        let fresh = form_html(Purpose::Reset, ("Acme", "annie@acme.com", None), "t", None);
        assert_eq!(fresh.matches(marked).count(), 0);
        let failed = form_html(
            Purpose::Activation,
            ("Acme", "<annie>", None),
            "t",
            Some("No."),
        );
        assert_eq!(failed.matches(marked).count(), 2);
        assert!(failed.contains("role=\"alert\" id=\"error\">No.</p>"));
        assert!(failed.contains("&lt;annie&gt;"));
    }
}
