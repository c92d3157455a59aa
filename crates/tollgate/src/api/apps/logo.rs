//! `POST /api/v1/apps/{appId}/logo` (multipart/form-data, field `file`), and the public
//! `GET /logos/apps/{appId}/{digest}.{ext}` that serves an uploaded logo, as Okta's CDN serves
//! them: anyone may fetch it, and its URL names its content, so it may be cached for good.
//!
//! Okta reference: Application Logos API ("Upload an application logo").

use axum::Router;
use axum::body::Bytes;
use axum::extract::multipart::{MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tollgate_core::app::logo::{LogoError, LogoFormat, LogoRef};
use tollgate_core::log::Entity;

use super::load_app;
use crate::http::auth::Admin;
use crate::http::limits::{MAX_BODY_BYTES, too_large};
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The upload and the public logo routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/apps/{id}/logo", post(upload_logo))
        .route("/logos/apps/{id}/{file}", get(serve_logo))
}

/// `POST /api/v1/apps/{appId}/logo`: 201 with no body; the app's `_links.logo` and its users'
/// `logoUrl` then point at the new logo.
pub async fn upload_logo(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<StatusCode, Response> {
    let image = match file_field(form).await {
        FormFile::Found(bytes) => Some(bytes),
        FormFile::Missing => None,
        FormFile::TooLarge => return Err(too_large(MAX_BODY_BYTES)),
    };
    store_logo(&state, &admin, &id, image.as_deref())
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(StatusCode::CREATED)
}

async fn store_logo(
    state: &AppState,
    admin: &Admin,
    id: &str,
    image: Option<&[u8]>,
) -> ApiResult<()> {
    let app = load_app(state, id).await?;
    let image = image.ok_or_else(|| logo_error(LogoError::Missing))?;
    let logo = LogoRef::check(image).map_err(logo_error)?;
    let now = state.clock().now();
    let event = admin
        .event("application.lifecycle.update", "Update application", now)
        .target(Entity::app(&app));
    if !state
        .store()
        .set_app_logo(app.id.as_str(), &logo, image, now, &[event])
        .await?
    {
        return Err(ApiError::not_found(id, "AppInstance"));
    }
    Ok(())
}

/// What a logo upload's form gave.
enum FormFile {
    /// The `file` field's content.
    Found(Bytes),
    /// Not a well-formed `multipart/form-data` form with a `file` field.
    Missing,
    /// A body over the request limit.
    TooLarge,
}

/// Reads the form's `file` field.
async fn file_field(form: Result<Multipart, MultipartRejection>) -> FormFile {
    let Ok(mut form) = form else {
        return FormFile::Missing;
    };
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return FormFile::Missing,
            Err(e) => return unreadable(&e),
        };
        if field.name() == Some("file") {
            return match field.bytes().await {
                Ok(bytes) => FormFile::Found(bytes),
                Err(e) => unreadable(&e),
            };
        }
    }
}

/// A form that could not be read: too large, or malformed (no file).
fn unreadable(e: &MultipartError) -> FormFile {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        FormFile::TooLarge
    } else {
        FormFile::Missing
    }
}

/// Okta's `E0000001` on the `file` field.
fn logo_error(e: LogoError) -> ApiError {
    let message = match e {
        LogoError::Missing => "A file is required.",
        LogoError::TooLarge => "The file must be less than one MB in size.",
        LogoError::Unsupported => "The file must be a PNG, JPG, GIF or SVG (UTF-8) image.",
    };
    ApiError::invalid("file", message)
}

/// `GET /logos/apps/{appId}/{digest}.{ext}`: the app's current logo, or 404 (also for a logo it
/// no longer has). An SVG is sandboxed so that script in it never runs in our origin.
pub async fn serve_logo(
    State(state): State<AppState>,
    Path((id, file)): Path<(String, String)>,
) -> ApiResult<Response> {
    let found = match LogoRef::parse(&file) {
        Some(logo) => state
            .store()
            .app_logo_image(&id, &logo)
            .await?
            .map(|image| (logo.format, image)),
        None => None,
    };
    let Some((format, image)) = found else {
        return Ok(crate::router::not_found().await);
    };
    let mut response = image.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(format.media_type()));
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if format == LogoFormat::Svg {
        headers.insert(
            CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'; sandbox"),
        );
    }
    Ok(response)
}
