//! Multi-row `INSERT`s for [`Session::insert_all`](super::Session::insert_all)
//! and the unit of work: as many rows per statement as the backend's bind
//! limit allows for the table's real width.
//!
//! PostgreSQL and MySQL/MariaDB write `DEFAULT` for a value a row leaves
//! unset, so diesel's own multi-row insert does. SQLite cannot write
//! `DEFAULT` inside `VALUES`, and diesel falls back to one statement per
//! row there; quarry instead groups the rows by the columns they set and
//! writes one statement per group and chunk.

use diesel::{QueryResult, Table};

/// Rows that can be inserted into table `T` on connection `C` in one
/// multi-row statement: every diesel `Insertable`. The generated `New*`
/// types insert through it (see [`FlushRows`](crate::FlushRows)) when they
/// cannot leave out the database-filled columns.
pub trait InsertRows<T, C>: Sized {
    /// `INSERT INTO table (...) VALUES (...), (...), ...` for `rows`, which
    /// fit under the backend's bind limit.
    fn insert_rows(table: T, rows: &[Self], conn: &mut C) -> QueryResult<usize>;
}

/// Rows per multi-row statement for a table of `columns` columns under a
/// limit of `max_binds` bind parameters.
pub(crate) fn rows_per_statement(max_binds: usize, columns: usize) -> usize {
    (max_binds / columns.max(1)).max(1)
}

/// diesel's multi-row insert, for the backends that write `DEFAULT`.
#[cfg(any(feature = "postgres", feature = "mysql"))]
macro_rules! diesel_batch {
    ($conn:ty) => {
        impl<T, R> InsertRows<T, $conn> for R
        where
            T: Table,
            for<'r> &'r [R]: diesel::Insertable<T>,
            for<'r> diesel::query_builder::InsertStatement<T, <&'r [R] as diesel::Insertable<T>>::Values>:
                diesel::query_dsl::methods::ExecuteDsl<$conn>,
        {
            fn insert_rows(table: T, rows: &[Self], conn: &mut $conn) -> QueryResult<usize> {
                diesel::RunQueryDsl::execute(diesel::insert_into(table).values(rows), conn)
            }
        }
    };
}

#[cfg(feature = "postgres")]
diesel_batch!(diesel::PgConnection);
#[cfg(feature = "mysql")]
diesel_batch!(diesel::MysqlConnection);

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use diesel::insertable::InsertValues;
    use diesel::query_builder::{AstPass, QueryFragment, QueryId, ValuesClause};
    use diesel::sqlite::Sqlite;
    use diesel::SqliteConnection;

    /// One row's `VALUES` clause as SQLite writes it: the columns it sets
    /// and their values (diesel leaves out the columns a row leaves to
    /// their default).
    pub trait SqliteRow<T> {
        /// The columns this row sets, as SQL (`"name", "email"`): rows with
        /// the same columns go in one statement.
        fn columns(&self) -> QueryResult<String>;
        /// `"name", "email"`.
        fn walk_columns(&self, out: AstPass<'_, '_, Sqlite>) -> QueryResult<()>;
        /// `?, ?`.
        fn walk_values<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()>;
    }

    impl<V, T> SqliteRow<T> for ValuesClause<V, T>
    where
        T: Table,
        V: InsertValues<Sqlite, T>,
    {
        fn columns(&self) -> QueryResult<String> {
            let columns = ColumnsSet { values: &self.values, table: std::marker::PhantomData::<T> };
            Ok(diesel::debug_query::<Sqlite, _>(&columns).to_string())
        }

        fn walk_columns(&self, out: AstPass<'_, '_, Sqlite>) -> QueryResult<()> {
            self.values.column_names(out)
        }

        fn walk_values<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
            self.values.walk_ast(out)
        }
    }

    /// The column list of one row's values, to compare rows by.
    struct ColumnsSet<'a, V, T> {
        values: &'a V,
        table: std::marker::PhantomData<T>,
    }

    impl<V, T> QueryFragment<Sqlite> for ColumnsSet<'_, V, T>
    where
        T: Table,
        V: InsertValues<Sqlite, T>,
    {
        fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
            self.values.column_names(out)
        }
    }

    /// `INSERT INTO table (columns) VALUES (...), (...)` for rows that set
    /// the same columns.
    pub(crate) struct SameColumns<'a, T: Table, W> {
        pub(crate) into: T::FromClause,
        pub(crate) rows: Vec<&'a W>,
    }

    impl<T: Table, W> QueryId for SameColumns<'_, T, W> {
        type QueryId = ();
        const HAS_STATIC_QUERY_ID: bool = false;
    }

    impl<T, W> QueryFragment<Sqlite> for SameColumns<'_, T, W>
    where
        T: Table,
        T::FromClause: QueryFragment<Sqlite>,
        W: SqliteRow<T>,
    {
        fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
            out.unsafe_to_cache_prepared();
            out.push_sql("INSERT INTO ");
            self.into.walk_ast(out.reborrow())?;
            out.push_sql(" (");
            self.rows[0].walk_columns(out.reborrow())?;
            out.push_sql(") VALUES ");
            for (i, row) in self.rows.iter().enumerate() {
                if i > 0 {
                    out.push_sql(", ");
                }
                out.push_sql("(");
                row.walk_values(out.reborrow())?;
                out.push_sql(")");
            }
            Ok(())
        }
    }

    impl<T: Table, W> diesel::RunQueryDsl<SqliteConnection> for SameColumns<'_, T, W> {}

    impl<T, R> InsertRows<T, SqliteConnection> for R
    where
        T: Table + Copy,
        T::FromClause: QueryFragment<Sqlite>,
        for<'r> &'r R: diesel::Insertable<T>,
        for<'r> <&'r R as diesel::Insertable<T>>::Values: SqliteRow<T>,
        for<'r> diesel::query_builder::InsertStatement<T, <&'r R as diesel::Insertable<T>>::Values>:
            diesel::query_dsl::methods::ExecuteDsl<SqliteConnection>,
    {
        fn insert_rows(table: T, rows: &[Self], conn: &mut SqliteConnection) -> QueryResult<usize> {
            let values: Vec<_> = rows.iter().map(diesel::Insertable::values).collect();
            // Rows grouped by the columns they set, in order of first appearance.
            let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
            for (index, row) in values.iter().enumerate() {
                let columns = row.columns()?;
                match groups.iter_mut().find(|(set, _)| *set == columns) {
                    Some((_, members)) => members.push(index),
                    None => groups.push((columns, vec![index])),
                }
            }
            let mut inserted = 0;
            for (columns, members) in groups {
                if columns.is_empty() {
                    // Every column left to its default: `DEFAULT VALUES`, a row at a time.
                    for &index in &members {
                        inserted +=
                            diesel::RunQueryDsl::execute(diesel::insert_into(table).values(&rows[index]), conn)?;
                    }
                    continue;
                }
                let rows = members.iter().map(|&index| &values[index]).collect();
                inserted +=
                    diesel::RunQueryDsl::execute(SameColumns::<T, _> { into: table.from_clause(), rows }, conn)?;
            }
            Ok(inserted)
        }
    }
}
