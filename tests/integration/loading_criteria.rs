//! A relation's criteria for one load (`.filter`, `.order_by`, `.limit`
//! per parent) on every backend: each combination equals a naive
//! per-parent loop (a plain diesel query per parent, then filtered, sorted
//! and truncated in Rust, ties broken by primary key), in 1 + one statement
//! per relation and level; the SQL each backend receives for a limited
//! load is pinned.

use std::cmp::Ordering;

use crate::common;
use crate::common::{rows, selects, Seeded};

use diesel::prelude::*;
use quarry::engine::{Backend, EngineConnection};

use crate::schema;
use schema::{
    article_tags, articles, authors, comments, tags, Article, Author, Comment, NewArticle, NewAuthor, NewComment,
    NewTag, Tag,
};

/// What a load under criteria must return for one parent, computed
/// naively from all its related rows: keep, sort (`order`, then the
/// primary key `id`), truncate.
fn naive<T, K: Ord>(
    mut all: Vec<T>,
    keep: impl Fn(&T) -> bool,
    order: impl Fn(&T, &T) -> Ordering,
    id: impl Fn(&T) -> K,
    limit: Option<usize>,
) -> Vec<T> {
    all.retain(|row| keep(row));
    all.sort_by(|a, b| order(a, b).then_with(|| id(a).cmp(&id(b))));
    all.truncate(limit.unwrap_or(usize::MAX));
    all
}

/// 30 authors with 0..6 articles each, with many ties: views in steps of
/// 10 (0..40), publication dates among 12 days; each article with 0..4
/// comments scored 0.5, 1.5 or 2.5 and 0..4 of 8 tags.
fn seed<C: EngineConnection>(session: &mut quarry::Session<C>)
where
    NewAuthor: quarry::FlushRows<C>,
    NewArticle: quarry::FlushRows<C>,
    NewComment: quarry::FlushRows<C>,
    NewTag: quarry::FlushRows<C>,
    schema::NewArticleTag: quarry::FlushRows<C>,
{
    let mut rng = Seeded(2024);
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let tags: Vec<_> = (0..8).map(|t| session.add(NewTag::new(format!("tag {t}")))).collect();
    let mut n = 0;
    for a in 0..30 {
        let author = session.add(NewAuthor::new(format!("author {a:02}")));
        for _ in 0..rng.below(7) {
            n += 1;
            let views = rng.below(5) as i32 * 10;
            let published = day + chrono::Days::new(rng.below(12));
            let article = session
                .add_child(author, Author::ARTICLES, move |id| {
                    let mut article = NewArticle::new(format!("article {n:03}"), id);
                    article.views = views;
                    article.published = Some(published);
                    article
                })
                .unwrap();
            for c in 0..rng.below(5) {
                let score = rng.below(3) as f32 + 0.5;
                session
                    .add_child(article, Article::COMMENTS, move |id| NewComment::new(id, format!("c{c}"), score))
                    .unwrap();
            }
            let mut chosen: Vec<usize> = (0..rng.below(5)).map(|_| rng.below(8) as usize).collect();
            chosen.sort();
            chosen.dedup();
            for t in chosen {
                session.link(article, Article::TAGS, tags[t]).unwrap();
            }
        }
    }
    session.flush().unwrap();
}

/// Every article of `author`, in no particular order.
macro_rules! articles_of {
    ($session:expr, $author:expr) => {{
        let all: Vec<Article> = $session.all(articles::table.filter(articles::author_id.eq($author))).unwrap();
        all
    }};
}

common::engine_tests! {
    fn an_order_override_replaces_the_declared_order_and_composes_with_filter_and_with(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed(&mut session);

        // Views descending, then title: instead of the declared published.desc().
        engine.record_statements(true);
        let loaded = session
            .load(
                authors::table.order(authors::id),
                Author::ARTICLES.order_by((articles::views.desc(), articles::title.asc())),
            )
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 2);
        let mut reordered = false;
        for author in &loaded {
            let all = articles_of!(session, author.id);
            let expected = naive(
                all.clone(),
                |_| true,
                |a, b| b.views.cmp(&a.views).then_with(|| a.title.cmp(&b.title)),
                |a| a.id,
                None,
            );
            let declared = naive(all, |_| true, |a, b| b.published.cmp(&a.published), |a| a.id, None);
            reordered |= expected != declared;
            assert_eq!(rows(author.get(Author::ARTICLES)), expected, "{}", author.name);
        }
        assert!(reordered, "the override orders some author's articles differently");

        // With a predicate and nested relations, in either order of calls.
        engine.record_statements(true);
        let loaded = session
            .load(
                authors::table.order(authors::id),
                Author::ARTICLES
                    .filter(articles::views.ge(20))
                    .order_by(articles::title.desc())
                    .with(Article::COMMENTS),
            )
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);
        let same = session
            .load(
                authors::table.order(authors::id),
                Author::ARTICLES.order_by(articles::title.desc()).filter(articles::views.ge(20)).with(Article::COMMENTS),
            )
            .unwrap();
        assert_eq!(serde_json::to_value(&loaded).unwrap(), serde_json::to_value(&same).unwrap());
        for author in &loaded {
            let expected = naive(
                articles_of!(session, author.id),
                |a| a.views >= 20,
                |a, b| b.title.cmp(&a.title),
                |a| a.id,
                None,
            );
            assert_eq!(rows(author.get(Author::ARTICLES)), expected, "{}", author.name);
            for article in author.get(Author::ARTICLES) {
                let comments: Vec<Comment> =
                    session.all(comments::table.filter(comments::article_id.eq(article.id)).order(comments::id)).unwrap();
                assert_eq!(rows(article.get(Article::COMMENTS)), comments);
            }
        }
    }

    fn a_limit_per_parent_equals_the_naive_loop_in_one_statement_per_relation_and_level(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed(&mut session);
        let authors: Vec<Author> = session.all(authors::table.order(authors::id)).unwrap();

        // The declared order (published descending; ties by id), 2 per author.
        engine.record_statements(true);
        let loaded = session.load(authors::table.order(authors::id), Author::ARTICLES.limit(2)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 2);
        assert_eq!(loaded.len(), authors.len());
        let mut cut = false;
        for author in &loaded {
            let all = articles_of!(session, author.id);
            cut |= all.len() > 2;
            let expected = naive(all, |_| true, |a, b| b.published.cmp(&a.published), |a| a.id, Some(2));
            assert_eq!(rows(author.get(Author::ARTICLES)), expected, "{}", author.name);
        }
        assert!(cut, "the limit leaves some articles out");

        // A given order and a predicate: the 3 most viewed among those viewed at all.
        let loaded = session
            .load(
                authors::table.order(authors::id),
                Author::ARTICLES.order_by(articles::views.desc()).limit(3).filter(articles::views.gt(0)),
            )
            .unwrap();
        for author in &loaded {
            let expected = naive(
                articles_of!(session, author.id),
                |a| a.views > 0,
                |a, b| b.views.cmp(&a.views),
                |a| a.id,
                Some(3),
            );
            assert_eq!(rows(author.get(Author::ARTICLES)), expected, "{}", author.name);
        }

        // Nested under a limited relation, itself limited: each author's 2
        // newest articles, each with its best comment. 3 statements.
        engine.record_statements(true);
        let loaded = session
            .load(
                authors::table.order(authors::id),
                Author::ARTICLES
                    .order_by(articles::published.desc())
                    .limit(2)
                    .with(Article::COMMENTS.order_by(comments::score.desc()).limit(1)),
            )
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);
        let mut commented = 0;
        for author in &loaded {
            let expected =
                naive(articles_of!(session, author.id), |_| true, |a, b| b.published.cmp(&a.published), |a| a.id, Some(2));
            assert_eq!(rows(author.get(Author::ARTICLES)), expected, "{}", author.name);
            for article in author.get(Author::ARTICLES) {
                let all: Vec<Comment> = session.all(comments::table.filter(comments::article_id.eq(article.id))).unwrap();
                let best = naive(all, |_| true, |a, b| b.score.total_cmp(&a.score), |c| c.id, Some(1));
                commented += best.len();
                assert_eq!(rows(article.get(Article::COMMENTS)), best, "{}", article.title);
            }
        }
        assert!(commented > 0);

        // A limit of 0 loads nothing, not everything.
        let loaded = session.load(authors::table, Author::ARTICLES.limit(0)).unwrap();
        assert!(loaded.iter().all(|a| a.get(Author::ARTICLES).is_empty()));
    }

    fn ties_in_the_order_are_broken_by_the_primary_key(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        let bob = session.add(NewAuthor::new("Bob"));
        // Inserted in an order that is neither the key's nor the title's,
        // each published earlier than the one before: a scan of the
        // (author_id, published) index meets them newest key first.
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).unwrap();
        let titles = [(ada, "e"), (bob, "b"), (ada, "c"), (ada, "a"), (bob, "d"), (ada, "b")];
        for (i, (author, title)) in titles.into_iter().enumerate() {
            session
                .add_child(author, Author::ARTICLES, move |id| {
                    let mut article = NewArticle::new(title, id);
                    article.views = 7;
                    article.published = Some(day - chrono::Days::new(i as u64));
                    article
                })
                .unwrap();
        }
        session.flush().unwrap();

        for _ in 0..3 {
            let loaded = session
                .load(authors::table.order(authors::id), Author::ARTICLES.order_by(articles::views.desc()).limit(3))
                .unwrap();
            let titles: Vec<Vec<&str>> =
                loaded.iter().map(|a| a.get(Author::ARTICLES).iter().map(|b| b.title.as_str()).collect()).collect();
            // All tie on views: by id.
            assert_eq!(titles, [vec!["e", "c", "a"], vec!["b", "d"]]);
        }
    }

    fn a_limited_load_stays_complete_in_chunks_under_the_bind_limit(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        // SQLite's limit (32,766 binds) is passed: its keys go in two
        // statements; PostgreSQL's and MySQL's (65,535) hold 10,000 in one.
        let sqlite = engine.url().backend() == Backend::Sqlite;
        let n: usize = if sqlite { 40_000 } else { 10_000 };
        if sqlite {
            session
                .execute(diesel::sql_query(format!(
                    "INSERT INTO authors (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
                     SELECT 'a' || i FROM n"
                )))
                .unwrap();
        } else {
            let rows: Vec<NewAuthor> = (0..n).map(|i| NewAuthor::new(format!("a{i}"))).collect();
            session.insert_all(authors::table, &rows).unwrap();
        }
        // Two articles per author: the older first, the newer second.
        session.execute(diesel::sql_query("INSERT INTO articles (title, author_id) SELECT 'first', id FROM authors")).unwrap();
        session.execute(diesel::sql_query("INSERT INTO articles (title, author_id) SELECT 'second', id FROM authors")).unwrap();

        engine.record_statements(true);
        let loaded = session.load(authors::table, Author::ARTICLES.order_by(articles::id.desc()).limit(1)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), if sqlite { 3 } else { 2 });
        assert_eq!(loaded.len(), n);
        for author in &loaded {
            let articles = author.get(Author::ARTICLES);
            assert_eq!(articles.len(), 1, "{}", author.name);
            assert_eq!((articles[0].author_id, articles[0].title.as_str()), (author.id, "second"));
        }
    }

    fn many_to_many_relations_take_a_filter_an_order_and_a_limit(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed(&mut session);
        let articles: Vec<Article> = session.all(articles::table.order(articles::id)).unwrap();
        let tags_of = |session: &mut quarry::Session<_>, article: i32| -> Vec<Tag> {
            session
                .all(
                    tags::table
                        .inner_join(article_tags::table)
                        .filter(article_tags::article_id.eq(article))
                        .select(Tag::as_select()),
                )
                .unwrap()
        };

        // A filter alone: no declared order, so by primary key.
        engine.record_statements(true);
        let loaded = session
            .load(articles::table.order(articles::id), Article::TAGS.filter(tags::name.ne("tag 3")))
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 2);
        for article in &loaded {
            let expected = naive(tags_of(&mut session, article.id), |t| t.name != "tag 3", |_, _| Ordering::Equal, |t| t.id, None);
            assert_eq!(rows(article.get(Article::TAGS)), expected, "{}", article.title);
        }

        // Filter, order and limit, with a nested relation under it.
        engine.record_statements(true);
        let loaded = session
            .load(
                articles::table.order(articles::id),
                Article::TAGS
                    .filter(tags::name.ne("tag 5"))
                    .order_by(tags::name.desc())
                    .limit(2)
                    .with(Tag::ARTICLES.order_by(articles::views.desc()).limit(1)),
            )
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);
        let mut cut = false;
        for article in &loaded {
            let all = tags_of(&mut session, article.id);
            cut |= all.iter().filter(|t| t.name != "tag 5").count() > 2;
            let expected = naive(all, |t| t.name != "tag 5", |a, b| b.name.cmp(&a.name), |t| t.id, Some(2));
            assert_eq!(rows(article.get(Article::TAGS)), expected, "{}", article.title);
            for tag in article.get(Article::TAGS) {
                let tagged: Vec<Article> = articles
                    .iter()
                    .filter(|a| tags_of(&mut session, a.id).iter().any(|t| t.id == tag.id))
                    .cloned()
                    .collect();
                let expected = naive(tagged, |_| true, |a, b| b.views.cmp(&a.views), |a| a.id, Some(1));
                assert_eq!(rows(tag.get(Tag::ARTICLES)), expected, "{}", tag.name);
            }
        }
        assert!(cut, "the limit leaves some tags out");

        // A limit alone ranks by the target's primary key.
        let loaded = session.load(articles::table.order(articles::id), Article::TAGS.limit(1)).unwrap();
        for article in &loaded {
            let expected = naive(tags_of(&mut session, article.id), |_| true, |_, _| Ordering::Equal, |t| t.id, Some(1));
            assert_eq!(rows(article.get(Article::TAGS)), expected, "{}", article.title);
        }
    }

    fn related_takes_criteria_for_rows_in_hand_in_one_statement(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed(&mut session);
        let authors: Vec<Author> = session.all(authors::table.order(authors::id)).unwrap();

        engine.record_statements(true);
        let top: Vec<Vec<Article>> =
            session.related(&authors, Author::ARTICLES.filter(articles::views.lt(40)).order_by(articles::views.desc()).limit(2)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);
        assert_eq!(top.len(), authors.len());
        for (author, got) in authors.iter().zip(&top) {
            let expected =
                naive(articles_of!(session, author.id), |a| a.views < 40, |a, b| b.views.cmp(&a.views), |a| a.id, Some(2));
            assert_eq!(got, &expected, "{}", author.name);
        }

        // A required belongs_to under a predicate: an Option per row.
        let articles: Vec<Article> = session.all(articles::table.order(articles::id)).unwrap();
        let name = authors.iter().find(|a| a.id == articles[0].author_id).unwrap().name.clone();
        let found: Vec<Option<Author>> =
            session.related(&articles, Article::AUTHOR.filter(authors::name.eq(name.clone()))).unwrap();
        for (article, author) in articles.iter().zip(&found) {
            let expected = authors.iter().find(|a| a.id == article.author_id && a.name == name);
            assert_eq!(author.as_ref(), expected, "{}", article.title);
        }
        assert!(found.iter().any(Option::is_some));
    }

    fn a_limited_load_sends_one_window_function_statement_per_level(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        let article = session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Notes", id)).unwrap();
        let rust = session.add(NewTag::new("rust"));
        session.link(article, Article::TAGS, rust).unwrap();
        session.flush().unwrap();

        engine.record_statements(true);
        let authors = session
            .load(
                authors::table,
                Author::ARTICLES
                    .filter(articles::views.lt(10))
                    .order_by(articles::title.asc())
                    .limit(3)
                    .with(Article::TAGS.limit(2)),
            )
            .unwrap();
        engine.record_statements(false);
        assert_eq!(authors[0].get(Author::ARTICLES)[0].get(Article::TAGS)[0].name, "rust");
        let statements = engine.take_statements();
        let [_, articles, tags] = statements.as_slice() else { panic!("{statements:#?}") };
        match engine.url().backend() {
            Backend::Sqlite => {
                insta::assert_snapshot!(articles, @"SELECT `articles`.`id`, `articles`.`title`, `articles`.`views`, `articles`.`published`, `articles`.`status`, `articles`.`author_id` FROM (SELECT `articles`.*, ROW_NUMBER() OVER (PARTITION BY `articles`.`author_id` ORDER BY `articles`.`title` ASC, `articles`.`id`) AS `__quarry_rank` FROM `articles` WHERE (`articles`.`author_id` IN (?)) AND ((`articles`.`views` < ?))) AS `articles` WHERE `__quarry_rank` <= ? ORDER BY `articles`.`title` ASC, `articles`.`id` -- binds: [1, 10, 3]");
                insta::assert_snapshot!(tags, @"SELECT `__quarry_key`, `tags`.`id`, `tags`.`name` FROM (SELECT `article_tags`.`article_id` AS `__quarry_key`, `tags`.*, ROW_NUMBER() OVER (PARTITION BY `article_tags`.`article_id` ORDER BY `tags`.`id`) AS `__quarry_rank` FROM `tags` INNER JOIN `article_tags` ON (`article_tags`.`tag_id` = `tags`.`id`) WHERE (`article_tags`.`article_id` IN (?))) AS `tags` WHERE `__quarry_rank` <= ? ORDER BY `tags`.`id` -- binds: [1, 2]");
            }
            Backend::Postgres => {
                insta::assert_snapshot!(articles, @r#"SELECT "articles"."id", "articles"."title", "articles"."views", "articles"."published", "articles"."status", "articles"."author_id" FROM (SELECT "articles".*, ROW_NUMBER() OVER (PARTITION BY "articles"."author_id" ORDER BY "articles"."title" ASC, "articles"."id") AS "__quarry_rank" FROM "articles" WHERE ("articles"."author_id" = ANY($1)) AND (("articles"."views" < $2))) AS "articles" WHERE "__quarry_rank" <= $3 ORDER BY "articles"."title" ASC, "articles"."id" -- binds: [[1], 10, 3]"#);
                insta::assert_snapshot!(tags, @r#"SELECT "__quarry_key", "tags"."id", "tags"."name" FROM (SELECT "article_tags"."article_id" AS "__quarry_key", "tags".*, ROW_NUMBER() OVER (PARTITION BY "article_tags"."article_id" ORDER BY "tags"."id") AS "__quarry_rank" FROM "tags" INNER JOIN "article_tags" ON ("article_tags"."tag_id" = "tags"."id") WHERE ("article_tags"."article_id" = ANY($1))) AS "tags" WHERE "__quarry_rank" <= $2 ORDER BY "tags"."id" -- binds: [[1], 2]"#);
            }
            Backend::Mysql => {
                insta::assert_snapshot!(articles, @"SELECT `articles`.`id`, `articles`.`title`, `articles`.`views`, `articles`.`published`, `articles`.`status`, `articles`.`author_id` FROM (SELECT `articles`.*, ROW_NUMBER() OVER (PARTITION BY `articles`.`author_id` ORDER BY `articles`.`title` ASC, `articles`.`id`) AS `__quarry_rank` FROM `articles` WHERE (`articles`.`author_id` IN (?)) AND ((`articles`.`views` < ?))) AS `articles` WHERE `__quarry_rank` <= ? ORDER BY `articles`.`title` ASC, `articles`.`id` -- binds: [1, 10, 3]");
                insta::assert_snapshot!(tags, @"SELECT `__quarry_key`, `tags`.`id`, `tags`.`name` FROM (SELECT `article_tags`.`article_id` AS `__quarry_key`, `tags`.*, ROW_NUMBER() OVER (PARTITION BY `article_tags`.`article_id` ORDER BY `tags`.`id`) AS `__quarry_rank` FROM `tags` INNER JOIN `article_tags` ON (`article_tags`.`tag_id` = `tags`.`id`) WHERE (`article_tags`.`article_id` IN (?))) AS `tags` WHERE `__quarry_rank` <= ? ORDER BY `tags`.`id` -- binds: [1, 2]");
            }
        }
    }
}
