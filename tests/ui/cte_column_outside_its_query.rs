// Using a CTE's (derived table's) column in a query that does not define it.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::authors;

quarry::cte_tables! { use schema; busy (author_id: Integer, written: BigInt); }

fn main() {
    let mut conn = SqliteConnection::establish(":memory:").unwrap();
    let _names: Vec<String> = authors::table.filter(busy::written.gt(1)).select(authors::name).load(&mut conn).unwrap();
}
