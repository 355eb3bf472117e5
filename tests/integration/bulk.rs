//! Bulk writes in few statements, and reads in batches that keep memory
//! flat, on every backend.

use crate::common;

use diesel::prelude::*;

use crate::schema;
use schema::{article_tags, articles, authors, tags, NewArticle, NewArticleTag, NewAuthor, NewTag};

common::engine_tests! {
    fn insert_all_writes_multi_row_statements_under_the_bind_limit(engine) {
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        session.execute(diesel::insert_into(authors::table).values(NewAuthor::new("Ada"))).unwrap();
        let author: i32 = session.one(authors::table.select(authors::id)).unwrap();
        session.execute(diesel::insert_into(articles::table).values(NewArticle::new("Notes", author))).unwrap();
        let article: i32 = session.one(articles::table.select(articles::id)).unwrap();
        let tags: Vec<NewTag> = (0..3000).map(|i| NewTag::new(format!("tag{i:05}"))).collect();
        engine.record_statements(true);
        assert_eq!(session.insert_all(tags::table, tags.as_slice()).unwrap(), 3000);
        let tag_inserts = engine.take_statements().iter().filter(|s| s.starts_with("INSERT")).count();

        let ids: Vec<i32> = session.all(tags::table.select(tags::id).order(tags::id)).unwrap();
        let links: Vec<NewArticleTag> = ids.iter().map(|&tag| NewArticleTag::new(article, tag)).collect();
        assert_eq!(session.insert_all(article_tags::table, links.as_slice()).unwrap(), 3000);
        let link_inserts = engine.take_statements().iter().filter(|s| s.starts_with("INSERT")).count();
        engine.record_statements(false);
        session.commit().unwrap();

        // Rows without defaults (article_tags): one statement per chunk everywhere
        // (SQLite allows 32766 binds, 1023 rows of 32 columns; the others 65535).
        // Rows leaving a column to its default (tags.id): SQLite cannot write
        // DEFAULT in VALUES, so diesel inserts one row per statement there.
        let (expected_tags, expected_links) = match backend {
            quarry::engine::Backend::Sqlite => (3000, 3),
            _ => (2, 2),
        };
        assert_eq!((tag_inserts, link_inserts), (expected_tags, expected_links));
        let linked: i64 = session.one(article_tags::table.filter(article_tags::article_id.eq(article)).count()).unwrap();
        assert_eq!(linked, 3000);
    }

    fn batches_stream_100_000_rows_a_page_at_a_time(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let rows: Vec<NewTag> = (0..100_000).map(|i| NewTag::new(format!("t{i:06}"))).collect();
        session.transaction(|s| s.insert_all(tags::table, rows.as_slice())).unwrap();
        drop(rows);

        let mut sizes = Vec::new();
        let mut seen = 0usize;
        let mut last = String::new();
        for batch in session.batches(tags::table.select(tags::name).order(tags::name), 1000) {
            let batch: Vec<String> = batch.unwrap();
            assert!(batch[0] > last, "batches overlap");
            last = batch.last().unwrap().clone();
            seen += batch.len();
            sizes.push(batch.len());
        }
        assert_eq!(seen, 100_000);
        assert_eq!(sizes.len(), 100);
        assert!(sizes.iter().all(|&n| n == 1000), "no batch holds more than asked: {sizes:?}");
        assert_eq!(last, "t099999");
    }
}

mod returning {
    use super::*;
    use schema::{Article, NewArticle as NewA};

    common::engine_tests! {
        fn update_and_delete_return_the_rows_they_touched(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            session.execute(diesel::insert_into(authors::table).values(NewAuthor::new("Ada"))).unwrap();
            let author: i32 = session.one(authors::table.select(authors::id)).unwrap();
            let rows: Vec<NewA> = (0..6).map(|i| NewA { views: i * 100, ..NewA::new(format!("a{i}"), author) }).collect();
            session.insert_all(articles::table, &rows).unwrap();

            // The filter no longer matches the changed rows: they come back anyway.
            let mut changed: Vec<Article> = session
                .update_returning(articles::table.filter(articles::views.ge(300)), articles::views.eq(0))
                .unwrap();
            changed.sort_by(|a, b| a.title.cmp(&b.title));
            let titles: Vec<(&str, i32)> = changed.iter().map(|a| (a.title.as_str(), a.views)).collect();
            assert_eq!(titles, [("a3", 0), ("a4", 0), ("a5", 0)]);

            let mut gone: Vec<Article> = session.delete_returning(articles::table.filter(articles::views.eq(0))).unwrap();
            gone.sort_by(|a, b| a.title.cmp(&b.title));
            let titles: Vec<&str> = gone.iter().map(|a| a.title.as_str()).collect();
            assert_eq!(titles, ["a0", "a3", "a4", "a5"]);
            let left: Vec<String> = session.all(articles::table.select(articles::title).order(articles::title)).unwrap();
            assert_eq!(left, ["a1", "a2"]);

            let none: Vec<Article> = session.delete_returning(articles::table.filter(articles::views.gt(10_000))).unwrap();
            assert!(none.is_empty());
        }
    }
}
