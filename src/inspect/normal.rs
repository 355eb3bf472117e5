//! The normal form of an SQL expression, so that a default or a CHECK
//! body the database rewrote still equals the text the schema gave it.
//!
//! Each backend stores expressions its own way: PostgreSQL writes
//! `'x'::character varying`, `'-1'::integer`, `((a > 0) AND (b < 9))` and
//! `(s)::text = ANY (ARRAY['a'::text, 'b'::text])` for `s IN ('a', 'b')`;
//! MariaDB writes `` `a` > 0 ``, `current_timestamp(6)`, `curdate()`, `1`
//! for `TRUE` and `octet_length` for `length`; SQLite keeps the text as
//! written. Two expressions are the same when their normal forms are equal:
//!
//! - identifiers lose their quotes, and everything but string literals is
//!   lower case;
//! - casts (`::type`) go;
//! - numbers are written one way (`0.0` is `0`, `2.50` is `2.5`, `'-1'`
//!   is `-1`), `TRUE` and `FALSE` are `1` and `0`;
//! - `now()`, `current_timestamp()` are `current_timestamp`, `curdate()`
//!   is `current_date`, `!=` is `<>`, `~~` is `like`;
//! - `x = ANY (ARRAY[a, b])` is `x IN (a, b)`, `x BETWEEN a AND b` is
//!   `(x >= a AND x <= b)`;
//! - parentheses go wherever operator precedence makes them redundant, and
//!   only there: `(a OR b) AND c` keeps them.
//!
//! The rules only ever make two texts equal that mean the same, except
//! that quoted identifiers are compared without case (`"A"` equals `a`).

use super::tokens::{tokens, Token};
use crate::engine::Backend;

/// The normal form of `sql` as `backend` writes it.
pub(crate) fn normal_form(sql: &str, backend: Backend) -> Vec<Token> {
    let mut words: Vec<Token> = tokens(sql, backend).into_iter().map(|s| fold(s.token)).collect();
    words = strip_casts(words);
    words = signed_numbers(words);
    words = synonyms(words, backend);
    words = strip_parens(&words);
    words = rewrite_any(words);
    words = rewrite_between(words);
    strip_parens(&words)
}

/// Whether `a` (as `backend` stores it) and `b` mean the same expression.
pub(crate) fn same(a: &str, b: &str, backend: Backend) -> bool {
    normal_form(a, backend) == normal_form(b, backend)
}

/// Keywords that stay words; any other bare word is an identifier.
const KEYWORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "is",
    "null",
    "in",
    "like",
    "ilike",
    "glob",
    "regexp",
    "similar",
    "escape",
    "between",
    "any",
    "all",
    "some",
    "array",
    "case",
    "when",
    "then",
    "else",
    "end",
    "true",
    "false",
    "collate",
    "distinct",
    "from",
    "exists",
    "current_timestamp",
    "current_date",
    "current_time",
    "localtimestamp",
    "localtime",
    "isnull",
    "notnull",
    "interval",
    "cast",
    "as",
];

/// Case, quotes and spelling folded: identifiers lose quotes and case,
/// numbers take one spelling, PostgreSQL's `~~` family becomes `like`.
fn fold(token: Token) -> Token {
    match token {
        Token::Word(word) => {
            let lower = word.to_lowercase();
            match lower.as_str() {
                "true" => Token::Num("1".into()),
                "false" => Token::Num("0".into()),
                _ if KEYWORDS.contains(&lower.as_str()) => Token::Word(lower),
                _ => Token::Ident(lower),
            }
        }
        Token::Ident(name) => Token::Ident(name.to_lowercase()),
        Token::Num(number) => Token::Num(canonical_number(&number).unwrap_or(number.to_lowercase())),
        Token::Str(text) => match canonical_number(&text) {
            Some(number) => Token::Num(number),
            None => Token::Str(text),
        },
        Token::Op(op) => match op.as_str() {
            "!=" => Token::Op("<>".into()),
            "==" => Token::Op("=".into()),
            "~~" => Token::Word("like".into()),
            "~~*" => Token::Word("ilike".into()),
            // `!~~` and `!~~*` become `not like` below, in `synonyms`.
            _ => Token::Op(op),
        },
    }
}

/// A decimal number written one way: no `+`, no leading zeros, no
/// trailing fraction zeros, no `-0`; `None` when `text` is no plain
/// decimal number.
fn canonical_number(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    if (whole.is_empty() && fraction.is_empty())
        || !whole.bytes().all(|b| b.is_ascii_digit())
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    let mut out = String::new();
    if negative && !(whole.is_empty() && fraction.is_empty()) {
        out.push('-');
    }
    out.push_str(if whole.is_empty() { "0" } else { whole });
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

/// Without `::type` casts: the type may be qualified (`auth.role`), have
/// several words (`character varying`, `timestamp without time zone`),
/// a modifier (`(10,2)`) and array brackets (`[]`).
fn strip_casts(words: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        if !words[at].is_op("::") {
            out.push(words[at].clone());
            at += 1;
            continue;
        }
        at += 1;
        // The type name, qualified.
        let mut name = String::new();
        while let Some(Token::Ident(part) | Token::Word(part)) = words.get(at) {
            name = part.clone();
            at += 1;
            if words.get(at).is_some_and(|t| t.is_op(".")) {
                at += 1;
            } else {
                break;
            }
        }
        let follows = |words: &[Token], at: usize, word: &str| matches!(words.get(at), Some(Token::Ident(w) | Token::Word(w)) if w == word);
        match name.as_str() {
            "character" | "bit" | "char" if follows(&words, at, "varying") => at += 1,
            "double" if follows(&words, at, "precision") => at += 1,
            _ => {}
        }
        if words.get(at).is_some_and(|t| t.is_op("(")) {
            at = close(&words, at) + 1;
        }
        if matches!(name.as_str(), "time" | "timestamp")
            && (follows(&words, at, "with") || follows(&words, at, "without"))
            && follows(&words, at + 1, "time")
            && follows(&words, at + 2, "zone")
        {
            at += 3;
        }
        while words.get(at).is_some_and(|t| t.is_op("[")) && words.get(at + 1).is_some_and(|t| t.is_op("]")) {
            at += 2;
        }
    }
    out
}

/// The index of the bracket closing the one at `open` (`(` or `[`), or the
/// last index.
fn close(words: &[Token], open: usize) -> usize {
    let (opening, closing) = if words[open].is_op("[") { ("[", "]") } else { ("(", ")") };
    let mut depth = 0usize;
    for (at, word) in words.iter().enumerate().skip(open) {
        if word.is_op(opening) {
            depth += 1;
        } else if word.is_op(closing) {
            depth -= 1;
            if depth == 0 {
                return at;
            }
        }
    }
    words.len() - 1
}

/// Whether a value ends with `token`, so that a `-` after it subtracts.
fn ends_operand(token: &Token) -> bool {
    match token {
        Token::Ident(_) | Token::Str(_) | Token::Num(_) => true,
        Token::Op(op) => op == ")" || op == "]",
        Token::Word(word) => {
            matches!(word.as_str(), "null" | "end" | "current_timestamp" | "current_date" | "current_time")
                || word.starts_with("local")
        }
    }
}

/// A unary minus or plus folded into the number it signs: `- 1` is `-1`.
fn signed_numbers(words: Vec<Token>) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let sign = match &words[at] {
            Token::Op(op) if op == "-" || op == "+" => Some(op.as_str()),
            _ => None,
        };
        if let (Some(sign), Some(Token::Num(number))) = (sign, words.get(at + 1)) {
            if !out.last().is_some_and(ends_operand) {
                let signed = if sign == "-" { format!("-{number}") } else { number.clone() };
                out.push(Token::Num(canonical_number(&signed).unwrap_or(signed)));
                at += 2;
                continue;
            }
        }
        out.push(words[at].clone());
        at += 1;
    }
    out
}

/// One spelling for functions and operators that have several:
/// `now()` and `current_timestamp()` are `current_timestamp`, `curdate()`
/// and `current_date()` are `current_date`, `!~~` is `not like`, and on
/// MySQL `octet_length` is `length` (the same function there), `lcase`
/// and `ucase` are `lower` and `upper`, `MOD` is `%` and a string's
/// character set introducer goes.
fn synonyms(words: Vec<Token>, backend: Backend) -> Vec<Token> {
    let mut out = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let empty_call =
            words.get(at + 1).is_some_and(|t| t.is_op("(")) && words.get(at + 2).is_some_and(|t| t.is_op(")"));
        let name = match &words[at] {
            Token::Ident(name) | Token::Word(name) => name.as_str(),
            Token::Op(op) if op == "!~~" || op == "!~~*" => {
                out.push(Token::Word("not".into()));
                out.push(Token::Word(if op == "!~~" { "like" } else { "ilike" }.into()));
                at += 1;
                continue;
            }
            _ => "",
        };
        let timestamp = matches!(name, "now" | "current_timestamp" | "localtimestamp");
        match name {
            _ if timestamp && empty_call => {
                out.push(Token::Word("current_timestamp".into()));
                at += 3;
            }
            "now" => {
                out.push(Token::Word("current_timestamp".into()));
                at += 1;
            }
            "curdate" | "current_date" if empty_call => {
                out.push(Token::Word("current_date".into()));
                at += 3;
            }
            "octet_length" | "lcase" | "ucase" if backend == Backend::Mysql => {
                let standard = match name {
                    "octet_length" => "length",
                    "lcase" => "lower",
                    _ => "upper",
                };
                out.push(Token::Ident(standard.into()));
                at += 1;
            }
            // MySQL's `a MOD b` is `a % b` (`MOD(a, b)` is a function).
            "mod" if backend == Backend::Mysql && !words.get(at + 1).is_some_and(|t| t.is_op("(")) => {
                out.push(Token::Op("%".into()));
                at += 1;
            }
            // MySQL 8's character set introducers: `_utf8mb4'x'` is `'x'`.
            _ if backend == Backend::Mysql
                && name.starts_with('_')
                && matches!(words[at], Token::Ident(_))
                && matches!(words.get(at + 1), Some(Token::Str(_))) =>
            {
                at += 1;
            }
            _ => {
                out.push(words[at].clone());
                at += 1;
            }
        }
    }
    out
}

/// How tightly a binary operator binds (PostgreSQL's order; higher binds
/// tighter), or `None` for a token that is no binary operator.
fn binary(token: &Token) -> Option<u8> {
    match token {
        Token::Word(word) => match word.as_str() {
            "or" => Some(1),
            "and" => Some(2),
            "is" | "isnull" | "notnull" => Some(4),
            "in" | "like" | "ilike" | "glob" | "regexp" | "similar" | "between" | "escape" => Some(6),
            _ => None,
        },
        Token::Op(op) => match op.as_str() {
            "=" | "<>" | "<" | ">" | "<=" | ">=" => Some(5),
            "+" | "-" => Some(8),
            "*" | "/" | "%" => Some(9),
            "^" => Some(10),
            "(" | ")" | "[" | "]" | "," | "." | ";" => None,
            _ => Some(7),
        },
        _ => None,
    }
}

/// The loosest-binding operator at the top level of `words` (`u8::MAX`
/// for a single value), and whether a top-level comma makes it a list.
fn loosest(words: &[Token]) -> (u8, bool) {
    let mut lowest = u8::MAX;
    let mut depth = 0usize;
    let mut case_depth = 0usize;
    for (at, word) in words.iter().enumerate() {
        match word {
            Token::Op(op) if op == "(" || op == "[" => depth += 1,
            Token::Op(op) if op == ")" || op == "]" => depth = depth.saturating_sub(1),
            Token::Word(w) if w == "case" => case_depth += 1,
            Token::Word(w) if w == "end" => case_depth = case_depth.saturating_sub(1),
            _ if depth > 0 || case_depth > 0 => {}
            Token::Op(op) if op == "," => return (lowest, true),
            _ => {
                let after_operand = at > 0 && ends_operand(&words[at - 1]);
                let after_is = at > 0 && words[at - 1].is_word("is");
                let precedence = match word {
                    // `not` after a value belongs to `not in`, `not like`,
                    // ..., after `is` to `is not`.
                    Token::Word(w) if w == "not" => Some(if after_is {
                        4
                    } else if after_operand {
                        6
                    } else {
                        3
                    }),
                    Token::Op(op) if (op == "-" || op == "+") && !after_operand => Some(11),
                    other => binary(other),
                };
                if let Some(precedence) = precedence {
                    lowest = lowest.min(precedence);
                }
            }
        }
    }
    (lowest, false)
}

/// How tightly the token before a parenthesis binds to it: 0 after an
/// opening bracket, a comma or the start.
fn left_binding(out: &[Token]) -> u8 {
    let Some(last) = out.last() else { return 0 };
    match last {
        Token::Word(w) if w == "not" => 3,
        Token::Op(op) if op == "-" || op == "+" => {
            let unary = out.len() < 2 || !ends_operand(&out[out.len() - 2]);
            if unary {
                11
            } else {
                8
            }
        }
        other => binary(other).unwrap_or(0),
    }
}

/// How tightly the token after a parenthesis binds to it.
fn right_binding(next: Option<&Token>) -> u8 {
    match next {
        Some(Token::Word(w)) if w == "not" => 6,
        Some(Token::Op(op)) if op == "[" => u8::MAX,
        Some(other) => binary(other).unwrap_or(0),
        None => 0,
    }
}

/// Whether the `(` after `before` opens an argument or value list (a
/// function call, `IN (...)`, `ANY (...)`) rather than a group.
fn opens_list(before: Option<&Token>) -> bool {
    match before {
        Some(Token::Ident(_)) => true,
        Some(Token::Word(w)) => {
            matches!(w.as_str(), "in" | "any" | "all" | "some" | "exists" | "current_timestamp" | "cast" | "array")
        }
        _ => false,
    }
}

/// Without the parentheses operator precedence makes redundant, inside
/// out.
fn strip_parens(words: &[Token]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        if !words[at].is_op("(") {
            out.push(words[at].clone());
            at += 1;
            continue;
        }
        let end = close(words, at);
        let inner = strip_parens(&words[at + 1..end.max(at + 1)]);
        let (lowest, list) = loosest(&inner);
        let keep = opens_list(out.last())
            || list
            || inner.is_empty()
            || lowest <= left_binding(&out)
            || lowest < right_binding(words.get(end + 1));
        if keep {
            out.push(Token::Op("(".into()));
            out.extend(inner);
            out.push(Token::Op(")".into()));
        } else {
            out.extend(inner);
        }
        at = end + 1;
    }
    out
}

/// `x = ANY (ARRAY[a, b])` as `x IN (a, b)`, and `x <> ALL (ARRAY[a, b])`
/// as `x NOT IN (a, b)`: PostgreSQL's spelling of IN lists.
fn rewrite_any(words: Vec<Token>) -> Vec<Token> {
    let mut out = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let negated = words[at].is_op("<>") && words.get(at + 1).is_some_and(|t| t.is_word("all"));
        let plain = words[at].is_op("=") && words.get(at + 1).is_some_and(|t| t.is_word("any"));
        let array = words.get(at + 2).is_some_and(|t| t.is_op("("))
            && words.get(at + 3).is_some_and(|t| t.is_word("array"))
            && words.get(at + 4).is_some_and(|t| t.is_op("["));
        if (negated || plain) && array {
            let close_bracket = close(&words, at + 4);
            if words.get(close_bracket + 1).is_some_and(|t| t.is_op(")")) {
                if negated {
                    out.push(Token::Word("not".into()));
                }
                out.push(Token::Word("in".into()));
                out.push(Token::Op("(".into()));
                out.extend_from_slice(&words[at + 5..close_bracket]);
                out.push(Token::Op(")".into()));
                at = close_bracket + 2;
                continue;
            }
        }
        out.push(words[at].clone());
        at += 1;
    }
    out
}

/// Where the value that ends `out` starts, when it is a single value or a
/// function call (`length(name)`).
fn trailing_value(out: &[Token]) -> Option<usize> {
    match out.last()? {
        Token::Ident(_) | Token::Num(_) | Token::Str(_) => Some(out.len() - 1),
        Token::Op(op) if op == ")" => {
            let mut depth = 0usize;
            for at in (0..out.len()).rev() {
                if out[at].is_op(")") {
                    depth += 1;
                } else if out[at].is_op("(") {
                    depth -= 1;
                    if depth == 0 {
                        return (at > 0 && matches!(out[at - 1], Token::Ident(_))).then(|| at - 1);
                    }
                }
            }
            None
        }
        _ => None,
    }
}

/// `x BETWEEN a AND b` as `(x >= a AND x <= b)` and `x NOT BETWEEN a AND
/// b` as `(x < a OR x > b)`, where `x` is a single value or a function
/// call and `a` and `b` are single values: how PostgreSQL stores them.
fn rewrite_between(words: Vec<Token>) -> Vec<Token> {
    let single = |t: Option<&Token>| matches!(t, Some(Token::Ident(_) | Token::Num(_) | Token::Str(_)));
    let mut out: Vec<Token> = Vec::with_capacity(words.len());
    let mut at = 0;
    while at < words.len() {
        let negated = words[at].is_word("not") && words.get(at + 1).is_some_and(|t| t.is_word("between"));
        let between = at + usize::from(negated);
        let subject = trailing_value(&out);
        if let (true, Some(start)) = (words[between].is_word("between"), subject) {
            if single(words.get(between + 1))
                && words.get(between + 2).is_some_and(|t| t.is_word("and"))
                && single(words.get(between + 3))
            {
                let subject: Vec<Token> = out.drain(start..).collect();
                let (low, high) = (words[between + 1].clone(), words[between + 3].clone());
                let (low_op, join, high_op) = if negated { ("<", "or", ">") } else { (">=", "and", "<=") };
                out.push(Token::Op("(".into()));
                out.extend(subject.iter().cloned());
                out.extend([Token::Op(low_op.into()), low, Token::Word(join.into())]);
                out.extend(subject);
                out.extend([Token::Op(high_op.into()), high, Token::Op(")".into())]);
                at = between + 4;
                continue;
            }
        }
        out.push(words[at].clone());
        at += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as(database: &str, schema: &str, backend: Backend) {
        assert!(
            same(database, schema, backend),
            "{database:?} and {schema:?} differ on {backend}:\n{:?}\n{:?}",
            normal_form(database, backend),
            normal_form(schema, backend)
        );
    }

    fn differs(database: &str, schema: &str, backend: Backend) {
        assert!(!same(database, schema, backend), "{database:?} and {schema:?} are the same on {backend}");
    }

    #[test]
    fn postgres_rewrites_are_the_text_written() {
        let pg = Backend::Postgres;
        same_as("'x'::character varying", "'x'", pg);
        same_as("'it''s'::character varying(20)", "'it''s'", pg);
        same_as("'-1'::integer", "-1", pg);
        same_as("'draft'::\"auth\".\"role\"[]", "'draft'", pg);
        same_as("'2024-01-01 00:00:00'::timestamp without time zone", "'2024-01-01 00:00:00'", pg);
        same_as("now()", "CURRENT_TIMESTAMP", pg);
        same_as("true", "TRUE", pg);
        same_as("(1 + 1)", "(1 + 1)", pg);
        same_as("(1 + 1)", "1+1", pg);
        same_as("(length((title)::text) > 0)", "length(title) > 0", pg);
        same_as("(price >= (0)::numeric)", "price >= 0.0", pg);
        same_as("((aisle > 0) AND (aisle < 100))", "aisle > 0 AND aisle < 100", pg);
        same_as(
            "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "status IN ('a', 'b')",
            pg,
        );
        same_as("(status <> ALL (ARRAY['a'::text, 'b'::text]))", "status NOT IN ('a','b')", pg);
        same_as("((n >= 1) AND (n <= 5))", "n BETWEEN 1 AND 5", pg);
        same_as("(NOT ((n >= 1) AND (n <= 5)))", "NOT n BETWEEN 1 AND 5", pg);
        same_as("((name)::text ~~ 'a%'::text)", "name LIKE 'a%'", pg);
        same_as("((name)::text !~~ 'a%'::text)", "name NOT LIKE 'a%'", pg);
        same_as("(((a > 0) OR (b > 0)) AND (c > 0))", "(a > 0 OR b > 0) AND c > 0", pg);
        same_as("((a - (b - c)) > 0)", "a - (b - c) > 0", pg);
    }

    #[test]
    fn mariadb_rewrites_are_the_text_written() {
        let my = Backend::Mysql;
        same_as("current_timestamp(6)", "CURRENT_TIMESTAMP(6)", my);
        same_as("curdate()", "(CURRENT_DATE)", my);
        same_as("1", "TRUE", my);
        same_as("'it''s'", "'it\\'s'", my);
        same_as("octet_length(`title`) > 0", "length(title) > 0", my);
        same_as("`aisle` > 0 and `aisle` < 100", "aisle > 0 AND aisle < 100", my);
        same_as("'x'", "('x')", my);
        same_as("2.5", "2.50", my);
        same_as("0", "0.0", my);
        same_as("(`code` in (_utf8mb4'a',_utf8mb4'b'))", "code IN ('a', 'b')", my);
    }

    /// Conditions as written in a schema, and as PostgreSQL 15 and MariaDB
    /// 10.11 store them.
    const STORED: &[(&str, &str, &str)] = &[
        (
            "length(name) BETWEEN 1 AND 10",
            "((length((name)::text) >= 1) AND (length((name)::text) <= 10))",
            "octet_length(`name`) between 1 and 10",
        ),
        (
            "s IN ('x','y') OR s IS NULL",
            "((s = ANY (ARRAY['x'::text, 'y'::text])) OR (s IS NULL))",
            "`s` in ('x','y') or `s` is null",
        ),
        ("a % 2 = 0 AND a <> -1", "(((a % 2) = 0) AND (a <> '-1'::integer))", "`a` MOD 2 = 0 and `a` <> -1"),
        ("d > '2020-01-01'", "(d > '2020-01-01'::date)", "`d` > '2020-01-01'"),
        ("f = true OR n >= 0.5", "((f = true) OR (n >= 0.5))", "`f` = 1 or `n` >= 0.5"),
        (
            "name LIKE 'a%' AND name NOT LIKE '%z'",
            "(((name)::text ~~ 'a%'::text) AND ((name)::text !~~ '%z'::text))",
            "`name` like 'a%' and `name`  not like '%z'",
        ),
        ("lower(s) = s", "(lower(s) = s)", "lcase(`s`) = `s`"),
        (
            "a IS NOT NULL OR name IS NOT NULL",
            "((a IS NOT NULL) OR (name IS NOT NULL))",
            "`a` is not null or `name` is not null",
        ),
        (
            "CASE WHEN a > 0 THEN n > 0 ELSE true END",
            "CASE\n    WHEN (a > 0) THEN (n > (0)::numeric)\n    ELSE true\nEND",
            "case when `a` > 0 then `n` > 0 else 1 end",
        ),
        ("coalesce(a, 0) >= 0", "(COALESCE(a, 0) >= 0)", "coalesce(`a`,0) >= 0"),
        ("a NOT IN (1, 2, 3)", "(a <> ALL (ARRAY[1, 2, 3]))", "`a` not in (1,2,3)"),
        ("n * 2 < 100 - a", "((n * (2)::numeric) < ((100 - a))::numeric)", "`n` * 2 < 100 - `a`"),
    ];

    #[test]
    fn conditions_as_each_backend_stores_them_equal_the_schemas() {
        for (schema, postgres, mariadb) in STORED {
            same_as(postgres, schema, Backend::Postgres);
            same_as(mariadb, schema, Backend::Mysql);
            same_as(schema, schema, Backend::Sqlite);
        }
        differs("((length((name)::text) >= 1) AND (length((name)::text) <= 9))", STORED[0].0, Backend::Postgres);
        differs("`a` MOD 3 = 0 and `a` <> -1", STORED[2].0, Backend::Mysql);
    }

    #[test]
    fn is_not_binds_like_is() {
        let pg = Backend::Postgres;
        same_as("((a IS NOT NULL) AND (b IS NULL))", "a IS NOT NULL AND b IS NULL", pg);
        same_as("(NOT (a IS NOT NULL))", "NOT (a IS NOT NULL)", pg);
        differs("(NOT (a IS NOT NULL))", "NOT a IS NOT NULL AND b", pg);
    }

    #[test]
    fn what_differs_stays_different() {
        let pg = Backend::Postgres;
        differs("((a > 0) OR (b > 0)) AND (c > 0)", "a > 0 OR (b > 0 AND c > 0)", pg);
        differs("(a - (b - c))", "a - b - c", pg);
        differs("'x'::character varying", "'X'", pg);
        differs("(x > 0)", "x >= 0", pg);
        differs("7", "8", pg);
        differs("current_timestamp(6)", "CURRENT_TIMESTAMP", Backend::Mysql);
        differs("NOT (a AND b)", "NOT a AND b", Backend::Sqlite);
        differs("-(a + b)", "-a + b", Backend::Sqlite);
        differs("length(title) > 0", "octet_length(title) > 0", pg);
    }

    #[test]
    fn numbers_have_one_spelling() {
        assert_eq!(canonical_number("007.500"), Some("7.5".into()));
        assert_eq!(canonical_number("-0.0"), Some("0".into()));
        assert_eq!(canonical_number(".5"), Some("0.5".into()));
        assert_eq!(canonical_number("+3"), Some("3".into()));
        assert_eq!(canonical_number("1e3"), None);
        assert_eq!(canonical_number("x"), None);
        assert_eq!(canonical_number("-"), None);
    }
}
