//! quarry's main job, end to end on an SQLite file: migrate to the demo
//! schema (its migrations generated from `schema/*.rs` and embedded by the
//! build script, here `tests/build.rs`), insert rows, and run
//! compile-checked diesel queries — a filter, a join, an aggregate with
//! `group_by` and `having`, `order by` with `limit` — and load authors with
//! their articles and tags through a session, without N+1.
//!
//! ```text
//! cargo run --example quickstart [path/to/file.sqlite3]
//! ```

use bigdecimal::BigDecimal;
use chrono::NaiveDate;
use diesel::dsl::{count, sum};
use diesel::prelude::*;

mod schema {
    quarry::include_schema!();
}

/// `migrations/`, embedded.
static MIGRATIONS: &[quarry::migrate::Migration] = quarry::embed_migrations!();

use schema::{
    articles, authors, Article, ArticleStatus, Author, NewArticle, NewAuthor, NewOrder, NewOrderItem, NewProduct,
    NewUser, OrderItem, Product, User,
};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "target/quickstart.sqlite3".to_owned());
    if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let _ = std::fs::remove_file(&path);
    let mut conn = SqliteConnection::establish(&path)?;
    diesel::sql_query("PRAGMA foreign_keys = ON").execute(&mut conn)?;

    // The migrations `quarry revision --autogenerate` wrote from schema/,
    // embedded by the build script, applied at start-up.
    let applied = quarry::migrate::run_pending(&mut conn, MIGRATIONS)?;
    println!("Applied migrations {applied:?}: {} tables in {path}", schema::METADATA.schema.tables.len());

    let authors = seed_blog(&mut conn)?;
    seed_shop(&mut conn)?;

    section("Published articles with more than 100 views (a filter)");
    let popular: Vec<(String, i32)> = articles::table
        .filter(articles::views.gt(100))
        .filter(articles::published.is_not_null())
        .order(articles::views.desc())
        .select((articles::title, articles::views))
        .load(&mut conn)?;
    for (title, views) in popular {
        println!("  {views:>5}  {title}");
    }

    section("Every article with its author (a join through the foreign key)");
    let rows: Vec<(String, String, ArticleStatus)> = articles::table
        .inner_join(authors::table)
        .order((authors::name, articles::title))
        .select((authors::name, articles::title, articles::status))
        .load(&mut conn)?;
    for (author, title, status) in rows {
        println!("  {author:<16} {title:<36} {status}");
    }

    section("Authors with more than one article (group_by + having)");
    let prolific: Vec<(String, i64, Option<i64>)> = authors::table
        .inner_join(articles::table)
        .group_by(authors::id)
        .having(count(articles::id).gt(1))
        .select((authors::name, count(articles::id), sum(articles::views)))
        .order(authors::name)
        .load(&mut conn)?;
    for (name, articles, views) in prolific {
        println!("  {name:<16} {articles} articles, {} views", views.unwrap_or(0));
    }

    section("The three most read articles (order by + limit)");
    let top: Vec<(String, i32)> = articles::table
        .order(articles::views.desc())
        .limit(3)
        .select((articles::title, articles::views))
        .load(&mut conn)?;
    for (rank, (title, views)) in top.iter().enumerate() {
        println!("  #{} {title} ({views} views)", rank + 1);
    }

    section("An order's lines, priced (association object)");
    let lines: Vec<(OrderItem, Product)> = schema::order_items::table
        .inner_join(schema::products::table)
        .order(schema::products::name)
        .select((OrderItem::as_select(), Product::as_select()))
        .load(&mut conn)?;
    for (item, product) in &lines {
        // Every backend reads NUMERIC(10, 2) back exactly, SQLite included.
        let price = &item.unit_price;
        let line_total = &*item.unit_price * BigDecimal::from(item.quantity);
        println!("  {:>2} × {:<24} {:>8}  = {:>8}", item.quantity, product.name, price, line_total);
    }

    section("Authors with their articles and tags, loaded eagerly (no N+1)");
    let engine = quarry::Engine::<SqliteConnection>::builder().pool_size(1).build(&format!("sqlite:///{path}"))?;
    let mut session = engine.session()?;
    engine.record_statements(true);
    let loaded = session.load(authors::table.order(authors::name), Author::ARTICLES.with(Article::TAGS))?;
    engine.record_statements(false);
    let queries = engine.take_statements().iter().filter(|s| s.starts_with("SELECT")).count();
    for author in &loaded {
        println!("  {}", author.name);
        // `get` compiles only for relations that were loaded.
        for article in author.get(Author::ARTICLES) {
            let tags: Vec<&str> = article.get(Article::TAGS).iter().map(|t| t.name.as_str()).collect();
            println!("    {:<36} [{}]", article.title, tags.join(", "));
        }
    }
    let articles: usize = loaded.iter().map(|a| a.get(Author::ARTICLES).len()).sum();
    println!(
        "  {queries} queries for {} authors and {articles} articles: one per level, never one per row",
        loaded.len()
    );

    section("Relations the schema declares");
    for relation in [Author::ARTICLES.meta(), schema::Article::TAGS.meta(), User::ORDERS.meta()] {
        println!("  {}.{} → {} ({:?})", relation.table, relation.name, relation.target, relation.kind);
    }

    println!("\n{} authors, done.", authors.len());
    Ok(())
}

fn section(title: &str) {
    println!("\n{title}");
}

/// Two authors, five articles.
fn seed_blog(conn: &mut SqliteConnection) -> Result<Vec<Author>> {
    let authors: Vec<Author> = diesel::insert_into(authors::table)
        .values(&vec![NewAuthor::new("Ada Lovelace"), NewAuthor::new("Alan Turing")])
        .returning(Author::as_returning())
        .get_results(conn)?;
    let (ada, alan) = (&authors[0], &authors[1]);
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let articles = vec![
        NewArticle {
            views: 420,
            published: date(1843, 9, 1),
            status: ArticleStatus::Published,
            ..NewArticle::new("Notes on the Analytical Engine", ada.id)
        },
        NewArticle {
            views: 95,
            published: date(1843, 10, 1),
            status: ArticleStatus::Published,
            ..NewArticle::new("On Bernoulli numbers", ada.id)
        },
        NewArticle { views: 12, ..NewArticle::new("Poetical science", ada.id) },
        NewArticle {
            views: 1950,
            published: date(1950, 10, 1),
            status: ArticleStatus::Published,
            ..NewArticle::new("Computing Machinery and Intelligence", alan.id)
        },
        NewArticle {
            views: 1936,
            published: date(1936, 11, 12),
            status: ArticleStatus::Archived,
            ..NewArticle::new("On Computable Numbers", alan.id)
        },
    ];
    diesel::insert_into(articles::table).values(&articles).execute(conn)?;

    // Two tags, linked through article_tags (many-to-many).
    use schema::{article_tags, tags, NewArticleTag, NewTag};
    let tag_ids: Vec<i32> = diesel::insert_into(tags::table)
        .values(&vec![NewTag::new("mathematics"), NewTag::new("computing")])
        .returning(tags::id)
        .get_results(conn)?;
    let article_ids: Vec<(String, i32)> = articles::table.select((articles::title, articles::id)).load(conn)?;
    let id_of = |title: &str| article_ids.iter().find(|(t, _)| t == title).map(|(_, id)| *id).unwrap_or_default();
    let links = vec![
        NewArticleTag::new(id_of("Notes on the Analytical Engine"), tag_ids[0]),
        NewArticleTag::new(id_of("Notes on the Analytical Engine"), tag_ids[1]),
        NewArticleTag::new(id_of("On Bernoulli numbers"), tag_ids[0]),
        NewArticleTag::new(id_of("Computing Machinery and Intelligence"), tag_ids[1]),
        NewArticleTag::new(id_of("On Computable Numbers"), tag_ids[0]),
        NewArticleTag::new(id_of("On Computable Numbers"), tag_ids[1]),
    ];
    diesel::insert_into(article_tags::table).values(&links).execute(conn)?;
    Ok(authors)
}

/// A customer, two products and one order with two lines.
fn seed_shop(conn: &mut SqliteConnection) -> Result<()> {
    use schema::{order_items, orders, products, users};
    let user: User = diesel::insert_into(users::table)
        .values(NewUser::new("grace", "grace@example.com"))
        .returning(User::as_returning())
        .get_result(conn)?;
    let price = |s: &str| s.parse::<quarry::Decimal>();
    let products: Vec<Product> = diesel::insert_into(products::table)
        .values(&vec![
            NewProduct::new("SKU-1", "Difference engine", price("1999.99")?, true),
            NewProduct::new("SKU-2", "Punched cards (100)", price("4.50")?, true),
        ])
        .returning(Product::as_returning())
        .get_results(conn)?;
    let order_id: i32 =
        diesel::insert_into(orders::table).values(NewOrder::new(user.id)).returning(orders::id).get_result(conn)?;
    diesel::insert_into(order_items::table)
        .values(&vec![
            NewOrderItem::new(order_id, products[0].id, products[0].price.clone()),
            NewOrderItem { quantity: 3, ..NewOrderItem::new(order_id, products[1].id, products[1].price.clone()) },
        ])
        .execute(conn)?;
    Ok(())
}
