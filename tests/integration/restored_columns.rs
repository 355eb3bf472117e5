//! A downgrade that brings back dropped NOT NULL columns fills the rows
//! that are there with the same value on every backend: the type's zero
//! (docs/migrations.md, "A NOT NULL column brought back"). One migration
//! drops every NOT NULL column without a default of the `all_types` and
//! `enums` cases (integers, floats, bool, text, varchar, decimal, date,
//! time, timestamp, timestamp with time zone, JSON, JSONB, binary, enum)
//! from tables holding a row; reverting it restores them, and the row
//! reads back the same zeros on SQLite, PostgreSQL and MariaDB.

use crate::common;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use diesel::prelude::*;
use quarry::migrate::{revert_last, run_pending, Migration, MigrationConnection, Script};
use quarry_schema::autogenerate::{diff, reverse, statements};
use quarry_schema::db::Schema;
use serde_json::json;

use crate::generated_cases::{all_types, enums};

/// The schema of both cases, as the code generator lowers it.
fn cases() -> Schema {
    let text = [
        include_str!("../../crates/codegen/tests/cases/all_types/schema.rs"),
        include_str!("../../crates/codegen/tests/cases/enums/schema.rs"),
    ]
    .iter()
    .flat_map(|file| file.lines().filter(|line| !line.starts_with("//!")))
    .collect::<Vec<_>>()
    .join("\n");
    quarry_codegen::lower::database(&quarry_codegen::load_str("schema.rs", &text).expect("the cases' schema"))
}

/// `schema` without the NOT NULL columns that have no default (what a
/// downgrade must fill), outside the primary key.
fn without_required_columns(schema: &Schema) -> Schema {
    let mut smaller = schema.clone();
    for table in smaller.tables.to_mut() {
        let key = table.primary_key.clone();
        table.columns.to_mut().retain(|c| c.nullable || c.server_default.is_some() || key.contains(&c.name));
    }
    smaller
}

/// The migration that drops those columns, with its derived downgrade, for
/// the backend of `C`.
fn drop_required_columns<C: MigrationConnection>() -> Migration {
    let (before, after) = (cases(), without_required_columns(&cases()));
    let operations = diff(&before, &after);
    let up = statements(&operations, &before, &after, C::BACKEND).join(";\n");
    let down = statements(&reverse(&operations), &after, &before, C::BACKEND).join(";\n");
    let script = Some(Script { up: up.into(), down: down.into() });
    let mut migration = Migration::new("0001", "drop_required_columns");
    match C::BACKEND {
        quarry::engine::Backend::Sqlite => migration.sqlite = script,
        quarry::engine::Backend::Postgres => migration.postgres = script,
        quarry::engine::Backend::Mysql => migration.mysql = script,
    }
    migration
}

/// A row of every type with no zero in it.
fn sample() -> all_types::NewSample {
    let day = NaiveDate::from_ymd_opt(2024, 2, 29).unwrap();
    let clock = NaiveTime::from_hms_opt(23, 59, 58).unwrap();
    all_types::NewSample {
        maybe_body: Some("kept".into()),
        ..all_types::NewSample::new(
            -3,
            70_000,
            -9_000_000_000,
            1.5f32,
            -2.25,
            true,
            "body",
            "CODE-1",
            "12.5".parse::<bigdecimal::BigDecimal>().unwrap(),
            day,
            clock,
            NaiveDateTime::new(day, clock),
            Utc.with_ymd_and_hms(2024, 3, 1, 8, 30, 0).unwrap(),
            json!({"a": 1}),
            quarry::Jsonb(json!({"k": "v"})),
            vec![1u8, 2, 255],
        )
    }
}

common::backend_tests! {
    fn a_downgrade_fills_restored_not_null_columns_with_the_same_zero_everywhere(conn) {
        all_types::create_all(conn).unwrap();
        enums::create_all(conn).unwrap();
        diesel::insert_into(all_types::samples::table).values(&sample()).execute(conn).unwrap();
        diesel::insert_into(enums::crossings::table)
            .values(&enums::NewCrossing::new(enums::PaymentState::PaidInFull))
            .execute(conn)
            .unwrap();
        let created = columns(&quarry::inspect::catalog(conn).unwrap());
        let migrations = [drop_required_columns_for(conn)];
        let script = [&migrations[0].sqlite, &migrations[0].postgres, &migrations[0].mysql].into_iter().flatten().next().unwrap();
        assert!(script.up.contains("DROP COLUMN") || script.up.contains("_quarry_rebuild_"), "{}", script.up);
        run_pending(conn, &migrations).unwrap_or_else(|e| panic!("{e}\n{}", script.up));
        // The zero instant is the same in every session's time zone.
        if backend_of(conn) == quarry::engine::Backend::Postgres {
            diesel::connection::SimpleConnection::batch_execute(conn, "SET TIME ZONE 'Asia/Tokyo'").unwrap();
        }
        assert_eq!(revert_last(conn, &migrations).unwrap_or_else(|e| panic!("{e}\n{}", script.down)), Some("0001"));

        // The columns are back as created: same types, NOT NULL, no default left behind.
        assert_eq!(columns(&quarry::inspect::catalog(conn).unwrap()), created);

        let row: all_types::Sample = all_types::samples::table.select(all_types::Sample::as_select()).first(conn).unwrap();
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        let midnight = NaiveTime::from_hms_opt(0, 0, 0).unwrap();
        let zeros = (0i16, 0i32, 0i64, 0f32, 0f64, false, String::new(), String::new());
        assert_eq!((row.small, row.int, row.big, row.single, row.double, row.flag, row.body.clone(), row.code.clone()), zeros);
        assert_eq!(row.amount, "0".parse::<bigdecimal::BigDecimal>().unwrap());
        assert_eq!((row.day, row.clock, *row.local), (epoch, midnight, NaiveDateTime::new(epoch, midnight)));
        assert_eq!(*row.instant, Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap());
        assert_eq!((&row.doc.0, &row.doc_b.0), (&json!({}), &json!({})));
        assert_eq!(row.bytes, Vec::<u8>::new());
        assert_eq!(row.maybe_body.as_deref(), Some("kept"), "a column that stayed keeps its value");

        let payment = enums::crossings::table.select(enums::crossings::payment).first::<enums::PaymentState>(conn).unwrap();
        assert_eq!(payment, enums::PaymentState::Unpaid, "the enum's first value");
    }
}

/// Every column of `catalog`, whatever its position: (table, column,
/// type, nullable, default).
fn columns(
    catalog: &quarry::inspect::Catalog,
) -> std::collections::BTreeSet<(String, String, String, bool, Option<String>)> {
    let tables = catalog.tables.iter().filter(|t| t.name != "quarry_migrations");
    tables
        .flat_map(|t| {
            t.columns
                .iter()
                .map(|c| (t.name.clone(), c.name.clone(), c.sql_type.clone(), c.nullable, c.default.clone()))
        })
        .collect()
}

/// The backend of a connection.
fn backend_of<C: MigrationConnection>(_conn: &C) -> quarry::engine::Backend {
    C::BACKEND
}

/// [`drop_required_columns`] for the connection's backend.
fn drop_required_columns_for<C: MigrationConnection>(_conn: &mut C) -> Migration {
    drop_required_columns::<C>()
}
