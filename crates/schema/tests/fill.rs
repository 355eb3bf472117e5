//! A downgrade that brings back a dropped NOT NULL column without a
//! default fills the rows there with the type's zero, written so that
//! every backend stores the same value (tests/integration/restored_columns.rs
//! reads them back from live databases).

use std::path::Path;

use quarry_schema::autogenerate::{diff, reverse, statements};
use quarry_schema::db::Schema;
use quarry_schema::snapshot::from_json;
use quarry_schema::Backend;

/// A table `events` with `id` and, when `with` is given, one NOT NULL
/// column `c` of that type (in the snapshot's JSON spelling).
fn events(with: Option<&str>) -> Schema {
    let column = with.map_or(String::new(), |t| format!(r#", {{ "name": "c", "type": {t}, "nullable": false }}"#));
    let json = format!(
        r#"{{ "format": 2, "enums": [ {{ "name": "mood", "values": ["calm", "cross"] }} ],
            "tables": [ {{ "name": "events", "primary_key": ["id"],
              "columns": [ {{ "name": "id", "type": "integer", "nullable": false, "autoincrement": true }}{column} ] }} ] }}"#
    );
    from_json(&json, Path::new("events.json")).unwrap()
}

/// The statements that restore column `c` of type `json_type` on `backend`.
fn restore(json_type: &str, backend: Backend) -> Vec<String> {
    let (with, without) = (events(Some(json_type)), events(None));
    statements(&reverse(&diff(&with, &without)), &without, &with, backend)
}

#[test]
fn postgres_and_mysql_add_the_column_with_the_zero_then_drop_the_default() {
    let cases = [
        (r#""timestamp_tz""#, Backend::Postgres, "TIMESTAMPTZ NOT NULL DEFAULT '1970-01-01 00:00:00+00'"),
        (r#""timestamp_tz""#, Backend::Mysql, "DATETIME(6) NOT NULL DEFAULT '1970-01-01 00:00:00'"),
        (r#""date""#, Backend::Mysql, "DATE NOT NULL DEFAULT '1970-01-01'"),
        (r#""time""#, Backend::Mysql, "TIME(6) NOT NULL DEFAULT '00:00:00'"),
        (r#""bool""#, Backend::Mysql, "BOOL NOT NULL DEFAULT FALSE"),
        (r#"{ "enum": "mood" }"#, Backend::Mysql, "ENUM('calm', 'cross') NOT NULL DEFAULT 'calm'"),
        // MySQL takes only expressions as defaults of TEXT, BLOB and JSON.
        (r#""text""#, Backend::Mysql, "TEXT NOT NULL DEFAULT ('')"),
        (r#""json""#, Backend::Mysql, "JSON NOT NULL DEFAULT ('{}')"),
        (r#""binary""#, Backend::Mysql, "LONGBLOB NOT NULL DEFAULT (X'')"),
        (r#""binary""#, Backend::Postgres, "BYTEA NOT NULL DEFAULT ''::bytea"),
    ];
    for (json_type, backend, definition) in cases {
        let q = |name: &str| backend.quote(name);
        assert_eq!(
            restore(json_type, backend),
            [
                format!("ALTER TABLE {} ADD COLUMN {} {definition}", q("events"), q("c")),
                format!("ALTER TABLE {} ALTER COLUMN {} DROP DEFAULT", q("events"), q("c")),
            ],
            "{json_type} on {backend:?}"
        );
    }
}

#[test]
fn sqlite_rebuilds_the_table_selecting_the_zero() {
    let sql = restore(r#""timestamp_tz""#, Backend::Sqlite).join(";\n");
    assert!(sql.contains("SELECT \"id\", '1970-01-01 00:00:00+00:00' FROM \"events\""), "{sql}");
    let sql = restore(r#""date""#, Backend::Sqlite).join(";\n");
    assert!(sql.contains("SELECT \"id\", '1970-01-01' FROM \"events\""), "{sql}");
}
