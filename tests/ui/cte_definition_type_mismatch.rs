// A CTE whose definition selects other column types than it declares.
use diesel::prelude::*;
use quarry::dsl::{cte, with};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

diesel::table! { busy (author_id) { author_id -> Integer, written -> BigInt } }

fn main() {
    let wrong = articles::table.select((articles::author_id, articles::title));
    let query = with(cte(busy::table, wrong), busy::table.select(busy::author_id));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
