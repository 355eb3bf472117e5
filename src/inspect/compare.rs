//! The comparison of a live catalog with a schema: what `quarry check
//! --url` reports.
//!
//! It compares what Alembic's `compare_metadata` compares, and more:
//!
//! - tables and columns missing or extra; a column's type, nullability,
//!   server default (by normalised SQL, see [`normal`](super::normal)) and
//!   comment; a table's comment (comments on PostgreSQL and MySQL only:
//!   SQLite has none);
//! - the primary key's columns (and its name, `pk_<table>`, where the
//!   backend keeps it);
//! - unique constraints and indexes by name, then their columns in order
//!   and uniqueness (a unique constraint and a unique index over the same
//!   columns are the same thing);
//! - foreign keys by name, then their columns, referenced table and
//!   columns, ON DELETE and ON UPDATE (`NO ACTION` is no action given; on
//!   MySQL, whose InnoDB treats them alike, so is `RESTRICT`, and so is
//!   `SET DEFAULT`, which InnoDB accepts but keeps as `RESTRICT`);
//! - CHECK constraints by name, then their condition by normalised SQL.
//!
//! What the database adds by itself is not a difference: SQLite's CHECK on
//! a quarry enum column (compared with the enum's values instead),
//! MariaDB's CHECK on each JSON column, MySQL's index on each foreign key,
//! PostgreSQL's default on a `serial` column quarry declares
//! autoincrement, quarry's own `quarry_migrations` table.

use super::difference::Difference;
use super::normal::{normal_form, same};
use super::tokens::Token;
use super::types::same_type;
use super::{Catalog, Table};
use crate::engine::Backend;
use crate::metadata::db::{self, FkAction, Schema, SqlType};

/// quarry's bookkeeping table, which no schema declares.
const BOOKKEEPING: &str = "quarry_migrations";

/// Every difference between the database `catalog` describes and
/// `schema`, on `backend`: per table of the schema its columns, comment,
/// primary key, unique constraints, indexes, foreign keys and checks, then
/// the tables the schema lacks. An empty list means they match.
pub fn differences(catalog: &Catalog, schema: &Schema, backend: Backend) -> Vec<Difference> {
    let mut out = Vec::new();
    for table in schema.tables.iter() {
        let label = label(backend, table);
        match catalog.table_in(namespace(backend, table), &table.name) {
            None => out.push(Difference::MissingTable { table: label }),
            Some(found) => TableComparison { backend, schema, table, found, label, out: &mut out }.run(),
        }
    }
    for found in &catalog.tables {
        let bookkeeping = found.name == BOOKKEEPING && found.namespace.is_none();
        let declared =
            schema.tables.iter().any(|t| t.name == found.name && namespace(backend, t) == found.namespace.as_deref());
        if !bookkeeping && !declared {
            let table = match &found.namespace {
                Some(namespace) => format!("{namespace}.{}", found.name),
                None => found.name.clone(),
            };
            out.push(Difference::ExtraTable { table });
        }
    }
    out
}

/// The PostgreSQL schema a table lives in; other backends ignore it.
fn namespace(backend: Backend, table: &db::Table) -> Option<&str> {
    table.schema.as_deref().filter(|_| backend == Backend::Postgres)
}

/// The table's name as differences show it.
fn label(backend: Backend, table: &db::Table) -> String {
    match namespace(backend, table) {
        Some(namespace) => format!("{namespace}.{}", table.name),
        None => table.name.to_string(),
    }
}

/// `(a, b)`.
fn list<S: AsRef<str>>(columns: &[S]) -> String {
    format!("({})", columns.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", "))
}

/// A unique key or index, as its difference shows it: `UNIQUE (a, b)` or
/// `(a, b)`.
fn key(columns: &[impl AsRef<str>], unique: bool) -> String {
    if unique {
        format!("UNIQUE {}", list(columns))
    } else {
        list(columns)
    }
}

/// One table of the schema and what the catalog says of it.
struct TableComparison<'a> {
    backend: Backend,
    schema: &'a Schema,
    table: &'a db::Table,
    found: &'a Table,
    label: String,
    out: &'a mut Vec<Difference>,
}

impl TableComparison<'_> {
    fn run(mut self) {
        self.columns();
        self.comment();
        self.primary_key();
        self.keys();
        self.foreign_keys();
        self.checks();
    }

    fn columns(&mut self) {
        let (table, label) = (self.table, self.label.clone());
        for column in table.columns.iter() {
            let name = column.name.to_string();
            let Some(found) = self.found.column(&column.name) else {
                self.out.push(Difference::MissingColumn { table: label.clone(), column: name });
                continue;
            };
            if found.nullable != column.nullable {
                self.out.push(Difference::Nullability {
                    table: label.clone(),
                    column: name.clone(),
                    database: found.nullable,
                });
            }
            if !same_type(self.backend, &found.sql_type, self.schema, column) {
                self.out.push(Difference::Type {
                    table: label.clone(),
                    column: name.clone(),
                    database: found.sql_type.clone(),
                    schema: self.backend.column_type(self.schema, column),
                });
            }
            let expected = column.server_default.as_ref().map(|d| self.backend.default_value(column, d));
            let actual = found.default.clone().filter(|sql| {
                let serial = column.autoincrement && sql.trim_start().to_lowercase().starts_with("nextval(");
                let null = normal_form(sql, self.backend) == [Token::Word("null".into())];
                !serial && !null
            });
            let same_default = match (&actual, &expected) {
                (None, None) => true,
                (Some(actual), Some(expected)) => same(actual, expected, self.backend),
                _ => false,
            };
            if !same_default {
                self.out.push(Difference::Default {
                    table: label.clone(),
                    column: name.clone(),
                    database: actual,
                    schema: expected,
                });
            }
            let expected = column.comment.as_deref().filter(|c| !c.is_empty());
            if self.backend != Backend::Sqlite && found.comment.as_deref() != expected {
                self.out.push(Difference::ColumnComment {
                    table: label.clone(),
                    column: name,
                    database: found.comment.clone(),
                    schema: expected.map(str::to_owned),
                });
            }
        }
        for extra in self.found.columns.iter().filter(|c| table.column(&c.name).is_none()) {
            self.out.push(Difference::ExtraColumn { table: label.clone(), column: extra.name.clone() });
        }
    }

    fn comment(&mut self) {
        let expected = self.table.comment.as_deref().filter(|c| !c.is_empty());
        if self.backend != Backend::Sqlite && self.found.comment.as_deref() != expected {
            self.out.push(Difference::TableComment {
                table: self.label.clone(),
                database: self.found.comment.clone(),
                schema: expected.map(str::to_owned),
            });
        }
    }

    fn primary_key(&mut self) {
        let found = self.found.primary_key.as_ref();
        let columns = found.map(|k| k.columns.as_slice()).unwrap_or_default();
        if columns.iter().map(String::as_str).ne(self.table.primary_key.iter().map(|c| &**c)) {
            self.out.push(Difference::PrimaryKey {
                table: self.label.clone(),
                database: if columns.is_empty() { "none".to_owned() } else { list(columns) },
                schema: list(&self.table.primary_key),
            });
        }
        // MySQL's is always PRIMARY.
        let expected = self.table.primary_key_name();
        let name = found.and_then(|k| k.name.clone());
        if self.backend != Backend::Mysql && found.is_some() && name.as_deref() != Some(expected.as_str()) {
            self.out.push(Difference::MissingConstraint { table: self.label.clone(), name: expected });
            if let Some(name) = name {
                self.out.push(Difference::ExtraConstraint { table: self.label.clone(), name });
            }
        }
    }

    /// Unique constraints and indexes, by name. Either is a set of columns
    /// in order, unique or not.
    fn keys(&mut self) {
        let foreign_keys: Vec<&str> = self
            .found
            .foreign_keys
            .iter()
            .filter_map(|f| f.name.as_deref())
            .chain(self.table.foreign_keys.iter().map(|f| &*f.name))
            .collect();
        let mut found: Vec<(&str, &[String], bool)> = Vec::new();
        for (name, columns, unique) in self
            .found
            .uniques
            .iter()
            .filter_map(|u| Some((u.name.as_deref()?, u.columns.as_slice(), true)))
            .chain(self.found.indexes.iter().map(|i| (i.name.as_str(), i.columns.as_slice(), i.unique)))
        {
            // MySQL lists a unique constraint as an index too.
            if !found.iter().any(|(n, ..)| *n == name) {
                found.push((name, columns, unique));
            }
        }
        let expected = self
            .table
            .uniques
            .iter()
            .map(|u| (&*u.name, &u.columns[..], true, true))
            .chain(self.table.indexes.iter().map(|i| (&*i.name, &i.columns[..], i.unique, false)));
        let mut claimed = Vec::new();
        for (name, columns, unique, constraint) in expected {
            claimed.push(name);
            let Some((_, found_columns, found_unique)) = found.iter().find(|(n, ..)| *n == name) else {
                self.out.push(Difference::MissingConstraint { table: self.label.clone(), name: name.to_owned() });
                continue;
            };
            let same_columns = found_columns.iter().map(String::as_str).eq(columns.iter().map(|c| &**c));
            if same_columns && *found_unique == unique {
                continue;
            }
            let (table, name) = (self.label.clone(), name.to_owned());
            self.out.push(if constraint {
                let database =
                    if *found_unique { list(found_columns) } else { format!("{}, not unique", list(found_columns)) };
                Difference::Unique { table, name, database, schema: list(columns) }
            } else {
                Difference::Index {
                    table,
                    name,
                    database: key(found_columns, *found_unique),
                    schema: key(columns, unique),
                }
            });
        }
        for (name, ..) in found {
            // MySQL makes an index, named after the foreign key, for each
            // foreign key no other index serves.
            let backs_foreign_key = self.backend == Backend::Mysql && foreign_keys.contains(&name);
            if !claimed.contains(&name) && !backs_foreign_key {
                self.out.push(Difference::ExtraConstraint { table: self.label.clone(), name: name.to_owned() });
            }
        }
        for unique in self.found.uniques.iter().filter(|u| u.name.is_none()) {
            self.out.push(Difference::Unnamed {
                table: self.label.clone(),
                definition: format!("UNIQUE {}", list(&unique.columns)),
                in_database: true,
            });
        }
    }

    /// An action as compared: `NO ACTION` for none, and on MySQL for
    /// `RESTRICT` (the same in InnoDB) and `SET DEFAULT` (which InnoDB
    /// accepts and keeps as `RESTRICT`) too.
    fn action(&self, action: Option<FkAction>) -> FkAction {
        match action.unwrap_or(FkAction::NoAction) {
            FkAction::Restrict | FkAction::SetDefault if self.backend == Backend::Mysql => FkAction::NoAction,
            other => other,
        }
    }

    /// A foreign key as its difference shows it.
    fn foreign_key(
        &self,
        columns: &[impl AsRef<str>],
        namespace: Option<&str>,
        table: &str,
        ref_columns: &[impl AsRef<str>],
        on_delete: Option<FkAction>,
        on_update: Option<FkAction>,
    ) -> String {
        let table = match namespace {
            Some(namespace) => format!("{namespace}.{table}"),
            None => table.to_owned(),
        };
        let mut sql = format!("{} REFERENCES {table} {}", list(columns), list(ref_columns));
        for (when, action) in [("DELETE", on_delete), ("UPDATE", on_update)] {
            let action = self.action(action);
            if action != FkAction::NoAction {
                sql.push_str(&format!(" ON {when} {}", action.sql()));
            }
        }
        sql
    }

    fn foreign_keys(&mut self) {
        for fk in self.table.foreign_keys.iter() {
            let Some(found) = self.found.foreign_keys.iter().find(|f| f.name.as_deref() == Some(&*fk.name)) else {
                self.out.push(Difference::MissingConstraint { table: self.label.clone(), name: fk.name.to_string() });
                continue;
            };
            let parent = self.schema.table(&fk.ref_table).and_then(|t| namespace(self.backend, t));
            let schema =
                self.foreign_key(&fk.columns, parent, &fk.ref_table, &fk.ref_columns, fk.on_delete, fk.on_update);
            let database = self.foreign_key(
                &found.columns,
                found.ref_namespace.as_deref(),
                &found.ref_table,
                &found.ref_columns,
                Some(found.on_delete),
                Some(found.on_update),
            );
            if database != schema {
                self.out.push(Difference::ForeignKey {
                    table: self.label.clone(),
                    name: fk.name.to_string(),
                    database,
                    schema,
                });
            }
        }
        for found in &self.found.foreign_keys {
            match &found.name {
                Some(name) if self.table.foreign_keys.iter().all(|fk| fk.name != *name) => {
                    self.out.push(Difference::ExtraConstraint { table: self.label.clone(), name: name.clone() })
                }
                Some(_) => {}
                None => {
                    let definition = self.foreign_key(
                        &found.columns,
                        found.ref_namespace.as_deref(),
                        &found.ref_table,
                        &found.ref_columns,
                        Some(found.on_delete),
                        Some(found.on_update),
                    );
                    self.out.push(Difference::Unnamed {
                        table: self.label.clone(),
                        definition: format!("FOREIGN KEY {definition}"),
                        in_database: true,
                    });
                }
            }
        }
    }

    /// The unnamed checks the schema's DDL gives the table: SQLite's CHECK
    /// on each enum column, listing the enum's values.
    fn enum_checks(&self) -> Vec<String> {
        if self.backend != Backend::Sqlite {
            return Vec::new();
        }
        let mut checks = Vec::new();
        for column in self.table.columns.iter() {
            let SqlType::Enum(name) = &column.sql_type else { continue };
            let values = self.schema.enum_type(name).map(|e| &e.values[..]).unwrap_or_default();
            let values: Vec<String> = values.iter().map(|v| self.backend.string(v)).collect();
            checks.push(format!("{} IN ({})", self.backend.quote(&column.name), values.join(", ")));
        }
        checks
    }

    /// Whether `check` is MariaDB's own on a JSON column of the schema:
    /// named after the column, `json_valid(column)`.
    fn json_check(&self, check: &super::Check) -> bool {
        let Some(name) = check.name.as_deref() else { return false };
        let json = self.table.column(name).is_some_and(|c| matches!(c.sql_type, SqlType::Json | SqlType::Jsonb));
        json && self.backend == Backend::Mysql
            && same(&check.sql, &format!("json_valid({})", self.backend.quote(name)), self.backend)
    }

    fn checks(&mut self) {
        for check in self.table.checks.iter() {
            match self.found.checks.iter().find(|c| c.name.as_deref() == Some(&*check.name)) {
                None => self
                    .out
                    .push(Difference::MissingConstraint { table: self.label.clone(), name: check.name.to_string() }),
                Some(found) if !same(&found.sql, &check.sql, self.backend) => self.out.push(Difference::Check {
                    table: self.label.clone(),
                    name: check.name.to_string(),
                    database: found.sql.clone(),
                    schema: check.sql.to_string(),
                }),
                Some(_) => {}
            }
        }
        let mut unnamed = self.enum_checks();
        for found in &self.found.checks {
            match &found.name {
                None => match unnamed.iter().position(|expected| same(&found.sql, expected, self.backend)) {
                    Some(at) => {
                        unnamed.remove(at);
                    }
                    None => self.out.push(Difference::Unnamed {
                        table: self.label.clone(),
                        definition: format!("CHECK ({})", found.sql),
                        in_database: true,
                    }),
                },
                Some(name) if self.table.checks.iter().all(|c| c.name != *name) && !self.json_check(found) => {
                    self.out.push(Difference::ExtraConstraint { table: self.label.clone(), name: name.clone() })
                }
                Some(_) => {}
            }
        }
        for missing in unnamed {
            self.out.push(Difference::Unnamed {
                table: self.label.clone(),
                definition: format!("CHECK ({missing})"),
                in_database: false,
            });
        }
    }
}
