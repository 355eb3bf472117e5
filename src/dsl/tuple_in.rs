//! `(a, b) IN ((?, ?), (?, ?))`: rows whose columns equal one of some
//! tuples of values (SQLAlchemy's `tuple_(a, b).in_([...])`), the filter
//! behind loading relations over composite keys.

use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{Bool, HasSqlType};
use diesel::QueryResult;

/// See [`tuple_in`].
#[derive(Debug, Clone)]
pub struct TupleIn<Columns, Values> {
    columns: Columns,
    values: Vec<Values>,
}

/// `(a, b, ...) IN ((?, ?, ...), ...)`: true where the columns equal one
/// of `values`, element by element, each bound with its column's SQL type.
/// SQLite and MySQL get this row-value form; PostgreSQL gets
/// `IN (VALUES (?, ?), ...)`, which it plans as a join against the list
/// (the plain list becomes one `OR` per tuple there, and thousands of them
/// exceed its stack depth limit). An empty `values` renders `1 = 0`.
/// Tuples of two to four columns.
///
/// ```
/// use diesel::prelude::*;
/// diesel::table! { bins (warehouse, aisle) { warehouse -> Integer, aisle -> SmallInt, label -> Text } }
///
/// let query = bins::table
///     .filter(quarry::dsl::tuple_in((bins::warehouse, bins::aisle), vec![(1, 2_i16), (1, 3)]))
///     .select(bins::label);
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
/// assert!(sql.starts_with("SELECT `bins`.`label` FROM `bins` WHERE (`bins`.`warehouse`, `bins`.`aisle`) IN ((?, ?), (?, ?))"), "{sql}");
/// ```
pub fn tuple_in<Columns, Values>(columns: Columns, values: Vec<Values>) -> TupleIn<Columns, Values>
where
    Columns: Expression,
{
    TupleIn { columns, values }
}

/// A tuple of columns that renders itself, and a tuple of values for it.
#[doc(hidden)]
pub trait RowValue<Values, DB: Backend> {
    fn walk_columns<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()>;
    fn walk_values<'b>(values: &'b Values, out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()>;
}

macro_rules! row_value {
    ($first:ident $first_value:ident 0 $(, $column:ident $value:ident $index:tt)+) => {
        impl<DB, $first, $first_value $(, $column, $value)+> RowValue<($first_value, $($value,)+), DB>
            for ($first, $($column,)+)
        where
            DB: Backend + HasSqlType<$first::SqlType> $(+ HasSqlType<$column::SqlType>)+,
            $first: Expression + QueryFragment<DB>,
            $first_value: ToSql<$first::SqlType, DB>,
            $(
                $column: Expression + QueryFragment<DB>,
                $value: ToSql<$column::SqlType, DB>,
            )+
        {
            fn walk_columns<'b>(&'b self, out: &mut AstPass<'_, 'b, DB>) -> QueryResult<()> {
                out.push_sql("(");
                self.0.walk_ast(out.reborrow())?;
                $(
                    out.push_sql(", ");
                    self.$index.walk_ast(out.reborrow())?;
                )+
                out.push_sql(")");
                Ok(())
            }

            fn walk_values<'b>(
                values: &'b ($first_value, $($value,)+),
                out: &mut AstPass<'_, 'b, DB>,
            ) -> QueryResult<()> {
                out.push_sql("(");
                out.push_bind_param::<$first::SqlType, $first_value>(&values.0)?;
                $(
                    out.push_sql(", ");
                    out.push_bind_param::<$column::SqlType, $value>(&values.$index)?;
                )+
                out.push_sql(")");
                Ok(())
            }
        }
    };
}

row_value!(A VA 0, B VB 1);
row_value!(A VA 0, B VB 1, C VC 2);
row_value!(A VA 0, B VB 1, C VC 2, D VD 3);

impl<Columns, Values> QueryId for TupleIn<Columns, Values> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Columns: Expression, Values> Expression for TupleIn<Columns, Values> {
    type SqlType = Bool;
}

impl<Columns: AppearsOnTable<QS>, Values, QS> AppearsOnTable<QS> for TupleIn<Columns, Values> {}

impl<Columns: SelectableExpression<QS>, Values, QS> SelectableExpression<QS> for TupleIn<Columns, Values> {}

impl<Columns: ValidGrouping<GB>, Values, GB> ValidGrouping<GB> for TupleIn<Columns, Values> {
    type IsAggregate = Columns::IsAggregate;
}

impl<Columns, Values> TupleIn<Columns, Values> {
    /// `(a, b) IN ((?, ?), ...)`, or with `VALUES` before the list, which
    /// PostgreSQL plans as a join against the list instead of one `OR` per
    /// tuple (a long `OR` chain exceeds its stack depth limit).
    fn walk<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>, values_list: bool) -> QueryResult<()>
    where
        DB: Backend,
        Columns: RowValue<Values, DB>,
    {
        if self.values.is_empty() {
            out.push_sql("1 = 0");
            return Ok(());
        }
        self.columns.walk_columns(&mut out)?;
        out.push_sql(if values_list { " IN (VALUES " } else { " IN (" });
        for (i, values) in self.values.iter().enumerate() {
            if i > 0 {
                out.push_sql(", ");
            }
            Columns::walk_values(values, &mut out)?;
        }
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(feature = "postgres")]
impl<Columns: RowValue<Values, diesel::pg::Pg>, Values> QueryFragment<diesel::pg::Pg> for TupleIn<Columns, Values> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        self.walk(out, true)
    }
}

#[cfg(feature = "sqlite")]
impl<Columns: RowValue<Values, diesel::sqlite::Sqlite>, Values> QueryFragment<diesel::sqlite::Sqlite>
    for TupleIn<Columns, Values>
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::sqlite::Sqlite>) -> QueryResult<()> {
        self.walk(out, false)
    }
}

#[cfg(feature = "mysql")]
impl<Columns: RowValue<Values, diesel::mysql::Mysql>, Values> QueryFragment<diesel::mysql::Mysql>
    for TupleIn<Columns, Values>
{
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::mysql::Mysql>) -> QueryResult<()> {
        self.walk(out, false)
    }
}

/// See [`row`].
#[derive(Debug, Clone, Copy, QueryId)]
pub struct Row<T>(T);

/// A tuple of expressions as one row value, `(a, b)`, to compare with a
/// subquery selecting as many columns:
/// `in_subquery(row((bins::warehouse, bins::aisle)), stock.select((stock::warehouse, stock::aisle)))`.
///
/// ```
/// use diesel::prelude::*;
/// diesel::table! { bins (warehouse, aisle) { warehouse -> Integer, aisle -> SmallInt } }
/// diesel::table! { stock (id) { id -> Integer, warehouse -> Integer, aisle -> SmallInt, qty -> Integer } }
/// diesel::allow_tables_to_appear_in_same_query!(bins, stock);
///
/// let stocked = stock::table.filter(stock::qty.gt(0)).select((stock::warehouse, stock::aisle));
/// let query = bins::table.filter(quarry::dsl::in_subquery(quarry::dsl::row((bins::warehouse, bins::aisle)), stocked));
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
/// assert!(sql.contains("WHERE (`bins`.`warehouse`, `bins`.`aisle`) IN (SELECT `stock`.`warehouse`, `stock`.`aisle` FROM `stock`"), "{sql}");
/// ```
pub fn row<T: Expression>(columns: T) -> Row<T> {
    Row(columns)
}

impl<T: Expression> Expression for Row<T> {
    type SqlType = T::SqlType;
}

impl<T: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for Row<T> {}

impl<T: SelectableExpression<QS>, QS> SelectableExpression<QS> for Row<T> {}

impl<T: ValidGrouping<GB>, GB> ValidGrouping<GB> for Row<T> {
    type IsAggregate = T::IsAggregate;
}

impl<T: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Row<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(")");
        Ok(())
    }
}
