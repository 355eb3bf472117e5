//! The write path against hand-written diesel doing the same useful work,
//! on SQLite and (built with `postgres`, `QUARRY_TEST_POSTGRES_URL` set)
//! PostgreSQL:
//!
//! - **nested unit of work**: 100 authors × 10 articles × 10 comments
//!   queued with `add` / `add_child` and written by `commit`, against
//!   diesel inserting each table in one statement per bind-limit chunk,
//!   reading back the keys the next table needs (`RETURNING id`) and no
//!   others;
//! - **add_all + commit**: 1,000 rows, no keys asked, against diesel's
//!   multi-row insert;
//! - **add_all + flush**: 1,000 rows with their keys read through the
//!   `Flushed` handle, against diesel's insert `RETURNING id`;
//! - **insert_all**: 1,000 rows, against diesel's multi-row insert.
//!
//! ```text
//! cargo bench -p quarry-tests --bench writes
//! QUARRY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p quarry-tests --features postgres --bench writes
//! ```
//!
//! Each shape runs its two contenders interleaved, call by call, rotating
//! which goes first (the noise of a busy machine falls on both alike), with
//! the tables emptied between calls, untimed; it prints the median time of
//! each, the median of the rounds' ratios, and the statements each ran (the
//! diesel count includes the untimed `DELETE`s).

use std::time::Instant;

use diesel::prelude::*;
use quarry::engine::EngineConnection;
use quarry::{Engine, Session};

mod schema {
    quarry::include_schema!();
}
use schema::{articles, authors, comments, tags, Article, Author, NewArticle, NewAuthor, NewComment, NewTag};

const AUTHORS: usize = 100;
const ARTICLES_PER_AUTHOR: usize = 10;
const COMMENTS_PER_ARTICLE: usize = 10;
const FLAT_ROWS: usize = 1_000;

/// What an expert writes by hand: only the columns that take a value, and
/// no optional field (so that SQLite, which cannot write `DEFAULT` in
/// `VALUES`, takes many rows per statement).
#[derive(Insertable)]
#[diesel(table_name = authors, treat_none_as_default_value = false)]
struct PlainAuthor<'a> {
    name: &'a str,
}

#[derive(Insertable)]
#[diesel(table_name = articles, treat_none_as_default_value = false)]
struct PlainArticle {
    title: String,
    views: i32,
    status: schema::ArticleStatus,
    author_id: i32,
}

#[derive(Insertable)]
#[diesel(table_name = comments, treat_none_as_default_value = false)]
struct PlainComment {
    article_id: i32,
    body: String,
    score: f32,
}

#[derive(Insertable)]
#[diesel(table_name = tags, treat_none_as_default_value = false)]
struct PlainTag {
    name: String,
}

fn author_name(a: usize) -> String {
    format!("author {a:03}")
}

fn article_title(a: usize, p: usize) -> String {
    format!("article {p} by author {a:03}")
}

fn comment_body(p: usize, c: usize) -> String {
    format!("comment {c} on article {p}: a remark of ordinary length")
}

fn tag_names() -> Vec<String> {
    (0..FLAT_ROWS).map(|i| format!("tag {i:05}")).collect()
}

/// Inserts `rows` in chunks of at most `max_binds / columns` rows.
fn chunked<T>(rows: &[T], columns: usize, max_binds: usize, mut insert: impl FnMut(&[T])) {
    for chunk in rows.chunks((max_binds / columns).max(1)) {
        insert(chunk);
    }
}

/// The nested write by hand: keys read back for the tables whose children
/// need them, each table in one statement per bind-limit chunk.
macro_rules! diesel_nested {
    ($conn:ty) => {
        fn diesel_nested(conn: &mut $conn) {
            let max = <$conn as EngineConnection>::MAX_BIND_PARAMETERS;
            conn.transaction::<_, diesel::result::Error, _>(|conn| {
                let names: Vec<String> = (0..AUTHORS).map(author_name).collect();
                let plain: Vec<PlainAuthor> = names.iter().map(|name| PlainAuthor { name }).collect();
                let mut author_ids: Vec<i32> =
                    diesel::insert_into(authors::table).values(&plain).returning(authors::id).get_results(conn)?;
                author_ids.sort();
                let mut articles = Vec::with_capacity(AUTHORS * ARTICLES_PER_AUTHOR);
                for (a, &author_id) in author_ids.iter().enumerate() {
                    for p in 0..ARTICLES_PER_AUTHOR {
                        let title = article_title(a, p);
                        let status = schema::ArticleStatus::Draft;
                        articles.push(PlainArticle { title, views: 0, status, author_id });
                    }
                }
                let mut article_ids: Vec<i32> = Vec::with_capacity(articles.len());
                let mut failed = None;
                chunked(&articles, 4, max, |chunk| {
                    match diesel::insert_into(articles::table).values(chunk).returning(articles::id).get_results(conn) {
                        Ok(ids) => article_ids.extend::<Vec<i32>>(ids),
                        Err(e) => failed = Some(e),
                    }
                });
                if let Some(e) = failed {
                    return Err(e);
                }
                article_ids.sort();
                let mut comments = Vec::with_capacity(article_ids.len() * COMMENTS_PER_ARTICLE);
                for (p, &article_id) in article_ids.iter().enumerate() {
                    for c in 0..COMMENTS_PER_ARTICLE {
                        comments.push(PlainComment { article_id, body: comment_body(p, c), score: c as f32 });
                    }
                }
                chunked(&comments, 3, max, |chunk| {
                    if let Err(e) = diesel::insert_into(comments::table).values(chunk).execute(conn) {
                        failed = Some(e);
                    }
                });
                failed.map_or(Ok(()), Err)
            })
            .unwrap();
        }
    };
}

macro_rules! diesel_contenders {
    ($conn:ty) => {
        diesel_nested!($conn);

        #[allow(dead_code)]
        fn diesel_flat_new(conn: &mut $conn) {
            let rows: Vec<NewTag> = tag_names().into_iter().map(NewTag::new).collect();
            diesel::insert_into(tags::table).values(&rows).execute(conn).unwrap();
        }

        fn diesel_flat(conn: &mut $conn) {
            let rows: Vec<PlainTag> = tag_names().into_iter().map(|name| PlainTag { name }).collect();
            diesel::insert_into(tags::table).values(&rows).execute(conn).unwrap();
        }

        fn diesel_flat_returning(conn: &mut $conn) {
            let rows: Vec<PlainTag> = tag_names().into_iter().map(|name| PlainTag { name }).collect();
            let ids: Vec<i32> =
                diesel::insert_into(tags::table).values(&rows).returning(tags::id).get_results(conn).unwrap();
            assert_eq!(ids.len(), FLAT_ROWS);
        }
    };
}

fn quarry_nested<C: EngineConnection>(session: &mut Session<C>)
where
    NewAuthor: quarry::FlushRows<C>,
    NewArticle: quarry::FlushRows<C>,
    NewComment: quarry::FlushRows<C>,
{
    session.begin().unwrap();
    for a in 0..AUTHORS {
        let author = session.add(NewAuthor::new(author_name(a)));
        for p in 0..ARTICLES_PER_AUTHOR {
            let title = article_title(a, p);
            let article = session.add_child(author, Author::ARTICLES, move |id| NewArticle::new(title, id)).unwrap();
            for c in 0..COMMENTS_PER_ARTICLE {
                let body = comment_body(p, c);
                session.add_child(article, Article::COMMENTS, move |id| NewComment::new(id, body, c as f32)).unwrap();
            }
        }
    }
    session.commit().unwrap();
}

fn quarry_flat<C: EngineConnection>(session: &mut Session<C>)
where
    NewTag: quarry::FlushRows<C>,
{
    session.begin().unwrap();
    session.add_all(tag_names().into_iter().map(NewTag::new));
    session.commit().unwrap();
}

fn quarry_flat_keys<C: EngineConnection>(session: &mut Session<C>)
where
    NewTag: quarry::FlushRows<C>,
{
    let pending = session.add_all(tag_names().into_iter().map(NewTag::new));
    let flushed = session.flush().unwrap();
    assert!(pending.iter().all(|p| flushed.key(*p).is_some()));
}

fn quarry_insert_all<C: EngineConnection>(session: &mut Session<C>)
where
    NewTag: quarry::FlushRows<C>,
{
    let rows: Vec<NewTag> = tag_names().into_iter().map(NewTag::new).collect();
    assert_eq!(session.insert_all(tags::table, &rows).unwrap(), FLAT_ROWS);
}

fn median(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

/// Runs `diesel` and `quarry` interleaved `rounds` times each, emptying the
/// tables between calls, and prints their medians and ratio.
fn compare<C: EngineConnection>(
    label: &str,
    engine: &Engine<C>,
    rounds: usize,
    diesel: fn(&mut C),
    quarry: fn(&mut Session<C>),
) {
    let mut session = engine.session().unwrap();
    let empty = |session: &mut Session<C>| {
        // PostgreSQL: TRUNCATE, as DELETE leaves dead rows that each later
        // DELETE of articles scans for comments (the foreign key's check)
        // until autovacuum runs: a second nested write would crawl.
        let sql = if C::BACKEND == quarry::engine::Backend::Postgres {
            "TRUNCATE comments, article_tags, articles, authors, tags"
        } else {
            "DELETE FROM comments; DELETE FROM article_tags; DELETE FROM articles; DELETE FROM authors; DELETE FROM tags;"
        };
        diesel::connection::SimpleConnection::batch_execute(session.connection(), sql).unwrap();
        // SQLite copies its write-ahead log into the database when a commit
        // takes it past 1,000 pages; the DELETEs would make that land on
        // whichever timed call comes next. Checkpoint here, untimed, so that
        // each call starts from an empty log.
        if C::BACKEND == quarry::engine::Backend::Sqlite {
            diesel::connection::SimpleConnection::batch_execute(
                session.connection(),
                "PRAGMA wal_checkpoint(TRUNCATE)",
            )
            .unwrap();
        }
    };
    empty(&mut session);
    let (mut diesel_times, mut quarry_times) = (Vec::new(), Vec::new());
    for round in 0..rounds + 2 {
        for turn in 0..2 {
            let start = Instant::now();
            if (round + turn) % 2 == 0 {
                diesel(session.connection());
                diesel_times.push(start.elapsed().as_secs_f64());
            } else {
                quarry(&mut session);
                quarry_times.push(start.elapsed().as_secs_f64());
            }
            empty(&mut session);
        }
    }
    // The first round of each warms the statement caches.
    diesel_times.drain(..2);
    quarry_times.drain(..2);
    engine.record_statements(true);
    quarry(&mut session);
    let statements = engine.take_statements();
    empty(&mut session);
    diesel(session.connection());
    let diesel_statements = engine.take_statements();
    engine.record_statements(false);
    empty(&mut session);
    if std::env::var("SHOW").is_ok() {
        for s in statements.iter().chain(&diesel_statements) {
            println!("  {}", &s[..s.len().min(120)]);
        }
    }
    // The ratio is the median of each round's own ratio: a burst of load
    // falls on both calls of a round, so it cancels there.
    let ratio = median(quarry_times.iter().zip(&diesel_times).map(|(q, d)| q / d).collect());
    let (d, q) = (median(diesel_times), median(quarry_times));
    println!(
        "{:<10} {label:<26} diesel {:>9.3} ms   quarry {:>9.3} ms   ratio {:.3}   (statements: diesel {}, quarry {})",
        C::BACKEND.to_string(),
        d * 1e3,
        q * 1e3,
        ratio,
        diesel_statements.len(),
        statements.len()
    );
}

fn rounds() -> usize {
    std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(30)
}

mod sqlite {
    use super::*;
    use diesel::SqliteConnection;

    diesel_contenders!(SqliteConnection);

    pub fn run() {
        let path = std::env::temp_dir().join(format!("quarry_bench_writes_{}.db", std::process::id()));
        let engine = Engine::<SqliteConnection>::connect(&format!("sqlite:///{}", path.display())).unwrap();
        schema::create_all(engine.session().unwrap().connection()).unwrap();
        let rounds = rounds();
        if let Ok(only) = std::env::var("ONLY") {
            // One contender alone, for a profiler: `ONLY=diesel` or `ONLY=quarry`.
            let mut session = engine.session().unwrap();
            for _ in 0..rounds {
                match only.as_str() {
                    "diesel" => diesel_nested(session.connection()),
                    _ => quarry_nested(&mut session),
                }
            }
            return;
        }
        compare("nested unit of work", &engine, rounds, diesel_nested, quarry_nested);
        compare("add_all + commit", &engine, rounds, diesel_flat, quarry_flat);
        compare("add_all + flush (keys)", &engine, rounds, diesel_flat_returning, quarry_flat_keys);
        compare("insert_all", &engine, rounds, diesel_flat, quarry_insert_all);
        drop(engine);
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;
    use diesel::PgConnection;

    diesel_contenders!(PgConnection);

    pub fn run() {
        let Ok(url) = std::env::var("QUARRY_TEST_POSTGRES_URL") else {
            println!("PostgreSQL: QUARRY_TEST_POSTGRES_URL is not set, skipped");
            return;
        };
        let engine = Engine::<PgConnection>::connect(&url).unwrap();
        let mut session = engine.session().unwrap();
        schema::drop_all(session.connection()).unwrap();
        schema::create_all(session.connection()).unwrap();
        drop(session);
        let rounds = rounds();
        compare("nested unit of work", &engine, rounds, diesel_nested, quarry_nested);
        compare("add_all + commit", &engine, rounds, diesel_flat, quarry_flat);
        compare("add_all + flush (keys)", &engine, rounds, diesel_flat_returning, quarry_flat_keys);
        compare("insert_all", &engine, rounds, diesel_flat, quarry_insert_all);
        compare("diesel NewTag", &engine, rounds, diesel_flat, |s| diesel_flat_new(s.connection()));
        schema::drop_all(engine.session().unwrap().connection()).unwrap();
    }
}

fn main() {
    // `cargo test --benches` runs this with `--bench` absent: do nothing then.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    sqlite::run();
    #[cfg(feature = "postgres")]
    postgres::run();
}
