// A CTE declared without `use schema;` cannot appear beside the schema's
// tables: the line is what pairs them, not a blanket over every table.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::authors;

quarry::cte_tables! { busy (author_id: Integer, written: BigInt); }

fn main() {
    let query = authors::table.inner_join(busy::table.on(busy::author_id.eq(authors::id))).select(authors::name);
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
