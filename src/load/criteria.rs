//! A relation's criteria for one load: which related rows (a predicate),
//! in what order, and how many per parent.
//!
//! ```
//! # include!("../doctest_setup.rs");
//! # fn main() {
//! // (the demo schema's types; tests/integration/loading_criteria.rs runs these on every backend)
//! let popular = Author::ARTICLES.filter(articles::views.gt(100));                // only the popular ones
//! let by_title = Author::ARTICLES.order_by(articles::title.asc());              // instead of the declared order
//! let newest = Author::ARTICLES.order_by(articles::published.desc()).limit(3);  // the 3 newest of each author
//! let tagged = Article::TAGS.filter(tags::name.like("r%")).limit(2).with(Tag::ARTICLES);
//! # }
//! ```
//!
//! Each is one statement per level however many parents there are: a
//! limit per parent is a window function (`ROW_NUMBER() OVER (PARTITION BY
//! key ORDER BY ...)`) in a derived table, see [`RelatedQuery`](super::RelatedQuery).

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, NonAggregate};
use diesel::query_builder::QueryFragment;
use diesel::sql_types::BoolOrNullableBool;

use super::{Relationship, ToMany, With};
use crate::model::Model;
use crate::relation::Relation;

/// A relation under criteria for one load: a predicate `F` its rows must
/// satisfy ([`Where`] or [`AllRows`]), an order `O` ([`OrderBy`] or
/// [`DeclaredOrder`]) and a limit per parent `L` ([`Limit`] or
/// [`Unlimited`]). Made by [`Relation::filter`], [`Relation::order_by`] and
/// [`Relation::limit`], which chain in any order:
///
/// ```
/// # include!("../doctest_setup.rs");
/// # fn main() -> quarry::Result<()> {
/// # let mut session = seeded();
/// let authors = session.load(
///     authors::table,
///     Author::ARTICLES.filter(articles::views.gt(100)).order_by(articles::published.desc()).limit(3),
/// )?;
/// # assert_eq!(authors.len(), 2);
/// # Ok(())
/// # }
/// ```
///
/// Under criteria, related rows come in the given order, else the declared
/// one, ties broken by the related table's primary key (by that key alone
/// when there is no order at all), so that a limit always picks the same rows.
#[derive(Debug, Clone, Copy)]
#[must_use = "criteria do nothing until passed to `Session::load` or `Session::related`"]
pub struct Criteria<R, F = AllRows, O = DeclaredOrder, L = Unlimited> {
    pub(super) relation: R,
    pub(super) filter: F,
    pub(super) order: O,
    pub(super) limit: L,
}

/// A relation whose related rows must also satisfy a predicate `P`:
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::Filtered;
/// # fn main() {
/// let popular: Filtered<_, _> = Author::ARTICLES.filter(articles::views.gt(100));
/// # }
/// ```
pub type Filtered<R, P> = Criteria<R, Where<P>>;

/// No predicate: every related row (what `Author::ARTICLES.limit(3)` holds
/// before a `.filter(..)`).
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{AllRows, Criteria, DeclaredOrder, Limit};
/// # fn main() {
/// let newest: Criteria<_, AllRows, DeclaredOrder, Limit> = Author::ARTICLES.limit(3);
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct AllRows;

/// The related rows that satisfy a predicate (a diesel boolean expression
/// over the related table), as [`Relation::filter`] makes it.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{Criteria, Where};
/// # fn main() {
/// let popular: Criteria<_, Where<_>> = Author::ARTICLES.filter(articles::views.gt(100));
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Where<P>(pub P);

/// The relation's `order_by` from the schema (none: the primary key),
/// until [`Criteria::order_by`] gives another.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{AllRows, Criteria, DeclaredOrder, Limit};
/// # fn main() {
/// // Ranked by the declared `published.desc()`.
/// let newest: Criteria<_, AllRows, DeclaredOrder, Limit> = Author::ARTICLES.limit(3);
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct DeclaredOrder;

/// An order given for one load: a diesel ordering expression over the
/// related table, or a tuple of them, as [`Relation::order_by`] makes it.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{AllRows, Criteria, OrderBy};
/// # fn main() {
/// let by_title: Criteria<_, AllRows, OrderBy<_>> = Author::ARTICLES.order_by(articles::title.asc());
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct OrderBy<O>(pub O);

/// No limit: every related row of every parent, until
/// [`Criteria::limit`] sets one.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{AllRows, Criteria, OrderBy, Unlimited};
/// # fn main() {
/// let by_title: Criteria<_, AllRows, OrderBy<_>, Unlimited> = Author::ARTICLES.order_by(articles::title.asc());
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Unlimited;

/// At most this many related rows per parent (none when it is not
/// positive), as [`Relation::limit`] makes it.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{AllRows, Criteria, DeclaredOrder, Limit};
/// # fn main() {
/// let newest: Criteria<_, AllRows, DeclaredOrder, Limit> = Author::ARTICLES.limit(3);
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Limit(pub i64);

impl<From: Model, To: Model, Via, N> Relation<From, To, Via, N> {
    /// This relation's rows that also satisfy `predicate`, for a load:
    /// `session.load(authors::table, Author::ARTICLES.filter(articles::views.gt(100)))`.
    /// The predicate is checked against the related table by rustc. A
    /// required belongs_to under a predicate may find no row, so it loads
    /// as an `Option`.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = seeded();
    /// let authors = session.load(authors::table, Author::ARTICLES.filter(articles::views.gt(100)))?;
    /// let tagged = session.load(articles::table, Article::TAGS.filter(tags::name.eq("rust")))?;
    /// # assert_eq!(authors.iter().map(|a| a.get(Author::ARTICLES).len()).sum::<usize>(), 1);
    /// # assert_eq!(tagged.iter().map(|a| a.get(Article::TAGS).len()).sum::<usize>(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn filter<P>(self, predicate: P) -> Filtered<Self, P> {
        Criteria { relation: self, filter: Where(predicate), order: DeclaredOrder, limit: Unlimited }
    }

    /// This relation's rows in `order` instead of the declared one, for a
    /// load: any diesel ordering expression over the related table, or a
    /// tuple of them, checked by rustc. For has_many and many_to_many
    /// relations (ordering at most one row means nothing).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = seeded();
    /// let authors = session.load(authors::table, Author::ARTICLES.order_by((articles::views.desc(), articles::title)))?;
    /// # assert_eq!(authors[0].get(Author::ARTICLES)[0].title, "Notes");
    /// # Ok(())
    /// # }
    /// ```
    pub fn order_by<O>(self, order: O) -> Criteria<Self, AllRows, OrderBy<O>>
    where
        N: Relationship,
        N::Cardinality: ToMany,
    {
        Criteria { relation: self, filter: AllRows, order: OrderBy(order), limit: Unlimited }
    }

    /// At most `n` related rows per parent, the first in the declared
    /// order (or the primary key's): still one statement per level. For
    /// has_many and many_to_many relations; limiting a to-one relation does
    /// not compile.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = seeded();
    /// // The 3 newest articles of each author.
    /// let authors = session.load(authors::table, Author::ARTICLES.order_by(articles::published.desc()).limit(3))?;
    /// # assert_eq!(authors.len(), 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn limit(self, n: i64) -> Criteria<Self, AllRows, DeclaredOrder, Limit>
    where
        N: Relationship,
        N::Cardinality: ToMany,
    {
        Criteria { relation: self, filter: AllRows, order: DeclaredOrder, limit: Limit(n) }
    }
}

impl<From: Model, To: Model, Via, N, O, L> Criteria<Relation<From, To, Via, N>, AllRows, O, L> {
    /// These rows, only where they also satisfy `predicate` (see
    /// [`Relation::filter`]): `Author::ARTICLES.limit(3).filter(articles::views.gt(0))`
    /// ranks only the rows that satisfy it.
    pub fn filter<P>(self, predicate: P) -> Criteria<Relation<From, To, Via, N>, Where<P>, O, L> {
        Criteria { relation: self.relation, filter: Where(predicate), order: self.order, limit: self.limit }
    }
}

impl<From: Model, To: Model, Via, N, F, O, L> Criteria<Relation<From, To, Via, N>, F, O, L> {
    /// These rows in `order` instead (see [`Relation::order_by`]).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() {
    /// # let _ =
    /// Author::ARTICLES.filter(articles::views.gt(100)).order_by(articles::title.asc())
    /// # ;
    /// # }
    /// ```
    pub fn order_by<O2>(self, order: O2) -> Criteria<Relation<From, To, Via, N>, F, OrderBy<O2>, L>
    where
        N: Relationship,
        N::Cardinality: ToMany,
    {
        Criteria { relation: self.relation, filter: self.filter, order: OrderBy(order), limit: self.limit }
    }

    /// At most `n` of these rows per parent (see [`Relation::limit`]).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() {
    /// # let _ =
    /// Author::ARTICLES.filter(articles::views.gt(100)).order_by(articles::views.desc()).limit(3)
    /// # ;
    /// # }
    /// ```
    pub fn limit(self, n: i64) -> Criteria<Relation<From, To, Via, N>, F, O, Limit>
    where
        N: Relationship,
        N::Cardinality: ToMany,
    {
        Criteria { relation: self.relation, filter: self.filter, order: self.order, limit: Limit(n) }
    }

    /// These rows, with `nested` loaded for each of them:
    /// `Author::ARTICLES.limit(3).with(Article::COMMENTS)`.
    pub fn with<S>(self, nested: S) -> With<Self, S> {
        With { relation: self, nested }
    }
}

/// A predicate slot of [`Criteria`] over table `T` on backend `DB`:
/// [`AllRows`], or [`Where`] with a boolean expression that appears on `T`
/// (checked by rustc). Generated loading code requires it:
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{RowFilter, Where};
/// # fn main() {
/// fn check<F: RowFilter<articles::table, diesel::sqlite::Sqlite>>(_: F) {}
/// check(Where(articles::views.gt(100)));      // compiles
/// // check(Where(comments::score.gt(1.0)));   // does not: another table
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a predicate over the related table `{T}`",
    note = "a relation's `.filter(..)` takes a boolean expression over the related table's columns"
)]
pub trait RowFilter<T, DB: Backend> {
    #[doc(hidden)]
    fn boxed(self) -> Option<Box<dyn QueryFragment<DB>>>;
}

impl<T, DB: Backend> RowFilter<T, DB> for AllRows {
    fn boxed(self) -> Option<Box<dyn QueryFragment<DB>>> {
        None
    }
}

impl<T, DB, P> RowFilter<T, DB> for Where<P>
where
    DB: Backend,
    P: Expression + AppearsOnTable<T> + NonAggregate + QueryFragment<DB> + 'static,
    P::SqlType: BoolOrNullableBool,
{
    fn boxed(self) -> Option<Box<dyn QueryFragment<DB>>> {
        Some(Box::new(self.0))
    }
}

/// An order slot of [`Criteria`] over table `T` on backend `DB`:
/// [`DeclaredOrder`], or [`OrderBy`] with ordering expressions that
/// appear on `T` (checked by rustc). Generated loading code requires it:
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::{OrderBy, RowOrder};
/// # fn main() {
/// fn check<O: RowOrder<articles::table, diesel::sqlite::Sqlite>>(_: O) {}
/// check(OrderBy((articles::views.desc(), articles::title)));   // compiles
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an order over the related table `{T}`",
    note = "a relation's `.order_by(..)` takes columns of the related table, `.asc()`/`.desc()` of them, or a tuple of these"
)]
pub trait RowOrder<T, DB: Backend> {
    #[doc(hidden)]
    fn boxed(self, declared: Option<Box<dyn QueryFragment<DB>>>) -> Option<Box<dyn QueryFragment<DB>>>;
}

impl<T, DB: Backend> RowOrder<T, DB> for DeclaredOrder {
    fn boxed(self, declared: Option<Box<dyn QueryFragment<DB>>>) -> Option<Box<dyn QueryFragment<DB>>> {
        declared
    }
}

impl<T, DB, O> RowOrder<T, DB> for OrderBy<O>
where
    DB: Backend,
    O: Expression + AppearsOnTable<T> + NonAggregate + QueryFragment<DB> + 'static,
{
    fn boxed(self, _: Option<Box<dyn QueryFragment<DB>>>) -> Option<Box<dyn QueryFragment<DB>>> {
        Some(Box::new(self.0))
    }
}

/// A limit slot of [`Criteria`]: [`Unlimited`] or [`Limit`].
///
/// ```
/// use quarry::load::{Limit, RowLimit, Unlimited};
/// assert_eq!(Limit(3).per_parent(), Some(3));
/// assert_eq!(Unlimited.per_parent(), None);
/// ```
pub trait RowLimit {
    #[doc(hidden)]
    fn per_parent(&self) -> Option<i64>;
}

impl RowLimit for Unlimited {
    fn per_parent(&self) -> Option<i64> {
        None
    }
}

impl RowLimit for Limit {
    fn per_parent(&self) -> Option<i64> {
        Some(self.0)
    }
}
