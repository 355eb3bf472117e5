//! The unit of work on every backend: a new parent with new children and
//! many-to-many links is written parents first, with one INSERT per table,
//! keys handed down, trees level by level; a flush that fails writes
//! nothing.

use crate::common;

use diesel::prelude::*;
use quarry::RowRef;

use crate::schema;
use schema::{
    article_tags, articles, authors, categories, comments, tags, Article, Author, Category, NewArticle, NewAuthor,
    NewCategory, NewComment, NewTag,
};

/// The INSERT statements of `statements`, by table.
fn inserts_by_table(statements: &[String]) -> std::collections::BTreeMap<String, usize> {
    let mut counts = std::collections::BTreeMap::new();
    for statement in statements.iter().filter(|s| s.starts_with("INSERT INTO")) {
        let table = statement["INSERT INTO ".len()..].split_whitespace().next().unwrap();
        *counts.entry(table.trim_matches(|c| c == '"' || c == '`').to_owned()).or_insert(0) += 1;
    }
    counts
}

common::engine_tests! {
    fn commit_reads_back_only_the_keys_other_rows_need(engine) {
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        for a in 0..3 {
            let article = session.add_child(ada, Author::ARTICLES, move |id| NewArticle::new(format!("a{a}"), id)).unwrap();
            for c in 0..2 {
                session.add_child(article, Article::COMMENTS, move |id| NewComment::new(id, format!("c{a}.{c}"), 1.0)).unwrap();
            }
        }
        engine.record_statements(true);
        session.commit().unwrap();
        let statements = engine.take_statements();
        engine.record_statements(false);
        assert_eq!(inserts_by_table(&statements), [("articles".into(), 1), ("authors".into(), 1), ("comments".into(), 1)].into());
        // Authors' and articles' keys are read back for their children;
        // nobody can ask for the comments' keys after a commit.
        let reads_keys = |table: &str| {
            let at = statements.iter().position(|s| s.starts_with("INSERT") && s.contains(table)).unwrap();
            statements[at].contains("RETURNING") || statements.get(at + 1).is_some_and(|s| s.to_lowercase().contains("last_insert_id"))
        };
        assert_eq!(
            (reads_keys("authors"), reads_keys("articles"), reads_keys("comments")),
            (true, true, false),
            "{backend}: {statements:#?}"
        );
        assert!(statements.iter().all(|s| !s.starts_with("SAVEPOINT")), "commit's flush needs no savepoint: {statements:#?}");
        let comments: Vec<(String, String)> = session
            .all(comments::table.inner_join(articles::table).select((articles::title, comments::body)).order(comments::body))
            .unwrap();
        assert_eq!(comments.len(), 6);
        assert!(comments.iter().all(|(title, body)| body[1..2] == title[1..2]), "{comments:?}");

        // An explicit flush hands back every key.
        let tags: Vec<_> = session.add_all((0..3).map(|i| NewTag::new(format!("t{i}"))));
        let flushed = session.flush().unwrap();
        let mut ids: Vec<i32> = tags.iter().map(|t| *flushed.key(*t).unwrap()).collect();
        ids.sort();
        let stored: Vec<i32> = session.all(tags::table.select(tags::id).order(tags::id)).unwrap();
        assert_eq!(ids, stored);
    }

    fn a_nested_graph_is_written_with_one_insert_per_table(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();

        let ada = session.add(NewAuthor::new("Ada"));
        let mut articles_of_ada = Vec::new();
        for a in 0..10 {
            let article = session.add_child(ada, Author::ARTICLES, move |id| NewArticle::new(format!("Article {a}"), id)).unwrap();
            for t in 0..3 {
                let tag = session.add(NewTag::new(format!("tag {a}.{t}")));
                session.link(article, Article::TAGS, tag).unwrap();
            }
            articles_of_ada.push(article);
        }

        engine.record_statements(true);
        let flushed = session.flush().unwrap();
        engine.record_statements(false);
        let inserts = inserts_by_table(&engine.take_statements());
        let expected: std::collections::BTreeMap<String, usize> =
            [("article_tags", 1), ("articles", 1), ("authors", 1), ("tags", 1)].map(|(t, n)| (t.to_owned(), n)).into();
        assert_eq!(inserts, expected, "one INSERT per table");

        // Every foreign key points where the graph said.
        let ada_id = *flushed.key(ada).unwrap();
        let authors_of_articles: Vec<i32> = session.all(articles::table.select(articles::author_id)).unwrap();
        assert_eq!(authors_of_articles, vec![ada_id; 10]);
        for (a, article) in articles_of_ada.iter().enumerate() {
            let id = *flushed.key(*article).unwrap();
            let title: String = session.one(articles::table.find(id).select(articles::title)).unwrap();
            assert_eq!(title, format!("Article {a}"));
            let names: Vec<String> = session
                .all(tags::table.inner_join(article_tags::table).filter(article_tags::article_id.eq(id)).select(tags::name).order(tags::name))
                .unwrap();
            assert_eq!(names, (0..3).map(|t| format!("tag {a}.{t}")).collect::<Vec<_>>());
        }
    }

    fn children_of_existing_rows_and_belongs_to(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.execute(diesel::insert_into(authors::table).values(NewAuthor::new("Existing"))).unwrap();
        let existing: i32 = session.one(authors::table.select(authors::id)).unwrap();
        // has_many from a row already in the database, belongs_to to a queued one.
        session.add_child(RowRef::existing(existing), Author::ARTICLES, |id| NewArticle::new("Old author", id)).unwrap();
        let newcomer = session.add(NewAuthor::new("Newcomer"));
        session.add_with_parent(NewArticle::new("New author", 0), Article::AUTHOR, newcomer).unwrap();
        session.flush().unwrap();
        let pairs: Vec<(String, String)> = session
            .all(articles::table.inner_join(authors::table).select((articles::title, authors::name)).order(articles::title))
            .unwrap();
        assert_eq!(pairs, [("New author".to_owned(), "Newcomer".to_owned()), ("Old author".to_owned(), "Existing".to_owned())]);
    }

    fn a_tree_is_written_level_by_level(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let root = session.add(NewCategory::new("root"));
        let a = session.add_child(root, Category::CHILDREN, |_| NewCategory::new("a")).unwrap();
        let b = session.add_child(root, Category::CHILDREN, |_| NewCategory::new("b")).unwrap();
        session.add_child(a, Category::CHILDREN, |_| NewCategory::new("a1")).unwrap();
        session.add_child(b, Category::CHILDREN, |_| NewCategory::new("b1")).unwrap();
        engine.record_statements(true);
        session.flush().unwrap();
        engine.record_statements(false);
        assert_eq!(inserts_by_table(&engine.take_statements())["categories"], 3, "one INSERT per level");
        let parent = diesel::alias!(categories as parent);
        let rows: Vec<(String, Option<String>)> = session
            .all(
                categories::table
                    .left_join(parent.on(categories::parent_id.eq(parent.field(categories::id).nullable())))
                    .select((categories::name, parent.field(categories::name).nullable()))
                    .order(categories::name),
            )
            .unwrap();
        let expected = [("a", Some("root")), ("a1", Some("a")), ("b", Some("root")), ("b1", Some("b")), ("root", None)];
        assert_eq!(rows, expected.map(|(n, p)| (n.to_owned(), p.map(str::to_owned))));
    }

    fn a_failed_flush_writes_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Fine", id)).unwrap();
        session.add(NewTag::new("twice"));
        session.add(NewTag::new("twice"));
        let error = session.flush().unwrap_err();
        assert!(error.integrity().is_some(), "{error}");
        let counts: (i64, i64, i64) = (
            session.one(authors::table.count()).unwrap(),
            session.one(articles::table.count()).unwrap(),
            session.one(tags::table.count()).unwrap(),
        );
        assert_eq!(counts, (0, 0, 0));
        // The failed rows are gone; the session works on.
        session.add(NewTag::new("once"));
        session.flush().unwrap();
        assert_eq!(session.one(tags::table.count()).unwrap_or(0i64), 1);
    }

    fn a_child_waiting_for_its_parent_is_checked_before_anything_is_written(engine) {
        // Children queued with `add_child` are built in one pass at flush
        // time; a value the backend would not store as given (NaN: SQLite
        // would keep NULL, MariaDB refuses it) still stops the flush first.
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        let article = session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Notes", id)).unwrap();
        for score in [1.0, f32::NAN, 2.0] {
            session.add_child(article, Article::COMMENTS, move |id| NewComment::new(id, "c", score)).unwrap();
        }
        let counts = |session: &mut quarry::Session<_>| -> (i64, i64, i64) {
            (
                session.one(authors::table.count()).unwrap(),
                session.one(articles::table.count()).unwrap(),
                session.one(comments::table.count()).unwrap(),
            )
        };
        match session.flush() {
            Err(error) => {
                // SQLite: refused by quarry, naming the value; MariaDB: by the server.
                assert!(backend != quarry::engine::Backend::Postgres, "{backend}: {error}");
                if backend == quarry::engine::Backend::Sqlite {
                    assert!(error.to_string().contains("NaN"), "{error}");
                }
                assert_eq!(counts(&mut session), (0, 0, 0), "{backend}");
            }
            Ok(_) => {
                assert_eq!(backend, quarry::engine::Backend::Postgres, "{backend} stored NaN");
                let scores: Vec<f32> = session.all(comments::table.select(comments::score)).unwrap();
                assert_eq!((counts(&mut session), scores.iter().filter(|s| s.is_nan()).count()), ((1, 1, 3), 1));
            }
        }
    }

    fn a_bucket_of_ready_and_waiting_rows_keeps_each_row_its_parent(engine) {
        // Comments of an existing article (ready at once) queued between
        // comments waiting for a new article's key, and comments made by
        // a second kind of closure: each row is built from its own parent.
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        let old = session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("old", id)).unwrap();
        let flushed = session.flush().unwrap();
        let (ada_id, old_id) = (*flushed.key(ada).unwrap(), *flushed.key(old).unwrap());
        let new = session.add_with_parent(NewArticle::new("new", 0), Article::AUTHOR, RowRef::existing(ada_id)).unwrap();
        for i in 0..6 {
            match i % 3 {
                0 => session.add_child(new, Article::COMMENTS, move |id| NewComment::new(id, format!("new {i}"), 0.0)),
                1 => session.add_child(RowRef::existing(old_id), Article::COMMENTS, move |id| {
                    NewComment::new(id, format!("old {i}"), 0.0)
                }),
                _ => session.add_child(new, Article::COMMENTS, move |article_id| NewComment {
                    article_id,
                    ..NewComment::new(0, format!("new {i}"), 0.0)
                }),
            }
            .unwrap();
        }
        session.flush().unwrap();
        let rows: Vec<(String, String)> = session
            .all(comments::table.inner_join(articles::table).select((comments::body, articles::title)).order(comments::body))
            .unwrap();
        let expected = ["new 0", "new 2", "new 3", "new 5", "old 1", "old 4"].map(|b| (b.to_owned(), b[..3].to_owned()));
        assert_eq!(rows, expected);
    }

    fn add_all_hands_back_each_row_its_key_and_no_rows_queue_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        // No rows: nothing queued, and a flush of one row stays one
        // statement, with no transaction or savepoint around it.
        assert!(session.add_all(Vec::<NewTag>::new()).is_empty());
        session.add(NewAuthor::new("Ada"));
        engine.record_statements(true);
        session.flush().unwrap();
        let statements = engine.take_statements();
        engine.record_statements(false);
        assert!(
            statements.iter().all(|s| !s.starts_with("BEGIN") && !s.starts_with("SAVEPOINT")),
            "{statements:#?}"
        );
        // An iterator whose length is not known beforehand.
        let tags = session.add_all((0..10).filter(|i| i % 3 == 0).map(|i| NewTag::new(format!("t{i}"))));
        let flushed = session.flush().unwrap();
        let names: Vec<String> = tags
            .iter()
            .map(|tag| session.one(tags::table.find(*flushed.key(*tag).unwrap()).select(tags::name)).unwrap())
            .collect();
        assert_eq!(names, ["t0", "t3", "t6", "t9"]);
    }

    fn misuse_is_a_typed_error_that_queues_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.add(NewAuthor::new("Ada"));
        // (`add_child` with a belongs_to relation does not compile:
        // tests/ui/add_child_with_belongs_to.rs.)
        // A handle of a row an earlier flush wrote is refused by name, not
        // left waiting for a key that never comes.
        let tag = session.add(NewTag::new("written"));
        let tag_id = *session.flush().unwrap().key(tag).unwrap();
        let article = session.add(NewArticle::new("Notes", 1));
        let error = session.link(article, Article::TAGS, tag).unwrap_err();
        assert!(matches!(error, quarry::Error::FlushedPending { model: "Tag", .. }), "{error}");
        session.link(article, Article::TAGS, RowRef::existing(tag_id)).unwrap();
        let error = session.commit().unwrap_err();
        assert!(matches!(error, quarry::Error::NoTransaction { operation: "commit" }), "{error}");
        // No misuse lost what was queued.
        session.flush().unwrap();
        assert_eq!(session.one(authors::table.count()).unwrap_or(0i64), 1);
        assert_eq!(session.one(article_tags::table.count()).unwrap_or(0i64), 1);
    }

    fn commit_flushes_what_is_queued(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        session.add_all((0..5).map(|i| NewTag::new(format!("t{i}"))));
        session.commit().unwrap();
        let mut other = engine.session().unwrap();
        assert_eq!(other.one(tags::table.count()).unwrap_or(0i64), 5);
    }
}

mod large {
    use super::*;

    common::engine_tests! {
        @settings |b| b;

        fn a_hundred_authors_with_ten_articles_each(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            for a in 0..100 {
                let author = session.add(NewAuthor::new(format!("author {a}")));
                for i in 0..10 {
                    session.add_child(author, Author::ARTICLES, move |id| NewArticle::new(format!("{a}.{i}"), id)).unwrap();
                }
            }
            engine.record_statements(true);
            session.flush().unwrap();
            engine.record_statements(false);
            let statements = engine.take_statements();
            let inserts = inserts_by_table(&statements);
            eprintln!("{:?}: {} statements for 100 authors × 10 articles: {statements:#?}", engine.url().backend(), statements.len());
            assert_eq!(inserts.values().sum::<usize>(), 2, "{inserts:?}");
            let articles: i64 = session.one(articles::table.count()).unwrap();
            assert_eq!(articles, 1000);
            let per_author: Vec<i64> = session
                .all(articles::table.group_by(articles::author_id).select(diesel::dsl::count_star()))
                .unwrap();
            assert!(per_author.iter().all(|&n| n == 10) && per_author.len() == 100);
        }
    }
}

mod server_defaults {
    use super::*;
    use schema::{orders, users, NewOrder, NewUser, User};

    common::engine_tests! {
        fn rows_leaving_server_defaults_unset_still_take_one_insert_per_table(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            for u in 0..5 {
                let user = session.add(NewUser::new(format!("user{u}"), format!("u{u}@example.com")));
                for _ in 0..3 {
                    session.add_child(user, User::ORDERS, NewOrder::new).unwrap();
                }
            }
            engine.record_statements(true);
            session.flush().unwrap();
            engine.record_statements(false);
            let inserts = inserts_by_table(&engine.take_statements());
            assert_eq!((inserts["users"], inserts["orders"]), (1, 1), "{inserts:?}");
            // The database filled in what the rows left out.
            let stamped: i64 = session.one(users::table.filter(users::created_at.is_not_null()).count()).unwrap();
            let placed: i64 = session.one(orders::table.filter(orders::placed_at.is_not_null()).count()).unwrap();
            assert_eq!((stamped, placed), (5, 15));
        }
    }
}

mod nullable_columns {
    use super::*;

    /// The INSERTs into `articles` among `statements`.
    fn article_inserts(statements: &[String]) -> Vec<&String> {
        statements.iter().filter(|s| s.starts_with("INSERT INTO") && s.contains("articles")).collect()
    }

    /// Ten articles of a new author; the fourth published on `day`.
    fn queue_articles<C: quarry::engine::EngineConnection>(
        session: &mut quarry::Session<C>,
        day: Option<chrono::NaiveDate>,
    ) where
        NewAuthor: quarry::FlushRows<C>,
        NewArticle: quarry::FlushRows<C>,
    {
        let author = session.add(NewAuthor::new("Ada"));
        for i in 0..10 {
            session
                .add_child(author, Author::ARTICLES, move |id| {
                    let mut article = NewArticle::new(format!("article {i}"), id);
                    article.published = if i == 3 { day } else { None };
                    article
                })
                .unwrap();
        }
    }

    common::engine_tests! {
        fn rows_that_leave_a_nullable_column_null_do_not_name_it(engine) {
            let day = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
            for (set, with_keys) in [(None, true), (None, false), (Some(day), true), (Some(day), false)] {
                let mut session = engine.session().unwrap();
                schema::create_all(session.connection()).unwrap();
                session.begin().unwrap();
                queue_articles(&mut session, set);
                engine.record_statements(true);
                // A flush reads every key back; a commit only those other
                // rows need (none here).
                if with_keys {
                    session.flush().unwrap();
                }
                session.commit().unwrap();
                engine.record_statements(false);
                let statements = engine.take_statements();
                let inserts = article_inserts(&statements);
                assert_eq!(inserts.len(), 1, "one INSERT for the ten articles, keys read: {with_keys}: {inserts:#?}");
                assert_eq!(
                    inserts[0].contains("published"),
                    set.is_some(),
                    "`published` is named only when a row sets it (keys read: {with_keys}): {}",
                    inserts[0]
                );
                let rows: Vec<(String, Option<chrono::NaiveDate>)> = session
                    .all(articles::table.select((articles::title, articles::published)).order(articles::id))
                    .unwrap();
                let expected: Vec<(String, Option<chrono::NaiveDate>)> =
                    (0..10).map(|i| (format!("article {i}"), if i == 3 { set } else { None })).collect();
                assert_eq!(rows, expected);
                schema::drop_all(session.connection()).unwrap();
            }
        }

        fn a_refused_lean_insert_writes_nothing_and_the_session_works_on(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            let ada = session.add(NewAuthor::new("Ada"));
            session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Fine", id)).unwrap();
            // Breaks `ck_articles_title` (length(title) > 0), in the same
            // lean statement as the fine one.
            session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("", id)).unwrap();
            let error = session.flush().unwrap_err();
            assert!(error.integrity().is_some(), "{error}");
            let counts: (i64, i64) =
                (session.one(authors::table.count()).unwrap(), session.one(articles::table.count()).unwrap());
            assert_eq!(counts, (0, 0), "the author's INSERT is rolled back with the articles'");
            let grace = session.add(NewAuthor::new("Grace"));
            session.add_child(grace, Author::ARTICLES, |id| NewArticle::new("Compilers", id)).unwrap();
            session.flush().unwrap();
            let rows: Vec<(String, Option<chrono::NaiveDate>)> =
                session.all(articles::table.select((articles::title, articles::published))).unwrap();
            assert_eq!(rows, vec![("Compilers".to_owned(), None)]);
        }
    }
}
