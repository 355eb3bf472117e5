//! Loading relations with `Session::load` and `Session::related` on every
//! backend: the loaded graph equals what a naive per-parent loop returns
//! (on generated data with a fixed seed: parents without children, NULL
//! foreign keys, parents shared by many rows), in 1 + one statement per
//! relation and level.

use crate::common;
use crate::common::{selects, Seeded};

use diesel::prelude::*;
use quarry::{Loaded, RowRef};

use crate::schema;
use schema::{
    article_tags, articles, authors, categories, comments, profiles, tags, users, Article, Author, Category, Comment,
    NewArticle, NewAuthor, NewCategory, NewComment, NewProfile, NewTag, NewUser, Profile, Tag, User,
};

/// 25 authors with 0..4 articles each (distinct publication dates, so the
/// declared order is total), each article with 0..3 comments.
fn seed_blog<C: quarry::engine::EngineConnection>(session: &mut quarry::Session<C>)
where
    NewAuthor: quarry::FlushRows<C>,
    NewArticle: quarry::FlushRows<C>,
    NewComment: quarry::FlushRows<C>,
{
    let mut rng = Seeded(42);
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut n = 0;
    for a in 0..25 {
        let author = session.add(NewAuthor::new(format!("author {a}")));
        for _ in 0..rng.below(4) {
            n += 1;
            let published = day + chrono::Days::new(n);
            let article = session
                .add_child(author, Author::ARTICLES, move |id| {
                    let mut article = NewArticle::new(format!("article {n}"), id);
                    article.published = Some(published);
                    article
                })
                .unwrap();
            for c in 0..rng.below(3) {
                session
                    .add_child(article, Article::COMMENTS, move |id| NewComment::new(id, format!("c{c}"), 1.5))
                    .unwrap();
            }
        }
    }
    session.flush().unwrap();
}

common::engine_tests! {
    fn eager_loading_equals_the_naive_loop_in_one_statement_per_relation_and_level(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);

        engine.record_statements(true);
        let loaded = session
            .load(authors::table.order(authors::id), Author::ARTICLES.with((Article::COMMENTS, Article::AUTHOR)))
            .unwrap();
        engine.record_statements(false);
        // The authors, their articles, and for those the comments and the
        // (shared) authors: 4 statements for 25 authors.
        assert_eq!(selects(&engine.take_statements()), 4);

        let authors: Vec<Author> = session.all(authors::table.order(authors::id)).unwrap();
        assert_eq!(loaded.len(), 25);
        let mut childless = 0;
        for (author, expected) in loaded.iter().zip(&authors) {
            assert_eq!(author.row(), expected);
            let articles: Vec<Article> = session
                .all(articles::table.filter(articles::author_id.eq(expected.id)).order(articles::published.desc()))
                .unwrap();
            let got: &Vec<Loaded<Article, _>> = author.get(Author::ARTICLES);
            assert_eq!(got.iter().map(|a| a.row().clone()).collect::<Vec<_>>(), articles, "{}", expected.name);
            childless += usize::from(articles.is_empty());
            for article in got {
                let comments: Vec<Comment> =
                    session.all(comments::table.filter(comments::article_id.eq(article.id)).order(comments::id)).unwrap();
                let got_comments: Vec<Comment> =
                    article.get(Article::COMMENTS).iter().map(|c| c.row().clone()).collect();
                assert_eq!(got_comments, comments);
                // A required belongs_to is the row itself, shared by its siblings.
                assert_eq!(article.get(Article::AUTHOR).row(), expected);
            }
        }
        assert!(childless > 0, "the seed has authors without articles");
    }

    fn optional_relations_and_self_references_load_as_options(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewUser::new("ada", "ada@example.com"));
        session.add(NewUser::new("bob", "bob@example.com"));
        session.add_child(ada, User::PROFILE, |id| NewProfile::new(id, "math", serde_json::json!({}))).unwrap();
        let root = session.add(NewCategory::new("root"));
        let b = session.add_with_parent(NewCategory::new("b"), Category::PARENT, root).unwrap();
        session.add_with_parent(NewCategory::new("a"), Category::PARENT, root).unwrap();
        session.add_with_parent(NewCategory::new("leaf"), Category::PARENT, b).unwrap();
        session.flush().unwrap();

        // has_one: Some for Ada, None for Bob.
        let users = session.load(users::table.order(users::id), User::PROFILE).unwrap();
        let profiles: Vec<Option<String>> =
            users.iter().map(|u| u.get(User::PROFILE).as_ref().map(|p| p.bio.clone())).collect();
        assert_eq!(profiles, [Some("math".to_owned()), None]);
        let expected: Profile = session.one(profiles::table).unwrap();
        assert_eq!(users[0].get(User::PROFILE).as_ref().map(|p| p.row()), Some(&expected));

        // A nullable self-reference: the root has no parent; children in
        // their declared order (by name).
        engine.record_statements(true);
        let tree = session.load(categories::table.order(categories::id), (Category::PARENT, Category::CHILDREN)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);
        let summary: Vec<(String, Option<String>, Vec<String>)> = tree
            .iter()
            .map(|c| {
                let parent = c.get(Category::PARENT).as_ref().map(|p| p.name.clone());
                let children = c.get(Category::CHILDREN).iter().map(|k| k.name.clone()).collect();
                (c.name.clone(), parent, children)
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("root".to_owned(), None, vec!["a".to_owned(), "b".to_owned()]),
                ("b".to_owned(), Some("root".to_owned()), vec!["leaf".to_owned()]),
                ("a".to_owned(), Some("root".to_owned()), vec![]),
                ("leaf".to_owned(), Some("b".to_owned()), vec![]),
            ]
        );
    }

    fn related_loads_one_relation_for_rows_in_hand_in_one_statement(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let articles: Vec<Article> = session.all(articles::table.order(articles::id)).unwrap();
        assert!(!articles.is_empty());

        engine.record_statements(true);
        let authors: Vec<Author> = session.related(&articles, Article::AUTHOR).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);
        for (article, author) in articles.iter().zip(&authors) {
            assert_eq!(author.id, article.author_id);
        }

        // Nothing to load: no statement at all.
        engine.record_statements(true);
        let none: Vec<Vec<Comment>> = session.related(&[] as &[Article], Article::COMMENTS).unwrap();
        engine.record_statements(false);
        assert!(none.is_empty());
        assert_eq!(selects(&engine.take_statements()), 0);
    }

    fn many_to_many_loads_through_the_association_table_with_shared_rows(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        let tags: Vec<_> = (0..6).map(|t| session.add(NewTag::new(format!("tag {t}")))).collect();
        let mut rng = Seeded(7);
        for a in 0..12 {
            let article = session.add_child(ada, Author::ARTICLES, move |id| NewArticle::new(format!("a{a}"), id)).unwrap();
            // 0..3 distinct tags each, drawn from six: most tags are shared.
            let mut chosen: Vec<usize> = (0..rng.below(4)).map(|_| rng.below(6) as usize).collect();
            chosen.sort();
            chosen.dedup();
            for t in chosen {
                session.link(article, Article::TAGS, tags[t]).unwrap();
            }
        }
        session.flush().unwrap();

        engine.record_statements(true);
        let loaded = session.load(articles::table.order(articles::id), Article::TAGS.with(Tag::ARTICLES)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);

        let mut untagged = 0;
        for article in &loaded {
            let expected: Vec<Tag> = session
                .all(
                    tags::table
                        .inner_join(article_tags::table)
                        .filter(article_tags::article_id.eq(article.id))
                        .select(Tag::as_select())
                        .order(tags::id),
                )
                .unwrap();
            let mut got: Vec<Tag> = article.get(Article::TAGS).iter().map(|t| t.row().clone()).collect();
            got.sort_by_key(|t| t.id);
            assert_eq!(got, expected, "{}", article.title);
            untagged += usize::from(expected.is_empty());
            // And back: every tag lists this article among its articles.
            for tag in article.get(Article::TAGS) {
                assert!(tag.get(Tag::ARTICLES).iter().any(|a| a.id == article.id));
            }
        }
        assert!(untagged > 0, "the seed has untagged articles");
    }

    fn any_and_has_filter_rows_by_their_related_rows(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let rust = session.add(NewTag::new("rust"));
        let rust = *session.flush().unwrap().key(rust).unwrap();
        let first: Vec<Article> = session.all(articles::table.order(articles::id).limit(3)).unwrap();
        for article in &first {
            session.link(RowRef::existing(article.id), Article::TAGS, RowRef::existing(rust)).unwrap();
        }
        session.flush().unwrap();

        // has_many: authors with an article published in the seed's first week.
        let week = chrono::NaiveDate::from_ymd_opt(2024, 1, 8).unwrap();
        let got: Vec<i32> = session
            .all(authors::table.filter(Author::ARTICLES.any(articles::published.lt(week))).select(authors::id).order(authors::id))
            .unwrap();
        let expected: Vec<i32> = session
            .all(articles::table.filter(articles::published.lt(week)).select(articles::author_id).order(articles::author_id).distinct())
            .unwrap();
        assert!(!expected.is_empty());
        assert_eq!(got, expected);

        // belongs_to: articles whose author is "author 3".
        let got: Vec<i32> = session
            .all(articles::table.filter(Article::AUTHOR.has(authors::name.eq("author 3"))).select(articles::id).order(articles::id))
            .unwrap();
        let expected: Vec<i32> = session
            .all(articles::table.inner_join(authors::table).filter(authors::name.eq("author 3")).select(articles::id).order(articles::id))
            .unwrap();
        assert_eq!(got, expected);

        // many_to_many: articles tagged "rust", and its negation.
        let tagged: Vec<i32> = session
            .all(articles::table.filter(Article::TAGS.any(tags::name.eq("rust"))).select(articles::id).order(articles::id))
            .unwrap();
        assert_eq!(tagged, first.iter().map(|a| a.id).collect::<Vec<_>>());
        let untagged: i64 =
            session.one(articles::table.filter(diesel::dsl::not(Article::TAGS.any(tags::name.eq("rust")))).count()).unwrap();
        let all: i64 = session.one(articles::table.count()).unwrap();
        assert_eq!(untagged, all - 3);

        // A nullable self-reference: categories whose parent is named "root".
        let root = session.add(NewCategory::new("root"));
        session.add_with_parent(NewCategory::new("child"), Category::PARENT, root).unwrap();
        session.flush().unwrap();
        let names: Vec<String> = session
            .all(categories::table.filter(Category::PARENT.has(categories::name.eq("root"))).select(categories::name))
            .unwrap();
        assert_eq!(names, ["child"]);
        let parents: Vec<String> = session
            .all(categories::table.filter(Category::CHILDREN.any(categories::name.eq("child"))).select(categories::name))
            .unwrap();
        assert_eq!(parents, ["root"]);
    }

    fn many_parents_load_completely_in_chunks_under_the_bind_limit(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        // SQLite's limit (32,766 binds) is passed: its keys go in two
        // statements; PostgreSQL's and MySQL's (65,535) hold 10,000 in one.
        let sqlite = engine.url().backend() == quarry::engine::Backend::Sqlite;
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
        session.execute(diesel::sql_query("INSERT INTO articles (title, author_id) SELECT name, id FROM authors")).unwrap();

        engine.record_statements(true);
        let loaded = session.load(authors::table, Author::ARTICLES).unwrap();
        engine.record_statements(false);
        let statements = engine.take_statements();
        assert_eq!(selects(&statements), if sqlite { 3 } else { 2 });
        assert_eq!(loaded.len(), n);
        for author in &loaded {
            let articles = author.get(Author::ARTICLES);
            assert_eq!(articles.len(), 1, "{}", author.name);
            assert_eq!((articles[0].author_id, articles[0].title.as_str()), (author.id, author.name.as_str()));
        }
    }

    fn a_relation_loads_with_extra_criteria_and_nested_relations(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 20).unwrap();

        engine.record_statements(true);
        let loaded = session
            .load(
                authors::table.order(authors::id),
                Author::ARTICLES.filter(articles::published.gt(day)).with(Article::COMMENTS),
            )
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 3);

        let mut some_left_out = false;
        for author in &loaded {
            let expected: Vec<Article> = session
                .all(
                    articles::table
                        .filter(articles::author_id.eq(author.id))
                        .filter(articles::published.gt(day))
                        .order(articles::published.desc()),
                )
                .unwrap();
            let all: i64 = session.one(articles::table.filter(articles::author_id.eq(author.id)).count()).unwrap();
            some_left_out |= (expected.len() as i64) < all;
            let got: Vec<Article> = author.get(Author::ARTICLES).iter().map(|a| a.row().clone()).collect();
            assert_eq!(got, expected, "{}", author.name);
            for article in author.get(Author::ARTICLES) {
                let comments: i64 =
                    session.one(comments::table.filter(comments::article_id.eq(article.id)).count()).unwrap();
                assert_eq!(article.get(Article::COMMENTS).len() as i64, comments);
            }
        }
        assert!(some_left_out, "the criteria leave some articles out");

        // A required belongs_to under criteria may find no row: it loads as
        // an Option, Some only where the author matches.
        let articles = session
            .load(articles::table.order(articles::id), Article::AUTHOR.filter(authors::name.eq("author 3")))
            .unwrap();
        let author_3: Author = session.one(authors::table.filter(authors::name.eq("author 3"))).unwrap();
        for article in &articles {
            let found: Option<&Author> = article.get(Article::AUTHOR).as_ref().map(|a| a.row());
            assert_eq!(found, (article.author_id == author_3.id).then_some(&author_3), "{}", article.title);
        }
    }

    fn a_loaded_graph_serializes_with_its_relations_by_name(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewAuthor::new("Ada"));
        session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Notes", id)).unwrap();
        session.flush().unwrap();

        let authors = session.load(authors::table, Author::ARTICLES.with(Article::COMMENTS)).unwrap();
        let json = serde_json::to_value(&authors).unwrap();
        assert_eq!(json[0]["name"], "Ada");
        assert_eq!(json[0]["articles"][0]["title"], "Notes");
        assert_eq!(json[0]["articles"][0]["comments"], serde_json::json!([]));
    }
}
