// `add_child` writes a parent's children; `Article::AUTHOR` is a belongs_to.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{Article, NewAuthor};

fn main() {
    let engine = quarry::Engine::<diesel::SqliteConnection>::builder().build("sqlite:///:memory:").unwrap();
    let mut session = engine.session().unwrap();
    let _ = session.add_child(quarry::RowRef::existing(1), Article::AUTHOR, |_| NewAuthor::new("x"));
}
