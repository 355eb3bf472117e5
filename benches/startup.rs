//! Start-up on SQLite: from nothing to the first query's rows, on a database
//! file whose embedded migrations are already applied.
//!
//! - **diesel**: `SqliteConnection::establish` and the query;
//! - **diesel + pragmas**: the same with the settings quarry gives each
//!   connection (foreign keys, busy timeout, WAL, `synchronous = NORMAL`);
//! - **quarry engine**: `Engine::connect` (the pool, one connection opened
//!   with quarry's settings: foreign keys on, WAL, a busy timeout), a
//!   session, and the query;
//! - **quarry engine, min_idle(5)**: the pool opening five connections at
//!   build, as it did before it opened them lazily;
//! - **quarry engine + migrations**: the same with
//!   `engine.run_migrations(MIGRATIONS)` first, which finds nothing to do.
//!
//! ```text
//! cargo bench -p quarry-tests --bench startup
//! ```
//!
//! The three run interleaved, call by call, rotating which goes first; the
//! bench prints each one's median and its ratio to diesel.

use std::time::Instant;

use diesel::prelude::*;
use diesel::SqliteConnection;
use quarry::Engine;

mod schema {
    quarry::include_schema!();
}
use schema::authors;

static MIGRATIONS: &[quarry::migrate::Migration] = quarry::embed_migrations!();

const ROUNDS: usize = 300;

fn query(conn: &mut SqliteConnection) -> i64 {
    authors::table.count().get_result(conn).unwrap()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let path = std::env::temp_dir().join(format!("quarry_bench_startup_{}.db", std::process::id()));
    let url = format!("sqlite:///{}", path.display());
    Engine::<SqliteConnection>::connect(&url).unwrap().run_migrations(MIGRATIONS).unwrap();

    let diesel = || {
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        query(&mut conn)
    };
    let pragmas = || {
        let mut conn = SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        diesel::connection::SimpleConnection::batch_execute(&mut conn, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;").unwrap();
        query(&mut conn)
    };
    let engine = || {
        let engine = Engine::<SqliteConnection>::connect(&url).unwrap();
        let mut session = engine.session().unwrap();
        query(session.connection())
    };
    let eager = || {
        let engine = Engine::<SqliteConnection>::builder().min_idle(5).build(&url).unwrap();
        let mut session = engine.session().unwrap();
        query(session.connection())
    };
    let migrated = || {
        let engine = Engine::<SqliteConnection>::connect(&url).unwrap();
        assert!(engine.run_migrations(MIGRATIONS).unwrap().is_empty());
        let mut session = engine.session().unwrap();
        query(session.connection())
    };
    let contenders: [(&str, &dyn Fn() -> i64); 5] = [
        ("diesel", &diesel),
        ("diesel + pragmas", &pragmas),
        ("quarry engine", &engine),
        ("quarry engine, min_idle(5)", &eager),
        ("quarry engine + migrations", &migrated),
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    for round in 0..ROUNDS {
        for k in 0..contenders.len() {
            let which = (round + k) % contenders.len();
            let start = Instant::now();
            assert_eq!(contenders[which].1(), 0);
            times[which].push(start.elapsed().as_secs_f64());
        }
    }
    let base = median(times[0].clone());
    for ((name, _), samples) in contenders.iter().zip(times) {
        let m = median(samples);
        println!("start-up  {name:<28} {:>8.1} µs   ratio {:.3}", m * 1e6, m / base);
    }
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
}
