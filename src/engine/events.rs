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
    /// A session deleted, detached or unlinked rows on its own, following
    /// the schema's relations: one event per statement that changed rows,
    /// as it runs, in the order the statements run (dependants before the
    /// rows they depend on). Fired by
    /// [`Session::delete`](crate::Session::delete) (the deleted row
    /// included) and [`Session::unlink`](crate::Session::unlink); listen
    /// with [`EventKind::Cascade`]. The statements run in a transaction:
    /// if a later one fails, the rows reported are back, and an
    /// [`AfterRollback`](Event::AfterRollback) follows when it was the
    /// outermost one.
    Cascade(CascadeEvent),
}

/// What one cascade statement did: see [`Event::Cascade`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CascadeEvent {
    pub action: CascadeAction,
    /// The SQL name of the table whose rows changed.
    pub table: &'static str,
    /// How many rows changed (never 0: a statement that changes nothing
    /// fires no event).
    pub rows: usize,
}

impl CascadeEvent {
    #[doc(hidden)]
    pub const fn new(action: CascadeAction, table: &'static str, rows: usize) -> Self {
        CascadeEvent { action, table, rows }
    }
}

/// What a cascade did to the rows of a [`CascadeEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CascadeAction {
    /// Rows deleted: the row given to `Session::delete`, and its dependants
    /// under `cascade = "delete"` (or `"all"`), at any depth.
    Delete,
    /// A child deleted because `Session::unlink` left it without its parent
    /// under `cascade = "delete-orphan"` (its own dependants are `Delete`s).
    DeleteOrphan,
    /// Rows whose foreign key was set to NULL: children of a deleted parent
    /// over a nullable key without `cascade = "delete"`, or a child unlinked
    /// from its parent.
    Nullify,
    /// Association rows of a many_to_many relation deleted.
    Unlink,
}

/// Which events a listener hears: an [`Event`] without its data. Every
/// `Event` converts into its kind, so `listen(Event::AfterCommit, ..)`
/// and `listen(EventKind::AfterCommit, ..)` are the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventKind {
    BeforeFlush,
    AfterFlush,
    AfterCommit,
    AfterRollback,
    Checkout,
    Checkin,
    /// Every [`Event::Cascade`], whatever its action, table and count.
    Cascade,
}

impl Event {
    /// The event without its data.
    pub const fn kind(&self) -> EventKind {
        match self {
            Event::BeforeFlush => EventKind::BeforeFlush,
            Event::AfterFlush => EventKind::AfterFlush,
            Event::AfterCommit => EventKind::AfterCommit,
            Event::AfterRollback => EventKind::AfterRollback,
            Event::Checkout => EventKind::Checkout,
            Event::Checkin => EventKind::Checkin,
            Event::Cascade(_) => EventKind::Cascade,
        }
    }
}

impl From<Event> for EventKind {
    fn from(event: Event) -> Self {
        event.kind()
    }
}

/// A registered listener.
pub type Listener = Arc<dyn Fn(Event) + Send + Sync>;

/// Listeners by event, shared by an engine and its sessions.
#[derive(Default)]
pub(crate) struct Listeners {
    listeners: RwLock<Vec<(EventKind, Listener)>>,
}

impl Listeners {
    pub(crate) fn add(&self, kind: EventKind, listener: Listener) {
        self.listeners.write().unwrap_or_else(|e| e.into_inner()).push((kind, listener));
    }

    pub(crate) fn fire(&self, event: Event) {
        let listeners = self.listeners.read().unwrap_or_else(|e| e.into_inner());
        for (_, listener) in listeners.iter().filter(|(kind, _)| *kind == event.kind()) {
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
