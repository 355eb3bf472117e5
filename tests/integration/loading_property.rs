//! Every relation kind loads exactly what a naive per-row loop reads, on
//! random data from several fixed seeds (so a failure reproduces): users
//! with and without profiles and orders, orders with items of shared
//! products (an association object), authors with and without articles,
//! tags shared by articles, a category forest and a management chain with
//! NULL parents. Eager loads (`Session::load`) and on-demand ones
//! (`Session::related`) both take one statement per relation and level,
//! and the joined strategy loads the same graph in one statement.

use crate::common;
use crate::common::Seeded;

use diesel::prelude::*;
use quarry::engine::EngineConnection;
use quarry::{FlushRows, Loaded, Model, Session};

use crate::schema;
use schema::{
    article_tags, articles, authors, categories, comments, employees, order_items, orders, products, profiles, tags,
    users, Article, Author, Category, Comment, Employee, NewArticle, NewAuthor, NewCategory, NewComment, NewEmployee,
    NewOrder, NewOrderItem, NewProduct, NewProfile, NewTag, NewUser, Order, OrderItem, Product, Profile, Tag, User,
};

/// The related rows a loaded relation holds, as plain rows.
trait Rows<T> {
    fn rows(&self) -> Vec<T>;
}

impl<T: Clone, W> Rows<T> for Vec<Loaded<T, W>> {
    fn rows(&self) -> Vec<T> {
        self.iter().map(|l| l.row().clone()).collect()
    }
}

impl<T: Clone, W> Rows<T> for Loaded<T, W> {
    fn rows(&self) -> Vec<T> {
        vec![self.row().clone()]
    }
}

impl<T: Clone, W> Rows<T> for Option<Loaded<T, W>> {
    fn rows(&self) -> Vec<T> {
        self.iter().map(|l| l.row().clone()).collect()
    }
}

/// Sorted by primary key, for relations without a declared order.
fn by_key<M: Model>(mut rows: Vec<M>) -> Vec<M>
where
    M::Key: Ord,
{
    rows.sort_by_key(|row| row.key());
    rows
}

/// Random rows for every relation kind of the demo schema.
fn seed<C: EngineConnection>(session: &mut Session<C>, rng: &mut Seeded)
where
    NewUser: FlushRows<C>,
    NewProfile: FlushRows<C>,
    NewProduct: FlushRows<C>,
    NewOrder: FlushRows<C>,
    NewOrderItem: FlushRows<C>,
    NewAuthor: FlushRows<C>,
    NewArticle: FlushRows<C>,
    NewComment: FlushRows<C>,
    NewTag: FlushRows<C>,
    schema::NewArticleTag: FlushRows<C>,
    NewCategory: FlushRows<C>,
    NewEmployee: FlushRows<C>,
{
    let users: Vec<_> =
        (0..1 + rng.below(12)).map(|i| session.add(NewUser::new(format!("user {i}"), format!("u{i}@x.org")))).collect();
    for &user in &users {
        if rng.chance(50) {
            session.add_child(user, User::PROFILE, |id| NewProfile::new(id, "bio", serde_json::json!({}))).unwrap();
        }
    }
    let products: Vec<_> = (0..1 + rng.below(8))
        .map(|i| session.add(NewProduct::new(format!("sku-{i}"), format!("product {i}"), 10, true)))
        .collect();
    let authors: Vec<_> = (0..1 + rng.below(10)).map(|i| session.add(NewAuthor::new(format!("author {i}")))).collect();
    let tags: Vec<_> = (0..rng.below(6)).map(|i| session.add(NewTag::new(format!("tag {i}")))).collect();
    let mut categories = Vec::new();
    for i in 0..rng.below(15) {
        let row = NewCategory::new(format!("category {}", rng.below(1000) * 100 + i));
        let pending = if categories.is_empty() || rng.chance(30) {
            session.add(row)
        } else {
            let parent = categories[rng.below(categories.len() as u64) as usize];
            session.add_with_parent(row, Category::PARENT, parent).unwrap()
        };
        categories.push(pending);
    }
    let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
    let mut employees = Vec::new();
    for i in 0..rng.below(12) {
        let row = NewEmployee::new(format!("employee {i}"), day, nine);
        let pending = if employees.is_empty() || rng.chance(25) {
            session.add(row)
        } else {
            let manager = employees[rng.below(employees.len() as u64) as usize];
            session.add_with_parent(row, Employee::MANAGER, manager).unwrap()
        };
        employees.push(pending);
    }
    let flushed = session.flush().unwrap();

    let product_ids: Vec<i32> = products.iter().map(|&p| *flushed.key(p).unwrap()).collect();
    for &user in &users {
        for _ in 0..rng.below(4) {
            let order = session.add(NewOrder::new(*flushed.key(user).unwrap()));
            let mut chosen: Vec<i32> = product_ids.iter().copied().filter(|_| rng.chance(40)).collect();
            chosen.dedup();
            for product in chosen {
                session.add_child(order, Order::ITEMS, move |id| NewOrderItem::new(id, product, 3)).unwrap();
            }
        }
    }
    let tag_ids: Vec<i32> = tags.iter().map(|&t| *flushed.key(t).unwrap()).collect();
    let mut links = Vec::new();
    let mut n = 0;
    for &author in &authors {
        for _ in 0..rng.below(4) {
            n += 1;
            let mut row = NewArticle::new(format!("article {n}"), *flushed.key(author).unwrap());
            row.published = (!rng.chance(20)).then(|| day + chrono::Days::new(n));
            let article = session.add(row);
            for c in 0..rng.below(4) {
                session
                    .add_child(article, Article::COMMENTS, move |id| NewComment::new(id, format!("c{c}"), 1.0))
                    .unwrap();
            }
            links.extend(tag_ids.iter().filter(|_| rng.chance(40)).map(|&tag| (article, tag)));
        }
    }
    let flushed = session.flush().unwrap();
    session.add_all(
        links.into_iter().map(|(article, tag)| schema::NewArticleTag::new(*flushed.key(article).unwrap(), tag)),
    );
    session.flush().unwrap();
}

/// The joined strategy loads, in one statement, the graph selectin loads:
/// the same parents in the same order, each with the same related rows
/// (compared by key, since a relation without a declared order has none).
macro_rules! joined_equals_selectin {
    ($session:expr, $engine:expr, $context:expr, $query:expr, $($relation:expr),+ $(,)?) => {$({
        let selectin = $session.load($query, $relation).unwrap();
        let (joined, n) = selects(&$engine, || $session.load($query, $relation.joined()).unwrap());
        assert_eq!(n, 1, "{}: a joined load is one statement", $context);
        assert_eq!(joined.len(), selectin.len(), "{}", $context);
        for (joined, selectin) in joined.iter().zip(&selectin) {
            assert_eq!(joined.row(), selectin.row(), "{}", $context);
            assert_eq!(
                by_key(joined.get($relation).rows()),
                by_key(selectin.get($relation).rows()),
                "{}: {}",
                $context,
                stringify!($relation),
            );
        }
    })+};
}

/// SELECT statements recorded while `f` ran.
fn selects<C: EngineConnection, T>(engine: &quarry::Engine<C>, f: impl FnOnce() -> T) -> (T, usize) {
    engine.take_statements();
    engine.record_statements(true);
    let out = f();
    engine.record_statements(false);
    let statements = engine.take_statements();
    (out, statements.iter().filter(|s| s.trim_start().starts_with("SELECT")).count())
}

common::engine_tests! {
    fn every_kind_loads_what_a_naive_loop_reads_on_random_data(engine) {
        schema::create_all(engine.session().unwrap().connection()).unwrap();
        // (with profile, without; with a parent category, a root; tagged article, untagged)
        let mut seen = [0_usize; 6];
        for seed_value in [1_u64, 7, 42, 2024] {
            let mut session = engine.session().unwrap();
            // Emptied rather than dropped and created again: PostgreSQL
            // connections cache enum type OIDs (diesel's metadata cache),
            // which a recreated type would leave stale.
            let conn = session.connection();
            diesel::delete(article_tags::table).execute(conn).unwrap();
            diesel::delete(comments::table).execute(conn).unwrap();
            diesel::delete(articles::table).execute(conn).unwrap();
            diesel::delete(authors::table).execute(conn).unwrap();
            diesel::delete(tags::table).execute(conn).unwrap();
            diesel::delete(order_items::table).execute(conn).unwrap();
            diesel::delete(orders::table).execute(conn).unwrap();
            diesel::delete(products::table).execute(conn).unwrap();
            diesel::delete(profiles::table).execute(conn).unwrap();
            diesel::delete(users::table).execute(conn).unwrap();
            diesel::delete(categories::table).execute(conn).unwrap();
            diesel::delete(employees::table).execute(conn).unwrap();
            let mut rng = Seeded(seed_value);
            seed(&mut session, &mut rng);
            let context = format!("seed {seed_value}");

            // has_one (Option) and its required belongs_to back.
            let (loaded, n) = selects(&engine, || session.load(users::table.order(users::id), (User::PROFILE, User::ORDERS)).unwrap());
            assert_eq!(n, 3, "{context}");
            for user in &loaded {
                let profile: Vec<Profile> = session.all(profiles::table.filter(profiles::user_id.eq(user.id))).unwrap();
                assert_eq!(user.get(User::PROFILE).rows(), profile, "{context}: profile of {}", user.name);
                seen[usize::from(profile.is_empty())] += 1;
                let orders: Vec<Order> = session.all(orders::table.filter(orders::customer_id.eq(user.id))).unwrap();
                assert_eq!(by_key(user.get(User::ORDERS).rows()), by_key(orders), "{context}: orders of {}", user.name);
            }
            let (loaded, n) = selects(&engine, || session.load(profiles::table, Profile::USER).unwrap());
            assert_eq!(n, if loaded.is_empty() { 1 } else { 2 }, "{context}");
            for profile in &loaded {
                let user: User = session.one(users::table.find(profile.user_id)).unwrap();
                assert_eq!(profile.get(Profile::USER).row(), &user, "{context}");
            }

            // An association object: orders → items → product, and back.
            let (loaded, _) = selects(&engine, || {
                session.load(orders::table.order(orders::id), (Order::CUSTOMER, Order::ITEMS.with(OrderItem::PRODUCT))).unwrap()
            });
            for order in &loaded {
                let customer: User = session.one(users::table.find(order.customer_id)).unwrap();
                assert_eq!(order.get(Order::CUSTOMER).row(), &customer, "{context}");
                let items: Vec<OrderItem> = session.all(order_items::table.filter(order_items::order_id.eq(order.id))).unwrap();
                assert_eq!(by_key(order.get(Order::ITEMS).rows()), by_key(items), "{context}");
                for item in order.get(Order::ITEMS) {
                    let product: Product = session.one(products::table.find(item.product_id)).unwrap();
                    assert_eq!(item.get(OrderItem::PRODUCT).row(), &product, "{context}");
                }
            }
            let loaded = session.load(products::table, Product::ORDER_ITEMS).unwrap();
            for product in &loaded {
                let items: Vec<OrderItem> =
                    session.all(order_items::table.filter(order_items::product_id.eq(product.id))).unwrap();
                assert_eq!(by_key(product.get(Product::ORDER_ITEMS).rows()), by_key(items), "{context}");
            }

            // has_many in its declared order (published DESC: NULLs where
            // the backend puts them, the same in both reads), many-to-many
            // both ways with shared rows, and has_many by id.
            let loaded = session
                .load(authors::table.order(authors::id), Author::ARTICLES.with((Article::TAGS, Article::COMMENTS, Article::AUTHOR)))
                .unwrap();
            for author in &loaded {
                let articles: Vec<Article> = session
                    .all(articles::table.filter(articles::author_id.eq(author.id)).order((articles::published.desc(), articles::id)))
                    .unwrap();
                let got = author.get(Author::ARTICLES).rows();
                assert_eq!(by_key(got.clone()), by_key(articles.clone()), "{context}: articles of {}", author.name);
                let dated: Vec<_> = got.iter().filter_map(|a| a.published).collect();
                assert!(dated.windows(2).all(|w| w[0] >= w[1]), "{context}: declared order {dated:?}");
                for article in author.get(Author::ARTICLES) {
                    let tags: Vec<Tag> = session
                        .all(
                            tags::table
                                .inner_join(article_tags::table.on(article_tags::tag_id.eq(tags::id)))
                                .filter(article_tags::article_id.eq(article.id))
                                .select(tags::all_columns),
                        )
                        .unwrap();
                    seen[4 + usize::from(tags.is_empty())] += 1;
                    assert_eq!(by_key(article.get(Article::TAGS).rows()), by_key(tags), "{context}");
                    let comments: Vec<Comment> =
                        session.all(comments::table.filter(comments::article_id.eq(article.id)).order(comments::id)).unwrap();
                    assert_eq!(article.get(Article::COMMENTS).rows(), comments, "{context}: comments in id order");
                    assert_eq!(article.get(Article::AUTHOR).row(), author.row(), "{context}");
                }
            }
            let loaded = session.load(tags::table, Tag::ARTICLES).unwrap();
            for tag in &loaded {
                let articles: Vec<Article> = session
                    .all(
                        articles::table
                            .inner_join(article_tags::table.on(article_tags::article_id.eq(articles::id)))
                            .filter(article_tags::tag_id.eq(tag.id))
                            .select(articles::all_columns),
                    )
                    .unwrap();
                assert_eq!(by_key(tag.get(Tag::ARTICLES).rows()), by_key(articles), "{context}");
            }

            // Self-references over nullable keys: parents (None at the
            // roots) and children, in name order for categories.
            let (loaded, n) = selects(&engine, || {
                session.load(categories::table.order(categories::id), (Category::PARENT, Category::CHILDREN)).unwrap()
            });
            assert_eq!(n, if loaded.is_empty() { 1 } else { 3 }, "{context}");
            for category in &loaded {
                let parent: Vec<Category> = match category.parent_id {
                    Some(id) => session.all(categories::table.find(id)).unwrap(),
                    None => Vec::new(),
                };
                assert_eq!(category.get(Category::PARENT).rows(), parent, "{context}");
                seen[2 + usize::from(parent.is_empty())] += 1;
                let children: Vec<Category> = session
                    .all(categories::table.filter(categories::parent_id.eq(category.id)).order(categories::name))
                    .unwrap();
                assert_eq!(category.get(Category::CHILDREN).rows(), children, "{context}");
            }
            let loaded = session.load(employees::table, (Employee::MANAGER, Employee::REPORTS)).unwrap();
            let rows: Vec<Employee> = loaded.iter().map(|e| e.row().clone()).collect();
            let (managers, n) = selects(&engine, || session.related(&rows, Employee::MANAGER).unwrap());
            assert_eq!(n, usize::from(rows.iter().any(|e| e.manager_id.is_some())), "{context}: one statement, none without keys");
            for ((employee, manager), loaded) in rows.iter().zip(managers).zip(&loaded) {
                let expected: Option<Employee> =
                    employee.manager_id.map(|id| session.one(employees::table.find(id)).unwrap());
                assert_eq!(manager, expected, "{context}");
                assert_eq!(loaded.get(Employee::MANAGER).rows(), expected.into_iter().collect::<Vec<_>>(), "{context}");
                let reports: Vec<Employee> =
                    session.all(employees::table.filter(employees::manager_id.eq(employee.id))).unwrap();
                assert_eq!(by_key(loaded.get(Employee::REPORTS).rows()), by_key(reports), "{context}");
            }
            joined_equals_selectin!(session, engine, context, users::table.order(users::id), User::PROFILE, User::ORDERS);
            joined_equals_selectin!(session, engine, context, profiles::table.order(profiles::id), Profile::USER);
            joined_equals_selectin!(session, engine, context, orders::table.order(orders::id), Order::CUSTOMER, Order::ITEMS);
            joined_equals_selectin!(session, engine, context, order_items::table.order((order_items::order_id, order_items::product_id)), OrderItem::PRODUCT, OrderItem::ORDER);
            joined_equals_selectin!(session, engine, context, products::table.order(products::id), Product::ORDER_ITEMS);
            joined_equals_selectin!(session, engine, context, authors::table.order(authors::id), Author::ARTICLES);
            joined_equals_selectin!(session, engine, context, articles::table.order(articles::id), Article::AUTHOR, Article::TAGS, Article::COMMENTS);
            joined_equals_selectin!(session, engine, context, tags::table.order(tags::id), Tag::ARTICLES);
            joined_equals_selectin!(session, engine, context, comments::table.order(comments::id), Comment::ARTICLE);
            joined_equals_selectin!(session, engine, context, categories::table.order(categories::id), Category::PARENT, Category::CHILDREN);
            joined_equals_selectin!(session, engine, context, employees::table.order(employees::id), Employee::MANAGER, Employee::REPORTS);
        }
        assert!(seen.iter().all(|&n| n > 0), "the seeds cover both sides of each case: {seen:?}");
    }
}
