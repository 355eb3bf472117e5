//! diesel's `table!`, `joinable!` and `allow_tables_to_appear_in_same_query!`.

use std::collections::BTreeMap;

use std::fmt::Write;

use crate::ident::ident;
use crate::ir::{Column, ColumnType, Schema, Table};
use crate::options::TableGrouping;

/// One `diesel::table!` invocation, laid out as print-schema writes it.
/// Columns are named after their Rust fields; `#[sql_name]` keeps the SQL
/// name when it differs. diesel's SQL types are named bare, through the
/// `use diesel::sql_types::*` the invocation starts with; enum types as
/// `sql_types::Name`, the generated module's own.
pub fn table_macro(table: &Table, with_enums: bool) -> String {
    // A column is a unit struct in the table's module, which shadows a
    // glob-imported type of the same name: then every type is named by
    // its path.
    let bare = !table.columns.iter().any(|c| SQL_TYPE_NAMES.contains(&c.field.as_str()));
    let mut out = String::from("diesel::table! {\n");
    if bare {
        out.push_str("    use diesel::sql_types::*;\n");
    }
    if with_enums {
        out.push_str("    use super::sql_types;\n");
    }
    out.push('\n');
    super::declare::doc_lines(&mut out, table.doc.as_deref(), "    ");
    if table.module != table.name {
        let _ = writeln!(out, "    #[sql_name = {:?}]", table.name);
    }
    let module = ident(&table.module);
    let qualified = match &table.schema {
        Some(schema) => format!("{}.{module}", ident(schema)),
        None => module.to_string(),
    };
    let key: Vec<String> = table.primary_key.iter().map(|k| ident(k).to_string()).collect();
    let _ = writeln!(out, "    {qualified} ({}) {{", key.join(", "));
    for column in &table.columns {
        super::declare::doc_lines(&mut out, column.doc.as_deref(), "        ");
        if column.field != column.name {
            let _ = writeln!(out, "        #[sql_name = {:?}]", column.name);
        }
        let _ = writeln!(out, "        {} -> {},", ident(&column.field), sql_type(column, bare));
    }
    out.push_str("    }\n}\n");
    out
}

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

/// The diesel SQL types a `table!` invocation names bare.
const SQL_TYPE_NAMES: &[&str] =
    &["SmallInt", "Integer", "BigInt", "Float", "Double", "Bool", "Text", "Date", "Time", "Json", "Binary", "Nullable"];

/// The SQL type of a column as the `table!` invocation names it,
/// `Nullable` included: diesel's types bare, or by path.
fn sql_type(column: &Column, bare: bool) -> String {
    let diesel = if bare { "" } else { "diesel::sql_types::" };
    let base = match &column.ty {
        ColumnType::SmallInt => format!("{diesel}SmallInt"),
        ColumnType::Integer => format!("{diesel}Integer"),
        ColumnType::BigInt => format!("{diesel}BigInt"),
        ColumnType::Float => format!("{diesel}Float"),
        ColumnType::Double => format!("{diesel}Double"),
        ColumnType::Bool => format!("{diesel}Bool"),
        ColumnType::Text | ColumnType::Varchar(_) => format!("{diesel}Text"),
        ColumnType::Numeric { precision, scale } => {
            // The checker keeps both within MySQL's 65 digits.
            let digits = |n: Option<u32>| n.unwrap_or(0).min(255);
            format!("quarry::__codegen::sql_types::Numeric<{}, {}>", digits(*precision), digits(*scale))
        }
        ColumnType::Date => format!("{diesel}Date"),
        ColumnType::Time => format!("{diesel}Time"),
        ColumnType::Timestamp => "quarry::__codegen::sql_types::NaiveTimestamp".to_owned(),
        ColumnType::TimestampTz => "quarry::__codegen::sql_types::UtcTimestamp".to_owned(),
        ColumnType::Json => format!("{diesel}Json"),
        ColumnType::Jsonb => "quarry::__codegen::sql_types::Jsonb".to_owned(),
        ColumnType::Binary => format!("{diesel}Binary"),
        ColumnType::Enum(name) => format!("sql_types::{}", ident(name)),
    };
    if column.nullable {
        format!("{diesel}Nullable<{base}>")
    } else {
        base
    }
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
