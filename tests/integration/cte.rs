//! Typed common table expressions on every backend: a category tree and a
//! management chain (WITH RECURSIVE), an aggregate CTE joined like a table,
//! and two CTEs in one statement.

use crate::common;

use diesel::dsl::count;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use quarry::dsl::{cte, recursive_cte, recursive_cte_distinct, with};

use crate::schema;
use schema::{
    articles, authors, categories, employees, ArticleStatus, NewArticle, NewAuthor, NewCategory, NewEmployee,
};

// The CTEs' names and typed columns, one line each: no primary key, and
// no allow lines for the schema's tables they are joined with.
quarry::cte_tables! {
    use crate::schema;
    tree (id: Integer, name: Text, depth: Integer);
    chain (id: BigInt, name: Text, manager_id: Nullable<BigInt>, level: Integer);
    reach (id: Integer);
    busy (author_id: Integer, written: BigInt);
    read (author_id: Integer, views: Nullable<BigInt>);
    gone (id: Integer, title: Text);
}

macro_rules! seed {
    ($conn:expr) => {{
        let conn = &mut *$conn;
        schema::create_all(conn).unwrap();
        let category = |id, name: &str, parent_id| NewCategory { id: Some(id), parent_id, ..NewCategory::new(name) };
        diesel::insert_into(categories::table)
            .values(&vec![
                category(1, "root", None),
                category(2, "a", Some(1)),
                category(3, "b", Some(1)),
                category(4, "a1", Some(2)),
            ])
            .execute(conn)
            .unwrap();
        let hired = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let employee = |id, name: &str, manager_id| NewEmployee {
            id: Some(id),
            manager_id,
            ..NewEmployee::new(name, hired, nine)
        };
        diesel::insert_into(employees::table)
            .values(&vec![
                employee(1, "Boss", None),
                employee(2, "Mid", Some(1)),
                employee(3, "Low", Some(2)),
                employee(4, "Other", Some(1)),
            ])
            .execute(conn)
            .unwrap();
        diesel::insert_into(authors::table)
            .values(&vec![
                NewAuthor { id: Some(1), ..NewAuthor::new("Ada") },
                NewAuthor { id: Some(2), ..NewAuthor::new("Alan") },
            ])
            .execute(conn)
            .unwrap();
        let article = |id, author_id, views| NewArticle {
            id: Some(id),
            views,
            status: ArticleStatus::Published,
            ..NewArticle::new(format!("t{id}"), author_id)
        };
        diesel::insert_into(articles::table)
            .values(&vec![article(1, 1, 10), article(2, 1, 20), article(3, 2, 500)])
            .execute(conn)
            .unwrap();
    }};
}

common::backend_tests! {
    fn a_recursive_cte_walks_the_category_tree(conn) {
        seed!(conn);
        let roots = categories::table.filter(categories::parent_id.is_null()).select((categories::id, categories::name, 0.into_sql::<Integer>()));
        let children = categories::table
            .inner_join(tree::table.on(categories::parent_id.eq(tree::id.nullable())))
            .select((categories::id, categories::name, tree::depth + 1));
        let walk = with(recursive_cte(tree::table, roots, children), tree::table.order((tree::depth, tree::name)).select((tree::name, tree::depth)));
        let rows: Vec<(String, i32)> = walk.load(conn).unwrap();
        let expected = [("root", 0), ("a", 1), ("b", 1), ("a1", 2)];
        assert_eq!(rows, expected.map(|(n, d)| (n.to_owned(), d)));
    }

    fn a_recursive_cte_follows_a_management_chain(conn) {
        seed!(conn);
        let start = employees::table.filter(employees::id.eq(3)).select((employees::id, employees::name, employees::manager_id, 0.into_sql::<Integer>()));
        let up = employees::table
            .inner_join(chain::table.on(employees::id.nullable().eq(chain::manager_id)))
            .select((employees::id, employees::name, employees::manager_id, chain::level + 1));
        let query = with(recursive_cte(chain::table, start, up), chain::table.order(chain::level).select(chain::name));
        let names: Vec<String> = query.load(conn).unwrap();
        assert_eq!(names, ["Low", "Mid", "Boss"]);
    }

    fn a_distinct_recursive_cte_ends_on_a_cycle(conn) {
        seed!(conn);
        // Two categories that are each other's parent: 5 -> 6 -> 5 -> ...
        let category = |id, name: &str| NewCategory { id: Some(id), ..NewCategory::new(name) };
        diesel::insert_into(categories::table).values(&vec![category(5, "x"), category(6, "y")]).execute(conn).unwrap();
        diesel::update(categories::table.find(6)).set(categories::parent_id.eq(Some(5))).execute(conn).unwrap();
        diesel::update(categories::table.find(5)).set(categories::parent_id.eq(Some(6))).execute(conn).unwrap();
        let start = categories::table.filter(categories::id.eq(5)).select(categories::id);
        let down = categories::table.inner_join(reach::table.on(categories::parent_id.eq(reach::id.nullable()))).select(categories::id);
        // UNION drops the rows already produced, so the walk ends after one lap.
        let query = with(recursive_cte_distinct(reach::table, start, down), reach::table.order(reach::id).select(reach::id));
        let ids: Vec<i32> = query.load(conn).unwrap();
        assert_eq!(ids, [5, 6]);
        // On a tree it returns what UNION ALL returns.
        let roots = categories::table.filter(categories::id.eq(1)).select(categories::id);
        let below = categories::table.inner_join(reach::table.on(categories::parent_id.eq(reach::id.nullable()))).select(categories::id);
        let query = with(recursive_cte_distinct(reach::table, roots, below), reach::table.order(reach::id).select(reach::id));
        let ids: Vec<i32> = query.load(conn).unwrap();
        assert_eq!(ids, [1, 2, 3, 4]);
    }

    fn ctes_are_tables_in_the_main_query(conn) {
        seed!(conn);
        // One CTE, joined like a table.
        let per_author = articles::table.group_by(articles::author_id).select((articles::author_id, count(articles::id)));
        let prolific = with(
            cte(busy::table, per_author),
            authors::table.inner_join(busy::table.on(busy::author_id.eq(authors::id))).filter(busy::written.gt(1)).select(authors::name),
        );
        let names: Vec<String> = prolific.load(conn).unwrap();
        assert_eq!(names, ["Ada"]);

        // Two CTEs in one statement.
        let per_author = articles::table.group_by(articles::author_id).select((articles::author_id, count(articles::id)));
        let views = articles::table.group_by(articles::author_id).select((articles::author_id, diesel::dsl::sum(articles::views)));
        let both = with(
            (cte(busy::table, per_author), cte(read::table, views)),
            busy::table
                .inner_join(read::table.on(read::author_id.eq(busy::author_id)))
                .inner_join(authors::table.on(authors::id.eq(busy::author_id)))
                .order(authors::name)
                .select((authors::name, busy::written, read::views)),
        );
        let rows: Vec<(String, i64, Option<i64>)> = both.load(conn).unwrap();
        assert_eq!(rows, [("Ada".to_owned(), 2, Some(30)), ("Alan".to_owned(), 1, Some(500))]);
    }
}

/// `.materialized()` and `.not_materialized()` reach the planner: the
/// same rows either way, and the plan computes the CTE once or inlines it
/// (PostgreSQL and SQLite; MySQL/MariaDB have no hint, and it does not
/// compile there: `tests/ui/materialized_cte_on_mysql.rs`).
macro_rules! materialization {
    ($conn:expr, $backend:ty, $plan:expr) => {{
        let conn = &mut *$conn;
        seed!(conn);
        let per_author =
            || articles::table.group_by(articles::author_id).select((articles::author_id, count(articles::id)));
        let prolific = |names: Vec<String>| assert_eq!(names, ["Ada"]);
        let main = || {
            authors::table
                .inner_join(busy::table.on(busy::author_id.eq(authors::id)))
                .filter(busy::written.gt(1))
                .select(authors::name)
        };
        prolific(with(cte(busy::table, per_author()).materialized(), main()).load(conn).unwrap());
        prolific(with(cte(busy::table, per_author()).not_materialized(), main()).load(conn).unwrap());

        let plan = |conn: &mut _, sql: String| -> String {
            let sql = sql.trim_end_matches(" -- binds: []").to_owned();
            $plan(conn, sql)
        };
        let kept = with(cte(busy::table, per_author()).materialized(), busy::table.select(busy::author_id));
        let inlined = with(cte(busy::table, per_author()).not_materialized(), busy::table.select(busy::author_id));
        let kept = plan(conn, diesel::debug_query::<$backend, _>(&kept).to_string());
        let inlined = plan(conn, diesel::debug_query::<$backend, _>(&inlined).to_string());
        (kept, inlined)
    }};
}

#[cfg(feature = "sqlite")]
#[test]
fn materialization_hints_reach_the_planner_sqlite() {
    #[derive(QueryableByName)]
    struct Step {
        #[diesel(sql_type = diesel::sql_types::Text)]
        detail: String,
    }
    let mut conn = common::sqlite("materialized").unwrap();
    let (kept, inlined) =
        materialization!(&mut conn, diesel::sqlite::Sqlite, |conn: &mut SqliteConnection, sql: String| {
            let steps: Vec<Step> = diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}")).load(conn).unwrap();
            steps.into_iter().map(|s| s.detail).collect::<Vec<_>>().join("\n")
        });
    assert!(kept.contains("MATERIALIZE busy"), "{kept}");
    assert!(inlined.contains("CO-ROUTINE busy") && !inlined.contains("MATERIALIZE"), "{inlined}");
}

#[cfg(feature = "postgres")]
#[test]
fn materialization_hints_reach_the_planner_postgres() {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
        line: String,
    }
    let Some(mut conn) = common::postgres("materialized") else { return };
    let (kept, inlined) = materialization!(&mut conn, diesel::pg::Pg, |conn: &mut PgConnection, sql: String| {
        let lines: Vec<Line> = diesel::sql_query(format!("EXPLAIN {sql}")).load(conn).unwrap();
        lines.into_iter().map(|l| l.line).collect::<Vec<_>>().join("\n")
    });
    assert!(kept.contains("CTE Scan on busy"), "{kept}");
    assert!(!inlined.contains("CTE"), "{inlined}");
}

/// A CTE feeding an `INSERT` (PostgreSQL, SQLite; MySQL/MariaDB take a
/// `WITH` only before a select) and, on PostgreSQL, a `DELETE … RETURNING`
/// as the CTE (`tests/ui/modifying_cte_on_sqlite.rs`).
macro_rules! with_before_insert {
    ($conn:expr) => {{
        use schema::tags;
        let conn = &mut *$conn;
        seed!(conn);
        let popular = articles::table.filter(articles::views.gt(15)).select((articles::id, articles::title));
        let copied = with(
            cte(gone::table, popular),
            diesel::insert_into(tags::table).values(gone::table.select(gone::title)).into_columns(tags::name),
        )
        .execute(conn)
        .unwrap();
        assert_eq!(copied, 2);
        let mut names: Vec<String> = tags::table.select(tags::name).load(conn).unwrap();
        names.sort();
        assert_eq!(names, ["t2", "t3"]);
    }};
}

#[cfg(feature = "sqlite")]
#[test]
fn a_cte_feeds_an_insert_sqlite() {
    let mut conn = common::sqlite("with_insert").unwrap();
    with_before_insert!(&mut conn);
}

#[cfg(feature = "postgres")]
#[test]
fn a_cte_feeds_an_insert_postgres() {
    let Some(mut conn) = common::postgres("with_insert") else { return };
    with_before_insert!(&mut conn);
}

/// PostgreSQL's data-modifying `WITH`: rows deleted and their titles
/// copied elsewhere in one statement, and a `DELETE … RETURNING` read back
/// through a CTE.
#[cfg(feature = "postgres")]
#[test]
fn a_modifying_cte_moves_rows_in_one_statement_postgres() {
    use quarry::dsl::modifying_cte;
    use schema::tags;
    let Some(mut conn) = common::postgres("modifying_cte") else { return };
    let conn = &mut conn;
    seed!(conn);
    let deleted =
        diesel::delete(articles::table.filter(articles::views.lt(15))).returning((articles::id, articles::title));
    let moved = with(
        modifying_cte(gone::table, deleted),
        diesel::insert_into(tags::table).values(gone::table.select(gone::title)).into_columns(tags::name),
    )
    .execute(conn)
    .unwrap();
    assert_eq!(moved, 1);
    let names: Vec<String> = tags::table.select(tags::name).load(conn).unwrap();
    assert_eq!(names, ["t1"]);
    let left: Vec<i32> = articles::table.select(articles::id).order(articles::id).load(conn).unwrap();
    assert_eq!(left, [2, 3]);

    let deleted =
        diesel::delete(articles::table.filter(articles::author_id.eq(1))).returning((articles::id, articles::title));
    let titles: Vec<String> =
        with(modifying_cte(gone::table, deleted), gone::table.order(gone::title).select(gone::title))
            .load(conn)
            .unwrap();
    assert_eq!(titles, ["t2"]);
    let left: Vec<i32> = articles::table.select(articles::id).load(conn).unwrap();
    assert_eq!(left, [3]);
}

#[test]
fn the_sql_per_backend() {
    let roots = categories::table.filter(categories::parent_id.is_null()).select((
        categories::id,
        categories::name,
        0.into_sql::<Integer>(),
    ));
    let children = categories::table
        .inner_join(tree::table.on(categories::parent_id.eq(tree::id.nullable())))
        .select((categories::id, categories::name, tree::depth + 1));
    let walk = with(recursive_cte(tree::table, roots, children), tree::table.select(tree::name));
    #[cfg(feature = "sqlite")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::sqlite::Sqlite, _>(&walk).to_string(), @"WITH RECURSIVE `tree` (`id`, `name`, `depth`) AS (SELECT `categories`.`id`, `categories`.`name`, ? FROM `categories` WHERE (`categories`.`parent_id` IS NULL) UNION ALL SELECT `categories`.`id`, `categories`.`name`, (`tree`.`depth` + ?) FROM (`categories` INNER JOIN `tree` ON (`categories`.`parent_id` = `tree`.`id`))) SELECT `tree`.`name` FROM `tree` -- binds: [0, 1]");
    #[cfg(feature = "postgres")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::pg::Pg, _>(&walk).to_string(), @r#"WITH RECURSIVE "tree" ("id", "name", "depth") AS (SELECT "categories"."id", "categories"."name", $1 FROM "categories" WHERE ("categories"."parent_id" IS NULL) UNION ALL SELECT "categories"."id", "categories"."name", ("tree"."depth" + $2) FROM ("categories" INNER JOIN "tree" ON ("categories"."parent_id" = "tree"."id"))) SELECT "tree"."name" FROM "tree" -- binds: [0, 1]"#);
    #[cfg(feature = "mysql")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::mysql::Mysql, _>(&walk).to_string(), @"WITH RECURSIVE `tree` (`id`, `name`, `depth`) AS (SELECT `categories`.`id`, `categories`.`name`, ? FROM `categories` WHERE (`categories`.`parent_id` IS NULL) UNION ALL SELECT `categories`.`id`, `categories`.`name`, (`tree`.`depth` + ?) FROM (`categories` INNER JOIN `tree` ON (`categories`.`parent_id` = `tree`.`id`))) SELECT `tree`.`name` FROM `tree` -- binds: [0, 1]");
    // A materialization hint between AS and the definition.
    let per_author = articles::table.group_by(articles::author_id).select((articles::author_id, count(articles::id)));
    let kept = with(cte(busy::table, per_author).materialized(), busy::table.select(busy::author_id));
    #[cfg(feature = "sqlite")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::sqlite::Sqlite, _>(&kept).to_string(), @"WITH `busy` (`author_id`, `written`) AS MATERIALIZED (SELECT `articles`.`author_id`, count(`articles`.`id`) FROM `articles` GROUP BY `articles`.`author_id`) SELECT `busy`.`author_id` FROM `busy` -- binds: []");
    #[cfg(feature = "postgres")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::pg::Pg, _>(&with(cte(busy::table, per_author).not_materialized(), busy::table.select(busy::author_id))).to_string(), @r#"WITH "busy" ("author_id", "written") AS NOT MATERIALIZED (SELECT "articles"."author_id", count("articles"."id") FROM "articles" GROUP BY "articles"."author_id") SELECT "busy"."author_id" FROM "busy" -- binds: []"#);
    // UNION, not UNION ALL, for a walk that must end on a cycle.
    let start = categories::table.filter(categories::id.eq(5)).select(categories::id);
    let down = categories::table
        .inner_join(reach::table.on(categories::parent_id.eq(reach::id.nullable())))
        .select(categories::id);
    let reach = with(recursive_cte_distinct(reach::table, start, down), reach::table.select(reach::id));
    #[cfg(feature = "sqlite")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::sqlite::Sqlite, _>(&reach).to_string(), @"WITH RECURSIVE `reach` (`id`) AS (SELECT `categories`.`id` FROM `categories` WHERE (`categories`.`id` = ?) UNION SELECT `categories`.`id` FROM (`categories` INNER JOIN `reach` ON (`categories`.`parent_id` = `reach`.`id`))) SELECT `reach`.`id` FROM `reach` -- binds: [5]");
    #[cfg(feature = "postgres")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::pg::Pg, _>(&reach).to_string(), @r#"WITH RECURSIVE "reach" ("id") AS (SELECT "categories"."id" FROM "categories" WHERE ("categories"."id" = $1) UNION SELECT "categories"."id" FROM ("categories" INNER JOIN "reach" ON ("categories"."parent_id" = "reach"."id"))) SELECT "reach"."id" FROM "reach" -- binds: [5]"#);
    #[cfg(feature = "mysql")]
    insta::assert_snapshot!(diesel::debug_query::<diesel::mysql::Mysql, _>(&reach).to_string(), @"WITH RECURSIVE `reach` (`id`) AS (SELECT `categories`.`id` FROM `categories` WHERE (`categories`.`id` = ?) UNION SELECT `categories`.`id` FROM (`categories` INNER JOIN `reach` ON (`categories`.`parent_id` = `reach`.`id`))) SELECT `reach`.`id` FROM `reach` -- binds: [5]");
}
