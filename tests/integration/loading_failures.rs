//! Loading relations when the data or the connection lets it down: a
//! dangling foreign key (a legacy database without the constraint, or
//! with it switched off) is a typed error naming the relation, not a
//! panic or a silently missing row; a connection that dies between two
//! levels of a load fails the load as a whole with a retryable error.

use crate::common;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use quarry::engine::Backend;
use quarry::Error;

use crate::schema;
use schema::{articles, authors, Article, Author, NewArticle, NewAuthor};

common::engine_tests! {
    fn a_required_parent_that_is_missing_is_an_error_naming_the_relation(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Notes", id)).unwrap();
        session.flush().unwrap();

        // Point the article at an author that does not exist, with the
        // foreign key switched off as a legacy database might have it.
        let conn = session.connection();
        let (off, on) = match engine.url().backend() {
            Backend::Sqlite => ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = ON"),
            Backend::Postgres => ("ALTER TABLE articles DISABLE TRIGGER ALL", "ALTER TABLE articles ENABLE TRIGGER ALL"),
            Backend::Mysql => ("SET FOREIGN_KEY_CHECKS = 0", "SET FOREIGN_KEY_CHECKS = 1"),
        };
        conn.batch_execute(off).unwrap();
        diesel::update(articles::table).set(articles::author_id.eq(9_999)).execute(conn).unwrap();
        conn.batch_execute(on).unwrap();

        let error = session.load(articles::table, Article::AUTHOR).unwrap_err();
        match &error {
            Error::RelatedRows { relation: "author", expected: "exactly one", found: 0 } => {}
            other => panic!("expected RelatedRows for `author`, got {other:?}"),
        }
        assert!(error.to_string().contains("relation `author` expected exactly one related row per row, found 0"), "{error}");
        let articles: Vec<Article> = session.all(articles::table).unwrap();
        assert!(matches!(session.related(&articles, Article::AUTHOR), Err(Error::RelatedRows { found: 0, .. })));

        // Under criteria the relation may be empty: the same row loads as None.
        let filtered = session.load(articles::table, Article::AUTHOR.filter(authors::name.eq("Ada"))).unwrap();
        assert!(filtered[0].get(Article::AUTHOR).is_none());
        // From the other side, Ada simply has no articles now.
        let authors = session.load(authors::table, Author::ARTICLES).unwrap();
        assert!(authors[0].get(Author::ARTICLES).is_empty());
    }
}

/// Kills its own connection as the second statement starts (the load's
/// second level), through diesel's instrumentation hook.
#[cfg(any(feature = "postgres", feature = "mysql"))]
struct KillSecond<K> {
    started: usize,
    id: i64,
    kill: K,
}

#[cfg(any(feature = "postgres", feature = "mysql"))]
impl<K: Fn(i64) + Send + 'static> diesel::connection::Instrumentation for KillSecond<K> {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::StartQuery { .. } = event {
            self.started += 1;
            if self.started == 2 {
                (self.kill)(self.id);
            }
        }
    }
}

/// A load whose connection is killed by the server after its first
/// statement returns the lost connection's error (retryable), hands back no
/// partial graph. `kill(id)` kills the
/// connection of server id `id` from another connection.
#[cfg(any(feature = "postgres", feature = "mysql"))]
macro_rules! a_connection_lost_between_levels_fails_the_whole_load {
    ($engine:expr, $id:expr, $kill:expr $(,)?) => {{
        use quarry::error::OperationalKind;
        let engine = $engine;
        let id = $id;
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Notes", id)).unwrap();
        session.flush().unwrap();

        let before = id(session.connection()).unwrap();
        session.connection().set_instrumentation(KillSecond { started: 0, id: before, kill: $kill });
        let error = session.load(authors::table, Author::ARTICLES).unwrap_err();
        assert_eq!(error.operational_kind(), Some(OperationalKind::ConnectionLost), "{error}");
        assert!(error.is_retryable(), "{error}");
        // (The pool discarding the dead connection is engine::failures'
        // to test: it relies on the engine's own instrumentation, which
        // this test replaced to time the kill.)
    }};
}

#[cfg(feature = "postgres")]
#[test]
fn postgres_connection_lost_between_levels() {
    use diesel::PgConnection;
    let settings = quarry::Engine::<PgConnection>::builder().pool_size(1).max_overflow(0).pre_ping(false);
    let Some(engine) = common::postgres_engine("loading_failures::postgres_connection_lost", settings) else { return };
    let url = common::url(common::POSTGRES_URL_VAR).unwrap();
    let admin = std::sync::Mutex::new(PgConnection::establish(&url).unwrap());
    a_connection_lost_between_levels_fails_the_whole_load!(engine, common::postgres_backend_id, move |pid| {
        common::kill_postgres_backend(&mut admin.lock().unwrap(), pid)
    });
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_connection_lost_between_levels() {
    use diesel::MysqlConnection;
    let settings = quarry::Engine::<MysqlConnection>::builder().pool_size(1).max_overflow(0).pre_ping(false);
    let Some(engine) = common::mysql_engine("loading_failures::mysql_connection_lost", settings) else { return };
    let url = common::url(common::MYSQL_URL_VAR).unwrap();
    let admin = std::sync::Mutex::new(MysqlConnection::establish(&url).unwrap());
    a_connection_lost_between_levels_fails_the_whole_load!(engine, common::mysql_connection_id, move |id| {
        common::kill_mysql_connection(&mut admin.lock().unwrap(), id)
    });
}
