//! Test harness: a real actboard HTTP server per test, each on a fresh database — a temporary
//! SQLite file always, and a freshly created PostgreSQL database when
//! ACTBOARD_TEST_DATABASE_URL is set (dropped again when the test ends).
#![allow(dead_code)]

// The one place the tests name the staff store (the first admin is inserted directly).
use actboard::config::Config;
use actboard::db::{DbTarget, Engine};
use actboard::server;
use actboard::store::staff::{insert_staff, NewStaff};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Helpers several test binaries share (ids, a referred client, validation problems, …).
pub mod fixtures;

pub const SECRET: &str = "test-secret-test-secret-test-secret!";
pub const PASSWORD: &str = "correct horse battery";

/// Two tests per scenario: `…::sqlite` always, `…::postgres` when a server is configured.
#[macro_export]
macro_rules! both_engines {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name($crate::common::TestApp::start($crate::common::EngineChoice::Sqlite).await.unwrap()).await
            }
            #[actix_web::test]
            async fn postgres() {
                match $crate::common::TestApp::start($crate::common::EngineChoice::Postgres).await {
                    Some(app) => super::$name(app).await,
                    None => eprintln!("SKIPPED: ACTBOARD_TEST_DATABASE_URL is not set"),
                }
            }
        }
    )*};
}

/// Tests that start their own server (a different configuration): `fn name(EngineChoice)`.
#[macro_export]
macro_rules! by_engine {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() {
                super::$name($crate::common::EngineChoice::Sqlite).await
            }
            #[actix_web::test]
            async fn postgres() {
                super::$name($crate::common::EngineChoice::Postgres).await
            }
        }
    )*};
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EngineChoice {
    Sqlite,
    Postgres,
}

pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub fn new(engine: EngineChoice) -> Option<TestDb> {
        match engine {
            EngineChoice::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                    pg_admin: None,
                })
            }
            EngineChoice::Postgres => {
                let admin_url = std::env::var("ACTBOARD_TEST_DATABASE_URL")
                    .ok()
                    .filter(|s| !s.is_empty());
                if admin_url.is_none() && std::env::var("CI").as_deref() == Ok("true") {
                    panic!("CI=true but ACTBOARD_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI");
                }
                let admin_url = admin_url?;
                let name = format!("actboard_t_{}", uuid::Uuid::new_v4().simple());
                let mut conn = diesel::PgConnection::establish(&admin_url).unwrap_or_else(|e| {
                    panic!("ACTBOARD_TEST_DATABASE_URL is set but PostgreSQL does not answer: {e}")
                });
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .unwrap();
                let url = replace_db_name(&admin_url, &name);
                Some(TestDb {
                    url,
                    _dir: None,
                    pg_admin: Some((admin_url, name)),
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.pg_admin {
            if let Ok(mut conn) = diesel::PgConnection::establish(admin_url) {
                let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

pub fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let new_base = match base[scheme_end..].find('/') {
        Some(i) => format!("{}/{name}", &base[..scheme_end + i]),
        None => format!("{base}/{name}"),
    };
    match query {
        Some(q) => format!("{new_base}?{q}"),
        None => new_base,
    }
}

pub fn test_config(url: &str) -> Config {
    Config {
        jwt_secret: Some(SECRET.into()),
        allowed_origins: vec!["http://localhost".into()],
        instance_id: "test".into(),
        workers: Some(2),
        pool_size: 8,
        ..Config::with_defaults(
            DbTarget::parse(url).unwrap(),
            "127.0.0.1:0".parse().unwrap(),
        )
    }
}

pub struct TestApp {
    pub base: String,
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub engine: Engine,
    pub state: actix_web::web::Data<actboard::state::AppState>,
    pub admin_token: String,
    pub admin_id: String,
    pub db: TestDb,
}

pub struct Resp {
    pub status: StatusCode,
    pub body: Value,
    pub content_type: String,
    /// The `Allow` header (405 answers).
    pub allow: Option<String>,
}

impl std::fmt::Debug for Resp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {} {}", self.status, self.content_type, self.body)
    }
}

impl Resp {
    /// Assert the status (printing the body when it differs) and return the body.
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected response: {self:?}"
        );
        self.body
    }

    /// Assert a problem+json error with this status and code.
    pub fn problem(self, status: u16, code: &str) -> Value {
        assert_eq!(
            self.status.as_u16(),
            status,
            "unexpected response: {self:?}"
        );
        assert_eq!(self.content_type, "application/problem+json", "{self:?}");
        assert_eq!(self.body["code"], code, "{self:?}");
        assert!(
            self.body["detail"]
                .as_str()
                .map(|d| !d.is_empty())
                .unwrap_or(false),
            "{self:?}"
        );
        self.body
    }
}

impl TestApp {
    pub async fn start(engine: EngineChoice) -> Option<TestApp> {
        let db = TestDb::new(engine)?;
        Some(Self::start_on(db).await)
    }

    /// Like `start`, with the configuration adjusted first (e.g. a small replay window).
    pub async fn start_with(
        engine: EngineChoice,
        adjust: impl FnOnce(&mut Config),
    ) -> Option<TestApp> {
        let db = TestDb::new(engine)?;
        Some(Self::start_on_with(db, adjust).await)
    }

    pub async fn start_on(db: TestDb) -> TestApp {
        Self::start_on_with(db, |_| {}).await
    }

    pub async fn start_on_with(db: TestDb, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = test_config(&db.url);
        adjust(&mut config);
        let state = server::prepare(config).expect("server prepares");
        let running = server::start(state.clone()).expect("server starts");
        actix_web::rt::spawn(running.server);
        let admin = {
            let mut conn = state.pool.get().unwrap();
            insert_staff(
                &mut conn,
                NewStaff {
                    username: "root".into(),
                    display_name: "Root Admin".into(),
                    discipline: "other".into(),
                    password: PASSWORD.into(),
                    is_admin: true,
                    must_change_password: false,
                },
            )
            .unwrap()
        };
        let mut app = TestApp {
            base: format!("http://{}", running.addr),
            addr: running.addr,
            client: reqwest::Client::new(),
            engine: state.engine,
            state,
            admin_token: String::new(),
            admin_id: admin.id,
            db,
        };
        app.admin_token = app.login("root", PASSWORD).await;
        app
    }

    /// Another server on the same database (its own hub and, on PostgreSQL, its own LISTEN
    /// connection): a second instance. It does not own the database (the first app drops it)
    /// and signs in as the same admin.
    pub async fn second_instance(&self) -> TestApp {
        let mut config = test_config(&self.db.url);
        config.instance_id = "test-b".into();
        config.replay_window = self.state.config.replay_window;
        config.escalation_scan = self.state.config.escalation_scan;
        let state = server::prepare(config).expect("second instance prepares");
        let running = server::start(state.clone()).expect("second instance starts");
        actix_web::rt::spawn(running.server);
        let mut app = TestApp {
            base: format!("http://{}", running.addr),
            addr: running.addr,
            client: reqwest::Client::new(),
            engine: state.engine,
            state,
            admin_token: String::new(),
            admin_id: self.admin_id.clone(),
            db: TestDb {
                url: self.db.url.clone(),
                _dir: None,
                pg_admin: None,
            },
        };
        app.admin_token = app.login("root", PASSWORD).await;
        app
    }

    /// Builds the request at once (so the path and body may be temporaries) and sends it
    /// when awaited.
    pub fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        let mut req = self
            .client
            .request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        async move {
            let resp = req.send().await.expect("request sent");
            let status = resp.status();
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let allow = resp
                .headers()
                .get("allow")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let text = resp.text().await.unwrap_or_default();
            let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
            Resp {
                status,
                body,
                content_type,
                allow,
            }
        }
    }

    pub fn get(
        &self,
        path: &str,
        token: &str,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        self.call(Method::GET, path, Some(token), None)
    }
    pub fn post(
        &self,
        path: &str,
        token: &str,
        body: Value,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        self.call(Method::POST, path, Some(token), Some(body))
    }
    pub fn put(
        &self,
        path: &str,
        token: &str,
        body: Value,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        self.call(Method::PUT, path, Some(token), Some(body))
    }
    pub fn patch(
        &self,
        path: &str,
        token: &str,
        body: Value,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        self.call(Method::PATCH, path, Some(token), Some(body))
    }
    pub fn delete(
        &self,
        path: &str,
        token: &str,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        self.call(Method::DELETE, path, Some(token), None)
    }

    /// POST a file as `text/csv` (the import routes).
    pub fn post_csv(
        &self,
        path: &str,
        token: Option<&str>,
        body: impl Into<Vec<u8>>,
    ) -> impl std::future::Future<Output = Resp> + 'static {
        let mut req = self
            .client
            .post(format!("{}{}", self.base, path))
            .header("content-type", "text/csv")
            .body(body.into());
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        async move {
            let resp = req.send().await.expect("request sent");
            let status = resp.status();
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let text = resp.text().await.unwrap_or_default();
            let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
            Resp {
                status,
                body,
                content_type,
                allow: None,
            }
        }
    }

    pub async fn login_full(&self, username: &str, password: &str) -> Resp {
        self.call(
            Method::POST,
            "/api/auth/login",
            None,
            Some(json!({"username": username, "password": password})),
        )
        .await
    }

    pub async fn login(&self, username: &str, password: &str) -> String {
        let body = self.login_full(username, password).await.expect(200);
        body["access_token"].as_str().unwrap().to_string()
    }

    pub async fn create_team(&self, name: &str, mode: &str) -> Value {
        self.post(
            "/api/teams",
            &self.admin_token,
            json!({"name": name, "mode": mode, "timezone": "America/New_York"}),
        )
        .await
        .expect(201)
    }

    /// A staff member on `team_id` with `role`; returns (staff id, access token).
    pub async fn member(&self, team_id: &str, username: &str, role: &str) -> (String, String) {
        let s = self
            .post(
                "/api/staff",
                &self.admin_token,
                json!({"username": username, "display_name": username, "discipline": "nurse", "password": PASSWORD}),
            )
            .await
            .expect(201);
        let id = s["id"].as_str().unwrap().to_string();
        self.put(
            &format!("/api/teams/{team_id}/members/{id}"),
            &self.admin_token,
            json!({"role": role}),
        )
        .await
        .expect(200);
        let token = self.login(username, PASSWORD).await;
        (id, token)
    }
}

impl TestDb {
    /// PostgreSQL: the admin URL and this test's database name (to cut its connections).
    pub fn pg_admin(&self) -> Option<(String, String)> {
        self.pg_admin.clone()
    }
}
