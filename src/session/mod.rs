//! The session: one pooled connection, one transaction at a time, nested
//! savepoints, and result helpers over any diesel query.
//!
//! ```
//! use diesel::prelude::*;
//! use quarry::{engine::Engine, Session};
//!
//! diesel::table! { notes (id) { id -> Integer, body -> Text } }
//!
//! let engine = Engine::<SqliteConnection>::connect("sqlite:///:memory:")?;
//! let mut session = engine.session()?;
//! diesel::sql_query("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
//!     .execute(session.connection())?;
//!
//! // Commits on Ok, rolls back on Err.
//! session.transaction(|s| {
//!     diesel::insert_into(notes::table).values(notes::body.eq("kept")).execute(s.connection())?;
//!     // A savepoint: its failure is undone alone.
//!     let inner: Result<(), Box<dyn std::error::Error>> = s.nested(|s| {
//!         diesel::insert_into(notes::table).values(notes::body.eq("undone")).execute(s.connection())?;
//!         Err("changed my mind".into())
//!     });
//!     assert!(inner.is_err());
//!     Ok::<_, quarry::Error>(())
//! })?;
//!
//! let bodies: Vec<String> = session.all(notes::table.select(notes::body))?;
//! assert_eq!(bodies, ["kept"]);
//! let one: String = session.one(notes::table.select(notes::body))?;
//! assert_eq!(one, "kept");
//! # Ok::<(), quarry::Error>(())
//! ```

use std::sync::Arc;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::dsl::{Find, Limit, Offset};
use diesel::query_dsl::methods::{ExecuteDsl, FindDsl, LimitDsl, LoadQuery, OffsetDsl};
use diesel::RunQueryDsl;

use crate::engine::{CascadeEvent, Connection, Engine, EngineConnection, Event, EventKind, Shared, TransactionOptions};
use crate::error::{Error, Result};
use crate::model::{FlushRows, Model};
use crate::relation::Relation;

mod insert;
mod insert_returning;
mod returning;
mod sequence;
mod unit_of_work;
mod upsert;

pub use insert::InsertRows;
pub use insert_returning::KeyIn;
pub use returning::{DeleteReturning, UpdateReturning};
pub use upsert::{Columns, ConflictTarget, OneColumn};

use unit_of_work::Queue;
pub use unit_of_work::{Flushed, Pending, RowRef};

/// A unit of work on one connection. Not `Sync`: a session belongs to one
/// thread; open one per thread from a shared [`Engine`].
///
/// Outside a transaction, each statement commits on its own (autocommit).
/// [`begin`](Self::begin) / [`commit`](Self::commit) /
/// [`rollback`](Self::rollback) or the closure form
/// [`transaction`](Self::transaction) group statements; inside, the same
/// calls (or [`begin_nested`](Self::begin_nested) / [`nested`](Self::nested))
/// open savepoints, to any depth. Dropping a session with an open
/// transaction rolls it back.
pub struct Session<C: EngineConnection> {
    conn: Connection<C>,
    shared: Arc<Shared>,
    options: TransactionOptions,
    /// Statements to run when the outermost transaction ends.
    after_end: Vec<String>,
    /// Rows added and not yet flushed.
    queue: Queue<C>,
    /// Listeners of this session only.
    listeners: Vec<(EventKind, crate::engine::Listener)>,
}

impl<C: EngineConnection> Engine<C> {
    /// A session: one pooled connection, one transaction at a time.
    pub fn session(&self) -> Result<Session<C>> {
        Ok(Session::new(self.connection()?, self.shared().clone()))
    }
}

impl<C: EngineConnection> std::fmt::Debug for Session<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session").field("backend", &C::BACKEND).field("options", &self.options).finish()
    }
}

impl<C: EngineConnection> Session<C> {
    pub(crate) fn new(conn: Connection<C>, shared: Arc<Shared>) -> Self {
        Session {
            conn,
            shared,
            options: TransactionOptions::default(),
            after_end: Vec::new(),
            queue: Queue::default(),
            listeners: Vec::new(),
        }
    }

    /// The connection, for any diesel query: `query.load(session.connection())`.
    pub fn connection(&mut self) -> &mut C {
        &mut self.conn
    }

    /// How the session's next top-level transactions begin: isolation level
    /// and read-only.
    pub fn set_transaction_options(&mut self, options: TransactionOptions) {
        self.options = options;
    }

    /// Calls `listener` whenever an event of this kind happens in this
    /// session (`Event::AfterCommit`, or an [`EventKind`] such as
    /// `EventKind::Cascade`); engine listeners hear it too.
    pub fn listen(&mut self, kind: impl Into<EventKind>, listener: impl Fn(Event) + Send + Sync + 'static) {
        self.listeners.push((kind.into(), std::sync::Arc::new(listener)));
    }

    fn fire(&self, event: Event) {
        fire(&self.shared, &self.listeners, event);
    }

    /// Runs `work` on the connection in a transaction (a savepoint inside an
    /// open one), handing it a sink that fires each [`CascadeEvent`] at
    /// once, to the engine's listeners and this session's.
    pub(crate) fn cascading<T>(
        &mut self,
        work: impl FnOnce(&mut C, &dyn Fn(CascadeEvent)) -> diesel::QueryResult<T>,
    ) -> Result<T> {
        self.transaction(|session| {
            let Session { conn, shared, listeners, .. } = session;
            let sink = |event: CascadeEvent| fire(shared, listeners, Event::Cascade(event));
            Ok(work(&mut **conn, &sink)?)
        })
    }

    /// Transactions open: 0 outside, 1 in a transaction, more in savepoints.
    pub fn depth(&mut self) -> u32 {
        let status = AnsiTransactionManager::transaction_manager_status_mut(&mut *self.conn);
        status.transaction_depth().ok().flatten().map_or(0, |d| d.get())
    }

    /// Whether a transaction is open.
    pub fn in_transaction(&mut self) -> bool {
        self.depth() > 0
    }

    /// Begins a transaction, or a savepoint inside one.
    pub fn begin(&mut self) -> Result<()> {
        if self.in_transaction() {
            return self.begin_nested();
        }
        let statements = C::begin_statements(&self.options);
        for sql in &statements.before {
            self.conn.batch_execute(sql)?;
        }
        if let Err(error) = AnsiTransactionManager::begin_transaction_sql(&mut *self.conn, &statements.begin) {
            self.run_after_end();
            return Err(error.into());
        }
        self.after_end = statements.after;
        Ok(())
    }

    /// Opens a savepoint inside the current transaction (SQLAlchemy's
    /// `begin_nested`). Errors when no transaction is open.
    pub fn begin_nested(&mut self) -> Result<()> {
        if !self.in_transaction() {
            return Err(Error::NoTransaction { operation: "begin_nested" });
        }
        AnsiTransactionManager::begin_transaction(&mut *self.conn)?;
        Ok(())
    }

    /// Commits the innermost transaction: releases a savepoint, or commits
    /// the outermost transaction and fires [`Event::AfterCommit`].
    pub fn commit(&mut self) -> Result<()> {
        let depth = self.depth();
        if depth == 0 {
            return Err(Error::NoTransaction { operation: "commit" });
        }
        if !self.queue.is_empty() {
            // A failed flush rolls back the transaction (or savepoint) being
            // committed, so it writes straight into it.
            if let Err(error) = self.write_queue(false, true) {
                self.rollback_after_failure();
                return Err(error);
            }
        }
        let result = AnsiTransactionManager::commit_transaction(&mut *self.conn);
        if depth == 1 {
            self.run_after_end();
            if result.is_ok() {
                self.fire(Event::AfterCommit);
            } else if self.depth() == 0 {
                self.fire(Event::AfterRollback);
            }
        }
        Ok(result?)
    }

    /// Rolls back the innermost transaction: to the savepoint, or the
    /// outermost transaction, firing [`Event::AfterRollback`].
    pub fn rollback(&mut self) -> Result<()> {
        let depth = self.depth();
        if depth == 0 {
            return Err(Error::NoTransaction { operation: "rollback" });
        }
        let result = AnsiTransactionManager::rollback_transaction(&mut *self.conn);
        if depth == 1 {
            self.run_after_end();
            self.fire(Event::AfterRollback);
        }
        Ok(result?)
    }

    /// Rolls back after `work` failed, keeping quiet about a rollback that
    /// fails too: the caller must see the first error, not this one.
    fn rollback_after_failure(&mut self) {
        if let Err(error) = self.rollback() {
            tracing::warn!(target: "quarry::session", %error, "rolling back after an error failed as well");
        }
    }

    /// Runs `work` in a transaction (a savepoint if one is open): commits
    /// when it returns `Ok`, rolls back when it returns `Err` or panics.
    ///
    /// When `work` fails, its error is returned even if the rollback fails
    /// too (as it does once the connection is lost); the rollback's error
    /// is logged through `tracing` (target `quarry::session`, WARN).
    pub fn transaction<T, E>(
        &mut self,
        work: impl FnOnce(&mut Self) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        self.begin()?;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(self)));
        match outcome {
            Ok(Ok(value)) => {
                self.commit()?;
                Ok(value)
            }
            Ok(Err(error)) => {
                // The caller's error says what went wrong; a rollback that
                // fails too (the connection is gone) is only logged.
                self.rollback_after_failure();
                Err(error)
            }
            Err(panic) => {
                self.rollback_after_failure();
                std::panic::resume_unwind(panic)
            }
        }
    }

    /// Runs `work` in a savepoint of the open transaction: its changes are
    /// kept when it returns `Ok`, undone alone when it returns `Err`.
    pub fn nested<T, E>(
        &mut self,
        work: impl FnOnce(&mut Self) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E>
    where
        E: From<Error>,
    {
        if !self.in_transaction() {
            return Err(Error::NoTransaction { operation: "nested" }.into());
        }
        self.transaction(work)
    }

    /// Every row of `query`.
    pub fn all<'q, Q, U>(&mut self, query: Q) -> Result<Vec<U>>
    where
        Q: RunQueryDsl<C> + LoadQuery<'q, C, U>,
    {
        Ok(query.load(&mut *self.conn)?)
    }

    /// The first row of `query`, if any (`LIMIT 1`).
    pub fn first<'q, Q, U>(&mut self, query: Q) -> Result<Option<U>>
    where
        Q: LimitDsl,
        Limit<Q>: RunQueryDsl<C> + LoadQuery<'q, C, U>,
    {
        let mut rows: Vec<U> = query.limit(1).load(&mut *self.conn)?;
        Ok(rows.pop())
    }

    /// The first column of the first row: [`first`](Self::first) for a
    /// query that selects one value.
    pub fn scalar<'q, Q, U>(&mut self, query: Q) -> Result<Option<U>>
    where
        Q: LimitDsl,
        Limit<Q>: RunQueryDsl<C> + LoadQuery<'q, C, U>,
    {
        self.first(query)
    }

    /// Exactly one row: [`Error::NotFound`] for none,
    /// [`Error::MultipleResultsFound`] for more (SQLAlchemy's `one`).
    pub fn one<'q, Q, U>(&mut self, query: Q) -> Result<U>
    where
        Q: LimitDsl,
        Limit<Q>: RunQueryDsl<C> + LoadQuery<'q, C, U>,
    {
        self.one_or_none(query)?.ok_or(Error::NotFound)
    }

    /// At most one row: `None` for none, [`Error::MultipleResultsFound`]
    /// for more (SQLAlchemy's `one_or_none`).
    pub fn one_or_none<'q, Q, U>(&mut self, query: Q) -> Result<Option<U>>
    where
        Q: LimitDsl,
        Limit<Q>: RunQueryDsl<C> + LoadQuery<'q, C, U>,
    {
        let mut rows: Vec<U> = query.limit(2).load(&mut *self.conn)?;
        match rows.len() {
            0 | 1 => Ok(rows.pop()),
            _ => Err(Error::MultipleResultsFound),
        }
    }

    /// The row of `table` whose primary key is `key` (a tuple for a
    /// composite key), if any: `session.get(authors::table, 7)`.
    pub fn get<'q, T, K, U>(&mut self, table: T, key: K) -> Result<Option<U>>
    where
        T: FindDsl<K>,
        Find<T, K>: LimitDsl,
        Limit<Find<T, K>>: RunQueryDsl<C> + LoadQuery<'q, C, U>,
    {
        self.first(table.find(key))
    }

    /// The rows of `query` in batches of `batch_size` (SQLAlchemy's
    /// `yield_per`): only one batch is in memory at a time.
    ///
    /// Each batch is one `LIMIT`/`OFFSET` query, so `query` needs an
    /// `ORDER BY` over a unique key for the batches to partition the rows,
    /// and a transaction of at least `REPEATABLE READ` (SQLite: any) if
    /// concurrent writes must not shift them.
    ///
    /// ```
    /// # use diesel::prelude::*;
    /// # diesel::table! { n (id) { id -> Integer } }
    /// let engine = quarry::Engine::<SqliteConnection>::connect("sqlite:///:memory:")?;
    /// let mut session = engine.session()?;
    /// # diesel::sql_query("CREATE TABLE n (id INTEGER PRIMARY KEY)").execute(session.connection())?;
    /// # diesel::sql_query("INSERT INTO n (id) VALUES (1), (2), (3), (4), (5)").execute(session.connection())?;
    /// let sizes: Vec<usize> = session
    ///     .batches(n::table.select(n::id).order(n::id), 2)
    ///     .map(|batch: quarry::Result<Vec<i32>>| batch.map(|rows| rows.len()))
    ///     .collect::<quarry::Result<_>>()?;
    /// assert_eq!(sizes, [2, 2, 1]);
    /// # Ok::<(), quarry::Error>(())
    /// ```
    pub fn batches<Q, U>(&mut self, query: Q, batch_size: usize) -> Batches<'_, C, Q, U>
    where
        Q: Clone + LimitDsl,
        Limit<Q>: OffsetDsl,
        Offset<Limit<Q>>: RunQueryDsl<C> + for<'q> LoadQuery<'q, C, U>,
    {
        Batches {
            session: self,
            query,
            size: batch_size.max(1) as i64,
            offset: 0,
            done: false,
            rows: std::marker::PhantomData,
        }
    }

    /// One page of `query` in the order `order`, with the total count of its
    /// rows (Flask-SQLAlchemy's `paginate`): page numbers start at 1. Two
    /// queries: the page (`LIMIT`/`OFFSET`) and `SELECT COUNT(*)` over
    /// `query`, which must not be ordered itself.
    pub fn paginate<Q, O, U>(&mut self, query: Q, order: O, page: i64, per_page: i64) -> Result<Page<U>>
    where
        O: diesel::Expression,
        Q: Clone
            + diesel::query_dsl::methods::OrderDsl<O>
            + diesel::query_dsl::methods::SelectDsl<diesel::dsl::CountStar>,
        diesel::dsl::Order<Q, O>: LimitDsl,
        Limit<diesel::dsl::Order<Q, O>>: OffsetDsl,
        Offset<Limit<diesel::dsl::Order<Q, O>>>: RunQueryDsl<C> + for<'q> LoadQuery<'q, C, U>,
        diesel::dsl::Select<Q, diesel::dsl::CountStar>: RunQueryDsl<C> + for<'q> LoadQuery<'q, C, i64>,
    {
        let page = page.max(1);
        let per_page = per_page.max(1);
        let total: i64 = query.clone().select(diesel::dsl::count_star()).get_result(&mut *self.conn)?;
        let items: Vec<U> = query.order(order).limit(per_page).offset((page - 1) * per_page).load(&mut *self.conn)?;
        Ok(Page { items, page, per_page, total })
    }

    /// Inserts `rows` into `table` in as few statements as the backend
    /// allows (SQLAlchemy's `insert(table).values([...])`): multi-row
    /// `INSERT`s, each as many rows as the backend's limit of bind
    /// parameters allows for the table's number of columns. Returns the
    /// number of rows inserted.
    ///
    /// Rows that leave exactly the database-filled columns unset (`None` in
    /// the `New*` fields of the generated key and of server defaults) go in
    /// naming only the other columns. Otherwise, on SQLite, which cannot
    /// write `DEFAULT` inside `VALUES`, the rows are grouped by the columns
    /// they set, one statement per group and chunk, so rows setting
    /// different columns go in a different order than given. More than one
    /// statement runs in a transaction: all rows or none.
    ///
    /// Values a backend would not store as given (a NaN float on SQLite,
    /// a leap second) are refused before anything is written, as a flush
    /// refuses them.
    pub fn insert_all<N>(&mut self, table: <N::Model as Model>::Table, rows: &[N]) -> Result<usize>
    where
        N: FlushRows<C>,
    {
        let _ = table;
        if let Some(why) = rows.iter().find_map(|row| row.refused_value(C::BACKEND)) {
            return Err(Error::Data(crate::error::DataError { refused_by_quarry: true, message: why }));
        }
        let size = insert::rows_per_statement(C::MAX_BIND_PARAMETERS, N::binds_per_row(rows));
        let insert = |conn: &mut C| {
            rows.chunks(size).map(|chunk| N::insert_rows(chunk, conn)).sum::<diesel::QueryResult<usize>>()
        };
        // More than one statement (several chunks; on SQLite, perhaps
        // several groups) runs in a transaction: all rows or none. One
        // statement is atomic by itself.
        if rows.len() <= size && N::same_columns(rows) {
            return Ok(insert(&mut self.conn)?);
        }
        self.transaction(|s| Ok(insert(&mut s.conn)?))
    }

    /// Queues a new row (SQLAlchemy's `add`); the next [`flush`](Self::flush)
    /// or commit writes it. The returned handle relates it to other queued
    /// rows and reads its key after the flush.
    pub fn add<N>(&mut self, row: N) -> Pending<N::Model>
    where
        N: FlushRows<C>,
    {
        self.queue.push([None, None], unit_of_work::Source::Ready(row))
    }

    /// Queues many new rows of one table.
    pub fn add_all<N>(&mut self, rows: impl IntoIterator<Item = N>) -> Vec<Pending<N::Model>>
    where
        N: FlushRows<C>,
    {
        self.queue.push_all(rows)
    }

    /// Queues a new row related to `parent` through a `has_many` or
    /// `has_one` relation of the parent (`Author::ARTICLES`). `child` builds
    /// the row from the parent's key, which a queued parent has only once
    /// the flush wrote it; the flush writes the parent first, and the
    /// child's foreign key is the parent's key whatever `child` put there.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = session();
    /// # let root = session.add(NewCategory::new("root"));
    /// let ada = session.add(NewAuthor::new("Ada"));
    /// session.add_child(ada, Author::ARTICLES, |author_id| NewArticle::new("Notes", author_id))?;
    /// session.add_child(root, Category::CHILDREN, |_| NewCategory::new("Books"))?; // a nullable key needs nothing
    /// # session.flush()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_child<P, M, V, N>(
        &mut self,
        parent: impl Into<RowRef<P>>,
        relation: Relation<P, M, V, N>,
        child: impl FnOnce(P::Key) -> M::New + Send + 'static,
    ) -> Result<Pending<M>>
    where
        P: Model,
        M: Model,
        M::New: FlushRows<C>,
        N: crate::relation::kind::Children,
    {
        let set = relation.child_setter().ok_or_else(|| relation.wrong_kind("add_child", "a has_many or has_one"))?;
        let parent = parent.into();
        self.queue.check_needs(&parent)?;
        Ok(match parent {
            RowRef::Pending(parent) => self.queue.push_waiting(child, parent, set, unit_of_work::built),
            RowRef::Existing(key) => {
                let mut row = child(key.clone());
                set(&mut row, &key);
                self.queue.push([None, None], unit_of_work::Source::Ready(row))
            }
        })
    }

    /// Queues a new row whose `belongs_to` relation (`Article::AUTHOR`)
    /// points at `parent`, queued or existing.
    pub fn add_with_parent<M, P, V, N>(
        &mut self,
        row: M::New,
        relation: Relation<M, P, V, N>,
        parent: impl Into<RowRef<P>>,
    ) -> Result<Pending<M>>
    where
        P: Model,
        M: Model,
        M::New: FlushRows<C>,
        N: crate::relation::kind::Parent,
    {
        let set = relation.parent_setter().ok_or_else(|| relation.wrong_kind("add_with_parent", "a belongs_to"))?;
        let parent = parent.into();
        self.queue.check_needs(&parent)?;
        Ok(match parent {
            RowRef::Pending(parent) => self.queue.push_waiting(row, parent, set, unit_of_work::given),
            RowRef::Existing(key) => {
                let mut row = row;
                set(&mut row, &key);
                self.queue.push([None, None], unit_of_work::Source::Ready(row))
            }
        })
    }

    /// Queues an association row linking `a` and `b` through a
    /// `many_to_many` relation (`Article::TAGS`); either side may be queued
    /// or existing.
    pub fn link<A, B, V, N>(
        &mut self,
        a: impl Into<RowRef<A>>,
        relation: Relation<A, B, V, N>,
        b: impl Into<RowRef<B>>,
    ) -> Result<()>
    where
        A: Model,
        B: Model,
        V: FlushRows<C>,
        N: crate::relation::kind::Link,
    {
        let link = relation.linker().ok_or_else(|| relation.wrong_kind("link", "a many_to_many"))?;
        let (a, b) = (a.into(), b.into());
        self.queue.check_needs(&a)?;
        self.queue.check_needs(&b)?;
        let needs = [unit_of_work::slot_of(&a), unit_of_work::slot_of(&b)];
        self.queue.push(needs, unit_of_work::linking(a, b, link));
        Ok(())
    }

    /// Writes every queued row: tables in foreign-key order (parents
    /// first, trees level by level), one multi-row `INSERT` per table and
    /// level, chunked under the backend's bind limit for the table's number
    /// of columns, keys handed from parents to children. Runs in the open
    /// transaction (as a savepoint, when it takes more than one statement)
    /// or in a transaction of its own: a flush that fails writes nothing,
    /// and its queued rows are discarded.
    ///
    /// The result holds the key of every row written, so every `INSERT`
    /// reads its keys back (`RETURNING`, or `LAST_INSERT_ID()` on
    /// MySQL/MariaDB). The flush that [`commit`](Self::commit) runs returns
    /// nothing: it reads back only the keys other queued rows need.
    pub fn flush(&mut self) -> Result<Flushed> {
        self.write_queue(true, false)
    }

    /// Writes the queue: see [`flush`](Self::flush). With `all_keys`, every
    /// row's key is read back. `in_caller_transaction`: the caller rolls
    /// back the open transaction if the flush fails, so the flush needs no
    /// savepoint of its own.
    fn write_queue(&mut self, all_keys: bool, in_caller_transaction: bool) -> Result<Flushed> {
        if self.queue.is_empty() {
            return Ok(Flushed::default());
        }
        self.fire(Event::BeforeFlush);
        let queue = self.queue.take();
        let max_binds = C::MAX_BIND_PARAMETERS;
        let flushed = if in_caller_transaction || queue.is_one_statement(max_binds) {
            queue.flush(&mut self.conn, max_binds, all_keys)
        } else {
            self.transaction(|s| queue.flush(&mut s.conn, max_binds, all_keys))
        };
        if flushed.is_ok() {
            self.fire(Event::AfterFlush);
        }
        flushed
    }

    /// `UPDATE … SET … WHERE … RETURNING`: applies `changes` to the rows
    /// `target` (`table.filter(...)`) matches and returns them as changed.
    /// MySQL/MariaDB have no `RETURNING`: there the matched rows are locked
    /// (`SELECT … FOR UPDATE`), updated, and read back by key, in one
    /// transaction.
    pub fn update_returning<T, V, M>(&mut self, target: T, changes: V) -> Result<Vec<M>>
    where
        T: UpdateReturning<C, V, M>,
    {
        Ok(target.update_returning(changes, &mut self.conn)?)
    }

    /// `DELETE … WHERE … RETURNING`: deletes the rows `target` matches and
    /// returns them as they were (on MySQL/MariaDB: locked and read first,
    /// in one transaction).
    pub fn delete_returning<T, M>(&mut self, target: T) -> Result<Vec<M>>
    where
        T: DeleteReturning<C, M>,
    {
        Ok(target.delete_returning(&mut self.conn)?)
    }

    /// Reloads `row` from the database by its primary key (SQLAlchemy's
    /// `refresh`): [`Error::NotFound`] if it is gone.
    pub fn refresh<'q, M>(&mut self, row: &mut M) -> Result<()>
    where
        M: Model,
        M::Table: FindDsl<M::Key>,
        Find<M::Table, M::Key>: LimitDsl,
        Limit<Find<M::Table, M::Key>>: RunQueryDsl<C> + LoadQuery<'q, C, M>,
    {
        *row = self.get(M::Table::default(), row.key())?.ok_or(Error::NotFound)?;
        Ok(())
    }

    /// Runs an insert, update or delete; returns the rows affected.
    pub fn execute<Q>(&mut self, query: Q) -> Result<usize>
    where
        Q: RunQueryDsl<C> + ExecuteDsl<C>,
    {
        Ok(query.execute(&mut *self.conn)?)
    }

    fn run_after_end(&mut self) {
        for sql in std::mem::take(&mut self.after_end) {
            let _ = self.conn.batch_execute(&sql);
        }
    }
}

/// Fires `event` to the engine's listeners, then the session's.
fn fire(shared: &Shared, listeners: &[(EventKind, crate::engine::Listener)], event: Event) {
    shared.listeners.fire(event);
    for (_, listener) in listeners.iter().filter(|(kind, _)| *kind == event.kind()) {
        listener(event);
    }
}

impl<C: EngineConnection> Drop for Session<C> {
    fn drop(&mut self) {
        // A pooled connection must go back without an open transaction.
        while self.depth() > 0 {
            if self.rollback().is_err() {
                break;
            }
        }
    }
}

/// Batches of a query's rows: see [`Session::batches`].
pub struct Batches<'s, C: EngineConnection, Q, U> {
    session: &'s mut Session<C>,
    query: Q,
    size: i64,
    offset: i64,
    done: bool,
    rows: std::marker::PhantomData<fn() -> U>,
}

impl<C, Q, U> Iterator for Batches<'_, C, Q, U>
where
    C: EngineConnection,
    Q: Clone + LimitDsl,
    Limit<Q>: OffsetDsl,
    Offset<Limit<Q>>: RunQueryDsl<C> + for<'q> LoadQuery<'q, C, U>,
{
    type Item = Result<Vec<U>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let page = self.query.clone().limit(self.size).offset(self.offset);
        match page.load::<U>(&mut *self.session.conn) {
            Ok(rows) => {
                self.offset += rows.len() as i64;
                self.done = (rows.len() as i64) < self.size;
                (!rows.is_empty()).then_some(Ok(rows))
            }
            Err(error) => {
                self.done = true;
                Some(Err(error.into()))
            }
        }
    }
}

/// One page of rows and where it sits: see [`Session::paginate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// The page number, from 1.
    pub page: i64,
    pub per_page: i64,
    /// Rows in all pages.
    pub total: i64,
}

impl<T> Page<T> {
    /// How many pages there are.
    pub fn pages(&self) -> i64 {
        (self.total + self.per_page - 1) / self.per_page
    }

    /// Whether a page follows this one.
    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }
}

/// A session moves between threads (an async runtime's blocking pool
/// runs it), so it must stay `Send`.
#[allow(dead_code)]
fn session_is_send<C: EngineConnection + Send>(session: Session<C>) -> impl Send {
    session
}
