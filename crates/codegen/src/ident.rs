//! Rust identifiers for names that come from SQL.

use proc_macro2::{Ident, Span};

/// Keywords that can be used as raw identifiers (`r#type`).
const RAW_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static", "struct", "trait",
    "true", "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be identifiers at all, not even raw.
const RESERVED: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Whether `name` needs `r#` to be an identifier.
pub fn is_raw_keyword(name: &str) -> bool {
    RAW_KEYWORDS.contains(&name)
}

/// Whether `name` can never be an identifier (`self`, `super`, ...).
pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name)
}

/// Whether `name` is a valid identifier, possibly as a raw one.
pub fn is_valid(name: &str) -> bool {
    let mut chars = name.chars();
    !is_reserved(name)
        && chars.next().is_some_and(|c| c == '_' || unicode_ident_start(c))
        && chars.all(unicode_ident_continue)
}

/// The identifier for `name`, raw when it is a keyword.
///
/// `name` must satisfy [`is_valid`]; `resolve` guarantees it for every name
/// an emitter sees.
pub fn ident(name: &str) -> Ident {
    if is_raw_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A valid module name derived from an SQL name: characters that cannot be
/// in an identifier become `_`, a leading digit gets a `_` prefix, and names
/// that cannot be identifiers get a `_` suffix.
pub fn sanitize(sql_name: &str) -> String {
    let mut out: String =
        sql_name.chars().map(|c| if c == '_' || unicode_ident_continue(c) { c } else { '_' }).collect();
    if out.is_empty() || !out.chars().next().is_some_and(|c| c == '_' || unicode_ident_start(c)) {
        out.insert(0, '_');
    }
    if is_reserved(&out) {
        out.push('_');
    }
    out
}

fn unicode_ident_start(c: char) -> bool {
    unicode_ident::is_xid_start(c)
}

fn unicode_ident_continue(c: char) -> bool {
    unicode_ident::is_xid_continue(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_makes_identifiers() {
        assert_eq!(sanitize("order items"), "order_items");
        assert_eq!(sanitize("it's"), "it_s");
        assert_eq!(sanitize("self"), "self_");
        assert_eq!(sanitize("1st"), "_1st");
        assert_eq!(sanitize("café"), "café");
        assert_eq!(sanitize("match"), "match");
    }

    #[test]
    fn keywords_become_raw() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("order").to_string(), "order");
        assert!(is_valid("match"));
        assert!(!is_valid("self"));
        assert!(!is_valid("a b"));
    }
}
