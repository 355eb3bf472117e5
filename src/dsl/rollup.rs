//! Subtotals: `GROUP BY ROLLUP (a, b)`, `GROUP BY CUBE (a, b)` and
//! `GROUP BY GROUPING SETS ((a, b), (a), ())` (SQLAlchemy's
//! `group_by(func.rollup(a, b))`, `func.cube`, `func.grouping_sets`).
//!
//! A rollup adds, after the groups of `(a, b)`, a subtotal row per `a`
//! and a grand total row; a cube adds a subtotal row for every subset of
//! the columns. In those rows the columns rolled up are NULL, so a
//! grouped column is selected through [`rolled`], whose type is nullable:
//! selecting the bare column does not compile (diesel reports that it is
//! not in the `GROUP BY`), and neither does a rollup on a backend without
//! one.
//!
//! ```
//! use diesel::dsl::count_star;
//! use diesel::prelude::*;
//! use quarry::dsl::{rolled, rollup};
//! # diesel::table! { sales (id) { id -> Integer, region -> Text, product -> Text } }
//! // Rows of (Option<String>, Option<String>, i64): per region and
//! // product, per region (product NULL), and in all (both NULL).
//! let per_region = sales::table
//!     .group_by(rollup((sales::region, sales::product)))
//!     .select((rolled(sales::region), rolled(sales::product), count_star()));
//! // PostgreSQL: ... GROUP BY ROLLUP ("sales"."region", "sales"."product")
//! // MySQL:      ... GROUP BY `sales`.`region`, `sales`.`product` WITH ROLLUP
//! # let _ = per_region;
//! ```

use diesel::backend::Backend;
use diesel::expression::is_aggregate;
use diesel::expression::is_contained_in_group_by::{No, Yes};
use diesel::expression::{AppearsOnTable, Expression, IsContainedInGroupBy, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::IntoNullable;
use diesel::{Column, QueryResult};

/// `ROLLUP (columns)` as a `GROUP BY`: the groups of `columns`, then a
/// subtotal row for each prefix of them, then a grand total. `columns`
/// is one column or a tuple. PostgreSQL renders `GROUP BY ROLLUP (a, b)`,
/// MySQL/MariaDB `GROUP BY a, b WITH ROLLUP`; SQLite has no rollup, and it
/// does not compile there. MariaDB refuses an `ORDER BY` beside a rollup
/// (its rows come sorted by the grouped columns); MySQL 8 and PostgreSQL
/// accept one.
pub fn rollup<T: Expression>(columns: T) -> Rollup<T> {
    Rollup(columns)
}

/// `CUBE (columns)` as a `GROUP BY`: the groups of `columns` and a
/// subtotal row for every subset of them. PostgreSQL only; it does not
/// compile for SQLite or MySQL/MariaDB, which have no cube.
pub fn cube<T: Expression>(columns: T) -> Cube<T> {
    Cube(columns)
}

/// `GROUPING SETS ((a, b), (c), ...)` as a `GROUP BY`: the groups of each
/// set, in one result; `.with_total()` adds the empty set `()`, a grand
/// total row. `sets` is a tuple of sets (one to six), each one column or a
/// tuple of columns. PostgreSQL only; it does not compile for SQLite or
/// MySQL/MariaDB, which have no grouping sets (a `UNION ALL` of the
/// groupings gives the same rows).
pub fn grouping_sets<T: Expression>(sets: T) -> GroupingSets<T> {
    GroupingSets { sets, total: false }
}

/// See [`grouping_sets`].
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub struct GroupingSets<T> {
    sets: T,
    total: bool,
}

impl<T> GroupingSets<T> {
    /// Adds the empty grouping set `()`: one row over all rows.
    pub fn with_total(self) -> Self {
        GroupingSets { total: true, ..self }
    }
}

// Whether the empty set is there is a value: never cache by type.
impl<T> QueryId for GroupingSets<T> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

/// A column grouped by a [`rollup`], [`cube`] or [`grouping_sets`], as
/// selected beside it:
/// NULL in the rows where it is rolled up, so its type is nullable
/// (`Option<T>` in Rust).
pub fn rolled<C: Column>(column: C) -> Rolled<C> {
    Rolled(column)
}

/// `GROUPING(column)`: 1 in the rows where a [`rollup`], [`cube`] or
/// [`grouping_sets`] rolled `column` up (a subtotal), 0 where the row is
/// grouped by it. It tells a subtotal's NULL from a NULL in the data.
/// PostgreSQL only: MariaDB has no `GROUPING()`, and diesel's MySQL
/// backend cannot tell it from MySQL, so it does not compile there.
pub fn grouping<C: Column>(column: C) -> Grouping<C> {
    Grouping(column)
}

/// See [`grouping`].
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Grouping<C>(C);

impl<C: Column> Expression for Grouping<C> {
    type SqlType = diesel::sql_types::Integer;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Grouping<C> where Self: Expression {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for Grouping<C> where Self: Expression {}

#[cfg(feature = "postgres")]
impl<C: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for Grouping<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("GROUPING(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}

/// See [`rollup`].
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Rollup<T>(T);

/// See [`cube`].
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Cube<T>(T);

/// See [`rolled`].
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Rolled<C>(C);

macro_rules! grouping {
    ($($set:ident),+) => {$(
        impl<T: Expression> Expression for $set<T> {
            type SqlType = T::SqlType;
        }

        impl<T: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for $set<T> {}

        // A bare column is not grouped by a rollup or cube as it is
        // selected: its subtotal rows hold NULL. Select it through `rolled`.
        impl<T, C: Column> IsContainedInGroupBy<C> for $set<T> {
            type Output = No;
        }

        impl<T, C> ValidGrouping<$set<T>> for Rolled<C>
        where
            T: IsContainedInGroupBy<C, Output = Yes>,
        {
            type IsAggregate = is_aggregate::Yes;
        }

        impl<T, C> ValidGrouping<$set<T>> for Grouping<C>
        where
            T: IsContainedInGroupBy<C, Output = Yes>,
        {
            type IsAggregate = is_aggregate::Yes;
        }
    )+};
}

grouping!(Rollup, Cube, GroupingSets);

impl<C: Column> Expression for Rolled<C>
where
    C::SqlType: IntoNullable,
    <C::SqlType as IntoNullable>::Nullable: diesel::sql_types::SingleValue,
{
    type SqlType = <C::SqlType as IntoNullable>::Nullable;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Rolled<C> where Self: Expression {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for Rolled<C> where Self: Expression {}

impl<C: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Rolled<C> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

/// `ROLLUP (a, b)`, or `CUBE (a, b)`: a tuple renders as its elements
/// separated by commas.
#[cfg(feature = "postgres")]
fn walk_function<'b, T: QueryFragment<diesel::pg::Pg>>(
    name: &str,
    columns: &'b T,
    mut out: AstPass<'_, 'b, diesel::pg::Pg>,
) -> QueryResult<()> {
    out.push_sql(name);
    out.push_sql(" (");
    columns.walk_ast(out.reborrow())?;
    out.push_sql(")");
    Ok(())
}

#[cfg(feature = "postgres")]
impl<T: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for Rollup<T> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        walk_function("ROLLUP", &self.0, out)
    }
}

#[cfg(feature = "postgres")]
impl<T: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for Cube<T> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        walk_function("CUBE", &self.0, out)
    }
}

/// MySQL/MariaDB write the modifier after the grouped columns.
#[cfg(feature = "mysql")]
impl<T: QueryFragment<diesel::mysql::Mysql>> QueryFragment<diesel::mysql::Mysql> for Rollup<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::mysql::Mysql>) -> QueryResult<()> {
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" WITH ROLLUP");
        Ok(())
    }
}

/// The sets of a [`grouping_sets`], each in parentheses.
#[doc(hidden)]
pub trait SetList<DB: Backend> {
    fn walk_sets<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()>;
}

macro_rules! set_list {
    ($($set:ident $index:tt),+) => {
        impl<DB: Backend, $($set: QueryFragment<DB>),+> SetList<DB> for ($($set,)+) {
            fn walk_sets<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()> {
                let mut first = true;
                $(
                    if !std::mem::take(&mut first) {
                        out.push_sql(", ");
                    }
                    out.push_sql("(");
                    self.$index.walk_ast(out.reborrow())?;
                    out.push_sql(")");
                )+
                let _ = first;
                Ok(())
            }
        }
    };
}

set_list!(A 0);
set_list!(A 0, B 1);
set_list!(A 0, B 1, C 2);
set_list!(A 0, B 1, C 2, D 3);
set_list!(A 0, B 1, C 2, D 3, E 4);
set_list!(A 0, B 1, C 2, D 3, E 4, F 5);

#[cfg(feature = "postgres")]
impl<T: SetList<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for GroupingSets<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("GROUPING SETS (");
        self.sets.walk_sets(&mut out)?;
        if self.total {
            out.push_sql(", ()");
        }
        out.push_sql(")");
        Ok(())
    }
}
