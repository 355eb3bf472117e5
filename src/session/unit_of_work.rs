//! The unit of work: rows queued with `add`, related with `add_child` and
//! `link`, written by `flush` parents first, one multi-row INSERT per table.

use std::any::{Any, TypeId};
use std::marker::PhantomData;

use crate::error::{DataError, Error, FlushProblem, Result};
use crate::metadata::app;
use crate::model::{FlushRows, Model};

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
        write!(f, "Pending<{}>#{}", M::meta().name, self.slot)
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
        let rows = self.keys.resolved.iter().filter(|r| **r).count();
        f.debug_struct("Flushed").field("rows", &rows).finish()
    }
}

/// Where a queued row sits: its bucket, and its index there.
#[derive(Clone, Copy)]
struct Place {
    bucket: u32,
    index: u32,
}

/// Keys by slot, as the flush learns them. Slots are numbered densely from
/// `first_slot`, so every lookup is an index: a slot's place, then the
/// typed key list of its bucket (`Vec<Option<M::Key>>`, by index).
#[derive(Default)]
pub(crate) struct Keys {
    first_slot: usize,
    places: Vec<Place>,
    /// Whether a slot's row has been written with its key.
    resolved: Vec<bool>,
    by_bucket: Vec<Option<Box<dyn Any + Send>>>,
}

impl Keys {
    fn offset(&self, slot: usize) -> Option<usize> {
        slot.checked_sub(self.first_slot).filter(|&offset| offset < self.places.len())
    }

    fn get<M: Model>(&self, slot: usize) -> Option<&M::Key> {
        let place = self.places[self.offset(slot)?];
        self.list::<M>(place.bucket)?.get(place.index as usize)?.as_ref()
    }

    /// The keys learnt for the rows of `bucket`, by index.
    fn list<M: Model>(&self, bucket: u32) -> Option<&Vec<Option<M::Key>>> {
        self.by_bucket.get(bucket as usize)?.as_ref()?.downcast_ref()
    }

    fn resolve<M: Model>(&self, row: &RowRef<M>) -> Option<M::Key> {
        match row {
            RowRef::Pending(p) => self.get::<M>(p.slot).cloned(),
            RowRef::Existing(key) => Some(key.clone()),
        }
    }

    /// The key list of `bucket`, made on first use.
    fn of_bucket<M: Model>(&mut self, bucket: usize, rows: usize) -> &mut Vec<Option<M::Key>> {
        if self.by_bucket.len() <= bucket {
            self.by_bucket.resize_with(bucket + 1, || None);
        }
        self.by_bucket[bucket]
            .get_or_insert_with(|| Box::new((0..rows).map(|_| None).collect::<Vec<Option<M::Key>>>()))
            .downcast_mut()
            .expect("one key list per bucket")
    }
}

/// Builds a queued row once the keys it needs are known.
pub(crate) type Build<N> = Box<dyn FnOnce(&Keys) -> Option<N> + Send>;

/// A queued row: ready, or built once the keys it needs are known. (Rows
/// waiting for one parent's key are queued through
/// [`Queue::push_waiting`] instead, in groups.)
pub(crate) enum Source<N> {
    Ready(N),
    Deferred(Build<N>),
}

/// The slots whose keys a row needs: none, one parent, or the two sides
/// of a link.
pub(crate) type Needs = [Option<usize>; 2];

/// Where a queued row's makings are held in its bucket: each kind in a
/// list of its own, so that an entry stays small whatever the row's size.
#[derive(Clone, Copy)]
enum Held {
    Ready(u32),
    Deferred(u32),
    Waiting { group: u32, index: u32 },
}

/// A queued row, a few words whatever the row's size: its slot and the
/// slots whose keys it needs, as offsets from the queue's first slot
/// (`NO_SLOT` for none), and where its makings are held.
struct Entry {
    offset: u32,
    needs: [u32; 2],
    held: Held,
}

/// An empty place in `Entry::needs`.
const NO_SLOT: u32 = u32::MAX;

/// A slot's offset in the queue, as an `Entry` holds it.
fn offset_u32(offset: usize) -> u32 {
    u32::try_from(offset).ok().filter(|&o| o != NO_SLOT).expect("fewer than 2^32 - 1 rows queued at once")
}

/// How a bucket writes its rows.
struct Write<'k> {
    bucket: usize,
    keys: &'k mut Keys,
    /// The backend's limit of bind parameters per statement.
    max_binds: usize,
    /// Whether the caller can read every key (an explicit `flush`); if not,
    /// keys are read back only for rows other rows need.
    all_keys: bool,
    /// By slot offset: whether another queued row needs this row's key.
    needed: &'k [bool],
}

/// The queued rows of one table.
trait Bucket<C> {
    fn model(&self) -> &'static app::Model;
    fn as_any(&mut self) -> &mut dyn Any;
    /// Inserts every row, in rounds when rows of this table wait for other
    /// rows of it; returns how many rows were written.
    fn flush(&mut self, conn: &mut C, write: Write<'_>) -> Result<usize>;
    fn pending(&self) -> usize;
    /// Whether any row waits for another row's key.
    fn has_needs(&self) -> bool;
}

struct TypedBucket<N> {
    entries: Vec<Entry>,
    /// Rows given whole, and rows built by a closure once the keys they
    /// need are known; each taken when the row is written.
    ready: Vec<Option<N>>,
    deferred: Vec<Option<Build<N>>>,
    /// Rows waiting for a parent's key, one group per kind of wait (see
    /// [`Waiting`]).
    groups: Vec<(TypeId, Box<dyn Group<N> + Send>)>,
    /// Whether any row waits for another row's key.
    has_needs: bool,
    /// Whether any row waits for the key of another row of this bucket.
    needs_own_rows: bool,
    /// Whether entry `i` is item `i` of the first waiting group, for every
    /// entry: the rows are then built in one pass over that group.
    one_group: bool,
}

impl<C, N> Bucket<C> for TypedBucket<N>
where
    C: crate::engine::EngineConnection,
    N: FlushRows<C>,
{
    fn model(&self) -> &'static app::Model {
        <N::Model as Model>::meta()
    }

    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn pending(&self) -> usize {
        self.entries.len()
    }

    fn has_needs(&self) -> bool {
        self.has_needs
    }

    fn flush(&mut self, conn: &mut C, write: Write<'_>) -> Result<usize> {
        let table = &N::Model::meta().table;
        if !self.needs_own_rows {
            // Every row is ready: one round, in queue order.
            let rows = if self.one_group && !self.groups.is_empty() {
                self.build_group::<C>(write.keys)?
            } else {
                (0..self.entries.len()).map(|index| self.build::<C>(index, write.keys)).collect::<Result<Vec<N>>>()?
            };
            let ready: Vec<u32> = (0..rows.len() as u32).collect();
            self.insert(&ready, &rows, conn, write)?;
            return Ok(self.entries.len());
        }
        // Rounds: a row referencing another row of the same table (a tree)
        // waits for its parent's key. Rows of other tables were written
        // before this one.
        let mut waiting: Vec<u32> = (0..self.entries.len() as u32).collect();
        while !waiting.is_empty() {
            let mut ready = Vec::with_capacity(waiting.len());
            let mut rows = Vec::with_capacity(waiting.len());
            let mut still = Vec::new();
            for index in waiting {
                let needs = self.entries[index as usize].needs;
                if !needs.iter().filter(|&&n| n != NO_SLOT).all(|&n| write.keys.resolved[n as usize]) {
                    still.push(index);
                    continue;
                }
                rows.push(self.build::<C>(index as usize, write.keys)?);
                ready.push(index);
            }
            if ready.is_empty() {
                return Err(Error::Flush { table, problem: FlushProblem::Cycle });
            }
            waiting = still;
            self.insert(&ready, &rows, conn, Write { keys: &mut *write.keys, ..write })?;
        }
        Ok(self.entries.len())
    }
}

impl<N> TypedBucket<N> {
    /// The row of entry `index`, made now if it waited for keys, and
    /// checked for values the backend would not store as given.
    fn build<C>(&mut self, index: usize, keys: &Keys) -> Result<N>
    where
        C: crate::engine::EngineConnection,
        N: FlushRows<C>,
    {
        let table = &N::Model::meta().table;
        let unknown = || Error::Flush { table, problem: FlushProblem::UnknownRelatedRow };
        const ONCE: &str = "each row is written once";
        let row = match self.entries[index].held {
            Held::Ready(i) => self.ready[i as usize].take().expect(ONCE),
            Held::Deferred(i) => self.deferred[i as usize].take().expect(ONCE)(keys).ok_or_else(unknown)?,
            Held::Waiting { group, index } => self.groups[group as usize].1.build(index, keys).ok_or_else(unknown)?,
        };
        if let Some(why) = row.refused_value(C::BACKEND) {
            return Err(Error::Data(DataError { refused_by_quarry: true, message: why }));
        }
        Ok(row)
    }

    /// Every row at once, from the one waiting group that holds them in
    /// entry order; the group's storage is freed before the rows are
    /// inserted.
    fn build_group<C>(&mut self, keys: &Keys) -> Result<Vec<N>>
    where
        C: crate::engine::EngineConnection,
        N: FlushRows<C>,
    {
        let table = &N::Model::meta().table;
        let mut rows = Vec::with_capacity(self.entries.len());
        if self.groups[0].1.build_all(keys, &mut rows).is_none() {
            return Err(Error::Flush { table, problem: FlushProblem::UnknownRelatedRow });
        }
        self.groups.clear();
        if let Some(why) = rows.iter().find_map(|row| row.refused_value(C::BACKEND)) {
            return Err(Error::Data(DataError { refused_by_quarry: true, message: why }));
        }
        Ok(rows)
    }

    /// Records `entry`, the bucket's next row, and what it waits for;
    /// returns its index.
    fn push_entry(&mut self, entry: Entry, has_needs: bool, needs_own_rows: bool) -> u32 {
        let index = self.entries.len() as u32;
        self.has_needs |= has_needs;
        self.needs_own_rows |= needs_own_rows;
        self.one_group &= matches!(entry.held, Held::Waiting { group: 0, index: i } if i == index);
        self.entries.push(entry);
        index
    }

    /// Inserts `rows`, the rows of entries `ready`, in statements under the
    /// bind limit, reading back the keys the caller or other rows need.
    fn insert<C>(&self, ready: &[u32], rows: &[N], conn: &mut C, write: Write<'_>) -> Result<()>
    where
        C: crate::engine::EngineConnection,
        N: FlushRows<C>,
    {
        let table = &N::Model::meta().table;
        let Write { bucket, keys, all_keys, needed, max_binds } = write;
        let size = super::insert::rows_per_statement(max_binds, N::binds_per_row(rows));
        let offset = |index: &u32| self.entries[*index as usize].offset as usize;
        for (indexes, chunk) in ready.chunks(size).zip(rows.chunks(size)) {
            if !all_keys && !indexes.iter().any(|index| needed[offset(index)]) {
                N::insert_rows(chunk, conn)?;
                continue;
            }
            let found = N::insert_keys(chunk, conn)?;
            if found.len() != indexes.len() {
                let problem = FlushProblem::MissingKeys { inserted: indexes.len(), returned: found.len() };
                return Err(Error::Flush { table, problem });
            }
            for index in indexes {
                keys.resolved[offset(index)] = true;
            }
            let list = keys.of_bucket::<N::Model>(bucket, self.entries.len());
            for (&index, key) in indexes.iter().zip(found) {
                list[index as usize] = Some(key);
            }
        }
        Ok(())
    }
}

/// Everything a session has queued and not yet flushed.
pub(crate) struct Queue<C> {
    buckets: Vec<Box<dyn Bucket<C> + Send>>,
    /// Each row type's bucket (a few types: a list beats a hash map).
    by_type: Vec<(TypeId, usize)>,
    /// By slot offset: each row's place.
    places: Vec<Place>,
    /// By slot offset: whether another row needs this row's key.
    needed: Vec<bool>,
    next_slot: usize,
    /// The first slot of what is queued now: a `Pending` below it was
    /// flushed (or discarded) already.
    first_slot: usize,
}

impl<C> Default for Queue<C> {
    fn default() -> Self {
        Queue {
            buckets: Vec::new(),
            by_type: Vec::new(),
            places: Vec::new(),
            needed: Vec::new(),
            next_slot: 0,
            first_slot: 0,
        }
    }
}

impl<C: crate::engine::EngineConnection> Queue<C> {
    pub(crate) fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Everything queued, to flush; what stays behind starts empty and
    /// goes on numbering slots after the taken ones, so a `Pending` of the
    /// taken rows never names a row queued later.
    pub(crate) fn take(&mut self) -> Queue<C> {
        let next_slot = self.next_slot;
        std::mem::replace(self, Queue { next_slot, first_slot: next_slot, ..Queue::default() })
    }

    /// Refuses a row that waits for a `Pending` of an earlier flush: that
    /// handle's key is in the earlier flush's `Flushed`, and waiting for it
    /// here would wait forever.
    pub(crate) fn check_needs<M: Model>(&self, row: &RowRef<M>) -> Result<()> {
        match slot_of(row) {
            Some(slot) if slot < self.first_slot => Err(crate::Error::FlushedPending { model: &M::meta().name, slot }),
            _ => Ok(()),
        }
    }

    fn bucket_index<N: FlushRows<C>>(&mut self) -> usize {
        let id = TypeId::of::<N>();
        if let Some(&(_, index)) = self.by_type.iter().find(|(type_id, _)| *type_id == id) {
            return index;
        }
        self.buckets.push(Box::new(TypedBucket::<N> {
            entries: Vec::new(),
            ready: Vec::new(),
            deferred: Vec::new(),
            groups: Vec::new(),
            has_needs: false,
            needs_own_rows: false,
            one_group: true,
        }));
        let index = self.buckets.len() - 1;
        self.by_type.push((id, index));
        index
    }

    /// Queues a row built at flush time from the keys of `needs`.
    pub(crate) fn push<N: FlushRows<C>>(&mut self, needs: Needs, source: Source<N>) -> Pending<N::Model> {
        let bucket = self.bucket_index::<N>();
        let typed = self.buckets[bucket].as_any().downcast_mut::<TypedBucket<N>>().expect("one bucket per row type");
        let held = match source {
            Source::Ready(row) => {
                typed.ready.push(Some(row));
                Held::Ready(typed.ready.len() as u32 - 1)
            }
            Source::Deferred(build) => {
                typed.deferred.push(Some(build));
                Held::Deferred(typed.deferred.len() as u32 - 1)
            }
        };
        self.push_held::<N>(bucket, needs, held)
    }

    /// Queues rows given whole, all of one table: [`push`](Self::push) for
    /// each, with the bucket found once and room made for the iterator's
    /// known length.
    pub(crate) fn push_all<N: FlushRows<C>>(&mut self, rows: impl IntoIterator<Item = N>) -> Vec<Pending<N::Model>> {
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            // No bucket for no rows: a flush of one other table stays one statement.
            return Vec::new();
        }
        let bucket = self.bucket_index::<N>();
        let typed = self.buckets[bucket].as_any().downcast_mut::<TypedBucket<N>>().expect("one bucket per row type");
        let expected = rows.size_hint().0;
        typed.ready.reserve(expected);
        typed.entries.reserve(expected);
        self.places.reserve(expected);
        self.needed.reserve(expected);
        let mut pending = Vec::with_capacity(expected);
        for row in rows {
            let slot = self.next_slot;
            self.next_slot += 1;
            typed.ready.push(Some(row));
            let held = Held::Ready(typed.ready.len() as u32 - 1);
            let entry = Entry { offset: offset_u32(slot - self.first_slot), needs: [NO_SLOT; 2], held };
            let index = typed.push_entry(entry, false, false);
            self.places.push(Place { bucket: bucket as u32, index });
            self.needed.push(false);
            pending.push(Pending { slot, _model: PhantomData });
        }
        pending
    }

    /// Records a row of bucket `bucket`, `N`'s, whose makings the bucket
    /// holds as `held`: its slot, its place, and the slots it needs.
    fn push_held<N: FlushRows<C>>(&mut self, bucket: usize, needs: Needs, held: Held) -> Pending<N::Model> {
        let slot = self.next_slot;
        self.next_slot += 1;
        let mut needs_own_rows = false;
        let mut offsets = [NO_SLOT; 2];
        for (&need, offset) in needs.iter().zip(&mut offsets) {
            if let Some(need) = need {
                let need = need - self.first_slot;
                self.needed[need] = true;
                needs_own_rows |= self.places[need].bucket as usize == bucket;
                *offset = offset_u32(need);
            }
        }
        let entry = Entry { offset: offset_u32(slot - self.first_slot), needs: offsets, held };
        let typed = self.buckets[bucket].as_any().downcast_mut::<TypedBucket<N>>().expect("one bucket per row type");
        let index = typed.push_entry(entry, needs.iter().any(Option::is_some), needs_own_rows);
        self.places.push(Place { bucket: bucket as u32, index });
        self.needed.push(false);
        Pending { slot, _model: PhantomData }
    }

    /// Queues a row made at flush time from `item` and the key of the
    /// pending row `parent` (`make`), with its foreign key then set by
    /// `set`. Rows that wait the same way (the same item type and parent
    /// model) share one group, so that queueing one allocates nothing of
    /// its own.
    pub(crate) fn push_waiting<N, T, P>(
        &mut self,
        item: T,
        parent: Pending<P>,
        set: fn(&mut N, &P::Key),
        make: fn(T, P::Key) -> N,
    ) -> Pending<N::Model>
    where
        N: FlushRows<C>,
        T: Send + 'static,
        P: Model,
    {
        let bucket = self.bucket_index::<N>();
        let typed = self.buckets[bucket].as_any().downcast_mut::<TypedBucket<N>>().expect("one bucket per row type");
        let id = TypeId::of::<Waiting<T, P, N>>();
        let group = match typed.groups.iter().position(|(group_id, _)| *group_id == id) {
            Some(group) => group,
            None => {
                typed.groups.push((id, Box::new(Waiting::<T, P, N> { items: Vec::new(), make })));
                typed.groups.len() - 1
            }
        };
        let waiting = typed.groups[group].1.as_any().downcast_mut::<Waiting<T, P, N>>().expect("one group per kind");
        let index = waiting.items.len();
        waiting.items.push(Some((item, parent, set)));
        self.push_held::<N>(
            bucket,
            [Some(parent.slot), None],
            Held::Waiting { group: group as u32, index: index as u32 },
        )
    }

    /// Whether the flush is one INSERT: one table, no row waiting for
    /// another, few enough rows for one statement. One statement is atomic
    /// by itself and needs no savepoint around it.
    pub(crate) fn is_one_statement(&self, max_binds: usize) -> bool {
        match self.buckets.as_slice() {
            [bucket] => {
                let size = super::insert::rows_per_statement(max_binds, bucket.model().fields.len());
                bucket.pending() <= size && !bucket.has_needs()
            }
            _ => false,
        }
    }

    /// Writes every queued row, parent tables first. With `all_keys`, the
    /// result holds every row's key; without, only those rows needed.
    pub(crate) fn flush(mut self, conn: &mut C, max_binds: usize, all_keys: bool) -> Result<Flushed> {
        let mut keys = Keys {
            first_slot: self.first_slot,
            resolved: vec![false; self.places.len()],
            places: std::mem::take(&mut self.places),
            by_bucket: Vec::new(),
        };
        for index in self.order() {
            let write = Write { bucket: index, keys: &mut keys, max_binds, all_keys, needed: &self.needed };
            self.buckets[index].flush(conn, write)?;
        }
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

/// What a waiting row is made from, its parent, and the function setting
/// its foreign key.
type WaitingRow<T, P, N> = (T, Pending<P>, fn(&mut N, &<P as Model>::Key));

/// Rows of one table waiting for a parent's key, built at flush time.
trait Group<N> {
    fn as_any(&mut self) -> &mut dyn Any;
    /// Item `index`, made from its parent's key, with its foreign key set;
    /// `None` when that key is unknown.
    fn build(&mut self, index: u32, keys: &Keys) -> Option<N>;
    /// Every item, in order, onto `rows`; `None` when a key is unknown.
    fn build_all(&mut self, keys: &Keys, rows: &mut Vec<N>) -> Option<()>;
}

/// The rows queued by one kind of wait: what each row is made from (`T`:
/// the row itself, or the closure that makes it), its pending parent of
/// model `P`, and the function setting its foreign key.
struct Waiting<T, P: Model, N> {
    items: Vec<Option<WaitingRow<T, P, N>>>,
    make: fn(T, P::Key) -> N,
}

impl<T: 'static, P: Model, N: 'static> Group<N> for Waiting<T, P, N> {
    fn as_any(&mut self) -> &mut dyn Any {
        self
    }

    fn build(&mut self, index: u32, keys: &Keys) -> Option<N> {
        let (item, parent, set) = self.items.get_mut(index as usize)?.take()?;
        let key = keys.get::<P>(parent.slot)?.clone();
        let mut row = (self.make)(item, key.clone());
        set(&mut row, &key);
        Some(row)
    }

    fn build_all(&mut self, keys: &Keys, rows: &mut Vec<N>) -> Option<()> {
        // Parents mostly sit in one bucket: its key list is looked up once.
        let mut parents: Option<(u32, &Vec<Option<P::Key>>)> = None;
        for waiting in std::mem::take(&mut self.items) {
            let (item, parent, set) = waiting?;
            let place = keys.places[keys.offset(parent.slot)?];
            let list = match parents {
                Some((bucket, list)) if bucket == place.bucket => list,
                _ => parents.insert((place.bucket, keys.list::<P>(place.bucket)?)).1,
            };
            let key = list.get(place.index as usize)?.as_ref()?;
            let mut row = (self.make)(item, key.clone());
            set(&mut row, key);
            rows.push(row);
        }
        Some(())
    }
}

/// `make` for a row given whole: the row.
pub(crate) fn given<N, K>(row: N, _key: K) -> N {
    row
}

/// `make` for a row built by a closure from its parent's key.
pub(crate) fn built<N, K, F: FnOnce(K) -> N>(build: F, key: K) -> N {
    build(key)
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
