//! diesel's `joinable!` and `allow_tables_to_appear_in_same_query!` (each
//! table's `table!` call is written by its `model!` call).

use std::collections::BTreeMap;

use std::fmt::Write;

use crate::ident::ident;
use crate::ir::{Schema, Table};
use crate::options::TableGrouping;

/// `joinable!` for each foreign key diesel can join through without an
/// explicit `ON`: one column, referencing the parent's one-column primary
/// key, between two distinct tables linked by no other key (diesel allows a
/// single `JoinTo` per pair of tables).
pub fn joinables(schema: &Schema) -> String {
    let mut links: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            let pair = ordered(&table.name, &fk.ref_table);
            *links.entry(pair).or_default() += 1;
        }
    }
    let mut out = String::new();
    for child in &schema.tables {
        for fk in &child.foreign_keys {
            let Some(parent) = schema.table(&fk.ref_table) else { continue };
            let joinable = fk.columns.len() == 1
                && parent.name != child.name
                && parent.primary_key == fk.ref_columns
                && links.get(&ordered(&child.name, &parent.name)) == Some(&1);
            if joinable {
                let _ = writeln!(
                    out,
                    "diesel::joinable!({} -> {} ({}));",
                    ident(&child.module),
                    ident(&parent.module),
                    ident(&fk.columns[0])
                );
            }
        }
    }
    out
}

fn ordered<'a>(a: &'a str, b: &'a str) -> (&'a str, &'a str) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// `allow_tables_to_appear_in_same_query!` over all tables, or once per
/// group of tables connected by foreign keys.
pub fn allow_together(schema: &Schema, grouping: TableGrouping) -> String {
    let groups: Vec<Vec<&Table>> = match grouping {
        TableGrouping::AllTables => vec![schema.tables.iter().collect()],
        TableGrouping::ForeignKeyComponents => components(schema),
    };
    let mut out = String::new();
    for group in groups.into_iter().filter(|g| g.len() > 1) {
        out.push_str("diesel::allow_tables_to_appear_in_same_query!(\n");
        for table in group {
            let _ = writeln!(out, "    {},", ident(&table.module));
        }
        out.push_str(");\n");
    }
    out
}

/// `cte_ready!` over all tables: what lets a CTE declared with
/// `quarry::cte_tables! { use schema; ... }` appear beside any of them.
pub fn cte_ready(schema: &Schema) -> String {
    let mut out = String::from("quarry::__codegen::cte_ready!(\n");
    for table in &schema.tables {
        let _ = writeln!(out, "    {},", ident(&table.module));
    }
    out.push_str(");\n");
    out
}

/// Tables grouped by foreign-key connectivity, each group in declaration
/// order, groups ordered by their first table.
fn components(schema: &Schema) -> Vec<Vec<&Table>> {
    let index = |name: &str| schema.tables.iter().position(|t| t.name == name);
    let mut parent: Vec<usize> = (0..schema.tables.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for (i, table) in schema.tables.iter().enumerate() {
        for fk in &table.foreign_keys {
            if let Some(j) = index(&fk.ref_table) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<&Table>> = BTreeMap::new();
    for (i, table) in schema.tables.iter().enumerate() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(table);
    }
    groups.into_values().collect()
}
