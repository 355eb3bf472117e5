// MySQL and MariaDB have no FULL OUTER JOIN.
use diesel::prelude::*;
use quarry::dsl::{full_join, outer};

mod schema {
    include!(env!("QUARRY_UI_SCHEMA"));
}
use schema::{articles, authors};

fn main() {
    let query = full_join(authors::table, articles::table, articles::author_id.eq(authors::id)).select(outer(authors::name));
    let mut conn = MysqlConnection::establish("mysql://localhost/test").unwrap();
    let _: Vec<Option<String>> = query.load(&mut conn).unwrap();
}
