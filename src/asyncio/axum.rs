//! A session per request for axum handlers (FastAPI's `get_db`
//! dependency), behind the `axum` feature.
//!
//! [`session_layer`] gives each request a scope; the [`Db`] extractor
//! opens the request's session on first use, in a transaction: read-only
//! for HTTP's safe methods (`GET`, `HEAD`, `OPTIONS`, `TRACE`), so that a
//! read never takes SQLite's write lock and a write there fails with
//! [`OperationalKind::ReadOnly`](crate::error::OperationalKind::ReadOnly)
//! rather than slipping into a `GET`. When the handler has answered, the
//! layer commits if the response is a success (2xx or 3xx) and rolls back
//! otherwise; a request whose future is dropped (a timeout, a client that
//! hung up) rolls back too. A request that never asks for a `Db` never
//! checks out a connection.
//!
//! ```no_run
//! use axum::{routing::get, Router};
//! use diesel::prelude::*;
//! use quarry::asyncio::axum::{session_layer, Db};
//! use quarry::asyncio::AsyncEngine;
//! # diesel::table! { notes (id) { id -> Integer, body -> Text } }
//!
//! async fn count(mut db: Db<SqliteConnection>) -> Result<String, String> {
//!     let n: i64 = db.one(notes::table.count()).await.map_err(|e| e.to_string())?;
//!     Ok(n.to_string())
//! }
//!
//! # async fn app() -> quarry::Result<()> {
//! let engine = AsyncEngine::<SqliteConnection>::connect("sqlite:///app.db").await?;
//! let app: Router = Router::new().route("/notes/count", get(count)).layer(session_layer(engine));
//! # Ok(()) }
//! ```
//!
//! One session per task outside a web framework (SQLAlchemy's
//! `scoped_session`): open an [`AsyncSession`] at the start of the task
//! and pass it down as `&mut`; a `tokio::task_local!` holding a
//! `RefCell<Option<AsyncSession<C>>>` does the same without passing it.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::{from_fn_with_state, FromFnLayer, Next};
use axum::response::{IntoResponse, Response};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{AsyncEngine, AsyncSession};
use crate::engine::{EngineConnection, TransactionOptions};

/// The request's session slot, which the layer puts in its extensions.
struct Scope<C: EngineConnection> {
    engine: AsyncEngine<C>,
    session: Arc<Mutex<Option<AsyncSession<C>>>>,
}

impl<C: EngineConnection> Clone for Scope<C> {
    fn clone(&self) -> Self {
        Scope { engine: self.engine.clone(), session: self.session.clone() }
    }
}

/// What [`session_layer`] runs around each request.
pub type ScopeFn<C> = fn(State<AsyncEngine<C>>, Request, Next) -> Pin<Box<dyn Future<Output = Response> + Send>>;

/// The layer [`session_layer`] returns.
pub type SessionLayer<C> = FromFnLayer<ScopeFn<C>, AsyncEngine<C>, (State<AsyncEngine<C>>, Request)>;

/// The layer that gives each request a session scope: add it with
/// `Router::layer(session_layer(engine))`.
pub fn session_layer<C>(engine: AsyncEngine<C>) -> SessionLayer<C>
where
    C: EngineConnection + Send + 'static,
{
    from_fn_with_state(engine, (|state, request, next| Box::pin(scope(state, request, next))) as ScopeFn<C>)
}

async fn scope<C>(State(engine): State<AsyncEngine<C>>, mut request: Request, next: Next) -> Response
where
    C: EngineConnection + Send + 'static,
{
    let slot = Arc::new(Mutex::new(None));
    request.extensions_mut().insert(Scope { engine, session: slot.clone() });
    let response = next.run(request).await;
    let Some(mut session) = slot.lock().await.take() else { return response };
    let status = response.status();
    let outcome =
        if status.is_success() || status.is_redirection() { session.commit().await } else { session.rollback().await };
    session.close().await;
    match outcome {
        Ok(()) => response,
        Err(error) => {
            tracing::error!(target: "quarry::asyncio", %error, "ending the request's transaction failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "the request's transaction could not be committed").into_response()
        }
    }
}

/// The request's session, opened on first use in a transaction that the
/// [`session_layer`] ends. Derefs to [`AsyncSession`]. Take one per
/// handler: a second `Db` in the same handler waits for the first.
pub struct Db<C: EngineConnection>(OwnedMutexGuard<Option<AsyncSession<C>>>);

impl<C: EngineConnection> Deref for Db<C> {
    type Target = AsyncSession<C>;

    fn deref(&self) -> &AsyncSession<C> {
        self.0.as_ref().expect("opened when extracted")
    }
}

impl<C: EngineConnection> DerefMut for Db<C> {
    fn deref_mut(&mut self) -> &mut AsyncSession<C> {
        self.0.as_mut().expect("opened when extracted")
    }
}

/// Why a [`Db`] could not be had: no [`session_layer`] around the route
/// (a bug: 500), or no connection within the pool timeout (503).
#[derive(Debug)]
pub struct DbRejection {
    status: StatusCode,
    message: String,
}

impl IntoResponse for DbRejection {
    fn into_response(self) -> Response {
        (self.status, self.message).into_response()
    }
}

impl<C, S> FromRequestParts<S> for Db<C>
where
    C: EngineConnection + Send + 'static,
    S: Send + Sync,
{
    type Rejection = DbRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, DbRejection> {
        let Some(scope) = parts.extensions.get::<Scope<C>>().cloned() else {
            return Err(DbRejection {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "no quarry session_layer around this route".into(),
            });
        };
        let mut slot = scope.session.lock_owned().await;
        if slot.is_none() {
            let unavailable = |error: crate::Error| DbRejection {
                status: StatusCode::SERVICE_UNAVAILABLE,
                message: format!("no database session: {error}"),
            };
            let mut session = scope.engine.session().await.map_err(unavailable)?;
            let read_only = parts.method.is_safe();
            session
                .run(move |s| {
                    s.set_transaction_options(TransactionOptions { read_only, ..TransactionOptions::default() });
                    s.begin()
                })
                .await
                .map_err(unavailable)?;
            *slot = Some(session);
        }
        Ok(Db(slot))
    }
}
