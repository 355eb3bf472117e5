//! The joined strategy (SQLAlchemy's `joinedload`): a relation loaded in
//! the same statement as its parent rows, with a `LEFT OUTER JOIN`.
//!
//! `session.load(articles::table.filter(..), Article::AUTHOR.joined())` runs
//! one `SELECT articles.*, authors.* FROM articles LEFT OUTER JOIN authors
//! ON ...` that keeps the query's filters and order; a to-many relation's
//! rows are grouped back under their parents (first-appearance order of the
//! parents, the join's order of the children). The rows have the same type
//! as with the selectin strategy, so `row.get(Article::AUTHOR)` reads them
//! alike.

use std::collections::HashMap;

// diesel names its statement types only in its hidden `internal` module
// (for `#[derive(MultiConnection)]`); a limit is visible only there.
use diesel::internal::derives::multiconnection::{LimitOffsetClause, NoLimitClause, NoOffsetClause, SelectStatement};
use diesel::query_dsl::methods::LoadQuery;
use diesel::RunQueryDsl;

use super::{Cardinality, LoadSpec, Loaded, Relationship, Slot};
use crate::error::Result;
use crate::model::Model;
use crate::relation::Relation;

/// A relation to load with a `LEFT OUTER JOIN` in the parent rows' own
/// statement, with `nested` loaded for its rows by selectin. Made by
/// [`Relation::joined`]:
///
/// ```
/// # include!("../doctest_setup.rs");
/// # fn main() -> quarry::Result<()> {
/// # let mut session = seeded();
/// // 2 statements: authors LEFT OUTER JOIN articles, then the comments by selectin.
/// let authors = session.load(authors::table.order(authors::name), Author::ARTICLES.joined().with(Article::COMMENTS))?;
/// for article in authors[0].get(Author::ARTICLES) {
///     let comments = article.get(Article::COMMENTS);
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Joined<R, S = ()> {
    relation: R,
    nested: S,
}

impl<From: Model, To: Model, Via, N> Relation<From, To, Via, N> {
    /// This relation, loaded in the parent rows' statement by a `LEFT OUTER
    /// JOIN` (SQLAlchemy's `joinedload`) instead of a statement of its own:
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = seeded();
    /// // SELECT articles.*, authors.* FROM articles LEFT OUTER JOIN authors ON authors.id = articles.author_id
    /// //   WHERE articles.views > 10 ORDER BY articles.id
    /// let articles = session.load(
    ///     articles::table.filter(articles::views.gt(10)).order(articles::id),
    ///     Article::AUTHOR.joined(),
    /// )?;
    /// let author: &Loaded<Author> = articles[0].get(Article::AUTHOR);
    /// # assert_eq!(author.name, "Ada");
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// A to-many relation (`Author::ARTICLES.joined()`) repeats each parent
    /// once per child in the result set and refuses a query with a `LIMIT`
    /// or `OFFSET` at compile time (the limit would cut collections): load
    /// those with the selectin strategy, `Author::ARTICLES`.
    pub fn joined(self) -> Joined<Self, ()> {
        Joined { relation: self, nested: () }
    }
}

impl<R> Joined<R, ()> {
    /// The joined rows, with `nested` loaded for them by selectin (one more
    /// statement per nested relation and level):
    /// `Author::ARTICLES.joined().with((Article::TAGS, Article::COMMENTS))`.
    pub fn with<S>(self, nested: S) -> Joined<R, S> {
        Joined { relation: self.relation, nested }
    }
}

/// Running a query over `From`'s table with the relation's target `LEFT
/// OUTER JOIN`ed, on connection `C`: each row of the result with its related
/// row, `None` where the join found none. Generated for every loadable
/// relation, with diesel's bounds on the query type `Q` (a table or a
/// `SELECT` over it, filtered and ordered as you like). You use it through
/// [`Relation::joined`]; the generated impl for `Article::AUTHOR` runs
///
/// ```
/// # include!("../doctest_setup.rs");
/// # fn main() -> quarry::Result<()> {
/// # let mut session = seeded();
/// # let query = articles::table;
/// # let conn = session.connection();
/// # let rows =
/// query.left_join(authors::table.on(authors::id.eq(articles::author_id)))
///     .select((articles::all_columns, authors::all_columns.nullable()))
///     .load::<(Article, Option<Author>)>(conn)
/// # ?;
/// # assert_eq!(rows.len(), 3);
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be joined to this query",
    label = "joined loading needs a query over the relation's own table",
    note = "a joined to-many relation refuses a query with LIMIT/OFFSET (it would cut the collections) and a boxed query (its limit is unknown): load it with the selectin strategy (the relation without `.joined()`)"
)]
pub trait JoinRows<Q, C>: Relationship {
    /// `true` when a parent's rows are grouped by [`Relationship::parent_key`]
    /// (has_many, has_one, many_to_many: the parent's primary key); `false`
    /// for belongs_to, where the join yields one row per parent row.
    #[doc(hidden)]
    const GROUPED: bool;

    #[doc(hidden)]
    fn join_rows(query: Q, conn: &mut C) -> diesel::QueryResult<JoinedRows<Self>>;
}

/// The rows of a joined statement: each parent row with its related row,
/// `None` where the `LEFT OUTER JOIN` found none; for `Author::ARTICLES`,
/// `Vec<(Author, Option<Article>)>`, one per article (and one per author
/// without articles).
pub type JoinedRows<N> = Vec<(<N as Relationship>::From, Option<<N as Relationship>::To>)>;

/// A query without `LIMIT` or `OFFSET`, for the to-many relation `N`: the
/// relation's `From` table (generated), or a `SELECT` whose limit and offset
/// are still diesel's defaults. What a joined to-many relation requires,
/// since a limit would cut its collections; a boxed query, whose limit
/// the type does not tell, is refused too.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # fn main() -> quarry::Result<()> {
/// # let mut session = seeded();
/// session.load(authors::table.filter(authors::name.like("A%")), Author::ARTICLES.joined())?; // compiles
/// // session.load(authors::table.limit(10), Author::ARTICLES.joined())?;  // error: may have a LIMIT or OFFSET
/// session.load(authors::table.limit(10), Author::ARTICLES)?;           // selectin: fine
/// session.load(articles::table.limit(10), Article::AUTHOR.joined())?;  // to-one: fine
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "a joined to-many relation cannot load from this query, which may have a LIMIT or OFFSET: `{Self}`",
    label = "a LIMIT/OFFSET here would cut the joined collections",
    note = "load the relation with the selectin strategy instead (the relation without `.joined()`), or drop the limit"
)]
pub trait UnlimitedQuery<N> {}

impl<N, F, S, D, W, O, G, H, LC> UnlimitedQuery<N>
    for SelectStatement<F, S, D, W, O, LimitOffsetClause<NoLimitClause, NoOffsetClause>, G, H, LC>
{
}

/// What [`Session::load`](crate::Session::load) accepts for a query `Q`
/// with rows of `M` on connection `C`: a selectin spec (a relation,
/// `relation.with(..)`, `relation.filter(..)`, a tuple of them: every
/// [`LoadSpec`]), a joined relation ([`Relation::joined`]), or a tuple whose
/// first item is a joined relation and whose others are selectin.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # fn main() -> quarry::Result<()> {
/// # let mut session = seeded();
/// session.load(articles::table, (Article::TAGS, Article::COMMENTS))?;                 // selectin: 3 statements
/// session.load(articles::table, Article::AUTHOR.joined())?;                           // joined: 1 statement
/// session.load(articles::table, (Article::AUTHOR.joined(), Article::TAGS))?;          // joined + selectin: 2
/// # Ok(())
/// # }
/// ```
pub trait LoadPlan<Q, M, C> {
    /// The loaded relations each row carries.
    type Loaded;
    #[doc(hidden)]
    fn run(&self, query: Q, conn: &mut C, bind_limit: usize) -> Result<Vec<Loaded<M, Self::Loaded>>>;
}

/// Which strategy a load spec starts with: its first relation's. Keeps the
/// selectin and joined implementations of [`LoadPlan`] apart for rustc's
/// coherence check (a joined relation is never a [`LoadSpec`], but only the
/// strategy type can prove it).
#[doc(hidden)]
pub trait Strategy {
    type Kind;
}

/// The selectin strategy: one statement per relation and level.
#[doc(hidden)]
#[derive(Debug)]
pub struct Selectin;

/// The joined strategy: the first relation in the query's own statement.
#[doc(hidden)]
#[derive(Debug)]
pub struct Join;

impl Strategy for () {
    type Kind = Selectin;
}
impl<From: Model, To: Model, Via, N> Strategy for Relation<From, To, Via, N> {
    type Kind = Selectin;
}
impl<R, F, O, L> Strategy for super::Criteria<R, F, O, L> {
    type Kind = Selectin;
}
impl<R, S> Strategy for super::With<R, S> {
    type Kind = Selectin;
}
impl<R, S> Strategy for Joined<R, S> {
    type Kind = Join;
}

/// [`LoadPlan`] for each strategy `K`.
#[doc(hidden)]
pub trait PlanBy<Q, M, C, K> {
    type Loaded;
    fn run_by(&self, query: Q, conn: &mut C, bind_limit: usize) -> Result<Vec<Loaded<M, Self::Loaded>>>;
}

impl<Q, M, C, S> LoadPlan<Q, M, C> for S
where
    S: Strategy + PlanBy<Q, M, C, <S as Strategy>::Kind>,
{
    type Loaded = <S as PlanBy<Q, M, C, S::Kind>>::Loaded;

    fn run(&self, query: Q, conn: &mut C, bind_limit: usize) -> Result<Vec<Loaded<M, Self::Loaded>>> {
        self.run_by(query, conn, bind_limit)
    }
}

impl<'q, Q, M, C, S> PlanBy<Q, M, C, Selectin> for S
where
    S: LoadSpec<M, C>,
    Q: RunQueryDsl<C> + LoadQuery<'q, C, M>,
{
    type Loaded = S::Loaded;

    fn run_by(&self, query: Q, conn: &mut C, bind_limit: usize) -> Result<Vec<Loaded<M, S::Loaded>>> {
        let rows: Vec<M> = query.load(conn)?;
        let with = self.fetch_all(&rows, conn, bind_limit)?;
        Ok(rows.into_iter().zip(with).map(|(row, with)| Loaded { row, with }).collect())
    }
}

impl<Q, C, From, To, Via, N, S> PlanBy<Q, From, C, Join> for Joined<Relation<From, To, Via, N>, S>
where
    From: Model,
    To: Model + Clone,
    N: JoinRows<Q, C, From = From, To = To>,
    S: LoadSpec<To, C>,
{
    type Loaded = (Slot<N, <N::Cardinality as Cardinality>::Out<Loaded<To, S::Loaded>>>, ());

    fn run_by(&self, query: Q, conn: &mut C, bind_limit: usize) -> Result<Vec<Loaded<From, Self::Loaded>>> {
        let (parents, values) = self.join(query, conn, bind_limit)?;
        Ok(parents.into_iter().zip(values).map(|(row, value)| Loaded { row, with: (Slot::new(value), ()) }).collect())
    }
}

impl<From, To, Via, N, S> Joined<Relation<From, To, Via, N>, S>
where
    From: Model,
    To: Model + Clone,
    N: Relationship<From = From, To = To>,
{
    /// Runs the joined statement, then the nested loads: the parent rows,
    /// each with its value of the relation.
    #[allow(clippy::type_complexity)]
    fn join<Q, C>(
        &self,
        query: Q,
        conn: &mut C,
        bind_limit: usize,
    ) -> Result<(Vec<From>, Vec<<N::Cardinality as Cardinality>::Out<Loaded<To, S::Loaded>>>)>
    where
        N: JoinRows<Q, C>,
        S: LoadSpec<To, C>,
    {
        let rows = N::join_rows(query, conn)?;
        // The parents in first-appearance order, and for each joined child
        // the parent it goes to.
        let mut parents: Vec<From> = Vec::new();
        let mut children: Vec<To> = Vec::new();
        let mut owner: Vec<usize> = Vec::new();
        let mut index: HashMap<N::Key, usize> = HashMap::new();
        for (parent, child) in rows {
            let group = match N::GROUPED.then(|| N::parent_key(&parent)).flatten() {
                Some(key) => *index.entry(key).or_insert_with(|| {
                    parents.push(parent);
                    parents.len() - 1
                }),
                None => {
                    parents.push(parent);
                    parents.len() - 1
                }
            };
            if let Some(child) = child {
                children.push(child);
                owner.push(group);
            }
        }
        let nested = self.nested.fetch_all(&children, conn, bind_limit)?;
        let mut groups: Vec<Vec<Loaded<To, S::Loaded>>> = (0..parents.len()).map(|_| Vec::new()).collect();
        for ((row, with), group) in children.into_iter().zip(nested).zip(owner) {
            groups[group].push(Loaded { row, with });
        }
        let values = groups
            .into_iter()
            .map(|related| <N::Cardinality as Cardinality>::collect(related, N::NAME))
            .collect::<Result<Vec<_>>>()?;
        Ok((parents, values))
    }
}

/// A joined relation and selectin relations for the same rows:
/// `(Article::AUTHOR.joined(), Article::TAGS, Article::COMMENTS)`. The joined
/// one comes first; the others are loaded for the parent rows the join
/// returned, one statement per relation and level.
macro_rules! joined_tuple {
    ($($item:ident . $index:tt),+) => {
        impl<Q, C, From, To, Via, N, S, $($item),+> PlanBy<Q, From, C, Join>
            for (Joined<Relation<From, To, Via, N>, S>, $($item,)+)
        where
            From: Model,
            To: Model + Clone,
            N: JoinRows<Q, C, From = From, To = To>,
            S: LoadSpec<To, C>,
            $($item: Clone,)+
            ($($item,)+): LoadSpec<From, C>,
        {
            type Loaded = (
                Slot<N, <N::Cardinality as Cardinality>::Out<Loaded<To, S::Loaded>>>,
                <($($item,)+) as LoadSpec<From, C>>::Loaded,
            );

            fn run_by(&self, query: Q, conn: &mut C, bind_limit: usize) -> Result<Vec<Loaded<From, Self::Loaded>>> {
                let (parents, values) = self.0.join(query, conn, bind_limit)?;
                let others = ($(self.$index.clone(),)+).fetch_all(&parents, conn, bind_limit)?;
                Ok(parents
                    .into_iter()
                    .zip(values)
                    .zip(others)
                    .map(|((row, value), others)| Loaded { row, with: (Slot::new(value), others) })
                    .collect())
            }
        }
    };
}

/// A tuple's strategy is its first item's.
macro_rules! tuple_strategy {
    ($first:ident $(, $item:ident)*) => {
        impl<$first: Strategy $(, $item)*> Strategy for ($first, $($item,)*) {
            type Kind = $first::Kind;
        }
    };
}

tuple_strategy!(A);
tuple_strategy!(A, B);
tuple_strategy!(A, B, D);
tuple_strategy!(A, B, D, E);
tuple_strategy!(A, B, D, E, F);
tuple_strategy!(A, B, D, E, F, G);
tuple_strategy!(A, B, D, E, F, G, H);
tuple_strategy!(A, B, D, E, F, G, H, J);

joined_tuple!(B.1);
joined_tuple!(B.1, D.2);
joined_tuple!(B.1, D.2, E.3);
joined_tuple!(B.1, D.2, E.3, F.4);
joined_tuple!(B.1, D.2, E.3, F.4, G.5);
joined_tuple!(B.1, D.2, E.3, F.4, G.5, H.6);
joined_tuple!(B.1, D.2, E.3, F.4, G.5, H.6, J.7);
