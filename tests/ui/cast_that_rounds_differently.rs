// A float cast to an integer rounds on PostgreSQL and MySQL and truncates
// on SQLite: quarry's cast refuses it, and `modulo` refuses a float.
use diesel::prelude::*;
use diesel::sql_types::Integer;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::products;

fn main() {
    let rounded = products::table.select(quarry::dsl::cast(products::weight_kg, Integer));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&rounded);
    let remainder = products::table.select(quarry::dsl::modulo(products::weight_kg, 2.0));
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&remainder);
}
