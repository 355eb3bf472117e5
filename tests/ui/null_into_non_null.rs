// Writing NULL into a NOT NULL column.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::authors;

fn main() {
    let insert = diesel::insert_into(authors::table).values(authors::name.eq(None::<String>));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&insert);
}
