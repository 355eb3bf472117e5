//! Query pieces diesel lacks or spells differently per backend, as typed
//! expressions that render the right SQL for each backend.
//!
//! | function | PostgreSQL | SQLite | MySQL/MariaDB |
//! |---|---|---|---|
//! | [`ilike`] | `a ILIKE b` | `lower(a) LIKE lower(b)` | `LOWER(a) LIKE LOWER(b)` |
//! | [`asc_nulls_first`] and the other three | `a ASC NULLS FIRST` | `a ASC NULLS FIRST` | `a IS NULL DESC, a ASC` |
//! | [`json_text`] | `a ->> 'key'` | `json_extract(a, '$.key')` | `JSON_UNQUOTE(JSON_EXTRACT(a, '$.key'))` |
//! | [`json_path_text`] | `a #>> '{k1,k2,0}'` | `json_extract(a, '$.k1.k2[0]')` | `JSON_UNQUOTE(JSON_EXTRACT(a, '$.k1.k2[0]'))` |
//!
//! and [`escape_like`], which makes user input safe inside a `LIKE` pattern;
//! [`cast`] and [`modulo`]; [`output`] keys to order a `UNION` by;
//! [`group_key`] to group by a selected expression; subqueries in `FROM`:
//! [`derived`] and [`lateral`]; and typed common table expressions:
//! [`with`] and [`cte`].

mod cast;
mod combined;
mod cte;
mod derived;
mod full_join;
mod group_key;
mod rollup;
mod subquery;
mod tuple_in;

pub use cast::{cast, modulo, Cast, CastTo, IntegerType, Modulo, Target, Varchar};
pub use combined::{
    except, except_all, intersect, intersect_all, output, Combined, CombinedAll, OffsetAlone, OrderCombined, OrderPart,
    OrderedBy, Output, Sorted, Unordered,
};
pub use cte::{
    cte, modifying_cte, recursive_cte, recursive_cte_distinct, with, Cte, CteHint, CteList, Materialized, Modifying,
    NotMaterialized, Planned, RecursiveUnion, SameRow, With,
};
pub use derived::{derived, lateral, AllColumns, Derived, IsLateral, Lateral, LateralRow, Plain};
pub use full_join::{full_join, outer, FullJoin, Outer};
pub use group_key::{group_key, GroupKey, GroupedByKey, KeyName};
pub use rollup::{
    cube, grouping, grouping_sets, rolled, rollup, Cube, Grouping, GroupingSets, Rolled, Rollup, SetList,
};
pub use subquery::{in_subquery, InSubquery};
pub use tuple_in::{row, tuple_in, Row, RowValue, TupleIn};

#[cfg(any(feature = "sqlite", feature = "postgres"))]
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, AsExpression, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Nullable, Text};
use diesel::QueryResult;

/// Escapes `\`, `%` and `_` in `input` with a backslash, so that it matches
/// itself inside a `LIKE` pattern. Use it with `.escape('\\')`, which every
/// backend understands (SQLite has no default escape character):
///
/// ```
/// # use diesel::prelude::*;
/// # diesel::table! { items (id) { id -> Integer, name -> Text } }
/// let user_input = "50%_off";
/// let pattern = format!("%{}%", quarry::dsl::escape_like(user_input));
/// assert_eq!(pattern, r"%50\%\_off%");
/// let query = items::table.filter(items::name.like(pattern).escape('\\'));
/// ```
pub fn escape_like(input: &str) -> String {
    let mut escaped = String::with_capacity(input.len());
    for c in input.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Case-insensitive `LIKE` on every backend: `ILIKE` on PostgreSQL,
/// `lower(a) LIKE lower(b)` elsewhere (which folds ASCII and, on MySQL and
/// PostgreSQL, all of Unicode; SQLite's `lower` folds ASCII only). A
/// nullable text column gives a nullable condition, as `like` does.
pub fn ilike<L, R>(text: L, pattern: R) -> ILike<L, R::Expression>
where
    L: Expression,
    L::SqlType: TextType,
    R: AsExpression<L::SqlType>,
{
    ILike { text, pattern: pattern.as_expression() }
}

/// SQL types that hold text, nullable or not, with the type a comparison of
/// them has.
pub trait TextType: diesel::sql_types::SqlType {
    /// `Bool`, or `Nullable<Bool>` for nullable text.
    type Condition: diesel::sql_types::SqlType + diesel::sql_types::SingleValue;
}
impl TextType for Text {
    type Condition = Bool;
}
impl TextType for Nullable<Text> {
    type Condition = Nullable<Bool>;
}

/// See [`ilike`].
#[derive(Debug, Clone, Copy, QueryId, ValidGrouping)]
pub struct ILike<L, R> {
    text: L,
    pattern: R,
}

impl<L, R> Expression for ILike<L, R>
where
    L: Expression,
    L::SqlType: TextType,
{
    type SqlType = <L::SqlType as TextType>::Condition;
}

impl<L, R, QS> AppearsOnTable<QS> for ILike<L, R>
where
    L: AppearsOnTable<QS>,
    L::SqlType: TextType,
    R: AppearsOnTable<QS>,
{
}

impl<L, R, QS> SelectableExpression<QS> for ILike<L, R>
where
    L: SelectableExpression<QS>,
    L::SqlType: TextType,
    R: SelectableExpression<QS>,
{
}

#[cfg(feature = "postgres")]
impl<L, R> QueryFragment<diesel::pg::Pg> for ILike<L, R>
where
    L: QueryFragment<diesel::pg::Pg>,
    R: QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        self.text.walk_ast(out.reborrow())?;
        out.push_sql(" ILIKE ");
        self.pattern.walk_ast(out.reborrow())
    }
}

#[cfg(any(feature = "sqlite", feature = "mysql"))]
macro_rules! lower_like {
    ($backend:ty) => {
        impl<L, R> QueryFragment<$backend> for ILike<L, R>
        where
            L: QueryFragment<$backend>,
            R: QueryFragment<$backend>,
        {
            fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, $backend>) -> QueryResult<()> {
                out.push_sql("LOWER(");
                self.text.walk_ast(out.reborrow())?;
                out.push_sql(") LIKE LOWER(");
                self.pattern.walk_ast(out.reborrow())?;
                out.push_sql(")");
                Ok(())
            }
        }
    };
}

#[cfg(feature = "sqlite")]
lower_like!(diesel::sqlite::Sqlite);
#[cfg(feature = "mysql")]
lower_like!(diesel::mysql::Mysql);

/// An `ORDER BY` key with its NULLs placed first or last on every backend;
/// see [`asc_nulls_first`] and friends.
#[derive(Debug, Clone, Copy, ValidGrouping)]
pub struct NullsOrdered<E> {
    expr: E,
    descending: bool,
    nulls_first: bool,
}

/// `expr ASC NULLS FIRST`.
pub fn asc_nulls_first<E: Expression>(expr: E) -> NullsOrdered<E> {
    NullsOrdered { expr, descending: false, nulls_first: true }
}

/// `expr ASC NULLS LAST`.
pub fn asc_nulls_last<E: Expression>(expr: E) -> NullsOrdered<E> {
    NullsOrdered { expr, descending: false, nulls_first: false }
}

/// `expr DESC NULLS FIRST`.
pub fn desc_nulls_first<E: Expression>(expr: E) -> NullsOrdered<E> {
    NullsOrdered { expr, descending: true, nulls_first: true }
}

/// `expr DESC NULLS LAST`.
pub fn desc_nulls_last<E: Expression>(expr: E) -> NullsOrdered<E> {
    NullsOrdered { expr, descending: true, nulls_first: false }
}

// The SQL depends on the direction, which is a value, not a type: the
// statement must not be cached by type alone.
impl<E> QueryId for NullsOrdered<E> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<E: Expression> Expression for NullsOrdered<E> {
    type SqlType = diesel::expression::expression_types::NotSelectable;
}

impl<E: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for NullsOrdered<E> {}

impl<E> NullsOrdered<E> {
    fn direction(&self) -> &'static str {
        if self.descending {
            " DESC"
        } else {
            " ASC"
        }
    }

    /// `expr ASC|DESC NULLS FIRST|LAST`, the standard form.
    #[cfg(any(feature = "sqlite", feature = "postgres"))]
    fn walk_standard<'b, DB>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()>
    where
        DB: Backend,
        E: QueryFragment<DB>,
    {
        self.expr.walk_ast(out.reborrow())?;
        out.push_sql(self.direction());
        out.push_sql(if self.nulls_first { " NULLS FIRST" } else { " NULLS LAST" });
        Ok(())
    }
}

#[cfg(feature = "postgres")]
impl<E: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for NullsOrdered<E> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        self.walk_standard(out)
    }
}

#[cfg(feature = "sqlite")]
impl<E: QueryFragment<diesel::sqlite::Sqlite>> QueryFragment<diesel::sqlite::Sqlite> for NullsOrdered<E> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, diesel::sqlite::Sqlite>) -> QueryResult<()> {
        self.walk_standard(out)
    }
}

/// MySQL has no `NULLS FIRST/LAST`: sort on `expr IS NULL` first.
#[cfg(feature = "mysql")]
impl<E: QueryFragment<diesel::mysql::Mysql>> QueryFragment<diesel::mysql::Mysql> for NullsOrdered<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::mysql::Mysql>) -> QueryResult<()> {
        self.expr.walk_ast(out.reborrow())?;
        out.push_sql(if self.nulls_first { " IS NULL DESC, " } else { " IS NULL ASC, " });
        self.expr.walk_ast(out.reborrow())?;
        out.push_sql(self.direction());
        Ok(())
    }
}

/// SQL types that hold JSON: diesel's `Json`, quarry's `Jsonb`, nullable or not.
pub trait JsonType {}
impl JsonType for diesel::sql_types::Json {}
impl JsonType for crate::sql_types::Jsonb {}
impl<T: JsonType + diesel::sql_types::SqlType> JsonType for Nullable<T> {}

/// The text of a top-level field of a JSON document, NULL when absent:
/// `json_text(profiles::settings, "theme")`.
pub fn json_text<E>(json: E, key: &str) -> JsonText<E>
where
    E: Expression,
    E::SqlType: JsonType,
{
    json_path_text(json, [key])
}

/// One step of a path into a JSON document: an object's key or an
/// array's index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathStep {
    Key(String),
    Index(usize),
}

impl From<&str> for PathStep {
    fn from(key: &str) -> Self {
        PathStep::Key(key.to_owned())
    }
}

impl From<String> for PathStep {
    fn from(key: String) -> Self {
        PathStep::Key(key)
    }
}

impl From<usize> for PathStep {
    fn from(index: usize) -> Self {
        PathStep::Index(index)
    }
}

/// The text found at a path of keys and indexes into a JSON document,
/// NULL when absent (SQLAlchemy's `Profile.settings[("ui", "theme")].as_string()`):
/// `json_path_text(profiles::settings, ["ui", "theme"])`, or with an
/// index, `json_path_text(profiles::settings, [PathStep::from("panels"), PathStep::from(1)])`.
/// `#>>` on PostgreSQL, `json_extract` with a JSON path on SQLite,
/// `JSON_UNQUOTE(JSON_EXTRACT(...))` on MySQL/MariaDB.
///
/// ```
/// use diesel::prelude::*;
/// use quarry::dsl::json_path_text;
/// # diesel::table! { docs (id) { id -> Integer, body -> Json } }
/// let theme = docs::table.select(json_path_text(docs::body, ["ui", "theme"]));
/// let sql = diesel::debug_query::<diesel::sqlite::Sqlite, _>(&theme).to_string();
/// assert_eq!(sql, r#"SELECT json_extract(`docs`.`body`, ?) FROM `docs` -- binds: ["$.\"ui\".\"theme\""]"#);
/// ```
pub fn json_path_text<E, P>(json: E, path: P) -> JsonText<E>
where
    E: Expression,
    E::SqlType: JsonType,
    P: IntoIterator,
    P::Item: Into<PathStep>,
{
    let steps: Vec<PathStep> = path.into_iter().map(Into::into).collect();
    let mut json_path = String::from("$");
    let mut keys = Vec::with_capacity(steps.len());
    for step in &steps {
        match step {
            PathStep::Key(key) => {
                json_path.push_str(&format!(".\"{}\"", key.replace('\\', "\\\\").replace('"', "\\\"")));
                keys.push(key.clone());
            }
            PathStep::Index(index) => {
                json_path.push_str(&format!("[{index}]"));
                keys.push(index.to_string());
            }
        }
    }
    JsonText { json, keys, path: json_path }
}

/// See [`json_text`].
#[derive(Debug, Clone, ValidGrouping)]
pub struct JsonText<E> {
    json: E,
    /// PostgreSQL's `->>` and `#>>` take the keys (an index as text); the
    /// others a JSON path.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    keys: Vec<String>,
    #[cfg_attr(not(any(feature = "sqlite", feature = "mysql")), allow(dead_code))]
    path: String,
}

// The SQL depends on the path's length (`->>` or `#>>`), a value, not a
// type: the statement must not be cached by type alone.
impl<E> QueryId for JsonText<E> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<E> Expression for JsonText<E> {
    type SqlType = Nullable<Text>;
}

impl<E: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for JsonText<E> {}
impl<E: SelectableExpression<QS>, QS> SelectableExpression<QS> for JsonText<E> {}

#[cfg(feature = "postgres")]
impl<E: QueryFragment<diesel::pg::Pg>> QueryFragment<diesel::pg::Pg> for JsonText<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("(");
        self.json.walk_ast(out.reborrow())?;
        match self.keys.as_slice() {
            [key] => {
                out.push_sql(" ->> ");
                out.push_bind_param::<Text, _>(key)?;
            }
            keys => {
                out.push_sql(" #>> ");
                out.push_bind_param::<diesel::sql_types::Array<Text>, _>(keys)?;
            }
        }
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(feature = "sqlite")]
impl<E: QueryFragment<diesel::sqlite::Sqlite>> QueryFragment<diesel::sqlite::Sqlite> for JsonText<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::sqlite::Sqlite>) -> QueryResult<()> {
        out.push_sql("json_extract(");
        self.json.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.path)?;
        out.push_sql(")");
        Ok(())
    }
}

#[cfg(feature = "mysql")]
impl<E: QueryFragment<diesel::mysql::Mysql>> QueryFragment<diesel::mysql::Mysql> for JsonText<E> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::mysql::Mysql>) -> QueryResult<()> {
        out.push_sql("JSON_UNQUOTE(JSON_EXTRACT(");
        self.json.walk_ast(out.reborrow())?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(&self.path)?;
        out.push_sql("))");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escape_like_escapes_the_wildcards_and_itself() {
        assert_eq!(super::escape_like(r"a\b%c_d"), r"a\\b\%c\_d");
        assert_eq!(super::escape_like("plain"), "plain");
    }
}
