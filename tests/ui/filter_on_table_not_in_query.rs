// Filtering on a column of a table the query does not select from.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _names: Vec<String> = authors::table
        .filter(articles::views.gt(100))
        .select(authors::name)
        .load(&mut conn)
        .unwrap();
}
