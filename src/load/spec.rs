//! What to load: relations, under criteria or nested, and tuples of them.

use std::collections::HashMap;

use super::{Cardinality, Criteria, KeyedRows, LoadRows, LoadRowsWhere, Loaded, Relationship, Slot};
use crate::error::Result;
use crate::model::Model;
use crate::relation::Relation;

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

impl<From: Model, To: Model, Via, N, F, O, L, C> RelatedRows<C> for Criteria<Relation<From, To, Via, N>, F, O, L>
where
    N: LoadRowsWhere<C, (F, O, L)>,
    F: Clone,
    O: Clone,
    L: Clone,
{
    type Name = N;
    type Cardinality = <N::Cardinality as Cardinality>::Filtered;

    fn relation_name(&self) -> &'static str {
        &self.relation.meta().name
    }

    fn rows(&self, keys: Vec<N::Key>, conn: &mut C) -> diesel::QueryResult<Vec<(N::Key, N::To)>> {
        N::load_rows_where(keys, (self.filter.clone(), self.order.clone(), self.limit.clone()), conn)
    }
}

/// A relation to load, with the relations to load for its rows in turn.
#[derive(Debug, Clone, Copy)]
pub struct With<R, S> {
    pub(super) relation: R,
    pub(super) nested: S,
}

impl<From: Model, To: Model, Via, N> Relation<From, To, Via, N> {
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
        let keys_per_statement = (bind_limit / <N<R, C> as Relationship>::KEY_COLUMNS).max(1);
        let children = if keys.is_empty() {
            Vec::new()
        } else if keys.len() <= keys_per_statement {
            self.relation.rows(keys, conn)?
        } else {
            let mut children = Vec::new();
            for chunk in keys.chunks(keys_per_statement) {
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

impl<From, To, Via, N, F, O, L, C> LoadItem<From, C> for Criteria<Relation<From, To, Via, N>, F, O, L>
where
    From: Model,
    To: Model + Clone,
    N: LoadRowsWhere<C, (F, O, L), From = From, To = To>,
    F: Clone,
    O: Clone,
    L: Clone,
{
    type Name = N;
    type Value = <<N::Cardinality as Cardinality>::Filtered as Cardinality>::Out<Loaded<To, ()>>;

    fn fetch(&self, rows: &[From], conn: &mut C, bind_limit: usize) -> Result<Vec<Self::Value>> {
        With { relation: self.clone(), nested: () }.fetch(rows, conn, bind_limit)
    }
}

/// A relation alone, under criteria, or with nested relations, is a load of one.
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
    impl[From: Model, To: Model, Via, N, F, O, L] for Criteria<Relation<From, To, Via, N>, F, O, L>;
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
