//! Failures, each named by its cause: connections that cannot be made
//! (returned at once when no retry can mend them), connections lost
//! mid-work (retryable, and dropped by the pool even without pre-ping),
//! deadlocks and lock timeouts.

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
        let url = format!("sqlite:///{}/app.db", dir.display());
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

    /// A URL written for quarry before it read URLs as SQLAlchemy does
    /// (`sqlite:///abs/path`, meant as absolute) names a relative path now;
    /// when that fails, the message gives the four-slash URL.
    #[test]
    fn a_relative_path_that_exists_from_the_root_suggests_four_slashes() {
        let dir = scratch_dir("absolute_meant");
        std::fs::create_dir_all(&dir).unwrap();
        let relative = dir.join("app.db").display().to_string().trim_start_matches('/').to_owned();
        assert!(!std::path::Path::new(&relative).parent().unwrap().exists(), "relative to the working directory");
        let message = Engine::<SqliteConnection>::connect(&format!("sqlite:///{relative}")).unwrap_err().to_string();
        assert!(
            message.contains(&format!("for the absolute path /{relative}, write four slashes: sqlite:////{relative}")),
            "{message}"
        );
        Engine::<SqliteConnection>::connect(&format!("sqlite:////{relative}")).unwrap();
        assert!(dir.join("app.db").is_file());
    }

    #[test]
    fn a_directory_given_as_the_file_fails_at_once_and_is_not_retryable() {
        let dir = scratch_dir("is_a_directory");
        std::fs::create_dir_all(&dir).unwrap();
        build_fails::<SqliteConnection>(
            &format!("sqlite:///{}", dir.display()),
            Expected {
                kind: OperationalKind::MissingFile,
                retryable: false,
                driver_text: "unable to open database file",
                password: None,
            },
        );
    }

    /// The engine's own connection, replaced (here: older than `recycle`)
    /// when no new one can be opened: the checkout fails at once with the
    /// cause, not after the pool timeout, and the next checkout that can
    /// open one gets it.
    #[test]
    fn a_reserved_connection_that_cannot_be_replaced_fails_the_checkout_at_once() {
        let dir = scratch_dir("reserve_replaced");
        std::fs::create_dir_all(&dir).unwrap();
        let engine = Engine::<SqliteConnection>::builder()
            .recycle(Duration::from_millis(100))
            .pool_timeout(Duration::from_secs(30))
            .build(&format!("sqlite:///{}/app.db", dir.display()))
            .unwrap();
        drop(engine.connection().unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let started = Instant::now();
        let Err(error) = engine.connection() else { panic!("a connection in a removed directory") };
        let message = error.to_string();
        assert_eq!(error.operational_kind(), Some(OperationalKind::MissingFile), "{message}");
        assert!(message.contains("unable to open database file"), "{message}");
        assert!(started.elapsed() < Duration::from_secs(10), "waited {:?}", started.elapsed());
        assert_eq!(engine.pool_state(), (0, 0), "the expired connection closed, none open");
        std::fs::create_dir_all(&dir).unwrap();
        use diesel::RunQueryDsl;
        let mut conn = engine.connection().expect("a new connection once the directory is back");
        assert_eq!(engine.pool_state(), (1, 0));
        diesel::sql_query("CREATE TABLE back (id INTEGER)").execute(&mut *conn).unwrap();
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
            .build(&format!("sqlite:///{}/app.db", dir.display()))
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

/// What the lost-connection scenarios need of a backend: the server's id
/// of a connection, and a way to kill one from another connection.
#[cfg(any(feature = "postgres", feature = "mysql"))]
struct Killer<C> {
    /// The server's id of the connection.
    id: fn(&mut C) -> diesel::QueryResult<i64>,
    /// Kills the connection of that id and returns once it is gone.
    kill: Box<dyn Fn(i64)>,
}

/// A connection killed by the server fails its next statement with a
/// retryable `ConnectionLost`; given back to a pool without pre-ping, it is
/// dropped, and the next checkout gets a working one. Through a session
/// and through a plain pooled connection.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn a_lost_connection_is_retryable_and_not_handed_out_again<C: EngineConnection>(engine: Engine<C>, killer: Killer<C>) {
    assert_eq!(engine.pool_state().0, 1, "one connection, so a dead one would be handed out again");

    let mut session = engine.session().unwrap();
    let before = (killer.id)(session.connection()).unwrap();
    (killer.kill)(before);
    let error = Error::from((killer.id)(session.connection()).unwrap_err());
    assert_eq!(error.operational_kind(), Some(OperationalKind::ConnectionLost), "{error}");
    assert!(error.is_retryable(), "{error}");
    drop(session);
    let mut session = engine.session().unwrap();
    let after = (killer.id)(session.connection()).expect("the next checkout works");
    assert_ne!(before, after, "a new connection");
    drop(session);

    let mut conn = engine.connection().unwrap();
    let before = (killer.id)(&mut conn).unwrap();
    (killer.kill)(before);
    let error = Error::from((killer.id)(&mut conn).unwrap_err());
    assert_eq!(error.operational_kind(), Some(OperationalKind::ConnectionLost), "{error}");
    drop(conn);
    let mut conn = engine.connection().unwrap();
    let after = (killer.id)(&mut conn).expect("the next checkout works");
    assert_ne!(before, after, "a new connection");
}

/// A transaction whose connection is killed under it returns the error
/// its closure returned, not the rollback's, and the pool then hands out
/// a working connection.
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn a_transaction_on_a_lost_connection_returns_the_closures_error<C: EngineConnection>(
    engine: Engine<C>,
    killer: Killer<C>,
) {
    let mut session = engine.session().unwrap();
    let result: quarry::Result<()> = session.transaction(|s| {
        let id = (killer.id)(s.connection())?;
        (killer.kill)(id);
        let lost = Error::from((killer.id)(s.connection()).unwrap_err());
        assert_eq!(lost.operational_kind(), Some(OperationalKind::ConnectionLost), "{lost}");
        // The closure's own error: one the lost connection cannot cause.
        Err(Error::NotFound)
    });
    match result {
        Err(Error::NotFound) => {}
        other => panic!("expected the closure's error, got {other:?}"),
    }
    drop(session);
    let mut session = engine.session().unwrap();
    (killer.id)(session.connection()).expect("the next checkout works");
}

/// Two transactions lock two rows in opposite orders: the database aborts
/// one of them with a retryable `Deadlock`, and the other commits.
/// `update(conn, id)` adds one to row `id` of `quarry_deadlock` with a
/// prepared statement (where diesel labels MySQL's deadlock a
/// serialization failure).
#[cfg(any(feature = "postgres", feature = "mysql"))]
fn a_deadlock_is_named_and_retryable<C: EngineConnection>(
    engine: Engine<C>,
    update: fn(&mut C, i32) -> diesel::QueryResult<usize>,
) {
    let mut conn = engine.connection().unwrap();
    conn.batch_execute("DROP TABLE IF EXISTS quarry_deadlock").unwrap();
    conn.batch_execute("CREATE TABLE quarry_deadlock (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").unwrap();
    conn.batch_execute("INSERT INTO quarry_deadlock (id, n) VALUES (1, 0), (2, 0)").unwrap();
    drop(conn);
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = [(1, 2), (2, 1)]
        .into_iter()
        .map(|(first, second)| {
            let (engine, barrier) = (engine.clone(), barrier.clone());
            std::thread::spawn(move || -> quarry::Result<()> {
                let mut session = engine.session()?;
                session.transaction(|s| {
                    update(s.connection(), first)?;
                    barrier.wait();
                    update(s.connection(), second)?;
                    Ok(())
                })
            })
        })
        .collect();
    let results: Vec<quarry::Result<()>> = workers.into_iter().map(|w| w.join().unwrap()).collect();
    let errors: Vec<&Error> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "one transaction is aborted, the other commits: {results:?}");
    assert_eq!(errors[0].operational_kind(), Some(OperationalKind::Deadlock), "{}", errors[0]);
    assert!(errors[0].is_retryable(), "{}", errors[0]);
}

/// A lock held longer than the waiter's lock timeout (PostgreSQL
/// `lock_timeout`, MySQL `innodb_lock_wait_timeout`, SQLite's busy timeout)
/// fails the waiter with a retryable `LockTimeout`.
mod lock_timeout {
    use super::*;
    use diesel::connection::SimpleConnection;
    use quarry::engine::Backend;

    common::engine_tests! {
    @settings |b| b.sqlite_busy_timeout(Duration::from_millis(200));

    fn a_lock_wait_that_times_out_is_named_and_retryable(engine) {
        let mut holder = engine.session().unwrap();
        let conn = holder.connection();
        conn.batch_execute("CREATE TABLE quarry_locked (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").unwrap();
        conn.batch_execute("INSERT INTO quarry_locked (id, n) VALUES (1, 0)").unwrap();
        holder.begin().unwrap();
        holder.connection().batch_execute("UPDATE quarry_locked SET n = n + 1 WHERE id = 1").unwrap();

        let mut waiter = engine.session().unwrap();
        match engine.url().backend() {
            Backend::Postgres => waiter.connection().batch_execute("SET lock_timeout = '200ms'").unwrap(),
            Backend::Mysql => waiter.connection().batch_execute("SET SESSION innodb_lock_wait_timeout = 1").unwrap(),
            Backend::Sqlite => {}
        }
        let result: quarry::Result<()> = waiter.transaction(|s| {
            s.connection().batch_execute("UPDATE quarry_locked SET n = n + 1 WHERE id = 1")?;
            Ok(())
        });
        let error = result.unwrap_err();
        assert_eq!(error.operational_kind(), Some(OperationalKind::LockTimeout), "{error}");
        assert!(error.is_retryable(), "{error}");
        holder.rollback().unwrap();
    }
    }
}

#[cfg(feature = "postgres")]
mod postgres_mid_work {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::Integer;
    use diesel::PgConnection;

    fn killer() -> Killer<PgConnection> {
        let url = common::url(common::POSTGRES_URL_VAR).unwrap();
        let admin = std::sync::Mutex::new(PgConnection::establish(&url).unwrap());
        Killer {
            id: common::postgres_backend_id,
            kill: Box::new(move |pid| common::kill_postgres_backend(&mut admin.lock().unwrap(), pid)),
        }
    }

    fn engine(test: &str) -> Option<Engine<PgConnection>> {
        common::postgres_engine(test, Engine::builder().pool_size(1).max_overflow(0).pre_ping(false))
    }

    #[test]
    fn a_lost_connection_is_retryable_and_not_handed_out_again() {
        let Some(engine) = engine("lost_connection") else { return };
        super::a_lost_connection_is_retryable_and_not_handed_out_again(engine, killer());
    }

    #[test]
    fn a_transaction_on_a_lost_connection_returns_the_closures_error() {
        let Some(engine) = engine("lost_in_transaction") else { return };
        super::a_transaction_on_a_lost_connection_returns_the_closures_error(engine, killer());
    }

    #[test]
    fn a_deadlock_is_named_and_retryable() {
        let Some(engine) = common::postgres_engine("deadlock", Engine::builder()) else { return };
        super::a_deadlock_is_named_and_retryable(engine, |conn, id| {
            diesel::sql_query("UPDATE quarry_deadlock SET n = n + 1 WHERE id = $1").bind::<Integer, _>(id).execute(conn)
        });
    }
}

#[cfg(feature = "mysql")]
mod mysql_mid_work {
    use super::*;
    use diesel::prelude::*;
    use diesel::sql_types::Integer;
    use diesel::MysqlConnection;

    fn killer() -> Killer<MysqlConnection> {
        let url = common::url(common::MYSQL_URL_VAR).unwrap();
        let admin = std::sync::Mutex::new(MysqlConnection::establish(&url).unwrap());
        Killer {
            id: common::mysql_connection_id,
            kill: Box::new(move |id| common::kill_mysql_connection(&mut admin.lock().unwrap(), id)),
        }
    }

    fn engine(test: &str) -> Option<Engine<MysqlConnection>> {
        common::mysql_engine(test, Engine::builder().pool_size(1).max_overflow(0).pre_ping(false))
    }

    #[test]
    fn a_lost_connection_is_retryable_and_not_handed_out_again() {
        let Some(engine) = engine("lost_connection") else { return };
        super::a_lost_connection_is_retryable_and_not_handed_out_again(engine, killer());
    }

    #[test]
    fn a_transaction_on_a_lost_connection_returns_the_closures_error() {
        let Some(engine) = engine("lost_in_transaction") else { return };
        super::a_transaction_on_a_lost_connection_returns_the_closures_error(engine, killer());
    }

    #[test]
    fn a_deadlock_is_named_and_retryable() {
        let Some(engine) = common::mysql_engine("deadlock", Engine::builder()) else { return };
        super::a_deadlock_is_named_and_retryable(engine, |conn, id| {
            diesel::sql_query("UPDATE quarry_deadlock SET n = n + 1 WHERE id = ?").bind::<Integer, _>(id).execute(conn)
        });
    }
}
