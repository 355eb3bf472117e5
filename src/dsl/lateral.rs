//! `JOIN LATERAL (subquery) AS name (columns)`: a subquery run once per row
//! of the tables before it, which may name their columns (PostgreSQL's
//! "top N per group"; SQLAlchemy's `select(...).lateral()`).
//!
//! The subquery is named by a [`cte_tables!`](crate::cte_tables) table, as
//! a CTE is, and joined with `.on(...)`:
//!
//! ```ignore
//! quarry::cte_tables! { use crate::schema; top (title: Text, views: Integer); }
//! let best = articles::table
//!     .filter(articles::author_id.eq(authors::id))   // the outer row's key
//!     .order(articles::views.desc())
//!     .limit(2)
//!     .select((articles::title, articles::views));
//! let rows: Vec<(String, String, i32)> = authors::table
//!     .inner_join(lateral(top::table, best).on(true.into_sql::<Bool>()))
//!     .select((authors::name, top::title, top::views))
//!     .load(conn)?;
//! ```
//!
//! `.left_join(...)` in place of `.inner_join(...)` writes `LEFT JOIN
//! LATERAL`, which keeps the outer rows the subquery has no row for; its
//! columns are then selected `.nullable()`, as a left-joined table's are.
//!
//! PostgreSQL only: SQLite has no `LATERAL`, nor MariaDB (MySQL 8.0.14+
//! has it, but diesel's MySQL backend cannot tell the two apart), so it
//! does not compile there. The subquery's select list must have the
//! table's column types; its outer references are checked by PostgreSQL,
//! not rustc (diesel types a subquery only against its own `FROM`).

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::internal::table_macro::{FromClause, SelectStatement};
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId};
use diesel::query_source::QuerySource;
use diesel::{QueryResult, Table};

#[cfg(feature = "postgres")]
use super::cte::{ColumnNames, SameRow};

/// `LATERAL (subquery) AS table (columns)`, to join with
/// `.inner_join(lateral(table, subquery).on(condition))`.
pub fn lateral<T, Q>(table: T, subquery: Q) -> Lateral<T, Q>
where
    T: Table,
    Q: LateralRow<<T::AllColumns as Expression>::SqlType>,
{
    Lateral { name: table.from_clause(), subquery, table }
}

/// See [`lateral`].
pub struct Lateral<T: Table, Q> {
    name: T::FromClause,
    subquery: Q,
    table: T,
}

impl<T: Table + Clone, Q: Clone> Clone for Lateral<T, Q>
where
    T::FromClause: Clone,
{
    fn clone(&self) -> Self {
        Lateral { name: self.name.clone(), subquery: self.subquery.clone(), table: self.table.clone() }
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

impl<T, Q> QuerySource for Lateral<T, Q>
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

/// A lateral table's columns, as its default selection: selectable
/// wherever the table appears (its columns' own impls name diesel's join
/// types, which a lateral source is not).
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

/// A lateral subquery is a table to diesel: its columns are the declared
/// table's, and a left join makes them nullable as any table's are
/// (diesel's `Nullable` selects through a join made inner, which it can
/// make of tables only). Where it appears is counted by impls that
/// [`cte_tables!`](crate::cte_tables) (its own table) and the generated
/// schema (every other table) write: impls generic over the table here
/// would overlap diesel's blanket impl for two different tables.
impl<T, Q> Table for Lateral<T, Q>
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

impl<T, Q> AsQuery for Lateral<T, Q>
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
impl<T: Table, Q> QueryId for Lateral<T, Q> {
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
        out.push_sql("LATERAL (");
        self.subquery.walk_ast(out.reborrow())?;
        out.push_sql(") AS ");
        super::cte::walk_named_columns::<T, _>(&self.name, out)
    }
}
