//! Loading associations, in the shape of diesel's own guide: 100 authors
//! × 10 articles × 10 comments (10,000 comments), loaded as authors →
//! articles → comments, on SQLite and on PostgreSQL, by
//!
//! - hand-written diesel, as diesel's guide writes it: three loads
//!   (`belonging_to` for each level), `grouped_by` twice, zipped into
//!   `Vec<(Author, Vec<(Article, Vec<Comment>)>)>`;
//! - quarry's `Session::load(query, Author::ARTICLES.with(Article::COMMENTS))`
//!   (SQLAlchemy's selectinload: one `SELECT ... IN` per level);
//! - hand-written diesel with a join: `authors LEFT JOIN articles` in one
//!   statement, grouped by hand, then `belonging_to` for the comments;
//! - quarry's joined strategy for the same shape,
//!   `Author::ARTICLES.joined().with(Article::COMMENTS)` (SQLAlchemy's
//!   `joinedload(...).selectinload(...)`): two statements.
//!
//! Each pair runs the same statements, in the same order (articles by
//! `published DESC`, comments by `id`: the relations' declared order), on
//! the same connection, and all four build the same graph (checked before
//! timing). A fully joined load (comments joined too) is not offered:
//! quarry's joined strategy nests selectin relations only.
//!
//! ```text
//! cargo bench --bench loading                             # SQLite only
//! QUARRY_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!     cargo bench -p quarry-tests --features postgres --bench loading
//! ```
//!
//! PostgreSQL runs when quarry-tests is built with `postgres` and
//! `QUARRY_TEST_POSTGRES_URL` is set; the data goes into a database of its
//! own, `quarry_bench_loading`, created (and dropped again) next to the
//! URL's. Otherwise its group is skipped with a note.
//!
//! Issue 9's bar is quarry ÷ diesel ≤ 1.05. After criterion's groups, the
//! bench times the four again, interleaved call by call on the same
//! connection (so that the noise of a busy machine falls on all alike),
//! and prints per backend the median and mean time of one load, each
//! quarry strategy's ratios to its diesel counterpart (and the median of
//! each round's ratio), and the statements each ran.

use std::time::{Duration, Instant};

use criterion::{black_box, Criterion, SamplingMode};
use diesel::associations::BelongsTo;
use diesel::prelude::*;
use quarry::{Engine, Session};

mod schema {
    quarry::include_schema!();
}
use schema::{articles, authors, comments, Article, ArticleStatus, Author, Comment, NewArticle, NewAuthor, NewComment};

const AUTHORS: usize = 100;
const ARTICLES_PER_AUTHOR: usize = 10;
const COMMENTS_PER_ARTICLE: usize = 10;
/// Interleaved pairs of loads (one each side) timed after criterion.
const ROUNDS: usize = 200;

/// What diesel's guide builds, and what quarry's result is checked against.
type Graph = Vec<(Author, Vec<(Article, Vec<Comment>)>)>;

// quarry's models derive `Identifiable` but not `Associations`. These are
// the impls `#[derive(Associations)]` with `#[diesel(belongs_to(Author))]`
// (and `belongs_to(Article)`) generates, with its generic foreign key type
// written out: diesel's `belonging_to` and `grouped_by` need nothing else.
impl BelongsTo<Author> for Article {
    type ForeignKey = i32;
    type ForeignKeyColumn = articles::author_id;

    fn foreign_key(&self) -> Option<&i32> {
        Some(&self.author_id)
    }

    fn foreign_key_column() -> articles::author_id {
        articles::author_id
    }
}

impl BelongsTo<Article> for Comment {
    type ForeignKey = i32;
    type ForeignKeyColumn = comments::article_id;

    fn foreign_key(&self) -> Option<&i32> {
        Some(&self.article_id)
    }

    fn foreign_key_column() -> comments::article_id {
        comments::article_id
    }
}

/// The rows: ids given, every column set (so SQLite inserts many rows per
/// statement); each author's articles are published on distinct days, in
/// an order other than their ids'.
fn rows() -> (Vec<NewAuthor>, Vec<NewArticle>, Vec<NewComment>) {
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let posted = day.and_hms_opt(12, 0, 0).unwrap();
    let mut authors = Vec::new();
    let mut articles = Vec::new();
    let mut comments = Vec::new();
    for a in 0..AUTHORS {
        let author_id = a as i32 + 1;
        authors.push(NewAuthor { id: Some(author_id), name: format!("author {a:03}") });
        for p in 0..ARTICLES_PER_AUTHOR {
            let article_id = (a * ARTICLES_PER_AUTHOR + p) as i32 + 1;
            let mut article = NewArticle::new(format!("article {article_id} by author {a:03}"), author_id);
            article.id = Some(article_id);
            article.views = article_id * 7 % 1000;
            article.published = Some(day + chrono::Days::new((a * 20 + p * 7 % ARTICLES_PER_AUTHOR) as u64));
            article.status = ArticleStatus::Published;
            articles.push(article);
            for k in 0..COMMENTS_PER_ARTICLE {
                let id = (article_id as usize - 1) * COMMENTS_PER_ARTICLE + k + 1;
                let mut comment = NewComment::new(
                    article_id,
                    format!("comment {k} on article {article_id}: a remark of ordinary length"),
                    k as f32 / 2.0,
                );
                comment.id = Some(id as i64);
                comment.posted_at = Some((posted + chrono::Duration::minutes(id as i64)).into());
                comments.push(comment);
            }
        }
    }
    (authors, articles, comments)
}

/// Times the contenders on `state` call by call, rotating which goes
/// first; returns the seconds of each call (dropping its result included,
/// as in criterion's `iter`), per contender.
fn interleaved<S>(state: &mut S, contenders: &[&dyn Fn(&mut S)]) -> Vec<Vec<f64>> {
    let mut times: Vec<Vec<f64>> = contenders.iter().map(|_| Vec::with_capacity(ROUNDS)).collect();
    for round in 0..ROUNDS {
        for k in 0..contenders.len() {
            let which = (round + k) % contenders.len();
            let start = Instant::now();
            contenders[which](state);
            times[which].push(start.elapsed().as_secs_f64());
        }
    }
    times
}

/// One way of loading the graph, as measured.
struct Contender {
    name: &'static str,
    seconds: Vec<f64>,
    statements: u64,
}

/// What one backend measured: diesel's guide, quarry's selectin load,
/// diesel with a join, quarry's joined load (in that order).
struct Summary {
    backend: &'static str,
    contenders: Vec<Contender>,
}

fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    }
}

fn mean(samples: &[f64]) -> f64 {
    samples.iter().sum::<f64>() / samples.len() as f64
}

impl Summary {
    fn print(&self) {
        let ms = |s: f64| format!("{:8.3} ms", s * 1e3);
        println!("{} ({} interleaved loads each):", self.backend, self.contenders[0].seconds.len());
        for c in &self.contenders {
            println!(
                "  {:<52} median {}  mean {}  statements {}",
                c.name,
                ms(median(&c.seconds)),
                ms(mean(&c.seconds)),
                c.statements
            );
        }
        // Each quarry strategy against its diesel counterpart; each round's
        // loads ran back to back: the median of their ratios is the least
        // sensitive to a busy machine.
        for (d, q) in [(0, 1), (2, 3), (0, 3)] {
            let (d, q) = (&self.contenders[d], &self.contenders[q]);
            let ratio = median(&q.seconds) / median(&d.seconds);
            let paired: Vec<f64> = q.seconds.iter().zip(&d.seconds).map(|(q, d)| q / d).collect();
            println!(
                "  {} ÷ {}: {ratio:.3} (medians), {:.3} (means), {:.3} (median of the rounds' ratios){}",
                q.name,
                d.name,
                mean(&q.seconds) / mean(&d.seconds),
                median(&paired),
                if q.name.contains("selectin") {
                    if ratio <= 1.05 {
                        "; issue 9's bar ≤ 1.05: met"
                    } else {
                        "; issue 9's bar ≤ 1.05: NOT met"
                    }
                } else {
                    ""
                }
            );
        }
    }
}

/// Whether criterion is measuring (`cargo bench`), not running each
/// benchmark once as a test (`cargo test --benches`) or listing them.
fn benchmarking() -> bool {
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| args.iter().any(|a| a == flag);
    has("--bench") && !has("--test") && !has("--list") && !args.iter().any(|a| a.starts_with("--profile-time"))
}

/// quarry's load of the same graph, on `$session`.
macro_rules! quarry_load {
    ($session:expr) => {
        $session.load(authors::table.order(authors::id), Author::ARTICLES.with(Article::COMMENTS))
    };
}

/// quarry's joined load of the same graph: articles joined, comments by selectin.
macro_rules! quarry_joined {
    ($session:expr) => {
        $session.load(authors::table.order(authors::id), Author::ARTICLES.joined().with(Article::COMMENTS))
    };
}

/// quarry's loaded authors as diesel's guide's graph.
macro_rules! graph {
    ($loaded:expr) => {
        $loaded
            .iter()
            .map(|author| {
                let articles = author
                    .get(Author::ARTICLES)
                    .iter()
                    .map(|article| {
                        let comments = article.get(Article::COMMENTS).iter().map(|c| c.row().clone()).collect();
                        (article.row().clone(), comments)
                    })
                    .collect();
                (author.row().clone(), articles)
            })
            .collect::<Graph>()
    };
}

/// The names of the four contenders, in `Summary` order.
const NAMES: [&str; 4] = [
    "diesel (belonging_to + grouped_by)",
    "quarry Session::load (selectin)",
    "diesel (left_join + grouping, belonging_to)",
    "quarry Session::load (articles joined)",
];

/// The seeding, the check, the criterion group and the interleaved timing,
/// for one connection type (diesel's loads are typed by connection).
macro_rules! backend {
    ($backend:literal, $conn:ty) => {
        use super::*;

        /// diesel's guide, verbatim but for the declared order.
        pub fn by_hand(conn: &mut $conn) -> QueryResult<Graph> {
            let authors = authors::table.order(authors::id).load::<Author>(conn)?;
            let articles = Article::belonging_to(&authors).order(articles::published.desc()).load::<Article>(conn)?;
            let comments = Comment::belonging_to(&articles).order(comments::id).load::<Comment>(conn)?;
            let comments = comments.grouped_by(&articles);
            let articles = articles.into_iter().zip(comments).grouped_by(&authors);
            Ok(authors.into_iter().zip(articles).collect())
        }

        /// diesel with a join, as one would write it by hand: authors and
        /// their articles in one `LEFT JOIN` (ordered so that each author's
        /// rows are together), grouped in one pass, then the comments by
        /// `belonging_to` and `grouped_by`.
        pub fn by_hand_joined(conn: &mut $conn) -> QueryResult<Graph> {
            let rows: Vec<(Author, Option<Article>)> = authors::table
                .left_join(articles::table)
                .select((authors::all_columns, articles::all_columns.nullable()))
                .order((authors::id, articles::published.desc()))
                .load(conn)?;
            let mut authors: Vec<(Author, usize)> = Vec::new();
            let mut articles: Vec<Article> = Vec::new();
            for (author, article) in rows {
                if authors.last().map(|(a, _)| a.id) != Some(author.id) {
                    authors.push((author, 0));
                }
                if let Some(article) = article {
                    authors.last_mut().expect("an author").1 += 1;
                    articles.push(article);
                }
            }
            let comments = Comment::belonging_to(&articles).order(comments::id).load::<Comment>(conn)?;
            let mut comments = comments.grouped_by(&articles).into_iter();
            let mut articles = articles.into_iter();
            Ok(authors
                .into_iter()
                .map(|(author, n)| (author, articles.by_ref().take(n).zip(comments.by_ref()).collect()))
                .collect())
        }

        fn seed(session: &mut Session<$conn>) {
            let (authors, articles, comments) = rows();
            session
                .transaction(|s| {
                    s.insert_all(authors::table, &authors)?;
                    s.insert_all(articles::table, &articles)?;
                    s.insert_all(comments::table, &comments)
                })
                .expect("seed the bench data");
            diesel::sql_query("ANALYZE").execute(session.connection()).expect("ANALYZE");
        }

        pub fn run(c: &mut Criterion, engine: &Engine<$conn>) -> Summary {
            let mut session = engine.session().expect("a session");
            schema::create_all(session.connection()).expect("create the tables");
            seed(&mut session);

            // All four build the same graph; count the statements of each.
            let before = engine.statement_count();
            let expected = by_hand(session.connection()).expect("diesel's load");
            let diesel_statements = engine.statement_count() - before;
            let before = engine.statement_count();
            let loaded = quarry_load!(session).expect("quarry's load");
            let quarry_statements = engine.statement_count() - before;
            let got: Graph = graph!(loaded);
            assert_eq!(got.len(), AUTHORS);
            assert_eq!(got.iter().map(|(_, a)| a.len()).sum::<usize>(), AUTHORS * ARTICLES_PER_AUTHOR);
            let comments: usize = got.iter().flat_map(|(_, a)| a).map(|(_, c)| c.len()).sum();
            assert_eq!(comments, AUTHORS * ARTICLES_PER_AUTHOR * COMMENTS_PER_ARTICLE);
            assert!(got == expected, "quarry and diesel loaded different graphs");
            let before = engine.statement_count();
            let joined_by_hand = by_hand_joined(session.connection()).expect("diesel's joined load");
            let diesel_joined_statements = engine.statement_count() - before;
            assert!(joined_by_hand == expected, "diesel's two loads differ");
            let before = engine.statement_count();
            let joined = quarry_joined!(session).expect("quarry's joined load");
            let quarry_joined_statements = engine.statement_count() - before;
            assert!(graph!(joined) == expected, "quarry's joined load differs from diesel's");
            drop((got, expected, loaded, joined_by_hand, joined));

            let mut group = c.benchmark_group(concat!("load 100 authors x 10 articles x 10 comments (", $backend, ")"));
            group.sampling_mode(SamplingMode::Flat);
            group.bench_function(NAMES[0], |b| b.iter(|| by_hand(session.connection()).unwrap()));
            group.bench_function(NAMES[1], |b| b.iter(|| quarry_load!(session).unwrap()));
            group.bench_function(NAMES[2], |b| b.iter(|| by_hand_joined(session.connection()).unwrap()));
            group.bench_function(NAMES[3], |b| b.iter(|| quarry_joined!(session).unwrap()));
            group.finish();

            let seconds = if benchmarking() {
                interleaved(
                    &mut session,
                    &[
                        &|session: &mut Session<$conn>| {
                            black_box(by_hand(session.connection()).unwrap());
                        },
                        &|session: &mut Session<$conn>| {
                            black_box(quarry_load!(session).unwrap());
                        },
                        &|session: &mut Session<$conn>| {
                            black_box(by_hand_joined(session.connection()).unwrap());
                        },
                        &|session: &mut Session<$conn>| {
                            black_box(quarry_joined!(session).unwrap());
                        },
                    ],
                )
            } else {
                vec![Vec::new(); NAMES.len()]
            };
            let statements = [diesel_statements, quarry_statements, diesel_joined_statements, quarry_joined_statements];
            let contenders = NAMES
                .iter()
                .zip(seconds)
                .zip(statements)
                .map(|((&name, seconds), statements)| Contender { name, seconds, statements })
                .collect();
            Summary { backend: $backend, contenders }
        }
    };
}

#[cfg(feature = "sqlite")]
mod sqlite {
    backend!("SQLite", diesel::SqliteConnection);

    /// An in-memory database: what is measured is the load, not the disk.
    pub fn engine() -> Engine<diesel::SqliteConnection> {
        Engine::connect("sqlite:///:memory:").expect("open in-memory SQLite")
    }
}

#[cfg(feature = "postgres")]
mod postgres {
    backend!("PostgreSQL", diesel::PgConnection);

    /// The database the bench creates for its data.
    const PG_DATABASE: &str = "quarry_bench_loading";

    /// `url` with its database replaced by `database`.
    fn with_database(url: &str, database: &str) -> String {
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, Some(query)),
            None => (url, None),
        };
        let start = base.find("://").map_or(0, |i| i + 3);
        let host_end = base[start..].find('/').map_or(base.len(), |i| start + i);
        let mut out = format!("{}/{database}", &base[..host_end]);
        if let Some(query) = query {
            out.push('?');
            out.push_str(query);
        }
        out
    }

    /// A fresh database of the bench's own on the server at `url`, and an
    /// engine on it.
    pub fn engine(url: &str) -> Engine<diesel::PgConnection> {
        let mut admin = diesel::PgConnection::establish(url)
            .unwrap_or_else(|e| panic!("QUARRY_TEST_POSTGRES_URL={url} is set but cannot be reached: {e}"));
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {PG_DATABASE}")).execute(&mut admin).expect("drop");
        diesel::sql_query(format!("CREATE DATABASE {PG_DATABASE}")).execute(&mut admin).expect("create");
        Engine::builder()
            .pool_size(1)
            .build(&with_database(url, PG_DATABASE))
            .unwrap_or_else(|e| panic!("cannot connect to {PG_DATABASE}: {e}"))
    }

    /// Drops the bench's database once its engine is gone.
    pub fn drop_database(url: &str) {
        let dropped = diesel::PgConnection::establish(url).map_err(|e| e.to_string()).and_then(|mut admin| {
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {PG_DATABASE}"))
                .execute(&mut admin)
                .map_err(|e| e.to_string())
        });
        if let Err(error) = dropped {
            eprintln!("note: could not drop the bench database {PG_DATABASE}: {error}");
        }
    }
}

/// SQLite's group, or why it did not run.
fn sqlite_group(criterion: &mut Criterion) -> Result<Summary, String> {
    #[cfg(feature = "sqlite")]
    return Ok(sqlite::run(criterion, &sqlite::engine()));
    #[cfg(not(feature = "sqlite"))]
    {
        let _ = criterion;
        Err("SQLite: skipped, built without the `sqlite` feature".into())
    }
}

/// PostgreSQL's group, or why it did not run.
fn postgres_group(criterion: &mut Criterion) -> Result<Summary, String> {
    let url = std::env::var("QUARRY_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty());
    #[cfg(feature = "postgres")]
    {
        let url = url.ok_or("PostgreSQL: skipped, QUARRY_TEST_POSTGRES_URL is not set")?;
        let engine = postgres::engine(&url);
        let summary = postgres::run(criterion, &engine);
        drop(engine);
        postgres::drop_database(&url);
        Ok(summary)
    }
    #[cfg(not(feature = "postgres"))]
    {
        let _ = criterion;
        Err(format!(
            "PostgreSQL: skipped, built without the `postgres` feature{}: \
             run `cargo bench -p quarry-tests --features postgres --bench loading`",
            if url.is_some() { " (QUARRY_TEST_POSTGRES_URL is set)" } else { "" }
        ))
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    let groups = [sqlite_group(&mut criterion), postgres_group(&mut criterion)];
    criterion.final_summary();

    println!();
    if benchmarking() {
        println!(
            "Loading {AUTHORS} authors x {ARTICLES_PER_AUTHOR} articles x {COMMENTS_PER_ARTICLE} comments \
             (authors -> articles -> comments), one load per sample:"
        );
    }
    for group in &groups {
        match group {
            Ok(summary) if benchmarking() => summary.print(),
            Ok(_) => {}
            Err(note) => println!("{note}"),
        }
    }
}
