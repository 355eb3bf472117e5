//! The schema's intermediate representation: plain data, no syn types.
//!
//! The parser (`syntax`) builds it with names as written; `resolve` fills in
//! what is implied (constraint names, relation foreign keys, the primary key
//! declared on columns); `check` rejects what is wrong. Emitters read a
//! resolved, checked `Schema` only.

use serde::{Deserialize, Serialize};

// The enums the IR shares with the schema model, unchanged.
pub use quarry_schema::app::{Cascade, RelationKind};
pub use quarry_schema::db::{FkAction, ServerDefault};

/// A place in a schema file, as byte offsets into its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// Index into [`Schema::files`].
    pub file: usize,
    pub start: usize,
    pub end: usize,
}

/// One schema file that was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceFile {
    /// The path as given to the generator (shown in diagnostics).
    pub path: String,
    pub text: String,
}

/// Everything declared in the schema files, in declaration order.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Schema {
    #[serde(skip)]
    pub files: Vec<SourceFile>,
    pub tables: Vec<Table>,
    pub enums: Vec<Enum>,
    #[serde(skip)]
    positions: Positions,
}

impl Schema {
    /// The table with this SQL name.
    pub fn table(&self, sql_name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == sql_name)
    }

    /// The table declared by the struct with this Rust name.
    pub fn table_by_struct(&self, rust_name: &str) -> Option<&Table> {
        let positions = self
            .positions
            .structs
            .get_or_init(|| first_positions(self.tables.iter().enumerate().map(|(i, t)| (t.struct_name.clone(), i))));
        let indexed = positions.get(rust_name).and_then(|&i| self.tables.get(i));
        match indexed {
            Some(table) if table.struct_name == rust_name => Some(table),
            _ => self.tables.iter().find(|t| t.struct_name == rust_name),
        }
    }

    /// The foreign key constraint named `name`, with the table declaring it.
    pub fn foreign_key(&self, name: &str) -> Option<(&Table, &ForeignKey)> {
        let positions = self.positions.foreign_keys.get_or_init(|| {
            first_positions(self.tables.iter().enumerate().flat_map(|(t, table)| {
                table.foreign_keys.iter().enumerate().map(move |(k, fk)| (fk.name.clone(), (t, k)))
            }))
        });
        let indexed = positions.get(name).and_then(|&(t, k)| {
            let table = self.tables.get(t)?;
            Some((table, table.foreign_keys.get(k)?))
        });
        match indexed {
            Some((table, fk)) if fk.name == name => Some((table, fk)),
            _ => self.tables.iter().find_map(|t| t.foreign_keys.iter().find(|fk| fk.name == name).map(|fk| (t, fk))),
        }
    }

    /// The enum declared with this Rust name.
    pub fn enum_by_name(&self, rust_name: &str) -> Option<&Enum> {
        self.enums.iter().find(|e| e.rust_name == rust_name)
    }
}

/// Where each struct name and foreign key sits in [`Schema::tables`],
/// built on the first lookup: the emitters look names up for every
/// relation, and a scan each time was a tenth of code generation for 300
/// tables (issue 15). A position is checked on use, and a name not found
/// there is scanned for, so a schema changed after the first lookup still
/// answers correctly. It is not part of the schema's value: clones start
/// empty and any two compare equal.
#[derive(Default)]
struct Positions {
    structs: std::sync::OnceLock<std::collections::HashMap<String, usize>>,
    foreign_keys: std::sync::OnceLock<std::collections::HashMap<String, (usize, usize)>>,
}

/// Each name's first position, as a scan finds it (a checked schema has
/// no duplicates; one being checked may).
fn first_positions<P>(entries: impl Iterator<Item = (String, P)>) -> std::collections::HashMap<String, P> {
    let mut positions = std::collections::HashMap::new();
    for (name, position) in entries {
        positions.entry(name).or_insert(position);
    }
    positions
}

impl Clone for Positions {
    fn clone(&self) -> Self {
        Positions::default()
    }
}

impl PartialEq for Positions {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for Positions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Positions")
    }
}

/// A table, declared by a struct with `#[table]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// The model struct's name, e.g. `Author`.
    pub struct_name: String,
    /// The diesel module name (a Rust identifier without `r#`), e.g. `authors`.
    pub module: String,
    /// The SQL table name, e.g. `authors`.
    pub name: String,
    /// The database schema (PostgreSQL namespace), if any.
    pub schema: Option<String>,
    /// Previous SQL name, for migrations (`renamed_from`).
    pub renamed_from: Option<String>,
    /// Doc comment: Rust docs and the table comment.
    pub doc: Option<String>,
    pub columns: Vec<Column>,
    /// Field names of the primary key columns, in key order.
    pub primary_key: Vec<String>,
    pub uniques: Vec<Unique>,
    pub indexes: Vec<Index>,
    pub checks: Vec<Check>,
    pub foreign_keys: Vec<ForeignKey>,
    pub relations: Vec<Relation>,
    #[serde(skip)]
    pub span: Span,
}

impl Table {
    /// A table named `name` with nothing declared yet.
    pub fn empty(name: &str) -> Table {
        Table {
            struct_name: String::new(),
            module: String::new(),
            name: name.to_owned(),
            schema: None,
            renamed_from: None,
            doc: None,
            columns: Vec::new(),
            primary_key: Vec::new(),
            uniques: Vec::new(),
            indexes: Vec::new(),
            checks: Vec::new(),
            foreign_keys: Vec::new(),
            relations: Vec::new(),
            span: Span::default(),
        }
    }

    /// The column whose Rust field is `field`.
    pub fn column(&self, field: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.field == field)
    }

    /// The column whose SQL name is `name`.
    pub fn column_by_sql_name(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether the column `field` is part of the primary key.
    pub fn is_primary_key(&self, field: &str) -> bool {
        self.primary_key.iter().any(|k| k == field)
    }

    /// The name of the primary key constraint.
    pub fn primary_key_name(&self) -> String {
        format!("pk_{}", self.name)
    }
}

/// A column, declared by a struct field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// The Rust field name (without `r#`).
    pub field: String,
    /// The SQL column name.
    pub name: String,
    pub ty: ColumnType,
    pub nullable: bool,
    /// Generated by the database (SERIAL / AUTO_INCREMENT / INTEGER PRIMARY KEY).
    pub autoincrement: bool,
    /// A Rust expression, as source text, applied by `New*::new`.
    pub default: Option<String>,
    /// A default the database applies (DDL `DEFAULT`).
    pub server_default: Option<ServerDefault>,
    pub doc: Option<String>,
    /// Previous SQL name, for migrations (`renamed_from`).
    pub renamed_from: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

impl Column {
    /// Whether an insert may leave this column out.
    pub fn has_default(&self) -> bool {
        self.autoincrement || self.server_default.is_some() || self.default.is_some()
    }
}

/// The SQL type of a column, named after the Rust type it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ColumnType {
    /// `i16`
    SmallInt,
    /// `i32`
    Integer,
    /// `i64`
    BigInt,
    /// `f32`
    Float,
    /// `f64`
    Double,
    /// `bool`
    Bool,
    /// `String` without `max_length`
    Text,
    /// `String` with `max_length = n`
    Varchar(u32),
    /// `BigDecimal`, with `precision` and `scale`
    Numeric { precision: Option<u32>, scale: Option<u32> },
    /// `NaiveDate`
    Date,
    /// `NaiveTime`
    Time,
    /// `NaiveDateTime`
    Timestamp,
    /// `DateTime<Utc>`
    TimestampTz,
    /// `serde_json::Value`
    Json,
    /// `serde_json::Value` with `jsonb` (JSONB on PostgreSQL, JSON elsewhere)
    Jsonb,
    /// `Vec<u8>`
    Binary,
    /// An enum declared in the schema, by its Rust name.
    Enum(String),
}

impl ColumnType {
    /// Whether values of this type are whole numbers.
    pub fn is_integer(&self) -> bool {
        matches!(self, ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt)
    }
}

/// A unique constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unique {
    /// Resolved: given, or `uq_<table>_<columns>`.
    pub name: String,
    /// Field names.
    pub columns: Vec<String>,
    #[serde(skip)]
    pub span: Span,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Index {
    /// Resolved: given, or `ix_<table>_<columns>`.
    pub name: String,
    /// Field names.
    pub columns: Vec<String>,
    pub unique: bool,
    #[serde(skip)]
    pub span: Span,
}

/// A check constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// Resolved: given, or `ck_<table>_<n>`.
    pub name: String,
    /// The SQL condition, copied verbatim.
    pub sql: String,
    #[serde(skip)]
    pub span: Span,
}

/// A foreign key constraint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Resolved: given, or `fk_<table>_<columns>_<ref_table>`.
    pub name: String,
    /// Field names in this table.
    pub columns: Vec<String>,
    /// SQL name of the referenced table.
    pub ref_table: String,
    /// Field names in the referenced table.
    pub ref_columns: Vec<String>,
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
    #[serde(skip)]
    pub span: Span,
}

/// One key of a relation's `order_by`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderBy {
    /// Field name in the target table.
    pub column: String,
    pub desc: bool,
}

/// A relation field: not a column, but a way to reach related rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The field name, e.g. `articles`.
    pub field: String,
    pub kind: RelationKind,
    /// Struct name of the related model, e.g. `Article`.
    pub target: String,
    /// The foreign key this relation follows, by constraint name. For
    /// `belongs_to` it is on this table; for `has_many`/`has_one` on the
    /// target; for `many_to_many` it is the association table's key to this
    /// table. Resolved when not given.
    pub foreign_key: Option<String>,
    /// As written: `foreign_key = field` names the local column(s) of the key.
    pub foreign_key_hint: Option<String>,
    /// `many_to_many` only: SQL name of the association table.
    pub through: Option<String>,
    /// `many_to_many` only: the association table's key to the target.
    pub through_target_key: Option<String>,
    /// The relation field on the target that mirrors this one.
    pub back_populates: Option<String>,
    pub cascade: Cascade,
    /// `passive_deletes`: deleting a row through the session leaves this
    /// relation's dependants to the foreign key's `ON DELETE` (SQLAlchemy's
    /// `passive_deletes=True`).
    #[serde(default)]
    pub passive_deletes: bool,
    pub order_by: Vec<OrderBy>,
    #[serde(skip)]
    pub span: Span,
}

/// A Rust enum stored as text (PostgreSQL enum type, MySQL ENUM, SQLite
/// TEXT with a CHECK).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enum {
    pub rust_name: String,
    /// The SQL type name (PostgreSQL `CREATE TYPE`).
    pub sql_name: String,
    /// The PostgreSQL schema of the type, if any.
    pub schema: Option<String>,
    pub doc: Option<String>,
    pub variants: Vec<EnumVariant>,
    #[serde(skip)]
    pub span: Span,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnumVariant {
    /// The variant's name, without `r#`.
    pub rust_name: String,
    /// The stored text.
    pub value: String,
    #[serde(skip)]
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn foreign_key(name: &str) -> ForeignKey {
        ForeignKey {
            name: name.to_owned(),
            columns: Vec::new(),
            ref_table: String::new(),
            ref_columns: Vec::new(),
            on_delete: None,
            on_update: None,
            span: Span::default(),
        }
    }

    fn table(struct_name: &str, foreign_keys: &[&str]) -> Table {
        let mut table = Table::empty(&struct_name.to_lowercase());
        table.struct_name = struct_name.to_owned();
        table.foreign_keys = foreign_keys.iter().map(|name| foreign_key(name)).collect();
        table
    }

    #[test]
    fn lookups_stay_right_after_the_schema_changes() {
        let mut schema = Schema { tables: vec![table("A", &["fk_a"]), table("B", &["fk_b"])], ..Schema::default() };
        assert_eq!(schema.table_by_struct("B").map(|t| t.name.as_str()), Some("b"));
        assert_eq!(schema.foreign_key("fk_b").map(|(t, _)| t.name.as_str()), Some("b"));

        // Positions are built; now reorder, rename and add.
        schema.tables.swap(0, 1);
        schema.tables[1].struct_name = "C".into();
        schema.tables[0].foreign_keys.push(foreign_key("fk_new"));
        assert_eq!(schema.table_by_struct("B").map(|t| t.name.as_str()), Some("b"));
        assert_eq!(schema.table_by_struct("C").map(|t| t.name.as_str()), Some("a"));
        assert!(schema.table_by_struct("A").is_none());
        assert_eq!(schema.foreign_key("fk_a").map(|(t, _)| t.name.as_str()), Some("a"));
        assert_eq!(schema.foreign_key("fk_new").map(|(t, _)| t.name.as_str()), Some("b"));
        assert!(schema.foreign_key("fk_gone").is_none());

        // The first of two equal names, as a scan finds it.
        let twice = Schema { tables: vec![table("D", &["fk"]), table("D", &["fk"])], ..Schema::default() };
        assert!(std::ptr::eq(twice.table_by_struct("D").unwrap(), &twice.tables[0]));
        assert!(std::ptr::eq(twice.foreign_key("fk").unwrap().0, &twice.tables[0]));
    }
}
