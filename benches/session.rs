//! The session path against hand-written diesel on the same pooled SQLite
//! connection: loading 10,000 rows, and inserting 100 rows with their keys.
//!
//! ```text
//! cargo bench --bench session
//! ```
//!
//! Each pair runs in one criterion group, so the ratio of the two means is
//! read from one run.

use criterion::{criterion_group, criterion_main, Criterion};
use diesel::prelude::*;
use diesel::SqliteConnection;
use quarry::Engine;

mod schema {
    quarry::include_schema!();
}
use schema::{tags, NewTag, Tag};

/// What an expert writes for SQLite by hand: no optional field, so no
/// DEFAULT, so one multi-row statement.
#[derive(Insertable)]
#[diesel(table_name = tags, treat_none_as_default_value = false)]
struct PlainTag {
    name: String,
}

fn engine_with_tags(rows: usize) -> Engine<SqliteConnection> {
    let engine = Engine::<SqliteConnection>::connect("sqlite:///:memory:").unwrap();
    let mut session = engine.session().unwrap();
    schema::create_all(session.connection()).unwrap();
    let tags: Vec<NewTag> = (0..rows).map(|i| NewTag::new(format!("tag {i:06}"))).collect();
    session.transaction(|s| s.insert_all(tags::table, &tags)).unwrap();
    engine
}

fn select_10_000(c: &mut Criterion) {
    let engine = engine_with_tags(10_000);
    let mut group = c.benchmark_group("select 10,000 rows");
    group.bench_function("diesel", |b| {
        let mut conn = engine.connection().unwrap();
        b.iter(|| {
            let rows: Vec<Tag> = tags::table.select(Tag::as_select()).load(&mut *conn).unwrap();
            assert_eq!(rows.len(), 10_000);
        })
    });
    group.bench_function("quarry session", |b| {
        let mut session = engine.session().unwrap();
        b.iter(|| {
            let rows: Vec<Tag> = session.all(tags::table.select(Tag::as_select())).unwrap();
            assert_eq!(rows.len(), 10_000);
        })
    });
    group.finish();
}

fn insert_100(c: &mut Criterion) {
    let engine = engine_with_tags(0);
    let rows = || (0..100).map(|i| NewTag::new(format!("new {i}"))).collect::<Vec<_>>();
    let mut group = c.benchmark_group("insert 100 rows, keys returned");
    group.bench_function("diesel", |b| {
        let mut pooled = engine.connection().unwrap();
        let conn: &mut SqliteConnection = &mut pooled;
        b.iter(|| {
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                let values: Vec<PlainTag> = rows().into_iter().map(|row| PlainTag { name: row.name }).collect();
                let ids: Vec<i32> =
                    diesel::insert_into(tags::table).values(&values).returning(tags::id).get_results(conn)?;
                assert_eq!(ids.len(), 100);
                Err::<(), _>(diesel::result::Error::RollbackTransaction)
            })
            .unwrap_err();
        })
    });
    group.bench_function("quarry session (add_all + flush)", |b| {
        let mut session = engine.session().unwrap();
        b.iter(|| {
            session.begin().unwrap();
            let pending = session.add_all(rows());
            let flushed = session.flush().unwrap();
            assert!(flushed.key(pending[99]).is_some());
            session.rollback().unwrap();
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(3));
    targets = select_10_000, insert_100
}
criterion_main!(benches);
