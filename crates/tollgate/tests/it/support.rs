//! The test app: a real server over a scratch database, and a client that knows its token.

use reqwest::{Method, RequestBuilder, Response};
use serde_json::Value;
use tollgate::{Running, Server, Settings};
use tollgate_core::Clock;
use tollgate_store::testing::Scratch;

/// Which store a scenario runs on.
#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Emits, for each scenario `async fn name(Backend)`, a `sqlite::name` and a `postgres::name`
/// test.
#[macro_export]
macro_rules! backend_tests {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::support::Backend::Sqlite).await; })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() { super::$name($crate::support::Backend::Postgres).await; })*
        }
    };
}

/// A running server and a client for it.
pub struct TestApp {
    pub base: String,
    pub token: String,
    pub client: reqwest::Client,
    pub clock: Clock,
    running: Option<Running>,
    scratch: Option<Scratch>,
    settings: Settings,
}

impl TestApp {
    /// A server on a fresh database of `backend`, or `None` when PostgreSQL is not configured
    /// (the scratch helper says so loudly, and fails when PostgreSQL is required).
    pub async fn start(backend: Backend) -> Option<Self> {
        Self::start_with(backend, |_| {}).await
    }

    /// Like [`TestApp::start`], with settings adjusted by `tweak`.
    pub async fn start_with(backend: Backend, tweak: impl FnOnce(&mut Settings)) -> Option<Self> {
        Self::start_at(backend, Clock::System, tweak).await
    }

    /// Like [`TestApp::start_with`], on `clock` (a fixed clock moves only when told to).
    pub async fn start_at(
        backend: Backend,
        clock: Clock,
        tweak: impl FnOnce(&mut Settings),
    ) -> Option<Self> {
        tollgate::telemetry::init();
        let scratch = match backend {
            Backend::Sqlite => Scratch::sqlite().unwrap(),
            Backend::Postgres => Scratch::postgres().await.unwrap()?,
        };
        let token = tollgate_core::secret::Secret::generate_api_token();
        let mut settings = Settings::new("127.0.0.1:0".parse().unwrap(), scratch.url.clone());
        settings.bootstrap_token = Some(token.clone());
        settings.master_key = Some(tollgate_core::token::sealed::MasterKey::generate());
        tweak(&mut settings);
        let running = Server::bind(settings.clone(), clock.clone())
            .await
            .unwrap()
            .spawn();
        Some(Self {
            base: format!("http://{}", running.addr),
            token: token.expose().to_owned(),
            client: reqwest::Client::new(),
            clock,
            running: Some(running),
            scratch: Some(scratch),
            settings,
        })
    }

    /// A client for a server running elsewhere (a `tollgate serve` child process) at `base`
    /// with admin token `token`; [`TestApp::finish`] leaves that server alone.
    pub fn attach(base: String, token: String) -> Self {
        Self {
            base,
            token,
            client: reqwest::Client::new(),
            clock: Clock::System,
            running: None,
            scratch: None,
            settings: Settings::new(
                "127.0.0.1:0".parse().unwrap(),
                tollgate_store::DatabaseUrl::default_sqlite(),
            ),
        }
    }

    /// Stops the server gracefully and starts a new one on the same database.
    pub async fn restart(&mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.unwrap();
        }
        let running = Server::bind(self.settings.clone(), self.clock.clone())
            .await
            .unwrap()
            .spawn();
        self.base = format!("http://{}", running.addr);
        self.running = Some(running);
    }

    /// Another server process on the same database (its own caches and keyring), as a second
    /// instance behind a load balancer would be. Stop it before [`TestApp::finish`].
    pub async fn second_server(&self) -> Running {
        Server::bind(self.settings.clone(), Clock::System)
            .await
            .unwrap()
            .spawn()
    }

    /// How often the server has gone to its database so far.
    pub fn store_stats(&self) -> &tollgate_store::Stats {
        self.server_store().stats()
    }

    /// The running server's own store (its pool, its counts).
    pub fn server_store(&self) -> &tollgate_store::Store {
        self.running
            .as_ref()
            .map(Running::store)
            .expect("the server is running")
    }

    /// Stops the server and drops a PostgreSQL scratch database.
    pub async fn finish(mut self) {
        if let Some(running) = self.running.take() {
            running.stop().await.unwrap();
        }
        if let Some(scratch) = self.scratch.take() {
            scratch.cleanup().await;
        }
    }

    /// The server's database URL (for commands run against it).
    pub fn database_url(&self) -> String {
        match &self.settings.database_url {
            tollgate_store::DatabaseUrl::Postgres(url) => url.clone(),
            other => other.to_string(),
        }
    }

    /// A second connection to the server's database, for checks the API cannot make (such as
    /// a stored secret digest). Close it before [`TestApp::finish`].
    pub async fn open_store(&self) -> tollgate_store::Store {
        tollgate_store::Store::connect(&self.settings.database_url)
            .await
            .unwrap()
    }

    /// A request to `path` with the admin token.
    pub fn req(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{path}", self.base))
            .header("Authorization", format!("SSWS {}", self.token))
            .header("Accept", "application/json")
    }

    /// `GET path` with the admin token.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.req(Method::GET, path)
    }

    /// `POST path` with the admin token and a JSON body.
    pub fn post(&self, path: &str, body: &Value) -> RequestBuilder {
        self.req(Method::POST, path).json(body)
    }

    /// `PUT path` with the admin token and a JSON body.
    pub fn put(&self, path: &str, body: &Value) -> RequestBuilder {
        self.req(Method::PUT, path).json(body)
    }

    /// `DELETE path` with the admin token.
    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.req(Method::DELETE, path)
    }

    /// A request to `path` with no credentials.
    pub fn anon(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, format!("{}{path}", self.base))
    }
}

/// Sends, checks the status, and parses the JSON body.
pub async fn json(req: RequestBuilder, status: u16) -> Value {
    let resp = req.send().await.unwrap();
    let got = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(got, status, "unexpected status; body: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// Sends and returns the raw response.
pub async fn send(req: RequestBuilder) -> Response {
    req.send().await.unwrap()
}

/// Checks `body` is an Okta error with `code`, and returns its summary.
pub fn assert_okta_error(body: &Value, code: &str) -> String {
    assert_eq!(body["errorCode"], code, "{body}");
    assert_eq!(body["errorLink"], code, "{body}");
    let id = body["errorId"].as_str().unwrap();
    assert!(id.starts_with("oae") && id.len() == 25, "{body}");
    assert!(body["errorCauses"].is_array(), "{body}");
    body["errorSummary"].as_str().unwrap().to_owned()
}

/// The names of an object's members, sorted.
pub fn sorted_keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

/// The names of an object's `_links`, sorted.
pub fn link_names(v: &Value) -> Vec<&str> {
    sorted_keys(&v["_links"])
}
