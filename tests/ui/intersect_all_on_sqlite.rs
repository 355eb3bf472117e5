// SQLite has no INTERSECT ALL: quarry's intersect_all does not compile there.
use diesel::prelude::*;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::article_tags;

fn main() {
    let tagged = article_tags::table.select(article_tags::article_id);
    let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
    let query = quarry::dsl::intersect_all(tagged, math);
    let _ = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&query).to_string();
}
