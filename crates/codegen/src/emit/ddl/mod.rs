//! DDL: `CREATE` and `DROP` statements per backend, in foreign-key order,
//! with every identifier quoted for its backend.
//!
//! The pieces ([`create_table`], [`create_index`], [`add_foreign_key`], ...)
//! are public so that migrations can reuse them one operation at a time.

mod dialect;
mod order;

use crate::ir::{Column, ForeignKey, Index, Schema, Table};

/// A database backend quarry generates SQL for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

impl Backend {
    /// All backends, in the order snapshots and metadata list them.
    pub const ALL: [Backend; 3] = [Backend::Sqlite, Backend::Postgres, Backend::Mysql];

    /// Lower-case name: `sqlite`, `postgres`, `mysql`.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }
}

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
            .filter(|fk| backend == Backend::Sqlite || !order.deferred.contains(&fk.name))
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
        .filter(|(_, fk)| backend != Backend::Sqlite && order.deferred.contains(&fk.name))
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
            drop.extend(deferred.iter().map(|(table, fk)| {
                format!(
                    "ALTER TABLE IF EXISTS {} DROP CONSTRAINT IF EXISTS {}",
                    backend.table_name(table),
                    backend.quote(&fk.name)
                )
            }));
            drop.extend(order.tables.iter().rev().map(|t| drop_table(backend, t)));
            drop.extend(schema.enums.iter().map(|e| format!("DROP TYPE IF EXISTS {}", backend.enum_type_name(e))));
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

/// `CREATE TYPE ... AS ENUM (...)` (PostgreSQL).
pub fn create_enum(backend: Backend, e: &crate::ir::Enum) -> String {
    let values: Vec<String> = e.variants.iter().map(|v| backend.string(&v.value)).collect();
    format!("CREATE TYPE {} AS ENUM ({})", backend.enum_type_name(e), values.join(", "))
}

/// `CREATE TABLE` with its columns, primary key, unique and check
/// constraints, and the foreign keys in `foreign_keys`.
pub fn create_table(backend: Backend, schema: &Schema, table: &Table, foreign_keys: &[&ForeignKey]) -> String {
    let mut lines: Vec<String> = table.columns.iter().map(|c| column_definition(backend, schema, c)).collect();
    let key = key_columns(backend, table, &table.primary_key);
    lines.push(format!("CONSTRAINT {} PRIMARY KEY ({key})", backend.quote(&table.primary_key_name())));
    for unique in &table.uniques {
        let columns = key_columns(backend, table, &unique.columns);
        lines.push(format!("CONSTRAINT {} UNIQUE ({columns})", backend.quote(&unique.name)));
    }
    for check in &table.checks {
        lines.push(format!("CONSTRAINT {} CHECK ({})", backend.quote(&check.name), check.sql));
    }
    for fk in foreign_keys {
        lines.push(foreign_key_clause(backend, schema, table, fk));
    }
    let mut sql = format!("CREATE TABLE {} (\n    {}\n)", backend.table_name(table), lines.join(",\n    "));
    if backend == Backend::Mysql {
        // utf8mb4: all of Unicode. The binary collation compares as SQLite
        // and PostgreSQL do: case-sensitively, so a unique constraint means
        // the same on every backend.
        sql.push_str(" ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
        if let Some(doc) = &table.doc {
            sql.push_str(&format!(" COMMENT={}", backend.string(doc)));
        }
    }
    sql
}

/// One column's definition inside `CREATE TABLE` (or `ADD COLUMN`).
pub fn column_definition(backend: Backend, schema: &Schema, column: &Column) -> String {
    let mut sql = format!("{} {}", backend.quote(&column.name), backend.column_type(schema, column));
    if column.autoincrement && backend == Backend::Postgres {
        sql.push_str(" GENERATED BY DEFAULT AS IDENTITY");
    }
    if !column.nullable {
        sql.push_str(" NOT NULL");
    }
    if column.autoincrement && backend == Backend::Mysql {
        sql.push_str(" AUTO_INCREMENT");
    }
    if let Some(default) = &column.server_default {
        sql.push_str(&format!(" DEFAULT {}", backend.default_value(column, default)));
    }
    if let (Backend::Sqlite, crate::ir::ColumnType::Enum(name)) = (backend, &column.ty) {
        let values = schema.enum_by_name(name).map(|e| e.variants.as_slice()).unwrap_or_default();
        let values: Vec<String> = values.iter().map(|v| backend.string(&v.value)).collect();
        sql.push_str(&format!(" CHECK ({} IN ({}))", backend.quote(&column.name), values.join(", ")));
    }
    if let (Backend::Mysql, Some(doc)) = (backend, &column.doc) {
        sql.push_str(&format!(" COMMENT {}", backend.string(doc)));
    }
    sql
}

/// The quoted SQL names of `fields`, with prefix lengths where MySQL needs them.
fn key_columns(backend: Backend, table: &Table, fields: &[String]) -> String {
    let columns: Vec<String> = fields
        .iter()
        .map(|field| match table.column(field) {
            Some(column) if backend.needs_prefix(column) => {
                format!("{}(255)", backend.quote(&column.name))
            }
            Some(column) => backend.quote(&column.name),
            None => backend.quote(field),
        })
        .collect();
    columns.join(", ")
}

/// `CONSTRAINT ... FOREIGN KEY (...) REFERENCES ... (...) [ON DELETE ...] [ON UPDATE ...]`.
pub fn foreign_key_clause(backend: Backend, schema: &Schema, table: &Table, fk: &ForeignKey) -> String {
    let columns = key_columns(backend, table, &fk.columns);
    let (target, target_columns) = match schema.table(&fk.ref_table) {
        Some(parent) => (backend.table_name(parent), key_columns(backend, parent, &fk.ref_columns)),
        None => (
            backend.quote(&fk.ref_table),
            fk.ref_columns.iter().map(|c| backend.quote(c)).collect::<Vec<_>>().join(", "),
        ),
    };
    let mut sql = format!(
        "CONSTRAINT {} FOREIGN KEY ({columns}) REFERENCES {target} ({target_columns})",
        backend.quote(&fk.name)
    );
    if let Some(action) = fk.on_delete {
        sql.push_str(&format!(" ON DELETE {}", action.sql()));
    }
    if let Some(action) = fk.on_update {
        sql.push_str(&format!(" ON UPDATE {}", action.sql()));
    }
    sql
}

/// `ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY ...`.
pub fn add_foreign_key(backend: Backend, schema: &Schema, table: &Table, fk: &ForeignKey) -> String {
    format!("ALTER TABLE {} ADD {}", backend.table_name(table), foreign_key_clause(backend, schema, table, fk))
}

/// `CREATE [UNIQUE] INDEX ... ON ... (...)`.
pub fn create_index(backend: Backend, table: &Table, index: &Index) -> String {
    format!(
        "CREATE {}INDEX {} ON {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        backend.quote(&index.name),
        backend.table_name(table),
        key_columns(backend, table, &index.columns)
    )
}

/// `DROP TABLE IF EXISTS ...`.
pub fn drop_table(backend: Backend, table: &Table) -> String {
    format!("DROP TABLE IF EXISTS {}", backend.table_name(table))
}

/// PostgreSQL's `COMMENT ON` statements for a table and its columns.
pub fn comments(backend: Backend, table: &Table) -> Vec<String> {
    let name = backend.table_name(table);
    let table_comment = table.doc.iter().map(|doc| format!("COMMENT ON TABLE {name} IS {}", backend.string(doc)));
    let column_comments = table.columns.iter().filter_map(|c| {
        let doc = c.doc.as_ref()?;
        Some(format!("COMMENT ON COLUMN {name}.{} IS {}", backend.quote(&c.name), backend.string(doc)))
    });
    table_comment.chain(column_comments).collect()
}
