//! Loading relations with the rows of a query, without N+1, typed.
//!
//! [`Session::load`] runs a query and then one `SELECT ... WHERE key IN
//! (...)` per relation and level (SQLAlchemy's `selectinload`), chunked under
//! the backend's bind limit. What was loaded is part of the returned type:
//! each row is a [`Loaded`] that derefs to the model and hands out exactly
//! the relations asked for, so reading one that was not loaded does not
//! compile (SQLAlchemy's `lazy="raise"`, moved to compile time).
//!
//! ```ignore
//! // (the demo schema's types; tests/integration/loading.rs runs this on every backend)
//! let authors = session.load(
//!     authors::table.order(authors::name),
//!     Author::ARTICLES.with((Article::TAGS, Article::COMMENTS)),
//! )?;                                                 // 4 statements, whatever the row count
//! for author in &authors {
//!     println!("{} has {} articles", author.name, author.get(Author::ARTICLES).len());
//!     for article in author.get(Author::ARTICLES) {
//!         let comments: &Vec<Loaded<Comment>> = article.get(Article::COMMENTS);
//!     }
//! }
//! // article.get(Article::AUTHOR) would not compile: not loaded.
//! ```
//!
//! [`Session::related`] loads one relation for rows already in hand, on
//! demand: one statement per call, so an N+1 loop is always visible.

use std::collections::HashMap;
use std::hash::Hash;
use std::marker::PhantomData;
use std::ops::Deref;

use diesel::query_dsl::methods::LoadQuery;
use diesel::RunQueryDsl;

use crate::engine::EngineConnection;
use crate::error::{Error, Result};
use crate::model::Model;
use crate::relation::Relation;
use crate::session::Session;

/// A relation the session can load: generated for every relation whose
/// foreign key is one column referencing the other table's primary key.
pub trait Relationship: Copy + 'static {
    /// The model the relation starts from.
    type From: Model;
    /// The related model.
    type To: Model + Clone;
    /// The value that joins the two: the parent's key, the child's foreign key.
    type Key: Eq + Hash + Clone + std::fmt::Debug;
    /// How many `To` rows each `From` row has: [`Many`], [`One`] or [`Optional`].
    type Cardinality: Cardinality;
    /// The relation's field name in the schema (also its key in JSON).
    const NAME: &'static str;

    /// The key of `row` that related rows match (`None`: a NULL foreign key).
    fn parent_key(row: &Self::From) -> Option<Self::Key>;
}

/// Loading the related rows of some keys on connection `C`: one
/// `SELECT ... WHERE key IN (keys)` (through the association table for a
/// many-to-many relation), in the relation's declared order, each row with
/// the key it matched.
pub trait LoadRows<C>: Relationship {
    #[doc(hidden)]
    fn load_rows(keys: Vec<Self::Key>, conn: &mut C) -> diesel::QueryResult<Vec<(Self::Key, Self::To)>>;
}

/// Related rows, each with the key it matched.
pub type KeyedRows<N> = Vec<(<N as Relationship>::Key, <N as Relationship>::To)>;

/// Loading the related rows of some keys that also satisfy a predicate
/// `P` on connection `C` (a relation's extra criteria, SQLAlchemy's
/// `selectinload(A.b.and_(...))`); generated for has_many, has_one and
/// belongs_to relations.
pub trait LoadRowsWhere<C, P>: Relationship {
    #[doc(hidden)]
    fn load_rows_where(
        keys: Vec<Self::Key>,
        predicate: P,
        conn: &mut C,
    ) -> diesel::QueryResult<Vec<(Self::Key, Self::To)>>;
}

/// A relation whose related rows must also satisfy a predicate:
/// `Author::ARTICLES.filter(articles::views.gt(100))`.
#[derive(Debug, Clone, Copy)]
pub struct Filtered<R, P> {
    relation: R,
    predicate: P,
}

impl<R, P> Filtered<R, P> {
    /// These rows, with `nested` loaded for each of them.
    pub fn with<S>(self, nested: S) -> With<Self, S> {
        With { relation: self, nested }
    }
}

/// Where a load takes related rows from: a relation, or a relation with
/// extra criteria.
pub trait RelatedRows<C> {
    /// The relation's type.
    type Name: Relationship;
    /// How many rows each parent gets: the relation's, or under criteria
    /// [`Cardinality::Filtered`].
    type Cardinality: Cardinality;
    #[doc(hidden)]
    fn relation_name(&self) -> &'static str;
    #[doc(hidden)]
    fn rows(
        &self,
        keys: Vec<<Self::Name as Relationship>::Key>,
        conn: &mut C,
    ) -> diesel::QueryResult<KeyedRows<Self::Name>>;
}

impl<From: Model, To: Model, Via, N: LoadRows<C>, C> RelatedRows<C> for Relation<From, To, Via, N> {
    type Name = N;
    type Cardinality = N::Cardinality;

    fn relation_name(&self) -> &'static str {
        &self.meta().name
    }

    fn rows(&self, keys: Vec<N::Key>, conn: &mut C) -> diesel::QueryResult<Vec<(N::Key, N::To)>> {
        N::load_rows(keys, conn)
    }
}

impl<From: Model, To: Model, Via, N, P, C> RelatedRows<C> for Filtered<Relation<From, To, Via, N>, P>
where
    N: LoadRowsWhere<C, P>,
    P: Clone,
{
    type Name = N;
    type Cardinality = <N::Cardinality as Cardinality>::Filtered;

    fn relation_name(&self) -> &'static str {
        &self.relation.meta().name
    }

    fn rows(&self, keys: Vec<N::Key>, conn: &mut C) -> diesel::QueryResult<Vec<(N::Key, N::To)>> {
        N::load_rows_where(keys, self.predicate.clone(), conn)
    }
}

/// Filtering rows of `From` by their related rows: generated for every
/// loadable relation, as `key IN (SELECT key FROM related WHERE predicate)`.
/// Reached through [`Relation::any`] and [`Relation::has`].
pub trait Matching<P>: Relationship {
    /// The diesel expression: a boolean over `From`'s table.
    type Output;
    #[doc(hidden)]
    fn matching(predicate: P) -> Self::Output;
}

impl<From: Model, To: Model, Via, N> Relation<From, To, Via, N> {
    /// Rows with at least one related row for which `predicate` holds
    /// (SQLAlchemy's `Author.articles.any(...)`), for has_many and
    /// many_to_many relations:
    /// `authors::table.filter(Author::ARTICLES.any(articles::views.gt(100)))`.
    pub fn any<P>(self, predicate: P) -> N::Output
    where
        N: Matching<P> + Relationship<Cardinality = Many>,
    {
        N::matching(predicate)
    }

    /// Rows whose related row satisfies `predicate` (SQLAlchemy's
    /// `Article.author.has(...)`), for belongs_to and has_one relations:
    /// `articles::table.filter(Article::AUTHOR.has(authors::name.eq("Ada")))`.
    pub fn has<P>(self, predicate: P) -> N::Output
    where
        N: Matching<P>,
        N::Cardinality: ToOne,
    {
        N::matching(predicate)
    }
}

/// [`One`] and [`Optional`]: relations that reach one row at most.
pub trait ToOne: Cardinality {}
impl ToOne for One {}
impl ToOne for Optional {}

/// How many related rows each row has, and the type that holds them.
pub trait Cardinality {
    /// `Vec<T>`, `T` or `Option<T>`.
    type Out<T>;
    /// What the relation holds under extra criteria, which may leave a
    /// required row out: [`One`] becomes [`Optional`].
    type Filtered: Cardinality;

    #[doc(hidden)]
    fn collect<T>(rows: Vec<T>, relation: &'static str) -> Result<Self::Out<T>>;
    #[doc(hidden)]
    fn map<T, U>(out: Self::Out<T>, f: impl FnMut(T) -> U) -> Self::Out<U>;
}

/// has_many: any number of related rows, as a `Vec`.
#[derive(Debug, Clone, Copy)]
pub struct Many;

/// belongs_to over a NOT NULL foreign key: exactly one related row.
#[derive(Debug, Clone, Copy)]
pub struct One;

/// has_one, or belongs_to over a nullable foreign key: zero or one row.
#[derive(Debug, Clone, Copy)]
pub struct Optional;

impl Cardinality for Many {
    type Out<T> = Vec<T>;
    type Filtered = Many;

    fn collect<T>(rows: Vec<T>, _: &'static str) -> Result<Vec<T>> {
        Ok(rows)
    }

    fn map<T, U>(out: Vec<T>, f: impl FnMut(T) -> U) -> Vec<U> {
        out.into_iter().map(f).collect()
    }
}

impl Cardinality for One {
    type Out<T> = T;
    type Filtered = Optional;

    fn collect<T>(rows: Vec<T>, relation: &'static str) -> Result<T> {
        let count = rows.len();
        let mut rows = rows.into_iter();
        match (rows.next(), count) {
            (Some(row), 1) => Ok(row),
            _ => Err(Error::RelatedRows { relation, expected: "exactly one", found: count }),
        }
    }

    fn map<T, U>(out: T, mut f: impl FnMut(T) -> U) -> U {
        f(out)
    }
}

impl Cardinality for Optional {
    type Out<T> = Option<T>;
    type Filtered = Optional;

    fn collect<T>(rows: Vec<T>, relation: &'static str) -> Result<Option<T>> {
        let count = rows.len();
        if count > 1 {
            return Err(Error::RelatedRows { relation, expected: "at most one", found: count });
        }
        Ok(rows.into_iter().next())
    }

    fn map<T, U>(out: Option<T>, f: impl FnMut(T) -> U) -> Option<U> {
        out.map(f)
    }
}

/// A row with the relations that were loaded for it. Derefs to the row;
/// [`get`](Self::get) hands out a loaded relation.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<M, W = ()> {
    row: M,
    with: W,
}

impl<M, W> Deref for Loaded<M, W> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.row
    }
}

impl<M, W> Loaded<M, W> {
    /// The row itself.
    pub fn row(&self) -> &M {
        &self.row
    }

    /// The row, without its relations.
    pub fn into_row(self) -> M {
        self.row
    }

    /// The related rows of `relation`: a `Vec` for has_many, the row for a
    /// required belongs_to, an `Option` otherwise. Compiles only when
    /// `relation` was loaded.
    pub fn get<R, I>(&self, relation: R) -> &R::Value
    where
        R: Loadable<W, I>,
    {
        let _ = relation;
        R::pick(&self.with)
    }
}

/// A relation among the loaded relations `W` of a row (at position `I`,
/// inferred): what makes [`Loaded::get`] compile only for loaded relations.
#[diagnostic::on_unimplemented(
    message = "this relation was not loaded: `{Self}`",
    label = "not among the relations this row was loaded with",
    note = "add it to the relations passed to `Session::load` (or load it on demand with `Session::related`)"
)]
pub trait Loadable<W, I> {
    /// What the relation holds: `Vec<Loaded<To, _>>`, `Loaded<To, _>` or an `Option` of it.
    type Value;
    #[doc(hidden)]
    fn pick(with: &W) -> &Self::Value;
}

impl<From: Model, To: Model, Via, N, W: Get<N, I>, I> Loadable<W, I> for Relation<From, To, Via, N> {
    type Value = W::Value;

    fn pick(with: &W) -> &W::Value {
        with.get()
    }
}

/// A loaded row serializes as the row's fields followed by one field per
/// loaded relation, named as in the schema:
/// `{"id": 1, "name": "Ada", "articles": [{"id": 7, ..., "comments": []}]}`.
impl<M: serde::Serialize, W: Slots> serde::Serialize for Loaded<M, W> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        #[serde(bound(serialize = "M: serde::Serialize, W: Slots"))]
        struct Flat<'a, M, W> {
            #[serde(flatten)]
            row: &'a M,
            #[serde(flatten)]
            with: SlotMap<'a, W>,
        }
        Flat { row: &self.row, with: SlotMap(&self.with) }.serialize(serializer)
    }
}

/// The loaded relations of a row, as map entries.
struct SlotMap<'a, W>(&'a W);

impl<W: Slots> serde::Serialize for SlotMap<'_, W> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        self.0.entries(&mut map)?;
        map.end()
    }
}

/// Loaded relations that serialize, each under its relation's name.
pub trait Slots {
    #[doc(hidden)]
    fn entries<S: serde::ser::SerializeMap>(&self, map: &mut S) -> std::result::Result<(), S::Error>;
}

impl Slots for () {
    fn entries<S: serde::ser::SerializeMap>(&self, _: &mut S) -> std::result::Result<(), S::Error> {
        Ok(())
    }
}

impl<N: Relationship, V: serde::Serialize, T: Slots> Slots for (Slot<N, V>, T) {
    fn entries<S: serde::ser::SerializeMap>(&self, map: &mut S) -> std::result::Result<(), S::Error> {
        map.serialize_entry(N::NAME, &self.0.value)?;
        self.1.entries(map)
    }
}

/// One loaded relation of a row, named by its relation type `N`.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot<N, V> {
    value: V,
    _name: PhantomData<N>,
}

impl<N, V> Slot<N, V> {
    fn new(value: V) -> Self {
        Slot { value, _name: PhantomData }
    }
}

/// The loaded relations of a row include `N` (at position `I`, inferred).
#[doc(hidden)]
#[diagnostic::on_unimplemented(
    message = "the relation `{N}` was not loaded",
    label = "not among the relations this row was loaded with",
    note = "add it to the relations passed to `Session::load` (or load it on demand with `Session::related`)"
)]
pub trait Get<N, I> {
    /// What the relation holds: `Vec<Loaded<To, _>>`, `Loaded<To, _>` or an `Option` of it.
    type Value;
    #[doc(hidden)]
    fn get(&self) -> &Self::Value;
}

/// Position markers for [`Get`].
#[doc(hidden)]
pub struct Here;
#[doc(hidden)]
pub struct There<I>(PhantomData<I>);

impl<N, V, T> Get<N, Here> for (Slot<N, V>, T) {
    type Value = V;

    fn get(&self) -> &V {
        &self.0.value
    }
}

impl<N, H, T: Get<N, I>, I> Get<N, There<I>> for (H, T) {
    type Value = T::Value;

    fn get(&self) -> &T::Value {
        self.1.get()
    }
}

/// A relation to load, with the relations to load for its rows in turn.
#[derive(Debug, Clone, Copy)]
pub struct With<R, S> {
    relation: R,
    nested: S,
}

impl<From: Model, To: Model, Via, N> Relation<From, To, Via, N> {
    /// This relation's rows that also satisfy `predicate`, for a load:
    /// `session.load(authors::table, Author::ARTICLES.filter(articles::views.gt(100)))`.
    /// The predicate is checked against the related table by rustc.
    pub fn filter<P>(self, predicate: P) -> Filtered<Self, P> {
        Filtered { relation: self, predicate }
    }

    /// This relation, with `nested` loaded for each of its rows:
    /// `Author::ARTICLES.with((Article::TAGS, Article::COMMENTS))`.
    pub fn with<S>(self, nested: S) -> With<Self, S> {
        With { relation: self, nested }
    }
}

/// One relation of a load, for rows of `M` on connection `C`.
pub trait LoadItem<M, C> {
    /// The relation type that names the slot.
    type Name;
    /// What each row gets.
    type Value;
    #[doc(hidden)]
    fn fetch(&self, rows: &[M], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Value>>;
}

/// Everything to load for rows of `M`: a relation, `relation.with(...)`,
/// or a tuple of them (up to eight).
pub trait LoadSpec<M, C> {
    /// The loaded relations each row carries.
    type Loaded;
    #[doc(hidden)]
    fn fetch_all(&self, rows: &[M], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Loaded>>;
}

impl<M, C> LoadSpec<M, C> for () {
    type Loaded = ();

    fn fetch_all(&self, rows: &[M], _: &mut C, _: usize) -> Result<Vec<()>> {
        Ok(vec![(); rows.len()])
    }
}

impl<R, S, C> LoadItem<<R::Name as Relationship>::From, C> for With<R, S>
where
    R: RelatedRows<C>,
    S: LoadSpec<<R::Name as Relationship>::To, C>,
    S::Loaded: Clone,
{
    type Name = R::Name;
    type Value = <R::Cardinality as Cardinality>::Out<Loaded<<R::Name as Relationship>::To, S::Loaded>>;

    fn fetch(
        &self,
        rows: &[<R::Name as Relationship>::From],
        conn: &mut C,
        bind_limit: usize,
    ) -> Result<Vec<Self::Value>> {
        type N<R, C> = <R as RelatedRows<C>>::Name;
        let name = self.relation.relation_name();
        // The distinct keys, in row order, and for each row the group of
        // related rows it gets: one hash per row here and one per related
        // row below (what diesel's `grouped_by` costs), nothing after.
        let parent_keys: Vec<Option<<N<R, C> as Relationship>::Key>> =
            rows.iter().map(<N<R, C> as Relationship>::parent_key).collect();
        let mut index: HashMap<&<N<R, C> as Relationship>::Key, usize> = HashMap::with_capacity(rows.len());
        let mut keys: Vec<<N<R, C> as Relationship>::Key> = Vec::new();
        let groups_of: Vec<Option<usize>> = parent_keys
            .iter()
            .map(|key| {
                let key = key.as_ref()?;
                Some(*index.entry(key).or_insert_with(|| {
                    keys.push(key.clone());
                    keys.len() - 1
                }))
            })
            .collect();
        let bind_limit = bind_limit.max(1);
        let children = if keys.is_empty() {
            Vec::new()
        } else if keys.len() <= bind_limit {
            self.relation.rows(keys, conn)?
        } else {
            let mut children = Vec::new();
            for chunk in keys.chunks(bind_limit) {
                children.extend(self.relation.rows(chunk.to_vec(), conn)?);
            }
            children
        };
        let (child_keys, children): (Vec<_>, Vec<_>) = children.into_iter().unzip();
        let nested = self.nested.fetch_all(&children, conn, bind_limit)?;
        let mut groups: Vec<Vec<Loaded<_, S::Loaded>>> = (0..index.len()).map(|_| Vec::new()).collect();
        for ((key, row), with) in child_keys.into_iter().zip(children).zip(nested) {
            if let Some(&group) = index.get(&key) {
                groups[group].push(Loaded { row, with });
            }
        }
        // A group goes to its last row and is cloned for the others (rows
        // sharing a parent, or a query returning a row twice).
        let mut wanted = vec![0_usize; groups.len()];
        for &group in groups_of.iter().flatten() {
            wanted[group] += 1;
        }
        let mut values = Vec::with_capacity(rows.len());
        for group in groups_of {
            let related = match group {
                None => Vec::new(),
                Some(group) => {
                    wanted[group] -= 1;
                    if wanted[group] == 0 {
                        std::mem::take(&mut groups[group])
                    } else {
                        groups[group].clone()
                    }
                }
            };
            values.push(<R::Cardinality as Cardinality>::collect(related, name)?);
        }
        Ok(values)
    }
}

impl<From, To, Via, N, C> LoadItem<From, C> for Relation<From, To, Via, N>
where
    From: Model,
    To: Model + Clone,
    N: LoadRows<C, From = From, To = To>,
{
    type Name = N;
    type Value = <N::Cardinality as Cardinality>::Out<Loaded<To, ()>>;

    fn fetch(&self, rows: &[From], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Value>> {
        self.with(()).fetch(rows, conn, bind_limit)
    }
}

impl<From, To, Via, N, P, C> LoadItem<From, C> for Filtered<Relation<From, To, Via, N>, P>
where
    From: Model,
    To: Model + Clone,
    N: LoadRowsWhere<C, P, From = From, To = To>,
    P: Clone,
{
    type Name = N;
    type Value = <<N::Cardinality as Cardinality>::Filtered as Cardinality>::Out<Loaded<To, ()>>;

    fn fetch(&self, rows: &[From], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Value>> {
        With { relation: self.clone(), nested: () }.fetch(rows, conn, bind_limit)
    }
}

/// A relation alone, filtered, or with nested relations, is a load of one.
macro_rules! single_spec {
    ($(impl[$($generics:tt)*] for $ty:ty;)*) => {$(
        impl<M, C, $($generics)*> LoadSpec<M, C> for $ty
        where
            Self: LoadItem<M, C>,
        {
            type Loaded = (Slot<<Self as LoadItem<M, C>>::Name, <Self as LoadItem<M, C>>::Value>, ());

            fn fetch_all(&self, rows: &[M], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Loaded>> {
                Ok(self.fetch(rows, conn, bind_limit)?.into_iter().map(|value| (Slot::new(value), ())).collect())
            }
        }
    )*};
}

single_spec! {
    impl[From: Model, To: Model, Via, N] for Relation<From, To, Via, N>;
    impl[From: Model, To: Model, Via, N, P] for Filtered<Relation<From, To, Via, N>, P>;
    impl[R, S] for With<R, S>;
}

/// Tuples of relations: each is loaded, and each row carries all of them.
macro_rules! tuple_spec {
    ($($item:ident . $index:tt),+) => {
        impl<M, C, $($item: LoadItem<M, C>),+> LoadSpec<M, C> for ($($item,)+) {
            type Loaded = tuple_spec!(@list $($item),+);

            fn fetch_all(&self, rows: &[M], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Loaded>> {
                $(
                    #[allow(non_snake_case)]
                    let mut $item = self.$index.fetch(rows, conn, bind_limit)?.into_iter();
                )+
                Ok((0..rows.len())
                    .map(|_| tuple_spec!(@value $($item),+))
                    .collect())
            }
        }
    };
    (@list $head:ident $(, $rest:ident)*) => {
        (Slot<$head::Name, $head::Value>, tuple_spec!(@list $($rest),*))
    };
    (@list) => { () };
    (@value $head:ident $(, $rest:ident)*) => {
        (
            Slot::new($head.next().expect("one value per row")),
            tuple_spec!(@value $($rest),*),
        )
    };
    (@value) => { () };
}

tuple_spec!(A.0);
tuple_spec!(A.0, B.1);
tuple_spec!(A.0, B.1, D.2);
tuple_spec!(A.0, B.1, D.2, E.3);
tuple_spec!(A.0, B.1, D.2, E.3, F.4);
tuple_spec!(A.0, B.1, D.2, E.3, F.4, G.5);
tuple_spec!(A.0, B.1, D.2, E.3, F.4, G.5, H.6);
tuple_spec!(A.0, B.1, D.2, E.3, F.4, G.5, H.6, J.7);

/// Bind parameters per `IN (...)` list: the backend's limit, with room left
/// for the relation's own filters.
fn bind_limit<C: EngineConnection>() -> usize {
    C::MAX_BIND_PARAMETERS.saturating_sub(16).max(1)
}

impl<C: EngineConnection> Session<C> {
    /// Runs `query` and loads `relations` for its rows: one statement for
    /// the query, then one per relation and level (more only when the keys
    /// exceed the backend's bind limit). `relations` is a relation
    /// (`Author::ARTICLES`), one with nested relations
    /// (`Author::ARTICLES.with(Article::TAGS)`), or a tuple of them.
    pub fn load<'q, Q, M, S>(&mut self, query: Q, relations: S) -> Result<Vec<Loaded<M, S::Loaded>>>
    where
        Q: RunQueryDsl<C> + LoadQuery<'q, C, M>,
        S: LoadSpec<M, C>,
    {
        let rows: Vec<M> = query.load(self.connection())?;
        let with = relations.fetch_all(&rows, self.connection(), bind_limit::<C>())?;
        Ok(rows.into_iter().zip(with).map(|(row, with)| Loaded { row, with }).collect())
    }

    /// Loads `relation` for rows already in hand, in one statement (more
    /// only past the bind limit): what SQLAlchemy's lazy loading does, made
    /// explicit so that a loop of these is a visible choice. Returns one
    /// value per row, in row order.
    pub fn related<From, To, Via, N>(
        &mut self,
        rows: &[From],
        relation: Relation<From, To, Via, N>,
    ) -> Result<Vec<<N::Cardinality as Cardinality>::Out<To>>>
    where
        From: Model,
        To: Model + Clone,
        N: LoadRows<C, From = From, To = To>,
    {
        let values = relation.with(()).fetch(rows, self.connection(), bind_limit::<C>())?;
        Ok(values.into_iter().map(|value| N::Cardinality::map(value, Loaded::into_row)).collect())
    }
}

/// `LoadRows` for every backend quarry is built with; generated code
/// invokes it once per loadable relation:
///
/// ```text
/// load_rows!(Author__articles, articles::table, articles::author_id, key |row: &Article| .., order [desc(articles::published)])
///     // SELECT articles.* FROM articles WHERE author_id IN (keys) ORDER BY published DESC
/// load_rows!(Article__tags, through article_tags::table, article_tags::article_id,
///            on article_tags::tag_id.eq(tags::id), tags::table, tags::all_columns, order [])
///     // SELECT article_tags.article_id, tags.* FROM tags JOIN article_tags ON ... WHERE article_id IN (keys)
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __load_rows {
    ($name:ty, $table:path, $column:path, key $key:expr, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let query = diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($column, keys));
            let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> =
                $crate::__load_rows!(@ordered query, conn, [$($order),*])?;
            let key = $key;
            ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
        });
        $crate::__if_sqlite! { $crate::__load_rows!(@where diesel::SqliteConnection, diesel::sqlite::Sqlite, $name, $table, $column, key $key, [$($order),*]); }
        $crate::__if_postgres! { $crate::__load_rows!(@where diesel::PgConnection, diesel::pg::Pg, $name, $table, $column, key $key, [$($order),*]); }
        $crate::__if_mysql! { $crate::__load_rows!(@where diesel::MysqlConnection, diesel::mysql::Mysql, $name, $table, $column, key $key, [$($order),*]); }
    };
    // With extra criteria: the query is boxed, so that any predicate the
    // boxed query accepts (checked against the related table) can be added.
    (@where $conn_ty:ty, $db:ty, $name:ty, $table:path, $column:path, key $key:expr, [$($order:expr),*]) => {
        impl<P> $crate::load::LoadRowsWhere<$conn_ty, P> for $name
        where
            diesel::dsl::IntoBoxed<
                'static,
                diesel::dsl::Filter<$table, diesel::dsl::EqAny<$column, ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>>>,
                $db,
            >: diesel::query_dsl::methods::FilterDsl<
                P,
                Output = diesel::dsl::IntoBoxed<
                    'static,
                    diesel::dsl::Filter<$table, diesel::dsl::EqAny<$column, ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>>>,
                    $db,
                >,
            >,
        {
            fn load_rows_where(
                keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                predicate: P,
                conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > {
                let boxed = diesel::QueryDsl::into_boxed::<$db>(
                    diesel::QueryDsl::filter($table, diesel::ExpressionMethods::eq_any($column, keys)),
                );
                let query = diesel::query_dsl::methods::FilterDsl::filter(boxed, predicate);
                let rows: ::std::vec::Vec<<Self as $crate::load::Relationship>::To> =
                    $crate::__load_rows!(@ordered query, conn, [$($order),*])?;
                let key = $key;
                ::std::result::Result::Ok(rows.into_iter().filter_map(|row| ::std::option::Option::Some((key(&row)?, row))).collect())
            }
        }
    };
    ($name:ty, through $through:path, $link:path, on $on:expr, $table:path, $columns:path, order [$($order:expr),*]) => {
        $crate::__load_rows!(@backends $name, |keys, conn| {
            let joined = diesel::query_dsl::JoinOnDsl::on($through, $on);
            let query = diesel::QueryDsl::select(
                diesel::QueryDsl::filter(
                    diesel::QueryDsl::inner_join($table, joined),
                    diesel::ExpressionMethods::eq_any($link, keys),
                ),
                ($link, $columns),
            );
            $crate::__load_rows!(@ordered query, conn, [$($order),*])
        });
    };
    (@backends $name:ty, |$keys:ident, $conn:ident| $body:block) => {
        $crate::__if_sqlite! { $crate::__load_rows!(@impl diesel::SqliteConnection, $name, |$keys, $conn| $body); }
        $crate::__if_postgres! { $crate::__load_rows!(@impl diesel::PgConnection, $name, |$keys, $conn| $body); }
        $crate::__if_mysql! { $crate::__load_rows!(@impl diesel::MysqlConnection, $name, |$keys, $conn| $body); }
    };
    (@impl $conn_ty:ty, $name:ty, |$keys:ident, $conn:ident| $body:block) => {
        impl $crate::load::LoadRows<$conn_ty> for $name {
            fn load_rows(
                $keys: ::std::vec::Vec<<Self as $crate::load::Relationship>::Key>,
                $conn: &mut $conn_ty,
            ) -> diesel::QueryResult<
                ::std::vec::Vec<(<Self as $crate::load::Relationship>::Key, <Self as $crate::load::Relationship>::To)>,
            > $body
        }
    };
    (@ordered $query:ident, $conn:ident, []) => {
        diesel::RunQueryDsl::load($query, $conn)
    };
    (@ordered $query:ident, $conn:ident, [$($order:expr),+]) => {
        diesel::RunQueryDsl::load(diesel::QueryDsl::order_by($query, ($($order,)+)), $conn)
    };
}
