// Loading, with rows of one model, a relation that starts from another.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{authors, Article};

fn main() {
    let engine = quarry::Engine::<diesel::SqliteConnection>::builder().build("sqlite:///:memory:").unwrap();
    let mut session = engine.session().unwrap();
    let _ = session.load(authors::table, Article::COMMENTS);
}
