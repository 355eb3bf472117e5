//! The async session (`quarry::asyncio`) on each backend: the session
//! scenarios that matter in services, a thousand concurrent transactions
//! over a pool of ten, and futures dropped mid-transaction.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use quarry::asyncio::AsyncEngine;
use quarry::engine::{Event, EventKind};
use quarry::error::{OperationalKind, Result};
use quarry::Error;

use crate::common;
use crate::schema::{self, articles, authors, tags, Author, NewArticle, NewAuthor, NewTag};

/// A runtime like a service's: two workers, a blocking pool.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("a tokio runtime")
}

/// Ticks every millisecond and records the longest gap between ticks: a
/// call that blocked a worker shows as a long gap.
struct Watchdog {
    longest_gap_micros: Arc<AtomicU64>,
    task: tokio::task::JoinHandle<()>,
}

impl Watchdog {
    fn start() -> Self {
        let longest_gap_micros = Arc::new(AtomicU64::new(0));
        let longest = longest_gap_micros.clone();
        // From now, not from the task's first turn: a caller that blocks
        // the thread right away delays that turn too.
        let mut last = Instant::now();
        let task = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(1)).await;
                let gap = last.elapsed().as_micros() as u64;
                longest.fetch_max(gap, Ordering::Relaxed);
                last = Instant::now();
            }
        });
        Watchdog { longest_gap_micros, task }
    }

    /// Lets the watchdog tick once more, then stops it.
    async fn longest_gap(self) -> Duration {
        tokio::time::sleep(Duration::from_millis(5)).await;
        self.task.abort();
        Duration::from_micros(self.longest_gap_micros.load(Ordering::Relaxed))
    }
}

mod scenarios {
    use super::*;

    common::engine_tests! {
        fn commit_rollback_savepoint_and_events(engine) {
            schema::create_all(&mut *engine.connection().unwrap()).unwrap();
            let commits = Arc::new(AtomicU32::new(0));
            let seen = commits.clone();
            engine.listen(EventKind::AfterCommit, move |event| {
                if matches!(event, Event::AfterCommit) {
                    seen.fetch_add(1, Ordering::Relaxed);
                }
            });
            runtime().block_on(async {
                let engine = AsyncEngine::new(engine);
                let mut session = engine.session().await.unwrap();
                session.begin().await.unwrap();
                session.execute(diesel::insert_into(tags::table).values(NewTag::new("kept"))).await.unwrap();
                // A savepoint's failure is undone alone.
                let inner: Result<()> = session
                    .nested(|s| {
                        s.execute(diesel::insert_into(tags::table).values(NewTag::new("undone")))?;
                        Err(Error::NotFound)
                    })
                    .await;
                assert!(matches!(inner, Err(Error::NotFound)));
                assert!(session.in_transaction().await.unwrap());
                session.commit().await.unwrap();
                // An explicit rollback, and a transaction closure that fails.
                session.begin().await.unwrap();
                session.execute(diesel::insert_into(tags::table).values(NewTag::new("rolled back"))).await.unwrap();
                session.rollback().await.unwrap();
                let failed: Result<()> = engine
                    .transaction(|s| {
                        s.execute(diesel::insert_into(tags::table).values(NewTag::new("failed")))?;
                        Err(Error::NotFound)
                    })
                    .await;
                assert!(failed.is_err());
                session.close().await;
                let names: Vec<String> = engine.run(|s| s.all(tags::table.select(tags::name))).await.unwrap();
                assert_eq!(names, ["kept"]);
            });
            assert_eq!(commits.load(Ordering::Relaxed), 1, "one commit reached the database");
        }

        fn unit_of_work_loading_and_integrity_errors(engine) {
            schema::create_all(&mut *engine.connection().unwrap()).unwrap();
            runtime().block_on(async {
                let engine = AsyncEngine::new(engine);
                // A nested write: the author, then its articles with its key.
                engine
                    .transaction(|s| {
                        let ada = s.add(NewAuthor::new("Ada"));
                        for title in ["Notes", "Bernoulli"] {
                            s.add_child(ada, Author::ARTICLES, move |id| NewArticle::new(title, id))?;
                        }
                        Ok::<_, Error>(())
                    })
                    .await
                    .unwrap();
                let loaded = engine.run(|s| s.load(authors::table, Author::ARTICLES)).await.unwrap();
                assert_eq!(loaded.len(), 1);
                let mut titles: Vec<&str> = loaded[0].get(Author::ARTICLES).iter().map(|a| a.title.as_str()).collect();
                titles.sort();
                assert_eq!(titles, ["Bernoulli", "Notes"]);
                // A refused row: classified, named, and nothing of its
                // transaction written.
                let refused = engine
                    .transaction(|s| {
                        let grace = s.add(NewAuthor::new("Grace"));
                        s.add_child(grace, Author::ARTICLES, |id| NewArticle::new("", id))?;
                        s.flush()?;
                        Ok::<_, Error>(())
                    })
                    .await
                    .unwrap_err();
                let integrity = refused.integrity().unwrap_or_else(|| panic!("an integrity error, got {refused:?}"));
                assert_eq!(integrity.constraint.as_deref(), Some("ck_articles_title"));
                let names: Vec<String> = engine.run(|s| s.all(authors::table.select(authors::name))).await.unwrap();
                assert_eq!(names, ["Ada"]);
                // Batches through a channel, in order.
                let mut session = engine.session().await.unwrap();
                session.run(|s| s.insert_all(tags::table, &["a", "b", "c", "d", "e"].map(NewTag::new))).await.unwrap();
                let mut batches = session.batches::<_, String>(tags::table.select(tags::name).order(tags::name), 2);
                let mut sizes = Vec::new();
                while let Some(batch) = batches.recv().await {
                    sizes.push(batch.unwrap().len());
                }
                assert_eq!(sizes, [2, 2, 1]);
                // The session is free again once the reading stopped.
                let count: i64 = session.one(tags::table.count()).await.unwrap();
                assert_eq!(count, 5);
            });
        }
    }
}

mod pool_timeout {
    use super::*;

    common::engine_tests! {
        @settings |b| b.pool_size(1).max_overflow(0).pool_timeout(Duration::from_millis(300));
        fn a_checkout_waits_without_blocking_then_times_out(engine) {
            // One thread: a checkout that blocked it would stop the
            // watchdog for the whole 300 ms wait.
            let one_thread = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            one_thread.block_on(async {
                let engine = AsyncEngine::new(engine);
                let held = engine.session().await.unwrap();
                let watchdog = Watchdog::start();
                let started = Instant::now();
                let error = engine.session().await.unwrap_err();
                let waited = started.elapsed();
                assert_eq!(error.operational_kind(), Some(OperationalKind::PoolTimeout), "{error}");
                assert!(waited >= Duration::from_millis(250), "waited {waited:?}");
                let gap = watchdog.longest_gap().await;
                assert!(gap < Duration::from_millis(200), "the runtime stalled for {gap:?}");
                // Once the connection is back, the next checkout succeeds.
                held.close().await;
                engine.session().await.unwrap().close().await;
            });
        }
    }
}

mod panics {
    use super::*;

    common::engine_tests! {
        @settings |b| b.pool_size(1).max_overflow(0).pool_timeout(Duration::from_secs(5));
        fn a_call_that_panics_poisons_the_session_and_its_transaction_rolls_back(engine) {
            schema::create_all(&mut *engine.connection().unwrap()).unwrap();
            let rt = runtime();
            let engine = AsyncEngine::new(engine);
            let mut session = rt.block_on(engine.session()).unwrap();
            rt.block_on(session.begin()).unwrap();
            rt.block_on(session.execute(diesel::insert_into(tags::table).values(NewTag::new("lost")))).unwrap();
            let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                rt.block_on(session.run(|_| -> Result<()> { panic!("a bug in the closure") }))
            }));
            assert!(panicked.is_err(), "the panic resumes in the caller");
            let later = rt.block_on(session.run(|s| Ok(s.in_transaction())));
            assert!(matches!(later, Err(Error::SessionUnusable { .. })), "{later:?}");
            rt.block_on(session.close());
            // The one pooled connection is back, out of any transaction,
            // and the row its transaction wrote is gone.
            let (open, count) = rt
                .block_on(engine.run(|s| Ok((s.in_transaction(), s.one::<_, i64>(tags::table.count())?))))
                .unwrap();
            assert_eq!((open, count), (false, 0));
        }
    }
}

mod concurrency {
    use super::*;

    common::engine_tests! {
        @settings |b| b.pool_size(10).max_overflow(0).pool_timeout(Duration::from_secs(60));
        fn a_thousand_transactions_over_a_pool_of_ten(engine) {
            schema::create_all(&mut *engine.connection().unwrap()).unwrap();
            runtime().block_on(async {
                let engine = AsyncEngine::new(engine);
                let watchdog = Watchdog::start();
                let most_connections = Arc::new(AtomicU32::new(0));
                let tasks: Vec<_> = (0..1000)
                    .map(|i| {
                        let engine = engine.clone();
                        let most = most_connections.clone();
                        tokio::spawn(async move {
                            engine
                                .transaction(move |s| {
                                    s.execute(diesel::insert_into(tags::table).values(NewTag::new(format!("tag {i}"))))?;
                                    Ok::<_, Error>(())
                                })
                                .await?;
                            most.fetch_max(engine.sync_engine().pool_state().0, Ordering::Relaxed);
                            Ok::<_, Error>(())
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("the task ran").expect("the transaction committed");
                }
                let gap = watchdog.longest_gap().await;
                assert!(gap < Duration::from_millis(500), "the runtime stalled for {gap:?}");
                assert!(most_connections.load(Ordering::Relaxed) <= 10, "the pool grew past 10");
                let count: i64 = engine.run(|s| s.one(tags::table.count())).await.unwrap();
                assert_eq!(count, 1000);
            });
        }
    }
}

mod cancellation {
    use super::*;

    common::engine_tests! {
        @settings |b| b.pool_size(3).max_overflow(0).pool_timeout(Duration::from_secs(30));
        fn futures_dropped_mid_transaction_leave_nothing_open_or_partial(engine) {
            schema::create_all(&mut *engine.connection().unwrap()).unwrap();
            runtime().block_on(async {
                let engine = AsyncEngine::new(engine);
                let (mut finished, mut dropped) = (0, 0);
                for i in 0..240u64 {
                    // Dropped after 0 to 400 yields of the runtime (a clock
                    // deadline is too coarse: tokio's timer ticks per
                    // millisecond), so the work is cut at every await along
                    // the way; every twelfth runs to its end.
                    let yields = if i % 12 == 11 { None } else { Some((i * 37) % 400) };
                    let work = async {
                        if i % 2 == 0 {
                            // Explicit begin and commit across awaits.
                            let mut s = engine.session().await?;
                            s.begin().await?;
                            let id = s
                                .run(move |s| {
                                    let author = s.add(NewAuthor::new(format!("author {i}")));
                                    let flushed = s.flush()?;
                                    Ok(*flushed.key(author).expect("the flush learned the key"))
                                })
                                .await?;
                            s.execute(diesel::insert_into(articles::table).values(NewArticle::new("paired", id))).await?;
                            s.commit().await
                        } else {
                            // A unit of work in one transaction call.
                            engine
                                .transaction(move |s| {
                                    let author = s.add(NewAuthor::new(format!("author {i}")));
                                    s.add_child(author, Author::ARTICLES, |id| NewArticle::new("paired", id))?;
                                    Ok::<_, Error>(())
                                })
                                .await
                        }
                    };
                    let cancel = async {
                        match yields {
                            Some(yields) => {
                                for _ in 0..yields {
                                    tokio::task::yield_now().await;
                                }
                            }
                            None => std::future::pending().await,
                        }
                    };
                    tokio::select! {
                        biased;
                        result = work => {
                            result.unwrap();
                            finished += 1;
                        }
                        _ = cancel => dropped += 1,
                    }
                }
                assert!(finished > 0 && dropped > 0, "finished {finished}, dropped {dropped}: both must happen");
                // Every connection back in the pool and none in a
                // transaction: hold all three at once and ask each.
                let mut sessions = Vec::new();
                for _ in 0..3 {
                    sessions.push(engine.session().await.unwrap());
                }
                for session in &mut sessions {
                    assert!(!session.in_transaction().await.unwrap(), "a connection came back in a transaction");
                }
                drop(sessions);
                // No partial data: every author committed has its article.
                let (authors, articles): (i64, i64) = engine
                    .run(|s| Ok((s.one(authors::table.count())?, s.one(articles::table.count())?)))
                    .await
                    .unwrap();
                assert_eq!(authors, articles, "{authors} authors but {articles} articles");
                assert!(authors >= finished, "{authors} authors for {finished} finished calls");
            });
        }
    }
}

/// The axum layer's promise: commit on success, roll back otherwise, and
/// a read-only transaction for safe methods.
#[cfg(feature = "axum")]
mod axum_scope {
    use super::*;
    use axum::extract::Path;
    use axum::http::StatusCode;
    use axum::response::IntoResponse;
    use axum::routing::{get, post};
    use axum::Router;
    use quarry::asyncio::axum::{session_layer, Db};
    use quarry::engine::EngineConnection;

    /// Serves `router` on a free loopback port; returns its address.
    async fn serve(router: Router) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        address
    }

    /// The two statements the routes run, per backend (handlers generic
    /// over the connection would repeat diesel's bounds).
    trait TagStatements: EngineConnection + Send + 'static {
        fn insert(session: &mut quarry::Session<Self>, name: String) -> Result<usize>;
        fn count(session: &mut quarry::Session<Self>) -> Result<i64>;
    }

    macro_rules! tag_statements {
        ($($feature:literal $conn:ty),*) => {$(
            #[cfg(feature = $feature)]
            impl TagStatements for $conn {
                fn insert(session: &mut quarry::Session<Self>, name: String) -> Result<usize> {
                    session.execute(diesel::insert_into(tags::table).values(NewTag::new(name)))
                }
                fn count(session: &mut quarry::Session<Self>) -> Result<i64> {
                    session.one(tags::table.count())
                }
            }
        )*};
    }
    tag_statements!("sqlite" diesel::SqliteConnection, "postgres" diesel::PgConnection, "mysql" diesel::MysqlConnection);

    /// Inserts the tag, then answers `status`; 403 when the transaction
    /// is read-only.
    async fn write<C: TagStatements>(mut db: Db<C>, name: String, status: u16) -> StatusCode {
        match db.run(move |s| C::insert(s, name)).await {
            Ok(_) => StatusCode::from_u16(status).unwrap(),
            Err(error) if error.operational_kind() == Some(OperationalKind::ReadOnly) => StatusCode::FORBIDDEN,
            Err(error) => panic!("unexpected: {error}"),
        }
    }

    /// `POST /tags/{name}/{status}` inserts the tag, then answers `status`;
    /// `GET /tags/{name}` inserts it too, which its read-only transaction
    /// refuses; `GET /count` counts the tags.
    fn router<C: TagStatements>(engine: AsyncEngine<C>) -> Router {
        Router::new()
            .route(
                "/tags/{name}/{status}",
                post(|db: Db<C>, Path((name, status)): Path<(String, u16)>| write(db, name, status)),
            )
            .route("/tags/{name}", get(|db: Db<C>, Path(name): Path<String>| write(db, name, 200)))
            .route("/count", get(|mut db: Db<C>| async move { db.run(C::count).await.unwrap().to_string() }))
            .route(
                "/slow/{name}",
                post(|db: Db<C>, Path(name): Path<String>| async move {
                    let status = write(db, name, 201).await;
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    status
                }),
            )
            .layer(session_layer(engine))
            // Outside the session's layer, as a timeout layer would be: a
            // request that takes too long has its future dropped.
            .layer(axum::middleware::from_fn(
                |request: axum::extract::Request, next: axum::middleware::Next| async move {
                    match tokio::time::timeout(Duration::from_millis(300), next.run(request)).await {
                        Ok(response) => response,
                        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
                    }
                },
            ))
    }

    common::engine_tests! {
        fn commits_on_success_and_rolls_back_otherwise(engine) {
            schema::create_all(&mut *engine.connection().unwrap()).unwrap();
            runtime().block_on(async {
                let base = serve(router(AsyncEngine::new(engine))).await;
                let agent: ureq::Agent =
                    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().into();
                let call = |method: &'static str, path: String| {
                    let agent = agent.clone();
                    let url = format!("{base}{path}");
                    tokio::task::spawn_blocking(move || {
                        let mut response = match method {
                            "POST" => agent.post(&url).send_empty(),
                            _ => agent.get(&url).call(),
                        }
                        .unwrap();
                        (response.status().as_u16(), response.body_mut().read_to_string().unwrap())
                    })
                };
                assert_eq!(call("POST", "/tags/kept/201".into()).await.unwrap().0, 201);
                assert_eq!(call("POST", "/tags/redirected/303".into()).await.unwrap().0, 303);
                // Written, then answered with an error: rolled back.
                assert_eq!(call("POST", "/tags/refused/422".into()).await.unwrap().0, 422);
                assert_eq!(call("POST", "/tags/failed/500".into()).await.unwrap().0, 500);
                // A GET's transaction is read-only: the write is refused.
                assert_eq!(call("GET", "/tags/sneaky".into()).await.unwrap().0, 403);
                // Written, then dropped by the timeout: rolled back.
                assert_eq!(call("POST", "/slow/late".into()).await.unwrap().0, 408);
                assert_eq!(call("GET", "/count".into()).await.unwrap(), (200, "2".to_owned()));
                // ... and its connection is back, its locks released: the
                // next write goes through and the count stays exact.
                tokio::time::sleep(Duration::from_millis(200)).await;
                assert_eq!(call("POST", "/tags/after/201".into()).await.unwrap().0, 201);
                assert_eq!(call("GET", "/count".into()).await.unwrap(), (200, "3".to_owned()));
            });
        }
    }
}

/// The server kills the session's connection in the middle of its
/// transaction: the next call fails as a lost connection, nothing of the
/// transaction stays, and the engine's next session works.
macro_rules! a_connection_killed_mid_transaction {
    ($engine:expr, $pid:expr, $kill:expr) => {{
        let engine = $engine;
        schema::create_all(&mut *engine.connection().unwrap()).unwrap();
        let rt = runtime();
        let engine = AsyncEngine::new(engine);
        let mut session = rt.block_on(engine.session()).unwrap();
        rt.block_on(session.begin()).unwrap();
        rt.block_on(session.execute(diesel::insert_into(tags::table).values(NewTag::new("lost")))).unwrap();
        let pid: i64 = rt.block_on(session.run(|s| Ok($pid(s.connection())?))).unwrap();
        $kill(pid);
        let error =
            rt.block_on(session.execute(diesel::insert_into(tags::table).values(NewTag::new("after")))).unwrap_err();
        assert_eq!(error.operational_kind(), Some(OperationalKind::ConnectionLost), "{error}");
        rt.block_on(session.close());
        let count: i64 = rt.block_on(engine.run(|s| s.one(tags::table.count()))).unwrap();
        assert_eq!(count, 0, "nothing of the killed transaction stays");
    }};
}

#[cfg(feature = "postgres")]
#[test]
fn a_connection_killed_mid_transaction_postgres() {
    use diesel::PgConnection;
    let settings = quarry::Engine::<PgConnection>::builder().pool_size(1).max_overflow(0);
    let Some(engine) = common::postgres_engine("asyncio::killed_postgres", settings) else { return };
    let mut admin = PgConnection::establish(&common::url(common::POSTGRES_URL_VAR).unwrap()).unwrap();
    a_connection_killed_mid_transaction!(engine, common::postgres_backend_id, |pid| common::kill_postgres_backend(
        &mut admin, pid
    ));
}

#[cfg(feature = "mysql")]
#[test]
fn a_connection_killed_mid_transaction_mysql() {
    use diesel::MysqlConnection;
    let settings = quarry::Engine::<MysqlConnection>::builder().pool_size(1).max_overflow(0);
    let Some(engine) = common::mysql_engine("asyncio::killed_mysql", settings) else { return };
    let mut admin = MysqlConnection::establish(&common::url(common::MYSQL_URL_VAR).unwrap()).unwrap();
    a_connection_killed_mid_transaction!(engine, common::mysql_connection_id, |id| common::kill_mysql_connection(
        &mut admin, id
    ));
}
