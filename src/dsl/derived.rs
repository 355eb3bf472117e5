//! Subqueries in `FROM`, named by a [`cte_tables!`](crate::cte_tables)
//! table as a CTE is: a derived table, `(subquery) AS name (columns)`
//! (SQLAlchemy's `select(...).subquery()`), and a lateral one, `LATERAL
//! (subquery) AS name (columns)`, run once per row of the tables before it
//! and free to name their columns (SQLAlchemy's `select(...).lateral()`).
//!
//! Both are tables to diesel: a query reads them, or joins them with
//! `.on(...)`, and a left join makes their columns nullable as any
//! table's:
//!
//! ```
//! # include!("../doctest_setup.rs");
//! # use diesel::dsl::count_star;
//! # use diesel::sql_types::{BigInt, Bool, Integer, Text};
//! # use quarry::dsl::{derived, lateral};
//! quarry::cte_tables! {
//!     use crate::schema;
//!     busy (author_id: Integer, written: BigInt);
//!     top (title: Text, views: Integer);
//! }
//! # fn main() -> quarry::Result<()> {
//! # let mut session = seeded();
//! # let conn = session.connection();
//! let per_author = articles::table.group_by(articles::author_id).select((articles::author_id, count_star()));
//! let rows: Vec<(String, i64)> = authors::table
//!     .inner_join(derived(busy::table, per_author).on(busy::author_id.eq(authors::id)))
//!     .select((authors::name, busy::written))
//!     .load(conn)?;
//! # assert_eq!(rows.len(), 2);
//! # Ok(())
//! # }
//! # // PostgreSQL only:
//! # #[cfg(feature = "postgres")]
//! # fn best_two(conn: &mut diesel::PgConnection) -> diesel::QueryResult<Vec<(String, String, i32)>> {
//!
//! let best = articles::table
//!     .filter(articles::author_id.eq(authors::id))   // the outer row's key
//!     .order(articles::views.desc())
//!     .limit(2)
//!     .select((articles::title, articles::views));
//! let rows: Vec<(String, String, i32)> = authors::table
//!     .inner_join(lateral(top::table, best).on(true.into_sql::<Bool>()))
//!     .select((authors::name, top::title, top::views))
//!     .load(conn)?;
//! # Ok(rows)
//! # }
//! ```
//!
//! `.left_join(...)` in place of `.inner_join(...)` keeps the outer rows
//! the subquery has no row for; its columns are then selected
//! `.nullable()`.
//!
//! A derived table runs on every backend. PostgreSQL names its columns in
//! the `AS`; SQLite and MariaDB cannot, so there quarry writes `(WITH name
//! (columns) AS (subquery) SELECT * FROM name) AS name`, the same relation.
//! `LATERAL` is PostgreSQL only: SQLite has no `LATERAL`, nor MariaDB
//! (MySQL 8.0.14+ has it, but diesel's MySQL backend cannot tell the two
//! apart), so it does not compile there. A lateral subquery's select list
//! must have the table's column types; its outer references are checked by
//! PostgreSQL, not rustc (diesel types a subquery only against its own
//! `FROM`).

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use std::marker::PhantomData;

use diesel::backend::Backend;
use diesel::internal::table_macro::{FromClause, SelectStatement};
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId, SelectQuery};
use diesel::query_source::QuerySource;
use diesel::{QueryResult, Table};

use super::cte::{ColumnNames, SameRow};

/// `(subquery) AS table (columns)`: a query over `subquery`'s rows as the
/// table `table`, to read (`derived(t, q).select(...)`) or to join
/// (`.inner_join(derived(t, q).on(condition))`). `subquery` must select
/// the table's column types, in order.
pub fn derived<T, Q>(table: T, subquery: Q) -> Derived<T, Q>
where
    T: Table,
    Q: Query + SelectQuery,
    <Q as Query>::SqlType: SameRow<<T::AllColumns as Expression>::SqlType>,
{
    Derived { name: table.from_clause(), subquery, table, kind: PhantomData }
}

/// `LATERAL (subquery) AS table (columns)`, to join with
/// `.inner_join(lateral(table, subquery).on(condition))` or
/// `.left_join(...)`. PostgreSQL only.
pub fn lateral<T, Q>(table: T, subquery: Q) -> Lateral<T, Q>
where
    T: Table,
    Q: LateralRow<<T::AllColumns as Expression>::SqlType>,
{
    Derived { name: table.from_clause(), subquery, table, kind: PhantomData }
}

/// A subquery in `FROM`, named by the table `T`: see [`derived`] and
/// [`lateral`]. `K` is [`Plain`] or [`IsLateral`].
pub struct Derived<T: Table, Q, K = Plain> {
    name: T::FromClause,
    subquery: Q,
    table: T,
    kind: PhantomData<K>,
}

/// See [`lateral`].
pub type Lateral<T, Q> = Derived<T, Q, IsLateral>;

/// A [`Derived`] table that reads only its own subquery.
#[derive(Debug, Clone, Copy)]
pub struct Plain;

/// A [`Derived`] table whose subquery may name the columns before it.
#[derive(Debug, Clone, Copy)]
pub struct IsLateral;

impl<T: Table + Clone, Q: Clone, K> Clone for Derived<T, Q, K>
where
    T::FromClause: Clone,
{
    fn clone(&self) -> Self {
        Derived {
            name: self.name.clone(),
            subquery: self.subquery.clone(),
            table: self.table.clone(),
            kind: PhantomData,
        }
    }
}

/// A select whose row type is `Row`: checked on its select clause alone,
/// since a lateral subquery names columns its own `FROM` lacks.
#[diagnostic::on_unimplemented(
    message = "this subquery does not select the lateral table's row `{Row}`",
    label = "its select list must have the table's column types, in order"
)]
pub trait LateralRow<Row> {}

// diesel names the select clause's type only under the feature quarry's
// `postgres` turns on, which is also the one backend with LATERAL.
#[cfg(feature = "postgres")]
impl<F, S, D, W, O, LOf, G, H, LC, Row> LateralRow<Row> for SelectStatement<FromClause<F>, S, D, W, O, LOf, G, H, LC>
where
    F: QuerySource,
    S: diesel::query_builder::SelectClauseExpression<FromClause<F>>,
    S::SelectClauseSqlType: SameRow<Row>,
{
}

impl<T, Q, K> QuerySource for Derived<T, Q, K>
where
    T: Table + Clone,
    T::FromClause: Clone,
    T::AllColumns: AppearsOnTable<Self>,
    Q: Clone,
{
    type FromClause = Self;
    type DefaultSelection = AllColumns<T::AllColumns>;

    fn from_clause(&self) -> Self {
        self.clone()
    }

    fn default_selection(&self) -> Self::DefaultSelection {
        AllColumns(T::all_columns())
    }
}

/// A derived table's columns, as its default selection: selectable
/// wherever the table appears (its columns' own impls name diesel's join
/// types, which a derived source is not).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, QueryId)]
pub struct AllColumns<S>(S);

impl<S: Expression> Expression for AllColumns<S> {
    type SqlType = S::SqlType;
}

impl<S: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for AllColumns<S> {}

impl<S: AppearsOnTable<QS>, QS> SelectableExpression<QS> for AllColumns<S> {}

impl<S: ValidGrouping<GB>, GB> ValidGrouping<GB> for AllColumns<S> {
    type IsAggregate = S::IsAggregate;
}

impl<S: QueryFragment<DB>, DB: diesel::backend::Backend> QueryFragment<DB> for AllColumns<S> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

/// A derived table is a table to diesel: its columns are the declared
/// table's, and a left join makes them nullable as any table's are
/// (diesel's `Nullable` selects through a join made inner, which it can
/// make of tables only). Where it appears is counted by impls that
/// [`cte_tables!`](crate::cte_tables) (its own table) and the generated
/// schema (every other table) write: impls generic over the table here
/// would overlap diesel's blanket impl for two different tables.
impl<T, Q, K> Table for Derived<T, Q, K>
where
    T: Table + Clone,
    T::FromClause: Clone,
    T::PrimaryKey: SelectableExpression<Self>,
    T::AllColumns: AppearsOnTable<Self> + SelectableExpression<Self>,
    Q: Clone,
{
    type PrimaryKey = T::PrimaryKey;
    type AllColumns = AllColumns<T::AllColumns>;

    fn primary_key(&self) -> Self::PrimaryKey {
        self.table.primary_key()
    }

    fn all_columns() -> Self::AllColumns {
        AllColumns(T::all_columns())
    }
}

impl<T, Q, K> AsQuery for Derived<T, Q, K>
where
    T: Table + Clone,
    T::FromClause: Clone,
    T::AllColumns: AppearsOnTable<Self> + SelectableExpression<Self>,
    Q: Clone,
    SelectStatement<FromClause<Self>>: Query<SqlType = <T::AllColumns as Expression>::SqlType>,
{
    type SqlType = <T::AllColumns as Expression>::SqlType;
    type Query = SelectStatement<FromClause<Self>>;

    fn as_query(self) -> Self::Query {
        SelectStatement::simple(self)
    }
}

// The subquery's values are rendered: never cache by type.
impl<T: Table, Q, K> QueryId for Derived<T, Q, K> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

#[cfg(feature = "postgres")]
impl<T, Q> QueryFragment<diesel::pg::Pg> for Lateral<T, Q>
where
    T: Table,
    T::FromClause: QueryFragment<diesel::pg::Pg>,
    T::AllColumns: ColumnNames,
    Q: QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("LATERAL ");
        self.walk_named(out)
    }
}

/// PostgreSQL names a derived table's columns in its `AS`.
#[cfg(feature = "postgres")]
impl<T, Q> QueryFragment<diesel::pg::Pg> for Derived<T, Q, Plain>
where
    T: Table,
    T::FromClause: QueryFragment<diesel::pg::Pg>,
    T::AllColumns: ColumnNames,
    Q: QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        self.walk_named(out)
    }
}

impl<T: Table, Q, K> Derived<T, Q, K> {
    /// `(subquery) AS name (columns)`.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    fn walk_named<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: Backend,
        T::FromClause: QueryFragment<DB>,
        T::AllColumns: ColumnNames,
        Q: QueryFragment<DB>,
    {
        out.push_sql("(");
        self.subquery.walk_ast(out.reborrow())?;
        out.push_sql(") AS ");
        super::cte::walk_named_columns::<T, _>(&self.name, out)
    }

    /// `(WITH name (columns) AS (subquery) SELECT * FROM name) AS name`,
    /// for backends whose `AS` cannot name a derived table's columns.
    #[cfg_attr(not(any(feature = "sqlite", feature = "mysql")), allow(dead_code))]
    fn walk_through_cte<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: Backend,
        T::FromClause: QueryFragment<DB>,
        T::AllColumns: ColumnNames,
        Q: QueryFragment<DB>,
    {
        out.push_sql("(WITH ");
        super::cte::walk_named_columns::<T, _>(&self.name, out.reborrow())?;
        out.push_sql(" AS (");
        self.subquery.walk_ast(out.reborrow())?;
        out.push_sql(") SELECT * FROM ");
        self.name.walk_ast(out.reborrow())?;
        out.push_sql(") AS ");
        self.name.walk_ast(out)
    }
}

macro_rules! derived_through_cte {
    ($backend:ty, $feature:literal) => {
        /// SQLite and MariaDB cannot name a derived table's columns in its
        /// `AS`: a CTE inside it does.
        #[cfg(feature = $feature)]
        impl<T, Q> QueryFragment<$backend> for Derived<T, Q, Plain>
        where
            T: Table,
            T::FromClause: QueryFragment<$backend>,
            T::AllColumns: ColumnNames,
            Q: QueryFragment<$backend>,
        {
            fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                self.walk_through_cte(out)
            }
        }
    };
}

derived_through_cte!(diesel::sqlite::Sqlite, "sqlite");
derived_through_cte!(diesel::mysql::Mysql, "mysql");
