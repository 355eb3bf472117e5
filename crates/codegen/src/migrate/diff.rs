//! The difference between two schemas, as operations in a runnable order.

use crate::emit::ddl::order::order;
use crate::ir::{Column, ForeignKey, Schema, Table};

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
    for table in &new.tables {
        match old.table(&table.name).or_else(|| table.renamed_from.as_deref().and_then(|r| old.table(r))) {
            Some(before) => matched.push((before, table)),
            None => plan.create_tables.push(table.name.clone()),
        }
    }
    let dropped: Vec<&Table> =
        old.tables.iter().filter(|t| !matched.iter().any(|(before, _)| before.name == t.name)).collect();

    for (before, after) in &matched {
        if before.name != after.name {
            plan.renames.push(Operation::RenameTable { from: before.name.clone(), to: after.name.clone() });
        }
        compare_table(old, new, before, after, &mut plan);
    }

    // Enums.
    for e in &new.enums {
        match old.enums.iter().find(|o| o.sql_name == e.sql_name && o.schema == e.schema) {
            None => plan.enums.push(Operation::CreateEnum(e.clone())),
            Some(before) if before.variants.iter().map(|v| &v.value).ne(e.variants.iter().map(|v| &v.value)) => {
                plan.enums.push(Operation::AlterEnum { from: before.clone(), to: e.clone() })
            }
            Some(_) => {}
        }
    }
    let dropped_enums: Vec<Operation> = old
        .enums
        .iter()
        .filter(|o| !new.enums.iter().any(|e| e.sql_name == o.sql_name && e.schema == o.schema))
        .map(|o| Operation::DropEnum(o.clone()))
        .collect();

    // New tables in foreign-key order, dropped ones in reverse order.
    let created: Vec<Operation> = order(new)
        .tables
        .into_iter()
        .filter(|t| plan.create_tables.contains(&t.name))
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

/// SQL names of `fields` of `table`.
fn sql_columns(table: &Table, fields: &[String]) -> Vec<String> {
    fields.iter().map(|f| table.column(f).map_or_else(|| f.clone(), |c| c.name.clone())).collect()
}

/// A foreign key as the database sees it: SQL names throughout.
fn fk_shape(schema: &Schema, table: &Table, fk: &ForeignKey) -> (Vec<String>, String, Vec<String>, String) {
    let refs = match schema.table(&fk.ref_table) {
        Some(parent) => sql_columns(parent, &fk.ref_columns),
        None => fk.ref_columns.clone(),
    };
    (sql_columns(table, &fk.columns), fk.ref_table.clone(), refs, format!("{:?}/{:?}", fk.on_delete, fk.on_update))
}

/// Whether a column's definition in the database differs (client defaults
/// live in the program, not the database).
fn column_changed(before: &Column, after: &Column) -> bool {
    before.ty != after.ty
        || before.nullable != after.nullable
        || before.server_default != after.server_default
        || before.autoincrement != after.autoincrement
        || before.doc != after.doc
}

fn compare_table(old: &Schema, new: &Schema, before: &Table, after: &Table, plan: &mut Plan) {
    let name = after.name.clone();

    // Columns: matched by SQL name, or by renamed_from.
    let mut kept: Vec<&str> = Vec::new();
    for column in &after.columns {
        let previous = before.column_by_sql_name(&column.name).or_else(|| {
            column
                .renamed_from
                .as_deref()
                .filter(|r| after.column_by_sql_name(r).is_none())
                .and_then(|r| before.column_by_sql_name(r))
        });
        match previous {
            None => plan.columns.push(Operation::AddColumn { table: name.clone(), column: column.clone() }),
            Some(previous) => {
                kept.push(&previous.name);
                if previous.name != column.name {
                    plan.renames.push(Operation::RenameColumn {
                        table: name.clone(),
                        from: previous.name.clone(),
                        to: column.name.clone(),
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
    for column in before.columns.iter().filter(|c| !kept.contains(&c.name.as_str())) {
        plan.columns.push(Operation::DropColumn { table: name.clone(), column: column.clone() });
    }

    let (key_before, key_after) = (sql_columns(before, &before.primary_key), sql_columns(after, &after.primary_key));
    if key_before != key_after {
        plan.columns.push(Operation::SetPrimaryKey { table: name.clone(), from: key_before, to: key_after });
    }
    if before.doc != after.doc {
        plan.comments.push(Operation::SetTableComment {
            table: name.clone(),
            from: before.doc.clone(),
            to: after.doc.clone(),
        });
    }

    // Constraints and indexes by name; a changed one goes and comes back.
    macro_rules! by_name {
        ($field:ident, $shape:expr, $drop:ident, $add:ident, $key:ident, $drops:ident, $adds:ident) => {
            for item in &before.$field {
                let same = after.$field.iter().find(|a| a.name == item.name);
                if same.is_none_or(|a| $shape(after, a) != $shape(before, item)) {
                    plan.$drops.push(Operation::$drop { table: name.clone(), $key: item.clone() });
                }
            }
            for item in &after.$field {
                let same = before.$field.iter().find(|b| b.name == item.name);
                if same.is_none_or(|b| $shape(before, b) != $shape(after, item)) {
                    plan.$adds.push(Operation::$add { table: name.clone(), $key: item.clone() });
                }
            }
        };
    }
    let unique_shape = |t: &Table, u: &crate::ir::Unique| sql_columns(t, &u.columns);
    let index_shape = |t: &Table, i: &crate::ir::Index| (sql_columns(t, &i.columns), i.unique);
    let check_shape = |_: &Table, c: &crate::ir::Check| c.sql.clone();
    by_name!(uniques, unique_shape, DropUnique, AddUnique, unique, drop_constraints, add_constraints);
    by_name!(indexes, index_shape, DropIndex, AddIndex, index, drop_constraints, add_constraints);
    by_name!(checks, check_shape, DropCheck, AddCheck, check, drop_constraints, add_constraints);

    for fk in &before.foreign_keys {
        let same = after.foreign_keys.iter().find(|a| a.name == fk.name);
        if same.is_none_or(|a| fk_shape(new, after, a) != fk_shape(old, before, fk)) {
            plan.drop_foreign_keys.push(Operation::DropForeignKey { table: name.clone(), foreign_key: fk.clone() });
        }
    }
    for fk in &after.foreign_keys {
        let same = before.foreign_keys.iter().find(|b| b.name == fk.name);
        if same.is_none_or(|b| fk_shape(old, before, b) != fk_shape(new, after, fk)) {
            plan.add_foreign_keys.push(Operation::AddForeignKey { table: name.clone(), foreign_key: fk.clone() });
        }
    }
}
