//! The SQL of a migration's operations, per backend.
//!
//! PostgreSQL and MySQL/MariaDB change tables in place with `ALTER TABLE`.
//! SQLite rebuilds a table for most changes (see `sqlite.rs`) and runs such a
//! migration with foreign key enforcement off (`PRAGMA foreign_keys` cannot
//! change inside a transaction, so the runner turns it off before `BEGIN`)
//! and checks `PRAGMA foreign_key_check` before committing.

use std::collections::BTreeSet;

use crate::db::{Column, Enum, Schema, SqlType, Table};
use crate::{ddl, Backend};

use super::sqlite::{enum_users, rebuild, rebuild_target, sqlite_rebuilds};
use super::Operation;

/// The statements that run `operations`, which turn `before` into
/// `after`, on `backend`. For a downgrade, pass the reversed operations
/// and swap the schemas.
pub fn statements(operations: &[Operation], before: &Schema, after: &Schema, backend: Backend) -> Vec<String> {
    statements_per_operation(operations, before, after, backend).into_iter().flatten().collect()
}

/// [`statements`], grouped by the operation that makes them: one group per
/// operation, in order (empty for an operation another one's statements
/// carry out, such as the parts of one SQLite table rebuild).
pub fn statements_per_operation(
    operations: &[Operation],
    before: &Schema,
    after: &Schema,
    backend: Backend,
) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = vec![Vec::new(); operations.len()];
    let rebuilt = if backend == Backend::Sqlite { sqlite_rebuilds(operations, after) } else { BTreeSet::new() };
    let mut done: BTreeSet<String> = BTreeSet::new();
    for (at, operation) in operations.iter().enumerate() {
        if let Some(table) = rebuild_target(operation).filter(|t| rebuilt.contains(*t)) {
            if done.insert(table.to_owned()) {
                groups[at].extend(rebuild(operations, at, before, after, table));
            }
            continue;
        }
        match operation {
            // A rebuild already made the final columns.
            Operation::RenameColumn { table, .. } if done.contains(table) => {}
            // SQLite keeps constraint names in the table's SQL: a renamed
            // table is rebuilt so that its primary key is named after it.
            Operation::RenameTable { to, .. } if backend == Backend::Sqlite => {
                groups[at].extend(operation_sql(operation, before, after, backend));
                if rebuilt.contains(to) && done.insert(to.clone()) {
                    groups[at].extend(rebuild(operations, at + 1, before, after, to));
                }
            }
            Operation::AlterEnum { to, .. } if backend == Backend::Sqlite => {
                // The tables whose CHECK names the values are rebuilt.
                for table in enum_users(after, to) {
                    let name = name_at(operations, at, &table.name).to_owned();
                    if rebuilt.contains(&name) && done.insert(name.clone()) {
                        groups[at].extend(rebuild(operations, at, before, after, &name));
                    }
                }
            }
            Operation::AlterEnum { from, to } => {
                groups[at].extend(alter_enum(from, to, operations, at, after, backend))
            }
            _ => groups[at].extend(operation_sql(operation, before, after, backend)),
        }
    }
    groups
}

/// The name table `name` (as operations before `at` left it) has in the
/// final schema: renamed by a later operation, or the same.
pub(super) fn final_name<'a>(operations: &'a [Operation], at: usize, name: &'a str) -> &'a str {
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
pub(super) fn name_at<'a>(operations: &'a [Operation], at: usize, name: &'a str) -> &'a str {
    operations[at..]
        .iter()
        .find_map(|op| match op {
            Operation::RenameTable { from, to } if to == name => Some(from.as_str()),
            _ => None,
        })
        .unwrap_or(name)
}

/// The value existing rows get for a new NOT NULL column without a
/// default (such as a column a downgrade brings back): the type's zero,
/// the same value on every backend: `0`, `FALSE`, `''`, `1970-01-01`,
/// `00:00:00`, `1970-01-01 00:00:00` (UTC where the type has a zone), `{}`,
/// no bytes, the enum's first value. Left to itself, MySQL/MariaDB would
/// fill its own implicit defaults (`0000-00-00` for a date, which no other
/// backend nor chrono can hold), and PostgreSQL and SQLite would refuse.
pub(super) fn fill_value(backend: Backend, schema: &Schema, column: &Column) -> Option<String> {
    if column.nullable || column.server_default.is_some() || column.autoincrement {
        return None;
    }
    Some(match &column.sql_type {
        SqlType::SmallInt | SqlType::Integer | SqlType::BigInt => "0".to_owned(),
        SqlType::Float | SqlType::Double | SqlType::Numeric { .. } => "0".to_owned(),
        SqlType::Bool => "FALSE".to_owned(),
        SqlType::Text | SqlType::Varchar(_) => "''".to_owned(),
        SqlType::Date => "'1970-01-01'".to_owned(),
        SqlType::Time => "'00:00:00'".to_owned(),
        SqlType::Timestamp => "'1970-01-01 00:00:00'".to_owned(),
        // The same instant whatever the session's time zone, written as
        // each backend stores it (SQLite: the text quarry writes).
        SqlType::TimestampTz => match backend {
            Backend::Postgres => "'1970-01-01 00:00:00+00'".to_owned(),
            Backend::Sqlite => "'1970-01-01 00:00:00+00:00'".to_owned(),
            Backend::Mysql => "'1970-01-01 00:00:00'".to_owned(),
        },
        SqlType::Json | SqlType::Jsonb => "'{}'".to_owned(),
        SqlType::Binary => match backend {
            Backend::Postgres => "''::bytea".to_owned(),
            _ => "X''".to_owned(),
        },
        SqlType::Enum(name) => backend.string(schema.enum_type(name)?.values.first()?),
    })
}

/// `fill` as a column's `DEFAULT`: MySQL takes only expressions, in
/// parentheses, as defaults of TEXT, BLOB and JSON.
fn fill_default(backend: Backend, column: &Column, fill: &str) -> String {
    let expression_only = matches!(column.sql_type, SqlType::Text | SqlType::Binary | SqlType::Json | SqlType::Jsonb);
    if backend == Backend::Mysql && expression_only {
        format!("({fill})")
    } else {
        fill.to_owned()
    }
}

/// `ALTER TABLE <table> <clause>`.
fn alter(backend: Backend, table: &Table, clause: impl std::fmt::Display) -> String {
    format!("ALTER TABLE {} {clause}", backend.table_name(table))
}

/// A table by SQL name in `schema`, or a bare stand-in with that name.
fn table_in(schema: &Schema, name: &str) -> Table {
    schema.table(name).cloned().unwrap_or_else(|| Table::empty(name.to_owned()))
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
            // (SQLite rebuilds the table to add such a column.)
            match fill_value(backend, after, column).filter(|_| backend != Sqlite) {
                // Existing rows need a value: give the type's zero, then
                // leave the column without a default, as declared.
                Some(fill) => vec![
                    alter(
                        backend,
                        &table,
                        format_args!("ADD COLUMN {definition} DEFAULT {}", fill_default(backend, column, &fill)),
                    ),
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
                .map(|name| table.column(name).map_or_else(|| q(name), |c| key_column(backend, c)))
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
            if from.sql_type != to.sql_type {
                let ty = backend.column_type(after, to);
                let using = match to.sql_type {
                    SqlType::Enum(_) => format!(" USING {column}::text::{ty}"),
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
            if from.comment != to.comment {
                let text = to.comment.as_deref().map_or_else(|| "NULL".to_owned(), |t| backend.string(t));
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
    from: &Enum,
    to: &Enum,
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
            t.name = name_at(operations, at, &t.name).to_owned().into();
            t
        })
        .collect();
    let users: Vec<(&Table, &Column)> = renamed
        .iter()
        .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
        .filter(|(_, c)| c.sql_type == SqlType::Enum(to.name.clone()))
        .collect();
    match backend {
        Backend::Postgres => {
            let mut old = from.clone();
            old.name = format!("{}__old", from.name).into();
            let mut out =
                vec![format!("ALTER TYPE {} RENAME TO {}", backend.enum_type_name(from), backend.quote(&old.name))];
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
