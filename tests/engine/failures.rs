//! Connections that cannot be made, each named by its cause and returned
//! at once.

use std::time::{Duration, Instant};

use quarry::engine::EngineConnection;
use quarry::error::OperationalKind;
use quarry::{Engine, Error};

use crate::common;

/// What a failed `build` must look like.
struct Expected<'a> {
    kind: OperationalKind,
    retryable: bool,
    /// Words of the driver's own message.
    driver_text: &'a str,
    /// The password in the URL, which the message must not show.
    password: Option<&'a str>,
}

/// Builds an engine for `url` with a 30 s pool timeout, expecting it to
/// fail as `expected` says and in well under that time; returns how long
/// it took.
fn build_fails<C: EngineConnection>(url: &str, expected: Expected<'_>) -> Duration {
    let started = Instant::now();
    let result = Engine::<C>::builder().pool_timeout(Duration::from_secs(30)).build(url);
    let took = started.elapsed();
    let error = result.unwrap_err();
    let message = error.to_string();
    match &error {
        Error::Operational(e) => {
            assert_eq!(e.kind, expected.kind, "{message}");
            assert_eq!(e.retryable, expected.retryable, "{message}");
            assert_eq!(error.is_retryable(), expected.retryable, "{message}");
        }
        other => panic!("expected an operational error, got {other:?}"),
    }
    assert!(message.contains(expected.driver_text), "the driver's message is kept: {message}");
    if let Some(password) = expected.password {
        assert!(!message.contains(password), "the password is hidden: {message}");
        assert!(message.contains(":***@"), "the URL is shown, its password hidden: {message}");
    }
    assert!(took < Duration::from_secs(1), "failed after {took:?}, not at once: {message}");
    eprintln!("{:?} after {took:?}: {message}", expected.kind);
    took
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;
    use diesel::SqliteConnection;

    fn scratch_dir(name: &str) -> std::path::PathBuf {
        let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite-failures").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn a_file_in_a_missing_directory_fails_at_once_and_is_not_retryable() {
        let dir = scratch_dir("missing");
        let url = format!("sqlite://{}/app.db", dir.display());
        build_fails::<SqliteConnection>(
            &url,
            Expected {
                kind: OperationalKind::MissingFile,
                retryable: false,
                driver_text: "unable to open database file",
                password: None,
            },
        );
        let message = Engine::<SqliteConnection>::connect(&url).unwrap_err().to_string();
        assert!(message.contains(&format!("the directory {} does not exist", dir.display())), "{message}");
    }

    #[test]
    fn a_directory_given_as_the_file_fails_at_once_and_is_not_retryable() {
        let dir = scratch_dir("is_a_directory");
        std::fs::create_dir_all(&dir).unwrap();
        build_fails::<SqliteConnection>(
            &format!("sqlite://{}", dir.display()),
            Expected {
                kind: OperationalKind::MissingFile,
                retryable: false,
                driver_text: "unable to open database file",
                password: None,
            },
        );
    }

    /// Once the engine runs, a checkout that needs a new connection and
    /// cannot open one waits the pool timeout, then names the cause.
    #[test]
    fn a_checkout_that_cannot_connect_names_the_cause_after_the_pool_timeout() {
        let dir = scratch_dir("removed_later");
        std::fs::create_dir_all(&dir).unwrap();
        let engine = Engine::<SqliteConnection>::builder()
            .pool_size(1)
            .max_overflow(1)
            // No idle connection kept in reserve: the second checkout must
            // open one, after the directory is gone.
            .min_idle(0)
            .pool_timeout(Duration::from_millis(500))
            .build(&format!("sqlite://{}/app.db", dir.display()))
            .unwrap();
        let held = engine.connection().unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let started = Instant::now();
        let Err(error) = engine.connection() else { panic!("a connection in a removed directory") };
        let waited = started.elapsed();
        let message = error.to_string();
        assert_eq!(error.operational_kind(), Some(OperationalKind::MissingFile), "{message}");
        assert!(!error.is_retryable(), "{message}");
        assert!(message.contains("timed out waiting for a connection"), "{message}");
        assert!(message.contains("unable to open database file"), "{message}");
        assert!(waited >= Duration::from_millis(400), "gave up after {waited:?}, before the timeout");
        drop(held);
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use diesel::prelude::*;
    use diesel::PgConnection;

    /// The server of `QUARRY_TEST_POSTGRES_URL`, checked to be reachable
    /// (a set URL that cannot be reached fails the test).
    fn server() -> Option<String> {
        let url = common::url(common::POSTGRES_URL_VAR)?;
        PgConnection::establish(&url).unwrap_or_else(|e| panic!("{url} is set but cannot be reached: {e}"));
        Some(url)
    }

    /// The server here trusts every local connection (`pg_hba.conf`:
    /// `host all all 127.0.0.1/32 trust`), so a wrong password cannot be
    /// shown to fail; a role that does not exist and one that may not log
    /// in are refused all the same, and are what these tests use.
    #[test]
    fn an_unknown_role_fails_at_once_and_is_not_retryable() {
        let Some(url) = server() else { return };
        let change = common::UrlChange { credentials: Some("quarry_no_such_role:hunter2x"), ..Default::default() };
        build_fails::<PgConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::Authentication,
                retryable: false,
                driver_text: "role \"quarry_no_such_role\" does not exist",
                password: Some("hunter2x"),
            },
        );
    }

    #[test]
    fn a_role_that_may_not_log_in_fails_at_once_and_is_not_retryable() {
        let Some(url) = server() else { return };
        let mut admin = PgConnection::establish(&url).unwrap();
        diesel::sql_query("DROP ROLE IF EXISTS quarry_nologin").execute(&mut admin).unwrap();
        diesel::sql_query("CREATE ROLE quarry_nologin NOLOGIN PASSWORD 'hunter2x'").execute(&mut admin).unwrap();
        let change = common::UrlChange { credentials: Some("quarry_nologin:hunter2x"), ..Default::default() };
        build_fails::<PgConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::Authentication,
                retryable: false,
                driver_text: "role \"quarry_nologin\" is not permitted to log in",
                password: Some("hunter2x"),
            },
        );
        diesel::sql_query("DROP ROLE quarry_nologin").execute(&mut admin).unwrap();
    }

    #[test]
    fn an_unknown_database_fails_at_once_and_is_not_retryable() {
        let Some(url) = server() else { return };
        let change = common::UrlChange { database: Some("quarry_no_such_database"), ..Default::default() };
        build_fails::<PgConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::UnknownDatabase,
                retryable: false,
                driver_text: "database \"quarry_no_such_database\" does not exist",
                password: None,
            },
        );
    }

    #[test]
    fn a_refused_port_fails_at_once_and_is_retryable() {
        let Some(url) = server() else { return };
        let address = format!("127.0.0.1:{}", common::closed_port());
        let change = common::UrlChange { address: Some(&address), ..Default::default() };
        build_fails::<PgConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::Unreachable,
                retryable: true,
                driver_text: "Connection refused",
                password: None,
            },
        );
    }
}

#[cfg(feature = "mysql")]
mod mysql {
    use super::*;
    use diesel::prelude::*;
    use diesel::MysqlConnection;

    /// The server of `QUARRY_TEST_MYSQL_URL`, checked to be reachable.
    fn server() -> Option<String> {
        let url = common::url(common::MYSQL_URL_VAR)?;
        MysqlConnection::establish(&url).unwrap_or_else(|e| panic!("{url} is set but cannot be reached: {e}"));
        Some(url)
    }

    #[test]
    fn a_wrong_password_fails_at_once_and_is_not_retryable() {
        let Some(url) = server() else { return };
        let mut admin = MysqlConnection::establish(&url).unwrap();
        diesel::sql_query("DROP USER IF EXISTS 'quarry_pw'@'%'").execute(&mut admin).unwrap();
        diesel::sql_query("CREATE USER 'quarry_pw'@'%' IDENTIFIED BY 'secret'").execute(&mut admin).unwrap();
        let change = common::UrlChange { credentials: Some("quarry_pw:hunter2x"), ..Default::default() };
        build_fails::<MysqlConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::Authentication,
                retryable: false,
                driver_text: "Access denied for user 'quarry_pw'",
                password: Some("hunter2x"),
            },
        );
        // The right password works: the failure was the password's.
        let change = common::UrlChange { credentials: Some("quarry_pw:secret"), database: Some(""), address: None };
        Engine::<MysqlConnection>::connect(&change.apply(&url)).unwrap();
        diesel::sql_query("DROP USER 'quarry_pw'@'%'").execute(&mut admin).unwrap();
    }

    #[test]
    fn an_unknown_database_fails_at_once_and_is_not_retryable() {
        let Some(url) = server() else { return };
        let change = common::UrlChange { database: Some("quarry_no_such_database"), ..Default::default() };
        build_fails::<MysqlConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::UnknownDatabase,
                retryable: false,
                driver_text: "Unknown database 'quarry_no_such_database'",
                password: None,
            },
        );
    }

    #[test]
    fn a_refused_port_fails_at_once_and_is_retryable() {
        let Some(url) = server() else { return };
        let address = format!("127.0.0.1:{}", common::closed_port());
        let change = common::UrlChange { address: Some(&address), ..Default::default() };
        build_fails::<MysqlConnection>(
            &change.apply(&url),
            Expected {
                kind: OperationalKind::Unreachable,
                retryable: true,
                driver_text: "Can't connect",
                password: None,
            },
        );
    }
}
