//! SQL text as tokens, per backend: what reading SQLite's `CREATE TABLE`
//! text and comparing defaults and CHECK bodies both start from.
//!
//! The lexer knows each backend's quoting: `"identifiers"` everywhere,
//! `` `identifiers` `` on MySQL (and SQLite, which accepts them),
//! `[identifiers]` on SQLite, `'strings'` with `''` everywhere and with
//! backslash escapes on MySQL. Comments are dropped. It never fails: text
//! it does not understand becomes one-character operators, so a comparison
//! of odd text is still a comparison of the same tokens on both sides.

use crate::engine::Backend;

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Token {
    /// A bare word (a keyword or an unquoted identifier), as written.
    Word(String),
    /// A quoted identifier's name, without its quotes.
    Ident(String),
    /// A string literal's value, without quotes or escapes.
    Str(String),
    /// A numeric literal, as written.
    Num(String),
    /// Punctuation or an operator: `(`, `,`, `::`, `<=`, `||`, ...
    Op(String),
}

impl Token {
    /// Whether this is the bare word `word` (any case).
    pub(crate) fn is_word(&self, word: &str) -> bool {
        matches!(self, Token::Word(w) if w.eq_ignore_ascii_case(word))
    }

    /// Whether this is the operator or punctuation `op`.
    pub(crate) fn is_op(&self, op: &str) -> bool {
        matches!(self, Token::Op(o) if o == op)
    }

    /// The name this token gives an identifier: a quoted identifier's name
    /// or a bare word as written.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn name(&self) -> Option<&str> {
        match self {
            Token::Word(name) | Token::Ident(name) => Some(name),
            _ => None,
        }
    }
}

/// A token and the byte range of `sql` it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
pub(crate) struct Spanned {
    pub token: Token,
    pub start: usize,
    pub end: usize,
}

/// Operators of more than one character, longest first.
const OPERATORS: &[&str] = &[
    "!~~*", "!~~", "~~*", "->>", "::", "<=", ">=", "<>", "!=", "==", "||", "~~", "!~", "~*", "->", "<<", ">>", "&&",
    "@>", "<@",
];

/// The tokens of `sql` as `backend` reads it.
pub(crate) fn tokens(sql: &str, backend: Backend) -> Vec<Spanned> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let start = at;
        let c = bytes[at];
        let rest = &sql[at..];
        let token = if c.is_ascii_whitespace() {
            at += 1;
            continue;
        } else if rest.starts_with("--") || (backend == Backend::Mysql && c == b'#') {
            at = rest.find('\n').map_or(bytes.len(), |end| at + end + 1);
            continue;
        } else if let Some(comment) = rest.strip_prefix("/*") {
            at = comment.find("*/").map_or(bytes.len(), |end| at + 2 + end + 2);
            continue;
        } else if c == b'\'' {
            let (value, end) = quoted(sql, at, b'\'', backend == Backend::Mysql);
            at = end;
            Token::Str(value)
        } else if c == b'"' || (c == b'`' && backend != Backend::Postgres) {
            let (value, end) = quoted(sql, at, c, false);
            at = end;
            Token::Ident(value)
        } else if c == b'[' && backend == Backend::Sqlite {
            // `[name]`, to the closing bracket or the end of the text.
            let close = rest.find(']').map_or(bytes.len(), |end| at + end);
            let value = sql[at + 1..close].to_owned();
            at = (close + 1).min(bytes.len());
            Token::Ident(value)
        } else if c.is_ascii_digit() || (c == b'.' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)) {
            at = number_end(bytes, at);
            Token::Num(sql[start..at].to_owned())
        } else if c == b'_' || c.is_ascii_alphabetic() || !c.is_ascii() {
            while at < bytes.len()
                && (bytes[at] == b'_'
                    || bytes[at] == b'$'
                    || bytes[at].is_ascii_alphanumeric()
                    || !bytes[at].is_ascii())
            {
                at += 1;
            }
            Token::Word(sql[start..at].to_owned())
        } else {
            let op = OPERATORS.iter().find(|op| rest.starts_with(**op)).copied();
            let len = op.map_or_else(|| rest.chars().next().map_or(1, char::len_utf8), str::len);
            at += len;
            Token::Op(sql[start..at].to_owned())
        };
        out.push(Spanned { token, start, end: at });
    }
    out
}

/// The value of the literal or identifier quoted by `quote` that starts at
/// `start`, and where it ends. A doubled quote is one quote; `backslash`
/// also reads MySQL's backslash escapes.
fn quoted(sql: &str, start: usize, quote: u8, backslash: bool) -> (String, usize) {
    let bytes = sql.as_bytes();
    let mut value = Vec::new();
    let mut at = start + 1;
    while at < bytes.len() {
        let c = bytes[at];
        if c == quote {
            if bytes.get(at + 1) == Some(&quote) {
                value.push(quote);
                at += 2;
                continue;
            }
            return (String::from_utf8_lossy(&value).into_owned(), at + 1);
        }
        if backslash && c == b'\\' && at + 1 < bytes.len() {
            value.push(match bytes[at + 1] {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                b'0' => 0,
                b'Z' => 0x1a,
                other => other,
            });
            at += 2;
            continue;
        }
        value.push(c);
        at += 1;
    }
    (String::from_utf8_lossy(&value).into_owned(), bytes.len())
}

/// Where the number starting at `start` ends: digits, a fraction, an
/// exponent.
fn number_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start;
    let digits = |at: &mut usize| {
        while *at < bytes.len() && bytes[*at].is_ascii_digit() {
            *at += 1;
        }
    };
    digits(&mut at);
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        digits(&mut at);
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        if bytes.get(at + 1 + sign).is_some_and(u8::is_ascii_digit) {
            at += 1 + sign;
            digits(&mut at);
        }
    }
    at
}

/// The index of the `)` that closes the `(` at `open`, or the end.
#[cfg(feature = "sqlite")]
pub(crate) fn closing(tokens: &[Spanned], open: usize) -> usize {
    let mut depth = 0usize;
    for (at, spanned) in tokens.iter().enumerate().skip(open) {
        match &spanned.token {
            Token::Op(op) if op == "(" => depth += 1,
            Token::Op(op) if op == ")" => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    tokens.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex(sql: &str, backend: Backend) -> Vec<Token> {
        tokens(sql, backend).into_iter().map(|s| s.token).collect()
    }

    #[test]
    fn reads_each_backends_quoting() {
        use Token::*;
        assert_eq!(
            lex(r#""it's" = 'a''b' -- gone"#, Backend::Postgres),
            [Ident("it's".into()), Op("=".into()), Str("a'b".into())]
        );
        assert_eq!(lex(r"`a``b` <> 'x\'y'", Backend::Mysql), [Ident("a`b".into()), Op("<>".into()), Str("x'y".into())]);
        assert_eq!(
            lex("[my col]>=-1.50e3", Backend::Sqlite),
            [Ident("my col".into()), Op(">=".into()), Op("-".into()), Num("1.50e3".into())]
        );
        assert_eq!(
            lex("x::text /* c */ café", Backend::Postgres),
            [Word("x".into()), Op("::".into()), Word("text".into()), Word("café".into())]
        );
    }
}
