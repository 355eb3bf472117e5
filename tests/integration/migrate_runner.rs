//! The migration runner on every backend: pending migrations run once,
//! even with eight runners starting together; an applied migration that
//! changed is an error; a migration that fails halfway leaves nothing on
//! SQLite and PostgreSQL and reports exactly what ran on MariaDB; the last
//! migration reverts; stamping moves the record either way, running nothing.

use crate::common;

use std::sync::Arc;

use diesel::prelude::*;
use quarry::migrate::{applied, revert_last, run_pending, stamp_to, Migration, Stamped, Target};
use quarry::Error;

static MIGRATIONS: &[Migration] = include!(concat!(env!("OUT_DIR"), "/fixture_migrations.rs"));
static BROKEN: &[Migration] = include!(concat!(env!("OUT_DIR"), "/broken_migrations.rs"));

macro_rules! count {
    ($conn:expr, $table:literal) => {{
        let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(concat!(
            "(SELECT count(*) FROM ",
            $table,
            ")"
        )))
        .get_result($conn)
        .unwrap();
        n
    }};
}

/// Whether `table` exists: selecting from it succeeds.
macro_rules! exists {
    ($conn:expr, $table:literal) => {
        diesel::sql_query(concat!("SELECT 1 FROM ", $table, " WHERE 1 = 0")).execute($conn).is_ok()
    };
}

common::engine_tests! {
    @settings |b| b.pool_size(8).max_overflow(0);

    fn pending_migrations_run_once_and_revert(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        assert_eq!(run_pending(conn, MIGRATIONS).unwrap(), ["0001", "0002", "0003"]);
        assert!(run_pending(conn, MIGRATIONS).unwrap().is_empty(), "nothing is pending any more");
        assert_eq!((count!(conn, "notes"), count!(conn, "runs")), (1, 1));
        let body: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>("(SELECT body FROM notes)")).get_result(conn).unwrap();
        assert_eq!(body, "first; with a semicolon");
        let records = applied(conn).unwrap();
        assert_eq!(records.iter().map(|r| (r.version.as_str(), r.complete)).collect::<Vec<_>>(), [("0001", true), ("0002", true), ("0003", true)]);

        assert_eq!(revert_last(conn, MIGRATIONS).unwrap(), Some("0003"));
        assert!(diesel::sql_query("SELECT author FROM notes").execute(conn).is_err(), "the column is gone");
        assert_eq!(run_pending(conn, MIGRATIONS).unwrap(), ["0003"]);
        assert!(diesel::sql_query("SELECT author FROM notes").execute(conn).is_ok());
    }

    fn an_up_to_date_database_is_checked_with_reads_only(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        assert_eq!(run_pending(conn, MIGRATIONS).unwrap().len(), 3);
        engine.record_statements(true);
        assert!(run_pending(conn, MIGRATIONS).unwrap().is_empty());
        let statements = engine.take_statements();
        engine.record_statements(false);
        // Start-up of a program whose database is current: no lock, no
        // DDL, no transaction, only reads of the catalog and the records
        // (on SQLite the records alone: a missing table fails that read).
        let reads = if engine.url().backend() == quarry::engine::Backend::Sqlite { 1 } else { 2 };
        assert_eq!(statements.len(), reads, "{statements:#?}");
        assert!(statements.iter().all(|s| s.trim_start().to_uppercase().starts_with("SELECT")), "{statements:#?}");

        // One migration changed since it was applied: the locked path runs
        // and says so.
        let mut changed = MIGRATIONS.to_vec();
        if let Some(script) = changed[0].sqlite.as_mut() {
            script.up = format!("{}\n-- edited", script.up).into();
        }
        if let Some(script) = changed[0].postgres.as_mut() {
            script.up = format!("{}\n-- edited", script.up).into();
        }
        if let Some(script) = changed[0].mysql.as_mut() {
            script.up = format!("{}\n-- edited", script.up).into();
        }
        assert!(matches!(run_pending(conn, &changed), Err(Error::MigrationChanged { .. })));
    }

    fn stamping_moves_the_record_exactly_to_the_target_either_way(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        let versions = |conn: &mut _| applied(conn).unwrap().into_iter().map(|r| (r.version, r.complete)).collect::<Vec<_>>();
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let stamped = stamp_to(conn, MIGRATIONS, &"0002".parse::<Target>().unwrap()).unwrap();
        assert_eq!(stamped, Stamped { recorded: owned(&["0001", "0002"]), removed: vec![] });
        assert!(!exists!(conn, "notes"), "nothing ran");
        // Back, then forward by one.
        let stamped = stamp_to(conn, MIGRATIONS, &"0001".parse::<Target>().unwrap()).unwrap();
        assert_eq!(stamped, Stamped { recorded: vec![], removed: owned(&["0002"]) });
        stamp_to(conn, MIGRATIONS, &Target::Relative(1)).unwrap();
        assert_eq!(versions(conn), [("0001".to_owned(), true), ("0002".to_owned(), true)]);
        // Unknown and ambiguous versions change nothing.
        assert!(matches!(stamp_to(conn, MIGRATIONS, &"0042".parse::<Target>().unwrap()), Err(Error::Revision(_))));
        let ambiguous = stamp_to(conn, MIGRATIONS, &"000".parse::<Target>().unwrap()).unwrap_err();
        assert!(ambiguous.to_string().contains("`000` could be any of 0001, 0002, 0003"), "{ambiguous}");
        assert_eq!(versions(conn).len(), 2);
        // base clears the record; the migrations then apply from the start.
        stamp_to(conn, MIGRATIONS, &Target::Base).unwrap();
        assert!(versions(conn).is_empty());
        assert_eq!(run_pending(conn, MIGRATIONS).unwrap(), ["0001", "0002", "0003"]);
    }

    fn eight_runners_starting_together_apply_each_migration_once(engine) {
        let barrier = Arc::new(std::sync::Barrier::new(8));
        let runners: Vec<_> = (0..8)
            .map(|_| {
                let (engine, barrier) = (engine.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut conn = engine.connection().unwrap();
                    barrier.wait();
                    run_pending(&mut *conn, MIGRATIONS).unwrap()
                })
            })
            .collect();
        let mut ran: Vec<&str> = runners.into_iter().flat_map(|r| r.join().unwrap()).collect();
        ran.sort();
        assert_eq!(ran, ["0001", "0002", "0003"], "each migration ran in exactly one runner");
        let mut conn = engine.connection().unwrap();
        assert_eq!(count!(&mut *conn, "runs"), 1);
    }

    fn a_changed_migration_is_an_error(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        run_pending(conn, MIGRATIONS).unwrap();
        let mut changed: Vec<Migration> = MIGRATIONS.to_vec();
        let seed = &mut changed[1];
        for script in [&mut seed.sqlite, &mut seed.postgres, &mut seed.mysql].into_iter().flatten() {
            script.up = "INSERT INTO runs (id) VALUES (2)".into();
        }
        match run_pending(conn, &changed) {
            Err(Error::MigrationChanged { version }) => assert_eq!(version, "0002"),
            other => panic!("expected MigrationChanged, got {other:?}"),
        }
        assert_eq!(count!(conn, "runs"), 1, "nothing ran");
    }

    fn a_migration_failing_halfway(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        let error = run_pending(conn, BROKEN).unwrap_err();
        let Error::Migration { version, applied: ran, statement, .. } = &error else { panic!("{error}") };
        assert_eq!((version.as_str(), *ran), ("0001", 1), "{error}");
        assert!(statement.contains("no_such_table"), "{statement}");
        let records = applied(conn).unwrap();
        let mysql = engine.url().backend() == quarry::engine::Backend::Mysql;
        assert!(matches!(&error, Error::Migration { rolled_back, .. } if *rolled_back != mysql), "{error}");
        let said = if mysql { "the 1 statement(s) before it stay applied" } else { "rolled back with every migration this run applied" };
        assert!(error.to_string().contains(said), "{error}");
        if mysql {
            // DDL is not transactional: the first statement stays, and the record says so.
            assert!(exists!(conn, "first_half"));
            assert_eq!(records.iter().map(|r| (r.statements, r.complete)).collect::<Vec<_>>(), [(1, false)]);
        } else {
            assert!(!exists!(conn, "first_half"), "the failed migration left nothing");
            assert!(records.is_empty());
        }
        assert!(!exists!(conn, "never"));
    }
}

/// The engine applies migrations at start-up, on whichever backend its URL names.
#[cfg(feature = "sqlite")]
#[test]
fn any_engine_runs_migrations_at_start_up() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("any_engine_migrations.db");
    let _ = std::fs::remove_file(&dir);
    let engine = quarry::AnyEngine::connect(&format!("sqlite:///{}", dir.display())).unwrap();
    assert_eq!(engine.run_migrations(MIGRATIONS).unwrap(), ["0001", "0002", "0003"]);
    assert!(engine.run_migrations(MIGRATIONS).unwrap().is_empty());
}
