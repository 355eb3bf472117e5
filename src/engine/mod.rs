//! The engine: a pool of connections to one database, built from a URL,
//! with SQLAlchemy's `create_engine` knobs.
//!
//! ```no_run
//! use std::time::Duration;
//! use diesel::SqliteConnection;
//! use quarry::engine::Engine;
//!
//! let engine = Engine::<SqliteConnection>::builder()
//!     .pool_size(5)                           // SQLAlchemy's pool_size
//!     .max_overflow(10)                       // ... and max_overflow: up to 15 connections
//!     .pool_timeout(Duration::from_secs(30))
//!     .recycle(Duration::from_secs(3600))     // pool_recycle: replace connections after an hour
//!     .pre_ping(true)                         // pool_pre_ping: test each connection on checkout
//!     .echo(true)                             // log every statement through `tracing`
//!     .build("sqlite:///app.db")?;
//! let mut session = engine.session()?;
//! # Ok::<(), quarry::Error>(())
//! ```
//!
//! `Engine` is `Send + Sync + Clone` (clones share the pool): build one at
//! start-up and hand clones to threads. A [`Session`](crate::Session)
//! holds one connection and belongs to one thread; each thread opens its
//! own.

mod backend;
mod echo;
mod events;
pub(crate) mod pool;
mod reserve;
mod url;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use diesel::r2d2::Pool;
use scheduled_thread_pool::ScheduledThreadPool;

pub use backend::{EngineConnection, IsolationLevel, TransactionOptions};
pub use events::{CascadeAction, CascadeEvent, Event, EventKind, Listener};
pub use pool::Manager;
pub use quarry_schema::Backend;
pub use reserve::Connection;
pub use url::{redact, DatabaseUrl};

/// The backend type's former name.
#[deprecated(note = "renamed `Backend`, the one backend type of quarry, quarry-codegen and the CLI")]
pub type BackendKind = Backend;

use crate::error::{Error, OperationalError, Result};

/// How many times quarry changed a database's schema in this process.
static SCHEMA_GENERATION: AtomicU64 = AtomicU64::new(0);

/// Tells every pooled connection of this process that the schema changed,
/// so that each forgets what it cached about it before its next use
/// (PostgreSQL connections cache the OIDs of enum types, and a type
/// dropped and created again has a new one), and makes `conn` forget now.
///
/// quarry calls it after `create_all`, `drop_all`, and migrations. Call it
/// after DDL of your own that drops and creates enum types again; a
/// process whose database another process migrated can call it too.
pub fn schema_changed<C: EngineConnection>(conn: &mut C) {
    SCHEMA_GENERATION.fetch_add(1, Ordering::AcqRel);
    conn.forget_schema();
}

/// What the engine and every connection and session of it share.
#[derive(Debug, Default)]
#[doc(hidden)]
pub struct Shared {
    pub(crate) echo: AtomicBool,
    pub(crate) statements: AtomicU64,
    pub(crate) recording: AtomicBool,
    pub(crate) recorded: Mutex<Vec<String>>,
    pub(crate) listeners: events::Listeners,
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) sqlite_busy_timeout: Duration,
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) sqlite_wal: bool,
    /// Whether every connection refuses to write (see
    /// [`EngineBuilder::read_only`]).
    pub(crate) read_only: bool,
    /// Why the pool's last attempt to open a connection failed; `None`
    /// once one succeeds.
    pub(crate) last_connect_error: Mutex<Option<OperationalError>>,
}

/// A pool of connections of type `C` (`SqliteConnection`, `PgConnection`,
/// `MysqlConnection`); see [`AnyEngine`](crate::AnyEngine) for a program
/// that picks its backend from the URL at run time.
pub struct Engine<C: EngineConnection> {
    /// The connection `build` opened, which the engine hands out itself
    /// (see the `reserve` module).
    reserve: Arc<reserve::Reserve<C>>,
    /// r2d2's pool of the others, built when a checkout first finds the
    /// reserved connection taken; never, for an engine of one connection.
    pool: Arc<OnceLock<Pool<Manager<C>>>>,
    settings: Arc<PoolSettings>,
    shared: Arc<Shared>,
    url: DatabaseUrl,
}

/// How r2d2's pool is built, when it is.
#[derive(Debug)]
struct PoolSettings {
    /// The most connections open at once, the reserved one included.
    max_size: u32,
    /// The idle connections the pool keeps, besides the reserved one.
    min_idle: u32,
    timeout: Duration,
    recycle: Option<Duration>,
    idle_timeout: Option<Duration>,
    pre_ping: bool,
    threads: usize,
}

impl<C: EngineConnection> Clone for Engine<C> {
    fn clone(&self) -> Self {
        Engine {
            reserve: self.reserve.clone(),
            pool: self.pool.clone(),
            settings: self.settings.clone(),
            shared: self.shared.clone(),
            url: self.url.clone(),
        }
    }
}

impl<C: EngineConnection> std::fmt::Debug for Engine<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (connections, idle) = self.pool_state();
        f.debug_struct("Engine")
            .field("url", &self.url)
            .field("connections", &connections)
            .field("idle", &idle)
            .finish()
    }
}

impl<C: EngineConnection> Engine<C> {
    /// An engine with default settings (see [`EngineBuilder`]).
    pub fn connect(url: &str) -> Result<Self> {
        Self::builder().build(url)
    }

    /// An engine for the URL in `DATABASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::builder().build_url(DatabaseUrl::from_env()?)
    }

    /// Settings for a new engine.
    pub fn builder() -> EngineBuilder<C> {
        EngineBuilder::default()
    }

    /// What the engine's connections and sessions share.
    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// A connection, for plain diesel work outside a session: the one
    /// `build` opened when it is free, else one of the pool's. It derefs to
    /// the diesel connection (`&mut *conn` where diesel asks for one) and
    /// goes back when dropped.
    ///
    /// ```
    /// use diesel::prelude::*;
    /// use diesel::sql_types::Integer;
    ///
    /// let engine = quarry::Engine::<diesel::SqliteConnection>::connect("sqlite://")?;
    /// let mut conn = engine.connection()?;
    /// let two: i32 = diesel::select(2.into_sql::<Integer>()).get_result(&mut *conn)?;
    /// assert_eq!(two, 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// Waits up to the pool timeout for one; then fails with the cause of
    /// the last failed attempt to connect (say
    /// [`Unreachable`](crate::error::OperationalKind::Unreachable)), or
    /// with [`PoolTimeout`](crate::error::OperationalKind::PoolTimeout)
    /// when every connection was busy.
    pub fn connection(&self) -> Result<Connection<C>> {
        let only_one = self.settings.max_size == 1;
        let mut conn = match self.reserve.check_out(only_one)? {
            Some(conn) => conn,
            None => {
                let pool = self.pool();
                Connection::pooled(pool.get().map_err(|_| pool::checkout_failure(&self.shared, self.settings.timeout))?)
            }
        };
        // A connection that cached the schema before quarry changed it
        // forgets what it cached.
        if conn.see_schema(SCHEMA_GENERATION.load(Ordering::Acquire)).is_some() {
            conn.forget_schema();
        }
        Ok(conn)
    }

    /// r2d2's pool, built now if it was not.
    fn pool(&self) -> &Pool<Manager<C>> {
        self.pool.get_or_init(|| {
            self.settings.pool_builder(&self.shared).build_unchecked(Manager::new(&self.url, self.shared.clone()))
        })
    }

    /// The most connections the engine holds at once, and how long a
    /// checkout waits for one.
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    pub(crate) fn pool_limits(&self) -> (u32, Duration) {
        (self.settings.max_size, self.settings.timeout)
    }

    /// The URL this engine connects to.
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Turns statement logging on or off for every connection of the engine.
    pub fn set_echo(&self, on: bool) {
        self.shared.echo.store(on, Ordering::Relaxed);
    }

    /// How many statements the engine's connections have run.
    pub fn statement_count(&self) -> u64 {
        self.shared.statements.load(Ordering::Relaxed)
    }

    /// Starts keeping the text of every statement (with binds), for tests
    /// and diagnostics; [`take_statements`](Self::take_statements) hands them over.
    pub fn record_statements(&self, on: bool) {
        self.shared.recording.store(on, Ordering::Relaxed);
    }

    /// The statements recorded since the last call.
    pub fn take_statements(&self) -> Vec<String> {
        std::mem::take(&mut *self.shared.recorded.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Calls `listener` whenever an event of this kind happens on this
    /// engine or any of its sessions (`Event::AfterCommit`, or an
    /// [`EventKind`] such as `EventKind::Cascade`).
    pub fn listen(&self, kind: impl Into<EventKind>, listener: impl Fn(Event) + Send + Sync + 'static) {
        self.shared.listeners.add(kind.into(), Arc::new(listener));
    }

    /// `(connections open, connections idle)`.
    pub fn pool_state(&self) -> (u32, u32) {
        let (open, idle) = self.reserve.state();
        match self.pool.get() {
            Some(pool) => {
                let state = pool.state();
                (open + state.connections, idle + state.idle_connections)
            }
            None => (open, idle),
        }
    }
}

impl PoolSettings {
    /// r2d2's settings for the connections besides the reserved one.
    fn pool_builder<C: EngineConnection>(&self, shared: &Arc<Shared>) -> diesel::r2d2::Builder<Manager<C>> {
        Pool::builder()
            .thread_pool(Arc::new(ScheduledThreadPool::new(self.threads)))
            .max_size(self.max_size - 1)
            .min_idle(Some(self.min_idle))
            .connection_timeout(self.timeout)
            .max_lifetime(self.recycle)
            .idle_timeout(self.idle_timeout)
            .test_on_check_out(self.pre_ping)
            .event_handler(Box::new(events::PoolEvents(shared.clone())))
    }
}

/// Settings for an [`Engine`], named after SQLAlchemy's `create_engine`
/// arguments.
///
/// As SQLAlchemy's pool does, the engine opens connections when they are
/// first needed: [`build`](Self::build) opens one (to check the URL), and
/// checkouts open more, up to `pool_size + max_overflow`. The one `build`
/// opened is the engine's own: a checkout takes it when it is free, without
/// r2d2, whose pool (and its worker threads) is built only when a checkout
/// finds it taken. Connections idle longer than `idle_timeout` are closed,
/// down to `min_idle`. [`min_idle`](Self::min_idle) asks for connections
/// opened at `build` and kept open however long they sit idle.
#[derive(Debug, Clone)]
pub struct EngineBuilder<C> {
    pool_size: u32,
    max_overflow: u32,
    min_idle: Option<u32>,
    pool_timeout: Duration,
    recycle: Option<Duration>,
    idle_timeout: Option<Duration>,
    pre_ping: bool,
    echo: bool,
    /// `None`: 1 for SQLite, 3 (r2d2's default) for the servers.
    connect_threads: Option<usize>,
    /// `None`: the URL's `timeout`, else 5 s.
    sqlite_busy_timeout: Option<Duration>,
    sqlite_wal: bool,
    read_only: bool,
    _connection: std::marker::PhantomData<fn() -> C>,
}

impl<C> Default for EngineBuilder<C> {
    fn default() -> Self {
        EngineBuilder {
            pool_size: 5,
            max_overflow: 10,
            min_idle: None,
            pool_timeout: Duration::from_secs(30),
            recycle: None,
            idle_timeout: Some(Duration::from_secs(600)),
            pre_ping: false,
            echo: false,
            connect_threads: None,
            sqlite_busy_timeout: None,
            sqlite_wal: true,
            read_only: false,
            _connection: std::marker::PhantomData,
        }
    }
}

impl<C> EngineBuilder<C> {
    /// The same settings, for another connection type.
    pub fn retype<D>(self) -> EngineBuilder<D> {
        EngineBuilder {
            pool_size: self.pool_size,
            max_overflow: self.max_overflow,
            min_idle: self.min_idle,
            pool_timeout: self.pool_timeout,
            recycle: self.recycle,
            idle_timeout: self.idle_timeout,
            pre_ping: self.pre_ping,
            echo: self.echo,
            connect_threads: self.connect_threads,
            sqlite_busy_timeout: self.sqlite_busy_timeout,
            sqlite_wal: self.sqlite_wal,
            read_only: self.read_only,
            _connection: std::marker::PhantomData,
        }
    }

    /// Connections the pool keeps for reuse under steady load (default 5);
    /// with [`max_overflow`](Self::max_overflow), the most it opens.
    pub fn pool_size(mut self, size: u32) -> Self {
        self.pool_size = size;
        self
    }

    /// Extra connections opened under load and closed when idle (default 10).
    pub fn max_overflow(mut self, overflow: u32) -> Self {
        self.max_overflow = overflow;
        self
    }

    /// Connections opened at [`build`](Self::build) and kept open while
    /// idle (default 1, and never fewer: the connection `build` opens to
    /// check the URL, which the engine keeps). Beyond 1, r2d2's pool is
    /// built at once and opens the rest; when a checkout leaves fewer of
    /// them idle, it opens more on its thread. Others are opened when a
    /// checkout needs them, and closed after `idle_timeout` unused.
    pub fn min_idle(mut self, min_idle: u32) -> Self {
        self.min_idle = Some(min_idle);
        self
    }

    /// How long a checkout waits for a free connection before failing with
    /// a pool-timeout error (default 30 s).
    pub fn pool_timeout(mut self, timeout: Duration) -> Self {
        self.pool_timeout = timeout;
        self
    }

    /// Replace connections older than this (SQLAlchemy's `pool_recycle`).
    pub fn recycle(mut self, max_lifetime: Duration) -> Self {
        self.recycle = Some(max_lifetime);
        self
    }

    /// Close overflow connections idle longer than this (default 10 min).
    pub fn idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Test each connection when it is checked out and replace it if the
    /// server dropped it (SQLAlchemy's `pool_pre_ping`; default off).
    pub fn pre_ping(mut self, on: bool) -> Self {
        self.pre_ping = on;
        self
    }

    /// Threads that open the pool's connections in the background and close
    /// idle ones (r2d2's worker threads; default 1 for SQLite, whose
    /// connections open in microseconds, and 3 for PostgreSQL and
    /// MySQL/MariaDB, so that a burst of checkouts on a cold pool opens
    /// connections in parallel). Each is spawned when r2d2's pool is built:
    /// at the first checkout that finds the engine's own connection taken,
    /// or at `build` with a `min_idle` above 1.
    pub fn connect_threads(mut self, threads: usize) -> Self {
        self.connect_threads = Some(threads.max(1));
        self
    }

    /// Log every statement, its binds and its duration at INFO through
    /// `tracing` (target `quarry::echo`); default off.
    pub fn echo(mut self, on: bool) -> Self {
        self.echo = on;
        self
    }

    /// SQLite: how long a statement waits for a lock (default: the URL's
    /// `timeout`, else 5 s, as with Python's sqlite3).
    pub fn sqlite_busy_timeout(mut self, timeout: Duration) -> Self {
        self.sqlite_busy_timeout = Some(timeout);
        self
    }

    /// SQLite: use write-ahead logging for file databases (default on), so
    /// readers never block the writer.
    pub fn sqlite_wal(mut self, on: bool) -> Self {
        self.sqlite_wal = on;
        self
    }

    /// Connections that cannot write (default off), for tools that only
    /// look: SQLite opens the file read-only (`mode=ro`), so a missing file
    /// is an error naming it instead of a new empty database, and leaves
    /// the journal mode as it is; PostgreSQL and MySQL/MariaDB make every
    /// transaction of the session `READ ONLY`, so any write or DDL fails.
    pub fn read_only(mut self, on: bool) -> Self {
        self.read_only = on;
        self
    }
}

impl<C: EngineConnection> EngineBuilder<C> {
    /// Builds the engine for `url`, opening one connection now so that a
    /// wrong URL fails here rather than at first use (and `min_idle`
    /// connections, if asked); the pool opens the others when they are
    /// needed. It starts no thread unless `min_idle` is above 1.
    ///
    /// The first connection is opened in this thread, and its failure is
    /// returned at once, classified by cause (see
    /// [`OperationalKind`](crate::error::OperationalKind)): a wrong
    /// password or database name, a refused port or a missing SQLite
    /// directory fail in the time the driver takes to say so, not after the
    /// pool timeout.
    pub fn build(self, url: &str) -> Result<Engine<C>> {
        self.build_url(DatabaseUrl::parse(url)?)
    }

    /// [`build`](Self::build) for a parsed URL.
    pub fn build_url(self, url: DatabaseUrl) -> Result<Engine<C>> {
        if url.backend() != C::BACKEND {
            return Err(Error::InvalidUrl {
                url: url::redact(url.driver_url()),
                reason: format!("this engine is for {}, the URL names {}", C::BACKEND.name(), url.backend().name()),
            });
        }
        let shared = Arc::new(Shared {
            echo: AtomicBool::new(self.echo),
            // As in SQLAlchemy, where connect_args win over the URL's query.
            sqlite_busy_timeout: self.sqlite_busy_timeout.or(url.sqlite_timeout()).unwrap_or(Duration::from_secs(5)),
            sqlite_wal: self.sqlite_wal && !url.is_memory() && !self.read_only,
            read_only: self.read_only,
            ..Shared::default()
        });
        // Every connection to `:memory:` is a database of its own: share one.
        let (max_size, min_idle) = if url.is_memory() {
            (1, 1)
        } else {
            let max = (self.pool_size + self.max_overflow).max(1);
            (max, self.min_idle.unwrap_or(1).clamp(1, max))
        };
        let settings = PoolSettings {
            max_size,
            min_idle: min_idle - 1,
            timeout: self.pool_timeout,
            recycle: self.recycle,
            idle_timeout: self.idle_timeout,
            pre_ping: self.pre_ping,
            threads: self.connect_threads.unwrap_or(match C::BACKEND {
                // Opening a SQLite connection takes microseconds: one thread
                // keeps up.
                Backend::Sqlite => 1,
                _ => 3,
            }),
        };
        let manager = Manager::new(&url, shared.clone());
        let first = manager.open()?;
        let settings = Arc::new(settings);
        let reserve = Arc::new(reserve::Reserve::new(manager, shared.clone(), first, settings.clone()));
        let pool = OnceLock::new();
        if settings.min_idle > 0 {
            // Asked for: the pool opens them now, and `build` waits for them.
            let manager = Manager::new(&url, shared.clone());
            let built = settings.pool_builder(&shared).build(manager);
            let _ = pool.set(built.map_err(|_| pool::checkout_failure(&shared, self.pool_timeout))?);
        }
        Ok(Engine { reserve, pool: Arc::new(pool), settings, shared, url })
    }
}
