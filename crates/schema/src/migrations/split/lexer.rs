//! The tokens of a script, as each backend's own lexer sees them: enough to
//! know where a `;` is really a `;`, and where the words that open and
//! close compound statements are.
//!
//! | | SQLite | PostgreSQL | MySQL/MariaDB |
//! |---|---|---|---|
//! | `'…'` | `''` escapes `'` | `''`; `\` only in `E'…'` | `''` and `\` |
//! | `"…"` | identifier, `""` | identifier, `""` | string, `""` and `\` |
//! | `` `…` `` | identifier | — | identifier, ``` `` ``` |
//! | `[…]` | identifier | — | — |
//! | `$tag$…$tag$` | — | string | — |
//! | `-- …` | comment | comment | comment when a space or control character follows |
//! | `# …` | — | — | comment |
//! | `/* … */` | comment | comment, nested | comment; `/*! … */` and `/*M! … */` are SQL |
//!
//! MySQL/MariaDB are read in their default SQL mode: with
//! `NO_BACKSLASH_ESCAPES` or `ANSI_QUOTES` set, a script should not rely on
//! what those change (`'C:\'`, identifiers in `"…"` holding a `\`).
//!
//! Whitespace and comments are not tokens: a statement's text runs from
//! its first token to its last, so the comments before a statement go and
//! those inside it stay. An unterminated quote or block comment runs to
//! the end of the script and is kept, for the database to report.

use crate::Backend;

/// One token: what it is and its text (a slice of the script).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    /// Where `text` starts in the script, in bytes.
    pub start: usize,
}

/// What a [`Token`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// An unquoted identifier, keyword or number.
    Word,
    /// A string or quoted identifier, in any of the backend's quotes, or a
    /// MySQL executable comment (`/*!50003 … */`): text the splitter never
    /// looks into.
    Quoted,
    /// Any other character: `;`, `(`, `:`, ...
    Punct(char),
}

impl Token<'_> {
    /// Where the token ends in the script, in bytes.
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    /// Whether this is the unquoted word `keyword` (any case).
    pub fn is_word(&self, keyword: &str) -> bool {
        self.kind == Kind::Word && self.text.eq_ignore_ascii_case(keyword)
    }
}

/// The tokens of `sql` for `backend`, without whitespace and comments.
pub(super) fn tokens(sql: &str, backend: Backend) -> Vec<Token<'_>> {
    let mut lexer = Lexer { sql, pos: 0, backend };
    std::iter::from_fn(|| lexer.next_token()).collect()
}

struct Lexer<'a> {
    sql: &'a str,
    /// The next byte to read.
    pos: usize,
    backend: Backend,
}

/// How a quoted text ends.
#[derive(Clone, Copy)]
struct Quote {
    close: char,
    /// Whether `\` escapes the character after it.
    backslash: bool,
}

impl Quote {
    /// A quote closed by `close`, doubled to stand for itself.
    const fn doubled(close: char) -> Quote {
        Quote { close, backslash: false }
    }

    /// A quote in which `\` escapes too.
    const fn escaped(close: char) -> Quote {
        Quote { close, backslash: true }
    }
}

impl<'a> Lexer<'a> {
    fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            let c = self.peek(0)?;
            let start = self.pos;
            if c.is_whitespace() {
                self.bump();
            } else if self.at_line_comment() {
                self.skip_line();
            } else if self.at("/*") {
                let executable = self.at_executable_comment();
                let closed = self.skip_block_comment();
                if executable || !closed {
                    return Some(self.token(Kind::Quoted, start));
                }
            } else if let Some(quote) = self.quote_at(c) {
                self.bump();
                self.skip_quoted(quote);
                return Some(self.token(Kind::Quoted, start));
            } else if c == '$' && self.backend == Backend::Postgres && self.skip_dollar_quoted() {
                return Some(self.token(Kind::Quoted, start));
            } else if is_word_start(c) {
                while self.peek(0).is_some_and(is_word_part) {
                    self.bump();
                }
                // PostgreSQL's escape strings: E'it\'s'.
                let word = &self.sql[start..self.pos];
                if self.backend == Backend::Postgres && word.eq_ignore_ascii_case("e") && self.peek(0) == Some('\'') {
                    self.bump();
                    self.skip_quoted(Quote::escaped('\''));
                    return Some(self.token(Kind::Quoted, start));
                }
                return Some(self.token(Kind::Word, start));
            } else {
                self.bump();
                return Some(self.token(Kind::Punct(c), start));
            }
        }
    }

    /// The quote that `c` opens on this backend, if it opens one.
    fn quote_at(&self, c: char) -> Option<Quote> {
        match (self.backend, c) {
            (Backend::Mysql, '\'' | '"') => Some(Quote::escaped(c)),
            (_, '\'' | '"') => Some(Quote::doubled(c)),
            (Backend::Mysql | Backend::Sqlite, '`') => Some(Quote::doubled('`')),
            (Backend::Sqlite, '[') => Some(Quote::doubled(']')),
            _ => None,
        }
    }

    /// Skips to just after the quote that closes `quote` (or to the end).
    fn skip_quoted(&mut self, quote: Quote) {
        while let Some(c) = self.bump() {
            if quote.backslash && c == '\\' {
                self.bump();
            } else if c == quote.close {
                if self.peek(0) != Some(quote.close) || quote.close == ']' {
                    return;
                }
                self.bump(); // a doubled quote stands for itself
            }
        }
    }

    /// Skips `$tag$ … $tag$` if a dollar quote starts here; returns whether
    /// one did (`$1`, a parameter, is no quote).
    fn skip_dollar_quoted(&mut self) -> bool {
        let rest = &self.sql[self.pos + 1..];
        let tag_len = rest.find(|c: char| !is_word_part(c) || c == '$').unwrap_or(rest.len());
        let tag = &rest[..tag_len];
        let valid = tag.chars().next().is_none_or(|c| is_word_start(c) && !c.is_ascii_digit());
        if !valid || !rest[tag_len..].starts_with('$') {
            return false;
        }
        let delimiter = &self.sql[self.pos..self.pos + tag_len + 2];
        let body = self.pos + delimiter.len();
        self.pos = match self.sql[body..].find(delimiter) {
            Some(at) => body + at + delimiter.len(),
            None => self.sql.len(),
        };
        true
    }

    /// Whether a line comment starts here: `--` (on MySQL only when a space
    /// or control character or the end follows), or `#` on MySQL.
    fn at_line_comment(&self) -> bool {
        match self.backend {
            Backend::Mysql => {
                self.peek(0) == Some('#')
                    || (self.at("--") && self.peek(2).is_none_or(|c| c.is_whitespace() || c.is_control()))
            }
            _ => self.at("--"),
        }
    }

    fn skip_line(&mut self) {
        while self.bump().is_some_and(|c| c != '\n') {}
    }

    /// Whether the `/*` here opens a MySQL executable comment: `/*!` or
    /// MariaDB's `/*M!`.
    fn at_executable_comment(&self) -> bool {
        self.backend == Backend::Mysql && (self.at("/*!") || self.at("/*M!"))
    }

    /// Skips a `/* … */` comment starting here (PostgreSQL's nest);
    /// returns whether it was closed.
    fn skip_block_comment(&mut self) -> bool {
        let nests = self.backend == Backend::Postgres;
        self.pos += 2;
        let mut depth = 1;
        while self.pos < self.sql.len() {
            if self.at("*/") {
                self.pos += 2;
                depth -= 1;
                if depth == 0 {
                    return true;
                }
            } else if nests && self.at("/*") {
                self.pos += 2;
                depth += 1;
            } else {
                self.bump();
            }
        }
        false
    }

    fn token(&self, kind: Kind, start: usize) -> Token<'a> {
        Token { kind, text: &self.sql[start..self.pos], start }
    }

    fn at(&self, text: &str) -> bool {
        self.sql[self.pos..].starts_with(text)
    }

    /// The character `n` characters ahead.
    fn peek(&self, n: usize) -> Option<char> {
        self.sql[self.pos..].chars().nth(n)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.pos += c.len_utf8();
        Some(c)
    }
}

/// Whether `c` starts an unquoted identifier, keyword or number (any
/// non-ASCII character does, on every backend).
fn is_word_start(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || !c.is_ascii()
}

/// Whether `c` continues one: `$` does too (`a$b` is one identifier).
fn is_word_part(c: char) -> bool {
    is_word_start(c) || c == '$'
}
