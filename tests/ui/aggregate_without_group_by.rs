// Selecting a plain column beside an aggregate, without GROUP BY.
use diesel::dsl::count;
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

fn main() {
    let query = articles::table.select((articles::title, count(articles::id)));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
