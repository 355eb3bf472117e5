//! The engine: URLs, pool limits, pre-ping, echo, SQLite under concurrent
//! writers, and one program running on whichever backend a URL names.

use crate::common;
mod failures;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use quarry::engine::{Backend, Engine};
use quarry::error::OperationalKind;
use quarry::{AnyEngine, Error};

use crate::schema;
use schema::{tags, NewTag};

#[test]
fn engines_are_shared_across_threads() {
    fn send_sync_clone<T: Send + Sync + Clone>() {}
    #[cfg(feature = "sqlite")]
    send_sync_clone::<Engine<diesel::SqliteConnection>>();
    #[cfg(feature = "postgres")]
    send_sync_clone::<Engine<diesel::PgConnection>>();
    #[cfg(feature = "mysql")]
    send_sync_clone::<Engine<diesel::MysqlConnection>>();
    send_sync_clone::<AnyEngine>();
}

#[cfg(feature = "sqlite")]
#[test]
fn a_url_for_another_backend_is_refused() {
    let error = Engine::<diesel::SqliteConnection>::connect("postgres://u:secret@localhost/db").unwrap_err();
    let message = error.to_string();
    assert!(message.contains("this engine is for sqlite, the URL names postgres"), "{message}");
    assert!(!message.contains("secret"), "{message}");
}

/// The URL's `timeout` (seconds, as in SQLAlchemy's pysqlite URLs) is the
/// busy timeout, unless the builder sets one, which wins (as
/// `connect_args` wins over the URL in SQLAlchemy).
#[cfg(feature = "sqlite")]
#[test]
fn a_sqlite_urls_timeout_is_the_busy_timeout_unless_the_builder_sets_one() {
    let busy = |engine: &Engine<diesel::SqliteConnection>| -> i64 {
        #[derive(QueryableByName)]
        struct Timeout {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            timeout: i64,
        }
        diesel::sql_query("PRAGMA busy_timeout")
            .get_result::<Timeout>(&mut *engine.connection().unwrap())
            .unwrap()
            .timeout
    };
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("busy_timeout_from_url.db");
    let url = format!("sqlite:///{}?timeout=0.25&check_same_thread=false", path.display());
    assert_eq!(busy(&Engine::connect(&url).unwrap()), 250);
    let explicit = Engine::builder().sqlite_busy_timeout(Duration::from_secs(2)).build(&url).unwrap();
    assert_eq!(busy(&explicit), 2000);
    assert_eq!(busy(&Engine::connect(&format!("sqlite:///{}", path.display())).unwrap()), 5000, "the default");
}

/// A buffer the echo log is written to.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

common::engine_tests! {
    fn echo_logs_statements_with_binds_and_duration(engine) {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        tracing::subscriber::with_default(subscriber, || {
            session.execute(diesel::insert_into(tags::table).values(NewTag::new("silent"))).unwrap();
            engine.set_echo(true);
            session.execute(diesel::insert_into(tags::table).values(NewTag::new("echoed"))).unwrap();
            engine.set_echo(false);
        });
        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(log.contains("quarry::echo"), "{log}");
        assert!(log.contains("INSERT INTO"), "{log}");
        assert!(log.contains("echoed"), "the binds are logged: {log}");
        assert!(log.contains("elapsed_us="), "{log}");
        assert!(!log.contains("silent"), "echo was off for the first insert: {log}");
    }

    fn statements_are_counted_and_recorded(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        engine.record_statements(true);
        let before = engine.statement_count();
        let rows: Vec<NewTag> = (0..10).map(|i| NewTag::new(format!("t{i}"))).collect();
        session.execute(diesel::insert_into(tags::table).values(&rows)).unwrap();
        engine.record_statements(false);
        let inserts: Vec<String> = engine.take_statements().into_iter().filter(|s| s.starts_with("INSERT")).collect();
        // SQLite inserts row by row when rows carry DEFAULT; the others in one statement.
        let expected = if engine.url().backend() == Backend::Sqlite { 10 } else { 1 };
        assert_eq!(inserts.len(), expected, "{inserts:#?}");
        assert!(engine.statement_count() >= before + expected as u64);
        assert_eq!(engine.session().unwrap().one::<_, i64>(tags::table.count()).unwrap(), 10);
    }
}

mod small_pool {
    use super::*;

    common::engine_tests! {
    @settings |b| b.pool_size(2).max_overflow(0).pool_timeout(Duration::from_millis(500));

    fn an_exhausted_pool_times_out_instead_of_hanging(engine) {
        let held = (engine.session().unwrap(), engine.session().unwrap());
        let started = Instant::now();
        let error = engine.session().unwrap_err();
        let waited = started.elapsed();
        match &error {
            Error::Operational(e) => {
                assert_eq!(e.kind, OperationalKind::PoolTimeout, "{e}");
                assert!(e.retryable);
            }
            other => panic!("expected a pool timeout, got {other}"),
        }
        assert!(waited >= Duration::from_millis(400), "gave up after {waited:?}, before the timeout");
        assert!(waited < Duration::from_secs(10), "waited {waited:?}");
        drop(held);
        assert!(engine.session().is_ok(), "a returned connection is handed out again");
    }
    }
}

mod lazy_pool {
    use super::*;

    common::engine_tests! {
    fn the_pool_opens_connections_when_checkouts_need_them(engine) {
        // `build` opened one, to check the URL; it is handed out first.
        assert_eq!(engine.pool_state().0, 1);
        let first = engine.session().unwrap();
        assert_eq!(engine.pool_state(), (1, 0));
        // Three at once: the pool opens what they need (r2d2's waiting
        // checkouts may ask its worker threads for a few more than they
        // take), not all 15 it may hold.
        let more = (engine.session().unwrap(), engine.session().unwrap());
        let (open, _) = engine.pool_state();
        assert!((3..15).contains(&open), "{open} connections open for 3 checkouts");
        drop((first, more));
        let (open, idle) = engine.pool_state();
        assert!(open >= 3 && idle == open, "returned connections stay for reuse: {open} open, {idle} idle");
    }
    }
}

/// Whether `conn` is the connection that made the temporary table
/// `marker` (temporary tables belong to one connection, on every backend).
fn made_the_marker<C: diesel::connection::LoadConnection>(conn: &mut C) -> bool
where
    diesel::query_builder::SqlQuery: diesel::query_dsl::methods::ExecuteDsl<C>,
{
    diesel::sql_query("SELECT 1 FROM marker").execute(conn).is_ok()
}

/// The connection `build` opens is the engine's own, handed out without
/// r2d2; the pool holds the others.
mod reserve {
    use super::*;

    common::engine_tests! {
    fn the_connection_build_opened_is_handed_out_again(engine) {
        let mut first = engine.connection().unwrap();
        diesel::sql_query("CREATE TEMPORARY TABLE marker (id INTEGER)").execute(&mut *first).unwrap();
        // Taken: a second checkout gets another connection, from the pool.
        let mut second = engine.connection().unwrap();
        assert!(!made_the_marker(&mut *second), "a second checkout got the first's connection");
        assert!(format!("{first:?}").contains(r#"from: "engine""#), "{first:?}");
        assert!(format!("{second:?}").contains(r#"from: "pool""#), "{second:?}");
        assert_eq!(engine.pool_state(), (2, 0));
        drop((first, second));
        assert_eq!(engine.pool_state(), (2, 2));
        // Free again: the next checkout gets it back.
        assert!(made_the_marker(&mut *engine.connection().unwrap()), "the next checkout opened another");
    }
    }
}

mod reserve_recycled {
    use super::*;

    common::engine_tests! {
    @settings |b| b.recycle(Duration::from_millis(200));

    fn a_reserved_connection_older_than_recycle_is_replaced(engine) {
        let mut conn = engine.connection().unwrap();
        diesel::sql_query("CREATE TEMPORARY TABLE marker (id INTEGER)").execute(&mut *conn).unwrap();
        drop(conn);
        assert!(made_the_marker(&mut *engine.connection().unwrap()), "younger than recycle: kept");
        std::thread::sleep(Duration::from_millis(300));
        assert!(!made_the_marker(&mut *engine.connection().unwrap()), "older than recycle: replaced");
        assert_eq!(engine.pool_state(), (1, 1), "the old one closed, no pool built");
    }
    }
}

mod one_connection {
    use super::*;

    common::engine_tests! {
    @settings |b| b.pool_size(1).max_overflow(0).pool_timeout(Duration::from_millis(500));

    fn a_checkout_waits_for_the_one_connection_then_times_out(engine) {
        let held = engine.session().unwrap();
        // Given back while a second thread waits: that thread gets it.
        let waiter = {
            let engine = engine.clone();
            std::thread::spawn(move || engine.session().map(|_| Instant::now()))
        };
        std::thread::sleep(Duration::from_millis(100));
        let released = Instant::now();
        drop(held);
        let got = waiter.join().unwrap().expect("the waiting checkout gets the connection given back");
        assert!(got >= released, "got it before it was given back");
        // Kept: nothing gives it back, so the wait ends at the pool timeout.
        let held = engine.session().unwrap();
        let started = Instant::now();
        let error = engine.session().unwrap_err();
        let waited = started.elapsed();
        assert_eq!(error.operational_kind(), Some(OperationalKind::PoolTimeout), "{error}");
        assert!(error.is_retryable(), "{error}");
        assert!(waited >= Duration::from_millis(400), "gave up after {waited:?}, before the timeout");
        assert!(waited < Duration::from_secs(10), "waited {waited:?}");
        assert_eq!(engine.pool_state(), (1, 0));
        drop(held);
        assert_eq!(engine.pool_state(), (1, 1));
    }
    }
}

mod eager_pool {
    use super::*;

    common::engine_tests! {
    @settings |b| b.min_idle(3);

    fn min_idle_connections_are_opened_at_build(engine) {
        assert_eq!(engine.pool_state(), (3, 3));
    }
    }
}

/// Four threads writing to one SQLite file at once: `BEGIN IMMEDIATE` and
/// the busy timeout queue them, so none sees "database is locked".
#[cfg(feature = "sqlite")]
#[test]
fn concurrent_sqlite_writers_never_see_database_is_locked() {
    let engine = common::sqlite_engine("concurrent_writers", Engine::builder().pool_size(4)).unwrap();
    schema::create_all(&mut *engine.connection().unwrap()).unwrap();
    let deadline = Instant::now() + Duration::from_secs(2);
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let engine = engine.clone();
            std::thread::spawn(move || {
                let mut session = engine.session().unwrap();
                let (mut written, mut errors) = (0, Vec::new());
                while Instant::now() < deadline {
                    let name = format!("w{worker}-{written}");
                    let result = session.transaction(|s| {
                        let _: i64 = s.one(tags::table.count())?;
                        s.execute(diesel::insert_into(tags::table).values(NewTag::new(name.clone())))
                    });
                    match result {
                        Ok(_) => written += 1,
                        Err(e) => errors.push(e.to_string()),
                    }
                }
                (written, errors)
            })
        })
        .collect();
    let mut total = 0;
    for worker in workers {
        let (written, errors) = worker.join().unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert!(written > 0);
        total += written;
    }
    assert_eq!(engine.session().unwrap().one::<_, i64>(tags::table.count()).unwrap(), total as i64);
}

/// Engines opened at the same instant on one new SQLite file all open:
/// each switches the file to WAL, and SQLite answers the losers of that
/// race "database is locked" at once, without the busy timeout.
#[cfg(feature = "sqlite")]
#[test]
fn engines_opened_together_on_a_new_sqlite_file_all_open() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("opened_together.db");
    for round in 0..30 {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let url = format!("sqlite:///{}", path.display());
        let start = Arc::new(std::sync::Barrier::new(8));
        let openers: Vec<_> = (0..8)
            .map(|_| {
                let (url, start) = (url.clone(), start.clone());
                std::thread::spawn(move || {
                    start.wait();
                    Engine::<diesel::SqliteConnection>::connect(&url).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        let failed: Vec<String> = openers.into_iter().filter_map(|t| t.join().unwrap().err()).collect();
        assert!(failed.is_empty(), "round {round}: {failed:?}");
        let mode: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
            "(SELECT journal_mode FROM pragma_journal_mode)",
        ))
        .get_result(&mut *Engine::<diesel::SqliteConnection>::connect(&url).unwrap().connection().unwrap())
        .unwrap();
        assert_eq!(mode, "wal");
    }
}

/// pre_ping: a connection the server killed is replaced on checkout, and
/// the user never sees the error.
#[cfg(feature = "postgres")]
#[test]
fn pre_ping_replaces_a_connection_postgres_killed() {
    let Some(engine) =
        common::postgres_engine("pre_ping", Engine::builder().pool_size(1).max_overflow(0).pre_ping(true))
    else {
        return;
    };
    let pid = |engine: &Engine<diesel::PgConnection>| -> i32 {
        engine
            .session()
            .unwrap()
            .one(diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("pg_backend_pid()")))
            .unwrap()
    };
    let before = pid(&engine);
    let mut killer = common::postgres("pre_ping_killer").unwrap();
    diesel::sql_query(format!("SELECT pg_terminate_backend({before})")).execute(&mut killer).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let after = pid(&engine);
    assert_ne!(before, after, "the killed connection was replaced");
}

#[cfg(feature = "mysql")]
#[test]
fn pre_ping_replaces_a_connection_mysql_killed() {
    let Some(engine) = common::mysql_engine("pre_ping", Engine::builder().pool_size(1).max_overflow(0).pre_ping(true))
    else {
        return;
    };
    let id = |engine: &Engine<diesel::MysqlConnection>| -> i64 {
        engine
            .session()
            .unwrap()
            .one(diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>("CAST(CONNECTION_ID() AS SIGNED)")))
            .unwrap()
    };
    let before = id(&engine);
    let mut killer = common::mysql("pre_ping_killer").unwrap();
    diesel::sql_query(format!("KILL {before}")).execute(&mut killer).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let after = id(&engine);
    assert_ne!(before, after, "the killed connection was replaced");
}

/// The isolation level reaches PostgreSQL.
#[cfg(feature = "postgres")]
#[test]
fn isolation_levels_apply_postgres() {
    use quarry::engine::{IsolationLevel, TransactionOptions};
    let Some(engine) = common::postgres_engine("isolation", Engine::builder()) else { return };
    let mut session = engine.session().unwrap();
    session.set_transaction_options(TransactionOptions {
        isolation: Some(IsolationLevel::Serializable),
        read_only: false,
    });
    let level: String = session
        .transaction(|s| {
            s.one(diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
                "current_setting('transaction_isolation')",
            )))
        })
        .unwrap();
    assert_eq!(level, "serializable");
}

/// One program, three backends: the same code runs on whichever backend
/// the URL names.
#[test]
fn any_engine_runs_the_same_code_on_every_configured_backend() {
    let mut urls = vec![];
    #[cfg(feature = "sqlite")]
    urls.push("sqlite:///:memory:".to_owned());
    #[cfg(feature = "postgres")]
    if let Some(engine) = common::postgres_engine("any_engine", Engine::builder()) {
        urls.push(engine.url().driver_url().to_owned());
    }
    #[cfg(feature = "mysql")]
    if let Some(engine) = common::mysql_engine("any_engine", Engine::builder()) {
        urls.push(engine.url().driver_url().to_owned());
    }
    for url in urls {
        let engine = AnyEngine::connect(&url).unwrap();
        let names = tag_names_on_any_backend(&engine);
        assert_eq!(names.unwrap(), ["a", "b"], "{:?}", engine.backend());
    }
}

/// Written once, compiled for each backend.
fn tag_names_on_any_backend(engine: &AnyEngine) -> quarry::Result<Vec<String>> {
    quarry::with_engine!(engine, |engine| {
        let mut session = engine.session()?;
        schema::create_all(session.connection())?;
        session.transaction(|s| {
            s.execute(diesel::insert_into(tags::table).values(&vec![NewTag::new("b"), NewTag::new("a")]))
        })?;
        let names = session.all(tags::table.select(tags::name).order(tags::name))?;
        schema::drop_all(session.connection())?;
        Ok(names)
    })
}
