//! DDL: `CREATE` and `DROP` statements per backend, in foreign-key order,
//! with every identifier quoted for its backend.
//!
//! The pieces ([`create_table`], [`create_index`], [`add_foreign_key`], ...)
//! are public so that migrations can reuse them one operation at a time.

mod dialect;
mod statements;

pub use statements::*;

use crate::db::{ForeignKey, Schema, Table};
use crate::order;
use crate::Backend;

/// The statements that create and drop a whole schema on one backend.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DdlScript {
    /// Run in order to create every table, type and index.
    pub create: Vec<String>,
    /// Run in order to drop them all again.
    pub drop: Vec<String>,
}

/// The DDL for `schema` on `backend`. Statements have no trailing `;`.
pub fn script(schema: &Schema, backend: Backend) -> DdlScript {
    let order = order::order(schema);
    let mut create = Vec::new();
    if backend == Backend::Postgres {
        let mut namespaces: Vec<&str> = schema
            .tables
            .iter()
            .filter_map(|t| t.schema.as_deref())
            .chain(schema.enums.iter().filter_map(|e| e.schema.as_deref()))
            .collect();
        namespaces.sort();
        namespaces.dedup();
        create.extend(namespaces.iter().map(|n| format!("CREATE SCHEMA IF NOT EXISTS {}", backend.quote(n))));
        create.extend(schema.enums.iter().map(|e| create_enum(backend, e)));
    }
    for table in &order.tables {
        let inline: Vec<&ForeignKey> = table
            .foreign_keys
            .iter()
            .filter(|fk| backend == Backend::Sqlite || !order.deferred.contains(&*fk.name))
            .collect();
        create.push(create_table(backend, schema, table, &inline));
        create.extend(table.indexes.iter().map(|index| create_index(backend, table, index)));
        if backend == Backend::Postgres {
            create.extend(comments(backend, table));
        }
    }
    let deferred: Vec<(&Table, &ForeignKey)> = order
        .tables
        .iter()
        .flat_map(|t| t.foreign_keys.iter().map(move |fk| (*t, fk)))
        .filter(|(_, fk)| backend != Backend::Sqlite && order.deferred.contains(&*fk.name))
        .collect();
    create.extend(deferred.iter().map(|(table, fk)| add_foreign_key(backend, schema, table, fk)));

    let mut drop = Vec::new();
    match backend {
        Backend::Mysql => {
            // MySQL cannot drop a key only if it exists, so tables in a
            // cycle go with the session's foreign key checks off.
            let cyclic = !deferred.is_empty();
            if cyclic {
                drop.push(MYSQL_CHECKS_OFF.to_owned());
            }
            drop.extend(order.tables.iter().rev().map(|t| drop_table(backend, t)));
            if cyclic {
                drop.push(MYSQL_CHECKS_ON.to_owned());
            }
        }
        Backend::Postgres => {
            drop.extend(deferred.iter().filter_map(|(table, fk)| drop_foreign_key(backend, table, &fk.name)));
            drop.extend(order.tables.iter().rev().map(|t| drop_table(backend, t)));
            drop.extend(schema.enums.iter().map(|e| drop_enum(backend, e)));
        }
        Backend::Sqlite => drop.extend(order.tables.iter().rev().map(|t| drop_table(backend, t))),
    }
    DdlScript { create, drop }
}

/// Switches MySQL's foreign key checks off for the session; a runner that
/// executes it must run [`MYSQL_CHECKS_ON`] afterwards, even on failure.
pub const MYSQL_CHECKS_OFF: &str = "SET FOREIGN_KEY_CHECKS = 0";
/// Switches MySQL's foreign key checks back on.
pub const MYSQL_CHECKS_ON: &str = "SET FOREIGN_KEY_CHECKS = 1";
