// A column grouped by a rollup is NULL in the subtotal rows: selected bare
// (as a non-nullable value) it does not compile; `rolled(column)` does.
use diesel::dsl::count_star;
use diesel::prelude::*;
use quarry::dsl::rollup;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

fn main() {
    let query = articles::table.group_by(rollup(articles::author_id)).select((articles::author_id, count_star()));
    let _ = diesel::debug_query::<diesel::pg::Pg, _>(&query);
}
