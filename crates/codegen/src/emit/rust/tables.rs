//! diesel's `table!`, `joinable!` and `allow_tables_to_appear_in_same_query!`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, sql_type};
use crate::ident::ident;
use crate::ir::{Schema, Table};
use crate::options::TableGrouping;

/// One `diesel::table!` invocation. Columns are named after their Rust
/// fields; `#[sql_name]` keeps the SQL name when it differs.
pub fn table_macro(table: &Table) -> TokenStream {
    let docs = doc(table.doc.as_deref());
    let module = ident(&table.module);
    let sql_name = (table.module != table.name).then(|| {
        let name = &table.name;
        quote!(#[sql_name = #name])
    });
    let qualified = match &table.schema {
        Some(schema) => {
            let schema = ident(schema);
            quote!(#schema.#module)
        }
        None => quote!(#module),
    };
    let key = table.primary_key.iter().map(|k| ident(k));
    let columns = table.columns.iter().map(|column| {
        let docs = doc(column.doc.as_deref());
        let field = ident(&column.field);
        let sql_name = (column.field != column.name).then(|| {
            let name = &column.name;
            quote!(#[sql_name = #name])
        });
        let ty = sql_type(column);
        quote!(#docs #sql_name #field -> #ty,)
    });
    quote! {
        diesel::table! {
            use super::sql_types;

            #docs
            #sql_name
            #qualified (#(#key),*) {
                #(#columns)*
            }
        }
    }
}

/// `joinable!` for each foreign key diesel can join through without an
/// explicit `ON`: one column, referencing the parent's one-column primary
/// key, between two distinct tables linked by no other key (diesel allows a
/// single `JoinTo` per pair of tables).
pub fn joinables(schema: &Schema) -> TokenStream {
    let mut links: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for table in &schema.tables {
        for fk in &table.foreign_keys {
            let pair = ordered(&table.name, &fk.ref_table);
            *links.entry(pair).or_default() += 1;
        }
    }
    let joins = schema.tables.iter().flat_map(|child| {
        child.foreign_keys.iter().filter_map(|fk| {
            let parent = schema.table(&fk.ref_table)?;
            let joinable = fk.columns.len() == 1
                && parent.name != child.name
                && parent.primary_key == fk.ref_columns
                && links.get(&ordered(&child.name, &parent.name)) == Some(&1);
            joinable.then(|| {
                let (child_module, parent_module) = (ident(&child.module), ident(&parent.module));
                let column = ident(&fk.columns[0]);
                quote!(diesel::joinable!(#child_module -> #parent_module (#column));)
            })
        })
    });
    quote!(#(#joins)*)
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
pub fn allow_together(schema: &Schema, grouping: TableGrouping) -> TokenStream {
    let groups: Vec<Vec<&Table>> = match grouping {
        TableGrouping::AllTables => vec![schema.tables.iter().collect()],
        TableGrouping::ForeignKeyComponents => components(schema),
    };
    let invocations = groups.into_iter().filter(|g| g.len() > 1).map(|group| {
        let modules = group.iter().map(|t| ident(&t.module));
        quote!(diesel::allow_tables_to_appear_in_same_query!(#(#modules),*);)
    });
    quote!(#(#invocations)*)
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
