//! `POST /admin/signout`: ends the admin's session (with its `user.session.end` event) and
//! clears the cookie; the browser lands on the sign-in page.

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};

use crate::console::layout::redirect;
use crate::console::post::ConsolePost;
use crate::http::ApiError;
use crate::login::cookie;
use crate::state::AppState;

/// `POST /admin/signout`.
pub async fn sign_out(
    State(state): State<AppState>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let admin = post.admin;
    let event = admin.audit.session_end(&admin.session, state.clock().now());
    state
        .store()
        .delete_session(&admin.session.id, &[event])
        .await
        .map_err(|e| ApiError::from(e).into_response())?;
    let mut r = redirect("/login?fromURI=%2Fadmin");
    if let Some(c) = cookie::set(&state, cookie::NAME, "", 0) {
        r.headers_mut().insert(SET_COOKIE, c);
    }
    Ok(r)
}
