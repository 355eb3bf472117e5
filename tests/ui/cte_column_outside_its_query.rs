// Using a CTE's (derived table's) column in a query that does not define it.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::authors;

diesel::table! { busy (author_id) { author_id -> Integer, written -> BigInt } }
diesel::allow_tables_to_appear_in_same_query!(busy, authors);

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _names: Vec<String> = authors::table.filter(busy::written.gt(1)).select(authors::name).load(&mut conn).unwrap();
}
