// Beside a group key, a column outside the GROUP BY does not compile, as
// beside any other grouping.
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Text;
use quarry::dsl::group_key;

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::articles;

fn main() {
    let case = diesel::dsl::case_when(articles::views.lt(100), "low".into_sql::<Text>()).otherwise("high".into_sql::<Text>());
    let bucket = group_key("bucket", case);
    let _ = articles::table.group_by(bucket.name()).select((bucket, articles::title, count_star()));
}
