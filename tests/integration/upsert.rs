//! Upserts on a unique constraint other than the primary key
//! (`Session::upsert_on`), on every backend: one column and a tuple, the
//! refusals before anything is written, and the statements each backend
//! receives.

use crate::common;

use diesel::prelude::*;
use quarry::engine::Backend;
use quarry::error::IntegrityKind;
use quarry::Error;

use crate::schema;
use schema::{categories, products, tags, users, NewCategory, NewProduct, NewTag, NewUser};

fn price(text: &str) -> quarry::Decimal {
    text.parse().unwrap()
}

common::engine_tests! {
    fn upsert_on_a_unique_column_updates_the_row_holding_the_value(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let first = [NewProduct::new("A-1", "Anvil", price("10.00"), true)];
        assert_eq!(session.upsert_on(products::sku, &first).unwrap(), 1);
        let anvil: i32 = session.one(products::table.filter(products::sku.eq("A-1")).select(products::id)).unwrap();

        let second = [
            NewProduct::new("A-1", "Anvil, heavy", price("12.50"), false),
            NewProduct::new("B-2", "Bellows", price("3.00"), true),
        ];
        engine.record_statements(true);
        session.upsert_on(products::sku, &second).unwrap();
        let statements = engine.take_statements();
        engine.record_statements(false);
        let upsert = statements.iter().find(|s| s.starts_with("INSERT")).unwrap();
        // The target by name where the backend takes one; every column but
        // the target's and the key's is updated.
        let clause = match engine.url().backend() {
            Backend::Sqlite => "ON CONFLICT (`sku`) DO UPDATE SET `name` = excluded.`name`, `price` = excluded.`price`, `weight_kg` = excluded.`weight_kg`, `in_stock` = excluded.`in_stock`",
            Backend::Postgres => r#"ON CONFLICT ("sku") DO UPDATE SET "name" = excluded."name", "price" = excluded."price", "weight_kg" = excluded."weight_kg", "in_stock" = excluded."in_stock""#,
            Backend::Mysql => "ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `price` = VALUES(`price`), `weight_kg` = VALUES(`weight_kg`), `in_stock` = VALUES(`in_stock`)",
        };
        assert!(upsert.contains(clause), "{upsert}");
        let rows: Vec<(i32, String, String, quarry::Decimal, bool)> = session
            .all(products::table.order(products::sku).select((
                products::id,
                products::sku,
                products::name,
                products::price,
                products::in_stock,
            )))
            .unwrap();
        assert_eq!(rows.len(), 2, "{rows:?}");
        // The repeated SKU kept its row and key, and took every other value.
        assert_eq!(rows[0], (anvil, "A-1".into(), "Anvil, heavy".into(), price("12.50"), false));
        assert_eq!((rows[1].1.as_str(), rows[1].2.as_str()), ("B-2", "Bellows"));
        assert_ne!(rows[1].0, anvil);
    }

    fn upsert_on_a_unique_tuple_leaves_repeated_rows_alone(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let root = session.add(NewCategory::new("root"));
        let root = *session.flush().unwrap().key(root).unwrap();
        let children = [
            NewCategory { parent_id: Some(root), ..NewCategory::new("tools") },
            NewCategory { parent_id: Some(root), ..NewCategory::new("toys") },
        ];
        let target = (categories::parent_id, categories::name);
        session.upsert_on(target, &children).unwrap();
        // The same pairs again, and one new: no error, no duplicate.
        let again = [
            NewCategory { parent_id: Some(root), ..NewCategory::new("toys") },
            NewCategory { parent_id: Some(root), ..NewCategory::new("books") },
        ];
        session.upsert_on((categories::name, categories::parent_id), &again).unwrap();
        let names: Vec<String> = session
            .all(categories::table.filter(categories::parent_id.eq(root)).order(categories::name).select(categories::name))
            .unwrap();
        assert_eq!(names, ["books", "tools", "toys"]);
    }

    fn upsert_on_columns_that_are_no_unique_key_is_refused_before_writing(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let error = session.upsert_on(users::email, &[NewUser::new("ada", "ada@example.com")]).unwrap_err();
        assert!(matches!(error, Error::NotAUniqueKey { table: "users", .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            "upsert on `users` (email): these columns are no primary key, unique constraint or unique index of `users`"
        );
        let error = session.upsert_on(categories::name, &[NewCategory::new("root")]).unwrap_err();
        assert!(matches!(error, Error::NotAUniqueKey { .. }), "part of a unique pair is not unique: {error:?}");
        assert_eq!(session.one::<_, i64>(users::table.count()).unwrap(), 0);
        assert_eq!(session.one::<_, i64>(categories::table.count()).unwrap(), 0);
    }

    // Rows that give their primary key could repeat it as well as the
    // target: PostgreSQL and SQLite then fail on the key, as SQLAlchemy's
    // `on_conflict_do_update` does; MySQL's `ON DUPLICATE KEY UPDATE`
    // would update the row found by the key instead, so quarry refuses
    // there, before writing anything.
    fn upsert_on_with_given_keys_never_updates_a_row_found_by_another_key(engine) {
        let backend = engine.url().backend();
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let given = [NewTag { id: Some(1), ..NewTag::new("rust") }, NewTag { id: Some(2), ..NewTag::new("sql") }];
        session.insert_all(tags::table, &given).unwrap();

        let clash = [NewTag { id: Some(1), ..NewTag::new("go") }];
        let error = session.upsert_on(tags::name, &clash).unwrap_err();
        if backend == Backend::Mysql {
            assert!(matches!(error, Error::UpsertTargetNotAlone { table: "tags", .. }), "{error:?}");
            assert!(error.to_string().contains("also has primary key (id)"), "{error}");
        } else {
            assert_eq!(error.integrity().map(|e| e.kind), Some(IntegrityKind::Unique), "{error:?}");
        }
        let rows: Vec<(i32, String)> = session.all(tags::table.order(tags::id).select((tags::id, tags::name))).unwrap();
        assert_eq!(rows, [(1, "rust".to_owned()), (2, "sql".to_owned())], "nothing changed");

        // Without keys, only the target can repeat: fine on every backend
        // (once PostgreSQL's sequence has moved past the keys given).
        session.reset_sequence::<schema::Tag>().unwrap();
        session.upsert_on(tags::name, &[NewTag::new("sql"), NewTag::new("go")]).unwrap();
        let names: Vec<String> = session.all(tags::table.order(tags::name).select(tags::name)).unwrap();
        assert_eq!(names, ["go", "rust", "sql"]);
    }
}

/// `Model::table()` is the model's own table in the schema model (models
/// and tables are written in the same order).
#[test]
fn each_model_describes_its_own_table() {
    use quarry::Model;
    fn check<M: Model>() {
        assert_eq!(&*M::table().name, &*M::meta().table, "{}", M::meta().name);
    }
    check::<schema::Author>();
    check::<schema::Tag>();
    check::<schema::Product>();
    check::<schema::Category>();
    check::<schema::User>();
    check::<schema::Profile>();
}
