//! Issue 10: which mechanism quarry's async API stands on, by measurement
//! (docs/async.md reads these figures).
//!
//! - `per_call/*`: one primary-key read, awaited one after the other:
//!   quarry's sync `Session` (no runtime), quarry's `AsyncSession` (the
//!   sync session on tokio's blocking pool), and diesel-async's native
//!   `AsyncPgConnection` (on SQLite, its `SyncConnectionWrapper`, which is
//!   itself a blocking-pool design).
//! - `thousand_tasks/*`: 1,000 concurrent tasks, each a short
//!   transaction inserting one row, over a pool of 10 connections:
//!   quarry's `AsyncEngine` against diesel-async's deadpool pool.
//!
//! ```text
//! QUARRY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p quarry-bench --bench async_mechanisms
//! ```
//! Without the URL only the SQLite groups run.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use diesel::prelude::*;
use diesel_async::AsyncConnection;
use quarry::asyncio::AsyncEngine;
use quarry_bench::schema::{self, users, NewUser, User};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// A PostgreSQL URL whose connections use a schema of their own, made
/// fresh with the bench's tables and one user.
fn postgres_url() -> Option<String> {
    let url = std::env::var("QUARRY_TEST_POSTGRES_URL").ok()?;
    let mut conn = PgConnection::establish(&url).expect("the PostgreSQL URL is set but cannot be reached");
    diesel::sql_query("DROP SCHEMA IF EXISTS bench_async CASCADE").execute(&mut conn).unwrap();
    diesel::sql_query("CREATE SCHEMA bench_async").execute(&mut conn).unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let url = format!("{url}{separator}options=-c%20search_path%3Dbench_async");
    let mut conn = PgConnection::establish(&url).unwrap();
    quarry::ddl::create_all(&mut conn, &schema::METADATA).unwrap();
    diesel::insert_into(users::table).values(NewUser::new("ada")).execute(&mut conn).unwrap();
    Some(url)
}

/// Times `$read` awaited `iters` times in a row on `$rt`.
macro_rules! awaited {
    ($b:expr, $rt:expr, $read:expr) => {
        $b.iter_custom(|iters| {
            $rt.block_on(async {
                let start = Instant::now();
                for _ in 0..iters {
                    $read;
                }
                start.elapsed()
            })
        })
    };
}

/// quarry's two contenders on one backend: the sync session, then the
/// async session on the same engine.
macro_rules! quarry_reads {
    ($group:expr, $rt:expr, $backend:literal, $conn:ty, $url:expr) => {{
        let engine = quarry::Engine::<$conn>::connect($url).unwrap();
        let mut session = engine.session().unwrap();
        $group.bench_function(BenchmarkId::new($backend, "quarry_sync"), |b| {
            b.iter(|| session.first::<_, User>(users::table.find(1)).unwrap().unwrap())
        });
        drop(session);
        let mut session = $rt.block_on(AsyncEngine::new(engine).session()).unwrap();
        $group.bench_function(BenchmarkId::new($backend, "quarry_async_blocking_pool"), |b| {
            awaited!(b, $rt, session.first::<_, User>(users::table.find(1)).await.unwrap().unwrap())
        });
    }};
}

fn per_call(c: &mut Criterion) {
    let rt = runtime();
    let mut group = c.benchmark_group("per_call");
    group.measurement_time(Duration::from_secs(4));

    let path = std::env::temp_dir().join("quarry_bench_async.db");
    let _ = std::fs::remove_file(&path);
    let mut setup = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    quarry::ddl::create_all(&mut setup, &schema::METADATA).unwrap();
    diesel::insert_into(users::table).values(NewUser::new("ada")).execute(&mut setup).unwrap();
    quarry_reads!(group, rt, "sqlite", SqliteConnection, &format!("sqlite:///{}", path.display()));
    let mut wrapped = rt
        .block_on(diesel_async::sync_connection_wrapper::SyncConnectionWrapper::<SqliteConnection>::establish(
            path.to_str().unwrap(),
        ))
        .unwrap();
    group.bench_function(BenchmarkId::new("sqlite", "diesel_async_sync_wrapper"), |b| {
        awaited!(b, rt, native::read_sqlite(&mut wrapped).await)
    });
    drop(wrapped);

    if let Some(url) = postgres_url() {
        quarry_reads!(group, rt, "postgres", PgConnection, &url);
        let mut native = rt.block_on(diesel_async::AsyncPgConnection::establish(&url)).unwrap();
        group.bench_function(BenchmarkId::new("postgres", "diesel_async_native"), |b| {
            awaited!(b, rt, native::read_pg(&mut native).await)
        });
    }
    group.finish();
}

/// Spawns `task(i)` for i in 0..1,000, all at once, and waits for every
/// one.
async fn thousand<F, T>(task: F)
where
    F: Fn(usize) -> T,
    T: std::future::Future<Output = ()> + Send + 'static,
{
    let tasks: Vec<_> = (0..1000).map(|i| tokio::spawn(task(i))).collect();
    for task in tasks {
        task.await.unwrap();
    }
}

fn thousand_tasks(c: &mut Criterion) {
    let Some(url) = postgres_url() else { return };
    let rt = runtime();
    let mut group = c.benchmark_group("thousand_tasks");
    group.sample_size(10).measurement_time(Duration::from_secs(10));

    let engine = rt
        .block_on(AsyncEngine::build(quarry::Engine::<PgConnection>::builder().pool_size(10).max_overflow(0), &url))
        .unwrap();
    group.bench_function(BenchmarkId::new("postgres", "quarry_async_blocking_pool"), |b| {
        b.to_async(&rt).iter(|| {
            let engine = engine.clone();
            thousand(move |i| {
                let engine = engine.clone();
                async move {
                    engine
                        .transaction(move |s| {
                            s.execute(diesel::insert_into(users::table).values(NewUser::new(format!("u{i}"))))
                        })
                        .await
                        .unwrap();
                }
            })
        })
    });

    let manager = diesel_async::pooled_connection::AsyncDieselConnectionManager::<diesel_async::AsyncPgConnection>::new(
        url.clone(),
    );
    let pool = diesel_async::pooled_connection::deadpool::Pool::builder(manager).max_size(10).build().unwrap();
    group.bench_function(BenchmarkId::new("postgres", "diesel_async_native_deadpool"), |b| {
        b.to_async(&rt).iter(|| {
            let pool = pool.clone();
            thousand(move |i| {
                let pool = pool.clone();
                async move {
                    let mut conn = pool.get().await.unwrap();
                    native::insert_in_transaction(&mut conn, i).await;
                }
            })
        })
    });
    group.finish();
}

/// diesel-async's calls, apart: its `RunQueryDsl` would shadow diesel's.
mod native {
    use diesel::prelude::*;
    use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
    use quarry_bench::schema::{users, NewUser, User};

    pub async fn read_pg(conn: &mut AsyncPgConnection) -> User {
        users::table.find(1).first(conn).await.unwrap()
    }

    pub async fn read_sqlite(conn: &mut SyncConnectionWrapper<SqliteConnection>) -> User {
        users::table.find(1).first(conn).await.unwrap()
    }

    pub async fn insert_in_transaction(conn: &mut AsyncPgConnection, i: usize) -> usize {
        conn.transaction::<_, diesel::result::Error, _>(async move |conn| {
            diesel::insert_into(users::table).values(NewUser::new(format!("u{i}"))).execute(conn).await
        })
        .await
        .unwrap()
    }
}

criterion_group!(benches, per_call, thousand_tasks);
criterion_main!(benches);
