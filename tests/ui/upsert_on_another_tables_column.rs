// An upsert's conflict target must be columns of the rows' own table.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{users, NewTag};

fn main() {
    let engine = quarry::Engine::<diesel::SqliteConnection>::connect("sqlite://:memory:").unwrap();
    let mut session = engine.session().unwrap();
    let _ = session.upsert_on(users::name, &[NewTag::new("rust")]);
}
