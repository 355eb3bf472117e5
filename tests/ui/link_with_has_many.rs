// `link` writes an association row; `Author::ARTICLES` is a has_many.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{Author, NewArticle, NewAuthor};

fn main() {
    let engine = quarry::Engine::<diesel::SqliteConnection>::builder().build("sqlite:///:memory:").unwrap();
    let mut session = engine.session().unwrap();
    let ada = session.add(NewAuthor::new("Ada"));
    let notes = session.add(NewArticle::new("Notes", 0));
    let _ = session.link(ada, Author::ARTICLES, notes);
}
