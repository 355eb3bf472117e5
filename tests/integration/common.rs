//! The backend harness: one scenario, instantiated for every backend.
//!
//! `backend_tests!` turns each scenario into one `#[test]` per backend
//! (`sqlite::name`, `postgres::name`, `mysql::name`), so the test output
//! says which backends ran. SQLite always runs. PostgreSQL and MySQL run
//! when quarry is built with their feature and their URL is set
//! (`QUARRY_TEST_POSTGRES_URL`, `QUARRY_TEST_MYSQL_URL`); a set URL that
//! cannot be reached fails the test, it never skips. A URL set while the
//! backend's feature is off also fails, so a CI run cannot silently cover
//! fewer backends than it was given.
//!
//! Every test gets a database of its own: a fresh in-memory SQLite, a fresh
//! PostgreSQL schema on the search path, or a fresh MySQL database, named
//! after the test, so tests run in parallel without seeing each other.
#![allow(dead_code, unused_macros, unused_imports)]

use diesel::prelude::*;

pub const POSTGRES_URL_VAR: &str = "QUARRY_TEST_POSTGRES_URL";
pub const MYSQL_URL_VAR: &str = "QUARRY_TEST_MYSQL_URL";

/// The URL in `var`, if set and not empty.
pub fn url(var: &str) -> Option<String> {
    std::env::var(var).ok().filter(|u| !u.trim().is_empty())
}

/// A fresh in-memory SQLite database with foreign keys on.
#[cfg(feature = "sqlite")]
pub fn sqlite(_test: &str) -> Option<diesel::SqliteConnection> {
    let mut conn = diesel::SqliteConnection::establish(":memory:").expect("open in-memory SQLite");
    diesel::sql_query("PRAGMA foreign_keys = ON").execute(&mut conn).expect("enable foreign keys");
    Some(conn)
}

/// A connection whose search path is a fresh schema named after the test,
/// or `None` when `QUARRY_TEST_POSTGRES_URL` is not set.
#[cfg(feature = "postgres")]
pub fn postgres(test: &str) -> Option<diesel::PgConnection> {
    let url = url(POSTGRES_URL_VAR)?;
    let mut conn = diesel::PgConnection::establish(&url)
        .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR}={url} is set but cannot be reached: {e}"));
    let schema = namespace(test);
    diesel::sql_query(format!("DROP SCHEMA IF EXISTS \"{schema}\" CASCADE"))
        .execute(&mut conn)
        .expect("drop the test schema");
    diesel::sql_query(format!("CREATE SCHEMA \"{schema}\"")).execute(&mut conn).expect("create the test schema");
    diesel::sql_query(format!("SET search_path TO \"{schema}\"")).execute(&mut conn).expect("set the search path");
    Some(conn)
}

/// A connection to a fresh database named after the test, or `None` when
/// `QUARRY_TEST_MYSQL_URL` is not set.
#[cfg(feature = "mysql")]
pub fn mysql(test: &str) -> Option<diesel::MysqlConnection> {
    let url = url(MYSQL_URL_VAR)?;
    let mut conn = diesel::MysqlConnection::establish(&url)
        .unwrap_or_else(|e| panic!("{MYSQL_URL_VAR}={url} is set but cannot be reached: {e}"));
    let database = namespace(test);
    diesel::sql_query(format!("DROP DATABASE IF EXISTS `{database}`"))
        .execute(&mut conn)
        .expect("drop the test database");
    diesel::sql_query(format!("CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
        .execute(&mut conn)
        .expect("create the test database");
    let base = url.rsplit_once('/').map(|(base, _)| base).unwrap_or(&url);
    let conn = diesel::MysqlConnection::establish(&format!("{base}/{database}"))
        .unwrap_or_else(|e| panic!("cannot connect to the test database {database}: {e}"));
    Some(conn)
}

/// The URL of the per-test MySQL database that [`mysql`] made.
#[cfg(feature = "mysql")]
pub fn mysql_test_url(test: &str) -> Option<String> {
    let url = url(MYSQL_URL_VAR)?;
    let base = url.rsplit_once('/').map(|(base, _)| base.to_owned()).unwrap_or(url);
    Some(format!("{base}/{}", namespace(test)))
}

/// A schema or database name for a test: `qt_`, the end of the test's
/// path made safe, and a hash of the whole path, so that every test of the
/// one test binary gets a name of its own within every backend's limit.
pub fn namespace(test: &str) -> String {
    let clean: String =
        test.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect();
    let tail = &clean[clean.len().saturating_sub(44)..];
    // FNV-1a: stable across runs and toolchains, unlike `DefaultHasher`.
    let hash = test.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
    format!("qt_{}_{:08x}", tail.trim_start_matches('_'), hash as u32)
}

/// Fails when a backend's URL is set but quarry was built without it.
pub fn assert_backend_compiled(var: &str, compiled: bool, feature: &str) {
    if url(var).is_some() && !compiled {
        panic!("{var} is set but quarry was built without the `{feature}` feature: run the tests with --all-features");
    }
}

/// Defines each scenario once per backend.
///
/// ```ignore
/// backend_tests! {
///     fn inserts_and_reads(conn) {
///         schema::create_all(conn).unwrap();
///         // ... diesel queries on `conn`, which is `&mut` the backend's connection
///     }
/// }
/// ```
macro_rules! backend_tests {
    ($(fn $name:ident($conn:ident) $body:block)*) => {
        #[cfg(feature = "sqlite")]
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    let Some(mut connection) = $crate::common::sqlite(concat!(module_path!(), "::", stringify!($name))) else { return };
                    #[allow(unused_variables)]
                    let $conn: &mut diesel::SqliteConnection = &mut connection;
                    $body
                }
            )*
        }

        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    $crate::common::assert_backend_compiled($crate::common::POSTGRES_URL_VAR, cfg!(feature = "postgres"), "postgres");
                    #[cfg(feature = "postgres")]
                    {
                        let Some(mut connection) = $crate::common::postgres(concat!(module_path!(), "::", stringify!($name))) else {
                            eprintln!("postgres: skipped, {} is not set", $crate::common::POSTGRES_URL_VAR);
                            return;
                        };
                        #[allow(unused_variables)]
                        let $conn: &mut diesel::PgConnection = &mut connection;
                        $body
                    }
                }
            )*
        }

        mod mysql {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    $crate::common::assert_backend_compiled($crate::common::MYSQL_URL_VAR, cfg!(feature = "mysql"), "mysql");
                    #[cfg(feature = "mysql")]
                    {
                        let Some(mut connection) = $crate::common::mysql(concat!(module_path!(), "::", stringify!($name))) else {
                            eprintln!("mysql: skipped, {} is not set", $crate::common::MYSQL_URL_VAR);
                            return;
                        };
                        #[allow(unused_variables)]
                        let $conn: &mut diesel::MysqlConnection = &mut connection;
                        $body
                    }
                }
            )*
        }
    };
}
pub(crate) use backend_tests;

/// An engine on a fresh SQLite file named after the test (files, unlike
/// `:memory:`, are shared by every connection of the pool).
#[cfg(feature = "sqlite")]
pub fn sqlite_engine(
    test: &str,
    settings: quarry::engine::EngineBuilder<diesel::SqliteConnection>,
) -> Option<quarry::Engine<diesel::SqliteConnection>> {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite");
    std::fs::create_dir_all(&dir).expect("create the SQLite test folder");
    let path = dir.join(format!("{}.db", namespace(test)));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    Some(settings.build(&format!("sqlite:///{}", path.display())).expect("open the SQLite test database"))
}

/// An engine whose every connection uses a fresh schema named after the
/// test, or `None` when `QUARRY_TEST_POSTGRES_URL` is not set.
#[cfg(feature = "postgres")]
pub fn postgres_engine(
    test: &str,
    settings: quarry::engine::EngineBuilder<diesel::PgConnection>,
) -> Option<quarry::Engine<diesel::PgConnection>> {
    let url = postgres_test_url(test)?;
    Some(settings.build(&url).unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR} is set but cannot be reached: {e}")))
}

/// A URL whose connections use a fresh schema named after the test, or
/// `None` when `QUARRY_TEST_POSTGRES_URL` is not set.
#[cfg(feature = "postgres")]
pub fn postgres_test_url(test: &str) -> Option<String> {
    let url = url(POSTGRES_URL_VAR)?;
    postgres(test)?;
    let separator = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{separator}options=-c%20search_path%3D{}", namespace(test)))
}

/// An engine on a fresh database named after the test, or `None` when
/// `QUARRY_TEST_MYSQL_URL` is not set.
#[cfg(feature = "mysql")]
pub fn mysql_engine(
    test: &str,
    settings: quarry::engine::EngineBuilder<diesel::MysqlConnection>,
) -> Option<quarry::Engine<diesel::MysqlConnection>> {
    mysql(test)?;
    let url = mysql_test_url(test)?;
    Some(settings.build(&url).unwrap_or_else(|e| panic!("{MYSQL_URL_VAR} is set but cannot be reached: {e}")))
}

/// [`backend_tests!`] for engines: each scenario gets `engine`, a
/// `quarry::Engine` of the backend on a database of its own, built with
/// the settings `settings(builder)` returns.
macro_rules! engine_tests {
    ($(fn $name:ident($engine:ident) $body:block)*) => {
        $crate::common::engine_tests!(@settings |b| b; $(fn $name($engine) $body)*);
    };
    (@settings |$b:ident| $settings:expr; $(fn $name:ident($engine:ident) $body:block)*) => {
        #[cfg(feature = "sqlite")]
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    let $b = quarry::Engine::<diesel::SqliteConnection>::builder();
                    let Some($engine) = $crate::common::sqlite_engine(concat!(module_path!(), "::", stringify!($name)), $settings) else { return };
                    $body
                }
            )*
        }

        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    $crate::common::assert_backend_compiled($crate::common::POSTGRES_URL_VAR, cfg!(feature = "postgres"), "postgres");
                    #[cfg(feature = "postgres")]
                    {
                        let $b = quarry::Engine::<diesel::PgConnection>::builder();
                        let Some($engine) = $crate::common::postgres_engine(concat!(module_path!(), "::", stringify!($name)), $settings) else {
                            eprintln!("postgres: skipped, {} is not set", $crate::common::POSTGRES_URL_VAR);
                            return;
                        };
                        $body
                    }
                }
            )*
        }

        mod mysql {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[test]
                fn $name() {
                    $crate::common::assert_backend_compiled($crate::common::MYSQL_URL_VAR, cfg!(feature = "mysql"), "mysql");
                    #[cfg(feature = "mysql")]
                    {
                        let $b = quarry::Engine::<diesel::MysqlConnection>::builder();
                        let Some($engine) = $crate::common::mysql_engine(concat!(module_path!(), "::", stringify!($name)), $settings) else {
                            eprintln!("mysql: skipped, {} is not set", $crate::common::MYSQL_URL_VAR);
                            return;
                        };
                        $body
                    }
                }
            )*
        }
    };
}
pub(crate) use engine_tests;

/// A server URL (`scheme://[user[:password]@]host[:port]/database[?query]`)
/// with some of its parts replaced, for tests that connect wrongly on
/// purpose.
#[derive(Debug, Clone, Default)]
pub struct UrlChange<'a> {
    /// `user` or `user:password`.
    pub credentials: Option<&'a str>,
    /// `host:port`.
    pub address: Option<&'a str>,
    pub database: Option<&'a str>,
}

impl UrlChange<'_> {
    pub fn apply(&self, url: &str) -> String {
        let (scheme, rest) = url.split_once("://").expect("a URL with a scheme");
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, address) = match authority.rsplit_once('@') {
            Some((credentials, address)) => (Some(credentials), address),
            None => (None, authority),
        };
        let (database, query) = match path.split_once('?') {
            Some((database, query)) => (database, Some(query)),
            None => (path, None),
        };
        let mut out = format!("{scheme}://");
        if let Some(credentials) = self.credentials.or(credentials) {
            out.push_str(&format!("{credentials}@"));
        }
        out.push_str(self.address.unwrap_or(address));
        out.push_str(&format!("/{}", self.database.unwrap_or(database)));
        if let Some(query) = query {
            out.push_str(&format!("?{query}"));
        }
        out
    }
}

/// A local port nothing listens on: bound by the system, then released.
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("the bound address").port()
}

/// A small deterministic generator (a linear congruential one): the same
/// data on every run and backend.
pub struct Seeded(pub u64);

impl Seeded {
    /// A number in `0..n` (`0` when `n` is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// SELECT statements among `statements`.
pub fn selects(statements: &[String]) -> usize {
    statements.iter().filter(|s| s.trim_start().starts_with("SELECT")).count()
}

/// The rows of a loaded relation, without their own relations.
pub fn rows<T: Clone, W>(loaded: &[quarry::Loaded<T, W>]) -> Vec<T> {
    loaded.iter().map(|l| l.row().clone()).collect()
}

/// The server's id of `conn`'s session: its backend's pid.
#[cfg(feature = "postgres")]
pub fn postgres_backend_id(conn: &mut diesel::PgConnection) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("pg_backend_pid()::bigint")).get_result(conn)
}

/// Ends the backend `pid` from `admin`, as a server restart or an
/// administrator would, and returns once it has exited (up to 10 s).
#[cfg(feature = "postgres")]
pub fn kill_postgres_backend(admin: &mut diesel::PgConnection, pid: i64) {
    diesel::sql_query(format!("SELECT pg_terminate_backend({pid}, 10000)")).execute(admin).unwrap();
}

/// The server's id of `conn`'s session: its connection id.
#[cfg(feature = "mysql")]
pub fn mysql_connection_id(conn: &mut diesel::MysqlConnection) -> QueryResult<i64> {
    diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(CONNECTION_ID() AS SIGNED)")).get_result(conn)
}

/// Kills the connection `id` from `admin` and returns once it has gone:
/// `KILL` only marks the thread.
#[cfg(feature = "mysql")]
pub fn kill_mysql_connection(admin: &mut diesel::MysqlConnection, id: i64) {
    use std::time::{Duration, Instant};
    diesel::sql_query(format!("KILL {id}")).execute(admin).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left: i64 = diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT COUNT(*) FROM information_schema.processlist WHERE id = {id})"
        )))
        .get_result(admin)
        .unwrap();
        if left == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "connection {id} still there 10 s after KILL");
        std::thread::sleep(Duration::from_millis(20));
    }
}
