//! `INSERT … RETURNING *` on every backend: the rows inserted, read back as
//! stored, with the values the database filled in (generated keys, server
//! defaults).

use std::collections::HashMap;
use std::hash::Hash;

use diesel::dsl::{EqAny, Filter};
use diesel::expression::AsExpression;
use diesel::query_dsl::methods::{FilterDsl, LoadQuery};
use diesel::{Column, ExpressionMethods, RunQueryDsl, Table};

use super::{insert, Session};
use crate::dsl::{tuple_in, TupleIn};
use crate::engine::EngineConnection;
use crate::error::{Error, Result};
use crate::model::{FlushRows, Model};
use crate::session::upsert::{Columns, OneColumn};

/// The rows of `N`'s table whose key is in a list.
type Keyed<N, S> = Filter<TableOf<N>, <PrimaryKeyOf<N> as KeyIn<KeyOf<N>, S>>::Filter>;
type TableOf<N> = <<N as crate::model::NewRow>::Model as Model>::Table;
type PrimaryKeyOf<N> = <TableOf<N> as Table>::PrimaryKey;
type KeyOf<N> = <<N as crate::model::NewRow>::Model as Model>::Key;

impl<C: EngineConnection> Session<C> {
    /// Inserts `rows` and returns them as stored, in the order given: with
    /// their generated keys and every value the database filled in
    /// (SQLAlchemy's `insert(...).returning(Model)`).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # fn main() -> quarry::Result<()> {
    /// # let mut session = session();
    /// let authors: Vec<Author> = session.insert_returning(&[NewAuthor::new("Ada"), NewAuthor::new("Grace")])?;
    /// # assert_eq!(authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), ["Ada", "Grace"]);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// Every backend runs the same two steps in one transaction: the
    /// inserts, reading back the keys (`RETURNING key` on PostgreSQL and
    /// SQLite, `LAST_INSERT_ID()` on MySQL/MariaDB, which have no
    /// `RETURNING` for inserts), then one `SELECT … WHERE key IN (…)` per
    /// chunk of rows. The rows are locked by the insert until the commit,
    /// so what comes back is what was stored. Values a backend would not
    /// store as given are refused before anything is written, as
    /// [`insert_all`](Self::insert_all) refuses them.
    pub fn insert_returning<'q, N, S>(&mut self, rows: &[N]) -> Result<Vec<N::Model>>
    where
        N: FlushRows<C>,
        KeyOf<N>: Eq + Hash,
        PrimaryKeyOf<N>: KeyIn<KeyOf<N>, S>,
        TableOf<N>: FilterDsl<<PrimaryKeyOf<N> as KeyIn<KeyOf<N>, S>>::Filter>,
        Keyed<N, S>: RunQueryDsl<C> + LoadQuery<'q, C, N::Model>,
    {
        if let Some(why) = rows.iter().find_map(|row| row.refused_value(C::BACKEND)) {
            return Err(Error::Data(crate::error::DataError { refused_by_quarry: true, message: why }));
        }
        let size = insert::rows_per_statement(C::MAX_BIND_PARAMETERS, N::binds_per_row(rows));
        self.transaction(|s| {
            let mut stored = Vec::with_capacity(rows.len());
            for chunk in rows.chunks(size) {
                let keys = N::insert_keys(chunk, &mut s.conn)?;
                let table = TableOf::<N>::default();
                let found: Vec<N::Model> = table.filter(table.primary_key().key_in(keys.clone())).load(&mut *s.conn)?;
                let mut by_key: HashMap<KeyOf<N>, N::Model> = found.into_iter().map(|row| (row.key(), row)).collect();
                for key in keys {
                    // Gone between the insert and the read: only a trigger
                    // or a cascade inside the transaction could do that.
                    stored.push(by_key.remove(&key).ok_or(Error::NotFound)?);
                }
            }
            Ok(stored)
        })
    }
}

/// A table's primary key (`Self`: a column, or a tuple of columns)
/// filtering its rows by a list of key values. `S` ([`OneColumn`] or
/// [`Columns`]) tells the two forms apart for rustc, which infers it.
#[doc(hidden)]
pub trait KeyIn<Key, S> {
    type Filter;
    fn key_in(self, keys: Vec<Key>) -> Self::Filter;
}

impl<K, Key> KeyIn<Key, OneColumn> for K
where
    K: Column + ExpressionMethods,
    K::SqlType: diesel::sql_types::SqlType,
    Key: AsExpression<K::SqlType>,
{
    type Filter = EqAny<K, Vec<Key>>;
    fn key_in(self, keys: Vec<Key>) -> Self::Filter {
        self.eq_any(keys)
    }
}

macro_rules! tuple_keys {
    ($($column:ident $key:ident),+) => {
        impl<$($column: Column, $key),+> KeyIn<($($key,)+), Columns> for ($($column,)+)
        where
            ($($column,)+): diesel::Expression,
        {
            type Filter = TupleIn<($($column,)+), ($($key,)+)>;
            fn key_in(self, keys: Vec<($($key,)+)>) -> Self::Filter {
                tuple_in(self, keys)
            }
        }
    };
}

tuple_keys!(A KA, B KB);
tuple_keys!(A KA, B KB, C KC);
tuple_keys!(A KA, B KB, C KC, D KD);
