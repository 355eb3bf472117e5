// Selecting a column the CTE does not define.
use diesel::dsl::count;
use diesel::prelude::*;
use quarry::dsl::{cte, with};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

diesel::table! { busy (author_id) { author_id -> Integer, written -> BigInt } }

fn main() {
    let per_author = articles::table.group_by(articles::author_id).select((articles::author_id, count(articles::id)));
    let query = with(cte(busy::table, per_author), busy::table.select(busy::title));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
