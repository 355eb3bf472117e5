//! SQLAlchemy's session scenarios, on every backend: commit, rollback,
//! savepoints, the closure form, result helpers, integrity errors that
//! name their constraint and leave nothing behind, read-only transactions
//! and events.

use crate::common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use diesel::prelude::*;
use quarry::engine::{Event, TransactionOptions};
use quarry::error::{IntegrityKind, OperationalKind};
use quarry::{Error, Session};

use crate::schema;
use schema::{
    article_tags, articles, authors, products, tags, ArticleTag, Author, NewArticle, NewArticleTag, NewAuthor,
    NewProduct, NewTag,
};

/// An application's own error type: the closure form needs only `From<quarry::Error>`.
#[derive(Debug)]
enum AppError {
    #[allow(dead_code)]
    Database(Error),
    Refused,
}

impl From<Error> for AppError {
    fn from(error: Error) -> Self {
        AppError::Database(error)
    }
}

fn tag_names<C: quarry::engine::EngineConnection>(session: &mut Session<C>) -> Vec<String>
where
    for<'q> diesel::dsl::Order<diesel::dsl::Select<tags::table, tags::name>, tags::name>:
        diesel::query_dsl::LoadQuery<'q, C, String>,
{
    session.all(tags::table.select(tags::name).order(tags::name)).unwrap()
}

common::engine_tests! {
    fn commit_makes_rows_visible_to_other_sessions(engine) {
        let mut setup = engine.connection().unwrap();
        schema::create_all(&mut *setup).unwrap();
        drop(setup);

        let mut session = engine.session().unwrap();
        session.begin().unwrap();
        session.execute(diesel::insert_into(authors::table).values(NewAuthor::new("Ada"))).unwrap();
        // Flushed but not committed: this session sees it ...
        let id: i32 = session.one(authors::table.select(authors::id)).unwrap();
        session.commit().unwrap();
        // ... and after the commit, everyone does.
        let mut other = engine.session().unwrap();
        let ada: Option<Author> = other.get(authors::table, id).unwrap();
        assert_eq!(ada.map(|a| a.name), Some("Ada".to_owned()));
        let missing: Option<Author> = other.get(authors::table, id + 1000).unwrap();
        assert!(missing.is_none());
    }

    fn rollback_leaves_nothing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        session.execute(diesel::insert_into(tags::table).values(NewTag::new("gone"))).unwrap();
        session.rollback().unwrap();
        assert!(tag_names(&mut session).is_empty());
        assert!(!session.in_transaction());
    }

    fn a_failed_savepoint_is_undone_alone(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        session.execute(diesel::insert_into(tags::table).values(NewTag::new("kept"))).unwrap();

        // Explicit form: begin_nested, fail, rollback to the savepoint.
        session.begin_nested().unwrap();
        assert_eq!(session.depth(), 2);
        let duplicate = session.execute(diesel::insert_into(tags::table).values(NewTag::new("kept")));
        assert!(matches!(duplicate, Err(Error::Integrity(_))), "{duplicate:?}");
        session.rollback().unwrap();
        assert_eq!(session.depth(), 1);

        // Closure form, two levels deep: the inner failure leaves the middle level intact.
        session
            .nested(|s| {
                s.execute(diesel::insert_into(tags::table).values(NewTag::new("middle")))?;
                let inner: quarry::Result<()> = s.nested(|s| {
                    s.execute(diesel::insert_into(tags::table).values(NewTag::new("inner")))?;
                    s.execute(diesel::insert_into(tags::table).values(NewTag::new("middle")))?;
                    Ok(())
                });
                assert!(matches!(inner, Err(Error::Integrity(_))));
                Ok::<_, Error>(())
            })
            .unwrap();
        session.execute(diesel::insert_into(tags::table).values(NewTag::new("after"))).unwrap();
        session.commit().unwrap();
        assert_eq!(tag_names(&mut session), ["after", "kept", "middle"]);
    }

    fn the_closure_form_commits_on_ok_and_rolls_back_on_err(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let kept: quarry::Result<usize> =
            session.transaction(|s| s.execute(diesel::insert_into(tags::table).values(NewTag::new("ok"))));
        assert_eq!(kept.unwrap(), 1);
        let failed: Result<(), AppError> = session.transaction(|s| {
            s.execute(diesel::insert_into(tags::table).values(NewTag::new("err")))?;
            Err(AppError::Refused)
        });
        assert!(matches!(failed, Err(AppError::Refused)));
        assert_eq!(tag_names(&mut session), ["ok"]);
    }

    fn result_helpers_count_rows(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let none: quarry::Result<String> = session.one(tags::table.select(tags::name));
        assert!(matches!(none, Err(Error::NotFound)), "{none:?}");
        assert_eq!(session.one_or_none(tags::table.select(tags::name)).unwrap(), None::<String>);
        session.execute(diesel::insert_into(tags::table).values(&vec![NewTag::new("a"), NewTag::new("b")])).unwrap();
        let many: quarry::Result<String> = session.one(tags::table.select(tags::name));
        assert!(matches!(many, Err(Error::MultipleResultsFound)), "{many:?}");
        let many: quarry::Result<Option<String>> = session.one_or_none(tags::table.select(tags::name));
        assert!(matches!(many, Err(Error::MultipleResultsFound)));
        assert_eq!(session.first(tags::table.select(tags::name).order(tags::name.desc())).unwrap(), Some("b".to_owned()));
        let count: Option<i64> = session.scalar(tags::table.count()).unwrap();
        assert_eq!(count, Some(2));
        let a: Vec<String> = session.all(tags::table.select(tags::name).filter(tags::name.eq("a"))).unwrap();
        assert_eq!(a, ["a"]);
    }

    fn integrity_errors_name_their_constraint_and_change_nothing(engine) {
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.execute(diesel::insert_into(tags::table).values(NewTag::new("rust"))).unwrap();

        let failed: quarry::Result<()> = session.transaction(|s| {
            s.execute(diesel::insert_into(tags::table).values(NewTag::new("sql")))?;
            s.execute(diesel::insert_into(tags::table).values(NewTag::new("rust")))?;
            Ok(())
        });
        let error = failed.unwrap_err();
        let integrity = error.integrity().unwrap_or_else(|| panic!("not an integrity error: {error}"));
        assert_eq!(integrity.kind, IntegrityKind::Unique);
        // SQLite names the columns of a failed unique constraint, not the constraint.
        let expected = (backend != quarry::engine::Backend::Sqlite).then_some("uq_tags_name");
        assert_eq!(integrity.constraint.as_deref(), expected, "{integrity}");
        assert_eq!(tag_names(&mut session), ["rust"], "the failed transaction left a row behind");

        let orphan = session.execute(diesel::insert_into(articles::table).values(NewArticle::new("Orphan", 999)));
        let integrity = orphan.as_ref().unwrap_err().integrity().cloned().expect("an integrity error");
        assert_eq!(integrity.kind, IntegrityKind::ForeignKey);
        let expected = (backend != quarry::engine::Backend::Sqlite).then_some("fk_articles_author_id_authors");
        assert_eq!(integrity.constraint.as_deref(), expected, "{integrity}");

        let price: bigdecimal::BigDecimal = "-1".parse().unwrap();
        let negative = session.execute(diesel::insert_into(products::table).values(NewProduct::new("S", "N", price, true)));
        let integrity = negative.as_ref().unwrap_err().integrity().cloned().unwrap_or_else(|| panic!("{negative:?}"));
        assert_eq!(integrity.kind, IntegrityKind::Check);
        assert_eq!(integrity.constraint.as_deref(), Some("ck_products_price"), "{integrity}");

        let null = session.execute(diesel::sql_query("INSERT INTO tags (name) VALUES (NULL)"));
        let integrity = null.as_ref().unwrap_err().integrity().cloned().unwrap_or_else(|| panic!("{null:?}"));
        assert_eq!(integrity.kind, IntegrityKind::NotNull);

        let articles: i64 = session.one(articles::table.count()).unwrap();
        let products: i64 = session.one(products::table.count()).unwrap();
        assert_eq!((articles, products), (0, 0));
    }

    fn read_only_transactions_refuse_writes(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.set_transaction_options(TransactionOptions { read_only: true, ..Default::default() });
        session.begin().unwrap();
        let _: i64 = session.one(tags::table.count()).unwrap();
        let write = session.execute(diesel::insert_into(tags::table).values(NewTag::new("nope")));
        match write {
            Err(Error::Operational(e)) => assert_eq!(e.kind, OperationalKind::ReadOnly, "{e}"),
            other => panic!("expected a read-only error, got {other:?}"),
        }
        session.rollback().unwrap();
        // The next transaction writes again.
        session.set_transaction_options(TransactionOptions::default());
        session.transaction(|s| s.execute(diesel::insert_into(tags::table).values(NewTag::new("yes")))).unwrap();
        assert_eq!(tag_names(&mut session), ["yes"]);
    }

    fn events_fire_on_commit_rollback_checkout_and_checkin(engine) {
        let counts: Arc<[AtomicUsize; 4]> = Arc::new(Default::default());
        for (i, event) in [Event::AfterCommit, Event::AfterRollback, Event::Checkout, Event::Checkin].into_iter().enumerate() {
            let counts = counts.clone();
            engine.listen(event, move |_| {
                counts[i].fetch_add(1, Ordering::SeqCst);
            });
        }
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.transaction(|s| s.execute(diesel::insert_into(tags::table).values(NewTag::new("a")))).unwrap();
        let _ = session.transaction(|s| -> Result<(), AppError> {
            s.execute(diesel::insert_into(tags::table).values(NewTag::new("b")))?;
            Err(AppError::Refused)
        });
        // A savepoint's commit or rollback is not the transaction's.
        session.transaction(|s| s.nested(|s| s.execute(diesel::insert_into(tags::table).values(NewTag::new("c"))))).unwrap();
        drop(session);
        // Two at once: the engine's own connection and one of its pool's.
        drop((engine.session().unwrap(), engine.session().unwrap()));
        let seen: Vec<usize> = counts.iter().map(|c| c.load(Ordering::SeqCst)).collect();
        assert_eq!(seen, [2, 1, 3, 3]);
    }

    fn dropping_a_session_rolls_back_its_transaction(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        session.begin().unwrap();
        session.execute(diesel::insert_into(tags::table).values(NewTag::new("lost"))).unwrap();
        drop(session);
        let mut session = engine.session().unwrap();
        assert!(tag_names(&mut session).is_empty());
        assert!(!session.in_transaction());
    }
}

mod rows {
    use super::*;
    use quarry::Model;
    use schema::{order_items, orders, users, NewOrder, NewOrderItem, NewUser, OrderItem, Tag};

    common::engine_tests! {
        fn get_refresh_and_delete_by_primary_key_composite_too(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            session.execute(diesel::insert_into(users::table).values(NewUser::new("grace", "g@example.com"))).unwrap();
            let user: i32 = session.one(users::table.select(users::id)).unwrap();
            session.execute(diesel::insert_into(orders::table).values(NewOrder::new(user))).unwrap();
            let order: i32 = session.one(orders::table.select(orders::id)).unwrap();
            session.execute(diesel::insert_into(products::table).values(NewProduct::new("P", "Pen", "2.50".parse::<bigdecimal::BigDecimal>().unwrap(), true))).unwrap();
            let product: i32 = session.one(products::table.select(products::id)).unwrap();
            session.execute(diesel::insert_into(order_items::table).values(NewOrderItem::new(order, product, "2.50".parse::<bigdecimal::BigDecimal>().unwrap()))).unwrap();

            // A composite key is a tuple.
            let mut item: OrderItem = session.get(order_items::table, (order, product)).unwrap().expect("the item");
            assert_eq!((item.quantity, item.key()), (1, (order, product)));
            session.execute(diesel::update(order_items::table).set(order_items::quantity.eq(5))).unwrap();
            session.refresh(&mut item).unwrap();
            assert_eq!(item.quantity, 5);

            assert!(session.delete(&item).unwrap());
            assert!(!session.delete(&item).unwrap(), "already gone");
            assert!(matches!(session.refresh(&mut item), Err(Error::NotFound)));
        }

        fn upsert_inserts_new_rows_and_updates_existing_ones(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            let first = vec![NewTag { id: Some(1), ..NewTag::new("one") }, NewTag { id: Some(2), ..NewTag::new("two") }];
            session.upsert(&first).unwrap();
            let second = vec![NewTag { id: Some(2), ..NewTag::new("deux") }, NewTag { id: Some(3), ..NewTag::new("trois") }];
            session.upsert(&second).unwrap();
            let all: Vec<Tag> = session.all(tags::table.order(tags::id)).unwrap();
            let pairs: Vec<(i32, &str)> = all.iter().map(|t| (t.id, t.name.as_str())).collect();
            assert_eq!(pairs, [(1, "one"), (2, "deux"), (3, "trois")]);
        }

        fn upsert_of_a_table_of_key_columns_only_leaves_repeated_rows_alone(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            let tags = vec![NewTag { id: Some(1), ..NewTag::new("one") }, NewTag { id: Some(2), ..NewTag::new("two") }];
            session.insert_all(tags::table, &tags).unwrap();
            let ada = session.add(NewAuthor::new("Ada"));
            let ada = *session.flush().unwrap().key(ada).unwrap();
            let notes = session.add(NewArticle::new("Notes", ada));
            let notes = *session.flush().unwrap().key(notes).unwrap();
            let links = vec![NewArticleTag::new(notes, 1), NewArticleTag::new(notes, 2)];
            session.upsert(&links).unwrap();
            // The same rows again: no error, no duplicate.
            let again = vec![NewArticleTag::new(notes, 2), NewArticleTag::new(notes, 1)];
            session.upsert(&again).unwrap();
            let rows: Vec<ArticleTag> = session.all(article_tags::table.order(article_tags::tag_id)).unwrap();
            assert_eq!(rows, [ArticleTag { article_id: notes, tag_id: 1 }, ArticleTag { article_id: notes, tag_id: 2 }]);
        }

        fn session_listeners_hear_flushes_and_commits(engine) {
            let heard = Arc::new(std::sync::Mutex::new(Vec::new()));
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            for event in [Event::BeforeFlush, Event::AfterFlush, Event::AfterCommit] {
                let heard = heard.clone();
                session.listen(event, move |e| heard.lock().unwrap().push(e));
            }
            session.begin().unwrap();
            session.add(NewTag::new("queued"));
            session.commit().unwrap();
            assert_eq!(*heard.lock().unwrap(), [Event::BeforeFlush, Event::AfterFlush, Event::AfterCommit]);
            // Another session of the same engine does not hear this one's listeners.
            let mut other = engine.session().unwrap();
            other.transaction(|s| s.execute(diesel::insert_into(tags::table).values(NewTag::new("elsewhere")))).unwrap();
            assert_eq!(heard.lock().unwrap().len(), 3);
        }
    }
}

mod scenarios {
    use super::*;

    common::engine_tests! {
        fn add_flush_hands_out_keys_before_commit_then_refresh(engine) {
            let mut session = engine.session().unwrap();
            schema::create_all(session.connection()).unwrap();
            session.begin().unwrap();
            let ada = session.add(NewAuthor::new("Ada"));
            let flushed = session.flush().unwrap();
            let id = *flushed.key(ada).expect("a key before commit");
            // Written, not committed: another session does not see it yet.
            let mut other = engine.session().unwrap();
            let unseen: Option<Author> = other.get(authors::table, id).unwrap();
            assert!(unseen.is_none());
            session.commit().unwrap();
            let mut ada: Author = other.get(authors::table, id).unwrap().expect("committed");
            session.execute(diesel::update(authors::table.find(id)).set(authors::name.eq("Ada Lovelace"))).unwrap();
            other.refresh(&mut ada).unwrap();
            assert_eq!(ada.name, "Ada Lovelace");
        }
    }
}
