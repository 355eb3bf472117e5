//! Self-referential relations walked in one recursive query on every
//! backend: `Session::subtree`, `subtrees` and `ancestors` return what a
//! naive walk through `Session::related` returns (one statement per row),
//! in exactly one statement, and end on cycles in the data.

use crate::common;
use crate::common::Seeded;

use diesel::prelude::*;
use quarry::load::Tree;

use crate::schema;
use schema::{categories, employees, Category, Employee, NewCategory, NewEmployee};

/// A row and the rows under it, as the naive walk builds it.
#[derive(Debug, Clone, PartialEq)]
struct Node<M> {
    row: M,
    children: Vec<Node<M>>,
}

/// The tree `subtree` returned, in the naive walk's shape.
fn shape<M: Clone>(tree: &Tree<M>) -> Node<M> {
    Node { row: tree.row().clone(), children: tree.children().iter().map(shape).collect() }
}

/// `node` without the rows more than `depth` levels below it.
fn cut<M: Clone>(node: &Node<M>, depth: usize) -> Node<M> {
    let children = if depth == 0 { Vec::new() } else { node.children.iter().map(|c| cut(c, depth - 1)).collect() };
    Node { row: node.row.clone(), children }
}

/// How many rows `node` holds, its own included.
fn size<M>(node: &Node<M>) -> usize {
    1 + node.children.iter().map(size).sum::<usize>()
}

/// How many levels `node` has below it.
fn height<M>(node: &Node<M>) -> usize {
    node.children.iter().map(|c| 1 + height(c)).max().unwrap_or(0)
}

/// The subtree under `row`, one `related` statement per row.
fn naive_categories<C: quarry::engine::EngineConnection>(
    session: &mut quarry::Session<C>,
    row: &Category,
) -> Node<Category>
where
    schema::__quarry_relations::Category__children: quarry::load::LoadRows<C>,
{
    let children = session.related(std::slice::from_ref(row), Category::CHILDREN).unwrap().remove(0);
    Node { row: row.clone(), children: children.iter().map(|c| naive_categories(session, c)).collect() }
}

/// The ancestors of `row`, one `related` statement per level.
fn naive_ancestors<C: quarry::engine::EngineConnection>(
    session: &mut quarry::Session<C>,
    row: &Category,
) -> Vec<Category>
where
    schema::__quarry_relations::Category__parent: quarry::load::LoadRows<C>,
{
    let mut path = Vec::new();
    let mut next = session.related(std::slice::from_ref(row), Category::PARENT).unwrap().remove(0);
    while let Some(parent) = next {
        next = session.related(std::slice::from_ref(&parent), Category::PARENT).unwrap().remove(0);
        path.push(parent);
    }
    path
}

/// A forest of three roots. Root "r0" has a chain five levels deep; every
/// other row has 0..3 children down to depth 4. Siblings are added in
/// descending name order, so that the declared order (by name) is not the
/// order of the keys.
fn seed_forest<C: quarry::engine::EngineConnection>(session: &mut quarry::Session<C>)
where
    NewCategory: quarry::FlushRows<C>,
{
    fn grow<C: quarry::engine::EngineConnection>(
        session: &mut quarry::Session<C>,
        rng: &mut Seeded,
        parent: quarry::Pending<Category>,
        depth: usize,
        chain: bool,
    ) where
        NewCategory: quarry::FlushRows<C>,
    {
        if depth == 5 {
            return;
        }
        let count = if chain {
            1 + rng.below(3)
        } else if depth < 4 {
            rng.below(4)
        } else {
            0
        };
        for k in 0..count {
            let name = format!("s{}", count - k);
            let child = session.add_with_parent(NewCategory::new(name), Category::PARENT, parent).unwrap();
            grow(session, rng, child, depth + 1, chain && k == 0);
        }
    }
    let mut rng = Seeded(7);
    for (i, name) in ["r2", "r0", "r1"].into_iter().enumerate() {
        let root = session.add(NewCategory::new(name));
        grow(session, &mut rng, root, 0, i == 1);
    }
    session.flush().unwrap();
}

/// Runs `f` and asserts that it ran exactly one statement (the pool may
/// open a connection meanwhile, whose set-up statements do not count).
fn in_one_statement<C: quarry::engine::EngineConnection, T>(engine: &quarry::Engine<C>, f: impl FnOnce() -> T) -> T {
    engine.take_statements();
    engine.record_statements(true);
    let out = f();
    engine.record_statements(false);
    let statements: Vec<String> =
        engine.take_statements().into_iter().filter(|s| !s.starts_with("PRAGMA ") && !s.starts_with("SET ")).collect();
    assert_eq!(statements.len(), 1, "{statements:#?}");
    assert!(statements[0].trim_start().starts_with("WITH RECURSIVE"), "{}", statements[0]);
    out
}

/// A chain a -> b -> c whose root `a` is then made a child of `c`, and a
/// row `d` that is its own parent: the rows `[a, b, c, d]`. (A macro: the
/// diesel statements need the concrete backend.)
macro_rules! seed_cycles {
    ($session:ident) => {{
        let a = $session.add(NewCategory::new("a"));
        let b = $session.add_with_parent(NewCategory::new("b"), Category::PARENT, a).unwrap();
        $session.add_with_parent(NewCategory::new("c"), Category::PARENT, b).unwrap();
        $session.add(NewCategory::new("d"));
        $session.flush().unwrap();
        let ids: Vec<i32> = $session.all(categories::table.order(categories::name).select(categories::id)).unwrap();
        let (a, c, d) = (ids[0], ids[2], ids[3]);
        $session.execute(diesel::update(categories::table.find(a)).set(categories::parent_id.eq(Some(c)))).unwrap();
        $session.execute(diesel::update(categories::table.find(d)).set(categories::parent_id.eq(Some(d)))).unwrap();
        let rows: Vec<Category> = $session.all(categories::table.order(categories::name)).unwrap();
        let rows: [Category; 4] = rows.try_into().unwrap();
        rows
    }};
}

common::engine_tests! {
    fn a_subtree_equals_the_naive_walk_in_one_statement(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_forest(&mut session);

        let rows: Vec<Category> = session.all(categories::table.order(categories::id)).unwrap();
        assert!(rows.len() > 20, "the seed has a forest: {} rows", rows.len());
        let mut deepest = 0;
        let mut leaves = 0;
        for row in &rows {
            let tree = in_one_statement(&engine, || session.subtree(row, Category::CHILDREN).unwrap())
                .expect("a stored row has a subtree");
            let expected = naive_categories(&mut session, row);
            assert_eq!(shape(&tree), expected, "subtree of {row:?}");
            assert_eq!(tree.len(), size(&expected));
            deepest = deepest.max(height(&expected));
            leaves += usize::from(expected.children.is_empty());
        }
        assert!(deepest >= 4, "the seed is at least 4 levels deep: {deepest}");
        assert!(leaves > 0);
    }

    fn subtrees_of_a_query_come_in_the_declared_order_in_one_statement(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_forest(&mut session);

        let forest = in_one_statement(&engine, || {
            session.subtrees(categories::table.filter(categories::parent_id.is_null()), Category::CHILDREN).unwrap()
        });
        let roots: Vec<Category> =
            session.all(categories::table.filter(categories::parent_id.is_null()).order(categories::name)).unwrap();
        assert_eq!(forest.iter().map(|t| t.name.clone()).collect::<Vec<_>>(), ["r0", "r1", "r2"]);
        for (tree, root) in forest.iter().zip(&roots) {
            assert_eq!(shape(tree), naive_categories(&mut session, root));
        }
        let total: usize = forest.iter().map(Tree::len).sum();
        let count: i64 = session.one(categories::table.count()).unwrap();
        assert_eq!(total as i64, count, "the forest holds every row once");

        // A root under another root: each tree is whole. The query may
        // carry its own order and limit (MySQL refuses a LIMIT directly in
        // `IN (...)`; the roots query is a derived table).
        let r0 = roots.iter().find(|r| r.name == "r0").unwrap();
        let s1: Category = session
            .one(categories::table.filter(categories::parent_id.eq(r0.id)).filter(categories::name.eq("s1")))
            .unwrap();
        let both = in_one_statement(&engine, || {
            session
                .subtrees(
                    categories::table
                        .filter(categories::id.eq_any([r0.id, s1.id]))
                        .order(categories::id)
                        .limit(2),
                    Category::CHILDREN,
                )
                .unwrap()
        });
        assert_eq!(both.len(), 2);
        assert_eq!(shape(&both[0]), naive_categories(&mut session, r0));
        assert_eq!(shape(&both[1]), naive_categories(&mut session, &s1));

        // With a depth limit.
        let tops = session
            .subtrees(categories::table.filter(categories::parent_id.is_null()), Category::CHILDREN.max_depth(1))
            .unwrap();
        for (tree, root) in tops.iter().zip(&roots) {
            assert_eq!(shape(tree), cut(&naive_categories(&mut session, root), 1));
        }
        let none = session.subtrees(categories::table.filter(categories::id.lt(0)), Category::CHILDREN).unwrap();
        assert!(none.is_empty());
    }

    fn a_depth_limit_keeps_that_many_levels(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_forest(&mut session);

        let r0: Category = session.one(categories::table.filter(categories::name.eq("r0"))).unwrap();
        let full = naive_categories(&mut session, &r0);
        assert_eq!(height(&full), 5);
        for depth in 0..=6 {
            let tree = in_one_statement(&engine, || {
                session.subtree(&r0, Category::CHILDREN.max_depth(depth)).unwrap().unwrap()
            });
            assert_eq!(shape(&tree), cut(&full, depth as usize), "max_depth({depth})");
            assert_eq!(tree.nodes().map(|(d, _)| d).max(), Some((depth as usize).min(5)));
        }
    }

    fn ancestors_equal_the_naive_walk_up_in_one_statement(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_forest(&mut session);

        let rows: Vec<Category> = session.all(categories::table.order(categories::id)).unwrap();
        let mut longest = 0;
        for row in &rows {
            let path = in_one_statement(&engine, || session.ancestors(row, Category::PARENT).unwrap());
            assert_eq!(path, naive_ancestors(&mut session, row), "ancestors of {row:?}");
            assert_eq!(path.first().map(|p| p.id), row.parent_id);
            assert!(path.last().is_none_or(|root| root.parent_id.is_none()));
            longest = longest.max(path.len());
        }
        assert_eq!(longest, 5);
    }

    fn cycles_in_the_data_end_the_walk(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let [a, b, c, d] = seed_cycles!(session);
        assert_eq!((a.parent_id, d.parent_id), (Some(c.id), Some(d.id)));
        let names = |tree: &Tree<Category>| -> Vec<(usize, String)> { tree.nodes().map(|(depth, row)| (depth, row.name.clone())).collect() };
        let at = |pairs: &[(usize, &str)]| -> Vec<(usize, String)> { pairs.iter().map(|(d, n)| (*d, (*n).to_owned())).collect() };

        // Down: each row once, under the first parent the walk reached it from.
        let from_a = in_one_statement(&engine, || session.subtree(&a, Category::CHILDREN).unwrap().unwrap());
        assert_eq!(names(&from_a), at(&[(0, "a"), (1, "b"), (2, "c")]));
        let from_b = session.subtree(&b, Category::CHILDREN).unwrap().unwrap();
        assert_eq!(names(&from_b), at(&[(0, "b"), (1, "c"), (2, "a")]));
        let from_d = session.subtree(&d, Category::CHILDREN).unwrap().unwrap();
        assert_eq!(names(&from_d), at(&[(0, "d")]));
        // With a depth limit past the cycle's length: the same trees.
        let limited = in_one_statement(&engine, || session.subtree(&a, Category::CHILDREN.max_depth(10)).unwrap().unwrap());
        assert_eq!(limited, from_a);
        let limited_d = session.subtree(&d, Category::CHILDREN.max_depth(10)).unwrap().unwrap();
        assert_eq!(names(&limited_d), at(&[(0, "d")]));
        let all = session.subtrees(categories::table, Category::CHILDREN).unwrap();
        assert_eq!(all.iter().map(names).collect::<Vec<_>>(), [
            at(&[(0, "a"), (1, "b"), (2, "c")]),
            at(&[(0, "b"), (1, "c"), (2, "a")]),
            at(&[(0, "c"), (1, "a"), (2, "b")]),
            at(&[(0, "d")]),
        ]);

        // Up: stops before the first row it would list twice.
        let up_c = in_one_statement(&engine, || session.ancestors(&c, Category::PARENT).unwrap());
        assert_eq!(up_c.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        let up_a = session.ancestors(&a, Category::PARENT).unwrap();
        assert_eq!(up_a.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["c", "b"]);
        assert_eq!(session.ancestors(&d, Category::PARENT).unwrap(), []);
    }

    fn unknown_rows_have_no_subtree_and_no_ancestors(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        seed_forest(&mut session);
        // The row added last is a leaf: children are added after their parent.
        let leaf: Category = session.all(categories::table.order(categories::id.desc())).unwrap().remove(0);
        assert!(leaf.parent_id.is_some());
        assert_eq!(session.subtree(&leaf, Category::CHILDREN).unwrap().map(|t| t.len()), Some(1));
        let ghost = Category { id: -5, name: "ghost".into(), parent_id: leaf.parent_id };
        assert_eq!(session.subtree(&ghost, Category::CHILDREN).unwrap(), None);
        assert_eq!(session.subtree(&ghost, Category::CHILDREN.max_depth(3)).unwrap(), None);
        assert_eq!(session.ancestors(&ghost, Category::PARENT).unwrap(), []);
        // A row deleted after it was read: as stored now, nothing.
        session.execute(diesel::delete(categories::table.find(leaf.id))).unwrap();
        assert_eq!(session.subtree(&leaf, Category::CHILDREN).unwrap(), None);
        assert_eq!(session.ancestors(&leaf, Category::PARENT).unwrap(), []);
        // A root: no ancestors; a leaf: a tree of one.
        let root: Category = session.one(categories::table.filter(categories::name.eq("r1"))).unwrap();
        assert_eq!(session.ancestors(&root, Category::PARENT).unwrap(), []);
    }

    fn an_org_chart_walks_reports_and_managers(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        let new = |name: &str| NewEmployee::new(name, day, nine);
        let ceo = session.add(new("ceo"));
        let cto = session.add_with_parent(new("cto"), Employee::MANAGER, ceo).unwrap();
        let cfo = session.add_with_parent(new("cfo"), Employee::MANAGER, ceo).unwrap();
        let lead = session.add_with_parent(new("lead"), Employee::MANAGER, cto).unwrap();
        for name in ["dev1", "dev2", "dev3"] {
            session.add_with_parent(new(name), Employee::MANAGER, lead).unwrap();
        }
        session.add_with_parent(new("clerk"), Employee::MANAGER, cfo).unwrap();
        session.add(new("contractor"));
        session.flush().unwrap();

        // Without a declared order, reports come by primary key.
        fn naive<C: quarry::engine::EngineConnection>(session: &mut quarry::Session<C>, row: &Employee) -> Node<Employee>
        where
            schema::__quarry_relations::Employee__reports: quarry::load::LoadRows<C>,
        {
            let mut reports = session.related(std::slice::from_ref(row), Employee::REPORTS).unwrap().remove(0);
            reports.sort_by_key(|r| r.id);
            Node { row: row.clone(), children: reports.iter().map(|r| naive(session, r)).collect() }
        }
        let everyone: Vec<Employee> = session.all(employees::table.order(employees::id)).unwrap();
        for person in &everyone {
            let tree = in_one_statement(&engine, || session.subtree(person, Employee::REPORTS).unwrap().unwrap());
            assert_eq!(shape(&tree), naive(&mut session, person));
        }
        let ceo: Employee = session.one(employees::table.filter(employees::name.eq("ceo"))).unwrap();
        let chart = session.subtree(&ceo, Employee::REPORTS).unwrap().unwrap();
        let names: Vec<(usize, &str)> = chart.nodes().map(|(d, e)| (d, e.name.as_str())).collect();
        assert_eq!(names, [(0, "ceo"), (1, "cto"), (2, "lead"), (3, "dev1"), (3, "dev2"), (3, "dev3"), (1, "cfo"), (2, "clerk")]);

        let dev2: Employee = session.one(employees::table.filter(employees::name.eq("dev2"))).unwrap();
        let chain = in_one_statement(&engine, || session.ancestors(&dev2, Employee::MANAGER).unwrap());
        assert_eq!(chain.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["lead", "cto", "ceo"]);

        let tops = session.subtrees(employees::table.filter(employees::manager_id.is_null()), Employee::REPORTS.max_depth(1)).unwrap();
        let tops: Vec<(&str, usize)> = tops.iter().map(|t| (t.name.as_str(), t.len())).collect();
        assert_eq!(tops, [("ceo", 3), ("contractor", 1)]);
    }

    fn a_tree_serializes_with_its_children_under_the_relation_name(engine) {
        let mut session = engine.session().unwrap();
        schema::create_all(session.connection()).unwrap();
        let root = session.add(NewCategory::new("root"));
        let b = session.add_with_parent(NewCategory::new("b"), Category::PARENT, root).unwrap();
        session.add_with_parent(NewCategory::new("a"), Category::PARENT, root).unwrap();
        session.add_with_parent(NewCategory::new("leaf"), Category::PARENT, b).unwrap();
        session.flush().unwrap();
        let rows: Vec<Category> = session.all(categories::table.order(categories::id)).unwrap();
        let id = |name: &str| rows.iter().find(|r| r.name == name).unwrap().id;

        let tree = session.subtree(&rows[0], Category::CHILDREN).unwrap().unwrap();
        assert_eq!(tree.relation(), "children");
        assert_eq!(
            serde_json::to_value(&tree).unwrap(),
            serde_json::json!({
                "id": id("root"), "name": "root", "parent_id": null,
                "children": [
                    {"id": id("a"), "name": "a", "parent_id": id("root"), "children": []},
                    {"id": id("b"), "name": "b", "parent_id": id("root"), "children": [
                        {"id": id("leaf"), "name": "leaf", "parent_id": id("b"), "children": []},
                    ]},
                ],
            })
        );
        let employees_json = {
            let day = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
            let nine = chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap();
            session.add(NewEmployee::new("solo", day, nine));
            session.flush().unwrap();
            let solo: Employee = session.one(employees::table).unwrap();
            serde_json::to_value(session.subtree(&solo, Employee::REPORTS).unwrap().unwrap()).unwrap()
        };
        assert_eq!(employees_json["reports"], serde_json::json!([]));
        assert_eq!(employees_json["name"], "solo");
    }
}

/// The statement each backend gets, pinned without a database: down with
/// and without a depth limit, from keys and from a query, and up.
mod sql {
    use diesel::prelude::*;
    use quarry::load::{NoQuery, Roots, WalkQuery};

    use super::schema::categories;

    macro_rules! sql {
        ($backend:ty, $roots:expr, $up:expr, $limit:expr, $order:expr) => {{
            let query = WalkQuery::<_, categories::id, categories::parent_id, i32, _, _>::new(
                categories::table,
                $roots,
                $up,
                $limit,
                $order,
            );
            diesel::debug_query::<$backend, _>(&query).to_string()
        }};
    }

    macro_rules! cases {
        ($backend:ty) => {{
            let keys = || Roots::<i32, NoQuery>::Keys(vec![1, 2]);
            let order = (categories::name.asc(), categories::id);
            let roots = categories::table.filter(categories::parent_id.is_null());
            [
                sql!($backend, keys(), false, None, order),
                sql!($backend, keys(), false, Some(3), order),
                sql!($backend, Roots::<i32, _>::Query(roots), false, None, order),
                sql!($backend, keys(), true, None, (categories::id,)),
            ]
            .join("\n")
        }};
    }

    #[cfg(feature = "sqlite")]
    #[test]
    fn sqlite() {
        insta::assert_snapshot!(cases!(diesel::sqlite::Sqlite), @r#"
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (?, ?) UNION SELECT `categories`.`id`, 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`parent_id` = `__quarry_tree`.`__quarry_id`) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`name` ASC, `categories`.`id` -- binds: [1, 2]
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (?, ?) UNION SELECT `categories`.`id`, `__quarry_tree`.`__quarry_depth` + 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`parent_id` = `__quarry_tree`.`__quarry_id` WHERE `__quarry_tree`.`__quarry_depth` < ?) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`name` ASC, `categories`.`id` -- binds: [1, 2, 3]
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (SELECT `__quarry_roots`.`id` FROM (SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id` FROM `categories` WHERE (`categories`.`parent_id` IS NULL)) `__quarry_roots`) UNION SELECT `categories`.`id`, 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`parent_id` = `__quarry_tree`.`__quarry_id`) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`name` ASC, `categories`.`id` -- binds: []
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (?, ?) UNION SELECT `categories`.`parent_id`, 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` WHERE `categories`.`parent_id` IS NOT NULL) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`id` -- binds: [1, 2]
        "#);
    }

    #[cfg(feature = "postgres")]
    #[test]
    fn postgres() {
        insta::assert_snapshot!(cases!(diesel::pg::Pg), @r#"
        WITH RECURSIVE "__quarry_tree" ("__quarry_id", "__quarry_depth") AS (SELECT "categories"."id", 0 FROM "categories" WHERE "categories"."id" IN ($1, $2) UNION SELECT "categories"."id", 1 FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."parent_id" = "__quarry_tree"."__quarry_id") SELECT "categories"."id", "categories"."name", "categories"."parent_id", "__quarry_tree"."__quarry_depth" FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."id" = "__quarry_tree"."__quarry_id" ORDER BY "categories"."name" ASC, "categories"."id" -- binds: [1, 2]
        WITH RECURSIVE "__quarry_tree" ("__quarry_id", "__quarry_depth") AS (SELECT "categories"."id", 0 FROM "categories" WHERE "categories"."id" IN ($1, $2) UNION SELECT "categories"."id", "__quarry_tree"."__quarry_depth" + 1 FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."parent_id" = "__quarry_tree"."__quarry_id" WHERE "__quarry_tree"."__quarry_depth" < $3) SELECT "categories"."id", "categories"."name", "categories"."parent_id", "__quarry_tree"."__quarry_depth" FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."id" = "__quarry_tree"."__quarry_id" ORDER BY "categories"."name" ASC, "categories"."id" -- binds: [1, 2, 3]
        WITH RECURSIVE "__quarry_tree" ("__quarry_id", "__quarry_depth") AS (SELECT "categories"."id", 0 FROM "categories" WHERE "categories"."id" IN (SELECT "__quarry_roots"."id" FROM (SELECT "categories"."id", "categories"."name", "categories"."parent_id" FROM "categories" WHERE ("categories"."parent_id" IS NULL)) "__quarry_roots") UNION SELECT "categories"."id", 1 FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."parent_id" = "__quarry_tree"."__quarry_id") SELECT "categories"."id", "categories"."name", "categories"."parent_id", "__quarry_tree"."__quarry_depth" FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."id" = "__quarry_tree"."__quarry_id" ORDER BY "categories"."name" ASC, "categories"."id" -- binds: []
        WITH RECURSIVE "__quarry_tree" ("__quarry_id", "__quarry_depth") AS (SELECT "categories"."id", 0 FROM "categories" WHERE "categories"."id" IN ($1, $2) UNION SELECT "categories"."parent_id", 1 FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."id" = "__quarry_tree"."__quarry_id" WHERE "categories"."parent_id" IS NOT NULL) SELECT "categories"."id", "categories"."name", "categories"."parent_id", "__quarry_tree"."__quarry_depth" FROM "categories" INNER JOIN "__quarry_tree" ON "categories"."id" = "__quarry_tree"."__quarry_id" ORDER BY "categories"."id" -- binds: [1, 2]
        "#);
    }

    #[cfg(feature = "mysql")]
    #[test]
    fn mysql() {
        insta::assert_snapshot!(cases!(diesel::mysql::Mysql), @r#"
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (?, ?) UNION SELECT `categories`.`id`, 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`parent_id` = `__quarry_tree`.`__quarry_id`) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`name` ASC, `categories`.`id` -- binds: [1, 2]
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (?, ?) UNION SELECT `categories`.`id`, `__quarry_tree`.`__quarry_depth` + 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`parent_id` = `__quarry_tree`.`__quarry_id` WHERE `__quarry_tree`.`__quarry_depth` < ?) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`name` ASC, `categories`.`id` -- binds: [1, 2, 3]
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (SELECT `__quarry_roots`.`id` FROM (SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id` FROM `categories` WHERE (`categories`.`parent_id` IS NULL)) `__quarry_roots`) UNION SELECT `categories`.`id`, 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`parent_id` = `__quarry_tree`.`__quarry_id`) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`name` ASC, `categories`.`id` -- binds: []
        WITH RECURSIVE `__quarry_tree` (`__quarry_id`, `__quarry_depth`) AS (SELECT `categories`.`id`, 0 FROM `categories` WHERE `categories`.`id` IN (?, ?) UNION SELECT `categories`.`parent_id`, 1 FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` WHERE `categories`.`parent_id` IS NOT NULL) SELECT `categories`.`id`, `categories`.`name`, `categories`.`parent_id`, `__quarry_tree`.`__quarry_depth` FROM `categories` INNER JOIN `__quarry_tree` ON `categories`.`id` = `__quarry_tree`.`__quarry_id` ORDER BY `categories`.`id` -- binds: [1, 2]
        "#);
    }
}
