//! The SQL each of quarry's query extensions renders, pinned per backend.

use diesel::prelude::*;
use quarry::dsl::{asc_nulls_first, desc_nulls_last, ilike, json_text, tuple_in};

use crate::schema;
use schema::{articles, profiles};

macro_rules! sql {
    ($backend:ty, $query:expr) => {
        diesel::debug_query::<$backend, _>(&$query).to_string()
    };
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite() {
    use diesel::sqlite::Sqlite;
    insta::assert_snapshot!(sql!(Sqlite, articles::table.filter(ilike(articles::title, "ada%")).select(articles::id)), @r#"SELECT `articles`.`id` FROM `articles` WHERE LOWER(`articles`.`title`) LIKE LOWER(?) -- binds: ["ada%"]"#);
    insta::assert_snapshot!(sql!(Sqlite, articles::table.order((asc_nulls_first(articles::published), desc_nulls_last(articles::views))).select(articles::id)), @"SELECT `articles`.`id` FROM `articles` ORDER BY `articles`.`published` ASC NULLS FIRST, `articles`.`views` DESC NULLS LAST -- binds: []");
    insta::assert_snapshot!(sql!(Sqlite, profiles::table.select(json_text(profiles::settings, "theme"))), @r#"SELECT json_extract(`profiles`.`settings`, ?) FROM `profiles` -- binds: ["$.\"theme\""]"#);
    use schema::article_tags;
    insta::assert_snapshot!(sql!(Sqlite, article_tags::table.filter(tuple_in((article_tags::article_id, article_tags::tag_id), vec![(1, 2), (3, 4)])).count()), @"SELECT COUNT(*) FROM `article_tags` WHERE (`article_tags`.`article_id`, `article_tags`.`tag_id`) IN ((?, ?), (?, ?)) -- binds: [1, 2, 3, 4]");
}

#[cfg(feature = "postgres")]
#[test]
fn postgres() {
    use diesel::pg::Pg;
    insta::assert_snapshot!(sql!(Pg, articles::table.filter(ilike(articles::title, "ada%")).select(articles::id)), @r#"SELECT "articles"."id" FROM "articles" WHERE "articles"."title" ILIKE $1 -- binds: ["ada%"]"#);
    // A nullable text column: the condition is nullable, as `like`'s is.
    use schema::orders;
    insta::assert_snapshot!(sql!(Pg, orders::table.filter(ilike(orders::note, "%gift%")).select(orders::id)), @r#"SELECT "orders"."id" FROM "orders" WHERE "orders"."note" ILIKE $1 -- binds: ["%gift%"]"#);
    insta::assert_snapshot!(sql!(Pg, articles::table.order((asc_nulls_first(articles::published), desc_nulls_last(articles::views))).select(articles::id)), @r#"SELECT "articles"."id" FROM "articles" ORDER BY "articles"."published" ASC NULLS FIRST, "articles"."views" DESC NULLS LAST -- binds: []"#);
    insta::assert_snapshot!(sql!(Pg, profiles::table.select(json_text(profiles::settings, "theme"))), @r#"SELECT ("profiles"."settings" ->> $1) FROM "profiles" -- binds: ["theme"]"#);
    use schema::article_tags;
    insta::assert_snapshot!(sql!(Pg, article_tags::table.filter(tuple_in((article_tags::article_id, article_tags::tag_id), vec![(1, 2), (3, 4)])).count()), @r#"SELECT COUNT(*) FROM "article_tags" WHERE ("article_tags"."article_id", "article_tags"."tag_id") IN (VALUES ($1, $2), ($3, $4)) -- binds: [1, 2, 3, 4]"#);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql() {
    use diesel::mysql::Mysql;
    insta::assert_snapshot!(sql!(Mysql, articles::table.filter(ilike(articles::title, "ada%")).select(articles::id)), @r#"SELECT `articles`.`id` FROM `articles` WHERE LOWER(`articles`.`title`) LIKE LOWER(?) -- binds: ["ada%"]"#);
    insta::assert_snapshot!(sql!(Mysql, articles::table.order((asc_nulls_first(articles::published), desc_nulls_last(articles::views))).select(articles::id)), @"SELECT `articles`.`id` FROM `articles` ORDER BY `articles`.`published` IS NULL DESC, `articles`.`published` ASC, `articles`.`views` IS NULL ASC, `articles`.`views` DESC -- binds: []");
    insta::assert_snapshot!(sql!(Mysql, profiles::table.select(json_text(profiles::settings, "theme"))), @r#"SELECT JSON_UNQUOTE(JSON_EXTRACT(`profiles`.`settings`, ?)) FROM `profiles` -- binds: ["$.\"theme\""]"#);
    use schema::article_tags;
    insta::assert_snapshot!(sql!(Mysql, article_tags::table.filter(tuple_in((article_tags::article_id, article_tags::tag_id), vec![(1, 2), (3, 4)])).count()), @"SELECT COUNT(*) FROM `article_tags` WHERE (`article_tags`.`article_id`, `article_tags`.`tag_id`) IN ((?, ?), (?, ?)) -- binds: [1, 2, 3, 4]");
}
