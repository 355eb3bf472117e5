//! The joined strategy (`Relation::joined`) on every backend: one statement
//! with a `LEFT OUTER JOIN`, rows equal to the selectin load and to a naive
//! per-parent loop on seeded data, the query's filter and order kept, the
//! same JSON as selectin's.

use crate::common;
use crate::common::{selects, Seeded};

use diesel::prelude::*;
use quarry::Loaded;

use crate::schema;
use schema::{
    article_tags, articles, authors, categories, comments, profiles, tags, Article, Author, Category, Comment,
    NewArticle, NewAuthor, NewCategory, NewComment, NewProfile, NewTag, NewUser, Profile, Tag,
};

/// 20 authors with 0..4 articles each (distinct publication dates, so the
/// declared order is total), each article with 0..3 comments and 0..3 of
/// six tags.
fn seed_blog<C: quarry::engine::EngineConnection>(session: &mut quarry::Session<C>)
where
    NewAuthor: quarry::FlushRows<C>,
    NewArticle: quarry::FlushRows<C>,
    NewComment: quarry::FlushRows<C>,
    NewTag: quarry::FlushRows<C>,
    schema::NewArticleTag: quarry::FlushRows<C>,
{
    let mut rng = Seeded(1234);
    let day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let tags: Vec<_> = (0..6).map(|t| session.add(NewTag::new(format!("tag {t}")))).collect();
    let mut n = 0;
    for a in 0..20 {
        let author = session.add(NewAuthor::new(format!("author {:02}", (a * 7) % 20)));
        for _ in 0..rng.below(4) {
            n += 1;
            let published = day + chrono::Days::new(n);
            let article = session
                .add_child(author, Author::ARTICLES, move |id| {
                    let mut article = NewArticle::new(format!("article {n}"), id);
                    article.published = Some(published);
                    article.views = (n * 13 % 50) as i32;
                    article
                })
                .unwrap();
            for c in 0..rng.below(3) {
                session
                    .add_child(article, Article::COMMENTS, move |id| NewComment::new(id, format!("c{c}"), 1.5))
                    .unwrap();
            }
            let mut chosen: Vec<usize> = (0..rng.below(4)).map(|_| rng.below(6) as usize).collect();
            chosen.sort();
            chosen.dedup();
            for t in chosen {
                session.link(article, Article::TAGS, tags[t]).unwrap();
            }
        }
    }
    session.flush().unwrap();
}

/// A category tree: root → (b → leaf, a), and a second root without children.
fn seed_tree<C: quarry::engine::EngineConnection>(session: &mut quarry::Session<C>)
where
    NewCategory: quarry::FlushRows<C>,
{
    let root = session.add(NewCategory::new("root"));
    let b = session.add_with_parent(NewCategory::new("b"), Category::PARENT, root).unwrap();
    session.add_with_parent(NewCategory::new("a"), Category::PARENT, root).unwrap();
    session.add_with_parent(NewCategory::new("leaf"), Category::PARENT, b).unwrap();
    session.add(NewCategory::new("lonely"));
    session.flush().unwrap();
}

common::engine_tests! {
    fn a_joined_belongs_to_loads_in_one_statement_as_selectin_does(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let query = || articles::table.filter(articles::views.gt(10)).order((articles::views.desc(), articles::id));

        engine.record_statements(true);
        let joined = session.load(query(), Article::AUTHOR.joined()).unwrap();
        engine.record_statements(false);
        let statements = engine.take_statements();
        assert_eq!(selects(&statements), 1, "{statements:?}");
        assert!(statements[0].contains("LEFT OUTER JOIN"), "{statements:?}");

        let selectin = session.load(query(), Article::AUTHOR).unwrap();
        assert_eq!(joined.len(), selectin.len());
        // The query's filter and order are kept.
        let expected: Vec<Article> = session.all(query()).unwrap();
        assert!(expected.len() > 5);
        assert_eq!(joined.iter().map(|a| a.row().clone()).collect::<Vec<_>>(), expected);
        for (j, s) in joined.iter().zip(&selectin) {
            let author: &Loaded<Author> = j.get(Article::AUTHOR);
            assert_eq!(author, s.get(Article::AUTHOR));
            let naive: Author = session.one(authors::table.find(j.author_id)).unwrap();
            assert_eq!(author.row(), &naive);
        }
        assert_eq!(serde_json::to_value(&joined).unwrap(), serde_json::to_value(&selectin).unwrap());
    }

    fn a_joined_to_many_groups_children_under_parents_in_the_query_order(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let query = || authors::table.filter(authors::name.ne("author 03")).order((authors::name.desc(), authors::id));

        engine.record_statements(true);
        let joined = session.load(query(), Author::ARTICLES.joined()).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);

        let selectin = session.load(query(), Author::ARTICLES).unwrap();
        assert_eq!(joined, selectin);
        let authors: Vec<Author> = session.all(query()).unwrap();
        assert_eq!(joined.iter().map(|a| a.row().clone()).collect::<Vec<_>>(), authors);
        let mut childless = 0;
        for author in &joined {
            let naive: Vec<Article> = session
                .all(articles::table.filter(articles::author_id.eq(author.id)).order(articles::published.desc()))
                .unwrap();
            let got: &Vec<Loaded<Article>> = author.get(Author::ARTICLES);
            assert_eq!(got.iter().map(|a| a.row().clone()).collect::<Vec<_>>(), naive, "{}", author.name);
            childless += usize::from(naive.is_empty());
        }
        assert!(childless > 0, "the seed has authors without articles");
        assert_eq!(serde_json::to_value(&joined).unwrap(), serde_json::to_value(&selectin).unwrap());

        // A query over the table itself works too (no filter, no order).
        let all = session.load(authors::table, Author::ARTICLES.joined()).unwrap();
        assert_eq!(all.len(), 20);
        let total: usize = all.iter().map(|a| a.get(Author::ARTICLES).len()).sum();
        let articles: i64 = session.one(articles::table.count()).unwrap();
        assert_eq!(total as i64, articles);
    }

    fn a_joined_relation_takes_nested_selectin_relations_in_one_more_statement_each(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let query = || authors::table.order(authors::id);

        engine.record_statements(true);
        let joined = session.load(query(), Author::ARTICLES.joined().with((Article::COMMENTS, Article::TAGS))).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1 + 2);

        let selectin = session.load(query(), Author::ARTICLES.with((Article::COMMENTS, Article::TAGS))).unwrap();
        assert_eq!(joined.len(), selectin.len());
        for (j, s) in joined.iter().zip(&selectin) {
            assert_eq!(j.row(), s.row());
            for (ja, sa) in j.get(Author::ARTICLES).iter().zip(s.get(Author::ARTICLES)) {
                assert_eq!(ja.row(), sa.row());
                assert_eq!(ja.get(Article::COMMENTS), sa.get(Article::COMMENTS));
                let naive: Vec<Comment> =
                    session.all(comments::table.filter(comments::article_id.eq(ja.id)).order(comments::id)).unwrap();
                let mut got: Vec<Comment> = ja.get(Article::COMMENTS).iter().map(|c| c.row().clone()).collect();
                got.sort_by_key(|c| c.id);
                assert_eq!(got, naive);
                let mut jt: Vec<i32> = ja.get(Article::TAGS).iter().map(|t| t.id).collect();
                let mut st: Vec<i32> = sa.get(Article::TAGS).iter().map(|t| t.id).collect();
                jt.sort();
                st.sort();
                assert_eq!(jt, st);
            }
        }
    }

    fn a_joined_relation_combines_with_selectin_relations_for_the_same_rows(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);
        let query = || articles::table.order(articles::id);

        engine.record_statements(true);
        let joined = session.load(query(), (Article::AUTHOR.joined(), Article::COMMENTS, Article::TAGS)).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1 + 2);

        let selectin = session.load(query(), (Article::AUTHOR, Article::COMMENTS, Article::TAGS)).unwrap();
        assert_eq!(joined.len(), selectin.len());
        for (j, s) in joined.iter().zip(&selectin) {
            assert_eq!(j.row(), s.row());
            assert_eq!(j.get(Article::AUTHOR), s.get(Article::AUTHOR));
            assert_eq!(j.get(Article::COMMENTS), s.get(Article::COMMENTS));
            assert_eq!(j.get(Article::TAGS).len(), s.get(Article::TAGS).len());
        }
    }

    fn a_joined_many_to_many_goes_through_the_association_table(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_blog(&mut session);

        engine.record_statements(true);
        let joined = session.load(articles::table.order(articles::id), Article::TAGS.joined()).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);

        let articles: Vec<Article> = session.all(articles::table.order(articles::id)).unwrap();
        assert_eq!(joined.iter().map(|a| a.row().clone()).collect::<Vec<_>>(), articles);
        let mut untagged = 0;
        for article in &joined {
            let naive: Vec<Tag> = session
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
            assert_eq!(got, naive, "{}", article.title);
            untagged += usize::from(naive.is_empty());
        }
        assert!(untagged > 0, "the seed has untagged articles");
    }

    fn joined_optional_relations_load_none_for_null_keys_and_missing_rows(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewUser::new("ada", "ada@example.com"));
        session.add(NewUser::new("bob", "bob@example.com"));
        session.add_child(ada, schema::User::PROFILE, |id| NewProfile::new(id, "math", serde_json::json!({}))).unwrap();
        seed_tree(&mut session);

        // has_one: Some for Ada, None for Bob, in one statement.
        engine.record_statements(true);
        let users = session.load(schema::users::table.order(schema::users::id), schema::User::PROFILE.joined()).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);
        let expected: Profile = session.one(profiles::table).unwrap();
        let got: Vec<Option<&Profile>> =
            users.iter().map(|u| u.get(schema::User::PROFILE).as_ref().map(|p| p.row())).collect();
        assert_eq!(got, [Some(&expected), None]);
        let selectin = session.load(schema::users::table.order(schema::users::id), schema::User::PROFILE).unwrap();
        assert_eq!(users, selectin);

        // A nullable self-referential belongs_to: NULL keys give None.
        engine.record_statements(true);
        let tree = session.load(categories::table.order(categories::name), Category::PARENT.joined()).unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);
        let parents: Vec<(String, Option<String>)> = tree
            .iter()
            .map(|c| (c.name.clone(), c.get(Category::PARENT).as_ref().map(|p| p.name.clone())))
            .collect();
        assert_eq!(
            parents,
            [
                ("a".to_owned(), Some("root".to_owned())),
                ("b".to_owned(), Some("root".to_owned())),
                ("leaf".to_owned(), Some("b".to_owned())),
                ("lonely".to_owned(), None),
                ("root".to_owned(), None),
            ]
        );
        let selectin = session.load(categories::table.order(categories::name), Category::PARENT).unwrap();
        assert_eq!(tree, selectin);
        assert_eq!(serde_json::to_value(&tree).unwrap(), serde_json::to_value(&selectin).unwrap());
    }

    fn a_self_referential_joined_to_many_loads_children_under_an_alias(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_tree(&mut session);

        engine.record_statements(true);
        let tree = session
            .load(categories::table.filter(categories::name.ne("a")).order(categories::name), Category::CHILDREN.joined())
            .unwrap();
        engine.record_statements(false);
        assert_eq!(selects(&engine.take_statements()), 1);
        let summary: Vec<(String, Vec<String>)> = tree
            .iter()
            .map(|c| (c.name.clone(), c.get(Category::CHILDREN).iter().map(|k| k.name.clone()).collect()))
            .collect();
        // Children in their declared order (by name); "a" is filtered out as
        // a parent row, not as a child.
        assert_eq!(
            summary,
            [
                ("b".to_owned(), vec!["leaf".to_owned()]),
                ("leaf".to_owned(), vec![]),
                ("lonely".to_owned(), vec![]),
                ("root".to_owned(), vec!["a".to_owned(), "b".to_owned()]),
            ]
        );
        let selectin = session
            .load(categories::table.filter(categories::name.ne("a")).order(categories::name), Category::CHILDREN)
            .unwrap();
        assert_eq!(tree, selectin);
        assert_eq!(serde_json::to_value(&tree).unwrap(), serde_json::to_value(&selectin).unwrap());
    }
}
