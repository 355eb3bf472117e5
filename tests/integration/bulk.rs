//! Bulk writes in few statements, and reads in batches that keep memory
//! flat, on every backend.

use crate::common;

use diesel::prelude::*;

use crate::schema;
use schema::{
    article_tags, articles, authors, comments, tags, NewArticle, NewArticleTag, NewAuthor, NewComment, NewTag,
};

common::engine_tests! {
    fn insert_all_writes_one_statement_per_chunk_sized_by_the_real_width(engine) {
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        session.execute(diesel::insert_into(authors::table).values(NewAuthor::new("Ada"))).unwrap();
        let author: i32 = session.one(authors::table.select(authors::id)).unwrap();
        session.execute(diesel::insert_into(articles::table).values(NewArticle::new("Notes", author))).unwrap();
        let article: i32 = session.one(articles::table.select(articles::id)).unwrap();
        // 12,000 tags leave their generated key to the database: one column
        // each, one statement everywhere (SQLite included, which cannot
        // write DEFAULT in VALUES: the key column is left out).
        let tags: Vec<NewTag> = (0..12_000).map(|i| NewTag::new(format!("tag{i:05}"))).collect();
        engine.record_statements(true);
        assert_eq!(session.insert_all(tags::table, tags.as_slice()).unwrap(), 12_000);
        let tag_inserts = engine.take_statements().iter().filter(|s| s.starts_with("INSERT")).count();

        // 12,000 links of two columns: 24,000 binds, under every backend's limit.
        let ids: Vec<i32> = session.all(tags::table.select(tags::id).order(tags::id)).unwrap();
        let links: Vec<NewArticleTag> = ids.iter().map(|&tag| NewArticleTag::new(article, tag)).collect();
        assert_eq!(session.insert_all(article_tags::table, links.as_slice()).unwrap(), 12_000);
        let link_inserts = engine.take_statements().iter().filter(|s| s.starts_with("INSERT")).count();

        // 20,000 more links with two columns each: over SQLite's 32,766 binds
        // (two statements there), under PostgreSQL's and MySQL's 65,535.
        let more: Vec<NewArticleTag> = (0..20_000).map(|i| NewArticleTag::new(article, -i - 1)).collect();
        session.execute(diesel::sql_query(match backend {
            quarry::engine::Backend::Mysql => "SET FOREIGN_KEY_CHECKS = 0",
            quarry::engine::Backend::Postgres => "SET session_replication_role = replica",
            quarry::engine::Backend::Sqlite => "PRAGMA defer_foreign_keys = ON",
        })).unwrap();
        assert_eq!(session.insert_all(article_tags::table, more.as_slice()).unwrap(), 20_000);
        let more_inserts = engine.take_statements().iter().filter(|s| s.starts_with("INSERT")).count();
        engine.record_statements(false);
        session.rollback().unwrap();

        let expected_more = if backend == quarry::engine::Backend::Sqlite { 2 } else { 1 };
        assert_eq!((tag_inserts, link_inserts, more_inserts), (1, 1, expected_more));
    }

    fn insert_all_groups_rows_by_the_columns_they_set(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        // Keys left to the database, keys given, and a server default
        // (`views`) set on some rows only: every row keeps what it said.
        let mut rows: Vec<NewTag> = (0..6).map(|i| NewTag::new(format!("generated {i}"))).collect();
        rows.extend((0..4).map(|i| NewTag { id: Some(1000 + i), ..NewTag::new(format!("given {i}")) }));
        engine.record_statements(true);
        assert_eq!(session.insert_all(tags::table, &rows).unwrap(), 10);
        let inserts = engine.take_statements().iter().filter(|s| s.starts_with("INSERT")).count();
        engine.record_statements(false);
        // SQLite: one statement per group of rows setting the same columns;
        // elsewhere one, with DEFAULT for the keys left out.
        assert_eq!(inserts, if engine.url().backend() == quarry::engine::Backend::Sqlite { 2 } else { 1 });
        let given: Vec<(i32, String)> =
            session.all(tags::table.filter(tags::id.ge(1000)).select((tags::id, tags::name)).order(tags::id)).unwrap();
        assert_eq!(given, [(1000, "given 0".into()), (1001, "given 1".into()), (1002, "given 2".into()), (1003, "given 3".into())]);
        let generated: i64 = session.one(tags::table.filter(tags::name.like("generated %")).count()).unwrap();
        assert_eq!(generated, 6);

        // A server default (`posted_at`) set on some rows only.
        let author = session.add(NewAuthor::new("Ada"));
        let flushed = session.flush().unwrap();
        let author = *flushed.key(author).unwrap();
        let article = session.add(NewArticle::new("Notes", author));
        let article = *session.flush().unwrap().key(article).unwrap();
        let noon = chrono::NaiveDate::from_ymd_opt(2024, 5, 1).unwrap().and_hms_opt(12, 0, 0).unwrap();
        let comments: Vec<NewComment> = (0..4)
            .map(|i| NewComment {
                posted_at: (i % 2 == 0).then(|| noon.into()),
                ..NewComment::new(article, format!("c{i}"), i as f32)
            })
            .collect();
        session.insert_all(comments::table, &comments).unwrap();
        let posted: Vec<(String, chrono::NaiveDateTime)> = session
            .all(comments::table.select((comments::body, comments::posted_at)).order(comments::body))
            .unwrap()
            .into_iter()
            .map(|(body, at): (String, quarry::NaiveTimestamp)| (body, at.0))
            .collect();
        assert_eq!(posted.len(), 4);
        assert_eq!((posted[0].1, posted[2].1), (noon, noon));
        assert!(posted[1].1 != noon && posted[3].1 != noon, "rows leaving posted_at unset get the server default");
    }

    fn insert_all_in_one_statement_needs_no_transaction(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let dense: Vec<NewTag> = (0..100).map(|i| NewTag::new(format!("t{i}"))).collect();
        engine.record_statements(true);
        assert_eq!(session.insert_all(tags::table, &dense).unwrap(), 100);
        let one = engine.take_statements();
        // Keys given on some rows: on SQLite two groups, so a transaction.
        let mixed = vec![NewTag::new("x"), NewTag { id: Some(900), ..NewTag::new("y") }];
        assert_eq!(session.insert_all(tags::table, &mixed).unwrap(), 2);
        let grouped = engine.take_statements();
        engine.record_statements(false);
        assert_eq!(one.len(), 1, "{one:?}");
        assert!(one[0].starts_with("INSERT"), "{one:?}");
        if engine.url().backend() == quarry::engine::Backend::Sqlite {
            assert_eq!(grouped.len(), 4, "{grouped:?}");
            assert!(grouped[0].starts_with("BEGIN") && grouped[3].starts_with("COMMIT"), "{grouped:?}");
        } else {
            assert_eq!(grouped.len(), 1, "{grouped:?}");
        }
        let count: i64 = session.one(tags::table.count()).unwrap();
        assert_eq!(count, 102);
    }

    fn insert_all_that_fails_midway_inserts_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        // Three groups on SQLite (keys left out, keys given, a duplicate
        // name in the last): the last statement fails, the others are undone.
        let mut rows: Vec<NewTag> = (0..5).map(|i| NewTag::new(format!("t{i}"))).collect();
        rows.extend((0..3).map(|i| NewTag { id: Some(500 + i), ..NewTag::new(format!("g{i}")) }));
        rows.push(NewTag::new("t0"));
        let error = session.insert_all(tags::table, &rows).unwrap_err();
        assert!(matches!(error, quarry::Error::Integrity(_)), "{error:?}");
        let left: i64 = session.one(tags::table.count()).unwrap();
        assert_eq!(left, 0, "a failed insert_all leaves the table as it was");
        // More rows than one statement takes (SQLite: 32,766 one-column
        // rows), the duplicate in the last chunk.
        let mut many: Vec<NewTag> = (0..40_000).map(|i| NewTag::new(format!("m{i:05}"))).collect();
        many.push(NewTag::new("m00000"));
        assert!(session.insert_all(tags::table, &many).is_err());
        let left: i64 = session.one(tags::table.count()).unwrap();
        assert_eq!(left, 0);
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

        fn insert_returning_gives_back_the_rows_as_stored_in_the_order_given(engine) {
            use schema::{users, NewUser, User};
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            let rows = [
                NewUser::new("ada", "ada@example.com"),
                NewUser { fullname: Some("Grace Hopper".into()), is_active: false, ..NewUser::new("grace", "g@example.com") },
            ];
            let stored: Vec<User> = session.insert_returning(&rows).unwrap();
            let seen: Vec<(&str, Option<&str>, bool)> =
                stored.iter().map(|u| (u.name.as_str(), u.fullname.as_deref(), u.is_active)).collect();
            assert_eq!(seen, [("ada", None, true), ("grace", Some("Grace Hopper"), false)]);
            assert!(stored[0].id < stored[1].id, "generated keys, in the order given");
            // The server default the database filled in came back too.
            assert!(stored.iter().all(|u| u.created_at.timestamp() > 1_700_000_000), "{:?}", stored[0].created_at);
            for user in &stored {
                let again: User = session.get(users::table, user.id).unwrap().unwrap();
                assert_eq!((again.id, &again.name, again.created_at), (user.id, &user.name, user.created_at));
            }
        }

        fn insert_returning_reads_back_composite_keys_and_many_chunks(engine) {
            use schema::{ArticleTag, Tag};
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            // More rows than one INSERT holds anywhere: 70,000 one-column
            // rows exceed every backend's bind limit.
            let names: Vec<NewTag> = (0..70_000).map(|i| NewTag::new(format!("t{i:05}"))).collect();
            let tags: Vec<Tag> = session.insert_returning(&names).unwrap();
            assert_eq!(tags.len(), 70_000);
            assert!(tags.iter().enumerate().all(|(i, t)| t.name == format!("t{i:05}")), "in the order given");
            assert!(tags.windows(2).all(|w| w[0].id < w[1].id));

            let author = session.insert_returning(&[NewAuthor::new("Ada")]).unwrap().remove(0);
            let article = session.insert_returning(&[NewArticle::new("Notes", author.id)]).unwrap().remove(0);
            assert_eq!((article.views, article.author_id), (0, author.id), "the column default");
            let links = [NewArticleTag::new(article.id, tags[1].id), NewArticleTag::new(article.id, tags[0].id)];
            let stored: Vec<ArticleTag> = session.insert_returning(&links).unwrap();
            assert_eq!(
                stored,
                [
                    ArticleTag { article_id: article.id, tag_id: tags[1].id },
                    ArticleTag { article_id: article.id, tag_id: tags[0].id },
                ]
            );
        }

        fn insert_returning_and_upsert_on_of_no_rows_do_nothing(engine) {
            use schema::{products, NewProduct, Tag};
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            let none: Vec<Tag> = session.insert_returning::<NewTag, _>(&[]).unwrap();
            assert!(none.is_empty());
            assert_eq!(session.upsert_on(products::sku, &[] as &[NewProduct]).unwrap(), 0);
            assert_eq!(session.one::<_, i64>(tags::table.count()).unwrap(), 0);
        }

        fn insert_returning_that_fails_writes_nothing(engine) {
            use schema::Tag;
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            let _: Vec<Tag> = session.insert_returning(&[NewTag::new("taken")]).unwrap();
            // The third row repeats a unique name: the first two are not kept.
            let rows = [NewTag::new("a"), NewTag::new("b"), NewTag::new("taken")];
            let error = session.insert_returning(&rows).map(|_: Vec<Tag>| ()).unwrap_err();
            assert_eq!(error.integrity().map(|e| e.kind), Some(quarry::error::IntegrityKind::Unique), "{error:?}");
            let names: Vec<String> = session.all(tags::table.select(tags::name)).unwrap();
            assert_eq!(names, ["taken"]);
        }
    }
}
