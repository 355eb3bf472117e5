//! Static descriptions of the generated schema: tables, columns,
//! constraints, relations and DDL.
//!
//! The build script emits one [`Metadata`] value per schema, `METADATA` in
//! the generated module. It is plain `'static` data: reading it costs nothing
//! and it never changes at run time.

/// Everything the generator knows about one schema.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct Metadata {
    /// Tables in declaration order.
    pub tables: &'static [TableMeta],
    /// Enums declared in the schema.
    pub enums: &'static [EnumMeta],
    /// `create_all` / `drop_all` statements for each backend.
    pub ddl: Ddl,
}

impl Metadata {
    #[doc(hidden)]
    pub const fn __new(tables: &'static [TableMeta], enums: &'static [EnumMeta], ddl: Ddl) -> Self {
        Metadata { tables, enums, ddl }
    }

    /// The table with this SQL name.
    pub fn table(&self, name: &str) -> Option<&'static TableMeta> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// One table.
#[derive(Debug, Clone, Copy)]
pub struct TableMeta {
    /// SQL name.
    pub name: &'static str,
    /// PostgreSQL schema (namespace), if any.
    pub schema: Option<&'static str>,
    /// The model struct's name.
    pub struct_name: &'static str,
    /// The doc comment, also the table comment.
    pub comment: Option<&'static str>,
    pub columns: &'static [ColumnMeta],
    /// SQL names of the primary key columns, in key order.
    pub primary_key: &'static [&'static str],
    pub uniques: &'static [ConstraintMeta],
    pub indexes: &'static [IndexMeta],
    pub checks: &'static [CheckMeta],
    pub foreign_keys: &'static [ForeignKeyMeta],
    pub relations: &'static [RelationMeta],
    /// The table's place in foreign-key order, computed once by the code
    /// generator (the order `create_all` creates tables in): every table it
    /// references, itself and keys that close a cycle aside, has a lower
    /// rank. The unit of work writes tables in this order.
    pub rank: u16,
}

impl TableMeta {
    /// The column with this SQL name.
    pub fn column(&self, name: &str) -> Option<&'static ColumnMeta> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The relation with this field name.
    pub fn relation(&self, name: &str) -> Option<&'static RelationMeta> {
        self.relations.iter().find(|r| r.name == name)
    }
}

/// The SQL type of a column, independent of backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SqlType {
    SmallInt,
    Integer,
    BigInt,
    Float,
    Double,
    Bool,
    Text,
    /// `VARCHAR(n)`
    Varchar(u32),
    /// `NUMERIC(precision, scale)`
    Numeric {
        precision: Option<u32>,
        scale: Option<u32>,
    },
    Date,
    Time,
    Timestamp,
    TimestampTz,
    Json,
    Jsonb,
    Binary,
    /// An enum of the schema, by its SQL type name.
    Enum(&'static str),
}

/// A default the database applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerDefault {
    /// A literal, as SQL text (`0`, `'draft'`, `TRUE`).
    Literal(&'static str),
    /// `CURRENT_TIMESTAMP`
    CurrentTimestamp,
    /// `CURRENT_DATE`
    CurrentDate,
    /// An SQL expression, verbatim.
    Sql(&'static str),
}

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct ColumnMeta {
    /// SQL name.
    pub name: &'static str,
    /// Rust field name.
    pub field: &'static str,
    pub sql_type: SqlType,
    pub nullable: bool,
    pub autoincrement: bool,
    /// The client default, as Rust source text.
    pub default: Option<&'static str>,
    pub server_default: Option<ServerDefault>,
    /// The doc comment, also the column comment.
    pub comment: Option<&'static str>,
}

/// A named unique constraint.
#[derive(Debug, Clone, Copy)]
pub struct ConstraintMeta {
    pub name: &'static str,
    /// SQL column names.
    pub columns: &'static [&'static str],
}

/// An index.
#[derive(Debug, Clone, Copy)]
pub struct IndexMeta {
    pub name: &'static str,
    /// SQL column names.
    pub columns: &'static [&'static str],
    pub unique: bool,
}

/// A check constraint.
#[derive(Debug, Clone, Copy)]
pub struct CheckMeta {
    pub name: &'static str,
    /// The condition, as SQL.
    pub sql: &'static str,
}

/// What a foreign key does on delete or update of the referenced row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

/// A foreign key constraint.
#[derive(Debug, Clone, Copy)]
pub struct ForeignKeyMeta {
    pub name: &'static str,
    /// SQL column names in this table.
    pub columns: &'static [&'static str],
    /// SQL name of the referenced table.
    pub ref_table: &'static str,
    /// SQL column names in the referenced table.
    pub ref_columns: &'static [&'static str],
    pub on_delete: Option<FkAction>,
    pub on_update: Option<FkAction>,
}

/// The cardinality of a relation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelationKind {
    HasMany,
    HasOne,
    BelongsTo,
    ManyToMany,
}

/// What a relation carries to related rows (SQLAlchemy's `cascade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cascade {
    pub save_update: bool,
    pub merge: bool,
    pub delete: bool,
    pub delete_orphan: bool,
    pub refresh_expire: bool,
}

/// A relation: how rows of one table reach rows of another.
///
/// For every kind, `local_columns[i]` of this table equals
/// `remote_columns[i]` of the next table on the path: the target, or for
/// many-to-many the association table (whose `through` holds the second hop).
#[derive(Debug, Clone, Copy)]
pub struct RelationMeta {
    /// The relation's field name.
    pub name: &'static str,
    pub kind: RelationKind,
    /// SQL name of the table the relation starts from.
    pub table: &'static str,
    /// SQL name of the related table.
    pub target: &'static str,
    /// SQL columns of this table.
    pub local_columns: &'static [&'static str],
    /// SQL columns of the target (or of the association table).
    pub remote_columns: &'static [&'static str],
    /// For many-to-many: the association table and its columns pointing at
    /// the target, paired with the target's columns.
    pub through: Option<ThroughMeta>,
    pub back_populates: Option<&'static str>,
    pub cascade: Cascade,
    /// `(target column, descending)` pairs.
    pub order_by: &'static [(&'static str, bool)],
}

/// The association table of a many-to-many relation.
#[derive(Debug, Clone, Copy)]
pub struct ThroughMeta {
    /// SQL name of the association table.
    pub table: &'static str,
    /// Its columns that reference the target.
    pub target_columns: &'static [&'static str],
    /// The target's columns they reference.
    pub target_ref_columns: &'static [&'static str],
}

/// An enum stored as text.
#[derive(Debug, Clone, Copy)]
pub struct EnumMeta {
    /// SQL type name.
    pub name: &'static str,
    pub schema: Option<&'static str>,
    /// The stored values, in declaration order.
    pub values: &'static [&'static str],
}

/// DDL for one backend: statements to create and to drop every table, in
/// foreign-key order.
#[derive(Debug, Clone, Copy)]
pub struct DdlScript {
    pub create: &'static [&'static str],
    pub drop: &'static [&'static str],
}

/// DDL for every backend.
#[derive(Debug, Clone, Copy)]
pub struct Ddl {
    pub sqlite: DdlScript,
    pub postgres: DdlScript,
    pub mysql: DdlScript,
}
