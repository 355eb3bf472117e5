//! Start-up on SQLite: from nothing to the first query's rows, on a database
//! file whose embedded migrations are already applied.
//!
//! - **diesel**: `SqliteConnection::establish`, a busy timeout, and the query;
//! - **diesel + pragmas**: the same with the settings quarry gives each
//!   connection (foreign keys, busy timeout, WAL, `synchronous = NORMAL`);
//! - **quarry engine**: `Engine::connect` (one connection opened with
//!   quarry's settings: foreign keys on, WAL, a busy timeout; the engine
//!   keeps it and hands it out itself, so r2d2's pool and its thread are
//!   never built), a session, and the query;
//! - **quarry engine, min_idle(5)**: r2d2's pool built at once, opening
//!   four more connections at build, as it did before it opened them
//!   lazily;
//! - **quarry engine + migrations**: the same with
//!   `engine.run_migrations(MIGRATIONS)` first, which finds nothing to do.
//!
//! ```text
//! cargo bench -p quarry-tests --bench startup
//! ```
//!
//! Each call is a process of its own (the bench runs itself), from exec to
//! exit: what a program's start-up costs. The contenders run interleaved,
//! rotating which goes first; the bench prints each one's median and its
//! ratio to diesel.

use std::time::Instant;

use diesel::prelude::*;
use diesel::SqliteConnection;
use quarry::Engine;

mod schema {
    quarry::include_schema!();
}
use schema::authors;

static MIGRATIONS: &[quarry::migrate::Migration] = quarry::embed_migrations!();

const ROUNDS: usize = 150;

fn query(conn: &mut SqliteConnection) -> i64 {
    authors::table.count().get_result(conn).unwrap()
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// The contenders, by name: each opens the database at `url` (`path`) and
/// runs the query.
/// A contender: its name, and the call from nothing to the query's rows.
type Contender = (&'static str, Box<dyn Fn() -> i64>);

fn contenders(path: &std::path::Path, url: &str) -> Vec<Contender> {
    let file = path.to_str().unwrap().to_owned();
    let (f1, f2) = (file.clone(), file);
    let (u1, u2, u3) = (url.to_owned(), url.to_owned(), url.to_owned());
    vec![
        (
            "diesel",
            Box::new(move || {
                let mut conn = SqliteConnection::establish(&f1).unwrap();
                // A busy timeout, as any program sharing the file needs: the
                // pools of the quarry contenders before it may still be
                // opening connections on r2d2's threads.
                diesel::connection::SimpleConnection::batch_execute(&mut conn, "PRAGMA busy_timeout = 5000").unwrap();
                query(&mut conn)
            }),
        ),
        (
            "diesel + pragmas",
            Box::new(move || {
                let mut conn = SqliteConnection::establish(&f2).unwrap();
                let pragmas = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
                               PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
                diesel::connection::SimpleConnection::batch_execute(&mut conn, pragmas).unwrap();
                query(&mut conn)
            }),
        ),
        (
            "quarry engine",
            Box::new(move || {
                let engine = Engine::<SqliteConnection>::connect(&u1).unwrap();
                let mut session = engine.session().unwrap();
                query(session.connection())
            }),
        ),
        (
            "quarry engine, min_idle(5)",
            Box::new(move || {
                let engine = Engine::<SqliteConnection>::builder().min_idle(5).build(&u2).unwrap();
                let mut session = engine.session().unwrap();
                query(session.connection())
            }),
        ),
        (
            "quarry engine + migrations",
            Box::new(move || {
                let engine = Engine::<SqliteConnection>::connect(&u3).unwrap();
                assert!(engine.run_migrations(MIGRATIONS).unwrap().is_empty());
                let mut session = engine.session().unwrap();
                query(session.connection())
            }),
        ),
    ]
}

/// Times `run(which)` for every contender, interleaved, rotating which goes
/// first; prints each one's median and its ratio to the first's.
fn compare(label: &str, names: &[&str], rounds: usize, run: impl Fn(usize)) {
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for round in 0..rounds {
        for k in 0..names.len() {
            let which = (round + k) % names.len();
            let start = Instant::now();
            run(which);
            times[which].push(start.elapsed().as_secs_f64());
        }
    }
    let base = median(times[0].clone());
    for (name, samples) in names.iter().zip(times) {
        let m = median(samples);
        println!("{label:<10} {name:<28} {:>8.1} µs   ratio {:.3}", m * 1e6, m / base);
    }
}

/// The variable that makes this binary run one contender and exit.
const CHILD: &str = "QUARRY_BENCH_STARTUP_CHILD";

fn main() {
    if let Ok(child) = std::env::var(CHILD) {
        // A child process: one contender, from nothing to the query's rows.
        let (which, path) = child.split_once(':').unwrap();
        let path = std::path::PathBuf::from(path);
        let url = format!("sqlite:///{}", path.display());
        let contenders = contenders(&path, &url);
        assert_eq!(contenders[which.parse::<usize>().unwrap()].1(), 0);
        return;
    }
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let path = std::env::temp_dir().join(format!("quarry_bench_startup_{}.db", std::process::id()));
    let url = format!("sqlite:///{}", path.display());
    Engine::<SqliteConnection>::connect(&url).unwrap().run_migrations(MIGRATIONS).unwrap();

    let names: Vec<&str> = contenders(&path, &url).iter().map(|(name, _)| *name).collect();
    // Each contender a process of its own, from exec to exit: what a
    // program's start-up costs. (In one process, the pools of earlier
    // rounds would still be busy on r2d2's threads while later ones run.)
    let me = std::env::current_exe().unwrap();
    compare("process", &names, ROUNDS, |which| {
        let status =
            std::process::Command::new(&me).env(CHILD, format!("{which}:{}", path.display())).status().unwrap();
        assert!(status.success());
    });
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
