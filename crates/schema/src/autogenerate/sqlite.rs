//! SQLite's table rebuild.
//!
//! SQLite's `ALTER TABLE` can only add and rename columns and rename
//! tables, so every other change to a table is made by rebuilding it: a new
//! table with the final definition, the rows copied over, the old table
//! dropped, the new one renamed, its indexes recreated.

use std::collections::BTreeSet;

use crate::db::{Column, Enum, Schema, SqlType, Table};
use crate::{ddl, Backend};

use super::sql::{fill_value, final_name, name_at};
use super::Operation;

/// The table an operation changes in place, when SQLite would need a
/// rebuild for operations of that kind.
pub(super) fn rebuild_target(operation: &Operation) -> Option<&str> {
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
pub(super) fn enum_users<'a>(schema: &'a Schema, e: &Enum) -> impl Iterator<Item = &'a Table> {
    let ty = SqlType::Enum(e.name.clone());
    schema.tables.iter().filter(move |t| t.columns.iter().any(|c| c.sql_type == ty))
}

/// Tables SQLite must rebuild: those with a change `ALTER TABLE` cannot
/// make, and those whose enum columns' allowed values changed.
pub(super) fn sqlite_rebuilds(operations: &[Operation], after: &Schema) -> BTreeSet<String> {
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
            tables.remove(&*t.name);
        }
    }
    tables
}

/// SQLite adds a column in place only when existing rows can take it: it is
/// nullable or has a constant default, and is no key.
fn sqlite_can_add(column: &Column) -> bool {
    use crate::db::ServerDefault::*;
    let constant_default = matches!(column.server_default, Some(Int(_) | Float(_) | Bool(_) | Str(_)));
    (column.nullable && column.server_default.is_none() || constant_default) && !column.autoincrement
}

/// SQLite's table rebuild for `name`, into its definition in `after`.
/// `at` is the position of the operation the rebuild runs at: renames
/// before it have happened, renames after it are made by it.
pub(super) fn rebuild(operations: &[Operation], at: usize, before: &Schema, after: &Schema, name: &str) -> Vec<String> {
    let backend = Backend::Sqlite;
    let Some(target) = after.table(final_name(operations, at, name)) else { return Vec::new() };
    // The table's columns when the rebuild runs (its old columns, renamed by
    // the renames before it), and the final column each becomes (renamed by
    // every rename: the rebuild makes the final definition at once, and the
    // renames after it are skipped).
    let names = [name, &*target.name];
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
    for column in target.columns.iter() {
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
