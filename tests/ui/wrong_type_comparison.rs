// Comparing a text column with an integer.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::authors;

fn main() {
    let query = authors::table.filter(authors::name.eq(42));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
