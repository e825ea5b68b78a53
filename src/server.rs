//! Building and starting the HTTP server (used by `actboard serve` and by the tests).

use crate::api::{self, ApiDoc};
use crate::auth::{jwt::JwtKeys, secret};
use crate::config::Config;
use crate::db;
use crate::request_id;
use crate::state::AppState;
use actix_web::middleware::{from_fn, Compress, DefaultHeaders};
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
/// Starts the live hub, the escalation scan and the audit chainer.
pub fn prepare(config: Config) -> Result<web::Data<AppState>, String> {
    let secret = secret::resolve(&config)?;
    let (pool, conn, applied) = db::open_migrated(&config.database, config.pool_size)?;
    if applied > 0 {
        tracing::info!(applied, "database migrations applied");
    }
    drop(conn);
    let pg_listen = match &config.database {
        crate::db::DbTarget::Postgres(url) => Some(url.clone()),
        crate::db::DbTarget::Sqlite(_) => None,
    };
    let hub = crate::live::hub::start(pool.clone(), pool.take_commits(), pg_listen);
    let jobs_alive = std::sync::Arc::new(());
    crate::store::escalation::spawn(
        pool.clone(),
        config.escalation_scan,
        std::sync::Arc::downgrade(&jobs_alive),
    );
    crate::store::audit::spawn(
        pool.clone(),
        std::time::Duration::from_secs(1),
        std::sync::Arc::downgrade(&jobs_alive),
    );
    Ok(web::Data::new(AppState {
        pool,
        hub,
        jwt: JwtKeys::new(&secret),
        engine: config.database.engine(),
        config,
        jobs_alive,
    }))
}

/// The OpenAPI document as pretty JSON (`actboard openapi`; `make api-types` reads it).
pub fn openapi_text() -> String {
    serde_json::to_string_pretty(&api::openapi_document()).unwrap_or_default()
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
    let openapi = api::openapi_document();
    let docs_html = web::Data::new(DocsPage(
        utoipa_scalar::Scalar::new(openapi.clone())
            .custom_html(DOCS_HTML)
            .to_html(),
    ));
    let openapi = web::Data::new(openapi);
    let mut server = HttpServer::new(move || {
        let (app, _) = App::new()
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
        app.app_data(openapi.clone())
            .app_data(docs_html.clone())
            .default_service(web::to(api::frontend::serve))
            .wrap(Compress::default())
            .wrap(security_headers())
            .wrap(from_fn(api::metrics::count_requests))
            .wrap(from_fn(request_id::middleware))
    })
    .shutdown_timeout(10)
    // `actboard serve` handles SIGTERM/SIGINT itself (see `shutdown_on_signal`): websockets
    // first get "going away", then in-flight requests finish.
    .disable_signals();
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

/// The app's own origin only; inline styles (Preact style attributes); no framing at all.
/// `no-referrer` keeps a display link's token out of Referer headers.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "no-referrer"))
        .add(("X-Frame-Options", "DENY"))
}

struct DocsPage(String);

async fn docs(page: web::Data<DocsPage>) -> HttpResponse {
    // The API reference (Scalar) needs inline and evaluated script; it gets its own policy.
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; \
             img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
        ))
        .body(page.0.clone())
}

async fn openapi_json(doc: web::Data<utoipa::openapi::OpenApi>) -> HttpResponse {
    HttpResponse::Ok().json(doc.get_ref())
}

/// Every websocket is an open file: raise the soft limit on open files to the hard limit (often
/// 1,024 → 524,288), as a server holding thousands of connections needs. Returns the limit now
/// in force.
#[cfg(unix)]
pub fn raise_open_files_limit() -> Option<u64> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit/setrlimit only read and write the struct passed to them.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } != 0 {
        return None;
    }
    if lim.rlim_cur < lim.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: lim.rlim_max,
            rlim_max: lim.rlim_max,
        };
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            return Some(raised.rlim_cur);
        }
    }
    Some(lim.rlim_cur)
}

#[cfg(not(unix))]
pub fn raise_open_files_limit() -> Option<u64> {
    None
}

/// Wait for SIGTERM or Ctrl-C, then stop gracefully: every websocket is closed with 1001
/// (clients reconnect to another instance or to the restarted one and resume), then the
/// HTTP server stops accepting and lets in-flight requests (writes) finish.
pub async fn shutdown_on_signal(handle: actix_web::dev::ServerHandle, hub: crate::live::Hub) {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => return,
            };
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    let n = hub.shutdown().await;
    tracing::info!(
        connections = n,
        "shutting down: live connections told to reconnect"
    );
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    handle.stop(true).await;
}
