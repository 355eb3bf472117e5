//! Phase 3: rules a resolved schema must follow so that the generated Rust
//! compiles and the generated SQL runs on every backend.

mod names;

use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::ir::{ColumnType, FkAction, RelationKind, Schema, ServerDefault, Span};
use crate::resolve::type_name;

/// Columns per table that diesel is built for (its `32-column-tables`).
pub const MAX_COLUMNS: usize = 32;

/// Checks every rule; returns every violation.
pub fn check(schema: &Schema) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::default();
    tables(schema, &mut errors);
    names::check(schema, &mut errors);
    constraint_names(schema, &mut errors);
    enums(schema, &mut errors);
    numerics(schema, &mut errors);
    passive_deletes(schema, &mut errors);
    errors.propagate()
}

/// The widest `NUMERIC` every backend accepts: MySQL's DECIMAL holds 65
/// digits, 30 of them after the point.
pub const MAX_NUMERIC_PRECISION: u32 = 65;
/// See [`MAX_NUMERIC_PRECISION`].
pub const MAX_NUMERIC_SCALE: u32 = 30;

fn numerics(schema: &Schema, errors: &mut Diagnostics) {
    for column in schema.tables.iter().flat_map(|t| &t.columns) {
        let ColumnType::Numeric { precision, scale } = column.ty else { continue };
        let problem = match (precision, scale) {
            (None, Some(_)) => Some("a `scale` needs a `precision`".to_owned()),
            (Some(0), _) => Some("a `precision` of 0 holds no digits".to_owned()),
            (Some(p), _) if p > MAX_NUMERIC_PRECISION => {
                Some(format!("a `precision` of {p} is more than the {MAX_NUMERIC_PRECISION} digits MySQL holds"))
            }
            (_, Some(s)) if s > MAX_NUMERIC_SCALE => {
                Some(format!("a `scale` of {s} is more than the {MAX_NUMERIC_SCALE} places MySQL holds"))
            }
            (Some(p), Some(s)) if s > p => Some(format!("a `scale` of {s} is more than the `precision` of {p}")),
            _ => None,
        };
        if let Some(problem) = problem {
            errors.push(
                Diagnostic::new(column.span, format!("column `{}`: {problem}", column.field))
                    .label("invalid NUMERIC")
                    .hint(format!(
                        "write `precision = p, scale = s` with 1 <= p <= {MAX_NUMERIC_PRECISION} and s <= min(p, {MAX_NUMERIC_SCALE})"
                    )),
            );
        }
    }
}

fn tables(schema: &Schema, errors: &mut Diagnostics) {
    for table in &schema.tables {
        if table.columns.is_empty() {
            errors.push(Diagnostic::new(table.span, format!("table `{}` has no columns", table.name)));
            continue;
        }
        if table.primary_key.is_empty() {
            errors.push(
                Diagnostic::new(table.span, format!("table `{}` has no primary key", table.name))
                    .label("no primary key")
                    .hint("mark a column `#[column(primary_key)]`, or list several with `#[primary_key(a, b)]` on the struct"),
            );
        }
        if table.columns.len() > MAX_COLUMNS {
            errors.push(Diagnostic::new(
                table.span,
                format!(
                    "table `{}` has {} columns; quarry supports at most {MAX_COLUMNS}",
                    table.name,
                    table.columns.len()
                ),
            ));
        }
        for column in &table.columns {
            if table.is_primary_key(&column.field) && column.nullable {
                errors.push(
                    Diagnostic::new(column.span, format!("primary key column `{}` cannot be nullable", column.field))
                        .hint("drop the `Option<...>`"),
                );
            }
            if column.autoincrement && !(table.primary_key.len() == 1 && table.primary_key[0] == column.field) {
                errors.push(
                    Diagnostic::new(
                        column.span,
                        format!("`{}` is autoincrement but not the table's only key column", column.field),
                    )
                    .hint("every backend generates values only for a single-column integer primary key"),
                );
            }
            if let Some(default) = &column.server_default {
                if let Some(problem) = default_mismatch(&column.ty, default, schema) {
                    errors.push(
                        Diagnostic::new(
                            column.span,
                            format!("server_default of `{}` does not fit its type: {problem}", column.field),
                        )
                        .label(format!("a {} column", type_name(&column.ty))),
                    );
                }
            }
        }
        for check in &table.checks {
            if check.sql.trim().is_empty() {
                errors.push(Diagnostic::new(check.span, "a check constraint needs a condition"));
            }
        }
    }
}

/// A reason the server default cannot be stored in a column of `ty`.
fn default_mismatch(ty: &ColumnType, default: &ServerDefault, schema: &Schema) -> Option<String> {
    use ColumnType as T;
    use ServerDefault as D;
    let fits = match default {
        D::Sql(_) => true,
        D::Int(_) => matches!(ty, T::SmallInt | T::Integer | T::BigInt | T::Float | T::Double | T::Numeric { .. }),
        D::Float(_) => matches!(ty, T::Float | T::Double | T::Numeric { .. }),
        D::Bool(_) => matches!(ty, T::Bool),
        D::Str(value) => match ty {
            T::Enum(name) => {
                let e = schema.enum_by_name(name)?;
                if e.variants.iter().any(|v| &v.value == value) {
                    true
                } else {
                    let values: Vec<&str> = e.variants.iter().map(|v| v.value.as_str()).collect();
                    return Some(format!("`{value}` is not a value of `{name}` ({})", values.join(", ")));
                }
            }
            T::Text | T::Varchar(_) | T::Date | T::Time | T::Timestamp | T::TimestampTz | T::Json | T::Jsonb => true,
            _ => false,
        },
        D::CurrentTimestamp => matches!(ty, T::Timestamp | T::TimestampTz),
        D::CurrentDate => matches!(ty, T::Date),
    };
    (!fits).then(|| "the literal is of another type".to_owned())
}

/// Constraint and index names share one namespace per database on
/// PostgreSQL (indexes) and MySQL (foreign keys).
fn constraint_names(schema: &Schema, errors: &mut Diagnostics) {
    let mut seen: HashMap<String, Span> = HashMap::new();
    for table in &schema.tables {
        let names = table
            .uniques
            .iter()
            .map(|u| (&u.name, u.span))
            .chain(table.indexes.iter().map(|i| (&i.name, i.span)))
            .chain(table.checks.iter().map(|c| (&c.name, c.span)))
            .chain(table.foreign_keys.iter().map(|f| (&f.name, f.span)));
        for (name, span) in names {
            if let Some(first) = seen.insert(name.to_lowercase(), span) {
                errors.push(
                    Diagnostic::new(span, format!("constraint or index name `{name}` is used twice"))
                        .note(first, "first used here")
                        .hint("give one of them another `name = \"...\"`"),
                );
            }
        }
    }
}

fn enums(schema: &Schema, errors: &mut Diagnostics) {
    for db_enum in &schema.enums {
        if db_enum.variants.is_empty() {
            errors.push(Diagnostic::new(db_enum.span, format!("enum `{}` has no variants", db_enum.rust_name)));
        }
        let mut values: HashMap<&str, ()> = HashMap::new();
        for variant in &db_enum.variants {
            if values.insert(&variant.value, ()).is_some() {
                errors.push(Diagnostic::new(
                    db_enum.span,
                    format!("enum `{}` stores the value `{}` twice", db_enum.rust_name, variant.value),
                ));
            }
        }
    }
}

/// `passive_deletes` hands a relation's dependants to the database, so the
/// foreign key must say what the database does with them: `ON DELETE
/// CASCADE` (or `SET NULL` / `SET DEFAULT` for has_many and has_one), and
/// `CASCADE` when the relation also cascades deletes. On a belongs_to it
/// means nothing (deleting a row never touches its parent), so it is an
/// error rather than a silent no-op.
fn passive_deletes(schema: &Schema, errors: &mut Diagnostics) {
    for table in &schema.tables {
        for relation in table.relations.iter().filter(|r| r.passive_deletes) {
            let name = format!("{}.{}", table.struct_name, relation.field);
            if relation.kind == RelationKind::BelongsTo {
                errors.push(
                    Diagnostic::new(
                        relation.span,
                        format!("`passive_deletes` on the belongs_to relation `{name}` means nothing"),
                    )
                    .label("deleting this row never touches its parent")
                    .hint("declare `passive_deletes` on the has_many or has_one relation of the parent"),
                );
                continue;
            }
            let Some((holder, fk)) = relation.foreign_key.as_deref().and_then(|k| schema.foreign_key(k)) else {
                continue;
            };
            let column = fk.columns.join(", ");
            let deletes = relation.cascade.delete || relation.kind == RelationKind::ManyToMany;
            let fits = match fk.on_delete {
                Some(FkAction::Cascade) => true,
                Some(FkAction::SetNull | FkAction::SetDefault) => !deletes,
                _ => false,
            };
            if fits {
                continue;
            }
            let what = match fk.on_delete {
                None => "has no `on_delete` action".to_owned(),
                Some(action) => format!("has ON DELETE {}", action.sql()),
            };
            let (want, why) = if deletes {
                ("`on_delete = cascade`", "its rows must be deleted with the parent")
            } else {
                ("`on_delete = cascade` or `on_delete = set_null`", "the database must delete or detach them")
            };
            errors.push(
                Diagnostic::new(
                    relation.span,
                    format!("`passive_deletes` on `{name}` leaves `{}` rows to the database, but its foreign key `{}.{column}` {what}", holder.name, holder.struct_name),
                )
                .label(format!("{why}, and the session will not"))
                .note(fk.span, "the foreign key")
                .hint(format!("add {want} to `#[column(references = ...)]` on `{}.{column}`, or drop `passive_deletes`", holder.struct_name)),
            );
        }
    }
}
