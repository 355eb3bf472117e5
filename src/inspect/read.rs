//! What the per-backend readers share: the one row shape every catalog
//! query returns, and the assembly of rows into a [`Catalog`].

use super::{Catalog, Index, Table};
use crate::error::Result;
#[cfg(any(feature = "postgres", feature = "mysql"))]
use {super::ForeignKey, crate::metadata::db::FkAction};

/// One row of a catalog query: the table it is about, its namespace, and
/// up to nine values whose meaning each query documents.
#[derive(diesel::QueryableByName, Debug, Default)]
#[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
pub(super) struct Row {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub t: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub ns: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub a: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub b: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub c: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub d: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub e: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub f: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub g: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub h: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub i: Option<String>,
}

/// Runs one catalog query.
pub(super) type Load<'a> = dyn FnMut(&str) -> Result<Vec<Row>> + 'a;

/// A text cell, empty when NULL.
pub(super) fn text(cell: &Option<String>) -> String {
    cell.clone().unwrap_or_default()
}

/// A comment cell: `None` when NULL or empty.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(super) fn comment(cell: Option<String>) -> Option<String> {
    cell.filter(|c| !c.is_empty())
}

/// A position cell (1-based or 0-based, only its order matters).
pub(super) fn position(cell: &Option<String>) -> i64 {
    cell.as_deref().and_then(|p| p.trim().parse().ok()).unwrap_or(0)
}

/// The action a catalog names: `CASCADE`, `SET NULL`, ... or PostgreSQL's
/// one-letter codes (`a` no action, `r` restrict, `c` cascade, `n` set
/// null, `d` set default).
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(super) fn action(name: &str) -> FkAction {
    match name.trim().to_ascii_uppercase().as_str() {
        "CASCADE" | "C" => FkAction::Cascade,
        "RESTRICT" | "R" => FkAction::Restrict,
        "SET NULL" | "N" => FkAction::SetNull,
        "SET DEFAULT" | "D" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// Tables as they are read, found by namespace and name.
#[derive(Default)]
pub(super) struct Tables(pub Vec<Table>);

impl Tables {
    /// The table `name` in `namespace`, added if new.
    pub fn get(&mut self, namespace: Option<&str>, name: &str) -> &mut Table {
        match self.0.iter().position(|t| t.name == name && t.namespace.as_deref() == namespace) {
            Some(at) => &mut self.0[at],
            None => {
                self.0.push(Table {
                    name: name.to_owned(),
                    namespace: namespace.map(str::to_owned),
                    ..Table::default()
                });
                self.0.last_mut().expect("pushed above")
            }
        }
    }

    /// The table a row is about, if it was read (columns read first make
    /// the list of tables).
    pub fn of(&mut self, row: &Row) -> Option<&mut Table> {
        self.0.iter_mut().find(|t| t.name == row.t && t.namespace == row.ns)
    }

    /// The catalog: tables in (namespace, name) order, the current
    /// namespace first, indexes in name order.
    pub fn finish(mut self) -> Catalog {
        for table in &mut self.0 {
            table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        }
        self.0.sort_by(|a, b| {
            (a.namespace.is_some(), &a.namespace, &a.name).cmp(&(b.namespace.is_some(), &b.namespace, &b.name))
        });
        Catalog { tables: self.0 }
    }
}

/// Rows of key constraints, one per column, gathered per constraint
/// (consecutive rows with one table, name (a) and kind (b)), each group in
/// column order (d).
pub(super) fn grouped(rows: Vec<Row>) -> Vec<Vec<Row>> {
    let mut groups: Vec<Vec<Row>> = Vec::new();
    for row in rows {
        match groups.last_mut() {
            Some(group)
                if group[0].t == row.t && group[0].ns == row.ns && group[0].a == row.a && group[0].b == row.b =>
            {
                group.push(row)
            }
            _ => groups.push(vec![row]),
        }
    }
    for group in &mut groups {
        group.sort_by_key(|row| position(&row.d));
    }
    groups
}

/// A foreign key from its rows: one per column, each with (a) name,
/// (c) column, (d) position, (e) referenced column, (f) referenced table,
/// (g) its namespace, (h) ON DELETE, (i) ON UPDATE.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(super) fn foreign_key(group: &[Row]) -> ForeignKey {
    let first = &group[0];
    ForeignKey {
        name: first.a.clone(),
        columns: group.iter().map(|r| text(&r.c)).collect(),
        ref_namespace: first.g.clone(),
        ref_table: text(&first.f),
        ref_columns: group.iter().map(|r| text(&r.e)).collect(),
        on_delete: action(&text(&first.h)),
        on_update: action(&text(&first.i)),
    }
}

/// An index from its rows: one per column, in order, each with (a) name,
/// (b) `1` when unique, (c) column.
pub(super) fn index(group: &[Row]) -> Index {
    Index {
        name: text(&group[0].a),
        columns: group.iter().map(|r| text(&r.c)).collect(),
        unique: group[0].b.as_deref() == Some("1"),
    }
}

/// A select list giving `cells` the names `t`, `ns`, `a`, `b`, ... in
/// order, and `null` (`NULL`, or PostgreSQL's typed `NULL::text`) the rest.
pub(super) fn select(cells: &[&str], null: &str) -> String {
    const NAMES: [&str; 11] = ["t", "ns", "a", "b", "c", "d", "e", "f", "g", "h", "i"];
    let cells = NAMES.iter().enumerate().map(|(at, name)| format!("{} AS {name}", cells.get(at).unwrap_or(&null)));
    cells.collect::<Vec<_>>().join(", ")
}
