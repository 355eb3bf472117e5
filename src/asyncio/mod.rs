//! Sessions for tokio programs (SQLAlchemy's `sqlalchemy.ext.asyncio`),
//! behind the `async` feature.
//!
//! An [`AsyncEngine`] wraps an [`Engine`]; an [`AsyncSession`] wraps a
//! [`Session`] and runs each call on tokio's blocking pool, so no call
//! blocks a runtime worker. A call hands a closure the whole sync
//! session, which makes every sync capability reachable from async code:
//! queries, the unit of work, savepoints, relationship loading, bulk
//! operations. Checking out a connection waits asynchronously, up to the
//! pool timeout. docs/async.md says why this design, with measurements.
//!
//! ```
//! use diesel::prelude::*;
//! use quarry::asyncio::AsyncEngine;
//! # diesel::table! { notes (id) { id -> Integer, body -> Text } }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> quarry::Result<()> {
//! let engine = AsyncEngine::<SqliteConnection>::connect("sqlite:///:memory:").await?;
//! let mut session = engine.session().await?;
//! # session.run(|s| { diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)").execute(s.connection())?; Ok(()) }).await?;
//! // Commits on Ok, rolls back on Err, in one call.
//! session
//!     .transaction(|s| {
//!         diesel::insert_into(notes::table).values(notes::body.eq("kept")).execute(s.connection())?;
//!         Ok::<_, quarry::Error>(())
//!     })
//!     .await?;
//! let bodies: Vec<String> = session.all(notes::table.select(notes::body)).await?;
//! assert_eq!(bodies, ["kept"]);
//! # Ok(())
//! # }
//! ```
//!
//! **Cancellation.** A call's closure runs to its end even when the
//! future awaiting it is dropped (a request timeout, a client that hung
//! up): a transaction closure commits or rolls back whole, a flush is
//! never cut in half. A session dropped with a transaction open rolls it
//! back on the blocking pool before its connection returns to the pool.

#[cfg(feature = "axum")]
pub mod axum;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use diesel::dsl::Limit;
use diesel::query_dsl::methods::{LimitDsl, LoadQuery, OffsetDsl};
use diesel::RunQueryDsl;
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};

use crate::engine::{EngineBuilder, EngineConnection};
use crate::error::{Error, Result};
use crate::{Engine, Session};

/// An [`Engine`] for async code: the same pool, with checkouts that wait
/// asynchronously. Cheap to clone; clones share the pool.
pub struct AsyncEngine<C: EngineConnection> {
    engine: Engine<C>,
    /// One permit per connection the pool may hold: a task waits here,
    /// not on a blocking thread, until a connection is free.
    checkouts: Arc<Semaphore>,
    timeout: Duration,
}

impl<C: EngineConnection> Clone for AsyncEngine<C> {
    fn clone(&self) -> Self {
        AsyncEngine { engine: self.engine.clone(), checkouts: self.checkouts.clone(), timeout: self.timeout }
    }
}

impl<C: EngineConnection> std::fmt::Debug for AsyncEngine<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncEngine").field("engine", &self.engine).finish()
    }
}

impl<C: EngineConnection + Send + 'static> AsyncEngine<C> {
    /// An engine with default settings (see [`EngineBuilder`]), opened
    /// on the blocking pool.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::build(Engine::builder(), url).await
    }

    /// An engine with `builder`'s settings (pool size, timeouts, echo...).
    pub async fn build(builder: EngineBuilder<C>, url: &str) -> Result<Self>
    where
        EngineBuilder<C>: Send + 'static,
    {
        let url = url.to_owned();
        Ok(Self::new(blocking(move || builder.build(&url)).await??))
    }

    /// Wraps a sync engine; both share its pool. Async checkouts wait
    /// their turn on the runtime; connections the sync engine hands out
    /// meanwhile are not counted there, so an async checkout may then wait
    /// for one on a blocking thread (still no longer than the pool
    /// timeout).
    pub fn new(engine: Engine<C>) -> Self {
        let (size, timeout) = engine.pool_limits();
        AsyncEngine { engine, checkouts: Arc::new(Semaphore::new(size as usize)), timeout }
    }

    /// The sync engine: its settings, events and statistics.
    pub fn sync_engine(&self) -> &Engine<C> {
        &self.engine
    }

    /// A session on one pooled connection. Waits without blocking for a
    /// free connection, up to the pool timeout, then fails as
    /// [`Engine::connection`] does.
    pub async fn session(&self) -> Result<AsyncSession<C>> {
        let permit = self.checkout_permit().await?;
        let engine = self.engine.clone();
        let session = blocking(move || engine.session()).await??;
        Ok(AsyncSession { held: Some(Arc::new(Mutex::new(Held { session, _permit: permit }))) })
    }

    /// A turn at the pool: waits without blocking, up to the pool timeout.
    async fn checkout_permit(&self) -> Result<OwnedSemaphorePermit> {
        match tokio::time::timeout(self.timeout, self.checkouts.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(crate::engine::pool::checkout_failure(self.engine.shared(), self.timeout)),
        }
    }

    /// Checks out a session, runs `work` and returns the connection, in
    /// one trip to the blocking pool.
    async fn in_one_trip<T, F>(&self, work: F) -> Result<T>
    where
        F: FnOnce(&mut Session<C>) -> T + Send + 'static,
        T: Send + 'static,
    {
        let permit = self.checkout_permit().await?;
        let engine = self.engine.clone();
        blocking(move || {
            let mut held = Held { session: engine.session()?, _permit: permit };
            Ok(work(&mut held.session))
        })
        .await?
    }

    /// Runs `work` on a session of its own, closed after it.
    pub async fn run<T, F>(&self, work: F) -> Result<T>
    where
        F: FnOnce(&mut Session<C>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.in_one_trip(work).await?
    }

    /// Runs `work` in a transaction on a session of its own: commits when
    /// it returns `Ok`, rolls back when it returns `Err` or panics.
    pub async fn transaction<T, E, F>(&self, work: F) -> std::result::Result<T, E>
    where
        F: FnOnce(&mut Session<C>) -> std::result::Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<Error> + Send + 'static,
    {
        self.in_one_trip(move |session| session.transaction(work)).await?
    }

    /// Applies the pending embedded migrations under the database's
    /// migration lock, as [`Engine::run_migrations`] does; returns the
    /// versions applied.
    pub async fn run_migrations(&self, migrations: &'static [crate::migrate::Migration]) -> Result<Vec<&'static str>>
    where
        C: crate::migrate::MigrationConnection,
    {
        let engine = self.engine.clone();
        blocking(move || engine.run_migrations(migrations)).await?
    }
}

/// A session and the checkout permit it holds until its connection is
/// back in the pool (fields drop in order: the session first).
struct Held<C: EngineConnection> {
    session: Session<C>,
    _permit: OwnedSemaphorePermit,
}

/// A [`Session`] for async code: each call runs on tokio's blocking pool
/// with the whole sync session in hand.
///
/// Dropping it (or [`close`](Self::close)) rolls back an open transaction
/// and returns the connection, on the blocking pool.
pub struct AsyncSession<C: EngineConnection> {
    held: Option<Arc<Mutex<Held<C>>>>,
}

impl<C: EngineConnection> std::fmt::Debug for AsyncSession<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AsyncSession").field("backend", &C::BACKEND).finish()
    }
}

impl<C: EngineConnection + Send + 'static> AsyncSession<C> {
    /// Runs `work` with the sync session (SQLAlchemy's
    /// `AsyncSession.run_sync`): any [`Session`] method, any diesel query
    /// on [`Session::connection`]. `work` runs to its end even if this
    /// future is dropped.
    pub async fn run<T, F>(&mut self, work: F) -> Result<T>
    where
        F: FnOnce(&mut Session<C>) -> Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.call(work).await?
    }

    /// Runs `work` in a transaction (a savepoint if one is open), in one
    /// call: commits when it returns `Ok`, rolls back when it returns
    /// `Err` or panics. Cancelled, it still commits or rolls back whole.
    pub async fn transaction<T, E, F>(&mut self, work: F) -> std::result::Result<T, E>
    where
        F: FnOnce(&mut Session<C>) -> std::result::Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<Error> + Send + 'static,
    {
        self.call(move |session| session.transaction(work)).await?
    }

    /// Runs `work` in a savepoint of the open transaction.
    pub async fn nested<T, E, F>(&mut self, work: F) -> std::result::Result<T, E>
    where
        F: FnOnce(&mut Session<C>) -> std::result::Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<Error> + Send + 'static,
    {
        self.call(move |session| session.nested(work)).await?
    }

    /// [`Session::begin`].
    pub async fn begin(&mut self) -> Result<()> {
        self.run(Session::begin).await
    }

    /// [`Session::commit`]: flushes, then commits the innermost
    /// transaction.
    pub async fn commit(&mut self) -> Result<()> {
        self.run(Session::commit).await
    }

    /// [`Session::rollback`].
    pub async fn rollback(&mut self) -> Result<()> {
        self.run(Session::rollback).await
    }

    /// [`Session::flush`].
    pub async fn flush(&mut self) -> Result<crate::Flushed> {
        self.run(Session::flush).await
    }

    /// Whether a transaction is open.
    pub async fn in_transaction(&mut self) -> Result<bool> {
        self.run(|s| Ok(s.in_transaction())).await
    }

    /// [`Session::all`]: every row of `query`.
    pub async fn all<Q, U>(&mut self, query: Q) -> Result<Vec<U>>
    where
        Q: RunQueryDsl<C> + for<'q> LoadQuery<'q, C, U> + Send + 'static,
        U: Send + 'static,
    {
        self.run(move |s| s.all(query)).await
    }

    /// [`Session::one`]: exactly one row of `query`.
    pub async fn one<Q, U>(&mut self, query: Q) -> Result<U>
    where
        Q: RunQueryDsl<C> + LimitDsl + Send + 'static,
        Limit<Q>: for<'q> LoadQuery<'q, C, U>,
        U: Send + 'static,
    {
        self.run(move |s| s.one(query)).await
    }

    /// [`Session::first`]: the first row of `query`, if any.
    pub async fn first<Q, U>(&mut self, query: Q) -> Result<Option<U>>
    where
        Q: RunQueryDsl<C> + LimitDsl + Send + 'static,
        Limit<Q>: for<'q> LoadQuery<'q, C, U>,
        U: Send + 'static,
    {
        self.run(move |s| s.first(query)).await
    }

    /// [`Session::execute`]: runs an insert, update or delete.
    pub async fn execute<Q>(&mut self, query: Q) -> Result<usize>
    where
        Q: RunQueryDsl<C> + diesel::query_dsl::methods::ExecuteDsl<C> + Send + 'static,
    {
        self.run(move |s| s.execute(query)).await
    }

    /// The rows of `query` in batches of `batch_size`, as
    /// [`Session::batches`] reads them, sent through a channel: one batch
    /// is read ahead of the one being handled. Dropping the receiver stops
    /// the reading; the session is free again once it has stopped.
    pub fn batches<Q, U>(&mut self, query: Q, batch_size: usize) -> mpsc::Receiver<Result<Vec<U>>>
    where
        Q: Clone + LimitDsl + Send + 'static,
        Limit<Q>: OffsetDsl,
        diesel::dsl::Offset<Limit<Q>>: RunQueryDsl<C> + for<'q> LoadQuery<'q, C, U>,
        U: Send + 'static,
    {
        let (sender, receiver) = mpsc::channel(1);
        let held = self.held.clone();
        tokio::task::spawn_blocking(move || {
            let mut held = match lock(&held) {
                Ok(held) => held,
                Err(error) => return drop(sender.blocking_send(Err(error))),
            };
            for batch in held.session.batches(query, batch_size) {
                if sender.blocking_send(batch).is_err() {
                    break;
                }
            }
        });
        receiver
    }

    /// Closes the session: rolls back an open transaction and returns the
    /// connection to the pool, waiting until it is back.
    pub async fn close(mut self) {
        if let Some(held) = self.held.take() {
            // A call still running (its future dropped) holds the session;
            // the connection returns when the last holder lets go.
            let _ = tokio::task::spawn_blocking(move || drop(held)).await;
        }
    }

    async fn call<T, F>(&mut self, work: F) -> Result<T>
    where
        F: FnOnce(&mut Session<C>) -> T + Send + 'static,
        T: Send + 'static,
    {
        let held = self.held.clone();
        blocking(move || lock(&held).map(|mut held| work(&mut held.session))).await?
    }
}

impl<C: EngineConnection> Drop for AsyncSession<C> {
    fn drop(&mut self) {
        let Some(held) = self.held.take() else { return };
        // Rolling back and returning the connection may wait on the
        // database: never on a runtime worker.
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn_blocking(move || drop(held))),
            Err(_) => drop(held),
        }
    }
}

/// The session, unless a call panicked while it held it (its state is
/// then unknown: the session is only good for being dropped).
fn lock<C: EngineConnection>(held: &Option<Arc<Mutex<Held<C>>>>) -> Result<MutexGuard<'_, Held<C>>> {
    let held = held.as_ref().ok_or(Error::SessionUnusable { reason: "it was closed" })?;
    held.lock().map_err(|_| Error::SessionUnusable { reason: "an earlier call panicked while it held the session" })
}

/// Runs `work` on tokio's blocking pool; a panic in it resumes in the
/// caller.
async fn blocking<T, F>(work: F) -> Result<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(value) => Ok(value),
        Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
        Err(_) => Err(Error::SessionUnusable { reason: "the runtime is shutting down" }),
    }
}
