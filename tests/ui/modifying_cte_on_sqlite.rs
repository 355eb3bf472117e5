// SQLite allows no INSERT, UPDATE or DELETE inside a WITH (PostgreSQL does).
use diesel::prelude::*;
use quarry::dsl::{modifying_cte, with};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

quarry::cte_tables! { use schema; gone (id: Integer, title: Text); }

fn main() {
    let deleted = diesel::delete(articles::table.filter(articles::views.lt(15))).returning((articles::id, articles::title));
    let query = with(modifying_cte(gone::table, deleted), gone::table.select(gone::title));
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _: Vec<String> = query.load(&mut conn).unwrap();
}
