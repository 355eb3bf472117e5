//! Phase 2: connect names across items and fill in what is implied.
//!
//! Resolves enum column types, foreign-key targets (to field names of the
//! referenced table), constraint names (SQLAlchemy-style naming convention),
//! diesel module names, and the foreign key behind every relation. Reports
//! every name that does not resolve, with the closest existing name.

use std::collections::HashMap;

use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::ident;
use crate::ir::{ColumnType, ForeignKey, RelationKind, Schema, Span, Table};

pub use quarry_schema::db::{shorten, MAX_IDENTIFIER_LEN};

/// Resolves names in place; returns every error found.
pub fn resolve(schema: &mut Schema) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    duplicates(schema, &mut errors);
    for table in &mut schema.tables {
        table.module = ident::sanitize(&table.name);
    }
    enum_types(schema, &mut errors);
    local_columns(schema, &mut errors);
    foreign_keys(schema, &mut errors);
    constraint_names(schema);
    errors.propagate()?;
    let mut errors = Diagnostics::default();
    relations(schema, &mut errors);
    back_populates(schema, &mut errors);
    errors.propagate()
}

/// Tables, structs, enums and columns declared twice.
fn duplicates(schema: &Schema, errors: &mut Diagnostics) {
    let mut names: HashMap<String, Span> = HashMap::new();
    let mut types: HashMap<String, Span> = HashMap::new();
    for table in &schema.tables {
        if let Some(first) = names.insert(table.name.to_lowercase(), table.span) {
            errors.push(
                Diagnostic::new(table.span, format!("table `{}` is declared twice", table.name))
                    .label("second declaration")
                    .note(first, "first declared here")
                    .hint("rename one of them with `#[table(name = \"...\")]`"),
            );
        }
        if let Some(first) = types.insert(table.struct_name.clone(), table.span) {
            errors.push(
                Diagnostic::new(table.span, format!("`{}` is declared twice", table.struct_name))
                    .label("second declaration")
                    .note(first, "first declared here"),
            );
        }
        let mut fields: HashMap<&str, Span> = HashMap::new();
        let mut columns: HashMap<String, Span> = HashMap::new();
        for column in &table.columns {
            if let Some(first) = fields.insert(&column.field, column.span) {
                errors.push(
                    Diagnostic::new(
                        column.span,
                        format!("column `{}` is declared twice in `{}`", column.field, table.struct_name),
                    )
                    .note(first, "first declared here"),
                );
            } else if let Some(first) = columns.insert(column.name.to_lowercase(), column.span) {
                errors.push(
                    Diagnostic::new(
                        column.span,
                        format!("column `{}` is declared twice in table `{}`", column.name, table.name),
                    )
                    .label("a second column with this SQL name")
                    .note(first, "first declared here")
                    .hint("give one of them another `#[column(name = \"...\")]`"),
                );
            }
        }
        for relation in &table.relations {
            if let Some(first) = fields.insert(&relation.field, relation.span) {
                errors.push(
                    Diagnostic::new(
                        relation.span,
                        format!("field `{}` is declared twice in `{}`", relation.field, table.struct_name),
                    )
                    .note(first, "first declared here"),
                );
            }
        }
    }
    for db_enum in &schema.enums {
        if let Some(first) = types.insert(db_enum.rust_name.clone(), db_enum.span) {
            errors.push(
                Diagnostic::new(db_enum.span, format!("`{}` is declared twice", db_enum.rust_name))
                    .label("second declaration")
                    .note(first, "first declared here"),
            );
        }
    }
}

/// Column types that name an enum must name a declared `#[db_enum]`.
fn enum_types(schema: &Schema, errors: &mut Diagnostics) {
    let enums: Vec<&str> = schema.enums.iter().map(|e| e.rust_name.as_str()).collect();
    for table in &schema.tables {
        for column in &table.columns {
            let ColumnType::Enum(name) = &column.ty else {
                continue;
            };
            if name.is_empty() || enums.contains(&name.as_str()) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(column.span, format!("unknown column type `{name}`"))
                .label(format!("`{}` has type `{name}`", column.field));
            if schema.table_by_struct(name).is_some() {
                diagnostic = diagnostic.hint(format!(
                    "`{name}` is a table; a field that reaches another table needs `#[relation(belongs_to, ...)]`"
                ));
            } else if let Some(hint) =
                did_you_mean(name, enums.iter().copied().chain(crate::syntax::SCALAR_TYPES.iter().copied()))
            {
                diagnostic = diagnostic.hint(hint);
            } else {
                diagnostic = diagnostic.hint(format!(
                    "declare it with `#[db_enum] enum {name} {{ ... }}` in a schema file, or use one of quarry's \
                     column types: i16, i32, i64, f32, f64, bool, String, BigDecimal, NaiveDate, NaiveTime, \
                     NaiveDateTime, DateTime<Utc>, serde_json::Value, Vec<u8>"
                ));
            }
            errors.push(diagnostic);
        }
    }
}

/// Columns named by the table's own constraints must exist.
fn local_columns(schema: &mut Schema, errors: &mut Diagnostics) {
    for table in &mut schema.tables {
        let fields: Vec<String> = table.columns.iter().map(|c| c.field.clone()).collect();
        let lookup = |name: &str, span: Span, what: &str, table: &Table, errors: &mut Diagnostics| -> Option<String> {
            if fields.iter().any(|f| f == name) {
                return Some(name.to_owned());
            }
            if let Some(column) = table.column_by_sql_name(name) {
                return Some(column.field.clone());
            }
            let mut d = Diagnostic::new(
                span,
                format!("{what} names `{name}`, which is not a column of `{}`", table.struct_name),
            )
            .label("unknown column");
            if let Some(hint) = did_you_mean(name, fields.iter().map(String::as_str)) {
                d = d.hint(hint);
            }
            errors.push(d);
            None
        };
        let snapshot = table.clone();
        let pk: Vec<String> = snapshot
            .primary_key
            .iter()
            .filter_map(|c| lookup(c, snapshot.span, "the primary key", &snapshot, errors))
            .collect();
        table.primary_key = pk;
        for unique in &mut table.uniques {
            unique.columns = unique
                .columns
                .iter()
                .filter_map(|c| lookup(c, unique.span, "a unique constraint", &snapshot, errors))
                .collect();
        }
        for index in &mut table.indexes {
            index.columns =
                index.columns.iter().filter_map(|c| lookup(c, index.span, "an index", &snapshot, errors)).collect();
        }
        for fk in &mut table.foreign_keys {
            fk.columns =
                fk.columns.iter().filter_map(|c| lookup(c, fk.span, "a foreign key", &snapshot, errors)).collect();
        }
    }
}

/// Foreign keys must reference existing, unique columns of the same type.
fn foreign_keys(schema: &mut Schema, errors: &mut Diagnostics) {
    let tables = schema.tables.clone();
    let table_names: Vec<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    for table in &mut schema.tables {
        for fk in &mut table.foreign_keys {
            let Some(target) = tables.iter().find(|t| t.name == fk.ref_table || t.module == fk.ref_table) else {
                let mut d = Diagnostic::new(fk.span, format!("foreign key to unknown table `{}`", fk.ref_table))
                    .label("no table has this name");
                if let Some(hint) = did_you_mean(&fk.ref_table, table_names.iter().copied()) {
                    d = d.hint(hint);
                } else if let Some(by_struct) = tables.iter().find(|t| t.struct_name == fk.ref_table) {
                    d = d.hint(format!("references name the SQL table: `{}`", by_struct.name));
                }
                errors.push(d);
                continue;
            };
            fk.ref_table = target.name.clone();
            let mut resolved = Vec::new();
            for name in &fk.ref_columns {
                match target.column_by_sql_name(name).or_else(|| target.column(name)) {
                    Some(column) => resolved.push(column.field.clone()),
                    None => {
                        let mut d =
                            Diagnostic::new(fk.span, format!("foreign key to unknown column `{}.{name}`", target.name))
                                .label(format!("`{}` has no column `{name}`", target.name));
                        if let Some(hint) = did_you_mean(name, target.columns.iter().map(|c| c.name.as_str())) {
                            d = d.hint(hint);
                        }
                        errors.push(d);
                    }
                }
            }
            if resolved.len() != fk.ref_columns.len() {
                continue;
            }
            fk.ref_columns = resolved;
            if fk.columns.len() != fk.ref_columns.len() {
                errors.push(Diagnostic::new(
                    fk.span,
                    format!("foreign key has {} column(s) but references {}", fk.columns.len(), fk.ref_columns.len()),
                ));
                continue;
            }
            let Some(own) = tables.iter().find(|t| t.struct_name == table.struct_name) else { continue };
            for (local, remote) in fk.columns.iter().zip(&fk.ref_columns) {
                let (Some(l), Some(r)) = (own.column(local), target.column(remote)) else {
                    continue;
                };
                if !same_base_type(&l.ty, &r.ty) {
                    errors.push(
                        Diagnostic::new(
                            l.span,
                            format!(
                                "foreign key type mismatch: `{}.{}` is {} but `{}.{}` is {}",
                                table.name,
                                l.name,
                                type_name(&l.ty),
                                target.name,
                                r.name,
                                type_name(&r.ty)
                            ),
                        )
                        .label(format!("should be {}", type_name(&r.ty)))
                        .note(r.span, "the referenced column"),
                    );
                }
            }
            let is_key = target.primary_key == fk.ref_columns
                || target.uniques.iter().any(|u| u.columns == fk.ref_columns)
                || target.indexes.iter().any(|i| i.unique && i.columns == fk.ref_columns);
            if !is_key {
                errors.push(
                    Diagnostic::new(
                        fk.span,
                        format!(
                            "foreign key references `{}({})`, which is neither the primary key nor unique",
                            target.name,
                            fk.ref_columns.join(", ")
                        ),
                    )
                    .hint("reference the primary key, or declare the referenced columns unique"),
                );
            }
        }
    }
}

fn same_base_type(a: &ColumnType, b: &ColumnType) -> bool {
    match (a, b) {
        // A column whose type did not parse was reported already.
        (ColumnType::Enum(x), _) | (_, ColumnType::Enum(x)) if x.is_empty() => true,
        (ColumnType::Text | ColumnType::Varchar(_), ColumnType::Text | ColumnType::Varchar(_)) => true,
        (ColumnType::Numeric { .. }, ColumnType::Numeric { .. }) => true,
        (ColumnType::Json | ColumnType::Jsonb, ColumnType::Json | ColumnType::Jsonb) => true,
        _ => a == b,
    }
}

/// The Rust type a column type is written as, for messages.
pub fn type_name(ty: &ColumnType) -> String {
    match ty {
        ColumnType::SmallInt => "i16".into(),
        ColumnType::Integer => "i32".into(),
        ColumnType::BigInt => "i64".into(),
        ColumnType::Float => "f32".into(),
        ColumnType::Double => "f64".into(),
        ColumnType::Bool => "bool".into(),
        ColumnType::Text | ColumnType::Varchar(_) => "String".into(),
        ColumnType::Numeric { .. } => "BigDecimal".into(),
        ColumnType::Date => "NaiveDate".into(),
        ColumnType::Time => "NaiveTime".into(),
        ColumnType::Timestamp => "NaiveDateTime".into(),
        ColumnType::TimestampTz => "DateTime<Utc>".into(),
        ColumnType::Json | ColumnType::Jsonb => "serde_json::Value".into(),
        ColumnType::Binary => "Vec<u8>".into(),
        ColumnType::Enum(name) => name.clone(),
    }
}

/// Fills unnamed constraints with SQLAlchemy-style conventional names:
/// `uq_<table>_<cols>`, `ix_<table>_<cols>`, `fk_<table>_<cols>_<ref>`,
/// `ck_<table>_<n>`, shortened with a hash past 63 bytes.
fn constraint_names(schema: &mut Schema) {
    for table in &mut schema.tables {
        let sql = |t: &Table, fields: &[String]| -> String {
            fields.iter().map(|f| t.column(f).map_or(f.as_str(), |c| c.name.as_str())).collect::<Vec<_>>().join("_")
        };
        let snapshot = table.clone();
        for unique in &mut table.uniques {
            if unique.name.is_empty() {
                unique.name = shorten(format!("uq_{}_{}", snapshot.name, sql(&snapshot, &unique.columns)));
            }
        }
        for index in &mut table.indexes {
            if index.name.is_empty() {
                index.name = shorten(format!("ix_{}_{}", snapshot.name, sql(&snapshot, &index.columns)));
            }
        }
        for fk in &mut table.foreign_keys {
            if fk.name.is_empty() {
                let columns: Vec<quarry_schema::Str> = fk
                    .columns
                    .iter()
                    .map(|f| snapshot.column(f).map_or(f.clone(), |c| c.name.clone()).into())
                    .collect();
                fk.name = quarry_schema::db::ForeignKey::conventional_name(&snapshot.name, &columns, &fk.ref_table);
            }
        }
        for (n, check) in table.checks.iter_mut().enumerate() {
            if check.name.is_empty() {
                check.name = shorten(format!("ck_{}_{}", snapshot.name, n + 1));
            }
        }
    }
}

/// Finds the foreign key behind every relation.
fn relations(schema: &mut Schema, errors: &mut Diagnostics) {
    let tables = schema.tables.clone();
    for table in &mut schema.tables {
        for relation in &mut table.relations {
            let Some(target) = tables.iter().find(|t| t.struct_name == relation.target) else {
                let mut d = Diagnostic::new(
                    relation.span,
                    format!("relation `{}` targets unknown model `{}`", relation.field, relation.target),
                );
                if let Some(hint) = did_you_mean(&relation.target, tables.iter().map(|t| t.struct_name.as_str())) {
                    d = d.hint(hint);
                }
                errors.push(d);
                continue;
            };
            let Some(this) = tables.iter().find(|t| t.struct_name == table.struct_name) else { continue };
            for key in &relation.order_by {
                if target.column(&key.column).is_none() {
                    let mut d = Diagnostic::new(
                        relation.span,
                        format!("`order_by` names `{}`, which is not a column of `{}`", key.column, target.struct_name),
                    );
                    if let Some(hint) = did_you_mean(&key.column, target.columns.iter().map(|c| c.field.as_str())) {
                        d = d.hint(hint);
                    }
                    errors.push(d);
                }
            }
            let hint = relation.foreign_key_hint.clone();
            let pick = |holder: &Table, to: &str| -> Vec<ForeignKey> {
                holder
                    .foreign_keys
                    .iter()
                    .filter(|fk| fk.ref_table == to)
                    .filter(|fk| {
                        hint.as_ref().is_none_or(|h| fk.columns.len() == 1 && &fk.columns[0] == h || &fk.name == h)
                    })
                    .cloned()
                    .collect()
            };
            let found = match relation.kind {
                RelationKind::BelongsTo => pick(this, &target.name),
                RelationKind::HasMany | RelationKind::HasOne => pick(target, &this.name),
                RelationKind::ManyToMany => {
                    let through_name = relation.through.clone().unwrap_or_default();
                    let Some(through) = tables.iter().find(|t| t.name == through_name || t.module == through_name)
                    else {
                        let mut d = Diagnostic::new(
                            relation.span,
                            format!("relation `{}` goes through unknown table `{through_name}`", relation.field),
                        );
                        if let Some(h) = did_you_mean(&through_name, tables.iter().map(|t| t.name.as_str())) {
                            d = d.hint(h);
                        }
                        errors.push(d);
                        continue;
                    };
                    relation.through = Some(through.name.clone());
                    let to_target: Vec<&ForeignKey> =
                        through.foreign_keys.iter().filter(|fk| fk.ref_table == target.name).collect();
                    let to_this = pick(through, &this.name);
                    if this.name != target.name {
                        if let [one] = to_target.as_slice() {
                            relation.through_target_key = Some(one.name.clone());
                        }
                    } else if let [only_this] = to_this.as_slice() {
                        let other: Vec<&&ForeignKey> =
                            to_target.iter().filter(|fk| fk.name != only_this.name).collect();
                        if let [one] = other.as_slice() {
                            relation.through_target_key = Some(one.name.clone());
                        }
                    }
                    if relation.through_target_key.is_none() {
                        errors.push(
                            Diagnostic::new(
                                relation.span,
                                format!(
                                    "relation `{}`: `{}` needs exactly one foreign key to `{}`",
                                    relation.field, through.name, target.name
                                ),
                            )
                            .hint(format!(
                                "add `#[column(references = {}.<key>)]` to a column of `{}`",
                                target.name, through.struct_name
                            )),
                        );
                        continue;
                    }
                    to_this
                }
            };
            match found.as_slice() {
                [fk] => relation.foreign_key = Some(fk.name.clone()),
                [] => {
                    let (holder, to) = match relation.kind {
                        RelationKind::BelongsTo => (this.struct_name.clone(), target.name.clone()),
                        RelationKind::HasMany | RelationKind::HasOne => (target.struct_name.clone(), this.name.clone()),
                        RelationKind::ManyToMany => (relation.through.clone().unwrap_or_default(), this.name.clone()),
                    };
                    let what = match &relation.foreign_key_hint {
                        Some(h) => format!("no foreign key `{h}` of `{holder}` references `{to}`"),
                        None => format!("no foreign key of `{holder}` references `{to}`"),
                    };
                    errors.push(
                        Diagnostic::new(
                            relation.span,
                            format!("relation `{}` has no foreign key to follow: {what}", relation.field),
                        )
                        .label("no foreign key supports this relation")
                        .hint(format!("add `#[column(references = {to}.<key>)]` to a column of `{holder}`")),
                    );
                }
                many => {
                    let names: Vec<String> = many.iter().map(|fk| fk.columns.join("+")).collect();
                    errors.push(
                        Diagnostic::new(
                            relation.span,
                            format!(
                                "relation `{}` could follow several foreign keys: {}",
                                relation.field,
                                names.join(", ")
                            ),
                        )
                        .hint("say which with `foreign_key = <column>`"),
                    );
                }
            }
        }
    }
}

/// Both sides of a `back_populates` pair must name each other and follow
/// the same foreign key.
fn back_populates(schema: &Schema, errors: &mut Diagnostics) {
    for table in &schema.tables {
        for relation in &table.relations {
            let Some(back) = &relation.back_populates else {
                continue;
            };
            let Some(target) = schema.table_by_struct(&relation.target) else {
                continue;
            };
            let Some(other) = target.relations.iter().find(|r| &r.field == back) else {
                let mut d = Diagnostic::new(
                    relation.span,
                    format!("back_populates mismatch: `{}` has no relation `{back}`", target.struct_name),
                )
                .label(format!("`{}.{}` names `{}.{back}`", table.struct_name, relation.field, target.struct_name));
                if let Some(hint) = did_you_mean(back, target.relations.iter().map(|r| r.field.as_str())) {
                    d = d.hint(hint);
                }
                errors.push(d);
                continue;
            };
            let pairs = matches!(
                (relation.kind, other.kind),
                (RelationKind::HasMany | RelationKind::HasOne, RelationKind::BelongsTo)
                    | (RelationKind::BelongsTo, RelationKind::HasMany | RelationKind::HasOne)
                    | (RelationKind::ManyToMany, RelationKind::ManyToMany)
            );
            let names_back = other.back_populates.as_ref().is_none_or(|b| b == &relation.field);
            let same_key = match relation.kind {
                RelationKind::ManyToMany => {
                    relation.foreign_key == other.through_target_key && relation.through == other.through
                }
                _ => relation.foreign_key == other.foreign_key,
            };
            if !(pairs && names_back && other.target == table.struct_name && same_key) {
                let why = if other.target != table.struct_name {
                    format!("`{}.{back}` points at `{}`, not `{}`", target.struct_name, other.target, table.struct_name)
                } else if !names_back {
                    format!(
                        "`{}.{back}` says back_populates = {}",
                        target.struct_name,
                        other.back_populates.as_deref().unwrap_or_default()
                    )
                } else if !pairs {
                    "the two kinds do not pair (has_many/has_one ↔ belongs_to, many_to_many ↔ many_to_many)".to_owned()
                } else {
                    "they follow different foreign keys".to_owned()
                };
                errors.push(
                    Diagnostic::new(
                        relation.span,
                        format!(
                            "back_populates mismatch between `{}.{}` and `{}.{back}`",
                            table.struct_name, relation.field, target.struct_name
                        ),
                    )
                    .label(why)
                    .note(other.span, "the other side"),
                );
            }
        }
    }
}
