//! Rules for names. Every Rust name the generated module declares must be
//! an identifier that means, where it lands, what the generated code and
//! the macros it expands (diesel's `table!` and derives) expect it to mean;
//! every SQL name must be one that each backend stores as written.
//!
//! The lists below were read off the code quarry emits and off diesel 2.3's
//! `table!` expansion and derives, and checked by compiling generated
//! modules with each name against diesel 2.3: a name on them compiles to
//! errors, so it is refused here, with the reason. Look-alikes not on them
//! (a column `S`, `row` or `usize`, a table `core` or `i32`) compiled.

use std::collections::HashMap;

use proc_macro2::{TokenStream, TokenTree};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ident;
use crate::ir::{Column, ColumnType, Schema, Span, Table};
use crate::resolve::MAX_IDENTIFIER_LEN;

/// Crates named by a relative path in the generated module, with why. A
/// table module, model or enum of that name would shadow the crate there.
/// (Other crates, `chrono` say, are named only by client defaults: a module
/// is refused when a default names it, see `default_roots`.)
const CRATES: &[(&str, &str)] = &[
    ("diesel", "the generated code names `diesel::...`"),
    ("quarry", "the generated code names `quarry::...`"),
    ("std", "diesel's derives name `std::...`"),
    ("serde", "serde's derives (`Builder::serde(true)`) name `serde::...`"),
];

/// Rust's primitive types: a model or enum of that name would shadow the
/// type the generated fields and diesel's code name. (A module does not:
/// rustc falls back to the primitive type.)
const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64",
];

/// Names the generated module defines beside the table modules.
const GENERATED_MODULE_ITEMS: &[&str] = &["sql_types", "METADATA", "create_all", "drop_all"];

/// Names diesel's `table!` defines inside every table module.
const TABLE_MODULE_ITEMS: &[&str] = &["table", "star", "all_columns", "columns", "dsl", "SqlType", "BoxedQuery"];

/// Column names that break diesel's `table!` expansion, which declares a
/// unit struct per column in the table module's `columns` (glob-imported
/// into the table module), with why. A unit struct in scope turns a `let`
/// binding of its name into a pattern, and hides a type parameter's name in
/// an `impl` for the column, a prelude name, or a primitive type.
const TABLE_MACRO_NAMES: &[(&str, &str)] = &[
    ("diesel", "diesel's table module imports that name (`use ::diesel;`)"),
    ("sql_types", "the generated table module imports that name (`use super::sql_types;`)"),
    ("q", "diesel's `table!` binds a variable of that name in the table module (`let q = self.as_query();`)"),
    ("Ok", "diesel's `table!` calls `Ok(())` in the table module, and `NewModel::new` takes a parameter of the column's name"),
    ("Some", "`NewModel::new` takes a parameter of the column's name, which cannot shadow the prelude's `Some`"),
    ("None", "`NewModel::new` takes a parameter of the column's name, which cannot shadow the prelude's `None`"),
    ("Err", "`NewModel::new` takes a parameter of the column's name, which cannot shadow the prelude's `Err`"),
    ("METADATA", "`NewModel::new` takes a parameter of the column's name, which cannot shadow the static `METADATA`"),
    ("DB", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("QS", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("T", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("Left", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("Right", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("Join", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("On", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("From", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("Rhs", "diesel's `table!` uses that name as a type parameter of the column's impls"),
    ("TSM", "diesel's `table!` uses that name as a type parameter of the column's impls (PostgreSQL)"),
    ("bool", "diesel's `table!` names the primitive type `bool` in the table module"),
    ("str", "diesel's `table!` names the primitive type `str` in the table module"),
];

/// Model names that break the code generated for them, with why.
const MODEL_NAMES: &[(&str, &str)] =
    &[("Selectable", "diesel's `Selectable` derive imports the trait `Selectable` beside the model")];

/// Enum names that break the code generated beside them, with why: the
/// enum's impls, and diesel's `SqlType` derive on the unit struct of the same
/// name in `sql_types`.
const ENUM_NAMES: &[(&str, &str)] = &[
    ("DB", "its generated `ToSql` and `FromSql` impls use `DB` as a type parameter"),
    ("lookup", "diesel's `SqlType` derive binds a parameter of that name beside `sql_types::lookup`"),
    ("Some", "diesel's `SqlType` derive calls `Some(...)` beside `sql_types::Some`"),
    ("None", "diesel's `SqlType` derive names `None` beside `sql_types::None`"),
    ("PgTypeMetadata", "diesel's `SqlType` derive imports `PgTypeMetadata` beside `sql_types::PgTypeMetadata`"),
    ("PgMetadataLookup", "diesel's `SqlType` derive imports `PgMetadataLookup` beside `sql_types::PgMetadataLookup`"),
];

/// Every name rule; adds every violation to `errors`.
pub(super) fn check(schema: &Schema, errors: &mut Diagnostics) {
    let default_roots = default_roots(schema);
    for table in &schema.tables {
        rust_name(&table.struct_name, table.span, "struct", errors);
        declared_type(&table.struct_name, table.span, "struct", MODEL_NAMES, errors);
        module(table, &default_roots, errors);
        namespace(table, errors);
        for column in &table.columns {
            rust_name(&column.field, column.span, "field", errors);
            column_field(table, &column.field, &column.name, column.span, errors);
            variant_named_field(schema, column, errors);
        }
        relation_fields(table, errors);
        sql(schema, table, errors);
    }
    for db_enum in &schema.enums {
        rust_name(&db_enum.rust_name, db_enum.span, "enum", errors);
        declared_type(&db_enum.rust_name, db_enum.span, "enum", ENUM_NAMES, errors);
        let mut variants: HashMap<&str, Span> = HashMap::new();
        for variant in &db_enum.variants {
            rust_name(&variant.rust_name, variant.span, "variant", errors);
            if let Some(first) = variants.insert(&variant.rust_name, variant.span) {
                errors.push(
                    Diagnostic::new(
                        variant.span,
                        format!("variant `{}` is declared twice in `{}`", variant.rust_name, db_enum.rust_name),
                    )
                    .note(first, "first declared here"),
                );
            }
            enum_value(&variant.value, variant.span, errors);
        }
        sql_name(&db_enum.sql_name, db_enum.span, Kind::EnumType, errors);
        if let Some(namespace) = &db_enum.schema {
            sql_name(namespace, db_enum.span, Kind::Namespace, errors);
        }
    }
    type_namespace(schema, errors);
}

// ----- Rust names -----------------------------------------------------------------

/// A name written in the schema must be an identifier as rustc reads it.
fn rust_name(name: &str, span: Span, what: &str, errors: &mut Diagnostics) {
    if !ident::is_valid(name) {
        let why = if ident::is_reserved(name) {
            format!("`{name}` cannot be an identifier, not even a raw one (`r#{name}`)")
        } else {
            "use letters, digits and `_`, not starting with a digit".to_owned()
        };
        errors.push(
            Diagnostic::new(span, format!("{what} name `{name}` is not a Rust identifier"))
                .label("not an identifier")
                .hint(why),
        );
    } else if !ident::is_nfc(name) {
        errors.push(
            Diagnostic::new(
                span,
                format!("{what} name `{}` is not in Unicode normalization form C", escape_non_ascii(name)),
            )
            .label(format!("rustc reads this as `{}`", ident::nfc(name)))
            .hint("write the name with composed characters (NFC), as rustc reads it, so that its SQL name matches"),
        );
    }
}

/// `name` with its first letter in upper case: `type` → `Type`.
fn upper_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// `name` with every non-ASCII character written `\u{...}`, to show what
/// normalization would change.
fn escape_non_ascii(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii() { c.to_string() } else { c.escape_unicode().to_string() }).collect()
}

/// Whether `name` looks like the names diesel's derives and `table!` and
/// quarry give the items and type parameters they generate: `__DB`,
/// `__ST0`, `__GB`, `__diesel_internal_out`, `__QUARRY_TABLE_USERS`, ...
fn is_reserved_prefix(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("__") else { return false };
    let lower = rest.to_lowercase();
    rest.starts_with(|c: char| c.is_ascii_uppercase()) || lower.starts_with("diesel") || lower.starts_with("quarry")
}

const RESERVED_PREFIX: &str = "names starting with `__` and an uppercase letter, `__diesel` or `__quarry` are \
                               those diesel and quarry give the items, type parameters and variables they generate";

fn reserved_prefix(name: &str, span: Span, what: &str, errors: &mut Diagnostics) {
    if is_reserved_prefix(name) {
        errors.push(
            Diagnostic::new(span, format!("{what} name `{name}` is reserved for generated code"))
                .label("reserved")
                .hint(RESERVED_PREFIX),
        );
    }
}

/// Why `name` cannot name an item of the generated module, if it cannot;
/// `is_type` for a model or enum, which would also shadow a primitive type.
fn reserved_item(name: &str, is_type: bool, extra: &[(&str, &str)]) -> Option<String> {
    if let Some((_, why)) = CRATES.iter().find(|(c, _)| *c == name) {
        Some(format!("it would shadow the crate `{name}`: {why}"))
    } else if is_type && PRIMITIVES.contains(&name) {
        Some(format!("it would shadow the primitive type `{name}`, which the generated code names"))
    } else {
        extra.iter().find(|(n, _)| *n == name).map(|(_, why)| (*why).to_owned())
    }
}

/// A model or enum: an item of the generated module.
fn declared_type(name: &str, span: Span, what: &str, extra: &[(&str, &str)], errors: &mut Diagnostics) {
    if ident::is_raw_keyword(name) {
        // diesel_derives 2.3 builds `Ident::new("r#types")` from the type's
        // name (its default table name) in every derive, and panics.
        errors.push(
            Diagnostic::new(
                span,
                format!("{what} name `r#{name}` is a raw identifier, which diesel's derives cannot take"),
            )
            .label("a keyword")
            .hint(format!(
                "diesel's derives panic on a type named with `r#`: rename the {what} (e.g. `{}`); the SQL name can \
                     stay `{name}` with `name = \"{name}\"`",
                upper_first(name)
            )),
        );
        return;
    }
    match reserved_item(name, true, extra) {
        Some(why) => errors.push(
            Diagnostic::new(span, format!("{what} name `{name}` is reserved in the generated module"))
                .label("reserved")
                .hint(format!("{why}; rename the {what}")),
        ),
        None => reserved_prefix(name, span, what, errors),
    }
}

/// The table module, named after the SQL table.
fn module(table: &Table, default_roots: &HashMap<String, String>, errors: &mut Diagnostics) {
    let module = &table.module;
    if GENERATED_MODULE_ITEMS.contains(&module.as_str()) {
        errors.push(
            Diagnostic::new(table.span, format!("table module `{module}` would clash with a generated item"))
                .hint("choose another table name"),
        );
        return;
    }
    let why = if let Some(why) = reserved_item(module, false, &[]) {
        why
    } else if is_reserved_prefix(module) {
        RESERVED_PREFIX.to_owned()
    } else if let Some(column) = default_roots.get(module) {
        format!("the client default of `{column}` names `{module}::...`")
    } else {
        return;
    };
    errors.push(
        Diagnostic::new(
            table.span,
            format!(
                "table `{}` would get the Rust module `{module}`, which is reserved in the generated module",
                table.name
            ),
        )
        .label(format!("table `{}`", table.name))
        .hint(format!("{why}; choose another table name (the module is named after it)")),
    );
}

/// The table's PostgreSQL schema: diesel's `table!` writes it as an
/// identifier and takes its SQL name from the spelling, so `r#type` would be
/// the schema `r#type`.
fn namespace(table: &Table, errors: &mut Diagnostics) {
    let Some(namespace) = table.schema.as_deref() else { return };
    if !ident::is_valid(namespace) || ident::is_raw_keyword(namespace) {
        errors.push(
            Diagnostic::new(table.span, format!("schema name `{namespace}` is not a Rust identifier")).hint(
                "diesel's `table!` names the schema as an identifier: use letters, digits and `_`, and no keyword",
            ),
        );
    } else if !ident::is_nfc(namespace) {
        errors.push(
            Diagnostic::new(
                table.span,
                format!("schema name `{}` is not in Unicode normalization form C", escape_non_ascii(namespace)),
            )
            .hint(format!("rustc reads it as `{}`: write it so", ident::nfc(namespace))),
        );
    }
    sql_name(namespace, table.span, Kind::Namespace, errors);
}

/// A column's field names a unit struct in diesel's table module.
fn column_field(table: &Table, field: &str, sql_name: &str, span: Span, errors: &mut Diagnostics) {
    let why = if TABLE_MODULE_ITEMS.contains(&field) || field == table.module {
        "diesel's table module defines that name"
    } else if let Some((_, why)) = TABLE_MACRO_NAMES.iter().find(|(n, _)| *n == field) {
        why
    } else if is_reserved_prefix(field) {
        RESERVED_PREFIX
    } else {
        return;
    };
    errors.push(
        Diagnostic::new(span, format!("a column field cannot be named `{field}`: {why}"))
            .label("reserved in the table module")
            .hint(format!(
                "rename the field and keep the SQL name: `#[column(name = \"{sql_name}\")] pub {field}_: ...`"
            )),
    );
}

/// rustc refuses a binding named like a variant of its own enum type
/// (E0170), and `NewModel::new` binds each column's field.
fn variant_named_field(schema: &Schema, column: &Column, errors: &mut Diagnostics) {
    let ColumnType::Enum(name) = &column.ty else { return };
    let Some(db_enum) = schema.enum_by_name(name) else { return };
    if db_enum.variants.iter().any(|v| v.rust_name == column.field) {
        errors.push(
            Diagnostic::new(
                column.span,
                format!("field `{}` is named like a variant of its type `{name}`", column.field),
            )
            .label(format!("`{name}::{}` is a variant", column.field))
            .hint(format!(
                "rustc refuses a binding named like a variant of its type (E0170), and `New...::new` binds the \
                 field: rename the field and keep the SQL name with `#[column(name = \"{}\")]`",
                column.name
            )),
        );
    }
}

/// A relation field names an associated constant (`ARTICLES`) and a hidden
/// helper of the model.
fn relation_fields(table: &Table, errors: &mut Diagnostics) {
    let mut constants: HashMap<String, (&str, Span)> = HashMap::new();
    for relation in &table.relations {
        rust_name(&relation.field, relation.span, "field", errors);
        reserved_prefix(&relation.field, relation.span, "field", errors);
        let constant = ident::relation_const(&relation.field);
        if !ident::is_valid(&constant) {
            errors.push(
                Diagnostic::new(
                    relation.span,
                    format!(
                        "relation `{}` would get the constant `{constant}`, which is not an identifier",
                        relation.field
                    ),
                )
                .hint("the relation's constant is its name in SHOUTY_SNAKE_CASE: start the name with a letter"),
            );
        } else if let Some((first, at)) = constants.insert(constant.clone(), (&relation.field, relation.span)) {
            errors.push(
                Diagnostic::new(
                    relation.span,
                    format!(
                        "relations `{first}` and `{}` would both get the constant `{}::{constant}`",
                        relation.field, table.struct_name
                    ),
                )
                .note(at, "the other relation")
                .hint("rename one of them"),
            );
        }
    }
}

/// Names a client default reaches by path (`chrono` in `chrono::Utc::now()`),
/// with the column whose default names it.
fn default_roots(schema: &Schema) -> HashMap<String, String> {
    fn walk(tokens: TokenStream, column: &str, out: &mut HashMap<String, String>) {
        let tokens: Vec<TokenTree> = tokens.into_iter().collect();
        for (i, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => walk(group.stream(), column, out),
                TokenTree::Ident(root) => {
                    let is_colon = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == ':');
                    let is_dot = |t: Option<&TokenTree>| matches!(t, Some(TokenTree::Punct(p)) if p.as_char() == '.');
                    let before = i.checked_sub(1).and_then(|j| tokens.get(j));
                    if is_colon(tokens.get(i + 1))
                        && is_colon(tokens.get(i + 2))
                        && !is_colon(before)
                        && !is_dot(before)
                    {
                        let name = root.to_string();
                        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
                        out.entry(name).or_insert_with(|| column.to_owned());
                    }
                }
                _ => {}
            }
        }
    }
    let mut out = HashMap::new();
    for table in &schema.tables {
        for column in &table.columns {
            let Some(default) = &column.default else { continue };
            if let Ok(tokens) = default.parse::<TokenStream>() {
                walk(tokens, &format!("{}.{}", table.struct_name, column.field), &mut out);
            }
        }
    }
    out
}

/// Table modules, models, enums and the generated `New*` and `*Changeset`
/// share the generated module's type namespace.
fn type_namespace(schema: &Schema, errors: &mut Diagnostics) {
    #[derive(Clone, Copy)]
    enum Item<'a> {
        Module(&'a Table),
        Declared,
        Generated(&'a str),
    }
    let mut seen: HashMap<String, (Item, Span)> = HashMap::new();
    let mut items: Vec<(String, Item, Span)> = Vec::new();
    for table in &schema.tables {
        items.push((table.struct_name.clone(), Item::Declared, table.span));
    }
    for db_enum in &schema.enums {
        items.push((db_enum.rust_name.clone(), Item::Declared, db_enum.span));
    }
    for table in &schema.tables {
        items.push((ident::insertable_name(&table.struct_name), Item::Generated(&table.struct_name), table.span));
        items.push((ident::changeset_name(&table.struct_name), Item::Generated(&table.struct_name), table.span));
    }
    for table in &schema.tables {
        items.push((table.module.clone(), Item::Module(table), table.span));
    }
    for (name, item, span) in items {
        let Some(&(first, first_span)) = seen.get(&name) else {
            seen.insert(name, (item, span));
            continue;
        };
        // Items are listed declared first, then generated, then modules.
        let diagnostic = match (first, item) {
            (Item::Declared, Item::Generated(model)) => {
                Diagnostic::new(first_span, format!("`{name}` clashes with the type generated for `{model}`"))
                    .note(span, "generates it")
            }
            (Item::Generated(a), Item::Generated(b)) => {
                Diagnostic::new(span, format!("`{name}` would be generated for both `{a}` and `{b}`"))
                    .note(first_span, "generated for this one too")
                    .hint("rename one of the models")
            }
            (Item::Module(_), Item::Module(table)) => Diagnostic::new(
                span,
                format!("tables `{}` and another map to the same Rust module `{name}`", table.name),
            )
            .note(first_span, "the other table")
            .hint("rename one table"),
            (Item::Declared, Item::Module(table)) if first_span == span => Diagnostic::new(
                span,
                format!("table `{}` and its model would both be named `{name}` in Rust", table.name),
            )
            .label("the model and the table module")
            .hint("modules and types share a namespace: name the struct in CamelCase, or the table differently"),
            (Item::Declared | Item::Generated(_), Item::Module(table)) => {
                let what = match first {
                    Item::Generated(model) => format!("the type generated for `{model}`"),
                    _ => "a type of the same name".to_owned(),
                };
                Diagnostic::new(span, format!("table module `{name}` clashes with {what}"))
                    .label(format!("table `{}` gets this Rust module", table.name))
                    .note(first_span, "the type")
                    .hint("modules and types share a namespace: rename the table or the type")
            }
            // `resolve` reports a type declared twice.
            _ => continue,
        };
        errors.push(diagnostic);
    }
}

// ----- SQL names ------------------------------------------------------------------

/// What an SQL name names; decides the rules that apply.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Table,
    Column,
    /// Unique, check or foreign key constraint.
    Constraint,
    Index,
    EnumType,
    /// A PostgreSQL schema.
    Namespace,
}

impl Kind {
    fn what(self) -> &'static str {
        match self {
            Kind::Table => "table",
            Kind::Column => "column",
            Kind::Constraint | Kind::Index => "constraint",
            Kind::EnumType => "enum type",
            Kind::Namespace => "schema",
        }
    }

    /// Whether MySQL and MariaDB see this name.
    fn on_mysql(self) -> bool {
        matches!(self, Kind::Table | Kind::Column | Kind::Constraint | Kind::Index)
    }
}

/// A rule an SQL name breaks.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Problem {
    Empty,
    TooLong,
    Nul,
    OutsideBmp(char),
    TrailingSpace,
    SqlitePrefix,
    PgPrefix,
    Primary,
}

fn problems(name: &str, kind: Kind) -> Vec<Problem> {
    let mut found = Vec::new();
    if name.is_empty() {
        found.push(Problem::Empty);
    }
    if name.len() > MAX_IDENTIFIER_LEN {
        found.push(Problem::TooLong);
    }
    if name.contains('\0') {
        found.push(Problem::Nul);
    }
    if let Some(c) = name.chars().find(|c| u32::from(*c) > 0xFFFF).filter(|_| kind.on_mysql()) {
        found.push(Problem::OutsideBmp(c));
    }
    if name.ends_with(' ') && matches!(kind, Kind::Table | Kind::Column) {
        found.push(Problem::TrailingSpace);
    }
    let lower = name.to_lowercase();
    if lower.starts_with("sqlite_") && matches!(kind, Kind::Table | Kind::Index) {
        found.push(Problem::SqlitePrefix);
    }
    if lower.starts_with("pg_") && kind == Kind::Namespace {
        found.push(Problem::PgPrefix);
    }
    if lower == "primary" && matches!(kind, Kind::Index | Kind::Constraint) {
        found.push(Problem::Primary);
    }
    found
}

fn report(name: &str, span: Span, kind: Kind, problem: Problem) -> Diagnostic {
    let what = kind.what();
    match problem {
        Problem::Empty => Diagnostic::new(span, format!("{what} name is empty")),
        Problem::TooLong => {
            Diagnostic::new(span, format!("{what} name `{name}` is longer than {MAX_IDENTIFIER_LEN} bytes"))
                .hint("PostgreSQL would silently cut it; choose a shorter name")
        }
        Problem::Nul => {
            Diagnostic::new(span, format!("{what} name `{}` contains the NUL character", name.escape_default()))
                .hint("no backend accepts NUL in a name")
        }
        Problem::OutsideBmp(c) => Diagnostic::new(
            span,
            format!(
                "{what} name `{name}` contains `{c}` (U+{:04X}), outside Unicode's Basic Multilingual Plane",
                u32::from(c)
            ),
        )
        .hint("MySQL and MariaDB accept only characters up to U+FFFF in names; choose another name"),
        Problem::TrailingSpace => Diagnostic::new(span, format!("{what} name `{name}` ends with a space"))
            .hint("MySQL and MariaDB do not accept table and column names that end with a space"),
        Problem::SqlitePrefix => Diagnostic::new(span, format!("{what} name `{name}` starts with `sqlite_`"))
            .hint("SQLite reserves table and index names starting with `sqlite_` for itself"),
        Problem::PgPrefix => Diagnostic::new(span, format!("schema name `{name}` starts with `pg_`"))
            .hint("PostgreSQL reserves schema names starting with `pg_` for system schemas"),
        Problem::Primary => Diagnostic::new(span, format!("{what} name `{name}` is MySQL's name of the primary key"))
            .hint("MySQL names the primary key `PRIMARY`; no other index or key may use that name"),
    }
}

fn sql_name(name: &str, span: Span, kind: Kind, errors: &mut Diagnostics) {
    for problem in problems(name, kind) {
        errors.push(report(name, span, kind, problem));
    }
}

/// The SQL names of a table, its columns, constraints and indexes, and the
/// text quarry copies into its DDL.
fn sql(schema: &Schema, table: &Table, errors: &mut Diagnostics) {
    sql_name(&table.name, table.span, Kind::Table, errors);
    let key = table.primary_key_name();
    if key.len() > MAX_IDENTIFIER_LEN && table.name.len() <= MAX_IDENTIFIER_LEN {
        errors.push(
            Diagnostic::new(
                table.span,
                format!(
                    "the primary key constraint `{key}` of table `{}` is longer than {MAX_IDENTIFIER_LEN} bytes",
                    table.name
                ),
            )
            .hint(format!(
                "the primary key is named `pk_<table>`: keep the table name to {} bytes",
                MAX_IDENTIFIER_LEN - 3
            )),
        );
    }
    for column in &table.columns {
        sql_name(&column.name, column.span, Kind::Column, errors);
        nul_in_text(column.doc.as_deref(), column.span, "the doc comment", errors);
        if let Some(crate::ir::ServerDefault::Str(text) | crate::ir::ServerDefault::Sql(text)) = &column.server_default
        {
            nul_in_text(Some(text), column.span, "the server default", errors);
        }
    }
    nul_in_text(table.doc.as_deref(), table.span, "the doc comment", errors);
    // Conventional names are made of the table's and columns' names: a
    // problem already reported for those is not reported again.
    let inherited = |problem: &Problem, ref_table: Option<&str>| {
        let parent = ref_table.and_then(|name| schema.table(name)).map(|t| t.name.as_str());
        std::iter::once(table.name.as_str())
            .chain(table.columns.iter().map(|c| c.name.as_str()))
            .chain(parent)
            .any(|name| problems(name, Kind::Column).contains(problem))
    };
    let names = table
        .uniques
        .iter()
        .map(|u| (&u.name, u.span, Kind::Constraint, None))
        .chain(table.indexes.iter().map(|i| (&i.name, i.span, Kind::Index, None)))
        .chain(table.checks.iter().map(|c| (&c.name, c.span, Kind::Constraint, None)))
        .chain(table.foreign_keys.iter().map(|f| (&f.name, f.span, Kind::Constraint, Some(f.ref_table.as_str()))));
    for (name, span, kind, ref_table) in names {
        for problem in problems(name, kind) {
            if !inherited(&problem, ref_table) {
                errors.push(report(name, span, kind, problem));
            }
        }
    }
    for check in &table.checks {
        nul_in_text(Some(&check.sql), check.span, "the check's condition", errors);
    }
}

/// Text quarry copies into SQL: PostgreSQL stores no NUL in text.
fn nul_in_text(text: Option<&str>, span: Span, what: &str, errors: &mut Diagnostics) {
    if text.is_some_and(|t| t.contains('\0')) {
        errors.push(
            Diagnostic::new(span, format!("{what} contains the NUL character"))
                .hint("PostgreSQL cannot store NUL in text, and quarry copies this into SQL"),
        );
    }
}

/// A value of an enum: PostgreSQL stores it as an enum label, MySQL in an
/// `ENUM` column.
fn enum_value(value: &str, span: Span, errors: &mut Diagnostics) {
    let problem = if value.contains('\0') {
        Some(("contains the NUL character", "PostgreSQL cannot store NUL in an enum label".to_owned()))
    } else if value.len() > MAX_IDENTIFIER_LEN {
        Some(("is too long", format!("PostgreSQL's enum labels hold at most {MAX_IDENTIFIER_LEN} bytes")))
    } else if value.ends_with(' ') {
        Some(("ends with a space", "MySQL and MariaDB drop trailing spaces from `ENUM` values".to_owned()))
    } else {
        None
    };
    if let Some((what, hint)) = problem {
        errors.push(
            Diagnostic::new(span, format!("the stored value `{}` {what}", value.escape_default()))
                .label("stored as this value")
                .hint(hint),
        );
    }
}
