//! Every construct of docs/query-guide.md, on every backend, against the
//! demo schema with known rows. Each test is one section of the guide.

use crate::common;

use chrono::{NaiveDate, NaiveTime};
use diesel::dsl::{count, count_star, exists, max, min, not, sum};
use diesel::prelude::*;
use quarry::dsl::{asc_nulls_first, desc_nulls_last, escape_like, ilike, json_text};
use serde_json::json;

use crate::schema;
use schema::*;

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// The guide's rows: three authors (Grace without articles), five
/// articles, three tags, comments, an employee chain and a profile.
macro_rules! seed {
    ($conn:expr) => {{
        let conn = &mut *$conn;
        schema::create_all(conn).unwrap();
        let author = |id, name: &str| NewAuthor { id: Some(id), ..NewAuthor::new(name) };
        diesel::insert_into(authors::table)
            .values(&vec![author(1, "Ada"), author(2, "Alan"), author(3, "Grace")])
            .execute(conn)
            .unwrap();
        let article = |id, title: &str, views, published, status, author_id| NewArticle {
            id: Some(id),
            views,
            published,
            status,
            ..NewArticle::new(title, author_id)
        };
        diesel::insert_into(articles::table)
            .values(&vec![
                article(1, "Notes", 420, day(1843, 9, 1), ArticleStatus::Published, 1),
                article(2, "Bernoulli", 95, day(1843, 10, 1), ArticleStatus::Published, 1),
                article(3, "Poetical science", 12, None, ArticleStatus::Draft, 1),
                article(4, "Computing Machinery", 1950, day(1950, 10, 1), ArticleStatus::Published, 2),
                article(5, "On Computable Numbers", 1936, day(1936, 11, 12), ArticleStatus::Archived, 2),
            ])
            .execute(conn)
            .unwrap();
        let tag = |id, name: &str| NewTag { id: Some(id), ..NewTag::new(name) };
        diesel::insert_into(tags::table).values(&vec![tag(1, "math"), tag(2, "ai"), tag(3, "history")]).execute(conn).unwrap();
        let links = [(1, 1), (1, 3), (2, 1), (4, 2), (5, 1), (5, 2)].map(|(a, t)| NewArticleTag::new(a, t));
        diesel::insert_into(article_tags::table).values(&links.to_vec()).execute(conn).unwrap();
        let comment = |id, article_id, body: &str, score| NewComment { id: Some(id), ..NewComment::new(article_id, body, score) };
        diesel::insert_into(comments::table)
            .values(&vec![comment(1, 1, "Brilliant", 4.5), comment(2, 1, "100% true_", 3.0), comment(3, 4, "Can machines think?", 5.0)])
            .execute(conn)
            .unwrap();
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let employee = |id, name: &str, manager_id, salary: Option<&str>| NewEmployee {
            id: Some(id),
            manager_id,
            salary: salary.map(|s| s.parse().unwrap()),
            ..NewEmployee::new(name, day(2020, 1, 1).unwrap(), nine)
        };
        diesel::insert_into(employees::table)
            .values(&vec![
                employee(1, "Boss", None, Some("300")),
                employee(2, "Mid", Some(1), Some("200")),
                employee(3, "Low", Some(2), Some("100")),
                employee(4, "Other", Some(1), None),
            ])
            .execute(conn)
            .unwrap();
        diesel::insert_into(users::table).values(NewUser { id: Some(1), ..NewUser::new("ada", "ada@example.com") }).execute(conn).unwrap();
        diesel::insert_into(profiles::table)
            .values(NewProfile::new(1, "Mathematician", json!({"theme": "dark", "size": 3})))
            .execute(conn)
            .unwrap();
    }};
}

/// Ids of articles a query selects, sorted.
macro_rules! ids {
    ($query:expr, $conn:expr) => {{
        let mut ids: Vec<i32> = $query.select(articles::id).load($conn).unwrap();
        ids.sort();
        ids
    }};
}

common::backend_tests! {
    fn filters(conn) {
        seed!(conn);
        assert_eq!(ids!(articles::table.filter(articles::views.gt(100)), conn), [1, 4, 5]);
        assert_eq!(ids!(articles::table.filter(articles::views.ne(420)), conn), [2, 3, 4, 5]);
        assert_eq!(ids!(articles::table.filter(articles::views.between(90, 500)), conn), [1, 2]);
        assert_eq!(ids!(articles::table.filter(articles::published.is_null()), conn), [3]);
        assert_eq!(ids!(articles::table.filter(articles::published.is_not_null()), conn), [1, 2, 4, 5]);
        let hits_or_drafts = articles::views.gt(1000).or(articles::status.eq(ArticleStatus::Draft));
        assert_eq!(ids!(articles::table.filter(hits_or_drafts.and(not(articles::author_id.eq(2)))), conn), [3]);
        // Chained filters are ANDed.
        assert_eq!(ids!(articles::table.filter(articles::author_id.eq(1)).filter(articles::views.lt(100)), conn), [2, 3]);
    }

    fn text_matching(conn) {
        seed!(conn);
        assert_eq!(ids!(articles::table.filter(articles::title.like("On%")), conn), [5]);
        assert_eq!(ids!(articles::table.filter(articles::title.not_like("%Num%")), conn), [1, 2, 3, 4]);
        // LIKE's case rules differ: SQLite folds ASCII case, PostgreSQL and
        // MySQL (binary collation, as quarry creates tables) do not.
        let sqlite = std::any::type_name_of_val(&*conn).contains("Sqlite");
        let expected: &[i32] = if sqlite { &[1] } else { &[] };
        assert_eq!(ids!(articles::table.filter(articles::title.like("notes")), conn), expected);
        // Case-insensitive on every backend.
        assert_eq!(ids!(articles::table.filter(ilike(articles::title, "notes")), conn), [1]);
        assert_eq!(ids!(articles::table.filter(ilike(articles::title, "%MACHINERY%")), conn), [4]);
        // User input with wildcards matches itself only.
        let pattern = format!("%{}%", escape_like("100%"));
        let found: Vec<i64> = comments::table.filter(comments::body.like(pattern).escape('\\')).select(comments::id).load(conn).unwrap();
        assert_eq!(found, [2]);
        let underscore = format!("%{}", escape_like("true_"));
        let found: Vec<i64> = comments::table.filter(comments::body.like(underscore).escape('\\')).select(comments::id).load(conn).unwrap();
        assert_eq!(found, [2]);
    }

    fn membership(conn) {
        seed!(conn);
        assert_eq!(ids!(articles::table.filter(articles::id.eq_any([1, 4])), conn), [1, 4]);
        assert_eq!(ids!(articles::table.filter(articles::id.ne_all([1, 4])), conn), [2, 3, 5]);
        // The empty list: IN () matches nothing, NOT IN () everything.
        assert_eq!(ids!(articles::table.filter(articles::id.eq_any(Vec::<i32>::new())), conn), Vec::<i32>::new());
        assert_eq!(ids!(articles::table.filter(articles::id.ne_all(Vec::<i32>::new())), conn), [1, 2, 3, 4, 5]);
        // A subquery.
        let tagged_ai = article_tags::table.filter(article_tags::tag_id.eq(2)).select(article_tags::article_id);
        assert_eq!(ids!(articles::table.filter(articles::id.eq_any(tagged_ai)), conn), [4, 5]);
    }

    fn ordering_and_paging(conn) {
        seed!(conn);
        let ordered: Vec<i32> = articles::table.order((articles::author_id.asc(), articles::views.desc())).select(articles::id).load(conn).unwrap();
        assert_eq!(ordered, [1, 2, 3, 4, 5]);
        // NULLS FIRST / LAST on every backend (emulated on MySQL).
        let nulls_first: Vec<i32> = articles::table.order(asc_nulls_first(articles::published)).select(articles::id).load(conn).unwrap();
        assert_eq!(nulls_first, [3, 1, 2, 5, 4]);
        let nulls_last: Vec<i32> = articles::table.order(desc_nulls_last(articles::published)).select(articles::id).load(conn).unwrap();
        assert_eq!(nulls_last, [4, 5, 2, 1, 3]);
        // LIMIT / OFFSET.
        let page: Vec<i32> = articles::table.order(articles::id).limit(2).offset(2).select(articles::id).load(conn).unwrap();
        assert_eq!(page, [3, 4]);
        // Keyset pagination: after the last key seen.
        let after: Vec<i32> = articles::table.filter(articles::id.gt(3)).order(articles::id).limit(2).select(articles::id).load(conn).unwrap();
        assert_eq!(after, [4, 5]);
        // Get by primary key.
        let notes: Article = articles::table.find(1).select(Article::as_select()).first(conn).unwrap();
        assert_eq!(notes.title, "Notes");
    }

    fn joins(conn) {
        seed!(conn);
        let pairs: Vec<(String, String)> = articles::table
            .inner_join(authors::table)
            .filter(articles::views.gt(1000))
            .order(articles::id)
            .select((authors::name, articles::title))
            .load(conn)
            .unwrap();
        assert_eq!(pairs, [("Alan".to_owned(), "Computing Machinery".to_owned()), ("Alan".to_owned(), "On Computable Numbers".to_owned())]);
        // An explicit ON.
        let popular: Vec<String> = authors::table
            .inner_join(articles::table.on(articles::author_id.eq(authors::id).and(articles::views.gt(400))))
            .select(authors::name)
            .distinct()
            .order(authors::name)
            .load(conn)
            .unwrap();
        assert_eq!(popular, ["Ada", "Alan"]);
        // Several joins; LEFT OUTER keeps authors without articles.
        let counts: Vec<(String, i64)> = authors::table
            .left_join(articles::table.left_join(comments::table))
            .group_by(authors::name)
            .select((authors::name, count(comments::id.nullable())))
            .order(authors::name)
            .load(conn)
            .unwrap();
        assert_eq!(counts, [("Ada".to_owned(), 2), ("Alan".to_owned(), 1), ("Grace".to_owned(), 0)]);
        // A self-join through an alias: each employee with their manager.
        let manager = diesel::alias!(employees as manager);
        let chain: Vec<(String, Option<String>)> = employees::table
            .left_join(manager.on(employees::manager_id.eq(manager.field(employees::id).nullable())))
            .select((employees::name, manager.field(employees::name).nullable()))
            .order(employees::id)
            .load(conn)
            .unwrap();
        let expected = [("Boss", None), ("Mid", Some("Boss")), ("Low", Some("Mid")), ("Other", Some("Boss"))];
        assert_eq!(chain, expected.map(|(e, m)| (e.to_owned(), m.map(str::to_owned))));
    }

    fn aggregates(conn) {
        seed!(conn);
        let (n, total, least, most): (i64, Option<i64>, Option<i32>, Option<i32>) = articles::table
            .select((count_star(), sum(articles::views), min(articles::views), max(articles::views)))
            .first(conn)
            .unwrap();
        assert_eq!((n, total, least, most), (5, Some(4413), Some(12), Some(1950)));
        let mean: Option<f64> = employees::table.select(diesel::dsl::avg(employees::id.nullable())).first::<Option<bigdecimal::BigDecimal>>(conn).unwrap().map(|d| d.to_string().parse().unwrap());
        assert_eq!(mean, Some(2.5));
        // GROUP BY with HAVING.
        let prolific: Vec<(i32, i64)> = articles::table
            .group_by(articles::author_id)
            .having(count(articles::id).gt(2))
            .select((articles::author_id, count(articles::id)))
            .load(conn)
            .unwrap();
        assert_eq!(prolific, [(1, 3)]);
        // MIN and MAX of a NUMERIC column.
        let (lowest, highest): (Option<quarry::Decimal>, Option<quarry::Decimal>) =
            employees::table.select((min(employees::salary), max(employees::salary))).first(conn).unwrap();
        assert_eq!((lowest, highest), (Some("100".parse::<quarry::Decimal>().unwrap()), Some("300".parse::<quarry::Decimal>().unwrap())));
        // COUNT(DISTINCT ...): of the three authors, two wrote.
        let writers: i64 = articles::table.select(count(articles::author_id).aggregate_distinct()).first(conn).unwrap();
        assert_eq!(writers, 2);
        let statuses_seen: i64 = articles::table.select(count(articles::status).aggregate_distinct()).first(conn).unwrap();
        assert_eq!(statuses_seen, 3);
        // DISTINCT.
        let mut statuses: Vec<ArticleStatus> = articles::table.select(articles::status).distinct().load(conn).unwrap();
        statuses.sort();
        assert_eq!(statuses, [ArticleStatus::Draft, ArticleStatus::Published, ArticleStatus::Archived]);
    }

    fn subqueries(conn) {
        seed!(conn);
        // A correlated scalar subquery in the select list.
        let per_author: Vec<(String, Option<i64>)> = authors::table
            .select((
                authors::name,
                articles::table.filter(articles::author_id.eq(authors::id)).select(count_star()).single_value(),
            ))
            .order(authors::id)
            .load(conn)
            .unwrap();
        assert_eq!(per_author, [("Ada".to_owned(), Some(3)), ("Alan".to_owned(), Some(2)), ("Grace".to_owned(), Some(0))]);
        // Correlated EXISTS and NOT EXISTS.
        let writers: Vec<String> = authors::table
            .filter(exists(articles::table.filter(articles::author_id.eq(authors::id))))
            .select(authors::name)
            .order(authors::name)
            .load(conn)
            .unwrap();
        assert_eq!(writers, ["Ada", "Alan"]);
        let idle: Vec<String> = authors::table
            .filter(not(exists(articles::table.filter(articles::author_id.eq(authors::id)))))
            .select(authors::name)
            .load(conn)
            .unwrap();
        assert_eq!(idle, ["Grace"]);
    }

    fn set_operations(conn) {
        seed!(conn);
        let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
        let ai = article_tags::table.filter(article_tags::tag_id.eq(2)).select(article_tags::article_id);
        let sorted = |mut v: Vec<i32>| {
            v.sort();
            v
        };
        assert_eq!(sorted(math.union(ai).load(conn).unwrap()), [1, 2, 4, 5]);
        assert_eq!(sorted(math.union_all(ai).load(conn).unwrap()), [1, 2, 4, 5, 5]);
        // ORDER BY, LIMIT and OFFSET on the combined result, by its columns.
        {
            use quarry::dsl::{output, OrderCombined};
            let by_ada = articles::table.filter(articles::author_id.eq(1)).select((articles::id, articles::views));
            let hits = articles::table.filter(articles::views.gt(1000)).select((articles::id, articles::views));
            let page: Vec<(i32, i32)> =
                by_ada.union(hits).order_by_output(output(articles::views).desc()).limit(3).offset(1).load(conn).unwrap();
            assert_eq!(page, [(5, 1936), (1, 420), (2, 95)]);
            let twice: Vec<i32> = math.union_all(ai).order_by_output((output(article_tags::article_id).desc(),)).load(conn).unwrap();
            assert_eq!(twice, [5, 5, 4, 2, 1]);
            let first: Vec<i32> = math.union(ai).order_by_output(output(article_tags::article_id)).limit(2).load(conn).unwrap();
            assert_eq!(first, [1, 2]);
        }
        // INTERSECT and EXCEPT on every backend, MySQL/MariaDB included.
        {
            use quarry::dsl::{except, intersect};
            assert_eq!(sorted(intersect(math, ai).load(conn).unwrap()), [5]);
            assert_eq!(sorted(except(math, ai).load(conn).unwrap()), [1, 2]);
            // Duplicates go: articles 1, 2, 5 of math each once, even where
            // the left side repeats them.
            let tagged = article_tags::table.select(article_tags::article_id);
            assert_eq!(sorted(intersect(tagged, math).load(conn).unwrap()), [1, 2, 5]);
            assert_eq!(sorted(except(tagged, ai).load(conn).unwrap()), [1, 2]);
            // Nothing in common: no rows.
            let none = article_tags::table.filter(article_tags::tag_id.eq(3)).select(article_tags::article_id);
            assert_eq!(intersect(ai, none).load::<i32>(conn).unwrap(), Vec::<i32>::new());
            // ORDER BY, LIMIT and OFFSET on them too, as on a UNION.
            use quarry::dsl::{output, OrderCombined};
            let id = || output(article_tags::article_id);
            let top: Vec<i32> = intersect(tagged, math).order_by_output(id().desc()).limit(2).load(conn).unwrap();
            assert_eq!(top, [5, 2]);
            let rest: Vec<i32> = except(tagged, ai).order_by_output(id()).offset(1).load(conn).unwrap();
            assert_eq!(rest, [2]);
            let page: Vec<i32> = intersect(tagged, math).order_by_output(id()).limit(1).offset(1).load(conn).unwrap();
            assert_eq!(page, [2]);
            assert_eq!(except(tagged, ai).limit(1).load::<i32>(conn).unwrap().len(), 1);
        }
        // INTERSECT and EXCEPT, written portably by membership in the
        // other query.
        let both = articles::table.filter(articles::id.eq_any(math)).filter(articles::id.eq_any(ai)).select(articles::id);
        assert_eq!(sorted(both.load(conn).unwrap()), [5]);
        let only_math = articles::table.filter(articles::id.eq_any(math)).filter(articles::id.ne_all(ai)).select(articles::id);
        assert_eq!(sorted(only_math.load(conn).unwrap()), [1, 2]);
    }

    fn case_expressions(conn) {
        seed!(conn);
        let labels: Vec<(i32, String)> = articles::table
            .select((
                articles::id,
                diesel::dsl::case_when(articles::views.gt(1000), "hit".into_sql::<diesel::sql_types::Text>())
                    .when(articles::views.gt(100), "read".into_sql::<diesel::sql_types::Text>())
                    .otherwise("quiet".into_sql::<diesel::sql_types::Text>()),
            ))
            .order(articles::id)
            .load(conn)
            .unwrap();
        let expected = [(1, "read"), (2, "quiet"), (3, "quiet"), (4, "hit"), (5, "hit")];
        assert_eq!(labels, expected.map(|(i, l)| (i, l.to_owned())));
    }

    fn window_functions(conn) {
        seed!(conn);
        use diesel::dsl::{dense_rank, frame, rank, row_number};
        let ranked: Vec<(i32, i64, i64, i64)> = articles::table
            .select((
                articles::id,
                row_number().partition_by(articles::author_id).window_order(articles::views.desc()),
                rank().window_order(articles::status),
                dense_rank().window_order(articles::status),
            ))
            .order(articles::id)
            .load(conn)
            .unwrap();
        // status order: draft < published < archived (enum order on PostgreSQL and MySQL,
        // text order on SQLite differs) — compare row numbers only, ranks by consistency.
        let numbers: Vec<(i32, i64)> = ranked.iter().map(|r| (r.0, r.1)).collect();
        assert_eq!(numbers, [(1, 1), (2, 2), (3, 3), (4, 1), (5, 2)]);
        assert!(ranked.iter().all(|r| r.3 <= r.2), "dense_rank never exceeds rank");
        // An aggregate over a partition, and a running total with a frame.
        let totals: Vec<(i32, Option<i64>, Option<i64>)> = articles::table
            .select((
                articles::id,
                sum(articles::views).partition_by(articles::author_id),
                sum(articles::views)
                    .window_order(articles::id)
                    .frame_by(frame::Rows.frame_start_with(frame::UnboundedPreceding)),
            ))
            .order(articles::id)
            .load(conn)
            .unwrap();
        assert_eq!(
            totals,
            [(1, Some(527), Some(420)), (2, Some(527), Some(515)), (3, Some(527), Some(527)), (4, Some(3886), Some(2477)), (5, Some(3886), Some(4413))]
        );
    }

    fn json_fields(conn) {
        seed!(conn);
        let theme: Option<String> = profiles::table.select(json_text(profiles::settings, "theme")).first(conn).unwrap();
        assert_eq!(theme.as_deref(), Some("dark"));
        let size: Option<String> = profiles::table.select(json_text(profiles::settings, "size")).first(conn).unwrap();
        assert_eq!(size.as_deref(), Some("3"));
        let missing: Option<String> = profiles::table.select(json_text(profiles::settings, "absent")).first(conn).unwrap();
        assert_eq!(missing, None);
        let dark: i64 = profiles::table.filter(json_text(profiles::settings, "theme").eq("dark")).count().get_result(conn).unwrap();
        assert_eq!(dark, 1);
        // Deeper paths: keys and array indexes.
        use quarry::dsl::{json_path_text, PathStep};
        diesel::insert_into(users::table).values(NewUser { id: Some(2), ..NewUser::new("alan", "alan@example.com") }).execute(conn).unwrap();
        let nested = json!({"ui": {"theme": "light", "panels": ["left", "right"], "it's \"quoted\"": "yes"}, "size": 4});
        diesel::insert_into(profiles::table).values(NewProfile::new(2, "Logician", nested)).execute(conn).unwrap();
        let of_alan = profiles::table.filter(profiles::user_id.eq(2));
        let theme: Option<String> = of_alan.select(json_path_text(profiles::settings, ["ui", "theme"])).first(conn).unwrap();
        assert_eq!(theme.as_deref(), Some("light"));
        let panel: Option<String> =
            of_alan.select(json_path_text(profiles::settings, [PathStep::from("ui"), PathStep::from("panels"), PathStep::from(1)])).first(conn).unwrap();
        assert_eq!(panel.as_deref(), Some("right"));
        let quoted: Option<String> = of_alan.select(json_path_text(profiles::settings, ["ui", "it's \"quoted\""])).first(conn).unwrap();
        assert_eq!(quoted.as_deref(), Some("yes"));
        let absent: Option<String> = of_alan.select(json_path_text(profiles::settings, ["ui", "nope", "deeper"])).first(conn).unwrap();
        assert_eq!(absent, None);
        let light: i64 = profiles::table.filter(json_path_text(profiles::settings, ["ui", "theme"]).eq("light")).count().get_result(conn).unwrap();
        assert_eq!(light, 1);
    }

    fn textual_sql(conn) {
        seed!(conn);
        #[derive(QueryableByName, Debug, PartialEq)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            title: String,
            #[diesel(sql_type = diesel::sql_types::Integer)]
            views: i32,
        }
        // Placeholders are the backend's own: `?` on SQLite and MySQL, `$1` on PostgreSQL.
        let placeholder = if std::any::type_name_of_val(&*conn).contains("Pg") { "$1" } else { "?" };
        let rows: Vec<Row> = diesel::sql_query(format!("SELECT title, views FROM articles WHERE views > {placeholder} ORDER BY views"))
            .bind::<diesel::sql_types::Integer, _>(1000)
            .load(conn)
            .unwrap();
        assert_eq!(rows, [Row { title: "On Computable Numbers".into(), views: 1936 }, Row { title: "Computing Machinery".into(), views: 1950 }]);
    }

    fn casts_and_modulo(conn) {
        use diesel::sql_types::{BigInt, Double, Integer, Text};
        use quarry::dsl::{cast, modulo, Varchar};
        use quarry::sql_types::Numeric;
        seed!(conn);
        // Integer to text, and text cut to a length.
        let text: Vec<(String, String)> =
            articles::table.order(articles::id).select((cast(articles::views, Text), cast(articles::title, Varchar::<4>))).load(conn).unwrap();
        assert_eq!(text[0], ("420".to_owned(), "Note".to_owned()));
        assert_eq!(text[3], ("1950".to_owned(), "Comp".to_owned()));
        // A decimal as text keeps its scale; a date as text is ISO.
        let salary: Option<String> = employees::table.find(1).select(cast(employees::salary, Text)).first(conn).unwrap();
        assert_eq!(salary.as_deref(), Some("300.00"));
        let unpaid: Option<String> = employees::table.find(4).select(cast(employees::salary, Text)).first(conn).unwrap();
        assert_eq!(unpaid, None);
        let published: Option<String> = articles::table.find(1).select(cast(articles::published, Text)).first(conn).unwrap();
        assert_eq!(published.as_deref(), Some("1843-09-01"));
        // Integer x decimal: the integer cast to a decimal first (money).
        diesel::insert_into(products::table)
            .values(NewProduct { id: Some(1), ..NewProduct::new("PEN-1", "Pen", "1.25".parse::<quarry::Decimal>().unwrap(), true) })
            .execute(conn)
            .unwrap();
        diesel::insert_into(orders::table).values(NewOrder { id: Some(1), ..NewOrder::new(1) }).execute(conn).unwrap();
        diesel::insert_into(order_items::table)
            .values(NewOrderItem { quantity: 3, ..NewOrderItem::new(1, 1, "1.25".parse::<quarry::Decimal>().unwrap()) })
            .execute(conn)
            .unwrap();
        let total: quarry::Decimal = order_items::table
            .select(cast(order_items::quantity, Numeric::<10, 2>) * order_items::unit_price)
            .first(conn)
            .unwrap();
        assert_eq!(total, "3.75".parse::<quarry::Decimal>().unwrap());
        // Text to numbers and dates; a decimal rounds half away from zero to its scale.
        let parsed: (i32, i64, f64, quarry::Decimal) = diesel::select((
            cast("42".into_sql::<Text>(), Integer),
            cast("-7".into_sql::<Text>(), BigInt),
            cast("2.5".into_sql::<Text>(), Double),
            cast("12.345".into_sql::<Text>(), Numeric::<10, 2>),
        ))
        .get_result(conn)
        .unwrap();
        assert_eq!(parsed, (42, -7, 2.5, "12.35".parse::<quarry::Decimal>().unwrap()));
        let day: chrono::NaiveDate = diesel::select(cast("2024-02-29".into_sql::<Text>(), diesel::sql_types::Date)).get_result(conn).unwrap();
        assert_eq!(day, NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        // A NULL stays NULL.
        let none: Option<String> = articles::table.find(3).select(cast(articles::published, Text)).first(conn).unwrap();
        assert_eq!(none, None);
        // Modulo, with the sign of the dividend everywhere.
        let odd: Vec<i32> = articles::table.filter(modulo(articles::views, 2).eq(1)).select(articles::id).order(articles::id).load(conn).unwrap();
        assert_eq!(odd, [2]);
        let remainders: (i32, i32, i64) = diesel::select((
            modulo(7.into_sql::<Integer>(), 3),
            modulo((-7).into_sql::<Integer>(), 3),
            modulo(1950_i64.into_sql::<BigInt>(), -7),
        ))
        .get_result(conn)
        .unwrap();
        assert_eq!(remainders, (1, -1, 4));
        // Unhappy inputs. A zero divisor: PostgreSQL refuses it, the others
        // give NULL, which a non-null result cannot read: an error on all three.
        assert!(diesel::select(modulo(7.into_sql::<Integer>(), 0)).get_result::<i32>(conn).is_err());
        // Cutting counts characters, not bytes.
        let cut: String = diesel::select(cast("ünïcødé".into_sql::<Text>(), Varchar::<2>)).get_result(conn).unwrap();
        assert_eq!(cut, "ün");
        // Text that is no number: PostgreSQL refuses it, the others read 0.
        let postgres = std::any::type_name_of_val(&*conn).contains("Pg");
        let not_a_number = diesel::select(cast("abc".into_sql::<Text>(), Integer)).get_result::<i32>(conn);
        if postgres {
            assert!(not_a_number.is_err(), "{not_a_number:?}");
        } else {
            assert_eq!(not_a_number.unwrap(), 0);
        }
    }
}

/// DISTINCT ON is PostgreSQL's.
#[cfg(feature = "postgres")]
#[test]
fn distinct_on_postgres() {
    let Some(mut conn) = common::postgres("distinct_on") else { return };
    let conn = &mut conn;
    seed!(conn);
    let top: Vec<(i32, String)> = articles::table
        .distinct_on(articles::author_id)
        .order((articles::author_id, articles::views.desc()))
        .select((articles::author_id, articles::title))
        .load(conn)
        .unwrap();
    assert_eq!(top, [(1, "Notes".to_owned()), (2, "Computing Machinery".to_owned())]);
}

/// INTERSECT and EXCEPT themselves, where diesel has them.
macro_rules! intersect_except {
    ($conn:expr) => {{
        let conn = &mut *$conn;
        seed!(conn);
        let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
        let ai = article_tags::table.filter(article_tags::tag_id.eq(2)).select(article_tags::article_id);
        let mut both: Vec<i32> = math.intersect(ai).load(conn).unwrap();
        both.sort();
        assert_eq!(both, [5]);
        let mut only_math: Vec<i32> = math.except(ai).load(conn).unwrap();
        only_math.sort();
        assert_eq!(only_math, [1, 2]);
    }};
}

#[cfg(feature = "sqlite")]
#[test]
fn intersect_and_except_sqlite() {
    let mut conn = common::sqlite("intersect").unwrap();
    intersect_except!(&mut conn);
}

#[cfg(feature = "postgres")]
#[test]
fn intersect_and_except_postgres() {
    let Some(mut conn) = common::postgres("intersect") else { return };
    intersect_except!(&mut conn);
}

/// A page with its total, through a session.
mod pages {
    use super::*;

    common::engine_tests! {
        fn paginate_returns_a_page_and_the_total(engine) {
            let mut session = engine.session().unwrap();
            seed!(session.connection());
            let query = articles::table.filter(articles::views.gt(50)).select(articles::title);
            let first: quarry::Page<String> = session.paginate(query, articles::views.desc(), 1, 3).unwrap();
            assert_eq!(first.items, ["Computing Machinery", "On Computable Numbers", "Notes"]);
            assert_eq!((first.total, first.pages(), first.has_next()), (4, 2, true));
            let second: quarry::Page<String> = session.paginate(query, articles::views.desc(), 2, 3).unwrap();
            assert_eq!(second.items, ["Bernoulli"]);
            assert!(!second.has_next());
        }
    }
}

/// `INTERSECT ALL` and `EXCEPT ALL` keep duplicates; SQLite has neither
/// (`tests/ui/intersect_all_on_sqlite.rs`).
#[cfg(any(feature = "postgres", feature = "mysql"))]
macro_rules! intersect_all_except_all {
    ($conn:expr) => {{
        use quarry::dsl::{except_all, intersect_all};
        let conn = &mut *$conn;
        seed!(conn);
        // Articles by tag: 1 twice, 2 once, 4 once, 5 twice; math is 1, 2, 5.
        let tagged = article_tags::table.select(article_tags::article_id);
        let math = article_tags::table.filter(article_tags::tag_id.eq(1)).select(article_tags::article_id);
        let mut both: Vec<i32> = intersect_all(tagged, math).load(conn).unwrap();
        both.sort();
        assert_eq!(both, [1, 2, 5]);
        let mut rest: Vec<i32> = except_all(tagged, math).load(conn).unwrap();
        rest.sort();
        assert_eq!(rest, [1, 4, 5]);
    }};
}

#[cfg(feature = "postgres")]
#[test]
fn intersect_all_and_except_all_postgres() {
    let Some(mut conn) = common::postgres("intersect_all") else { return };
    intersect_all_except_all!(&mut conn);
}

#[cfg(feature = "mysql")]
#[test]
fn intersect_all_and_except_all_mysql() {
    let Some(mut conn) = common::mysql("intersect_all") else { return };
    intersect_all_except_all!(&mut conn);
}

/// Subtotals by `ROLLUP` (PostgreSQL, MySQL/MariaDB) and `CUBE`
/// (PostgreSQL): articles and views per author and status, per author, and
/// in all; SQLite has neither (`tests/ui/rollup_on_sqlite.rs`).
#[cfg(any(feature = "postgres", feature = "mysql"))]
macro_rules! rollup_subtotals {
    ($conn:expr) => {{
        use quarry::dsl::{rolled, rollup};
        let conn = &mut *$conn;
        seed!(conn);
        let rows: Vec<(Option<i32>, Option<ArticleStatus>, i64, Option<i64>)> = articles::table
            .group_by(rollup((articles::author_id, articles::status)))
            .select((rolled(articles::author_id), rolled(articles::status), count_star(), sum(articles::views)))
            .load(conn)
            .unwrap();
        let mut rows: Vec<(Option<i32>, Option<String>, i64, Option<i64>)> =
            rows.into_iter().map(|(a, s, n, v)| (a, s.map(|s| format!("{s:?}")), n, v)).collect();
        rows.sort();
        let row = |a: Option<i32>, s: Option<&str>, n, v| (a, s.map(str::to_owned), n, Some(v));
        assert_eq!(
            rows,
            [
                row(None, None, 5, 4413),
                row(Some(1), None, 3, 527),
                row(Some(1), Some("Draft"), 1, 12),
                row(Some(1), Some("Published"), 2, 515),
                row(Some(2), None, 2, 3886),
                row(Some(2), Some("Archived"), 1, 1936),
                row(Some(2), Some("Published"), 1, 1950),
            ]
        );
        // One column: its groups and the grand total.
        let mut per_author: Vec<(Option<i32>, i64)> = articles::table
            .group_by(rollup(articles::author_id))
            .select((rolled(articles::author_id), count_star()))
            .load(conn)
            .unwrap();
        per_author.sort();
        assert_eq!(per_author, [(None, 5), (Some(1), 3), (Some(2), 2)]);
    }};
}

#[cfg(feature = "postgres")]
#[test]
fn rollup_adds_subtotal_rows_postgres() {
    let Some(mut conn) = common::postgres("rollup") else { return };
    rollup_subtotals!(&mut conn);
    // CUBE: every subset of (author, status), so totals per status too.
    use quarry::dsl::{cube, rolled};
    let rows: Vec<(Option<i32>, Option<ArticleStatus>, i64)> = articles::table
        .group_by(cube((articles::author_id, articles::status)))
        .select((rolled(articles::author_id), rolled(articles::status), count_star()))
        .order_by((rolled(articles::author_id).desc(), rolled(articles::status).asc()))
        .load(&mut conn)
        .unwrap();
    let per_status: Vec<(String, i64)> =
        rows.iter().filter(|r| r.0.is_none() && r.1.is_some()).map(|r| (format!("{:?}", r.1.unwrap()), r.2)).collect();
    assert_eq!(per_status.len(), 3, "{rows:?}");
    for expected in [("Published".to_owned(), 3), ("Draft".to_owned(), 1), ("Archived".to_owned(), 1)] {
        assert!(per_status.contains(&expected), "{expected:?} in {per_status:?}");
    }
    assert_eq!(rows.len(), 7 + 3, "the rollup's rows and one per status");

    // GROUPING() tells the grand total's NULL from the article without a
    // publication date, which rollup(published) also groups as NULL.
    use quarry::dsl::{grouping, rollup};
    let rows: Vec<(Option<chrono::NaiveDate>, i32, i64)> = articles::table
        .group_by(rollup(articles::published))
        .select((rolled(articles::published), grouping(articles::published), count_star()))
        .load(&mut conn)
        .unwrap();
    let mut nulls: Vec<(i32, i64)> = rows.iter().filter(|r| r.0.is_none()).map(|r| (r.1, r.2)).collect();
    nulls.sort();
    assert_eq!(nulls, [(0, 1), (1, 5)], "the undated article, then the total");
    assert_eq!(rows.len(), 4 + 2);

    // GROUPING SETS: per author and status, per status, and in all.
    use quarry::dsl::grouping_sets;
    let rows: Vec<(Option<i32>, Option<ArticleStatus>, i64)> = articles::table
        .group_by(grouping_sets(((articles::author_id, articles::status), articles::status)).with_total())
        .select((rolled(articles::author_id), rolled(articles::status), count_star()))
        .load(&mut conn)
        .unwrap();
    let mut rows: Vec<(Option<i32>, Option<String>, i64)> =
        rows.into_iter().map(|(a, s, n)| (a, s.map(|s| format!("{s:?}")), n)).collect();
    rows.sort();
    let row = |a: Option<i32>, s: Option<&str>, n| (a, s.map(str::to_owned), n);
    assert_eq!(
        rows,
        [
            row(None, None, 5),
            row(None, Some("Archived"), 1),
            row(None, Some("Draft"), 1),
            row(None, Some("Published"), 3),
            row(Some(1), Some("Draft"), 1),
            row(Some(1), Some("Published"), 2),
            row(Some(2), Some("Archived"), 1),
            row(Some(2), Some("Published"), 1),
        ]
    );
}

#[cfg(feature = "mysql")]
#[test]
fn rollup_adds_subtotal_rows_mysql() {
    let Some(mut conn) = common::mysql("rollup") else { return };
    rollup_subtotals!(&mut conn);
}

/// `FULL OUTER JOIN` (PostgreSQL, SQLite): authors with the articles that
/// have more than 100 views, and each side's unmatched rows padded with
/// NULLs; MySQL/MariaDB have none (`tests/ui/full_join_on_mysql.rs`).
macro_rules! full_outer_join {
    ($conn:expr) => {{
        use quarry::dsl::{full_join, outer};
        let conn = &mut *$conn;
        seed!(conn);
        let on = articles::author_id.eq(authors::id).and(articles::views.gt(100));
        let mut pairs: Vec<(Option<String>, Option<String>)> = full_join(authors::table, articles::table, on)
            .select((outer(authors::name), outer(articles::title)))
            .load(conn)
            .unwrap();
        pairs.sort();
        let pair = |a: Option<&str>, t: Option<&str>| (a.map(str::to_owned), t.map(str::to_owned));
        assert_eq!(
            pairs,
            [
                pair(None, Some("Bernoulli")),
                pair(None, Some("Poetical science")),
                pair(Some("Ada"), Some("Notes")),
                pair(Some("Alan"), Some("Computing Machinery")),
                pair(Some("Alan"), Some("On Computable Numbers")),
                pair(Some("Grace"), None),
            ]
        );
        // Only the articles no author matched; whole rows of each side.
        let orphans: Vec<String> = full_join(authors::table, articles::table, on)
            .filter(authors::id.is_null())
            .order_by(articles::title)
            .select(outer(articles::title))
            .load::<Option<String>>(conn)
            .unwrap()
            .into_iter()
            .flatten()
            .collect();
        assert_eq!(orphans, ["Bernoulli", "Poetical science"]);
        let rows: Vec<(Option<Author>, Option<Article>)> =
            full_join(authors::table, articles::table, on).load(conn).unwrap();
        assert_eq!(rows.len(), 6);
        assert_eq!(rows.iter().filter(|(author, _)| author.is_none()).count(), 2);
        assert!(rows.iter().any(|(author, article)| article.is_none() && author.as_ref().unwrap().name == "Grace"));
    }};
}

#[cfg(feature = "sqlite")]
#[test]
fn full_outer_join_keeps_both_sides_sqlite() {
    let mut conn = common::sqlite("full_join").unwrap();
    full_outer_join!(&mut conn);
}

#[cfg(feature = "postgres")]
#[test]
fn full_outer_join_keeps_both_sides_postgres() {
    let Some(mut conn) = common::postgres("full_join") else { return };
    full_outer_join!(&mut conn);
}

/// The guide's "GROUP BY an expression".
mod group_by_expression {
    use super::*;
    use diesel::sql_types::Text;
    use quarry::dsl::group_key;

    /// The guide's CASE bucket: articles under 100 views are "low".
    macro_rules! bucket {
        () => {
            group_key(
                "bucket",
                diesel::dsl::case_when(articles::views.lt(100), "low".into_sql::<Text>())
                    .otherwise("high".into_sql::<Text>()),
            )
        };
    }

    common::backend_tests! {
        // The key alone: views 420, 1950 and 1936 are high; 95 and 12 low.
        fn group_by_a_selected_case_bucket(conn) {
            seed!(conn);
            let bucket = bucket!();
            let rows: Vec<(String, i64)> = articles::table
                .group_by(bucket.name())
                .select((bucket, count_star()))
                .order(bucket.name().desc())
                .load(conn)
                .unwrap();
            assert_eq!(rows, [("low".to_owned(), 2), ("high".to_owned(), 3)]);
            // A WHERE narrows the rows before they are bucketed.
            let rows: Vec<(String, i64)> = articles::table
                .filter(articles::author_id.eq(1))
                .group_by(bucket.name())
                .select((bucket, count_star()))
                .order(bucket.name())
                .load(conn)
                .unwrap();
            assert_eq!(rows, [("high".to_owned(), 1), ("low".to_owned(), 2)]);
        }

        // The key beside a column of a join, both grouped: Ada has one
        // high article and two low ones, Alan two high ones.
        fn group_by_a_bucket_and_a_column(conn) {
            seed!(conn);
            let bucket = bucket!();
            let rows: Vec<(String, String, i64, Option<i64>)> = authors::table
                .inner_join(articles::table)
                .group_by((authors::id, bucket.name()))
                .select((authors::name, bucket, count_star(), sum(articles::views)))
                .order((authors::name, bucket.name()))
                .load(conn)
                .unwrap();
            let expected = [("Ada", "high", 1, 420), ("Ada", "low", 2, 107), ("Alan", "high", 2, 3886)];
            let expected: Vec<_> =
                expected.iter().map(|(a, b, n, v)| (a.to_string(), b.to_string(), *n, Some(*v as i64))).collect();
            assert_eq!(rows, expected);
        }
    }
}

/// A subquery in FROM, named by a one-line `cte_tables!` declaration: read,
/// joined and left-joined, on every backend.
mod derived_table {
    use super::*;
    use quarry::dsl::derived;

    quarry::cte_tables! { use crate::schema; busy (author_id: Integer, written: BigInt); }

    macro_rules! per_author {
        () => {
            articles::table.group_by(articles::author_id).select((articles::author_id, count_star()))
        };
    }

    common::backend_tests! {
        fn a_derived_table_is_read_and_joined(conn) {
            seed!(conn);
            // Read on its own, filtered on its columns.
            let prolific: Vec<i32> = derived(busy::table, per_author!())
                .filter(busy::written.gt(2))
                .select(busy::author_id)
                .load(conn)
                .unwrap();
            assert_eq!(prolific, [1]);
            // Joined: Ada wrote three articles, Alan two.
            let rows: Vec<(String, i64)> = authors::table
                .inner_join(derived(busy::table, per_author!()).on(busy::author_id.eq(authors::id)))
                .order(authors::name)
                .select((authors::name, busy::written))
                .load(conn)
                .unwrap();
            assert_eq!(rows, [("Ada".to_owned(), 3), ("Alan".to_owned(), 2)]);
            // Left-joined: Grace, with none, stays with a NULL count.
            let rows: Vec<(String, Option<i64>)> = authors::table
                .left_join(derived(busy::table, per_author!()).on(busy::author_id.eq(authors::id)))
                .order(authors::name)
                .select((authors::name, busy::written.nullable()))
                .load(conn)
                .unwrap();
            assert_eq!(rows, [("Ada".to_owned(), Some(3)), ("Alan".to_owned(), Some(2)), ("Grace".to_owned(), None)]);
        }
    }
}

/// `JOIN LATERAL`, PostgreSQL only: each author's two most-read articles
/// (Grace, with none, drops out of the inner join); SQLite and MariaDB
/// have no lateral join (`tests/ui/lateral_on_sqlite.rs`).
#[cfg(feature = "postgres")]
mod lateral_join {
    use super::*;
    use diesel::sql_types::Bool;
    use quarry::dsl::lateral;

    quarry::cte_tables! { use crate::schema; top (title: Text, views: Integer); }

    #[test]
    fn a_lateral_subquery_runs_per_outer_row_postgres() {
        let Some(mut conn) = common::postgres("lateral") else { return };
        let conn = &mut conn;
        seed!(conn);
        let best = articles::table
            .filter(articles::author_id.eq(authors::id))
            .order(articles::views.desc())
            .limit(2)
            .select((articles::title, articles::views));
        let rows: Vec<(String, String, i32)> = authors::table
            .inner_join(lateral(top::table, best).on(true.into_sql::<Bool>()))
            .order((authors::name, top::views.desc()))
            .select((authors::name, top::title, top::views))
            .load(conn)
            .unwrap();
        let expected = [
            ("Ada", "Notes", 420),
            ("Ada", "Bernoulli", 95),
            ("Alan", "Computing Machinery", 1950),
            ("Alan", "On Computable Numbers", 1936),
        ];
        assert_eq!(rows, expected.map(|(a, t, v)| (a.to_owned(), t.to_owned(), v)));
        let query = authors::table
            .inner_join(
                lateral(
                    top::table,
                    articles::table
                        .filter(articles::author_id.eq(authors::id))
                        .limit(1)
                        .select((articles::title, articles::views)),
                )
                .on(true.into_sql::<Bool>()),
            )
            .select((authors::name, top::title));
        insta::assert_snapshot!(diesel::debug_query::<diesel::pg::Pg, _>(&query).to_string(), @r#"SELECT "authors"."name", "top"."title" FROM ("authors" INNER JOIN LATERAL (SELECT "articles"."title", "articles"."views" FROM "articles" WHERE ("articles"."author_id" = "authors"."id") LIMIT $1) AS "top" ("title", "views") ON $2) -- binds: [1, true]"#);
    }

    /// `LEFT JOIN LATERAL`: Grace, with no article, stays, with NULLs; the
    /// lateral columns are selected `.nullable()`, as a left-joined
    /// table's are (a bare one does not compile:
    /// `tests/ui/bare_column_in_left_lateral.rs`).
    #[test]
    fn a_left_lateral_join_keeps_outer_rows_without_a_match_postgres() {
        let Some(mut conn) = common::postgres("left_lateral") else { return };
        let conn = &mut conn;
        seed!(conn);
        let best = articles::table
            .filter(articles::author_id.eq(authors::id))
            .order(articles::views.desc())
            .limit(1)
            .select((articles::title, articles::views));
        let query = authors::table
            .left_join(lateral(top::table, best).on(true.into_sql::<Bool>()))
            .order(authors::name)
            .select((authors::name, top::title.nullable(), top::views.nullable()));
        let rows: Vec<(String, Option<String>, Option<i32>)> = query.clone().load(conn).unwrap();
        let expected = [("Ada", Some(("Notes", 420))), ("Alan", Some(("Computing Machinery", 1950))), ("Grace", None)];
        let expected: Vec<_> = expected
            .iter()
            .map(|(a, top)| (a.to_string(), top.map(|(t, _)| t.to_owned()), top.map(|(_, v)| v)))
            .collect();
        assert_eq!(rows, expected);
        insta::assert_snapshot!(diesel::debug_query::<diesel::pg::Pg, _>(&query).to_string(), @r#"SELECT "authors"."name", "top"."title", "top"."views" FROM ("authors" LEFT OUTER JOIN LATERAL (SELECT "articles"."title", "articles"."views" FROM "articles" WHERE ("articles"."author_id" = "authors"."id") ORDER BY "articles"."views" DESC LIMIT $1) AS "top" ("title", "views") ON $2) ORDER BY "authors"."name" -- binds: [1, true]"#);
        // Filtering on a lateral column keeps the outer rows it matches,
        // typed as the nullable column it is.
        let read: Vec<String> = authors::table
            .left_join(
                lateral(
                    top::table,
                    articles::table
                        .filter(articles::author_id.eq(authors::id))
                        .order(articles::views.desc())
                        .limit(1)
                        .select((articles::title, articles::views)),
                )
                .on(true.into_sql::<Bool>()),
            )
            .filter(top::views.nullable().gt(1000).or(top::views.nullable().is_null()))
            .order(authors::name)
            .select(authors::name)
            .load(conn)
            .unwrap();
        assert_eq!(read, ["Alan", "Grace"]);
    }
}
