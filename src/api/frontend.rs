//! The web app's static files (embedded in release builds; read from `frontend/dist` in
//! debug builds), with the single-page fallback to `index.html`. Unknown `/api` paths get a
//! problem+json 404 instead.

use super::openapi_doc;
use crate::error::AppError;
use actix_web::http::{header, Method};
use actix_web::{HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "frontend/dist"]
#[allow_missing = true]
struct Assets;

pub async fn serve(req: HttpRequest) -> Result<HttpResponse, AppError> {
    let path = req.path().trim_start_matches('/');
    if path == "api" || path.starts_with("api/") || matches!(path, "healthz" | "readyz" | "metrics")
    {
        // A documented path with another method: 405 with the methods it has.
        if let Some(e) = openapi_doc::method_not_allowed(&req) {
            return Err(e);
        }
        return Err(AppError::NotFound(format!(
            "no such endpoint: {} /{path}",
            req.method()
        )));
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return Err(AppError::NotFound(format!(
            "no such endpoint: {} /{path}",
            req.method()
        )));
    }
    if let Some(file) = (!path.is_empty()).then(|| Assets::get(path)).flatten() {
        let mime = file.metadata.mimetype().to_string();
        // Vite puts a content hash in asset names: cache them for good.
        let cache = if path.starts_with("assets/") {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        return Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, mime))
            .insert_header((header::CACHE_CONTROL, cache))
            .body(file.data.into_owned()));
    }
    match Assets::get("index.html") {
        Some(index) => Ok(HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .body(index.data.into_owned())),
        None => Ok(HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(
                "<!doctype html><title>actboard</title><h1>actboard</h1>\
             <p>The web app is not built. Run <code>make run</code> (it builds the frontend), \
             or use the API under <a href=\"/api/docs\">/api/docs</a>.</p>",
            )),
    }
}
