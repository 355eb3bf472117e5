//! Connections keep working after quarry changes the schema under them:
//! PostgreSQL connections cache enum type OIDs and prepared statements,
//! which a type dropped and created again invalidates ("cache lookup
//! failed for type", "cached plan must not change result type"). quarry
//! clears them on the connection that ran the DDL, and on every other
//! pooled connection before its next use.

use crate::common;

use diesel::prelude::*;

use crate::schema;
use schema::{articles, authors, ArticleStatus, NewArticle, NewAuthor};

/// Writes and reads an enum value; panics, saying `when`, if either fails.
macro_rules! use_the_enum {
    ($conn:expr, $when:expr) => {{
        let conn = &mut *$conn;
        diesel::delete(articles::table).execute(conn).unwrap();
        diesel::delete(authors::table).execute(conn).unwrap();
        diesel::insert_into(authors::table)
            .values(&NewAuthor { id: Some(1), ..NewAuthor::new("Ada") })
            .execute(conn)
            .unwrap();
        let article = NewArticle { id: Some(1), status: ArticleStatus::Published, ..NewArticle::new("t", 1) };
        diesel::insert_into(articles::table)
            .values(&article)
            .execute(conn)
            .unwrap_or_else(|e| panic!("{}: insert: {e}", $when));
        let statuses: Vec<ArticleStatus> =
            articles::table.select(articles::status).load(conn).unwrap_or_else(|e| panic!("{}: load: {e}", $when));
        assert_eq!(statuses, [ArticleStatus::Published], "{}", $when);
    }};
}

common::engine_tests! {
    @settings |b| b.pool_size(2).max_overflow(0);

    fn the_connection_that_recreated_the_types_keeps_working(engine) {
        let mut conn = engine.connection().unwrap();
        for round in 0..3 {
            schema::create_all(&mut *conn).unwrap();
            use_the_enum!(conn, format!("round {round}"));
            schema::drop_all(&mut *conn).unwrap();
        }
    }

    fn the_other_pooled_connections_keep_working(engine) {
        let mut first = engine.connection().unwrap();
        let mut second = engine.connection().unwrap();
        schema::create_all(&mut *first).unwrap();
        use_the_enum!(first, "before");
        use_the_enum!(second, "before, the second connection");
        // The second connection drops and recreates the types while the
        // first holds what it cached.
        schema::drop_all(&mut *second).unwrap();
        schema::create_all(&mut *second).unwrap();
        use_the_enum!(second, "after, the connection that ran the DDL");
        drop(first);
        let mut first = engine.connection().unwrap();
        use_the_enum!(first, "after, the other connection checked out again");
    }
}
