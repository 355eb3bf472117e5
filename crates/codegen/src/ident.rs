//! Rust identifiers: which names are identifiers, and the `Ident` for a
//! name, raw when it is a keyword.

use proc_macro2::{Ident, Span};
use unicode_normalization::UnicodeNormalization;

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

/// Whether rustc reads `name` as written: identifiers are compared after
/// Unicode normalization form C, so `cafe\u{301}` is the identifier `café`.
pub fn is_nfc(name: &str) -> bool {
    unicode_normalization::is_nfc(name)
}

/// `name` in Unicode normalization form C, as rustc reads an identifier.
pub fn nfc(name: &str) -> String {
    name.nfc().collect()
}

/// The identifier for `name`, raw when it is a keyword.
///
/// `check` guarantees [`is_valid`] for every name an emitter sees. Should a
/// name slip through anyway, it is made valid with [`sanitize`] rather than
/// panicking in the build script: rustc then reports the mismatch.
pub fn ident(name: &str) -> Ident {
    let sanitized;
    let name = if is_valid(name) {
        name
    } else {
        sanitized = sanitize(name);
        &sanitized
    };
    if is_raw_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A valid module name derived from an SQL name: the name in normalization
/// form C (as rustc reads identifiers), characters that cannot be in an
/// identifier become `_`, a leading digit gets a `_` prefix, and names that
/// cannot be identifiers get a `_` suffix.
pub fn sanitize(sql_name: &str) -> String {
    let mut out: String = sql_name.nfc().map(|c| if c == '_' || unicode_ident_continue(c) { c } else { '_' }).collect();
    if out.is_empty() || !out.chars().next().is_some_and(|c| c == '_' || unicode_ident_start(c)) {
        out.insert(0, '_');
    }
    if is_reserved(&out) {
        out.push('_');
    }
    out
}

// ----- names of generated items ------------------------------------------------
// One place, so that `check` tests exactly the names the emitters declare.

/// The insertable generated for a model: `NewAuthor`.
pub fn insertable_name(struct_name: &str) -> String {
    format!("New{struct_name}")
}

/// The changeset generated for a model: `AuthorChangeset`.
pub fn changeset_name(struct_name: &str) -> String {
    format!("{struct_name}Changeset")
}

/// The associated constant of a relation field: `articles` → `ARTICLES`.
pub fn relation_const(field: &str) -> String {
    heck::AsShoutySnakeCase(field).to_string()
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
        assert_eq!(sanitize("cafe\u{301}"), "café");
        assert_eq!(sanitize("😀"), "__");
        assert_eq!(sanitize(""), "__");
    }

    #[test]
    fn ident_never_panics() {
        for name in ["", "_", "self", "Self", "1x", "a b", "r#type", "😀", "type", "café"] {
            let made = ident(name).to_string();
            assert!(!made.is_empty(), "{name:?}");
        }
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("a b").to_string(), "a_b");
        assert_eq!(ident("self").to_string(), "self_");
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
