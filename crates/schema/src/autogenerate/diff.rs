//! The difference between two schemas, as operations in a runnable order.

use crate::db::{Column, Schema, Table};
use crate::order::order;

use super::ops::Operation;

/// The operations that turn `old` into `new`, ordered so that each can run
/// after the ones before it: constraints that go are dropped first, then
/// tables; renames; enums; tables and columns; constraints that come are
/// added last (foreign keys at the very end), and enums that go are
/// dropped after the columns that used them.
///
/// Tables and columns are matched by SQL name, or by `renamed_from`.
/// Constraints and indexes are matched by name; one whose definition
/// changed is dropped and added again.
pub fn diff(old: &Schema, new: &Schema) -> Vec<Operation> {
    let mut plan = Plan::default();

    // Tables: matched, created, dropped.
    let mut matched: Vec<(&Table, &Table)> = Vec::new();
    for table in new.tables.iter() {
        match old.table(&table.name).or_else(|| table.renamed_from.as_deref().and_then(|r| old.table(r))) {
            Some(before) => matched.push((before, table)),
            None => plan.create_tables.push(table.name.to_string()),
        }
    }
    let dropped: Vec<&Table> =
        old.tables.iter().filter(|t| !matched.iter().any(|(before, _)| before.name == t.name)).collect();

    for (before, after) in &matched {
        if before.name != after.name {
            plan.renames.push(Operation::RenameTable { from: before.name.to_string(), to: after.name.to_string() });
        }
        compare_table(before, after, &mut plan);
    }

    // Enums.
    for e in new.enums.iter() {
        match old.enums.iter().find(|o| o.name == e.name && o.schema == e.schema) {
            None => plan.enums.push(Operation::CreateEnum(e.clone())),
            Some(before) if before.values != e.values => {
                plan.enums.push(Operation::AlterEnum { from: before.clone(), to: e.clone() })
            }
            Some(_) => {}
        }
    }
    let dropped_enums: Vec<Operation> = old
        .enums
        .iter()
        .filter(|o| !new.enums.iter().any(|e| e.name == o.name && e.schema == o.schema))
        .map(|o| Operation::DropEnum(o.clone()))
        .collect();

    // New tables in foreign-key order, dropped ones in reverse order.
    let created: Vec<Operation> = order(new)
        .tables
        .into_iter()
        .filter(|t| plan.create_tables.iter().any(|c| *c == t.name))
        .map(|t| Operation::CreateTable(t.clone()))
        .collect();
    let dropped_tables: Vec<Operation> = order(old)
        .tables
        .into_iter()
        .rev()
        .filter(|t| dropped.iter().any(|d| d.name == t.name))
        .map(|t| Operation::DropTable(t.clone()))
        .collect();

    let mut operations = Vec::new();
    operations.extend(plan.drop_foreign_keys);
    operations.extend(plan.drop_constraints);
    operations.extend(dropped_tables);
    operations.extend(plan.renames);
    operations.extend(plan.enums);
    operations.extend(created);
    operations.extend(plan.columns);
    operations.extend(plan.comments);
    operations.extend(plan.add_constraints);
    operations.extend(plan.add_foreign_keys);
    operations.extend(dropped_enums);
    operations
}

/// Operations collected by kind, to be laid out in order.
#[derive(Default)]
struct Plan {
    create_tables: Vec<String>,
    drop_foreign_keys: Vec<Operation>,
    drop_constraints: Vec<Operation>,
    renames: Vec<Operation>,
    enums: Vec<Operation>,
    columns: Vec<Operation>,
    comments: Vec<Operation>,
    add_constraints: Vec<Operation>,
    add_foreign_keys: Vec<Operation>,
}

/// Whether a column's definition in the database differs (client defaults
/// live in the program, not the database).
fn column_changed(before: &Column, after: &Column) -> bool {
    before.sql_type != after.sql_type
        || before.nullable != after.nullable
        || before.server_default != after.server_default
        || before.autoincrement != after.autoincrement
        || before.comment != after.comment
}

fn compare_table(before: &Table, after: &Table, plan: &mut Plan) {
    let name = after.name.to_string();

    // Columns: matched by SQL name, or by renamed_from.
    let mut kept: Vec<&str> = Vec::new();
    for column in after.columns.iter() {
        let previous = before.column(&column.name).or_else(|| {
            column.renamed_from.as_deref().filter(|r| after.column(r).is_none()).and_then(|r| before.column(r))
        });
        match previous {
            None => plan.columns.push(Operation::AddColumn { table: name.clone(), column: column.clone() }),
            Some(previous) => {
                kept.push(&previous.name);
                if previous.name != column.name {
                    plan.renames.push(Operation::RenameColumn {
                        table: name.clone(),
                        from: previous.name.to_string(),
                        to: column.name.to_string(),
                    });
                }
                if column_changed(previous, column) {
                    let mut from = previous.clone();
                    from.name = column.name.clone();
                    plan.columns.push(Operation::AlterColumn { table: name.clone(), from, to: column.clone() });
                }
            }
        }
    }
    for column in before.columns.iter().filter(|c| !kept.contains(&&*c.name)) {
        plan.columns.push(Operation::DropColumn { table: name.clone(), column: column.clone() });
    }

    if before.primary_key != after.primary_key {
        plan.columns.push(Operation::SetPrimaryKey {
            table: name.clone(),
            from: before.primary_key.clone(),
            to: after.primary_key.clone(),
        });
    }
    if before.comment != after.comment {
        plan.comments.push(Operation::SetTableComment {
            table: name.clone(),
            from: before.comment.clone(),
            to: after.comment.clone(),
        });
    }

    // Constraints and indexes by name; a changed one goes and comes back.
    // Names are SQL names throughout, so two definitions are the same
    // exactly when they are equal.
    macro_rules! by_name {
        ($field:ident, $drop:ident, $add:ident, $key:ident, $drops:ident, $adds:ident) => {
            for item in before.$field.iter() {
                if !after.$field.contains(item) {
                    plan.$drops.push(Operation::$drop { table: name.clone(), $key: item.clone() });
                }
            }
            for item in after.$field.iter() {
                if !before.$field.contains(item) {
                    plan.$adds.push(Operation::$add { table: name.clone(), $key: item.clone() });
                }
            }
        };
    }
    by_name!(uniques, DropUnique, AddUnique, unique, drop_constraints, add_constraints);
    by_name!(indexes, DropIndex, AddIndex, index, drop_constraints, add_constraints);
    by_name!(checks, DropCheck, AddCheck, check, drop_constraints, add_constraints);
    by_name!(foreign_keys, DropForeignKey, AddForeignKey, foreign_key, drop_foreign_keys, add_foreign_keys);
}
