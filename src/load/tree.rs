//! Self-referential relations walked in one recursive query: the subtree
//! under some rows (`Category::CHILDREN`), or the ancestors of a row
//! (`Category::PARENT`).
//!
//! ```
//! # include!("../doctest_setup.rs");
//! # use quarry::load::Tree;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let mut session = seeded();
//! # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
//! # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
//! // (the demo schema's types; tests/integration/tree.rs runs this on every backend)
//! let tree: Tree<Category> = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
//! for (depth, category) in tree.nodes() {
//!     println!("{}{}", "  ".repeat(depth), category.name);
//! }
//! let forest = session.subtrees(categories::table.filter(categories::parent_id.is_null()), Category::CHILDREN)?;
//! let shallow = session.subtree(&root, Category::CHILDREN.max_depth(1))?;   // the root and its children
//! let path: Vec<Category> = session.ancestors(&leaf, Category::PARENT)?;   // parent first, root last
//! # Ok(())
//! # }
//! ```
//!
//! Each call is one `WITH RECURSIVE` statement that collects the keys of
//! the rows reached (a `UNION`, so a row met twice is not walked twice and
//! a cycle in the data ends the walk), then selects those rows in the
//! relation's declared order; the tree is assembled from the rows' foreign
//! keys.

use std::collections::{HashMap, HashSet};
use std::ops::Deref;

use diesel::backend::Backend;
use diesel::query_builder::{AsQuery, AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Integer};
use diesel::{Column, Expression, QueryResult, RunQueryDsl, Table};

use super::Relationship;
use crate::engine::EngineConnection;
use crate::error::Result;
use crate::model::Model;
use crate::relation::Relation;
use crate::session::Session;

/// A relation from a table to itself over a nullable foreign key to its own
/// primary key: the has_many side walks down (children), the belongs_to
/// side walks up (parent). Generated for those relations only, so
/// [`Session::subtree`], [`Session::subtrees`] and [`Session::ancestors`]
/// accept no other relation.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::Tree;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut session = seeded();
/// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
/// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
/// // schema: Category { parent_id: Option<i32>, parent: Option<Category> (belongs_to),
/// //                    children: Vec<Category> (has_many over parent_id) }
/// session.subtree(&root, Category::CHILDREN)?;     // Category__children: SelfReferential<Direction = Down>
/// session.ancestors(&leaf, Category::PARENT)?;     // Category__parent: SelfReferential<Direction = Up>
/// // session.subtree(&ada, Author::ARTICLES)?;     // error: `Author__articles` is not a self-referential relation
/// # Ok(())
/// # }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a self-referential relation",
    label = "subtrees and ancestors follow a relation from a table to itself",
    note = "pass a has_many (for subtrees) or belongs_to (for ancestors) relation over a nullable foreign key to the table's own primary key, such as `Category::CHILDREN` or `Category::PARENT`"
)]
pub trait SelfReferential: Relationship {
    /// [`Down`] for the has_many side, [`Up`] for the belongs_to side.
    type Direction: Direction;

    /// The row's primary key.
    fn id(row: &Self::From) -> Self::Key;
    /// The row's parent's key: its foreign key, `None` for a root.
    fn parent_id(row: &Self::From) -> Option<Self::Key>;
}

/// Which way a [`SelfReferential`] relation walks: [`Down`] or [`Up`].
pub trait Direction {
    #[doc(hidden)]
    const UP: bool;
}

/// From a row to its children (a has_many relation): [`Session::subtree`].
#[derive(Debug, Clone, Copy)]
pub struct Down;

/// From a row to its parent (a belongs_to relation): [`Session::ancestors`].
#[derive(Debug, Clone, Copy)]
pub struct Up;

impl Direction for Down {
    const UP: bool = false;
}

impl Direction for Up {
    const UP: bool = true;
}

/// The recursive query of a [`SelfReferential`] relation on connection
/// `C`, starting from the rows that `Roots` name (a list of keys, or a
/// query of rows `Q`). Generated for every backend quarry is built with.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a self-referential relation",
    label = "subtrees and ancestors follow a relation from a table to itself",
    note = "pass a has_many (for subtrees) or belongs_to (for ancestors) relation over a nullable foreign key to the table's own primary key, such as `Category::CHILDREN` or `Category::PARENT`"
)]
pub trait WalkRows<C, Q = NoQuery>: SelfReferential {
    #[doc(hidden)]
    fn walk_rows(
        roots: Roots<Self::Key, Q>,
        max_depth: Option<i32>,
        conn: &mut C,
    ) -> QueryResult<Vec<(Self::From, i32)>>;
}

/// The rows a walk starts from.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub enum Roots<K, Q> {
    /// These primary keys.
    Keys(Vec<K>),
    /// The rows a query selects.
    Query(Q),
}

/// No query of roots: [`Roots::Keys`] only.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub struct NoQuery;

impl<DB: Backend> QueryFragment<DB> for NoQuery {
    fn walk_ast<'b>(&'b self, _: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        Ok(())
    }
}

/// A self-referential relation with a depth limit: see
/// [`Relation::max_depth`].
#[derive(Debug, Clone, Copy)]
pub struct MaxDepth<R> {
    relation: R,
    depth: u32,
}

impl<From: Model, To: Model, Via, N: SelfReferential<Direction = Down>> Relation<From, To, Via, N> {
    /// The relation walked `depth` levels down at most: `max_depth(0)` is
    /// the root alone, `max_depth(1)` the root and its children.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// let shallow = session.subtree(&root, Category::CHILDREN.max_depth(2))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_depth(self, depth: u32) -> MaxDepth<Self> {
        MaxDepth { relation: self, depth }
    }
}

/// What [`Session::subtree`] and [`Session::subtrees`] take: a has_many
/// self-referential relation (`Category::CHILDREN`), or one with a depth
/// limit (`Category::CHILDREN.max_depth(3)`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a self-referential has_many relation",
    label = "subtrees follow a has_many relation from a table to itself",
    note = "pass a relation such as `Category::CHILDREN`, or `Category::CHILDREN.max_depth(n)`; ancestors are walked with `Session::ancestors` over the belongs_to side"
)]
pub trait SubtreeOf {
    /// The relation's own type.
    type Name: SelfReferential<Direction = Down>;
    #[doc(hidden)]
    fn depth_limit(&self) -> Option<u32>;
}

impl<From: Model, To: Model, Via, N: SelfReferential<Direction = Down>> SubtreeOf for Relation<From, To, Via, N> {
    type Name = N;

    fn depth_limit(&self) -> Option<u32> {
        None
    }
}

impl<R: SubtreeOf> SubtreeOf for MaxDepth<R> {
    type Name = R::Name;

    fn depth_limit(&self) -> Option<u32> {
        Some(self.relation.depth_limit().map_or(self.depth, |d| d.min(self.depth)))
    }
}

/// A row and the rows under it: what [`Session::subtree`] returns. Derefs
/// to the row; [`children`](Self::children) are trees again, in the
/// relation's declared order. A plain value: no session attached,
/// `Clone` and `Send` when the model is.
///
/// Serializes as the row's fields followed by the children under the
/// relation's name: `{"id": 1, "name": "root", "parent_id": null,
/// "children": [{"id": 2, ..., "children": []}]}`.
///
/// ```
/// # include!("../doctest_setup.rs");
/// # use quarry::load::Tree;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let mut session = seeded();
/// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
/// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
/// let tree = session.subtree(&root, Category::CHILDREN)?.unwrap();
/// assert_eq!(tree.name, root.name);                       // Deref to the row
/// let names: Vec<&str> = tree.children().iter().map(|c| c.name.as_str()).collect();
/// let json = serde_json::to_value(&tree)?;                // {"id":..,"children":[..]}
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Tree<M> {
    row: M,
    children: Vec<Tree<M>>,
    relation: &'static str,
}

impl<M> Deref for Tree<M> {
    type Target = M;

    fn deref(&self) -> &M {
        &self.row
    }
}

impl<M> Tree<M> {
    /// The row at the top of this tree.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// # let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// let category: &Category = tree.row();
    /// # Ok(())
    /// # }
    /// ```
    pub fn row(&self) -> &M {
        &self.row
    }

    /// The row, without the rows under it.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// # let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// let category: Category = tree.into_row();
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_row(self) -> M {
        self.row
    }

    /// The row's children, each with its own subtree, in the relation's
    /// declared order.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// # let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// for child in tree.children() { println!("{}: {} below", child.name, child.len() - 1); }
    /// # Ok(())
    /// # }
    /// ```
    pub fn children(&self) -> &[Tree<M>] {
        &self.children
    }

    /// The row and its children, owned.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// # let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// let (category, children) = tree.into_parts();
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_parts(self) -> (M, Vec<Tree<M>>) {
        (self.row, self.children)
    }

    /// The relation the tree follows, as named in the schema (its key in JSON).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// # let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// assert_eq!(tree.relation(), "children");
    /// # Ok(())
    /// # }
    /// ```
    pub fn relation(&self) -> &'static str {
        self.relation
    }

    /// How many rows the tree holds, its own included.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// assert_eq!(session.subtree(&leaf, Category::CHILDREN)?.unwrap().len(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.nodes().count()
    }

    /// Never: a tree holds at least its own row. (For clippy's `len_without_is_empty`.)
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Every row of the tree, depth first (a row before its children,
    /// children in order), with its depth below this tree's row (0).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// # let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// for (depth, category) in tree.nodes() {
    ///     println!("{}{}", "  ".repeat(depth), category.name);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn nodes(&self) -> Nodes<'_, M> {
        Nodes { stack: vec![(0, self)] }
    }
}

/// The rows of a [`Tree`], depth first, each with its depth: see [`Tree::nodes`].
#[derive(Debug, Clone)]
pub struct Nodes<'a, M> {
    stack: Vec<(usize, &'a Tree<M>)>,
}

impl<'a, M> Iterator for Nodes<'a, M> {
    type Item = (usize, &'a M);

    fn next(&mut self) -> Option<Self::Item> {
        let (depth, tree) = self.stack.pop()?;
        self.stack.extend(tree.children.iter().rev().map(|child| (depth + 1, child)));
        Some((depth, &tree.row))
    }
}

impl<M: serde::Serialize> serde::Serialize for Tree<M> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Flat<'a, M: serde::Serialize> {
            #[serde(flatten)]
            row: &'a M,
            #[serde(flatten)]
            children: Children<'a, M>,
        }
        Flat { row: &self.row, children: Children(self) }.serialize(serializer)
    }
}

/// A tree's children as one map entry, named after the relation.
struct Children<'a, M>(&'a Tree<M>);

impl<M: serde::Serialize> serde::Serialize for Children<'_, M> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(1))?;
        map.serialize_entry(self.0.relation, &self.0.children)?;
        map.end()
    }
}

impl<C: EngineConnection> Session<C> {
    /// The subtree under `root` along a self-referential has_many relation,
    /// in one statement (`WITH RECURSIVE`): `root` as stored now, its
    /// children in the relation's declared order, theirs, and so on.
    /// `None` when `root` is no longer stored. With
    /// `relation.max_depth(n)`, rows more than `n` levels below `root` are
    /// left out.
    ///
    /// A cycle in the data (a row that is its own ancestor) ends the walk:
    /// each row appears once in a tree, under the first parent the walk
    /// reached it from.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// let tree = session.subtree(&root, Category::CHILDREN)?.expect("root is stored");
    /// let two_levels = session.subtree(&root, Category::CHILDREN.max_depth(2))?;
    /// // session.subtree(&author, Author::ARTICLES) does not compile: not self-referential
    /// # Ok(())
    /// # }
    /// ```
    pub fn subtree<R>(
        &mut self,
        root: &<R::Name as Relationship>::From,
        relation: R,
    ) -> Result<Option<Tree<<R::Name as Relationship>::From>>>
    where
        R: SubtreeOf,
        R::Name: WalkRows<C>,
        <R::Name as Relationship>::From: Clone,
    {
        let key = <R::Name as SelfReferential>::id(root);
        let trees = walk_down::<C, R, NoQuery>(self.connection(), Roots::Keys(vec![key]), relation.depth_limit())?;
        Ok(trees.into_iter().next())
    }

    /// The subtrees under every row `roots` selects, in one statement: a
    /// query of the relation's model (`categories::table.filter(...)`)
    /// that becomes part of the recursive query. The trees come in the
    /// relation's declared order (then by primary key), as siblings would;
    /// a root under another root is in both trees.
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// let forest: Vec<Tree<Category>> =
    ///     session.subtrees(categories::table.filter(categories::parent_id.is_null()), Category::CHILDREN)?;
    /// let tops = session.subtrees(categories::table.filter(categories::parent_id.is_null()), Category::CHILDREN.max_depth(1))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn subtrees<Q, R>(&mut self, roots: Q, relation: R) -> Result<Vec<Tree<<R::Name as Relationship>::From>>>
    where
        R: SubtreeOf,
        R::Name: WalkRows<C, Q::Query>,
        <R::Name as Relationship>::From: Model + Clone,
        Q: AsQuery<SqlType = RowSqlType<<R::Name as Relationship>::From>>,
    {
        walk_down::<C, R, Q::Query>(self.connection(), Roots::Query(roots.as_query()), relation.depth_limit())
    }

    /// The ancestors of `node` along a self-referential belongs_to
    /// relation, in one statement: its parent first, the root last. Empty
    /// for a root, or when `node` is no longer stored; the parent keys are
    /// read as stored now.
    ///
    /// A cycle in the data ends the walk before the first row it would
    /// list twice (`node` itself included).
    ///
    /// ```
    /// # include!("../doctest_setup.rs");
    /// # use quarry::load::Tree;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let mut session = seeded();
    /// # let root: Category = session.one(categories::table.filter(categories::name.eq("root")))?;
    /// # let leaf: Category = session.one(categories::table.filter(categories::name.eq("novels")))?;
    /// let path: Vec<Category> = session.ancestors(&leaf, Category::PARENT)?;
    /// let breadcrumb: Vec<&str> = path.iter().rev().map(|c| c.name.as_str()).collect();
    /// # Ok(())
    /// # }
    /// ```
    pub fn ancestors<From, To, Via, N>(
        &mut self,
        node: &From,
        relation: Relation<From, To, Via, N>,
    ) -> Result<Vec<From>>
    where
        From: Model,
        To: Model,
        N: SelfReferential<From = From, Direction = Up> + WalkRows<C>,
    {
        let _ = relation;
        let start = N::id(node);
        let rows = N::walk_rows(Roots::Keys(vec![start.clone()]), None, self.connection())?;
        let mut by_key: HashMap<N::Key, From> = rows.into_iter().map(|(row, _)| (N::id(&row), row)).collect();
        let Some(node) = by_key.remove(&start) else { return Ok(Vec::new()) };
        let mut seen = HashSet::from([start]);
        let mut path = Vec::new();
        let mut next = N::parent_id(&node);
        while let Some(key) = next {
            if !seen.insert(key.clone()) {
                break;
            }
            let Some(row) = by_key.remove(&key) else { break };
            next = N::parent_id(&row);
            path.push(row);
        }
        Ok(path)
    }
}

/// The SQL type of a model's rows: its table's `all_columns`.
pub type RowSqlType<M> = <<<M as Model>::Table as Table>::AllColumns as Expression>::SqlType;

/// Runs the walk down from `roots` and assembles the trees.
fn walk_down<C, R, Q>(
    conn: &mut C,
    roots: Roots<<R::Name as Relationship>::Key, Q>,
    max_depth: Option<u32>,
) -> Result<Vec<Tree<<R::Name as Relationship>::From>>>
where
    R: SubtreeOf,
    R::Name: WalkRows<C, Q>,
    <R::Name as Relationship>::From: Clone,
{
    let limit = max_depth.map(|d| i32::try_from(d).unwrap_or(i32::MAX));
    let rows = <R::Name as WalkRows<C, Q>>::walk_rows(roots, limit, conn)?;
    Ok(assemble::<R::Name>(rows, max_depth))
}

/// Builds the trees from the rows a walk down returned, each with its
/// depth (0 for a root; without a depth limit, 1 for every other row).
/// A row may come more than once (a root under another root, a cycle):
/// the first copy is kept. Each tree holds a row once at most, and no
/// deeper than `max_depth`.
fn assemble<N: SelfReferential>(rows: Vec<(N::From, i32)>, max_depth: Option<u32>) -> Vec<Tree<N::From>>
where
    N::From: Clone,
{
    let max_depth = max_depth.map_or(usize::MAX, |d| d as usize);
    let mut slots: Vec<Option<N::From>> = Vec::with_capacity(rows.len());
    let mut index: HashMap<N::Key, usize> = HashMap::with_capacity(rows.len());
    let mut root_flags: Vec<bool> = Vec::with_capacity(rows.len());
    for (row, depth) in rows {
        match index.get(&N::id(&row)) {
            Some(&i) => root_flags[i] |= depth == 0,
            None => {
                index.insert(N::id(&row), slots.len());
                root_flags.push(depth == 0);
                slots.push(Some(row));
            }
        }
    }
    // Children by parent, in row order: the relation's declared order.
    let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, row) in slots.iter().enumerate() {
        let parent = row.as_ref().and_then(N::parent_id).and_then(|key| index.get(&key).copied());
        if let Some(parent) = parent {
            children.entry(parent).or_default().push(i);
        }
    }
    // Each tree as a depth-first list of (row, depth), a row once per tree.
    let mut orders: Vec<Vec<(usize, usize)>> = Vec::new();
    let mut uses = vec![0usize; slots.len()];
    for root in (0..slots.len()).filter(|&i| root_flags[i]) {
        let mut order = Vec::new();
        let mut seen = HashSet::from([root]);
        let mut stack = vec![(root, 0usize)];
        while let Some((i, depth)) = stack.pop() {
            order.push((i, depth));
            uses[i] += 1;
            if depth < max_depth {
                let next = children.get(&i).into_iter().flatten().rev().filter(|&&c| seen.insert(c));
                stack.extend(next.map(|&c| (c, depth + 1)).collect::<Vec<_>>());
            }
        }
        orders.push(order);
    }
    // Rows move into the trees; only a row in several trees is cloned.
    let relation = N::NAME;
    let mut take = |i: usize| -> N::From {
        uses[i] -= 1;
        if uses[i] == 0 {
            slots[i].take().expect("each row is taken once, at its last use")
        } else {
            slots[i].clone().expect("a row in use is still there")
        }
    };
    orders
        .into_iter()
        .map(|order| {
            // A stack of open trees, one per level of the current path.
            let mut open: Vec<Tree<N::From>> = Vec::new();
            for (i, depth) in order {
                close_to(&mut open, depth);
                open.push(Tree { row: take(i), children: Vec::new(), relation });
            }
            close_to(&mut open, 1);
            open.pop().expect("a tree has its root")
        })
        .collect()
}

/// Closes the open trees deeper than `depth - 1`, each into its parent.
fn close_to<M>(open: &mut Vec<Tree<M>>, depth: usize) {
    while open.len() > depth.max(1) {
        let done = open.pop().expect("more than one open tree");
        open.last_mut().expect("a parent stays open").children.push(done);
    }
    if depth == 0 {
        debug_assert!(open.is_empty(), "a new root starts with nothing open");
    }
}

/// `WITH RECURSIVE` over a self-referential table `T` with primary key
/// `Id` and foreign key `ParentId`, from `roots`, then the rows reached
/// with their depth, ordered by `order` (the relation's declared order,
/// then the primary key). Built by generated code; see the module docs for
/// the SQL.
#[doc(hidden)]
#[derive(Debug, Clone)]
#[allow(clippy::type_complexity)]
pub struct WalkQuery<T: Table, Id, ParentId, K, Q, O> {
    table: T,
    columns: T::AllColumns,
    id: Id,
    parent_id: ParentId,
    roots: Roots<K, Q>,
    up: bool,
    max_depth: Option<i32>,
    order: O,
}

impl<T: Table, Id: Default, ParentId: Default, K, Q, O> WalkQuery<T, Id, ParentId, K, Q, O> {
    #[doc(hidden)]
    pub fn new(table: T, roots: Roots<K, Q>, up: bool, max_depth: Option<i32>, order: O) -> Self {
        WalkQuery {
            table,
            columns: T::all_columns(),
            id: Id::default(),
            parent_id: ParentId::default(),
            roots,
            up,
            max_depth,
            order,
        }
    }
}

impl<T: Table, Id, ParentId, K, Q, O> Query for WalkQuery<T, Id, ParentId, K, Q, O> {
    type SqlType = (<T::AllColumns as Expression>::SqlType, Integer);
}

// The SQL depends on the number of keys, the direction and the limit:
// never cache it by type.
impl<T: Table, Id, ParentId, K, Q, O> QueryId for WalkQuery<T, Id, ParentId, K, Q, O> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<T: Table, Id, ParentId, K, Q, O, C> RunQueryDsl<C> for WalkQuery<T, Id, ParentId, K, Q, O> {}

/// The CTE's name and columns.
const CTE: &str = "__quarry_tree";
const CTE_ID: &str = "__quarry_id";
const CTE_DEPTH: &str = "__quarry_depth";
const ROOTS: &str = "__quarry_roots";

impl<DB, T, Id, ParentId, K, Q, O> QueryFragment<DB> for WalkQuery<T, Id, ParentId, K, Q, O>
where
    DB: Backend + HasSqlType<Integer> + HasSqlType<Id::SqlType>,
    T: Table + QueryFragment<DB>,
    T::AllColumns: QueryFragment<DB>,
    Id: Column + Expression + QueryFragment<DB>,
    ParentId: Column + QueryFragment<DB>,
    K: ToSql<Id::SqlType, DB>,
    i32: ToSql<Integer, DB>,
    Q: QueryFragment<DB>,
    O: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let (id, parent_id) = (&self.id, &self.parent_id);
        let cte_column = |out: &mut AstPass<'_, 'b, DB>, column: &str| -> QueryResult<()> {
            out.push_identifier(CTE)?;
            out.push_sql(".");
            out.push_identifier(column)
        };
        // ` FROM t INNER JOIN __quarry_tree ON column = __quarry_tree.__quarry_id`
        let join_tree = |out: &mut AstPass<'_, 'b, DB>, column: &'b dyn QueryFragment<DB>| -> QueryResult<()> {
            out.push_sql(" FROM ");
            self.table.walk_ast(out.reborrow())?;
            out.push_sql(" INNER JOIN ");
            out.push_identifier(CTE)?;
            out.push_sql(" ON ");
            column.walk_ast(out.reborrow())?;
            out.push_sql(" = ");
            cte_column(out, CTE_ID)
        };
        // WITH RECURSIVE __quarry_tree (__quarry_id, __quarry_depth) AS (
        out.push_sql("WITH RECURSIVE ");
        out.push_identifier(CTE)?;
        out.push_sql(" (");
        out.push_identifier(CTE_ID)?;
        out.push_sql(", ");
        out.push_identifier(CTE_DEPTH)?;
        out.push_sql(") AS (");
        //   SELECT t.id, 0 FROM t WHERE t.id IN (roots)
        out.push_sql("SELECT ");
        id.walk_ast(out.reborrow())?;
        out.push_sql(", 0 FROM ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" WHERE ");
        id.walk_ast(out.reborrow())?;
        out.push_sql(" IN (");
        match &self.roots {
            Roots::Keys(keys) => {
                for (i, key) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push_sql(", ");
                    }
                    out.push_bind_param::<Id::SqlType, K>(key)?;
                }
            }
            Roots::Query(query) => {
                out.push_sql("SELECT ");
                out.push_identifier(ROOTS)?;
                out.push_sql(".");
                out.push_identifier(Id::NAME)?;
                out.push_sql(" FROM (");
                query.walk_ast(out.reborrow())?;
                out.push_sql(") ");
                out.push_identifier(ROOTS)?;
            }
        }
        // UNION: a key met again with the same depth is not walked again.
        out.push_sql(") UNION SELECT ");
        if self.up {
            //   SELECT t.parent_id, 1 FROM t JOIN tree ON t.id = tree.id WHERE t.parent_id IS NOT NULL
            parent_id.walk_ast(out.reborrow())?;
            out.push_sql(", 1");
            join_tree(&mut out, id)?;
            out.push_sql(" WHERE ");
            parent_id.walk_ast(out.reborrow())?;
            out.push_sql(" IS NOT NULL");
        } else {
            //   SELECT t.id, tree.depth + 1 FROM t JOIN tree ON t.parent_id = tree.id WHERE tree.depth < limit
            // or, without a limit, depth 1 for every row below a root (so
            // that a cycle repeats a (key, 1) pair and ends).
            id.walk_ast(out.reborrow())?;
            out.push_sql(", ");
            if self.max_depth.is_some() {
                cte_column(&mut out, CTE_DEPTH)?;
                out.push_sql(" + 1");
            } else {
                out.push_sql("1");
            }
            join_tree(&mut out, parent_id)?;
            if let Some(limit) = &self.max_depth {
                out.push_sql(" WHERE ");
                cte_column(&mut out, CTE_DEPTH)?;
                out.push_sql(" < ");
                out.push_bind_param::<Integer, i32>(limit)?;
            }
        }
        // ) SELECT t.*, tree.depth FROM t JOIN tree ON t.id = tree.id ORDER BY order, t.id
        out.push_sql(") SELECT ");
        self.columns.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        cte_column(&mut out, CTE_DEPTH)?;
        join_tree(&mut out, id)?;
        out.push_sql(" ORDER BY ");
        self.order.walk_ast(out.reborrow())?;
        Ok(())
    }
}

/// `WalkRows` for a self-referential relation, for every backend quarry
/// is built with; generated code invokes it once per such relation, next to
/// its `SelfReferential` impl:
///
/// ```text
/// walk_rows!(Category__children, categories::table, categories::id, categories::parent_id,
///            order [asc(categories::name)])      // ORDER BY name, id
/// walk_rows!(Category__parent, categories::table, categories::id, categories::parent_id, order [])
/// ```
#[doc(hidden)]
#[macro_export]
macro_rules! __walk_rows {
    ($name:ty, $table:path, $id:path, $parent_id:path, order [$($order:expr),*]) => {
        $crate::__if_sqlite! { $crate::__walk_rows!(@impl diesel::SqliteConnection, diesel::sqlite::Sqlite, $name, $table, $id, $parent_id, [$($order),*]); }
        $crate::__if_postgres! { $crate::__walk_rows!(@impl diesel::PgConnection, diesel::pg::Pg, $name, $table, $id, $parent_id, [$($order),*]); }
        $crate::__if_mysql! { $crate::__walk_rows!(@impl diesel::MysqlConnection, diesel::mysql::Mysql, $name, $table, $id, $parent_id, [$($order),*]); }
    };
    (@impl $conn_ty:ty, $db:ty, $name:ty, $table:path, $id:path, $parent_id:path, [$($order:expr),*]) => {
        impl<Q: diesel::query_builder::QueryFragment<$db>> $crate::load::WalkRows<$conn_ty, Q> for $name {
            fn walk_rows(
                roots: $crate::load::Roots<<Self as $crate::load::Relationship>::Key, Q>,
                max_depth: ::std::option::Option<i32>,
                conn: &mut $conn_ty,
            ) -> diesel::QueryResult<::std::vec::Vec<(<Self as $crate::load::Relationship>::From, i32)>> {
                let query = $crate::load::WalkQuery::<_, $id, $parent_id, _, Q, _>::new(
                    $table,
                    roots,
                    <<Self as $crate::load::SelfReferential>::Direction as $crate::load::Direction>::UP,
                    max_depth,
                    ($($order,)* $id,),
                );
                diesel::RunQueryDsl::load(query, conn)
            }
        }
    };
}
