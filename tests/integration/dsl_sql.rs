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

quarry::cte_tables! { use crate::schema; busy (author_id: Integer, written: BigInt); }

/// Each author's article count as a derived table, joined to the authors.
macro_rules! joined_derived {
    () => {{
        use schema::authors;
        let per_author =
            articles::table.group_by(articles::author_id).select((articles::author_id, diesel::dsl::count_star()));
        authors::table
            .inner_join(quarry::dsl::derived(busy::table, per_author).on(busy::author_id.eq(authors::id)))
            .select((authors::name, busy::written))
    }};
}

/// A CASE bucket grouped by its name, ordered by it descending.
macro_rules! bucketed {
    () => {{
        use diesel::sql_types::Text;
        let case = diesel::dsl::case_when(articles::views.lt(100), "low".into_sql::<Text>())
            .otherwise("high".into_sql::<Text>());
        let bucket = quarry::dsl::group_key("bucket", case);
        articles::table.group_by(bucket.name()).select((bucket, diesel::dsl::count_star())).order(bucket.name().desc())
    }};
}

#[cfg(feature = "sqlite")]
#[test]
fn sqlite() {
    insta::assert_snapshot!(sql!(diesel::sqlite::Sqlite, joined_derived!()), @"SELECT `authors`.`name`, `busy`.`written` FROM (`authors` INNER JOIN (WITH `busy` (`author_id`, `written`) AS (SELECT `articles`.`author_id`, COUNT(*) FROM `articles` GROUP BY `articles`.`author_id`) SELECT * FROM `busy`) AS `busy` ON (`busy`.`author_id` = `authors`.`id`)) -- binds: []");
    insta::assert_snapshot!(sql!(diesel::sqlite::Sqlite, bucketed!()), @r#"SELECT CASE WHEN ((`articles`.`views` < ?)) THEN (?) ELSE (?) END AS `bucket`, COUNT(*) FROM `articles` GROUP BY `bucket` ORDER BY `bucket` DESC -- binds: [100, "low", "high"]"#);
    {
        use quarry::dsl::{full_join, outer};
        use schema::authors;
        let on = articles::author_id.eq(authors::id).and(articles::views.gt(100));
        let query =
            full_join(authors::table, articles::table, on).select((outer(authors::name), outer(articles::title)));
        insta::assert_snapshot!(sql!(diesel::sqlite::Sqlite, query), @"SELECT `authors`.`name`, `articles`.`title` FROM `authors` FULL OUTER JOIN `articles` ON ((`articles`.`author_id` = `authors`.`id`) AND (`articles`.`views` > ?)) -- binds: [100]");
    }
    use diesel::sql_types::{Date, Double, Integer, Text};
    use diesel::sqlite::Sqlite;
    {
        use schema::article_tags;
        let tagged = article_tags::table.select(article_tags::article_id);
        let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
        insta::assert_snapshot!(sql!(Sqlite, quarry::dsl::intersect(tagged, math)), @"SELECT * FROM (SELECT `article_tags`.`article_id` FROM `article_tags`) INTERSECT SELECT * FROM (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) -- binds: [1]");
        use quarry::dsl::{output, OrderCombined};
        let id = output(article_tags::article_id);
        insta::assert_snapshot!(sql!(Sqlite, quarry::dsl::intersect(tagged, math).order_by_output(id.desc()).limit(2).offset(1)), @"SELECT * FROM (SELECT `article_tags`.`article_id` FROM `article_tags`) INTERSECT SELECT * FROM (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) ORDER BY `article_id` DESC LIMIT ? OFFSET ? -- binds: [1, 2, 1]");
        insta::assert_snapshot!(sql!(Sqlite, quarry::dsl::except(tagged, math).offset(1)), @"SELECT * FROM (SELECT `article_tags`.`article_id` FROM `article_tags`) EXCEPT SELECT * FROM (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) LIMIT -1 OFFSET ? -- binds: [1, 1]");
    }
    {
        use quarry::dsl::{output, OrderCombined};
        let low = articles::table.filter(articles::id.lt(3)).select((articles::id, articles::views));
        let high = articles::table.filter(articles::views.gt(1000)).select((articles::id, articles::views));
        insta::assert_snapshot!(sql!(Sqlite, low.union(high).order_by_output(output(articles::views).desc()).limit(3).offset(1)), @"SELECT * FROM (SELECT `articles`.`id`, `articles`.`views` FROM `articles` WHERE (`articles`.`id` < ?)) UNION SELECT * FROM (SELECT `articles`.`id`, `articles`.`views` FROM `articles` WHERE (`articles`.`views` > ?)) ORDER BY `views` DESC LIMIT ? OFFSET ? -- binds: [3, 1000, 3, 1]");
    }
    use quarry::dsl::{cast, modulo, Varchar};
    use quarry::sql_types::Numeric;
    use schema::{employees, order_items};
    insta::assert_snapshot!(sql!(Sqlite, articles::table.select((cast(articles::views, Text), cast(articles::title, Varchar::<4>), cast(articles::views, Double)))), @"SELECT CAST(`articles`.`views` AS TEXT), substr(CAST(`articles`.`title` AS TEXT), 1, 4), CAST(`articles`.`views` AS REAL) FROM `articles` -- binds: []");
    insta::assert_snapshot!(sql!(Sqlite, order_items::table.select(cast(order_items::quantity, Numeric::<10, 2>) * order_items::unit_price)), @"SELECT (round(CAST(`order_items`.`quantity` AS REAL), 2) * `order_items`.`unit_price`) FROM `order_items` -- binds: []");
    insta::assert_snapshot!(sql!(Sqlite, employees::table.select((cast(employees::salary, Text), cast(employees::hired_on, Text)))), @"SELECT CASE WHEN `employees`.`salary` IS NULL THEN NULL ELSE printf('%.2f', `employees`.`salary`) END, CAST(`employees`.`hired_on` AS TEXT) FROM `employees` -- binds: []");
    insta::assert_snapshot!(sql!(Sqlite, diesel::select((cast("7".into_sql::<Text>(), Integer), cast("2024-02-29".into_sql::<Text>(), Date)))), @r#"SELECT CAST(? AS INTEGER), date(?) -- binds: ["7", "2024-02-29"]"#);
    insta::assert_snapshot!(sql!(Sqlite, articles::table.filter(modulo(articles::views, 2).eq(1)).select(articles::id)), @"SELECT `articles`.`id` FROM `articles` WHERE ((`articles`.`views` % ?) = ?) -- binds: [2, 1]");
    insta::assert_snapshot!(sql!(Sqlite, articles::table.filter(ilike(articles::title, "ada%")).select(articles::id)), @r#"SELECT `articles`.`id` FROM `articles` WHERE LOWER(`articles`.`title`) LIKE LOWER(?) -- binds: ["ada%"]"#);
    insta::assert_snapshot!(sql!(Sqlite, articles::table.order((asc_nulls_first(articles::published), desc_nulls_last(articles::views))).select(articles::id)), @"SELECT `articles`.`id` FROM `articles` ORDER BY `articles`.`published` ASC NULLS FIRST, `articles`.`views` DESC NULLS LAST -- binds: []");
    insta::assert_snapshot!(sql!(Sqlite, profiles::table.select(json_text(profiles::settings, "theme"))), @r#"SELECT json_extract(`profiles`.`settings`, ?) FROM `profiles` -- binds: ["$.\"theme\""]"#);
    insta::assert_snapshot!(sql!(Sqlite, profiles::table.select(quarry::dsl::json_path_text(profiles::settings, [quarry::dsl::PathStep::from("ui"), quarry::dsl::PathStep::from(1)]))), @r#"SELECT json_extract(`profiles`.`settings`, ?) FROM `profiles` -- binds: ["$.\"ui\"[1]"]"#);
    use schema::article_tags;
    insta::assert_snapshot!(sql!(Sqlite, article_tags::table.filter(tuple_in((article_tags::article_id, article_tags::tag_id), vec![(1, 2), (3, 4)])).count()), @"SELECT COUNT(*) FROM `article_tags` WHERE (`article_tags`.`article_id`, `article_tags`.`tag_id`) IN ((?, ?), (?, ?)) -- binds: [1, 2, 3, 4]");
}

#[cfg(feature = "postgres")]
#[test]
fn postgres() {
    insta::assert_snapshot!(sql!(diesel::pg::Pg, joined_derived!()), @r#"SELECT "authors"."name", "busy"."written" FROM ("authors" INNER JOIN (SELECT "articles"."author_id", COUNT(*) FROM "articles" GROUP BY "articles"."author_id") AS "busy" ("author_id", "written") ON ("busy"."author_id" = "authors"."id")) -- binds: []"#);
    insta::assert_snapshot!(sql!(diesel::pg::Pg, bucketed!()), @r#"SELECT CASE WHEN (("articles"."views" < $1)) THEN ($2) ELSE ($3) END AS "bucket", COUNT(*) FROM "articles" GROUP BY "bucket" ORDER BY "bucket" DESC -- binds: [100, "low", "high"]"#);
    {
        use quarry::dsl::{full_join, outer};
        use schema::authors;
        let on = articles::author_id.eq(authors::id).and(articles::views.gt(100));
        let query =
            full_join(authors::table, articles::table, on).select((outer(authors::name), outer(articles::title)));
        insta::assert_snapshot!(sql!(Pg, query), @r#"SELECT "authors"."name", "articles"."title" FROM "authors" FULL OUTER JOIN "articles" ON (("articles"."author_id" = "authors"."id") AND ("articles"."views" > $1)) -- binds: [100]"#);
    }
    {
        use quarry::dsl::{cube, rolled, rollup};
        let by = (articles::author_id, articles::status);
        let select = (rolled(articles::author_id), rolled(articles::status), diesel::dsl::count_star());
        insta::assert_snapshot!(sql!(Pg, articles::table.group_by(rollup(by)).select(select)), @r#"SELECT "articles"."author_id", "articles"."status", COUNT(*) FROM "articles" GROUP BY ROLLUP ("articles"."author_id", "articles"."status") -- binds: []"#);
        insta::assert_snapshot!(sql!(Pg, articles::table.group_by(cube(by)).select(select)), @r#"SELECT "articles"."author_id", "articles"."status", COUNT(*) FROM "articles" GROUP BY CUBE ("articles"."author_id", "articles"."status") -- binds: []"#);
        let flagged = (rolled(articles::status), quarry::dsl::grouping(articles::status), diesel::dsl::count_star());
        insta::assert_snapshot!(sql!(Pg, articles::table.group_by(rollup(articles::status)).select(flagged)), @r#"SELECT "articles"."status", GROUPING("articles"."status"), COUNT(*) FROM "articles" GROUP BY ROLLUP ("articles"."status") -- binds: []"#);
        let sets = quarry::dsl::grouping_sets((by, articles::status)).with_total();
        insta::assert_snapshot!(sql!(Pg, articles::table.group_by(sets).select(select)), @r#"SELECT "articles"."author_id", "articles"."status", COUNT(*) FROM "articles" GROUP BY GROUPING SETS (("articles"."author_id", "articles"."status"), ("articles"."status"), ()) -- binds: []"#);
    }
    {
        use schema::article_tags;
        let tagged = article_tags::table.select(article_tags::article_id);
        let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
        insta::assert_snapshot!(sql!(Pg, quarry::dsl::intersect(tagged, math)), @r#"(SELECT "article_tags"."article_id" FROM "article_tags") INTERSECT (SELECT "article_tags"."article_id" FROM "article_tags" WHERE ("article_tags"."tag_id" = $1)) -- binds: [1]"#);
        insta::assert_snapshot!(sql!(Pg, quarry::dsl::except_all(tagged, math)), @r#"(SELECT "article_tags"."article_id" FROM "article_tags") EXCEPT ALL (SELECT "article_tags"."article_id" FROM "article_tags" WHERE ("article_tags"."tag_id" = $1)) -- binds: [1]"#);
        use quarry::dsl::{output, OrderCombined};
        let id = output(article_tags::article_id);
        insta::assert_snapshot!(sql!(Pg, quarry::dsl::intersect(tagged, math).order_by_output(id.desc()).limit(2).offset(1)), @r#"(SELECT "article_tags"."article_id" FROM "article_tags") INTERSECT (SELECT "article_tags"."article_id" FROM "article_tags" WHERE ("article_tags"."tag_id" = $1)) ORDER BY "article_id" DESC LIMIT $2 OFFSET $3 -- binds: [1, 2, 1]"#);
        insta::assert_snapshot!(sql!(Pg, quarry::dsl::except_all(tagged, math).offset(1)), @r#"(SELECT "article_tags"."article_id" FROM "article_tags") EXCEPT ALL (SELECT "article_tags"."article_id" FROM "article_tags" WHERE ("article_tags"."tag_id" = $1)) OFFSET $2 -- binds: [1, 1]"#);
    }
    use diesel::pg::Pg;
    {
        use quarry::dsl::{output, OrderCombined};
        let low = articles::table.filter(articles::id.lt(3)).select((articles::id, articles::views));
        let high = articles::table.filter(articles::views.gt(1000)).select((articles::id, articles::views));
        insta::assert_snapshot!(sql!(Pg, low.union(high).order_by_output(output(articles::views).desc()).limit(3).offset(1)), @r#"(SELECT "articles"."id", "articles"."views" FROM "articles" WHERE ("articles"."id" < $1)) UNION (SELECT "articles"."id", "articles"."views" FROM "articles" WHERE ("articles"."views" > $2)) ORDER BY "views" DESC LIMIT $3 OFFSET $4 -- binds: [3, 1000, 3, 1]"#);
    }
    use diesel::sql_types::{Date, Double, Integer, Text};
    use quarry::dsl::{cast, modulo, Varchar};
    use quarry::sql_types::Numeric;
    use schema::{employees, order_items};
    insta::assert_snapshot!(sql!(Pg, articles::table.select((cast(articles::views, Text), cast(articles::title, Varchar::<4>), cast(articles::views, Double)))), @r#"SELECT CAST("articles"."views" AS TEXT), CAST("articles"."title" AS VARCHAR(4)), CAST("articles"."views" AS DOUBLE PRECISION) FROM "articles" -- binds: []"#);
    insta::assert_snapshot!(sql!(Pg, order_items::table.select(cast(order_items::quantity, Numeric::<10, 2>) * order_items::unit_price)), @r#"SELECT (CAST("order_items"."quantity" AS NUMERIC(10, 2)) * "order_items"."unit_price") FROM "order_items" -- binds: []"#);
    insta::assert_snapshot!(sql!(Pg, employees::table.select((cast(employees::salary, Text), cast(employees::hired_on, Text)))), @r#"SELECT CAST("employees"."salary" AS TEXT), CAST("employees"."hired_on" AS TEXT) FROM "employees" -- binds: []"#);
    insta::assert_snapshot!(sql!(Pg, diesel::select((cast("7".into_sql::<Text>(), Integer), cast("2024-02-29".into_sql::<Text>(), Date)))), @r#"SELECT CAST($1 AS INTEGER), CAST($2 AS DATE) -- binds: ["7", "2024-02-29"]"#);
    insta::assert_snapshot!(sql!(Pg, articles::table.filter(modulo(articles::views, 2).eq(1)).select(articles::id)), @r#"SELECT "articles"."id" FROM "articles" WHERE (("articles"."views" % $1) = $2) -- binds: [2, 1]"#);
    insta::assert_snapshot!(sql!(Pg, articles::table.filter(ilike(articles::title, "ada%")).select(articles::id)), @r#"SELECT "articles"."id" FROM "articles" WHERE "articles"."title" ILIKE $1 -- binds: ["ada%"]"#);
    // A nullable text column: the condition is nullable, as `like`'s is.
    use schema::orders;
    insta::assert_snapshot!(sql!(Pg, orders::table.filter(ilike(orders::note, "%gift%")).select(orders::id)), @r#"SELECT "orders"."id" FROM "orders" WHERE "orders"."note" ILIKE $1 -- binds: ["%gift%"]"#);
    insta::assert_snapshot!(sql!(Pg, articles::table.order((asc_nulls_first(articles::published), desc_nulls_last(articles::views))).select(articles::id)), @r#"SELECT "articles"."id" FROM "articles" ORDER BY "articles"."published" ASC NULLS FIRST, "articles"."views" DESC NULLS LAST -- binds: []"#);
    insta::assert_snapshot!(sql!(Pg, profiles::table.select(json_text(profiles::settings, "theme"))), @r#"SELECT ("profiles"."settings" ->> $1) FROM "profiles" -- binds: ["theme"]"#);
    insta::assert_snapshot!(sql!(Pg, profiles::table.select(quarry::dsl::json_path_text(profiles::settings, [quarry::dsl::PathStep::from("ui"), quarry::dsl::PathStep::from(1)]))), @r#"SELECT ("profiles"."settings" #>> $1) FROM "profiles" -- binds: [["ui", "1"]]"#);
    use schema::article_tags;
    insta::assert_snapshot!(sql!(Pg, article_tags::table.filter(tuple_in((article_tags::article_id, article_tags::tag_id), vec![(1, 2), (3, 4)])).count()), @r#"SELECT COUNT(*) FROM "article_tags" WHERE ("article_tags"."article_id", "article_tags"."tag_id") IN (VALUES ($1, $2), ($3, $4)) -- binds: [1, 2, 3, 4]"#);
}

#[cfg(feature = "mysql")]
#[test]
fn mysql() {
    insta::assert_snapshot!(sql!(diesel::mysql::Mysql, joined_derived!()), @"SELECT `authors`.`name`, `busy`.`written` FROM (`authors` INNER JOIN (WITH `busy` (`author_id`, `written`) AS (SELECT `articles`.`author_id`, COUNT(*) FROM `articles` GROUP BY `articles`.`author_id`) SELECT * FROM `busy`) AS `busy` ON (`busy`.`author_id` = `authors`.`id`)) -- binds: []");
    insta::assert_snapshot!(sql!(diesel::mysql::Mysql, bucketed!()), @r#"SELECT CASE WHEN ((`articles`.`views` < ?)) THEN (?) ELSE (?) END AS `bucket`, COUNT(*) FROM `articles` GROUP BY `bucket` ORDER BY `bucket` DESC -- binds: [100, "low", "high"]"#);
    {
        use quarry::dsl::{rolled, rollup};
        let by = (articles::author_id, articles::status);
        let select = (rolled(articles::author_id), rolled(articles::status), diesel::dsl::count_star());
        insta::assert_snapshot!(sql!(Mysql, articles::table.group_by(rollup(by)).select(select)), @"SELECT `articles`.`author_id`, `articles`.`status`, COUNT(*) FROM `articles` GROUP BY `articles`.`author_id`, `articles`.`status` WITH ROLLUP -- binds: []");
    }
    {
        use schema::article_tags;
        let tagged = article_tags::table.select(article_tags::article_id);
        let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
        insta::assert_snapshot!(sql!(Mysql, quarry::dsl::intersect(tagged, math)), @"(SELECT `article_tags`.`article_id` FROM `article_tags`) INTERSECT (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) -- binds: [1]");
        insta::assert_snapshot!(sql!(Mysql, quarry::dsl::except_all(tagged, math)), @"(SELECT `article_tags`.`article_id` FROM `article_tags`) EXCEPT ALL (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) -- binds: [1]");
        use quarry::dsl::{output, OrderCombined};
        let id = output(article_tags::article_id);
        insta::assert_snapshot!(sql!(Mysql, quarry::dsl::intersect(tagged, math).order_by_output(id.desc()).limit(2).offset(1)), @"(SELECT `article_tags`.`article_id` FROM `article_tags`) INTERSECT (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) ORDER BY `article_id` DESC LIMIT ? OFFSET ? -- binds: [1, 2, 1]");
        insta::assert_snapshot!(sql!(Mysql, quarry::dsl::except(tagged, math).offset(1)), @"(SELECT `article_tags`.`article_id` FROM `article_tags`) EXCEPT (SELECT `article_tags`.`article_id` FROM `article_tags` WHERE (`article_tags`.`tag_id` = ?)) LIMIT 18446744073709551615 OFFSET ? -- binds: [1, 1]");
    }
    use diesel::mysql::Mysql;
    {
        use quarry::dsl::{output, OrderCombined};
        let low = articles::table.filter(articles::id.lt(3)).select((articles::id, articles::views));
        let high = articles::table.filter(articles::views.gt(1000)).select((articles::id, articles::views));
        insta::assert_snapshot!(sql!(Mysql, low.union(high).order_by_output(output(articles::views).desc()).limit(3).offset(1)), @"(SELECT `articles`.`id`, `articles`.`views` FROM `articles` WHERE (`articles`.`id` < ?)) UNION (SELECT `articles`.`id`, `articles`.`views` FROM `articles` WHERE (`articles`.`views` > ?)) ORDER BY `views` DESC LIMIT ? OFFSET ? -- binds: [3, 1000, 3, 1]");
    }
    use diesel::sql_types::{Date, Double, Integer, Text};
    use quarry::dsl::{cast, modulo, Varchar};
    use quarry::sql_types::Numeric;
    use schema::{employees, order_items};
    insta::assert_snapshot!(sql!(Mysql, articles::table.select((cast(articles::views, Text), cast(articles::title, Varchar::<4>), cast(articles::views, Double)))), @"SELECT CAST(`articles`.`views` AS CHAR), CAST(`articles`.`title` AS CHAR(4)), CAST(`articles`.`views` AS DOUBLE) FROM `articles` -- binds: []");
    insta::assert_snapshot!(sql!(Mysql, order_items::table.select(cast(order_items::quantity, Numeric::<10, 2>) * order_items::unit_price)), @"SELECT (CAST(`order_items`.`quantity` AS DECIMAL(10, 2)) * `order_items`.`unit_price`) FROM `order_items` -- binds: []");
    insta::assert_snapshot!(sql!(Mysql, employees::table.select((cast(employees::salary, Text), cast(employees::hired_on, Text)))), @"SELECT CAST(`employees`.`salary` AS CHAR), CAST(`employees`.`hired_on` AS CHAR) FROM `employees` -- binds: []");
    insta::assert_snapshot!(sql!(Mysql, diesel::select((cast("7".into_sql::<Text>(), Integer), cast("2024-02-29".into_sql::<Text>(), Date)))), @r#"SELECT CAST(? AS SIGNED), CAST(? AS DATE) -- binds: ["7", "2024-02-29"]"#);
    insta::assert_snapshot!(sql!(Mysql, articles::table.filter(modulo(articles::views, 2).eq(1)).select(articles::id)), @"SELECT `articles`.`id` FROM `articles` WHERE ((`articles`.`views` % ?) = ?) -- binds: [2, 1]");
    insta::assert_snapshot!(sql!(Mysql, articles::table.filter(ilike(articles::title, "ada%")).select(articles::id)), @r#"SELECT `articles`.`id` FROM `articles` WHERE LOWER(`articles`.`title`) LIKE LOWER(?) -- binds: ["ada%"]"#);
    insta::assert_snapshot!(sql!(Mysql, articles::table.order((asc_nulls_first(articles::published), desc_nulls_last(articles::views))).select(articles::id)), @"SELECT `articles`.`id` FROM `articles` ORDER BY `articles`.`published` IS NULL DESC, `articles`.`published` ASC, `articles`.`views` IS NULL ASC, `articles`.`views` DESC -- binds: []");
    insta::assert_snapshot!(sql!(Mysql, profiles::table.select(json_text(profiles::settings, "theme"))), @r#"SELECT JSON_UNQUOTE(JSON_EXTRACT(`profiles`.`settings`, ?)) FROM `profiles` -- binds: ["$.\"theme\""]"#);
    insta::assert_snapshot!(sql!(Mysql, profiles::table.select(quarry::dsl::json_path_text(profiles::settings, [quarry::dsl::PathStep::from("ui"), quarry::dsl::PathStep::from(1)]))), @r#"SELECT JSON_UNQUOTE(JSON_EXTRACT(`profiles`.`settings`, ?)) FROM `profiles` -- binds: ["$.\"ui\"[1]"]"#);
    use schema::article_tags;
    insta::assert_snapshot!(sql!(Mysql, article_tags::table.filter(tuple_in((article_tags::article_id, article_tags::tag_id), vec![(1, 2), (3, 4)])).count()), @"SELECT COUNT(*) FROM `article_tags` WHERE (`article_tags`.`article_id`, `article_tags`.`tag_id`) IN ((?, ?), (?, ?)) -- binds: [1, 2, 3, 4]");
}
