//! The engine's own connection, handed out without r2d2.
//!
//! r2d2 opens and hands over every connection on worker threads, which its
//! pool starts when it is built; starting a thread is most of what an
//! engine costs a program's start-up beyond the connection itself. So the
//! connection `build` opens stays with the engine, in its reserve: a
//! checkout takes it when it is free, and r2d2's pool, built on the first
//! checkout that finds it taken, holds the others. A program that uses one
//! connection at a time (a start-up, a command-line tool, a single-threaded
//! server) never starts a thread.
//!
//! The reserve does for its connection what the pool does for its own: it
//! replaces one older than `recycle` or, with pre-ping, one that fails the
//! ping, before handing it out; it closes one returned broken (lost, or
//! dropped by a panicking thread) and opens the next in the checkout that
//! needs it; it fires the checkout and checkin events.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Instant;

use diesel::r2d2::{ManageConnection, PooledConnection};

use super::events::Event;
use super::pool::Manager;
use super::{EngineConnection, PoolSettings, Shared};
use crate::error::Result;

/// A connection checked out of an [`Engine`](super::Engine): its reserved
/// connection or one of its pool's. Derefs to the diesel connection, and
/// goes back when dropped.
pub struct Connection<C: EngineConnection> {
    held: Held<C>,
}

enum Held<C: EngineConnection> {
    Pooled(PooledConnection<Manager<C>>),
    /// `kept` is `None` only while the connection goes back, in `drop`.
    Reserved {
        kept: Option<Kept<C>>,
        reserve: Arc<Reserve<C>>,
    },
}

impl<C: EngineConnection> Connection<C> {
    pub(super) fn pooled(conn: PooledConnection<Manager<C>>) -> Self {
        Connection { held: Held::Pooled(conn) }
    }

    /// Records that this connection has seen the schema of generation
    /// `now`; returns the generation it saw before, if it was another.
    pub(super) fn see_schema(&mut self, now: u64) -> Option<u64> {
        let seen = match &mut self.held {
            Held::Pooled(conn) => {
                PooledConnection::extensions_mut(conn).insert(SchemaGeneration(now)).map(|seen| seen.0)
            }
            Held::Reserved { kept, .. } => kept.as_mut().and_then(|kept| kept.schema_seen.replace(now)),
        };
        seen.filter(|&seen| seen != now)
    }
}

impl<C: EngineConnection> std::fmt::Debug for Connection<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let from = match self.held {
            Held::Pooled(_) => "pool",
            Held::Reserved { .. } => "engine",
        };
        f.debug_struct("Connection").field("backend", &C::BACKEND).field("from", &from).finish()
    }
}

impl<C: EngineConnection> Deref for Connection<C> {
    type Target = C;

    fn deref(&self) -> &C {
        match &self.held {
            Held::Pooled(conn) => conn,
            Held::Reserved { kept, .. } => &kept.as_ref().expect("a reserved connection until dropped").conn,
        }
    }
}

impl<C: EngineConnection> DerefMut for Connection<C> {
    fn deref_mut(&mut self) -> &mut C {
        match &mut self.held {
            Held::Pooled(conn) => conn,
            Held::Reserved { kept, .. } => &mut kept.as_mut().expect("a reserved connection until dropped").conn,
        }
    }
}

impl<C: EngineConnection> Drop for Connection<C> {
    fn drop(&mut self) {
        if let Held::Reserved { kept, reserve } = &mut self.held {
            if let Some(kept) = kept.take() {
                reserve.check_in(kept);
            }
        }
    }
}

/// The schema generation a pooled connection last saw (kept in r2d2's
/// extensions of the connection).
struct SchemaGeneration(u64);

/// The reserved connection, with what the reserve knows of it.
struct Kept<C> {
    conn: C,
    opened: Instant,
    /// The schema generation it last saw; `None` before its first checkout.
    schema_seen: Option<u64>,
}

/// Where the reserved connection is.
enum Slot<C> {
    Idle(Kept<C>),
    CheckedOut,
    /// Closed (returned broken, or could not be replaced): the next
    /// checkout opens one.
    Closed,
}

/// The engine's reserved connection (see the module docs).
pub(crate) struct Reserve<C: EngineConnection> {
    manager: Manager<C>,
    shared: Arc<Shared>,
    slot: Mutex<Slot<C>>,
    returned: Condvar,
    /// The engine's settings: how long a checkout waits, `recycle`,
    /// pre-ping.
    settings: Arc<PoolSettings>,
}

impl<C: EngineConnection> Reserve<C> {
    /// A reserve holding `conn`, which `manager` opened.
    pub(super) fn new(manager: Manager<C>, shared: Arc<Shared>, conn: C, settings: Arc<PoolSettings>) -> Self {
        let kept = Kept { conn, opened: Instant::now(), schema_seen: None };
        Reserve { manager, shared, slot: Mutex::new(Slot::Idle(kept)), returned: Condvar::new(), settings }
    }

    fn slot(&self) -> MutexGuard<'_, Slot<C>> {
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `(open, idle)`: whether the reserved connection is open, and idle.
    pub(super) fn state(&self) -> (u32, u32) {
        match *self.slot() {
            Slot::Idle(_) => (1, 1),
            Slot::CheckedOut => (1, 0),
            Slot::Closed => (0, 0),
        }
    }

    /// The reserved connection, if it is not checked out; else `None`, or,
    /// if the checkout may `wait` (an engine of one connection), the
    /// connection once it comes back. Fails when the connection needs
    /// replacing and a new one cannot be opened, or when the wait passes the
    /// pool timeout.
    pub(super) fn check_out(self: &Arc<Self>, wait: bool) -> Result<Option<Connection<C>>> {
        let deadline = wait.then(|| Instant::now() + self.settings.timeout);
        let mut slot = self.slot();
        let kept = loop {
            match std::mem::replace(&mut *slot, Slot::CheckedOut) {
                Slot::Idle(kept) => break Some(kept),
                Slot::Closed => break None,
                Slot::CheckedOut => {
                    let Some(deadline) = deadline else { return Ok(None) };
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(super::pool::checkout_failure(&self.shared, self.settings.timeout));
                    }
                    slot = self.returned.wait_timeout(slot, left).unwrap_or_else(|e| e.into_inner()).0;
                }
            }
        };
        drop(slot);
        let kept = match kept.and_then(|kept| self.usable(kept)) {
            Some(kept) => kept,
            None => match self.manager.connect() {
                Ok(conn) => Kept { conn, opened: Instant::now(), schema_seen: None },
                Err(error) => {
                    *self.slot() = Slot::Closed;
                    self.returned.notify_one();
                    return Err(error);
                }
            },
        };
        self.shared.listeners.fire(Event::Checkout);
        Ok(Some(Connection { held: Held::Reserved { kept: Some(kept), reserve: self.clone() } }))
    }

    /// `kept`, unless it is older than `recycle` or fails the pre-ping.
    fn usable(&self, mut kept: Kept<C>) -> Option<Kept<C>> {
        let expired = self.settings.recycle.is_some_and(|recycle| kept.opened.elapsed() >= recycle);
        if expired || (self.settings.pre_ping && self.manager.is_valid(&mut kept.conn).is_err()) {
            return None;
        }
        Some(kept)
    }

    /// Takes the connection back: idle again, or closed if it broke.
    fn check_in(&self, mut kept: Kept<C>) {
        self.shared.listeners.fire(Event::Checkin);
        let broken = self.manager.has_broken(&mut kept.conn);
        *self.slot() = if broken { Slot::Closed } else { Slot::Idle(kept) };
        self.returned.notify_one();
    }
}
