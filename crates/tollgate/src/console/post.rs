//! A console form post: the signed-in admin and the form, once its CSRF token checks. Every
//! console `POST` handler takes one, then asks [`ConsolePost::permitted`] for its action.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};

use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form, expired_form};
use crate::state::AppState;

/// A posted form from a signed-in admin whose CSRF token checks (else the request is answered
/// with the sign-in redirect or [`expired_form`] before the handler runs).
pub struct ConsolePost {
    /// The admin who posted.
    pub admin: ConsoleAdmin,
    /// The form.
    pub form: Form,
}

impl FromRequest<AppState> for ConsolePost {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let admin = ConsoleAdmin::from_request_parts(&mut parts, state).await?;
        let headers = parts.headers.clone();
        let bytes = Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(IntoResponse::into_response)?;
        let form = admin.form(&headers, &bytes).ok_or_else(expired_form)?;
        Ok(Self { admin, form })
    }
}

impl ConsolePost {
    /// The admin and the form, if the admin may do `action` to the app, user or group `id`
    /// (`None`: to a whole collection); else the console's 403 page.
    pub async fn permitted(
        self,
        state: &AppState,
        action: ConsoleAction,
        id: Option<&str>,
    ) -> Result<(ConsoleAdmin, Form), Response> {
        self.admin.require(state, action, id).await?;
        Ok((self.admin, self.form))
    }
}
