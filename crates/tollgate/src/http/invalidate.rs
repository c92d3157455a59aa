//! Middleware: after a management write (any `/api/v1` request that is not a read, except
//! sign-in and session calls, which change nothing cached), this process's caches re-check.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

use crate::state::AppState;

/// Re-checks this process's caches after a management write.
pub async fn invalidate_on_write(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS)
        && path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/authn")
        && !path.starts_with("/api/v1/sessions");
    let resp = next.run(req).await;
    if writes {
        state.caches().invalidate();
    }
    resp
}
