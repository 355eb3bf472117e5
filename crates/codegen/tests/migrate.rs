//! The schema diff: for the six schema versions of the migration plan, and
//! for renames and enum changes, the operations an upgrade needs and the
//! downgrade derived from them.

use quarry_schema::autogenerate::{diff, reverse, statements, Operation};
use quarry_schema::db::Schema;
use quarry_schema::Backend;

fn schema(text: &str) -> Schema {
    let checked = quarry_codegen::load_str("schema.rs", text).unwrap_or_else(|e| {
        panic!("{}", e.render(&[quarry_codegen::SourceFile { path: "schema.rs".into(), text: text.into() }]))
    });
    quarry_codegen::lower::database(&checked)
}

/// One line per operation: its kind and what it touches.
fn describe(operations: &[Operation]) -> String {
    let line = |op: &Operation| match op {
        Operation::CreateEnum(e) => format!("create enum {}", e.name),
        Operation::DropEnum(e) => format!("drop enum {}", e.name),
        Operation::AlterEnum { from, to } => {
            format!("alter enum {}: {} -> {}", to.name, from.values.join("|"), to.values.join("|"))
        }
        Operation::CreateTable(t) => format!("create table {}", t.name),
        Operation::DropTable(t) => format!("drop table {} ({} columns)", t.name, t.columns.len()),
        Operation::RenameTable { from, to } => format!("rename table {from} -> {to}"),
        Operation::AddColumn { table, column } => format!("add column {table}.{}", column.name),
        Operation::DropColumn { table, column } => format!("drop column {table}.{}", column.name),
        Operation::RenameColumn { table, from, to } => format!("rename column {table}.{from} -> {to}"),
        Operation::AlterColumn { table, from, to } => format!(
            "alter column {table}.{}: {:?} null={} default={:?} -> {:?} null={} default={:?}",
            to.name, from.sql_type, from.nullable, from.server_default, to.sql_type, to.nullable, to.server_default
        ),
        Operation::SetPrimaryKey { table, from, to } => format!("primary key {table}: {from:?} -> {to:?}"),
        Operation::AddUnique { table, unique } => format!("add unique {table}.{}", unique.name),
        Operation::DropUnique { table, unique } => format!("drop unique {table}.{}", unique.name),
        Operation::AddIndex { table, index } => format!("add index {table}.{}", index.name),
        Operation::DropIndex { table, index } => format!("drop index {table}.{}", index.name),
        Operation::AddCheck { table, check } => format!("add check {table}.{}", check.name),
        Operation::DropCheck { table, check } => format!("drop check {table}.{}", check.name),
        Operation::AddForeignKey { table, foreign_key } => {
            format!("add foreign key {table}.{} on delete {:?}", foreign_key.name, foreign_key.on_delete)
        }
        Operation::DropForeignKey { table, foreign_key } => format!("drop foreign key {table}.{}", foreign_key.name),
        Operation::SetTableComment { table, from, to } => format!("comment {table}: {from:?} -> {to:?}"),
    };
    operations.iter().map(line).collect::<Vec<_>>().join("\n")
}

/// The six schema versions of the migration plan, and a rename/enum/retype
/// case; `tests/migrations.rs` in the root crate runs them on live databases.
const V1: &str = include_str!("versions/v1.rs");

const V2: &str = include_str!("versions/v2.rs");

const V3: &str = include_str!("versions/v3.rs");

const V4: &str = include_str!("versions/v4.rs");

const V5: &str = include_str!("versions/v5.rs");

const V6: &str = include_str!("versions/v6.rs");

#[test]
fn six_versions_step_by_step() {
    let versions: Vec<Schema> = [V1, V2, V3, V4, V5, V6].iter().map(|v| schema(v)).collect();
    let steps: Vec<String> = versions
        .windows(2)
        .enumerate()
        .map(|(i, pair)| format!("v{} -> v{}:\n{}", i + 1, i + 2, describe(&diff(&pair[0], &pair[1]))))
        .collect();
    insta::assert_snapshot!(steps.join("\n\n"), @"
    v1 -> v2:
    add column posts.views
    add index posts.ix_posts_views

    v2 -> v3:
    create table comments

    v3 -> v4:
    alter column authors.name: Varchar(50) null=false default=None -> Varchar(120) null=true default=None

    v4 -> v5:
    drop index posts.ix_posts_views
    drop column posts.title
    add check posts.ck_posts_views

    v5 -> v6:
    create table post_authors
    ");
}

#[test]
fn the_downgrade_is_the_upgrade_reversed() {
    let versions: Vec<Schema> = [V1, V2, V3, V4, V5, V6].iter().map(|v| schema(v)).collect();
    for pair in versions.windows(2) {
        let up = diff(&pair[0], &pair[1]);
        let down = reverse(&up);
        assert_eq!(reverse(&down), up, "reversing twice gives the upgrade back");
        // The derived downgrade does what diffing the other way does, up to order.
        let mut derived: Vec<String> = describe(&down).lines().map(str::to_owned).collect();
        let mut direct: Vec<String> = describe(&diff(&pair[1], &pair[0])).lines().map(str::to_owned).collect();
        derived.sort();
        direct.sort();
        assert_eq!(derived, direct);
    }
    insta::assert_snapshot!(describe(&reverse(&diff(&schema(V4), &schema(V5)))), @"
    drop check posts.ck_posts_views
    add column posts.title
    add index posts.ix_posts_views
    ");
}

#[test]
fn an_unchanged_schema_needs_nothing() {
    assert!(diff(&schema(V6), &schema(V6)).is_empty());
}

#[test]
fn renames_follow_renamed_from() {
    let before = schema(
        r#"
#[table(name = "people")]
pub struct Person { #[column(primary_key)] pub id: i32, pub fullname: String }
"#,
    );
    let after = schema(
        r#"
#[table(name = "users", renamed_from = "people")]
pub struct User { #[column(primary_key)] pub id: i32, #[column(renamed_from = "fullname")] pub display_name: String }
"#,
    );
    insta::assert_snapshot!(describe(&diff(&before, &after)), @"
    rename table people -> users
    rename column users.fullname -> display_name
    ");
    insta::assert_snapshot!(describe(&reverse(&diff(&before, &after))), @"
    rename column users.display_name -> fullname
    rename table users -> people
    ");
}

#[test]
fn enum_values_and_dropped_things_are_carried() {
    let before = schema(
        r#"
#[db_enum(name = "state")]
pub enum State { Open, Closed }
#[table(name = "tickets")]
pub struct Ticket { #[column(primary_key)] pub id: i32, pub state: State, pub legacy: Option<i64> }
#[table(name = "archive")]
pub struct Archive { #[column(primary_key)] pub id: i32 }
"#,
    );
    let after = schema(
        r#"
#[db_enum(name = "state")]
pub enum State { Open, Pending, Closed }
#[table(name = "tickets")]
pub struct Ticket { #[column(primary_key)] pub id: i32, pub state: State }
"#,
    );
    let up = diff(&before, &after);
    insta::assert_snapshot!(describe(&up), @"
    drop table archive (1 columns)
    alter enum state: open|closed -> open|pending|closed
    drop column tickets.legacy
    ");
    assert_eq!(up.iter().filter(|op| op.destroys_data()).count(), 2);
    // The downgrade recreates what the upgrade dropped, definitions included.
    let down = reverse(&up);
    assert!(down
        .iter()
        .any(|op| matches!(op, Operation::CreateTable(t) if t.name == "archive" && t.columns.len() == 1)));
    assert!(down
        .iter()
        .any(|op| matches!(op, Operation::AddColumn { column, .. } if column.name == "legacy" && column.nullable)));
}

const RENAMES_BEFORE: &str = include_str!("versions/renames_before.rs");

const RENAMES_AFTER: &str = include_str!("versions/renames_after.rs");
/// Keys and defaults: a foreign key added to a table, a composite primary
/// key, a new enum, a changed server default and column comment.
const KEYS_BEFORE: &str = include_str!("versions/keys_before.rs");
const KEYS_AFTER: &str = include_str!("versions/keys_after.rs");

/// The SQL of every step above, up and down, per backend.
#[test]
fn the_sql_of_each_operation_per_backend() {
    let mut pairs: Vec<(String, Schema, Schema)> = [V1, V2, V3, V4, V5, V6]
        .windows(2)
        .enumerate()
        .map(|(i, pair)| (format!("v{} -> v{}", i + 1, i + 2), schema(pair[0]), schema(pair[1])))
        .collect();
    pairs.push(("renames, enum and column changes".to_owned(), schema(RENAMES_BEFORE), schema(RENAMES_AFTER)));
    pairs.push(("keys, defaults, comments and a new enum".to_owned(), schema(KEYS_BEFORE), schema(KEYS_AFTER)));
    for backend in Backend::ALL {
        let mut text = String::new();
        for (name, old, new) in &pairs {
            let up = diff(old, new);
            text.push_str(&format!("-- {name}: up\n{};\n\n", statements(&up, old, new, backend).join(";\n")));
            text.push_str(&format!(
                "-- {name}: down\n{};\n\n",
                statements(&reverse(&up), new, old, backend).join(";\n")
            ));
        }
        insta::assert_snapshot!(format!("migrate_sql_{}", backend.name()), text);
    }
}
