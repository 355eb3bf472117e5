// A `New*` row without one of its required columns.
mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::NewArticle;

fn main() {
    let _article = NewArticle {
        id: None,
        title: "Untitled".to_owned(),
        views: 0,
        published: None,
        status: schema::ArticleStatus::Draft,
    };
}
