//! `Session::delete` and `Session::unlink` with the schema's cascades, on
//! every backend: a deleted author takes its articles and their tag links
//! (deleted by quarry, not left to ON DELETE CASCADE); a deleted category
//! leaves its children with no parent; a `passive_deletes` relation is left
//! to the database; unlinking deletes an orphan, clears a nullable key or
//! deletes one association row, and touches nothing when the pair is not
//! linked; a delete or unlink the database refuses leaves everything as it
//! was; listeners see every cascade statement in order.

use std::sync::{Arc, Mutex};

use crate::common;

use diesel::prelude::*;
use quarry::engine::{CascadeAction, CascadeEvent, Event, EventKind};

use crate::schema;
use schema::{
    article_tags, articles, authors, categories, comments, employees, orders, profiles, tags, users, Article, Author,
    Category, Employee, NewArticle, NewAuthor, NewCategory, NewComment, NewEmployee, NewOrder, NewProfile, NewTag,
    NewUser, Tag, User,
};

/// Every event of `kinds` the session's listeners hear, in order.
fn heard<C: quarry::engine::EngineConnection>(
    session: &mut quarry::Session<C>,
    kinds: &[EventKind],
) -> Arc<Mutex<Vec<Event>>> {
    let heard = Arc::new(Mutex::new(Vec::new()));
    for &kind in kinds {
        let heard = heard.clone();
        session.listen(kind, move |event| heard.lock().unwrap().push(event));
    }
    heard
}

fn cascade(action: CascadeAction, table: &'static str, rows: usize) -> Event {
    Event::Cascade(CascadeEvent::new(action, table, rows))
}

/// The statements that read or write rows (not BEGIN, SAVEPOINT, COMMIT).
fn data_statements<C: quarry::engine::EngineConnection>(engine: &quarry::Engine<C>) -> Vec<String> {
    engine
        .take_statements()
        .into_iter()
        .filter(|s| ["SELECT", "INSERT", "UPDATE", "DELETE"].iter().any(|verb| s.trim_start().starts_with(verb)))
        .collect()
}

/// Ada with two articles, `first` and `second`, each with a comment and
/// the tag `rust`, the second also tagged `sql`; Alan with one, `other`,
/// tagged `rust`. Evaluates to `(ada, first, second, other, rust, sql)`.
macro_rules! blog {
    ($session:ident) => {{
        let (rust, sql) = ($session.add(NewTag::new("rust")), $session.add(NewTag::new("sql")));
        let (ada, alan) = ($session.add(NewAuthor::new("Ada")), $session.add(NewAuthor::new("Alan")));
        for (author, title) in [(ada, "first"), (ada, "second"), (alan, "other")] {
            let article = $session.add_child(author, Author::ARTICLES, move |id| NewArticle::new(title, id)).unwrap();
            $session.add_child(article, Article::COMMENTS, |id| NewComment::new(id, "c", 1.0)).unwrap();
            $session.link(article, Article::TAGS, rust).unwrap();
            if title == "second" {
                $session.link(article, Article::TAGS, sql).unwrap();
            }
        }
        $session.flush().unwrap();
        let article = |s: &mut quarry::Session<_>, title: &str| -> Article {
            s.one(articles::table.filter(articles::title.eq(title))).unwrap()
        };
        let tag =
            |s: &mut quarry::Session<_>, name: &str| -> Tag { s.one(tags::table.filter(tags::name.eq(name))).unwrap() };
        let ada: Author = $session.one(authors::table.filter(authors::name.eq("Ada"))).unwrap();
        let (first, second, other) =
            (article(&mut $session, "first"), article(&mut $session, "second"), article(&mut $session, "other"));
        let (rust, sql) = (tag(&mut $session, "rust"), tag(&mut $session, "sql"));
        (ada, first, second, other, rust, sql)
    }};
}

/// `(article title, tag name)` of every association row, sorted.
macro_rules! tag_links {
    ($session:ident) => {{
        let mut links: Vec<(String, String)> = $session
            .all(
                article_tags::table
                    .inner_join(articles::table)
                    .inner_join(tags::table)
                    .select((articles::title, tags::name)),
            )
            .unwrap();
        links.sort();
        links
    }};
}

/// `(title, number of comments)` of every article, sorted.
macro_rules! articles_left {
    ($session:ident) => {{
        let mut left: Vec<(String, i64)> = Vec::new();
        let titles: Vec<(i32, String)> = $session.all(articles::table.select((articles::id, articles::title))).unwrap();
        for (id, title) in titles {
            let n: i64 = $session.one(comments::table.filter(comments::article_id.eq(id)).count()).unwrap();
            left.push((title, n));
        }
        left.sort();
        left
    }};
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

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

    fn passive_deletes_leaves_the_reports_to_on_delete_set_null(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let (day, nine) = (chrono::NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(), chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap());
        let boss = session.add(NewEmployee::new("boss", day, nine));
        for name in ["ann", "bob"] {
            session.add_child(boss, Employee::REPORTS, move |_| NewEmployee::new(name, day, nine)).unwrap();
        }
        session.flush().unwrap();
        let boss: Employee = session.one(employees::table.filter(employees::name.eq("boss"))).unwrap();
        let events = heard(&mut session, &[EventKind::Cascade]);

        engine.record_statements(true);
        assert!(session.delete(&boss).unwrap());
        engine.record_statements(false);
        // Employee.reports says `passive_deletes`: the session runs the one
        // DELETE, and the database's ON DELETE SET NULL detaches the reports.
        let statements = data_statements(&engine);
        assert_eq!(statements.len(), 1, "{statements:?}");
        assert!(statements[0].starts_with("DELETE"), "{statements:?}");
        assert_eq!(*events.lock().unwrap(), [cascade(CascadeAction::Delete, "employees", 1)]);
        let left: Vec<(String, Option<i64>)> =
            session.all(employees::table.select((employees::name, employees::manager_id)).order(employees::name)).unwrap();
        assert_eq!(left, [("ann".to_owned(), None), ("bob".to_owned(), None)]);
    }

    fn unlinking_a_child_under_delete_orphan_deletes_it_and_its_dependants(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let (ada, first, second, other, _, _) = blog!(session);
        let events = heard(&mut session, &[EventKind::Cascade, EventKind::AfterCommit]);

        // Author.articles says delete-orphan: the article goes, its tag link
        // first (quarry), its comment with it (the database's ON DELETE CASCADE).
        assert!(session.unlink(&ada, Author::ARTICLES, &first).unwrap());
        assert_eq!(
            *events.lock().unwrap(),
            [
                cascade(CascadeAction::Unlink, "article_tags", 1),
                cascade(CascadeAction::DeleteOrphan, "articles", 1),
                Event::AfterCommit,
            ]
        );
        assert_eq!(articles_left!(session), [("other".to_owned(), 1), ("second".to_owned(), 1)]);
        assert_eq!(tag_links!(session), owned(&[("other", "rust"), ("second", "rust"), ("second", "sql")]));

        // From the child's side, the parent's delete-orphan decides too
        // (SQLAlchemy's `article.author = None`).
        assert!(session.unlink(&second, Article::AUTHOR, &ada).unwrap());
        assert_eq!(articles_left!(session), [("other".to_owned(), 1)]);
        assert_eq!(tag_links!(session), owned(&[("other", "rust")]));
        let authors: i64 = session.one(authors::table.count()).unwrap();
        assert_eq!(authors, 2, "the parent stays");
        let _ = other;
    }

    fn unlinking_an_association_object_with_a_composite_key_deletes_only_that_item(engine) {
        use schema::{order_items, NewOrder, NewOrderItem, NewProduct, NewUser, Order, OrderItem};
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let ada = session.add(NewUser::new("ada", "ada@example.com"));
        let (pen, ink) = (session.add(NewProduct::new("pen", "Pen", 2, true)), session.add(NewProduct::new("ink", "Ink", 3, true)));
        let flushed = session.flush().unwrap();
        let (pen, ink) = (*flushed.key(pen).unwrap(), *flushed.key(ink).unwrap());
        let first = session.add(NewOrder::new(*flushed.key(ada).unwrap()));
        let second = session.add(NewOrder::new(*flushed.key(ada).unwrap()));
        for order in [first, second] {
            for product in [pen, ink] {
                session.add_child(order, Order::ITEMS, move |id| NewOrderItem::new(id, product, 1)).unwrap();
            }
        }
        session.flush().unwrap();
        let orders: Vec<Order> = session.all(schema::orders::table.order(schema::orders::id)).unwrap();
        let item = |s: &mut quarry::Session<_>, order: i32, product: i32| -> OrderItem {
            s.one(order_items::table.find((order, product))).unwrap()
        };
        let pen_of_first = item(&mut session, orders[0].id, pen);
        let events = heard(&mut session, &[EventKind::Cascade]);

        // Order.items says delete-orphan: the (order, product) row goes, by its two-column key.
        assert!(session.unlink(&orders[0], Order::ITEMS, &pen_of_first).unwrap());
        assert_eq!(*events.lock().unwrap(), [cascade(CascadeAction::DeleteOrphan, "order_items", 1)]);
        let left: Vec<(i32, i32)> = session
            .all(order_items::table.select((order_items::order_id, order_items::product_id)).order((order_items::order_id, order_items::product_id)))
            .unwrap();
        assert_eq!(left, [(orders[0].id, ink), (orders[1].id, pen), (orders[1].id, ink)]);
        // The same item through another order is not linked to it: nothing changes.
        let ink_of_first = item(&mut session, orders[0].id, ink);
        assert!(!session.unlink(&orders[1], Order::ITEMS, &ink_of_first).unwrap());
        let count: i64 = session.one(order_items::table.count()).unwrap();
        assert_eq!(count, 3);
    }

    fn unlinking_a_child_over_a_nullable_key_clears_the_key(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let root = session.add(NewCategory::new("root"));
        for name in ["a", "b", "c"] {
            session.add_with_parent(NewCategory::new(name), Category::PARENT, root).unwrap();
        }
        session.flush().unwrap();
        let find = |s: &mut quarry::Session<_>, name: &str| -> Category {
            s.one(categories::table.filter(categories::name.eq(name))).unwrap()
        };
        let (root, a, b) = (find(&mut session, "root"), find(&mut session, "a"), find(&mut session, "b"));
        let events = heard(&mut session, &[EventKind::Cascade]);

        assert!(session.unlink(&root, Category::CHILDREN, &a).unwrap());
        assert!(session.unlink(&b, Category::PARENT, &root).unwrap());
        assert_eq!(*events.lock().unwrap(), [cascade(CascadeAction::Nullify, "categories", 1); 2]);
        let left: Vec<(String, Option<i32>)> =
            session.all(categories::table.select((categories::name, categories::parent_id)).order(categories::name)).unwrap();
        assert_eq!(
            left,
            [("a".to_owned(), None), ("b".to_owned(), None), ("c".to_owned(), Some(root.id)), ("root".to_owned(), None)]
        );
    }

    fn unlinking_a_many_to_many_pair_deletes_only_its_association_row(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let (_, _, second, other, rust, sql) = blog!(session);
        let events = heard(&mut session, &[EventKind::Cascade]);

        assert!(session.unlink(&second, Article::TAGS, &rust).unwrap());
        assert!(session.unlink(&sql, Tag::ARTICLES, &second).unwrap());
        assert_eq!(*events.lock().unwrap(), [cascade(CascadeAction::Unlink, "article_tags", 1); 2]);
        assert_eq!(tag_links!(session), owned(&[("first", "rust"), ("other", "rust")]));
        let (a, t): (i64, i64) = (session.one(articles::table.count()).unwrap(), session.one(tags::table.count()).unwrap());
        assert_eq!((a, t), (3, 2), "the articles and tags stay");
        let _ = other;
    }

    fn unlinking_a_pair_that_is_not_linked_changes_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let (ada, first, _, other, _, sql) = blog!(session);
        let root = session.add(NewCategory::new("root"));
        session.add(NewCategory::new("loose"));
        session.add_with_parent(NewCategory::new("child"), Category::PARENT, root).unwrap();
        session.flush().unwrap();
        let find = |s: &mut quarry::Session<_>, name: &str| -> Category {
            s.one(categories::table.filter(categories::name.eq(name))).unwrap()
        };
        let (root, loose, child) = (find(&mut session, "root"), find(&mut session, "loose"), find(&mut session, "child"));
        let events = heard(&mut session, &[EventKind::Cascade]);

        // Alan's article is not Ada's: delete-orphan does not reach it.
        assert!(!session.unlink(&ada, Author::ARTICLES, &other).unwrap());
        assert!(!session.unlink(&other, Article::AUTHOR, &ada).unwrap());
        // `child` is root's, not loose's; loose has no parent.
        assert!(!session.unlink(&loose, Category::CHILDREN, &child).unwrap());
        assert!(!session.unlink(&loose, Category::PARENT, &root).unwrap());
        // `first` is not tagged `sql`.
        assert!(!session.unlink(&first, Article::TAGS, &sql).unwrap());

        assert!(events.lock().unwrap().is_empty());
        assert_eq!(articles_left!(session), [("first".to_owned(), 1), ("other".to_owned(), 1), ("second".to_owned(), 1)]);
        assert_eq!(tag_links!(session), owned(&[("first", "rust"), ("other", "rust"), ("second", "rust"), ("second", "sql")]));
        let child: Category = session.one(categories::table.find(child.id)).unwrap();
        assert_eq!(child.parent_id, Some(root.id));
    }

    fn an_unlink_the_database_refuses_changes_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let (ada, first, ..) = blog!(session);
        // A table the schema does not know pins `first`: its key has no ON
        // DELETE, so deleting the orphan fails after its tag link is gone.
        diesel::sql_query("CREATE TABLE pins (article_id INTEGER NOT NULL, FOREIGN KEY (article_id) REFERENCES articles (id))")
            .execute(session.connection())
            .unwrap();
        diesel::sql_query(format!("INSERT INTO pins (article_id) VALUES ({})", first.id)).execute(session.connection()).unwrap();
        let events = heard(&mut session, &[EventKind::Cascade, EventKind::AfterCommit, EventKind::AfterRollback]);

        let error = session.unlink(&ada, Author::ARTICLES, &first).unwrap_err();
        assert!(matches!(error, quarry::Error::Integrity(_)), "{error}");
        // The tag link deleted first is back: one transaction.
        assert_eq!(
            *events.lock().unwrap(),
            [cascade(CascadeAction::Unlink, "article_tags", 1), Event::AfterRollback]
        );
        assert_eq!(articles_left!(session), [("first".to_owned(), 1), ("other".to_owned(), 1), ("second".to_owned(), 1)]);
        assert_eq!(tag_links!(session), owned(&[("first", "rust"), ("other", "rust"), ("second", "rust"), ("second", "sql")]));
    }

    fn cascade_events_arrive_in_statement_order(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let (ada, ..) = blog!(session);
        let root = session.add(NewCategory::new("root"));
        session.add_with_parent(NewCategory::new("a"), Category::PARENT, root).unwrap();
        session.add_with_parent(NewCategory::new("b"), Category::PARENT, root).unwrap();
        session.flush().unwrap();
        let root: Category = session.one(categories::table.filter(categories::name.eq("root"))).unwrap();
        let on_session = heard(&mut session, &[EventKind::Cascade, EventKind::AfterCommit]);
        let on_engine = Arc::new(Mutex::new(Vec::new()));
        let sink = on_engine.clone();
        engine.listen(EventKind::Cascade, move |event| sink.lock().unwrap().push(event));

        session.begin().unwrap();
        assert!(session.delete(&ada).unwrap());
        assert!(session.delete(&root).unwrap());
        session.commit().unwrap();
        // Dependants before the rows they depend on; one event per statement
        // that changed rows (Article.comments is the database's), then the
        // commit of the transaction both deletes ran in (as savepoints).
        let expected = [
            cascade(CascadeAction::Unlink, "article_tags", 3),
            cascade(CascadeAction::Delete, "articles", 2),
            cascade(CascadeAction::Delete, "authors", 1),
            cascade(CascadeAction::Nullify, "categories", 2),
            cascade(CascadeAction::Delete, "categories", 1),
        ];
        assert_eq!(*on_engine.lock().unwrap(), expected);
        let mut with_commit = expected.to_vec();
        with_commit.push(Event::AfterCommit);
        assert_eq!(*on_session.lock().unwrap(), with_commit);
    }
}
