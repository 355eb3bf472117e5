//! Keeps the suite from rotting: every shape, at small sizes, once checked
//! and once timed per contender, on SQLite, and on PostgreSQL and
//! MySQL/MariaDB when their URLs are set (a set URL that cannot be reached
//! fails the test). The harness fails when a contender's result differs
//! from hand-written diesel's.

use quarry_bench::database::{Backend, BenchBackend};
use quarry_bench::harness;
use quarry_bench::shape::Shape;

const SHAPES: [Shape; 5] =
    [Shape::Trivial(100), Shape::Medium(100), Shape::Insert(100), Shape::Associations(10), Shape::NestedWrite(10)];

fn every_contender_gives_diesels_results(backend: Backend) {
    if backend != Backend::Sqlite && backend.server_url().is_none() {
        eprintln!("{}: skipped, {} is not set", backend.title(), backend.url_variable().unwrap_or_default());
        return;
    }
    let measured =
        harness::run_backend(backend, "quarry_bench_test", &SHAPES, 1, |_| {}).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(measured.len(), SHAPES.len());
    for m in &measured {
        assert!(m.seconds.len() >= 5, "{}: every contender runs: {:?}", m.shape, m.seconds);
        assert!(m.seconds.iter().all(|(_, s)| s.len() == 1), "{}: one timed call each", m.shape);
    }
}

#[test]
fn sqlite() {
    every_contender_gives_diesels_results(Backend::Sqlite);
}

#[test]
fn postgres() {
    every_contender_gives_diesels_results(Backend::Postgres);
}

#[test]
fn mysql() {
    every_contender_gives_diesels_results(Backend::Mysql);
}
