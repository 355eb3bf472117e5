// Joining two tables no foreign key links, without an explicit ON.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{tags, users};

fn main() {
    let query = tags::table.inner_join(users::table);
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query);
}
