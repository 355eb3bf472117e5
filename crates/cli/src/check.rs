//! `quarry check` against a database: the schema compared with what
//! [`quarry::inspect`] reads from the live catalog.

use quarry::inspect::Catalog;
use quarry_schema::db::{Column, Schema};
use quarry_schema::Backend;

use crate::database::read_only_engine;
use crate::error::{Error, Result};

/// quarry's bookkeeping table, which no schema declares.
const BOOKKEEPING: &str = "quarry_migrations";

/// Every difference between the tables and columns of the database at
/// `url` and the schema's, one line each.
pub fn live_differences(url: &str, schema: &Schema) -> Result<Vec<String>> {
    let engine = read_only_engine(url)?;
    let catalog = engine.inspect().map_err(Error::database(url))?;
    Ok(differences(engine.backend(), &catalog, schema))
}

/// What differs between `catalog` and `schema`: tables or columns missing
/// from either side, a column's nullability, type and presence of a
/// default, then constraints and indexes by name, then tables the schema
/// lacks.
fn differences(backend: Backend, catalog: &Catalog, schema: &Schema) -> Vec<String> {
    let mut differences = Vec::new();
    for table in schema.tables.iter() {
        let Some(found) = catalog.table(&table.name) else {
            differences.push(format!("table {} is missing from the database", table.name));
            continue;
        };
        for column in table.columns.iter() {
            match found.column(&column.name) {
                None => differences.push(format!("column {}.{} is missing from the database", table.name, column.name)),
                Some(found) if found.nullable != column.nullable => differences.push(format!(
                    "column {}.{} is {} in the database, {} in the schema",
                    table.name,
                    column.name,
                    if found.nullable { "nullable" } else { "NOT NULL" },
                    if column.nullable { "nullable" } else { "NOT NULL" }
                )),
                Some(found) => {
                    if normalize(&found.sql_type) != expected_type(backend, schema, column) {
                        differences.push(format!(
                            "column {}.{} is {} in the database, {} in the schema",
                            table.name,
                            column.name,
                            found.sql_type,
                            backend.column_type(schema, column)
                        ));
                    }
                    if found.default.is_some() != column.server_default.is_some() {
                        differences.push(format!(
                            "column {}.{} {} a default in the database, {} in the schema",
                            table.name,
                            column.name,
                            if found.default.is_some() { "has" } else { "has no" },
                            if column.server_default.is_some() { "has one" } else { "has none" }
                        ));
                    }
                }
            }
        }
        for extra in found.columns.iter().filter(|c| table.column(&c.name).is_none()) {
            differences.push(format!("column {}.{} is in the database but not in the schema", table.name, extra.name));
        }
    }
    differences.extend(named_differences(backend, catalog, schema));
    for table in catalog.tables.iter().filter(|t| t.name != BOOKKEEPING && schema.table(&t.name).is_none()) {
        differences.push(format!("table {} is in the database but not in the schema", table.name));
    }
    differences
}

/// Constraints and indexes, by name: those the schema declares that the
/// database lacks, and those the database has that the schema does not.
fn named_differences(backend: Backend, catalog: &Catalog, schema: &Schema) -> Vec<String> {
    let mut differences = Vec::new();
    for table in schema.tables.iter() {
        let Some(found) = catalog.table(&table.name) else { continue };
        let mut wanted: Vec<String> = table
            .uniques
            .iter()
            .map(|u| u.name.to_string())
            .chain(table.indexes.iter().map(|i| i.name.to_string()))
            .chain(table.checks.iter().map(|c| c.name.to_string()))
            .chain(table.foreign_keys.iter().map(|f| f.name.to_string()))
            .collect();
        if backend != Backend::Mysql {
            wanted.push(table.primary_key_name());
        }
        // MySQL lists a unique constraint's name as a constraint and as an index.
        let mut present: Vec<&String> = found.constraints.iter().chain(&found.indexes).collect();
        present.sort();
        present.dedup();
        for name in &wanted {
            if !present.contains(&name) {
                differences.push(format!("constraint or index {name} on {} is missing from the database", table.name));
            }
        }
        for name in present {
            // MySQL backs each foreign key with an index of its name, and
            // MariaDB checks each JSON column with a constraint named after it.
            let implied = table.column(name).is_some();
            if !wanted.contains(name) && !implied {
                differences.push(format!(
                    "constraint or index {name} on {} is in the database but not in the schema",
                    table.name
                ));
            }
        }
    }
    differences
}

/// A type name folded for comparison: lower case, no spaces or quotes, and
/// without MySQL's integer display widths.
fn normalize(ty: &str) -> String {
    let folded: String = ty.to_lowercase().chars().filter(|c| !c.is_whitespace() && *c != '"').collect();
    // MariaDB keeps JSON as LONGTEXT (quarry never declares LONGTEXT itself).
    if folded == "longtext" {
        return "json".to_owned();
    }
    for int in ["tinyint", "smallint", "bigint", "int"] {
        if let Some(width) = folded.strip_prefix(int).filter(|rest| rest.starts_with('(')) {
            if int == "tinyint" && width == "(1)" {
                return "bool".to_owned();
            }
            return int.to_owned();
        }
    }
    folded
}

/// The type the schema's DDL gives `column`, spelled as the backend's
/// catalog reports it, folded by [`normalize`].
fn expected_type(backend: Backend, schema: &Schema, column: &Column) -> String {
    let ddl = normalize(&backend.column_type(schema, column));
    match backend {
        Backend::Sqlite => ddl,
        Backend::Postgres => match ddl.as_str() {
            "time" => "timewithouttimezone".to_owned(),
            "timestamp" => "timestampwithouttimezone".to_owned(),
            "timestamptz" => "timestampwithtimezone".to_owned(),
            other => other.replace("varchar", "charactervarying"),
        },
        Backend::Mysql => match ddl.as_str() {
            "numeric" => "decimal(10,0)".to_owned(),
            other if other.starts_with("numeric") => other.replacen("numeric", "decimal", 1),
            other => other.to_owned(),
        },
    }
}
