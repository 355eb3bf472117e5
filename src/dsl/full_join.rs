//! `FULL OUTER JOIN`: every row of both tables, matched where the `ON`
//! condition holds and padded with NULLs where it does not (SQLAlchemy's
//! `join(a, b, onclause, full=True)`).
//!
//! diesel joins `INNER` and `LEFT OUTER` only. A full join makes the
//! columns of *both* tables nullable, so they are selected through
//! [`outer`], whose type is nullable; a bare column does not compile in
//! its select clause. PostgreSQL and SQLite (3.39+) have full joins;
//! MySQL/MariaDB do not, and there it does not compile.
//!
//! ```
//! use diesel::prelude::*;
//! use quarry::dsl::{full_join, outer};
//! # diesel::table! { authors (id) { id -> Integer, name -> Text } }
//! # diesel::table! { articles (id) { id -> Integer, title -> Text, author_id -> Nullable<Integer> } }
//! # diesel::allow_tables_to_appear_in_same_query!(authors, articles);
//! let mut conn = SqliteConnection::establish(":memory:").unwrap();
//! # diesel::connection::SimpleConnection::batch_execute(&mut conn, "
//! #   CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
//! #   CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT NOT NULL, author_id INTEGER);
//! #   INSERT INTO authors VALUES (1, 'Ada'), (2, 'Grace');
//! #   INSERT INTO articles VALUES (1, 'Notes', 1), (2, 'Anonymous', NULL);").unwrap();
//! let pairs: Vec<(Option<String>, Option<String>)> =
//!     full_join(authors::table, articles::table, articles::author_id.eq(authors::id.nullable()))
//!         .select((outer(authors::name), outer(articles::title)))
//!         .order_by(articles::id)
//!         .load(&mut conn)
//!         .unwrap();
//! assert_eq!(pairs.len(), 3); // Ada with Notes, Grace alone, Anonymous alone
//! assert!(pairs.contains(&(Some("Grace".into()), None)));
//! assert!(pairs.contains(&(None, Some("Anonymous".into()))));
//! ```

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::internal::table_macro::{FromClause, Inner, Join, SelectStatement};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::query_source::{AppearsInFromClause, Plus, QuerySource};
use diesel::sql_types::{BoolOrNullableBool, IntoNullable};
use diesel::{QueryResult, Table};

/// `left FULL OUTER JOIN right ON on`, as a query to filter, select from
/// and order like any other. `on` may name only columns of the two
/// tables. Select their columns through [`outer`].
pub fn full_join<L, R, On>(left: L, right: R, on: On) -> SelectStatement<FromClause<FullJoin<L, R, On>>>
where
    L: Table,
    R: Table,
    L::FromClause: Clone,
    R::FromClause: Clone,
    On: AppearsOnTable<Join<L, R, Inner>> + Expression + Clone,
    On::SqlType: BoolOrNullableBool,
    FullJoin<L, R, On>: QuerySource,
{
    let (left_from, right_from) = (left.from_clause(), right.from_clause());
    SelectStatement::simple(FullJoin { left_from, right_from, on, tables: std::marker::PhantomData })
}

/// A column of a [`full_join`]ed table, as the join gives it: NULL in the
/// rows the other table's unmatched rows add (`Option<T>` in Rust).
pub fn outer<C: Expression>(column: C) -> Outer<C> {
    Outer(column)
}

/// See [`full_join`].
pub struct FullJoin<L: Table, R: Table, On> {
    /// The tables as a FROM clause names them, made once, to be borrowed
    /// while the statement is written.
    left_from: L::FromClause,
    right_from: R::FromClause,
    on: On,
    tables: std::marker::PhantomData<(L, R)>,
}

/// See [`outer`].
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Outer<C>(C);

impl<L, R, On> Clone for FullJoin<L, R, On>
where
    L: Table,
    R: Table,
    L::FromClause: Clone,
    R::FromClause: Clone,
    On: Clone,
{
    fn clone(&self) -> Self {
        FullJoin {
            left_from: self.left_from.clone(),
            right_from: self.right_from.clone(),
            on: self.on.clone(),
            tables: std::marker::PhantomData,
        }
    }
}

impl<L, R, On> QuerySource for FullJoin<L, R, On>
where
    L: Table,
    R: Table,
    L::FromClause: Clone,
    R::FromClause: Clone,
    On: Clone,
    Outer<L::AllColumns>: SelectableExpression<Self>,
    Outer<R::AllColumns>: SelectableExpression<Self>,
{
    type FromClause = Self;
    type DefaultSelection = (Outer<L::AllColumns>, Outer<R::AllColumns>);

    fn from_clause(&self) -> Self {
        self.clone()
    }

    fn default_selection(&self) -> Self::DefaultSelection {
        (Outer(L::all_columns()), Outer(R::all_columns()))
    }
}

impl<L, R, On, T> AppearsInFromClause<T> for FullJoin<L, R, On>
where
    L: Table + AppearsInFromClause<T>,
    R: Table + AppearsInFromClause<T>,
    L::Count: Plus<R::Count>,
{
    type Count = <L::Count as Plus<R::Count>>::Output;
}

// The ON condition's values are rendered: never cache by type.
impl<L: Table, R: Table, On> QueryId for FullJoin<L, R, On> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

macro_rules! full_join_sql {
    ($backend:ty, $feature:literal) => {
        #[cfg(feature = $feature)]
        impl<L, R, On> QueryFragment<$backend> for FullJoin<L, R, On>
        where
            L: Table,
            R: Table,
            L::FromClause: QueryFragment<$backend>,
            R::FromClause: QueryFragment<$backend>,
            On: QueryFragment<$backend>,
        {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                self.left_from.walk_ast(out.reborrow())?;
                out.push_sql(" FULL OUTER JOIN ");
                self.right_from.walk_ast(out.reborrow())?;
                out.push_sql(" ON ");
                self.on.walk_ast(out)
            }
        }
    };
}

full_join_sql!(diesel::pg::Pg, "postgres");
full_join_sql!(diesel::sqlite::Sqlite, "sqlite");

impl<C> Expression for Outer<C>
where
    C: Expression,
    C::SqlType: IntoNullable,
    <C::SqlType as IntoNullable>::Nullable: diesel::expression::TypedExpressionType,
{
    type SqlType = <C::SqlType as IntoNullable>::Nullable;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Outer<C> where Self: Expression {}

/// Selectable from the full join where the column is from one of its
/// tables: what an inner join of the two would select.
impl<C, L, R, On> SelectableExpression<FullJoin<L, R, On>> for Outer<C>
where
    L: Table,
    R: Table,
    C: SelectableExpression<Join<L, R, Inner>>,
    Self: AppearsOnTable<FullJoin<L, R, On>>,
{
}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for Outer<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Outer<C> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}
