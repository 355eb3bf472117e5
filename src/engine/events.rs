//! Engine and session events, SQLAlchemy's `event.listen` in Rust form.

use std::sync::{Arc, RwLock};

use diesel::r2d2::event::{CheckinEvent, CheckoutEvent, HandleEvent};

/// Something that happened on an engine or a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Event {
    /// A session is about to flush its queued rows.
    BeforeFlush,
    /// A session flushed its queued rows.
    AfterFlush,
    /// A session's outermost transaction committed.
    AfterCommit,
    /// A session's outermost transaction rolled back.
    AfterRollback,
    /// A connection left the pool.
    Checkout,
    /// A connection went back to the pool.
    Checkin,
}

/// A registered listener.
pub type Listener = Arc<dyn Fn(Event) + Send + Sync>;

/// Listeners by event, shared by an engine and its sessions.
#[derive(Default)]
pub(crate) struct Listeners {
    listeners: RwLock<Vec<(Event, Listener)>>,
}

impl Listeners {
    pub(crate) fn add(&self, event: Event, listener: Listener) {
        self.listeners.write().unwrap_or_else(|e| e.into_inner()).push((event, listener));
    }

    pub(crate) fn fire(&self, event: Event) {
        let listeners = self.listeners.read().unwrap_or_else(|e| e.into_inner());
        for (_, listener) in listeners.iter().filter(|(e, _)| *e == event) {
            listener(event);
        }
    }
}

impl std::fmt::Debug for Listeners {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let count = self.listeners.read().map(|l| l.len()).unwrap_or(0);
        f.debug_struct("Listeners").field("count", &count).finish()
    }
}

/// Forwards the pool's checkout and checkin to the engine's listeners.
#[derive(Debug)]
pub(crate) struct PoolEvents(pub(crate) Arc<super::Shared>);

impl HandleEvent for PoolEvents {
    fn handle_checkout(&self, _event: CheckoutEvent) {
        self.0.listeners.fire(Event::Checkout);
    }

    fn handle_checkin(&self, _event: CheckinEvent) {
        self.0.listeners.fire(Event::Checkin);
    }
}
