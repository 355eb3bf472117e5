//! Upserts: insert rows, or update the rows they repeat, on the primary key
//! or on any unique constraint.

use diesel::Column;

use super::{insert, Session};
use crate::engine::{Backend, EngineConnection};
use crate::error::{Error, Result};
use crate::metadata::db;
use crate::metadata::Names;
use crate::model::{Conflict, Insert, Model, UpsertRows};

impl<C: EngineConnection> Session<C> {
    /// Inserts `rows`, or where a row's primary key is taken, updates that
    /// row's other columns to the new values (`ON CONFLICT ... DO UPDATE` on
    /// PostgreSQL and SQLite, `ON DUPLICATE KEY UPDATE` on MySQL/MariaDB).
    /// Returns the backend's count of affected rows: MySQL counts an
    /// updated row twice.
    pub fn upsert<N>(&mut self, rows: &[N]) -> Result<usize>
    where
        N: UpsertRows<C> + Insert,
    {
        self.write_upsert(rows, Conflict::of::<N>())
    }

    /// Inserts `rows`, or where a row repeats the value of `target`, a
    /// unique constraint's columns, updates the row holding it: every
    /// column but the target's and the primary key's takes the new value
    /// (SQLAlchemy's `on_conflict_do_update(index_elements=[...])`).
    /// `target` is one column or a tuple of them:
    ///
    /// ```ignore
    /// session.upsert_on(authors::email, &[NewAuthor::new("Ada", "ada@example.com")])?;
    /// session.upsert_on((memberships::team_id, memberships::user_id), &rows)?;
    /// ```
    ///
    /// PostgreSQL and SQLite name the target (`ON CONFLICT (email)`).
    /// MySQL/MariaDB's `ON DUPLICATE KEY UPDATE` names none and fires on
    /// whichever unique key a row repeats, so there quarry refuses, before
    /// writing anything, a table where a row could repeat another one
    /// ([`Error::UpsertTargetNotAlone`]): another unique constraint or
    /// index, or a primary key the rows give. A target that is no primary
    /// key, unique constraint or unique index is refused on every backend
    /// ([`Error::NotAUniqueKey`]). Returns the backend's count of affected
    /// rows: MySQL counts an updated row twice.
    pub fn upsert_on<N, K, S>(&mut self, target: K, rows: &[N]) -> Result<usize>
    where
        N: UpsertRows<C> + Insert,
        K: ConflictTarget<<N::Model as Model>::Table, S>,
    {
        let _ = target;
        let key = K::columns();
        let table = N::Model::table();
        let unique_keys = unique_keys(table);
        if !unique_keys.iter().any(|(_, columns)| same_set(columns, &key)) {
            return Err(Error::NotAUniqueKey { table: &table.name, columns: key.join(", ") });
        }
        if C::BACKEND == Backend::Mysql {
            let given_keys = rows.iter().any(|row| row.key().is_some());
            let others: Vec<String> = unique_keys
                .iter()
                .filter(|(name, columns)| !same_set(columns, &key) && (name.is_some() || given_keys))
                .map(|(name, columns)| format!("{} ({})", name.unwrap_or("primary key"), columns.join(", ")))
                .collect();
            if !others.is_empty() {
                return Err(Error::UpsertTargetNotAlone { table: &table.name, others: others.join(", ") });
            }
        }
        let mut updated: Vec<&str> = N::UPDATED.iter().copied().filter(|c| !key.contains(c)).collect();
        if updated.is_empty() {
            // Nothing else to update: a no-op assignment keeps it an upsert.
            updated.push(key[0]);
        }
        self.write_upsert(rows, Conflict::new(&key, &updated))
    }

    /// Writes `rows` as upserts on `on`, in chunks under the bind limit, in
    /// one transaction.
    fn write_upsert<N: UpsertRows<C>>(&mut self, rows: &[N], on: Conflict<'_>) -> Result<usize> {
        if let Some(why) = rows.iter().find_map(|row| row.refused_value(C::BACKEND)) {
            return Err(Error::Data(crate::error::DataError { refused_by_quarry: true, message: why }));
        }
        let size = insert::rows_per_statement(C::MAX_BIND_PARAMETERS, N::Model::meta().fields.len());
        self.transaction(|s| {
            let mut affected = 0;
            for chunk in rows.chunks(size) {
                affected += N::upsert_rows(chunk, on, &mut s.conn)?;
            }
            Ok(affected)
        })
    }
}

/// The table's unique keys: the primary key (no name), then its unique
/// constraints and unique indexes, each with its columns.
fn unique_keys(table: &db::Table) -> Vec<(Option<&str>, Vec<&str>)> {
    fn columns(names: &Names) -> Vec<&str> {
        names.iter().map(|c| &**c).collect()
    }
    let mut keys = vec![(None, columns(&table.primary_key))];
    keys.extend(table.uniques.iter().map(|u| (Some(&*u.name), columns(&u.columns))));
    keys.extend(table.indexes.iter().filter(|i| i.unique).map(|i| (Some(&*i.name), columns(&i.columns))));
    keys
}

/// Whether `a` and `b` name the same columns, in any order.
fn same_set(a: &[&str], b: &[&str]) -> bool {
    a.len() == b.len() && a.iter().all(|c| b.contains(c))
}

/// The columns of a unique key of table `T`, as the target of
/// [`Session::upsert_on`]: one column of `T` (`authors::email`), or a tuple
/// of them. `S` ([`OneColumn`] or [`Columns`]) only tells the two forms
/// apart for rustc, which infers it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a column, or a tuple of columns, of the table `{T}`",
    label = "the conflict target must name columns of the rows' table"
)]
pub trait ConflictTarget<T, S> {
    /// The columns' SQL names.
    #[doc(hidden)]
    fn columns() -> Vec<&'static str>;
}

/// [`ConflictTarget`]'s form for one column.
pub struct OneColumn;
/// [`ConflictTarget`]'s form for a tuple of columns.
pub struct Columns;

impl<A: Column> ConflictTarget<A::Table, OneColumn> for A {
    fn columns() -> Vec<&'static str> {
        vec![A::NAME]
    }
}

macro_rules! tuple_targets {
    ($($column:ident),+) => {
        impl<T, $($column: Column<Table = T>),+> ConflictTarget<T, Columns> for ($($column,)+) {
            fn columns() -> Vec<&'static str> {
                vec![$($column::NAME),+]
            }
        }
    };
}

tuple_targets!(A);
tuple_targets!(A, B);
tuple_targets!(A, B, C);
tuple_targets!(A, B, C, D);
tuple_targets!(A, B, C, D, E);
