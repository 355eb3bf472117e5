//! `quarry upgrade` killed (SIGKILL) at random instants during long
//! statements, many times per backend, then run again: every migration is
//! applied exactly once and the record says so. The migration inserts
//! rows, adds a column, updates every row, builds an index and copies the
//! table into itself: a statement run twice, or skipped, shows in the
//! row count, the sum of a column, or an error on the rerun.
//!
//! SQLite always runs. PostgreSQL and MariaDB run when
//! `QUARRY_TEST_POSTGRES_URL` / `QUARRY_TEST_MYSQL_URL` are set, and fail
//! when a set URL cannot be reached.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Text};

/// Rows the first insert makes; the copy doubles them.
const ROWS: i64 = 60_000;
/// Kills per backend.
const KILLS: usize = 8;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
    Mysql,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
            Backend::Mysql => "mysql",
        }
    }

    /// The statements of migration 0001: each long on ROWS rows.
    fn up(self) -> String {
        let fill = match self {
            Backend::Sqlite => format!(
                "INSERT INTO big (id, v) WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {ROWS}) SELECT n, n FROM seq"
            ),
            Backend::Postgres => format!("INSERT INTO big (id, v) SELECT n, n FROM generate_series(1, {ROWS}) AS n"),
            Backend::Mysql => format!("INSERT INTO big (id, v) SELECT seq, seq FROM seq_1_to_{ROWS}"),
        };
        [
            "CREATE TABLE big (id BIGINT NOT NULL PRIMARY KEY, v BIGINT NOT NULL)".to_owned(),
            fill,
            "ALTER TABLE big ADD COLUMN w BIGINT".to_owned(),
            "UPDATE big SET w = v * 2".to_owned(),
            "CREATE INDEX ix_big_w ON big (w)".to_owned(),
            format!("INSERT INTO big (id, v, w) SELECT id + {ROWS}, v, w FROM big"),
            "ALTER TABLE big ADD COLUMN note VARCHAR(20)".to_owned(),
        ]
        .map(|s| s + ";\n")
        .concat()
    }
}

/// A database of one backend that a test can empty and query.
enum Database {
    Sqlite(PathBuf),
    Postgres { url: String, admin: String, schema: String },
    Mysql { url: String, admin: String, database: String },
}

impl Database {
    fn backend(&self) -> Backend {
        match self {
            Database::Sqlite(_) => Backend::Sqlite,
            Database::Postgres { .. } => Backend::Postgres,
            Database::Mysql { .. } => Backend::Mysql,
        }
    }

    /// What `quarry --url` takes.
    fn url(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite:///{}", path.display()),
            Database::Postgres { url, .. } | Database::Mysql { url, .. } => url.clone(),
        }
    }

    /// Empties it: no tables, no bookkeeping.
    fn reset(&self) {
        match self {
            Database::Sqlite(path) => {
                for suffix in ["", "-journal", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Database::Postgres { admin, schema, .. } => PgConnection::establish(admin)
                .unwrap_or_else(|e| panic!("QUARRY_TEST_POSTGRES_URL is set but cannot be reached: {e}"))
                .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
                .unwrap(),
            Database::Mysql { admin, database, .. } => MysqlConnection::establish(admin)
                .unwrap_or_else(|e| panic!("QUARRY_TEST_MYSQL_URL is set but cannot be reached: {e}"))
                .batch_execute(&format!("DROP DATABASE IF EXISTS {database}; CREATE DATABASE {database}"))
                .unwrap(),
        }
    }

    /// (rows, sum of w, rows whose w is not v * 2, records as (version, statements, complete)).
    fn state(&self) -> (i64, i64, i64, Vec<(String, i32, bool)>) {
        // A macro, not a function: diesel's query traits hold per backend.
        macro_rules! read {
            ($conn:expr, $integer:literal) => {{
                let conn = &mut $conn;
                let mut number = |sql: &str| -> i64 {
                    diesel::select(diesel::dsl::sql::<BigInt>(&format!(
                        "(SELECT CAST({sql} AS {}) FROM big)",
                        $integer
                    )))
                    .get_result(conn)
                    .unwrap()
                };
                let numbers =
                    (number("count(*)"), number("sum(w)"), number("sum(CASE WHEN w = v * 2 THEN 0 ELSE 1 END)"));
                let records =
                    diesel::sql_query("SELECT version, statements, complete FROM quarry_migrations ORDER BY version")
                        .load::<Record>(conn)
                        .unwrap()
                        .into_iter()
                        .map(|r| (r.version, r.statements, r.complete))
                        .collect();
                (numbers.0, numbers.1, numbers.2, records)
            }};
        }
        match self {
            Database::Sqlite(path) => {
                read!(SqliteConnection::establish(&path.display().to_string()).unwrap(), "BIGINT")
            }
            Database::Postgres { url, .. } => read!(PgConnection::establish(url).unwrap(), "BIGINT"),
            // MySQL casts to SIGNED, its 64-bit integer.
            Database::Mysql { url, .. } => read!(MysqlConnection::establish(url).unwrap(), "SIGNED"),
        }
    }
}

#[derive(QueryableByName)]
struct Record {
    #[diesel(sql_type = Text)]
    version: String,
    #[diesel(sql_type = Integer)]
    statements: i32,
    #[diesel(sql_type = Bool)]
    complete: bool,
}

/// The databases to test: SQLite, and each server whose URL is set.
fn databases(dir: &Path) -> Vec<Database> {
    let mut databases = vec![Database::Sqlite(dir.join("kill.db"))];
    let set = |var: &str| std::env::var(var).ok().filter(|u| !u.trim().is_empty());
    if let Some(admin) = set("QUARRY_TEST_POSTGRES_URL") {
        let schema = "quarry_kill".to_owned();
        let separator = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{separator}options=-c%20search_path%3D{schema}");
        databases.push(Database::Postgres { url, admin, schema });
    }
    if let Some(admin) = set("QUARRY_TEST_MYSQL_URL") {
        let database = "quarry_kill".to_owned();
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
        let url = format!("{base}/{database}");
        databases.push(Database::Mysql { url, admin, database });
    }
    databases
}

/// A project folder whose migrations hold 0001 (the long one) and 0002.
fn project(backend: Backend) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quarry-kill").join(backend.name());
    let _ = std::fs::remove_dir_all(&dir);
    let write = |revision: &str, up: &str, down: &str| {
        let folder = dir.join("migrations").join(backend.name()).join(revision);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("up.sql"), up).unwrap();
        std::fs::write(folder.join("down.sql"), down).unwrap();
    };
    write("0001_big", &backend.up(), "DROP TABLE big;\n");
    write("0002_after", "CREATE TABLE after_big (id INTEGER PRIMARY KEY);\n", "DROP TABLE after_big;\n");
    dir
}

fn upgrade(dir: &Path, url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
    command.args(["upgrade", "--url", url]).current_dir(dir).env_remove("DATABASE_URL");
    command
}

/// The expected end state: every statement ran exactly once.
fn migrated() -> (i64, i64, i64, Vec<(String, i32, bool)>) {
    let sum = 2 * 2 * (ROWS * (ROWS + 1) / 2);
    (2 * ROWS, sum, 0, vec![("0001".to_owned(), 7, true), ("0002".to_owned(), 1, true)])
}

#[test]
fn an_upgrade_killed_at_any_instant_applies_each_statement_once_on_rerun() {
    let mut seed: u64 = 0x5eed_2026;
    let mut random = move |below: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % below.max(1)
    };
    for database in databases(&project(Backend::Sqlite)) {
        let backend = database.backend();
        let dir = project(backend);
        // How long an uninterrupted upgrade takes: kills land within it.
        database.reset();
        let started = Instant::now();
        let output = upgrade(&dir, &database.url()).output().unwrap();
        assert!(output.status.success(), "{backend:?}: {}", String::from_utf8_lossy(&output.stderr));
        let full = started.elapsed();
        assert_eq!(database.state(), migrated(), "{backend:?}: an uninterrupted upgrade");
        for kill in 0..KILLS {
            database.reset();
            let delay = Duration::from_millis(random(full.as_millis() as u64));
            let mut child = upgrade(&dir, &database.url()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
            std::thread::sleep(delay);
            child.kill().unwrap();
            child.wait().unwrap();
            let output = upgrade(&dir, &database.url()).output().unwrap();
            let said = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success(),
                "{backend:?}, kill {kill} after {delay:?} of {full:?}: the rerun failed: {said}"
            );
            assert_eq!(database.state(), migrated(), "{backend:?}, kill {kill} after {delay:?} of {full:?}: {said}");
        }
        eprintln!("{backend:?}: {KILLS} kills within an upgrade of {full:?}, each rerun exact");
    }
}
