//! `Session::delete` with the schema's cascades, on every backend: a
//! deleted author takes its articles and their tag links (deleted by
//! quarry, not left to ON DELETE CASCADE); a deleted category
//! leaves its children with no parent; a delete the database refuses
//! leaves everything as it was.

use crate::common;

use diesel::prelude::*;

use crate::schema;
use schema::{
    article_tags, articles, authors, categories, comments, orders, profiles, tags, users, Article, Author, Category,
    NewArticle, NewAuthor, NewCategory, NewComment, NewOrder, NewProfile, NewTag, NewUser, User,
};

common::engine_tests! {
    fn deleting_an_author_deletes_its_articles_comments_and_tag_links(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let rust = session.add(NewTag::new("rust"));
        let (ada, alan) = (session.add(NewAuthor::new("Ada")), session.add(NewAuthor::new("Alan")));
        for (author, n) in [(ada, 3), (alan, 2)] {
            for a in 0..n {
                let article = session.add_child(author, Author::ARTICLES, move |id| NewArticle::new(format!("a{a}"), id)).unwrap();
                session.add_child(article, Article::COMMENTS, |id| NewComment::new(id, "c", 1.0)).unwrap();
                session.link(article, Article::TAGS, rust).unwrap();
            }
        }
        session.flush().unwrap();
        let ada: Author = session.one(authors::table.filter(authors::name.eq("Ada"))).unwrap();

        engine.record_statements(true);
        assert!(session.delete(&ada).unwrap());
        engine.record_statements(false);
        // quarry deleted the dependants the schema cascades to, children
        // first: the articles (`cascade = "all, delete-orphan"`) and their
        // tag links. Article.comments declares no cascade and its key is NOT
        // NULL: that is the database's ON DELETE CASCADE.
        let deletes: Vec<String> = engine
            .take_statements()
            .into_iter()
            .filter(|s| s.starts_with("DELETE"))
            .map(|s| s.split_whitespace().nth(2).unwrap().trim_matches(|c| c == '"' || c == '`').to_owned())
            .collect();
        assert_eq!(deletes, ["article_tags", "articles", "authors"]);

        let (a, r, c, l, t): (i64, i64, i64, i64, i64) = (
            session.one(authors::table.count()).unwrap(),
            session.one(articles::table.count()).unwrap(),
            session.one(comments::table.count()).unwrap(),
            session.one(article_tags::table.count()).unwrap(),
            session.one(tags::table.count()).unwrap(),
        );
        assert_eq!((a, r, c, l, t), (1, 2, 2, 2, 1), "Alan's rows and the shared tag stay");
        // Deleting it again finds nothing.
        assert!(!session.delete(&ada).unwrap());
    }

    fn deleting_a_parent_category_leaves_its_children_without_one(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let root = session.add(NewCategory::new("root"));
        session.add_with_parent(NewCategory::new("a"), Category::PARENT, root).unwrap();
        session.add_with_parent(NewCategory::new("b"), Category::PARENT, root).unwrap();
        session.flush().unwrap();
        let root: Category = session.one(categories::table.filter(categories::name.eq("root"))).unwrap();

        assert!(session.delete(&root).unwrap());
        let left: Vec<(String, Option<i32>)> =
            session.all(categories::table.select((categories::name, categories::parent_id)).order(categories::name)).unwrap();
        assert_eq!(left, [("a".to_owned(), None), ("b".to_owned(), None)]);
    }

    fn a_delete_the_database_refuses_changes_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewUser::new("ada", "ada@example.com"));
        session.add_child(ada, User::PROFILE, |id| NewProfile::new(id, "math", serde_json::json!({}))).unwrap();
        let ada_id = *session.flush().unwrap().key(ada).unwrap();
        // An order keeps Ada: its key is NOT NULL, with no cascade and no ON DELETE.
        session.add(NewOrder::new(ada_id));
        session.flush().unwrap();
        let ada: User = session.one(users::table.find(ada_id)).unwrap();

        let error = session.delete(&ada).unwrap_err();
        assert!(matches!(error, quarry::Error::Integrity(_)), "{error}");
        // The profile the cascade deleted first is back: one transaction.
        let (u, p, o): (i64, i64, i64) = (
            session.one(users::table.count()).unwrap(),
            session.one(profiles::table.count()).unwrap(),
            session.one(orders::table.count()).unwrap(),
        );
        assert_eq!((u, p, o), (1, 1, 1));
    }
}
