//! The migration runner after failures, on every backend: the lock is per
//! database and a runner that cannot get it stops with an error; a run
//! after a client stopped mid-statement resumes exactly (MySQL/MariaDB,
//! from the recorded intent); a partly applied migration is reverted
//! statement for statement, or refused when its down.sql does not say how;
//! a bookkeeping table from before `intent` is upgraded in place.

use crate::common;

use std::sync::mpsc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use quarry::engine::Backend;
use quarry::migrate::{downgrade, recorded, upgrade, Applied, Migration, MigrationConnection, Options, Script, Target};
use quarry::Error;

/// A migration with the same scripts on every backend.
fn migration(version: &str, up: &str, down: &str) -> Migration {
    let mut migration = Migration::new(version.to_owned(), "recovery");
    for backend in [Backend::Sqlite, Backend::Postgres, Backend::Mysql] {
        *migration.script_mut(backend) = Some(Script { up: up.to_owned().into(), down: down.to_owned().into() });
    }
    migration
}

/// Whether `table` exists: selecting from it succeeds. (Macros, not
/// functions: diesel's query traits hold per backend, not generically.)
macro_rules! exists {
    ($conn:expr, $table:expr) => {
        diesel::sql_query(format!("SELECT 1 FROM {} WHERE 1 = 0", $table)).execute($conn).is_ok()
    };
}

/// Whether `table` has `column`.
macro_rules! has_column {
    ($conn:expr, $table:expr, $column:expr) => {
        diesel::sql_query(format!("SELECT {} FROM {} WHERE 1 = 0", $column, $table)).execute($conn).is_ok()
    };
}

macro_rules! count {
    ($conn:expr, $table:expr) => {{
        let n: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT count(*) FROM {})",
            $table
        )))
        .get_result($conn)
        .unwrap();
        n
    }};
}

/// (version, statements, complete) of each record.
fn records<C: MigrationConnection>(conn: &mut C) -> Vec<(String, i32, bool)> {
    recorded(conn).unwrap().into_iter().map(|r| (r.version, r.statements, r.complete)).collect()
}

/// Records what a client killed while running statement 2 of migration
/// 0001 leaves: one statement done, the catalog's fingerprint before the
/// second as its intent.
fn stopped_after_one<C: MigrationConnection>(conn: &mut C, checksum: &str, intent: String) {
    let row = Applied {
        version: "0001".into(),
        checksum: checksum.into(),
        statements: 1,
        complete: false,
        intent: Some(intent),
    };
    conn.record(&row).unwrap();
}

/// A connection of the same kind to a second, empty database beside the
/// engine's: another SQLite file, PostgreSQL schema or MySQL database.
fn second_database<C: MigrationConnection>(engine: &quarry::Engine<C>) -> C {
    let url = engine.url().driver_url().to_owned();
    let mut conn = engine.connection().unwrap();
    let url = match C::BACKEND {
        Backend::Sqlite => {
            let path = format!("{url}-second");
            let _ = std::fs::remove_file(&path);
            path
        }
        Backend::Postgres => {
            let (base, schema) = url.rsplit_once("search_path%3D").unwrap();
            let second = format!("{schema}_2");
            conn.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{second}\" CASCADE; CREATE SCHEMA \"{second}\""))
                .unwrap();
            format!("{base}search_path%3D{second}")
        }
        Backend::Mysql => {
            let (base, database) = url.rsplit_once('/').unwrap();
            let second = format!("{database}_2");
            conn.batch_execute(&format!("DROP DATABASE IF EXISTS `{second}`; CREATE DATABASE `{second}`")).unwrap();
            format!("{base}/{second}")
        }
    };
    C::establish(&url).unwrap()
}

common::engine_tests! {
    @settings |b| b.pool_size(3).max_overflow(0);

    fn the_lock_is_per_database_and_a_runner_that_cannot_get_it_stops(engine) {
        let migrations = [migration("0001", "CREATE TABLE locked (id INTEGER PRIMARY KEY)", "DROP TABLE locked")];
        let (held, release) = (mpsc::channel(), mpsc::channel::<()>());
        let holder = {
            let engine = engine.clone();
            let (held, release) = (held.0, release.1);
            std::thread::spawn(move || {
                let mut conn = engine.connection().unwrap();
                conn.with_lock(Duration::from_secs(5), |_| {
                    held.send(()).unwrap();
                    release.recv().unwrap();
                    Ok(())
                })
                .unwrap();
            })
        };
        held.1.recv().unwrap();
        // A second runner on the same database gives up after its timeout.
        let mut conn = engine.connection().unwrap();
        let short = Options::default().lock_timeout(Duration::from_millis(1500));
        let started = std::time::Instant::now();
        let error = upgrade(&mut *conn, &migrations, &Target::Head, &short).unwrap_err();
        assert!(matches!(error, Error::MigrationLockTimeout { .. }), "{error}");
        assert!(error.to_string().contains("another process is migrating this database"), "{error}");
        assert!(started.elapsed() >= Duration::from_secs(1), "it waited");
        assert!(!exists!(&mut *conn, "locked"), "nothing ran");
        // A runner on another database is not held up.
        let mut other = second_database(&engine);
        assert_eq!(upgrade(&mut other, &migrations, &Target::Head, &short).unwrap(), ["0001"]);
        release.0.send(()).unwrap();
        holder.join().unwrap();
        // Released: the first database migrates.
        assert_eq!(upgrade(&mut *conn, &migrations, &Target::Head, &short).unwrap(), ["0001"]);
    }

    fn a_run_after_a_client_stopped_mid_statement_resumes_exactly(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        if !matches!(engine.url().backend(), Backend::Mysql) {
            // Transactional DDL: a stopped client's migration rolled back
            // whole, and reruns whole.
            return;
        }
        let up = "CREATE TABLE resumed (id INTEGER PRIMARY KEY);\
                  ALTER TABLE resumed ADD COLUMN label VARCHAR(20);\
                  INSERT INTO resumed (id, label) VALUES (1, 'once')";
        let migrations = [migration("0001", up, "DROP TABLE resumed")];
        let sum = quarry::migrate::checksum(up);
        quarry::migrate::applied(conn).unwrap();

        // Stopped before the ALTER took effect: it runs now.
        conn.batch_execute("CREATE TABLE resumed (id INTEGER PRIMARY KEY)").unwrap();
        let before = conn.fingerprint().unwrap();
        stopped_after_one(conn, &sum, before);
        assert_eq!(upgrade(conn, &migrations, &Target::Head, &Options::default()).unwrap(), ["0001"]);
        assert!(has_column!(conn, "resumed", "label"));
        assert_eq!(count!(conn, "resumed"), 1);
        assert_eq!(records(conn), [("0001".to_owned(), 3, true)]);

        // Stopped after the ALTER took effect: it is not run twice (which
        // failed with "Duplicate column name").
        conn.batch_execute("DROP TABLE resumed; DELETE FROM quarry_migrations").unwrap();
        conn.batch_execute("CREATE TABLE resumed (id INTEGER PRIMARY KEY)").unwrap();
        let before = conn.fingerprint().unwrap();
        conn.batch_execute("ALTER TABLE resumed ADD COLUMN label VARCHAR(20)").unwrap();
        stopped_after_one(conn, &sum, before);
        assert_eq!(upgrade(conn, &migrations, &Target::Head, &Options::default()).unwrap(), ["0001"]);
        assert_eq!(count!(conn, "resumed"), 1, "the insert ran once");
        assert_eq!(records(conn), [("0001".to_owned(), 3, true)]);
    }

    fn a_partly_applied_migration_is_reverted_statement_for_statement(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        let marked = "-- reverts up.sql statement 3\nDROP TABLE never;\n\
                      -- reverts up.sql statement 2\nDROP TABLE second_half;\n\
                      -- reverts up.sql statement 1\nDROP TABLE first_half;\n";
        let failing = |down: &str| {
            [
                migration("0001", "CREATE TABLE kept (id INTEGER PRIMARY KEY)", "DROP TABLE kept"),
                migration(
                    "0002",
                    "CREATE TABLE first_half (id INTEGER PRIMARY KEY);\
                     CREATE TABLE second_half (id INTEGER PRIMARY KEY);\
                     INSERT INTO no_such_table VALUES (1)",
                    down,
                ),
            ]
        };
        let unmarked = failing("DROP TABLE second_half; DROP TABLE first_half");
        assert_eq!(upgrade(conn, &unmarked, &"0001".parse().unwrap(), &Options::default()).unwrap(), ["0001"]);
        let error = upgrade(conn, &unmarked, &Target::Head, &Options::default()).unwrap_err();
        assert!(matches!(error, Error::Migration { applied: 2, .. }), "{error}");
        let mysql = matches!(engine.url().backend(), Backend::Mysql);
        if !mysql {
            // Rolled back whole: the next step down is 0001.
            assert_eq!(records(conn), [("0001".to_owned(), 1, true)]);
            assert!(!exists!(conn, "first_half"));
            assert_eq!(downgrade(conn, &unmarked, &Target::Relative(-1), &Options::default()).unwrap(), ["0001"]);
            assert!(!exists!(conn, "kept"));
            return;
        }
        assert_eq!(records(conn), [("0001".to_owned(), 1, true), ("0002".to_owned(), 2, false)]);
        // Unmarked down.sql: refused, nothing changes (0001 is not reverted instead).
        let refused = downgrade(conn, &unmarked, &Target::Relative(-1), &Options::default()).unwrap_err();
        assert!(matches!(refused, Error::PartialRevert { applied: 2, total: 3, .. }), "{refused}");
        assert!(refused.to_string().contains("resume it with `quarry upgrade`"), "{refused}");
        assert!(exists!(conn, "kept") && exists!(conn, "first_half") && exists!(conn, "second_half"));
        assert_eq!(records(conn).len(), 2);
        // Marked: exactly the two statements that ran are undone, and the
        // partial migration is the one step `-1` takes.
        let marked = failing(marked);
        assert_eq!(downgrade(conn, &marked, &Target::Relative(-1), &Options::default()).unwrap(), ["0002"]);
        assert!(!exists!(conn, "first_half") && !exists!(conn, "second_half"));
        assert!(exists!(conn, "kept"), "0001 stays");
        assert_eq!(records(conn), [("0001".to_owned(), 1, true)]);
        // Fail again, then `base` reverts the partial migration and 0001.
        upgrade(conn, &marked, &Target::Head, &Options::default()).unwrap_err();
        assert_eq!(downgrade(conn, &marked, &Target::Base, &Options::default()).unwrap(), ["0002", "0001"]);
        assert!(records(conn).is_empty() && !exists!(conn, "kept") && !exists!(conn, "first_half"));
        // Fail again, fix the statement, resume: the first two do not run twice.
        upgrade(conn, &marked, &Target::Head, &Options::default()).unwrap_err();
        let mut fixed = marked.clone();
        for script in [&mut fixed[1].sqlite, &mut fixed[1].postgres, &mut fixed[1].mysql].into_iter().flatten() {
            script.up = script.up.replace("INSERT INTO no_such_table VALUES (1)", "INSERT INTO first_half VALUES (1)").into();
        }
        assert_eq!(upgrade(conn, &fixed, &Target::Head, &Options::default()).unwrap(), ["0002"]);
        assert_eq!(count!(conn, "first_half"), 1);
        assert_eq!(records(conn), [("0001".to_owned(), 1, true), ("0002".to_owned(), 3, true)]);
    }

    fn a_bookkeeping_table_from_before_intent_is_upgraded_in_place(engine) {
        let mut conn = engine.connection().unwrap();
        let conn = &mut *conn;
        let migrations = [
            migration("0001", "CREATE TABLE old_one (id INTEGER PRIMARY KEY)", "DROP TABLE old_one"),
            migration("0002", "CREATE TABLE new_one (id INTEGER PRIMARY KEY)", "DROP TABLE new_one"),
        ];
        let sum = quarry::migrate::checksum(&migrations[0].sqlite.as_ref().unwrap().up);
        conn.batch_execute(&format!(
            "CREATE TABLE quarry_migrations (version VARCHAR(64) NOT NULL PRIMARY KEY, \
             checksum VARCHAR(32) NOT NULL, statements INTEGER NOT NULL, complete BOOLEAN NOT NULL); \
             CREATE TABLE old_one (id INTEGER PRIMARY KEY); \
             INSERT INTO quarry_migrations VALUES ('0001', '{sum}', 1, TRUE)"
        ))
        .unwrap();
        assert_eq!(upgrade(conn, &migrations, &Target::Head, &Options::default()).unwrap(), ["0002"]);
        assert!(has_column!(conn, "quarry_migrations", "intent"));
        assert_eq!(records(conn), [("0001".to_owned(), 1, true), ("0002".to_owned(), 1, true)]);
    }
}
