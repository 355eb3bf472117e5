//! Looking without writing, on every backend: [`recorded`] reads what is
//! applied without creating the bookkeeping table, and a read-only engine
//! (what `quarry current`, `history` and `check` use) reads but cannot
//! write; on SQLite it never creates a database file.

use crate::common;

use diesel::prelude::*;
use quarry::engine::EngineConnection;
use quarry::migrate::{applied, recorded, run_pending, Migration};
use quarry::Engine;

static MIGRATIONS: &[Migration] = include!(concat!(env!("OUT_DIR"), "/fixture_migrations.rs"));

/// Whether `table` exists where an unqualified name finds it: selecting
/// from it succeeds.
fn exists<C: EngineConnection>(conn: &mut C, table: &str) -> bool {
    conn.batch_execute(&format!("SELECT 1 FROM {table} WHERE 1 = 0")).is_ok()
}

/// An engine on the same database as `engine`, read-only.
fn read_only_twin<C: EngineConnection>(engine: &Engine<C>) -> quarry::Result<Engine<C>> {
    Engine::<C>::builder().pool_size(1).read_only(true).build_url(engine.url().clone())
}

common::engine_tests! {
    fn reading_the_record_of_a_fresh_database_creates_nothing(engine) {
        let mut conn = engine.connection().unwrap();
        assert_eq!(recorded(&mut *conn).unwrap(), [], "nothing is applied");
        assert!(!exists(&mut *conn, "quarry_migrations"), "and no bookkeeping table was made");
        // Through a read-only engine too, which could not have made it.
        let looking = read_only_twin(&engine).unwrap();
        assert_eq!(recorded(&mut *looking.connection().unwrap()).unwrap(), []);
        assert!(!exists(&mut *conn, "quarry_migrations"));
        // No migrations to run: nothing to write, so a read-only engine
        // runs them, and still no bookkeeping table appears.
        assert_eq!(looking.run_migrations(&[]).unwrap(), Vec::<&str>::new());
        assert!(!exists(&mut *conn, "quarry_migrations"));
    }

    fn reading_the_record_sees_what_the_runner_applied(engine) {
        let mut conn = engine.connection().unwrap();
        run_pending(&mut *conn, MIGRATIONS).unwrap();
        let looking = read_only_twin(&engine).unwrap();
        let seen = recorded(&mut *looking.connection().unwrap()).unwrap();
        assert_eq!(seen.iter().map(|r| r.version.as_str()).collect::<Vec<_>>(), ["0001", "0002", "0003"]);
        assert_eq!(seen, applied(&mut *conn).unwrap(), "the same records as the runner's own read");
    }

    fn a_read_only_engine_reads_but_cannot_write(engine) {
        run_pending(&mut *engine.connection().unwrap(), MIGRATIONS).unwrap();
        let looking = read_only_twin(&engine).unwrap();
        let mut conn = looking.connection().unwrap();
        let bodies: Vec<String> = diesel::sql_query("SELECT body FROM notes")
            .load::<Body>(&mut *conn)
            .unwrap()
            .into_iter()
            .map(|b| b.body)
            .collect();
        assert_eq!(bodies, ["first; with a semicolon"]);
        for write in ["CREATE TABLE intruders (id INTEGER)", "INSERT INTO runs (id) VALUES (2)", "DELETE FROM notes"] {
            let error = diesel::sql_query(write).execute(&mut *conn).unwrap_err().to_string();
            assert!(error.to_lowercase().contains("read"), "{write}: {error}");
        }
        // Inside a transaction as well as outside one.
        let in_transaction = conn.transaction(|conn| diesel::sql_query("DELETE FROM runs").execute(conn));
        assert!(in_transaction.is_err());
        drop(conn);
        let mut writer = engine.connection().unwrap();
        assert!(!exists(&mut *writer, "intruders"));
        let runs: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("(SELECT count(*) FROM runs)"))
            .get_result(&mut *writer)
            .unwrap();
        assert_eq!(runs, 1, "nothing was written");
    }
}

#[derive(QueryableByName)]
struct Body {
    #[diesel(sql_type = diesel::sql_types::Text)]
    body: String,
}

/// A file that is not there is an error naming it, and stays not there.
#[cfg(feature = "sqlite")]
#[test]
fn a_read_only_sqlite_engine_on_a_missing_file_names_it_and_creates_nothing() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("read_only_missing");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("typo.db");
    let url = format!("sqlite:///{}", file.display());
    let error = Engine::<diesel::SqliteConnection>::builder().read_only(true).build(&url).unwrap_err();
    assert_eq!(error.operational_kind(), Some(quarry::error::OperationalKind::MissingFile), "{error}");
    assert!(error.to_string().contains(&format!("no database at {}", file.display())), "{error}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0, "no file, journal or WAL was created");

    // Its directory missing too: both are said.
    let deeper = dir.join("no/such/dir/app.db");
    let url = format!("sqlite:///{}", deeper.display());
    let error = Engine::<diesel::SqliteConnection>::builder().read_only(true).build(&url).unwrap_err().to_string();
    assert!(error.contains(&format!("no database at {}", deeper.display())), "{error}");
    assert!(error.contains(&format!("the directory {} does not exist", dir.join("no/such/dir").display())), "{error}");
    // A writable engine creates the file, as SQLite does.
    Engine::<diesel::SqliteConnection>::connect(&format!("sqlite:///{}", file.display())).unwrap();
    assert!(file.is_file());
}
