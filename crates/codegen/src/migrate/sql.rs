//! The SQL of a migration's operations, per backend.
//!
//! PostgreSQL and MySQL/MariaDB change tables in place with `ALTER TABLE`.
//! SQLite's `ALTER TABLE` can only add and rename columns and rename
//! tables, so every other change to a table is made by rebuilding it: a new
//! table with the final definition, the rows copied over, the old table
//! dropped, the new one renamed, its indexes recreated. SQLite runs such a
//! migration with foreign key enforcement off (`PRAGMA foreign_keys` cannot
//! change inside a transaction, so the runner turns it off before `BEGIN`)
//! and checks `PRAGMA foreign_key_check` before committing.

use std::collections::BTreeSet;

use crate::emit::ddl::{self, Backend};
use crate::ir::{Column, ColumnType, Schema, Table};

use super::Operation;

/// The statements that run `operations`, which turn `before` into
/// `after`, on `backend`. For a downgrade, pass the reversed operations
/// and swap the schemas.
pub fn statements(operations: &[Operation], before: &Schema, after: &Schema, backend: Backend) -> Vec<String> {
    let mut out = Vec::new();
    let rebuilt = if backend == Backend::Sqlite { sqlite_rebuilds(operations, after) } else { BTreeSet::new() };
    let mut done: BTreeSet<String> = BTreeSet::new();
    for (at, operation) in operations.iter().enumerate() {
        if let Some(table) = rebuild_target(operation).filter(|t| rebuilt.contains(*t)) {
            if done.insert(table.to_owned()) {
                out.extend(rebuild(operations, at, before, after, table));
            }
            continue;
        }
        match operation {
            // A rebuild already made the final columns.
            Operation::RenameColumn { table, .. } if done.contains(table) => {}
            // SQLite keeps constraint names in the table's SQL: a renamed
            // table is rebuilt so that its primary key is named after it.
            Operation::RenameTable { to, .. } if backend == Backend::Sqlite => {
                out.extend(operation_sql(operation, before, after, backend));
                if rebuilt.contains(to) && done.insert(to.clone()) {
                    out.extend(rebuild(operations, at + 1, before, after, to));
                }
            }
            Operation::AlterEnum { to, .. } if backend == Backend::Sqlite => {
                // The tables whose CHECK names the values are rebuilt.
                for table in enum_users(after, to) {
                    let name = name_at(operations, at, &table.name).to_owned();
                    if rebuilt.contains(&name) && done.insert(name.clone()) {
                        out.extend(rebuild(operations, at, before, after, &name));
                    }
                }
            }
            Operation::AlterEnum { from, to } => out.extend(alter_enum(from, to, operations, at, after, backend)),
            _ => out.extend(operation_sql(operation, before, after, backend)),
        }
    }
    out
}

/// The name table `name` (as operations before `at` left it) has in the
/// final schema: renamed by a later operation, or the same.
fn final_name<'a>(operations: &'a [Operation], at: usize, name: &'a str) -> &'a str {
    operations[at..]
        .iter()
        .find_map(|op| match op {
            Operation::RenameTable { from, to } if from == name => Some(to.as_str()),
            _ => None,
        })
        .unwrap_or(name)
}

/// The name table `name` of the final schema has just before operation
/// `at`: what a later rename starts from, or the same.
fn name_at<'a>(operations: &'a [Operation], at: usize, name: &'a str) -> &'a str {
    operations[at..]
        .iter()
        .find_map(|op| match op {
            Operation::RenameTable { from, to } if to == name => Some(from.as_str()),
            _ => None,
        })
        .unwrap_or(name)
}

/// The table an operation changes in place, when SQLite would need a
/// rebuild for operations of that kind.
fn rebuild_target(operation: &Operation) -> Option<&str> {
    use Operation::*;
    match operation {
        AddColumn { table, .. }
        | DropColumn { table, .. }
        | AlterColumn { table, .. }
        | SetPrimaryKey { table, .. }
        | AddUnique { table, .. }
        | DropUnique { table, .. }
        | AddCheck { table, .. }
        | DropCheck { table, .. }
        | AddForeignKey { table, .. }
        | DropForeignKey { table, .. }
        | AddIndex { table, .. }
        | DropIndex { table, .. } => Some(table),
        _ => None,
    }
}

/// Tables SQLite must rebuild: those with a change `ALTER TABLE` cannot
/// make, and those whose enum columns' allowed values changed.
/// The tables of `schema` with a column of enum `e`.
fn enum_users<'a>(schema: &'a Schema, e: &crate::ir::Enum) -> impl Iterator<Item = &'a Table> {
    let ty = ColumnType::Enum(e.rust_name.clone());
    schema.tables.iter().filter(move |t| t.columns.iter().any(|c| c.ty == ty))
}

fn sqlite_rebuilds(operations: &[Operation], after: &Schema) -> BTreeSet<String> {
    let mut tables = BTreeSet::new();
    for (at, operation) in operations.iter().enumerate() {
        match operation {
            Operation::AddColumn { column, .. } if sqlite_can_add(column) => {}
            Operation::AddIndex { .. } | Operation::DropIndex { .. } => {}
            Operation::RenameTable { to, .. } => {
                tables.insert(to.clone());
            }
            Operation::AlterEnum { to, .. } => {
                for table in enum_users(after, to) {
                    tables.insert(name_at(operations, at, &table.name).to_owned());
                }
            }
            other => {
                if let Some(table) = rebuild_target(other) {
                    tables.insert(table.to_owned());
                }
            }
        }
    }
    // A table created or dropped in this migration needs no rebuild.
    for operation in operations {
        if let Operation::CreateTable(t) | Operation::DropTable(t) = operation {
            tables.remove(&t.name);
        }
    }
    tables
}

/// SQLite adds a column in place only when existing rows can take it: it is
/// nullable or has a constant default, and is no key.
fn sqlite_can_add(column: &Column) -> bool {
    use crate::ir::ServerDefault::*;
    let constant_default = matches!(column.server_default, Some(Int(_) | Float(_) | Bool(_) | Str(_)));
    (column.nullable && column.server_default.is_none() || constant_default) && !column.autoincrement
}

/// SQLite's table rebuild for `name`, into its definition in `after`.
/// `at` is the position of the operation the rebuild runs at: renames
/// before it have happened, renames after it are made by it.
fn rebuild(operations: &[Operation], at: usize, before: &Schema, after: &Schema, name: &str) -> Vec<String> {
    let backend = Backend::Sqlite;
    let Some(target) = after.table(final_name(operations, at, name)) else { return Vec::new() };
    // The table's columns when the rebuild runs (its old columns, renamed by
    // the renames before it), and the final column each becomes (renamed by
    // every rename: the rebuild makes the final definition at once, and the
    // renames after it are skipped).
    let names = [name, target.name.as_str()];
    let original = operations[..at]
        .iter()
        .rev()
        .find_map(|op| match op {
            Operation::RenameTable { from, to } if names.contains(&to.as_str()) => Some(from.as_str()),
            _ => None,
        })
        .unwrap_or(name);
    let renames: Vec<(usize, &str, &str)> = operations
        .iter()
        .enumerate()
        .filter_map(|(i, op)| match op {
            Operation::RenameColumn { table, from, to } if names.contains(&table.as_str()) || table == original => {
                Some((i, from.as_str(), to.as_str()))
            }
            _ => None,
        })
        .collect();
    let follow = |column: &str, upto: usize| {
        renames.iter().filter(|(i, ..)| *i < upto).fold(column.to_owned(), |c, (_, from, to)| {
            if c == *from {
                (*to).to_owned()
            } else {
                c
            }
        })
    };
    // (name now, final name) for each old column.
    let current: Vec<(String, String)> = before
        .table(original)
        .map(|t| t.columns.iter().map(|c| (follow(&c.name, at), follow(&c.name, usize::MAX))).collect())
        .unwrap_or_default();
    // Copied columns, and new NOT NULL columns without a default filled
    // with their type's zero.
    let (mut into, mut from) = (Vec::new(), Vec::new());
    for column in &target.columns {
        if let Some((now, _)) = current.iter().find(|(_, last)| *last == column.name) {
            into.push(backend.quote(&column.name));
            from.push(backend.quote(now));
        } else if let Some(fill) = fill_value(backend, after, column) {
            into.push(backend.quote(&column.name));
            from.push(fill);
        }
    }
    let temporary = format!("_quarry_rebuild_{name}");
    let foreign_keys: Vec<_> = target.foreign_keys.iter().collect();
    // The final definition under a temporary name; constraint names stay
    // those of the final table.
    let definition = ddl::create_table(backend, after, target, &foreign_keys);
    let header = format!("CREATE TABLE {} (", backend.quote(&target.name));
    let staged = definition.replacen(&header, &format!("CREATE TABLE {} (", backend.quote(&temporary)), 1);
    let mut out = vec![staged];
    if !into.is_empty() {
        out.push(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            backend.quote(&temporary),
            into.join(", "),
            from.join(", "),
            backend.quote(name)
        ));
    }
    out.push(format!("DROP TABLE {}", backend.quote(name)));
    out.push(format!("ALTER TABLE {} RENAME TO {}", backend.quote(&temporary), backend.quote(name)));
    out.extend(target.indexes.iter().map(|index| ddl::create_index(backend, target, index)));
    out
}

/// The value existing rows get for a new NOT NULL column without a
/// default (such as a column a downgrade brings back): the type's zero.
fn fill_value(backend: Backend, schema: &Schema, column: &Column) -> Option<String> {
    if column.nullable || column.server_default.is_some() || column.autoincrement {
        return None;
    }
    Some(match &column.ty {
        ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt => "0".to_owned(),
        ColumnType::Float | ColumnType::Double | ColumnType::Numeric { .. } => "0".to_owned(),
        ColumnType::Bool => "FALSE".to_owned(),
        ColumnType::Text | ColumnType::Varchar(_) => "''".to_owned(),
        ColumnType::Date => "'1970-01-01'".to_owned(),
        ColumnType::Time => "'00:00:00'".to_owned(),
        ColumnType::Timestamp | ColumnType::TimestampTz => "'1970-01-01 00:00:00'".to_owned(),
        ColumnType::Json | ColumnType::Jsonb => "'{}'".to_owned(),
        ColumnType::Binary => match backend {
            Backend::Postgres => "''::bytea".to_owned(),
            _ => "X''".to_owned(),
        },
        ColumnType::Enum(name) => {
            let first = schema.enum_by_name(name)?.variants.first()?;
            backend.string(&first.value)
        }
    })
}

/// `ALTER TABLE <table> <clause>`.
fn alter(backend: Backend, table: &Table, clause: impl std::fmt::Display) -> String {
    format!("ALTER TABLE {} {clause}", backend.table_name(table))
}

/// A table by SQL name in `schema`, or a bare stand-in with that name.
fn table_in(schema: &Schema, name: &str) -> Table {
    schema.table(name).cloned().unwrap_or_else(|| Table::empty(name))
}

fn operation_sql(operation: &Operation, before: &Schema, after: &Schema, backend: Backend) -> Vec<String> {
    use Backend::*;
    use Operation::*;
    let q = |name: &str| backend.quote(name);
    match operation {
        CreateEnum(e) if backend == Postgres => vec![ddl::create_enum(backend, e)],
        DropEnum(e) if backend == Postgres => vec![ddl::drop_enum(backend, e)],
        CreateEnum(_) | DropEnum(_) => Vec::new(),
        AlterEnum { .. } => Vec::new(),
        CreateTable(table) => {
            let foreign_keys: Vec<_> = table.foreign_keys.iter().collect();
            let mut out = vec![ddl::create_table(backend, after, table, &foreign_keys)];
            out.extend(table.indexes.iter().map(|index| ddl::create_index(backend, table, index)));
            if backend == Postgres {
                out.extend(ddl::comments(backend, table));
            }
            out
        }
        DropTable(table) => vec![ddl::drop_table(backend, table)],
        RenameTable { from, to } => {
            let old = table_in(before, from);
            let renamed = table_in(after, to);
            match backend {
                Mysql => vec![format!("RENAME TABLE {} TO {}", q(from), q(to))],
                // The primary key is named after its table: rename it too.
                Postgres => vec![
                    alter(backend, &old, format_args!("RENAME TO {}", q(to))),
                    alter(
                        backend,
                        &renamed,
                        format_args!(
                            "RENAME CONSTRAINT {} TO {}",
                            q(&old.primary_key_name()),
                            q(&renamed.primary_key_name())
                        ),
                    ),
                ],
                Sqlite => vec![alter(backend, &old, format_args!("RENAME TO {}", q(to)))],
            }
        }
        AddColumn { table, column } => {
            let table = table_in(after, table);
            let definition = ddl::column_definition(backend, after, column);
            match fill_value(backend, after, column).filter(|_| backend == Postgres) {
                // Existing rows need a value: give the type's zero, then
                // leave the column without a default, as declared.
                Some(fill) => vec![
                    alter(backend, &table, format_args!("ADD COLUMN {definition} DEFAULT {fill}")),
                    alter(backend, &table, format_args!("ALTER COLUMN {} DROP DEFAULT", q(&column.name))),
                ],
                None => vec![alter(backend, &table, format_args!("ADD COLUMN {definition}"))],
            }
        }
        DropColumn { table, column } => {
            let table = table_in(before, table);
            vec![alter(backend, &table, format_args!("DROP COLUMN {}", q(&column.name)))]
        }
        RenameColumn { table, from, to } => {
            let table = table_in(after, table);
            vec![alter(backend, &table, format_args!("RENAME COLUMN {} TO {}", q(from), q(to)))]
        }
        AlterColumn { table, from, to } => alter_column(&table_in(after, table), from, to, after, backend),
        SetPrimaryKey { table, from, to } => {
            let table = table_in(after, table);
            let columns = to.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
            match backend {
                Mysql => {
                    let drop = if from.is_empty() { String::new() } else { "DROP PRIMARY KEY, ".to_owned() };
                    vec![alter(backend, &table, format_args!("{drop}ADD PRIMARY KEY ({columns})"))]
                }
                _ => {
                    let name = q(&table.primary_key_name());
                    let drop = if from.is_empty() { String::new() } else { format!("DROP CONSTRAINT {name}, ") };
                    vec![alter(backend, &table, format_args!("{drop}ADD CONSTRAINT {name} PRIMARY KEY ({columns})"))]
                }
            }
        }
        AddUnique { table, unique } => {
            let table = table_in(after, table);
            let columns: Vec<String> = unique
                .columns
                .iter()
                .map(|f| table.column(f).map_or_else(|| q(f), |c| key_column(backend, c)))
                .collect();
            vec![alter(
                backend,
                &table,
                format_args!("ADD CONSTRAINT {} UNIQUE ({})", q(&unique.name), columns.join(", ")),
            )]
        }
        DropUnique { table, unique } => {
            let table = table_in(before, table);
            match backend {
                Mysql => vec![alter(backend, &table, format_args!("DROP INDEX {}", q(&unique.name)))],
                _ => vec![alter(backend, &table, format_args!("DROP CONSTRAINT {}", q(&unique.name)))],
            }
        }
        AddIndex { table, index } => vec![ddl::create_index(backend, &table_in(after, table), index)],
        DropIndex { table, index } => vec![ddl::drop_index(backend, &table_in(before, table), &index.name)],
        AddCheck { table, check } => {
            let table = table_in(after, table);
            vec![alter(backend, &table, format_args!("ADD CONSTRAINT {} CHECK ({})", q(&check.name), check.sql))]
        }
        DropCheck { table, check } => {
            let table = table_in(before, table);
            vec![alter(backend, &table, format_args!("DROP CONSTRAINT {}", q(&check.name)))]
        }
        AddForeignKey { table, foreign_key } => {
            vec![ddl::add_foreign_key(backend, after, &table_in(after, table), foreign_key)]
        }
        DropForeignKey { table, foreign_key } => {
            let table = table_in(before, table);
            let mut out: Vec<String> = ddl::drop_foreign_key(backend, &table, &foreign_key.name).into_iter().collect();
            if backend == Mysql {
                // InnoDB made an index of the key's name for it unless one
                // existed; drop it if it is there (MySQL has no DROP INDEX
                // IF EXISTS), so the table is as if the key never was.
                let lookup = format!(
                    "SELECT IF(COUNT(*) > 0, {}, 'DO 0') FROM information_schema.STATISTICS \
                     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = {} AND INDEX_NAME = {}",
                    backend.string(&ddl::drop_index(backend, &table, &foreign_key.name)),
                    backend.string(&table.name),
                    backend.string(&foreign_key.name)
                );
                out.push(format!("SET @quarry_drop_index = ({lookup})"));
                out.push("PREPARE quarry_drop_index FROM @quarry_drop_index".to_owned());
                out.push("EXECUTE quarry_drop_index".to_owned());
                out.push("DEALLOCATE PREPARE quarry_drop_index".to_owned());
            }
            out
        }
        SetTableComment { table, to, .. } => {
            let table = table_in(after, table);
            let text = to.as_deref().map_or_else(|| "NULL".to_owned(), |t| backend.string(t));
            match backend {
                Postgres => vec![format!("COMMENT ON TABLE {} IS {text}", backend.table_name(&table))],
                Mysql => {
                    let text = to.as_deref().map_or_else(|| "''".to_owned(), |t| backend.string(t));
                    vec![alter(backend, &table, format_args!("COMMENT = {text}"))]
                }
                Sqlite => Vec::new(),
            }
        }
    }
}

/// A key column, with MySQL's prefix length where it needs one.
fn key_column(backend: Backend, column: &Column) -> String {
    if backend.needs_prefix(column) {
        format!("{}(255)", backend.quote(&column.name))
    } else {
        backend.quote(&column.name)
    }
}

fn alter_column(table: &Table, from: &Column, to: &Column, after: &Schema, backend: Backend) -> Vec<String> {
    let q = |name: &str| backend.quote(name);
    match backend {
        Backend::Mysql => {
            vec![alter(backend, table, format_args!("MODIFY COLUMN {}", ddl::column_definition(backend, after, to)))]
        }
        _ => {
            let column = q(&to.name);
            let mut clauses = Vec::new();
            if from.ty != to.ty {
                let ty = backend.column_type(after, to);
                let using = match to.ty {
                    ColumnType::Enum(_) => format!(" USING {column}::text::{ty}"),
                    _ => format!(" USING {column}::{ty}"),
                };
                clauses.push(format!("ALTER COLUMN {column} TYPE {ty}{using}"));
            }
            if from.nullable != to.nullable {
                let change = if to.nullable { "DROP" } else { "SET" };
                clauses.push(format!("ALTER COLUMN {column} {change} NOT NULL"));
            }
            if from.server_default != to.server_default {
                clauses.push(match &to.server_default {
                    Some(default) => {
                        format!("ALTER COLUMN {column} SET DEFAULT {}", backend.default_value(to, default))
                    }
                    None => format!("ALTER COLUMN {column} DROP DEFAULT"),
                });
            }
            let mut out = Vec::new();
            if !clauses.is_empty() {
                out.push(alter(backend, table, clauses.join(", ")));
            }
            if from.doc != to.doc {
                let text = to.doc.as_deref().map_or_else(|| "NULL".to_owned(), |t| backend.string(t));
                out.push(format!("COMMENT ON COLUMN {}.{column} IS {text}", backend.table_name(table)));
            }
            out
        }
    }
}

/// A changed enum: PostgreSQL builds the new type and converts the columns
/// to it (which also removes values, unlike `ADD VALUE`); MySQL redefines
/// each column's `ENUM`; SQLite rebuilds the tables (their `CHECK`s).
fn alter_enum(
    from: &crate::ir::Enum,
    to: &crate::ir::Enum,
    operations: &[Operation],
    at: usize,
    after: &Schema,
    backend: Backend,
) -> Vec<String> {
    // The tables using the enum, under the names they have at this point.
    let renamed: Vec<Table> = after
        .tables
        .iter()
        .map(|t| {
            let mut t = t.clone();
            t.name = name_at(operations, at, &t.name).to_owned();
            t
        })
        .collect();
    let users: Vec<(&Table, &Column)> = renamed
        .iter()
        .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
        .filter(|(_, c)| c.ty == ColumnType::Enum(to.rust_name.clone()))
        .collect();
    match backend {
        Backend::Postgres => {
            let mut old = from.clone();
            old.sql_name = format!("{}__old", from.sql_name);
            let mut out =
                vec![format!("ALTER TYPE {} RENAME TO {}", backend.enum_type_name(from), backend.quote(&old.sql_name))];
            out.push(ddl::create_enum(backend, to));
            for (table, column) in &users {
                let name = backend.quote(&column.name);
                let ty = backend.enum_type_name(to);
                let default_off = column.server_default.is_some();
                if default_off {
                    out.push(alter(backend, table, format_args!("ALTER COLUMN {name} DROP DEFAULT")));
                }
                out.push(alter(backend, table, format_args!("ALTER COLUMN {name} TYPE {ty} USING {name}::text::{ty}")));
                if let (true, Some(default)) = (default_off, &column.server_default) {
                    let value = backend.default_value(column, default);
                    out.push(alter(backend, table, format_args!("ALTER COLUMN {name} SET DEFAULT {value}")));
                }
            }
            out.push(ddl::drop_enum(backend, &old));
            out
        }
        Backend::Mysql => users
            .iter()
            .map(|(table, column)| {
                alter(backend, table, format_args!("MODIFY COLUMN {}", ddl::column_definition(backend, after, column)))
            })
            .collect(),
        Backend::Sqlite => Vec::new(),
    }
}
