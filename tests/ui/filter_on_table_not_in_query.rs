// Filtering on a column of a table the query does not select from.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

fn main() {
    let query = authors::table.filter(articles::views.gt(100));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
