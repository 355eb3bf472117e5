//! What a loadable relation is: its keys and cardinality, the query that
//! loads its rows, and the subquery that filters by them.

use std::hash::Hash;

use super::{Cardinality, Many, ToOne};
use crate::model::Model;
use crate::relation::Relation;

/// A relation the session can load: generated for every relation whose
/// foreign key is one column referencing the other table's primary key.
pub trait Relationship: Copy + 'static {
    /// The model the relation starts from.
    type From: Model;
    /// The related model.
    type To: Model + Clone;
    /// The value that joins the two: the parent's key, the child's foreign key.
    type Key: Eq + Hash + Clone + std::fmt::Debug;
    /// How many `To` rows each `From` row has: [`Many`], [`One`](super::One) or [`Optional`](super::Optional).
    type Cardinality: Cardinality;
    /// The relation's field name in the schema (also its key in JSON).
    const NAME: &'static str;
    /// How many columns the key has: each key of an `IN (...)` list takes
    /// this many bind parameters.
    const KEY_COLUMNS: usize = 1;

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

/// Loading the related rows of some keys under criteria `Q` on connection
/// `C`: a `(filter, order, limit)` triple of a [`Criteria`](super::Criteria)
/// (a relation's extra criteria, SQLAlchemy's `selectinload(A.b.and_(...))`,
/// an order for this load, and a limit per parent), as one
/// [`RelatedQuery`](super::RelatedQuery); generated for every loadable
/// relation.
pub trait LoadRowsWhere<C, Q>: Relationship {
    #[doc(hidden)]
    fn load_rows_where(
        keys: Vec<Self::Key>,
        criteria: Q,
        conn: &mut C,
    ) -> diesel::QueryResult<Vec<(Self::Key, Self::To)>>;
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
