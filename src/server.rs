//! Building and starting the HTTP server (used by `actboard serve` and by the tests).

use crate::api::{self, request_id, ApiDoc};
use crate::auth::{jwt::JwtKeys, secret};
use crate::config::Config;
use crate::db;
use crate::state::AppState;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpResponse, HttpServer};
use std::net::SocketAddr;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;

/// Scalar's page, loading its script from our own origin (vendored by the frontend build)
/// instead of a CDN: clinics often run without internet access.
const DOCS_HTML: &str = r#"<!doctype html>
<html><head><title>actboard API</title><meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/></head>
<body><script id="api-reference" type="application/json">$spec</script>
<script src="/vendor/scalar-api-reference.js"></script>
<noscript>The machine-readable document is at <a href="/api/openapi.json">/api/openapi.json</a>.</noscript>
</body></html>"#;

/// Resolve the secret, open the pool and migrate: everything that can fail before serving.
pub fn prepare(config: Config) -> Result<web::Data<AppState>, String> {
    let secret = secret::resolve(&config)?;
    let pool = db::build_pool(&config.database, config.pool_size)?;
    let mut conn = pool
        .get()
        .map_err(|e| format!("cannot connect to {}: {e}", db::describe(&config.database)))?;
    let applied = db::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    drop(conn);
    let pg_listen = match &config.database {
        crate::db::DbTarget::Postgres(url) => Some(url.clone()),
        crate::db::DbTarget::Sqlite(_) => None,
    };
    let hub = crate::live::hub::start(pool.clone(), pool.take_commits(), pg_listen);
    Ok(web::Data::new(AppState {
        pool,
        hub,
        jwt: JwtKeys::new(&secret),
        engine: config.database.engine(),
        config,
    }))
}

pub struct Running {
    pub server: actix_web::dev::Server,
    pub addr: SocketAddr,
    pub state: web::Data<AppState>,
}

/// Bind and start serving; the returned server future must be awaited or spawned.
pub fn start(state: web::Data<AppState>) -> Result<Running, String> {
    let bind = state.config.bind;
    let workers = state.config.workers;
    let st = state.clone();
    let mut server = HttpServer::new(move || {
        let (app, openapi) = App::new()
            .into_utoipa_app()
            .openapi(ApiDoc::openapi())
            .app_data(st.clone())
            .app_data(api::path_config())
            .app_data(api::query_config())
            .app_data(api::payload_config())
            // Before the /api scope, which would otherwise answer these with its 404.
            .route("/api/openapi.json", web::get().to(openapi_json))
            .route("/api/docs", web::get().to(docs))
            .configure(api::routes)
            .split_for_parts();
        let docs_html = web::Data::new(DocsPage(
            utoipa_scalar::Scalar::new(openapi.clone())
                .custom_html(DOCS_HTML)
                .to_html(),
        ));
        app.app_data(web::Data::new(openapi))
            .app_data(docs_html)
            .default_service(web::to(api::frontend::serve))
            .wrap(Compress::default())
            .wrap(from_fn(request_id::middleware))
    })
    .shutdown_timeout(10);
    if let Some(w) = workers {
        server = server.workers(w);
    }
    let server = server
        .bind(bind)
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let addr = server.addrs().first().copied().ok_or("no address bound")?;
    Ok(Running {
        server: server.run(),
        addr,
        state,
    })
}

struct DocsPage(String);

async fn docs(page: web::Data<DocsPage>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.0.clone())
}

async fn openapi_json(doc: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}
