//! [`Server`] and its builder: which machines, which store, which address.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use asl_runtime::{Machine, Store, StoreError};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use serde_json::{Value, json};

use crate::api::Api;
use crate::protocol;
use crate::registry::{Compiled, MachineType, Registered, Registry};
use crate::sigv4::Credentials;
use crate::throttle::{Limiters, Throttle};

/// Why a server could not start.
#[derive(Debug)]
pub enum ServerError {
    /// The store could not be opened, or the executions it keeps could not be resumed.
    Store(StoreError),
    /// The address could not be bound (or resolved).
    Bind(std::io::Error),
    /// The address is not loopback, the server checks no credentials, and it was not told it
    /// may serve beyond this machine anyway ([`ServerBuilder::allow_public_bind`]).
    NotLoopback(String),
    /// Two machines have the same name.
    DuplicateName(String),
    /// A route is not one the server can serve.
    Route(String),
    /// An event rule declared in Rust is not valid.
    Rule(String),
}

impl std::fmt::Display for ServerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServerError::Store(e) => write!(f, "the store: {e}"),
            ServerError::Bind(e) => write!(f, "the address could not be bound: {e}"),
            ServerError::NotLoopback(addr) => write!(
                f,
                "{addr} is reachable from other machines, and this server checks no credentials: bind 127.0.0.1, or call allow_public_bind() to serve beyond this machine on purpose"
            ),
            ServerError::DuplicateName(name) => {
                write!(f, "two machines are named {name}: each needs its own name")
            }
            ServerError::Route(why) => write!(f, "a route: {why}"),
            ServerError::Rule(why) => write!(f, "an event rule: {why}"),
        }
    }
}

impl std::error::Error for ServerError {}

/// Where executions are kept.
enum StoreChoice {
    Path(std::path::PathBuf),
    Given(Arc<dyn Store>),
}

/// Builds a [`Server`]: `Server::builder().machine(Order::builder()...build())
/// .store("executions.db").bind("127.0.0.1:8083").build().await?.serve().await`.
pub struct ServerBuilder {
    /// The machines compiled in, with the type each is served as under its own name (`None`:
    /// served only once CreateStateMachine creates it).
    machines: Vec<(
        Machine,
        Option<MachineType>,
        Option<crate::registry::Service>,
    )>,
    credentials: Vec<Credentials>,
    throttle: Throttle,
    routes: Vec<crate::routes::Route>,
    cors: Vec<String>,
    rules: Vec<crate::events::bus::EventRule>,
    store: Option<StoreChoice>,
    bind: String,
    allow_public: bool,
    region: String,
    account: String,
    mocks: Option<asl_runtime::mock::MockConfig>,
    waits: asl_runtime::Waits,
}

impl std::fmt::Debug for ServerBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerBuilder")
            .field("machines", &self.machines.len())
            .field("bind", &self.bind)
            .finish()
    }
}

impl ServerBuilder {
    /// Serves `machine` as a Standard state machine named as its type
    /// (`arn:aws:states:<region>:<account>:stateMachine:<Name>`).
    pub fn machine(mut self, machine: Machine) -> Self {
        self.machines
            .push((machine, Some(MachineType::Standard), None));
        self
    }

    /// Serves `machine` as a Standard state machine whose executions run on `service` (a
    /// Temporal cluster: `asl_temporal::Executions`, with workers running the machine under
    /// its name), not in this process. Clients see the same API; the service keeps the
    /// executions, and this server's store only the state machines.
    pub fn machine_on(
        mut self,
        machine: Machine,
        service: Arc<dyn asl_runtime::service::ExecutionService>,
    ) -> Self {
        self.machines
            .push((machine, Some(MachineType::Standard), Some(service)));
        self
    }

    /// Serves `machine` as an Express state machine (StartSyncExecution runs it; no history
    /// is kept, as AWS keeps none).
    pub fn express(mut self, machine: Machine) -> Self {
        self.machines
            .push((machine, Some(MachineType::Express), None));
        self
    }

    /// Compiles `machine` in without serving it: CreateStateMachine with its definition (under
    /// any name, of either type) serves it from then on. For servers that deployment scripts
    /// set up, as they set up AWS.
    pub fn deployable(mut self, machine: Machine) -> Self {
        self.machines.push((machine, None, None));
        self
    }

    /// Keeps executions in the SQLite store at `path` (made if absent): they survive restarts,
    /// and the ones running when the server stopped are resumed when it starts. Without a
    /// store, executions live in memory only.
    pub fn store(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.store = Some(StoreChoice::Path(path.into()));
        self
    }

    /// Keeps executions in `store`.
    pub fn with_store(mut self, store: Arc<dyn Store>) -> Self {
        self.store = Some(StoreChoice::Given(store));
        self
    }

    /// The address to listen on (`127.0.0.1:8083` by default; port 0 picks a free one).
    pub fn bind(mut self, address: impl Into<String>) -> Self {
        self.bind = address.into();
        self
    }

    /// Requests must be signed (AWS Signature Version 4) with this access key, or another
    /// given the same way: an unsigned request is `MissingAuthenticationTokenException`, an
    /// unknown key `UnrecognizedClientException`, a wrong or stale signature
    /// `InvalidSignatureException`. The secret is never logged.
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        self.credentials
            .push(Credentials::new(access_key_id, secret_access_key));
        self
    }

    /// Serves `route` (an HTTP route starting a machine, in the API Gateway manner).
    pub fn route(mut self, route: crate::routes::Route) -> Self {
        self.routes.push(route);
        self
    }

    /// Serves the EventBridge rule `rule` (declared here rather than through PutRule; it
    /// replaces a rule of the same name the store kept).
    pub fn rule(mut self, rule: crate::events::bus::EventRule) -> Self {
        self.rules.push(rule);
        self
    }

    /// Answers CORS requests from these origins (`*`: any) on the routes.
    pub fn cors(mut self, origins: &[&str]) -> Self {
        self.cors = origins.iter().map(|o| (*o).to_owned()).collect();
        self
    }

    /// Throttles the operations so ([`Throttle::aws`], AWS's defaults, unless set).
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = throttle;
        self
    }

    /// Lets the server listen on an address other machines can reach without credentials
    /// ([`credentials`](Self::credentials)). Without either, such an address is refused.
    pub fn allow_public_bind(mut self) -> Self {
        self.allow_public = true;
        self
    }

    /// The region ARNs name (`us-east-1` by default).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The account ARNs name (`111111111111` by default).
    pub fn account(mut self, account: impl Into<String>) -> Self {
        self.account = account.into();
        self
    }

    /// The test cases of a mock configuration (Step Functions Local's `MockConfigFile.json`,
    /// see `asl_runtime::mock`) for the machines served in this process: StartExecution with
    /// `stateMachineArn` `…:stateMachine:Name#TestCase` runs that test case, as Step Functions
    /// Local does.
    pub fn mocks(mut self, mocks: asl_runtime::mock::MockConfig) -> Self {
        self.mocks = Some(mocks);
        self
    }

    /// How long the Wait states and Retry back-offs of the executions run in this process take
    /// (`Waits::scaled(0.01)`, `Waits::Skipped`), so that integration tests through the API
    /// do not wait in real time; timeouts keep their length. Machines whose executions run on
    /// a service (Temporal) take it from their workers' machines.
    pub fn waits(mut self, waits: asl_runtime::Waits) -> Self {
        self.waits = waits;
        self
    }

    /// Opens the store, resumes the executions it keeps as running, and binds the address.
    pub async fn build(self) -> Result<Server, ServerError> {
        let addresses: Vec<SocketAddr> = tokio::net::lookup_host(&self.bind)
            .await
            .map_err(ServerError::Bind)?
            .collect();
        let checked = !self.credentials.is_empty();
        if !self.allow_public && !checked && addresses.iter().any(|a| !a.ip().is_loopback()) {
            return Err(ServerError::NotLoopback(self.bind));
        }
        // Without a store of its own, executions are kept in memory (a bounded number of
        // closed ones), so that they can be described and listed once they end.
        let durable = self.store.is_some();
        let store: Arc<dyn Store> = match self.store {
            None => Arc::new(asl_runtime::MemoryStore::new()),
            Some(StoreChoice::Given(s)) => s,
            Some(StoreChoice::Path(p)) => {
                Arc::new(asl_store::SqliteStore::open(&p).map_err(ServerError::Store)?)
            }
        };
        let mut registry = Registry::default();
        let now = jiff::Timestamp::now();
        let role = format!("arn:aws:iam::{}:role/StepFunctionsRole", self.account);
        let machine_arn = |name: &str| crate::api::machine_arn(&self.region, &self.account, name);
        for (machine, kind, service) in self.machines {
            let machine = match &self.mocks {
                Some(mocks) => machine.with_mocks(mocks.clone()),
                None => machine,
            }
            .with_waits(self.waits);
            let name = machine.name().to_owned();
            let definition = machine.definition().source;
            let kept = machine.clone().with_store(store.clone());
            registry.compiled.push(Compiled {
                machine: kept.clone(),
                in_memory: machine.clone(),
                definition: serde_json::from_str(definition).unwrap_or(Value::Null),
                service: service.clone(),
            });
            let Some(kind) = kind else {
                continue;
            };
            if registry.machines.contains_key(&name) {
                return Err(ServerError::DuplicateName(name));
            }
            registry.machines.insert(
                name.clone(),
                Registered {
                    arn: machine_arn(&name),
                    name,
                    machine: match kind {
                        MachineType::Standard => kept,
                        MachineType::Express => machine,
                    },
                    kind,
                    role_arn: role.clone(),
                    definition: definition.to_owned(),
                    creation_date: now,
                    update_date: now,
                    tags: Default::default(),
                    deleted: false,
                    revision_id: None,
                    service,
                },
            );
        }
        // What the API created (or changed) before a restart, served again by the compiled
        // machine of its definition.
        for (name, record) in store.resources("machine").map_err(ServerError::Store)? {
            match Registered::from_record(&record, &registry) {
                Some(r) => {
                    registry.machines.insert(name, r);
                }
                None => tracing::warn!(
                    state_machine = %name,
                    "a state machine the store keeps is not served: no machine compiled in has its definition"
                ),
            }
        }
        let listener = tokio::net::TcpListener::bind(addresses.as_slice())
            .await
            .map_err(ServerError::Bind)?;
        let mut buses = crate::events::bus::Buses::new(&self.region, &self.account);
        // The buses, rules and targets the API made before a restart.
        for (name, record) in store.resources("event-bus").map_err(ServerError::Store)? {
            match crate::events::bus::Bus::from_record(&record) {
                Some(bus) => {
                    buses.buses.insert(name, bus);
                }
                None => {
                    tracing::warn!(bus = %name, "an event bus the store keeps could not be read")
                }
            }
        }
        for declared in self.rules {
            let bus = declared.bus.clone();
            let rule = declared
                .into_rule(&buses, machine_arn)
                .map_err(ServerError::Rule)?;
            buses.create(&bus);
            if let Some(b) = buses.buses.get_mut(&bus) {
                b.rules_mut().insert(rule.name.clone(), rule);
            }
        }
        let api = Arc::new(Api {
            registry: RwLock::new(registry),
            store: Some(store),
            durable,
            region: self.region,
            account: self.account,
            limiters: Limiters::new(&self.throttle),
            events: RwLock::new(buses),
            schedules_changed: tokio::sync::Notify::new(),
            credentials: self.credentials,
        });
        crate::events::schedule::spawn(api.clone());
        if durable {
            let resumed = resume(&api).map_err(ServerError::Store)?;
            tracing::info!(resumed, "executions are kept in the store");
            // Starts accepted events owed before the server stopped.
            if let Some(store) = &api.store {
                let pending = store
                    .resources(crate::events::delivery::PENDING)
                    .map_err(ServerError::Store)?;
                for (name, record) in pending {
                    crate::events::delivery::spawn(api.clone(), name, record);
                }
            }
        } else {
            tracing::warn!(
                "no store: executions are kept in memory only and are lost when the server stops"
            );
        }
        let router = crate::routes::add(base_router(), &self.routes, &self.cors)
            .map_err(ServerError::Route)?
            .with_state(api.clone());
        Ok(Server { listener, router })
    }
}

/// Resumes the running executions the store keeps, of every Standard machine served; returns
/// how many.
fn resume(api: &Api) -> Result<usize, StoreError> {
    let machines: Vec<Registered> = api.read().machines.values().cloned().collect();
    let mut resumed = 0;
    for r in machines.iter().filter(|r| r.kind == MachineType::Standard) {
        resumed += r
            .machine
            .resume_with(&r.arn, |d| Api::config(r, &d.name, &d.execution_arn))?
            .len();
    }
    Ok(resumed)
}

/// The AWS Step Functions API over compiled machines.
pub struct Server {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("address", &self.listener.local_addr().ok())
            .finish()
    }
}

impl Server {
    /// A builder, listening on 127.0.0.1:8083 unless told otherwise.
    pub fn builder() -> ServerBuilder {
        ServerBuilder {
            machines: Vec::new(),
            credentials: Vec::new(),
            throttle: Throttle::aws(),
            routes: Vec::new(),
            cors: Vec::new(),
            rules: Vec::new(),
            store: None,
            bind: "127.0.0.1:8083".to_owned(),
            allow_public: false,
            region: "us-east-1".to_owned(),
            account: "111111111111".to_owned(),
            mocks: None,
            waits: asl_runtime::Waits::Real,
        }
    }

    /// The address it listens on (with the port chosen, when 0 was asked for).
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// The server's routes, to serve them some other way: `POST /` (the API) and
    /// `GET /health`.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// Serves until the process ends.
    pub async fn serve(self) -> std::io::Result<()> {
        self.serve_until(std::future::pending()).await
    }

    /// Serves until `shutdown` completes, then finishes the requests under way.
    pub async fn serve_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
    }
}

/// The AWS APIs and the health check, before routes are added.
fn base_router() -> Router<Arc<Api>> {
    Router::new()
        .route(
            "/",
            post(protocol::call).layer(DefaultBodyLimit::max(protocol::MAX_BODY)),
        )
        .route("/health", get(health))
}

/// `GET /health`: the server answers, with what it serves.
async fn health(axum::extract::State(api): axum::extract::State<Arc<Api>>) -> axum::Json<Value> {
    let machines = api.read().machines.values().filter(|r| !r.deleted).count();
    axum::Json(json!({
        "status": "ok",
        "machines": machines,
        "store": if api.durable { "durable" } else { "memory" },
    }))
}
