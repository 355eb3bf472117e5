//! Loading relations with the rows of a query, without N+1, typed.
//!
//! [`Session::load`] runs a query and then one `SELECT ... WHERE key IN
//! (...)` per relation and level (SQLAlchemy's `selectinload`), chunked under
//! the backend's bind limit. What was loaded is part of the returned type:
//! each row is a [`Loaded`] that derefs to the model and hands out exactly
//! the relations asked for, so reading one that was not loaded does not
//! compile (SQLAlchemy's `lazy="raise"`, moved to compile time).
//!
//! ```
//! # include!("../doctest_setup.rs");
//! # fn main() -> quarry::Result<()> {
//! # let mut session = session();
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
//! # Ok(())
//! # }
//! ```
//!
//! [`Relation::joined`](crate::Relation::joined) loads a relation in the query's own statement
//! instead, with a `LEFT OUTER JOIN` (SQLAlchemy's `joinedload`), into the
//! same row types: `session.load(articles::table, Article::AUTHOR.joined())`.
//!
//! [`Session::related`] loads one relation for rows already in hand, on
//! demand: one statement per call, so an N+1 loop is always visible.
mod cardinality;
mod column_keyed;
mod criteria;
mod joined;
mod loaded;
mod query;
mod relationship;
mod rows;
mod spec;
mod tree;

pub use cardinality::{Cardinality, Many, One, Optional, ToMany, ToOne};
#[doc(hidden)]
pub use column_keyed::{ColumnKeyed, JoinableQuery, Keyed};
pub use criteria::{
    AllRows, Criteria, DeclaredOrder, Filtered, Limit, OrderBy, RowFilter, RowLimit, RowOrder, Unlimited, Where,
};
pub use joined::{Join, JoinRows, Joined, JoinedRows, LoadPlan, PlanBy, Selectin, Strategy, UnlimitedQuery};
pub use loaded::{Get, Here, Loadable, Loaded, Slot, Slots, There};
pub use query::RelatedQuery;
pub use relationship::{KeyedRows, LoadRows, LoadRowsWhere, Matching, Relationship};
pub use spec::{LoadItem, LoadSpec, RelatedRows, With};
pub use tree::{
    Direction, Down, MaxDepth, NoQuery, Nodes, Roots, SelfReferential, SubtreeOf, Tree, Up, WalkQuery, WalkRows,
};

use crate::engine::EngineConnection;
use crate::error::Result;
use crate::session::Session;

/// Bind parameters per `IN (...)` list: the backend's limit, with room left
/// for the relation's own filters.
fn bind_limit<C: EngineConnection>() -> usize {
    C::MAX_BIND_PARAMETERS.saturating_sub(16).max(1)
}

/// What [`Session::related`] returns per row: the related rows, without
/// relations of their own, held as the relation's cardinality says.
type RelatedOf<R, C> =
    <<R as RelatedRows<C>>::Cardinality as Cardinality>::Out<<<R as RelatedRows<C>>::Name as Relationship>::To>;

impl<C: EngineConnection> Session<C> {
    /// Runs `query` and loads `relations` for its rows: one statement for
    /// the query, then one per relation and level (more only when the keys
    /// exceed the backend's bind limit). `relations` is a relation
    /// (`Author::ARTICLES`), one with nested relations
    /// (`Author::ARTICLES.with(Article::TAGS)`), or a tuple of them.
    ///
    /// With a joined relation (`Article::AUTHOR.joined()`, see
    /// [`Relation::joined`](crate::Relation::joined)) the relation comes in the query's own
    /// statement, by a `LEFT OUTER JOIN`; `(Article::AUTHOR.joined(),
    /// Article::TAGS)` adds selectin relations for the same rows.
    pub fn load<Q, M, S>(&mut self, query: Q, relations: S) -> Result<Vec<Loaded<M, S::Loaded>>>
    where
        S: LoadPlan<Q, M, C>,
    {
        relations.run(query, self.connection(), bind_limit::<C>())
    }

    /// Loads `relation` for rows already in hand, in one statement (more
    /// only past the bind limit): what SQLAlchemy's lazy loading does, made
    /// explicit so that a loop of these is a visible choice. Returns one
    /// value per row, in row order. `relation` may carry criteria:
    /// `session.related(&authors, Author::ARTICLES.order_by(articles::views.desc()).limit(3))`.
    pub fn related<From, R>(&mut self, rows: &[From], relation: R) -> Result<Vec<RelatedOf<R, C>>>
    where
        R: RelatedRows<C>,
        R::Name: Relationship<From = From>,
    {
        let values = With { relation, nested: () }.fetch(rows, self.connection(), bind_limit::<C>())?;
        Ok(values.into_iter().map(|value| R::Cardinality::map(value, Loaded::into_row)).collect())
    }
}
