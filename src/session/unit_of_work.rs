//! The unit of work: rows queued with `add`, related with `add_child` and
//! `link`, written by `flush` parents first, one multi-row INSERT per table.

use std::any::{Any, TypeId};
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;

use crate::error::{DataError, Error, FlushProblem, Result};
use crate::metadata::app;
use crate::model::{FlushRows, Model, NewRow};

/// A row queued in a session, written at the next flush. `Copy`: hand it
/// to as many children and links as need it.
pub struct Pending<M: Model> {
    slot: usize,
    _model: PhantomData<fn() -> M>,
}

impl<M: Model> Clone for Pending<M> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<M: Model> Copy for Pending<M> {}

impl<M: Model> std::fmt::Debug for Pending<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pending<{}>#{}", M::MODEL.name, self.slot)
    }
}

/// A row a relation points at: one queued in this session, or one already
/// in the database, by key.
pub enum RowRef<M: Model> {
    Pending(Pending<M>),
    Existing(M::Key),
}

impl<M: Model> From<Pending<M>> for RowRef<M> {
    fn from(pending: Pending<M>) -> Self {
        RowRef::Pending(pending)
    }
}

impl<M: Model> From<&Pending<M>> for RowRef<M> {
    fn from(pending: &Pending<M>) -> Self {
        RowRef::Pending(*pending)
    }
}

impl<M: Model> RowRef<M> {
    /// A row that is already in the database.
    pub fn existing(key: M::Key) -> Self {
        RowRef::Existing(key)
    }
}

/// The keys the database gave the rows of a flush.
#[derive(Default)]
pub struct Flushed {
    keys: Keys,
}

impl Flushed {
    /// The primary key of a row written by this flush.
    pub fn key<M: Model>(&self, row: Pending<M>) -> Option<&M::Key> {
        self.keys.get::<M>(row.slot)
    }
}

impl std::fmt::Debug for Flushed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Flushed").field("rows", &self.keys.resolved.len()).finish()
    }
}

/// Keys by slot, as the flush learns them: one typed map per model.
#[derive(Default)]
pub(crate) struct Keys {
    by_model: HashMap<TypeId, Box<dyn Any>>,
    resolved: HashSet<usize>,
}

impl Keys {
    fn get<M: Model>(&self, slot: usize) -> Option<&M::Key> {
        self.by_model.get(&TypeId::of::<M>())?.downcast_ref::<HashMap<usize, M::Key>>()?.get(&slot)
    }

    fn insert<M: Model>(&mut self, slots: &[usize], keys: Vec<M::Key>) {
        let map = self
            .by_model
            .entry(TypeId::of::<M>())
            .or_insert_with(|| Box::new(HashMap::<usize, M::Key>::new()))
            .downcast_mut::<HashMap<usize, M::Key>>()
            .expect("one key map per model");
        self.resolved.extend(slots.iter().copied());
        map.extend(slots.iter().copied().zip(keys));
    }

    fn resolve<M: Model>(&self, row: &RowRef<M>) -> Option<M::Key> {
        match row {
            RowRef::Pending(p) => self.get::<M>(p.slot).cloned(),
            RowRef::Existing(key) => Some(key.clone()),
        }
    }
}

/// Builds a queued row once the keys it needs are known.
pub(crate) type Build<N> = Box<dyn FnOnce(&Keys) -> Option<N>>;

/// A queued row: ready, or built once the keys it needs are known.
pub(crate) enum Source<N> {
    Ready(N),
    Deferred(Build<N>),
}

struct Entry<N> {
    slot: usize,
    /// Slots whose keys this row needs.
    needs: Vec<usize>,
    source: Source<N>,
}

/// The queued rows of one table.
trait Bucket<C> {
    fn model(&self) -> &'static app::Model;
    fn as_any(&mut self) -> &mut dyn Any;
    /// Inserts every row whose needs are met, in rounds; returns how many
    /// rows were written.
    fn flush(&mut self, conn: &mut C, keys: &mut Keys, rows_per_statement: usize) -> Result<usize>;
    fn pending(&self) -> usize;
    /// Whether any row waits for another row's key.
    fn has_needs(&self) -> bool;
}

struct TypedBucket<N> {
    entries: Vec<Entry<N>>,
}

impl<C, N> Bucket<C> for TypedBucket<N>
where
    C: crate::engine::EngineConnection,
    N: FlushRows<C>,
{
    fn model(&self) -> &'static app::Model {
        <N::Model as Model>::MODEL
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn pending(&self) -> usize {
        self.entries.len()
    }

    fn has_needs(&self) -> bool {
        self.entries.iter().any(|e| !e.needs.is_empty())
    }

    fn flush(&mut self, conn: &mut C, keys: &mut Keys, rows_per_statement: usize) -> Result<usize> {
        let mut written = 0;
        // Rounds: a row referencing another row of the same table (a tree)
        // waits for its parent's key.
        while !self.entries.is_empty() {
            let (ready, waiting): (Vec<Entry<N>>, Vec<Entry<N>>) = std::mem::take(&mut self.entries)
                .into_iter()
                .partition(|e| e.needs.iter().all(|s| keys.resolved.contains(s)));
            self.entries = waiting;
            if ready.is_empty() {
                return Err(Error::Flush { table: &N::Model::MODEL.table, problem: FlushProblem::Cycle });
            }
            let mut slots = Vec::with_capacity(ready.len());
            let mut rows = Vec::with_capacity(ready.len());
            for entry in ready {
                let row = match entry.source {
                    Source::Ready(row) => row,
                    Source::Deferred(build) => build(keys).ok_or(Error::Flush {
                        table: &N::Model::MODEL.table,
                        problem: FlushProblem::UnknownRelatedRow,
                    })?,
                };
                if let Some(why) = row.refused_value(C::BACKEND) {
                    return Err(Error::Data(DataError { refused_by_quarry: true, message: why }));
                }
                slots.push(entry.slot);
                rows.push(row);
            }
            let mut rows = rows.into_iter();
            for slots in slots.chunks(rows_per_statement) {
                let chunk: Vec<N> = rows.by_ref().take(slots.len()).collect();
                let found = N::insert_keys(chunk, conn)?;
                if found.len() != slots.len() {
                    let problem = FlushProblem::MissingKeys { inserted: slots.len(), returned: found.len() };
                    return Err(Error::Flush { table: &N::Model::MODEL.table, problem });
                }
                keys.insert::<N::Model>(slots, found);
                written += slots.len();
            }
        }
        Ok(written)
    }
}

/// Everything a session has queued and not yet flushed.
pub(crate) struct Queue<C> {
    buckets: Vec<Box<dyn Bucket<C>>>,
    by_type: HashMap<TypeId, usize>,
    next_slot: usize,
    /// The first slot of what is queued now: a `Pending` below it was
    /// flushed (or discarded) already.
    first_slot: usize,
}

impl<C> Default for Queue<C> {
    fn default() -> Self {
        Queue { buckets: Vec::new(), by_type: HashMap::new(), next_slot: 0, first_slot: 0 }
    }
}

impl<C: crate::engine::EngineConnection> Queue<C> {
    pub(crate) fn is_empty(&self) -> bool {
        self.buckets.iter().all(|b| b.pending() == 0)
    }

    /// Everything queued, to flush; what stays behind starts empty and
    /// goes on numbering slots after the taken ones, so a `Pending` of the
    /// taken rows never names a row queued later.
    pub(crate) fn take(&mut self) -> Queue<C> {
        let next_slot = self.next_slot;
        std::mem::replace(self, Queue { next_slot, first_slot: next_slot, ..Queue::default() })
    }

    pub(crate) fn clear(&mut self) {
        self.buckets.clear();
        self.by_type.clear();
        self.first_slot = self.next_slot;
    }

    /// Refuses a row that waits for a `Pending` of an earlier flush: that
    /// handle's key is in the earlier flush's `Flushed`, and waiting for it
    /// here would wait forever.
    pub(crate) fn check_needs<M: Model>(&self, row: &RowRef<M>) -> Result<()> {
        match slot_of(row) {
            Some(slot) if slot < self.first_slot => Err(crate::Error::FlushedPending { model: &M::MODEL.name, slot }),
            _ => Ok(()),
        }
    }

    fn bucket<N: FlushRows<C>>(&mut self) -> &mut TypedBucket<N> {
        let index = *self.by_type.entry(TypeId::of::<N>()).or_insert_with(|| {
            self.buckets.push(Box::new(TypedBucket::<N> { entries: Vec::new() }));
            self.buckets.len() - 1
        });
        self.buckets[index].as_any().downcast_mut::<TypedBucket<N>>().expect("one bucket per row type")
    }

    /// Queues a row built at flush time from the keys of `needs`.
    pub(crate) fn push<N: FlushRows<C>>(&mut self, needs: Vec<usize>, source: Source<N>) -> Pending<N::Model> {
        let slot = self.next_slot;
        self.next_slot += 1;
        self.bucket::<N>().entries.push(Entry { slot, needs, source });
        Pending { slot, _model: PhantomData }
    }

    /// Whether the flush is one INSERT: one table, no row waiting for
    /// another, few enough rows for one statement. One statement is atomic
    /// by itself and needs no savepoint around it.
    pub(crate) fn is_one_statement(&self, rows_per_statement: usize) -> bool {
        let mut filled = self.buckets.iter().filter(|b| b.pending() > 0);
        match (filled.next(), filled.next()) {
            (Some(bucket), None) => bucket.pending() <= rows_per_statement && !bucket.has_needs(),
            _ => false,
        }
    }

    /// Writes every queued row, parent tables first.
    pub(crate) fn flush(&mut self, conn: &mut C, rows_per_statement: usize) -> Result<Flushed> {
        let mut keys = Keys::default();
        for index in self.order() {
            self.buckets[index].flush(conn, &mut keys, rows_per_statement)?;
        }
        self.clear();
        Ok(Flushed { keys })
    }

    /// Bucket indexes with referenced tables before referencing ones
    /// (self-references are handled inside a bucket, in rounds).
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.buckets.len()).collect();
        order.sort_by_key(|&i| self.buckets[i].model().rank);
        order
    }
}

/// The slot a row reference waits for, if it is pending.
pub(crate) fn slot_of<M: Model>(row: &RowRef<M>) -> Option<usize> {
    match row {
        RowRef::Pending(p) => Some(p.slot),
        RowRef::Existing(_) => None,
    }
}

/// A row whose foreign key is set from `parent`'s key.
pub(crate) fn with_parent_key<N, P>(mut row: N, parent: RowRef<P>, set: fn(&mut N, &P::Key)) -> Source<N>
where
    N: NewRow,
    P: Model,
{
    if let RowRef::Existing(key) = &parent {
        set(&mut row, key);
        return Source::Ready(row);
    }
    Source::Deferred(Box::new(move |keys: &Keys| {
        let key = keys.resolve(&parent)?;
        set(&mut row, &key);
        Some(row)
    }))
}

/// A row `build` makes from its parent's key, with its foreign key set to
/// that key.
pub(crate) fn built_from_parent_key<N, P>(
    build: impl FnOnce(P::Key) -> N + 'static,
    parent: RowRef<P>,
    set: fn(&mut N, &P::Key),
) -> Source<N>
where
    N: NewRow,
    P: Model,
{
    let make = move |key: P::Key| {
        let mut row = build(key.clone());
        set(&mut row, &key);
        row
    };
    if let RowRef::Existing(key) = parent {
        return Source::Ready(make(key));
    }
    Source::Deferred(Box::new(move |keys: &Keys| Some(make(keys.resolve(&parent)?))))
}

/// An association row linking two rows.
pub(crate) fn linking<V, A, B>(a: RowRef<A>, b: RowRef<B>, link: fn(&A::Key, &B::Key) -> V) -> Source<V>
where
    V: 'static,
    A: Model,
    B: Model,
{
    if let (RowRef::Existing(a), RowRef::Existing(b)) = (&a, &b) {
        return Source::Ready(link(a, b));
    }
    Source::Deferred(Box::new(move |keys: &Keys| Some(link(&keys.resolve(&a)?, &keys.resolve(&b)?))))
}
