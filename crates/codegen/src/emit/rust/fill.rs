//! How each field of a `New*` insertable is filled: what the models and
//! the unit of work both need to know.

use crate::ir::Column;

/// How a `New*` field is filled.
pub(super) enum Fill<'a> {
    /// A `new` argument.
    Required,
    /// The client default expression.
    ClientDefault(&'a str),
    /// `None`: the database applies its default (or NULL).
    Absent,
}

/// How `column` is filled in its table's `New*`.
pub(super) fn fill(column: &Column) -> Fill<'_> {
    match &column.default {
        Some(expr) => Fill::ClientDefault(expr),
        None if column.nullable || column.autoincrement || column.server_default.is_some() => Fill::Absent,
        None => Fill::Required,
    }
}
