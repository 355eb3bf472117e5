//! Moving a table's key generator past the keys already in it: after rows
//! were loaded with their own keys (a fixture, a copy from another
//! database), PostgreSQL's sequence still starts at 1, and the next
//! generated key collides with a loaded one.

use diesel::query_builder::{QueryBuilder, QueryFragment};
use diesel::QuerySource;

use super::Session;
use crate::engine::{Backend, EngineConnection};
use crate::error::{Error, Result};
use crate::model::{Insert, Model};

impl<C: EngineConnection> Session<C> {
    /// Moves the generator of `M`'s key past the largest key in its table,
    /// never back: the next generated key is greater than every key there
    /// and not lower than it would have been (Django's `sqlsequencereset`).
    ///
    /// On PostgreSQL this sets the column's sequence (`SERIAL` or
    /// identity). SQLite and MySQL/MariaDB move their counters past a key
    /// given explicitly on their own, so there it does nothing. Errors with
    /// [`Error::NoGeneratedKey`] for a model whose key the database does
    /// not generate.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = session();
    /// # let rows_with_ids = vec![NewAuthor { id: Some(7), ..NewAuthor::new("Grace") }];
    /// diesel::insert_into(authors::table).values(&rows_with_ids).execute(session.connection())?;
    /// session.reset_sequence::<Author>()?;
    /// let next = session.add(NewAuthor::new("Ada")); // a key after the loaded ones
    /// # assert!(*session.flush()?.key(next).unwrap() > 7);
    /// # Ok(())
    /// # }
    /// ```
    pub fn reset_sequence<M>(&mut self) -> Result<()>
    where
        M: Model,
        M::New: Insert,
        <M::Table as QuerySource>::FromClause: QueryFragment<C::Backend>,
        C::Backend: Default,
        <C::Backend as diesel::backend::Backend>::QueryBuilder: Default,
    {
        if !<M::New as Insert>::GENERATED {
            return Err(Error::NoGeneratedKey { model: &M::meta().name });
        }
        if C::BACKEND != Backend::Postgres {
            return Ok(());
        }
        // The table as statements name it (schema-qualified, quoted), which
        // is also the text `pg_get_serial_sequence` parses.
        let mut table = <C::Backend as diesel::backend::Backend>::QueryBuilder::default();
        M::Table::default().from_clause().to_sql(&mut table, &<C::Backend as Default>::default())?;
        let table = table.finish();
        let dialect = quarry_schema::Backend::Postgres;
        let key = <M::New as Insert>::KEY[0];
        let sequence = format!("pg_get_serial_sequence({}, {})", dialect.string(&table), dialect.string(key));
        // `nextval` first, so that the sequence never moves back; `false`:
        // the value set is the next one handed out.
        let sql = format!(
            "SELECT setval({sequence}, GREATEST(COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, nextval({sequence})), false)",
            column = dialect.quote(key),
        );
        self.connection().batch_execute(&sql)?;
        Ok(())
    }
}
