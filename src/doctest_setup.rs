// Shared by the doc examples, as diesel's are: `# include!("../doctest_setup.rs");`.
// The demo schema's blog and org tables as quarry-codegen writes them
// (crates/codegen/tests/doctest_schema.rs keeps the copy current), and
// sessions on an in-memory SQLite database with those tables.
#[allow(dead_code, unused_imports, non_camel_case_types, non_snake_case, clippy::all)]
mod schema {
    include!("doctest_schema.rs");
}
#[allow(unused_imports)]
use diesel::prelude::*;
#[allow(unused_imports)]
use quarry::{Loaded, RowRef};
#[allow(unused_imports)]
use schema::*;

/// A session on a new in-memory database with the tables created.
#[allow(dead_code)]
fn session() -> quarry::Session<diesel::SqliteConnection> {
    let engine = quarry::Engine::<diesel::SqliteConnection>::connect("sqlite://").unwrap();
    let mut session = engine.session().unwrap();
    schema::create_all(session.connection()).unwrap();
    session
}

/// [`session`] with a few rows: Ada with the articles "Notes" (tagged
/// "rust", 150 views, one comment) and "Draft"; Grace with "Compilers";
/// and the categories root > books > novels.
#[allow(dead_code)]
fn seeded() -> quarry::Session<diesel::SqliteConnection> {
    let mut session = session();
    let ada = session.add(NewAuthor::new("Ada"));
    let notes = session
        .add_child(ada, Author::ARTICLES, |id| NewArticle { views: 150, ..NewArticle::new("Notes", id) })
        .unwrap();
    session.add_child(ada, Author::ARTICLES, |id| NewArticle::new("Draft", id)).unwrap();
    let grace = session.add(NewAuthor::new("Grace"));
    session.add_child(grace, Author::ARTICLES, |id| NewArticle::new("Compilers", id)).unwrap();
    session.add_child(notes, Article::COMMENTS, |id| NewComment::new(id, "Clear.", 1.0)).unwrap();
    let rust = session.add(NewTag::new("rust"));
    session.link(notes, Article::TAGS, rust).unwrap();
    let root = session.add(NewCategory::new("root"));
    let books = session.add_child(root, Category::CHILDREN, |_| NewCategory::new("books")).unwrap();
    session.add_child(books, Category::CHILDREN, |_| NewCategory::new("novels")).unwrap();
    session.flush().unwrap();
    session
}
