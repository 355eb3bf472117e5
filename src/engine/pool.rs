//! The pool's connection manager: opens connections ready for use, says
//! why one could not be opened, and tells the pool which ones are dead.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use diesel::r2d2::ManageConnection;

use super::echo::Echo;
use super::{url, DatabaseUrl, EngineConnection, Shared};
use crate::error::{connect_failure, Error, OperationalError, OperationalKind, Result};

/// r2d2's connection manager for an [`Engine`](super::Engine)'s pool.
///
/// It differs from diesel's `ConnectionManager` in three ways:
///
/// - a new connection gets the engine's instrumentation and session
///   settings (SQLite's pragmas) before the pool hands it out;
/// - a connection that failed to open fails with quarry's
///   [`Error`], classified by cause, and the engine remembers it, so a
///   checkout that times out says why no connection could be opened;
/// - a connection whose link to the server was lost is discarded when it
///   goes back to the pool, with or without pre-ping. diesel's
///   `has_broken` asks only the transaction manager, which knows nothing
///   of a connection lost outside a transaction, so such a connection
///   would be handed out, and fail, forever.
pub struct Manager<C> {
    url: String,
    /// The URL with its password hidden, for messages.
    shown_url: String,
    /// SQLite: the database file, to say what is missing.
    sqlite_file: Option<PathBuf>,
    shared: Arc<Shared>,
    _connection: PhantomData<fn() -> C>,
}

impl<C> std::fmt::Debug for Manager<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Manager").field("url", &self.shown_url).finish()
    }
}

impl<C: EngineConnection> Manager<C> {
    pub(crate) fn new(url: &DatabaseUrl, shared: Arc<Shared>) -> Self {
        let driver_url = if shared.read_only { url.read_only_driver_url() } else { url.driver_url().to_owned() };
        Manager {
            url: driver_url,
            shown_url: url::redact(url.driver_url()),
            sqlite_file: url.sqlite_file(),
            shared,
            _connection: PhantomData,
        }
    }

    /// A new connection with the engine's instrumentation and settings.
    ///
    /// Unlike [`connect`](ManageConnection::connect), the pool's way, it
    /// leaves the engine's last connection failure as it was: `build`
    /// returns its failure at once.
    pub(crate) fn open(&self) -> Result<C> {
        let mut conn = C::establish(&self.url).map_err(|e| self.explain(connect_failure(Some(&self.shown_url), e)))?;
        conn.set_instrumentation(Echo::new(self.shared.clone()));
        conn.prepare(&self.shared)?;
        Ok(conn)
    }

    /// Adds what the driver leaves out: SQLite says only "unable to open
    /// database file", not that there is no such file (read-only) or
    /// directory, nor that a URL with three slashes is a relative path.
    fn explain(&self, mut error: Error) -> Error {
        if let (Error::Operational(e), Some(file)) = (&mut error, &self.sqlite_file) {
            if e.kind == OperationalKind::MissingFile {
                e.message.push_str(&missing_file(file, self.shared.read_only));
            }
        }
        error
    }
}

/// What is missing when SQLite cannot open `file`: the file itself (a
/// read-only engine never creates it) and its directory, with the URL of
/// the absolute path when that directory exists: a URL written for
/// quarry before it read URLs as SQLAlchemy does (`sqlite:///var/app.db`)
/// now names a relative path.
fn missing_file(file: &Path, read_only: bool) -> String {
    let mut notes = Vec::new();
    if read_only && !file.exists() {
        notes.push(format!("no database at {}", file.display()));
    }
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(dir) = dir.filter(|d| !d.is_dir()) {
        notes.push(format!("the directory {} does not exist", dir.display()));
        if dir.is_relative() && Path::new("/").join(dir).is_dir() {
            notes.push(format!("for the absolute path /{0}, write four slashes: sqlite:////{0}", file.display()));
        }
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!(" ({})", notes.join("; "))
    }
}

impl<C: EngineConnection> ManageConnection for Manager<C> {
    type Connection = C;
    type Error = Error;

    fn connect(&self) -> Result<C> {
        let result = self.open();
        let failure = match &result {
            Err(Error::Operational(e)) => Some(e.clone()),
            Err(other) => Some(OperationalError::new(
                OperationalKind::Connect,
                format!("cannot connect to {}: {other}", self.shown_url),
            )),
            Ok(_) => None,
        };
        *self.shared.last_connect_error.lock().unwrap_or_else(|e| e.into_inner()) = failure;
        result
    }

    fn is_valid(&self, conn: &mut C) -> Result<()> {
        Ok(conn.ping()?)
    }

    fn has_broken(&self, conn: &mut C) -> bool {
        std::thread::panicking() || conn.is_broken() || Echo::lost_connection(conn)
    }
}

/// The error for a checkout (or a pool build) that got no connection
/// within `timeout`: the cause of the last failed attempt to connect, if
/// the last attempt failed, else a pool timeout.
pub(crate) fn checkout_failure(shared: &Shared, timeout: Duration) -> Error {
    let waited = format!("timed out waiting for a connection after {timeout:?}");
    let cause = shared.last_connect_error.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let error = match cause {
        Some(cause) => OperationalError::new(cause.kind, format!("{waited}: {}", cause.message)),
        None => OperationalError::new(OperationalKind::PoolTimeout, waited),
    };
    Error::Operational(error)
}
