//! `Session::reset_sequence`: after rows are loaded with their own keys,
//! the next generated key comes after them on every backend.

use crate::common;

use diesel::prelude::*;
use quarry::Error;

use crate::schema;
use schema::{article_tags, authors, ArticleTag, Author, NewAuthor};

common::engine_tests! {
    fn generated_keys_continue_after_loaded_rows(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let loaded: Vec<NewAuthor> = [1, 2, 7].map(|id| NewAuthor { id: Some(id), ..NewAuthor::new(format!("a{id}")) }).to_vec();
        diesel::insert_into(authors::table).values(&loaded).execute(session.connection()).unwrap();
        if std::any::type_name_of_val(session.connection()).contains("Pg") {
            // The problem it solves: PostgreSQL's sequence still hands out 1.
            let clash = session.execute(diesel::insert_into(authors::table).values(NewAuthor::new("clash")));
            assert!(matches!(clash, Err(Error::Integrity(_))), "{clash:?}");
        }
        session.reset_sequence::<Author>().unwrap();
        let next = session.add(NewAuthor::new("next"));
        let flushed = session.flush().unwrap();
        assert_eq!(flushed.key(next), Some(&8));
        // Never back: with the largest row gone, the next key still grows.
        session.execute(diesel::delete(authors::table.filter(authors::id.ge(7)))).unwrap();
        session.reset_sequence::<Author>().unwrap();
        let after = session.add(NewAuthor::new("after"));
        let after = *session.flush().unwrap().key(after).unwrap();
        // SQLite hands out the largest key plus one (a rowid table without
        // AUTOINCREMENT): 3, once 7 and 8 are gone. The others never go back.
        let sqlite = std::any::type_name_of_val(session.connection()).contains("Sqlite");
        assert!(if sqlite { after == 3 } else { after == 9 }, "{after}");
        // In a transaction, and on an empty table.
        session.begin().unwrap();
        session.execute(diesel::delete(authors::table)).unwrap();
        session.reset_sequence::<Author>().unwrap();
        session.commit().unwrap();
    }

    fn a_key_the_database_does_not_generate_has_no_sequence(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let refused = session.reset_sequence::<ArticleTag>();
        assert!(matches!(refused, Err(Error::NoGeneratedKey { model: "ArticleTag" })), "{refused:?}");
        assert_eq!(refused.unwrap_err().to_string(), "`ArticleTag` has no key the database generates: there is no sequence to move");
        let _ = article_tags::table;
    }
}
