//! SQLite URLs, read as SQLAlchemy reads them: the path starts after the
//! third slash, so `sqlite:///app.db` is the relative `app.db` and
//! `sqlite:////var/app.db` the absolute `/var/app.db`; `sqlite://` and
//! `sqlite:///:memory:` are a database in memory; nothing may stand
//! between the second and the third slash (SQLite has no host).
//!
//! The query string is read as SQLAlchemy's pysqlite dialect reads it:
//! `uri=true` makes the database an SQLite URI (`file:…`) and passes the
//! other parameters to it (`?mode=ro&uri=true`); `timeout` (seconds) is the
//! busy timeout; `check_same_thread`, `isolation_level`, `detect_types` and
//! `cached_statements` configure Python's `sqlite3` module and are ignored.
//! Where SQLAlchemy silently drops a parameter (an SQLite URI parameter
//! without `uri=true`) or would open a file named after the query
//! (`uri=true` with a plain path), quarry refuses the URL instead.

use std::path::PathBuf;
use std::time::Duration;

/// The valid forms, for messages (SQLAlchemy's list).
pub(super) const FORMS: &str = "the valid forms are sqlite:///relative/path/to/file.db, \
     sqlite:////absolute/path/to/file.db and sqlite:///:memory: (or sqlite://)";

/// Parameters of Python's `sqlite3.connect` that have no counterpart in
/// quarry (Rust's types and quarry's own transactions cover what they do).
const PYTHON_ONLY: [&str; 4] = ["check_same_thread", "isolation_level", "detect_types", "cached_statements"];

/// What a SQLite URL opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A database in memory, one per connection.
    Memory,
    /// A file, by path: relative to the working directory, or absolute.
    Path(String),
    /// An SQLite URI (`uri=true`): `file:…` without its query, and the
    /// parameters for its query (`mode=ro`, `cache=shared`, …).
    Uri { uri: String, params: Vec<(String, String)> },
}

/// A parsed SQLite URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SqliteUrl {
    pub(super) target: Target,
    /// `timeout`: how long a statement waits for a lock.
    pub(super) timeout: Option<Duration>,
}

impl SqliteUrl {
    /// Reads what follows `sqlite://`; the error is the reason the URL is
    /// refused.
    pub(super) fn parse(rest: &str) -> Result<Self, String> {
        let (location, query) = match rest.split_once('?') {
            Some((location, query)) => (location, Some(query)),
            None => (rest, None),
        };
        let (authority, database) = match location.split_once('/') {
            Some((authority, database)) => (authority, database),
            None => (location, ""),
        };
        if !authority.is_empty() {
            return Err(authority_error(authority, database));
        }
        let mut uri = false;
        let mut timeout = None;
        let mut params: Vec<(String, String)> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in query.map(query_pairs).unwrap_or_default() {
            if seen.contains(&key) {
                return Err(format!("the query parameter `{key}` is given twice"));
            }
            seen.push(key.clone());
            match key.as_str() {
                "uri" => uri = as_bool(&value).ok_or_else(|| format!("uri={value}: expected true or false"))?,
                "timeout" => timeout = Some(seconds(&value)?),
                key if PYTHON_ONLY.contains(&key) => {}
                _ => params.push((key, value)),
            }
        }
        let target = if uri {
            if !database.starts_with("file:") {
                return Err(format!(
                    "with uri=true the database is an SQLite URI, which starts with `file:` \
                     (sqlite:///file:path/to/file.db?mode=ro&uri=true), not `{database}`"
                ));
            }
            Target::Uri { uri: database.to_owned(), params }
        } else if let Some((key, value)) = params.first() {
            return Err(format!(
                "`{key}` is an SQLite URI parameter: it applies only with uri=true and the database \
                 written as an SQLite URI (sqlite:///file:path/to/file.db?{key}={value}&uri=true)"
            ));
        } else if database.is_empty() || database == ":memory:" {
            Target::Memory
        } else {
            Target::Path(database.to_owned())
        };
        Ok(SqliteUrl { target, timeout })
    }

    /// What SQLite opens (diesel opens with `SQLITE_OPEN_URI`).
    pub(super) fn driver_url(&self) -> String {
        match &self.target {
            Target::Memory => ":memory:".to_owned(),
            // A relative path that looks like a URI to SQLite or diesel
            // is a file of that name, as it is to Python's sqlite3.
            Target::Path(path) if path.starts_with("file:") || path.starts_with("sqlite://") => format!("./{path}"),
            Target::Path(path) => path.clone(),
            Target::Uri { uri, params } => with_params(uri, params),
        }
    }

    /// What SQLite opens for reading only: the file as an SQLite URI with
    /// `mode=ro`, which fails when there is no file instead of creating one.
    pub(super) fn read_only_driver_url(&self) -> String {
        let mode = ("mode".to_owned(), "ro".to_owned());
        match &self.target {
            Target::Memory => self.driver_url(),
            Target::Path(path) => {
                // `file:` then the path; an absolute one after an empty
                // authority, so that a path starting `//` stays a path.
                let authority = if path.starts_with('/') { "//" } else { "" };
                with_params(&format!("file:{authority}{}", encode(path)), &[mode])
            }
            Target::Uri { uri, params } => {
                let mut params: Vec<_> = params.iter().filter(|(k, _)| k != "mode").cloned().collect();
                params.push(mode);
                with_params(uri, &params)
            }
        }
    }

    /// The database file; `None` in memory.
    pub(super) fn file(&self) -> Option<PathBuf> {
        match &self.target {
            Target::Memory => None,
            Target::Path(path) => Some(PathBuf::from(path)),
            Target::Uri { uri, params } => {
                let rest = &uri["file:".len()..];
                // `file://host/path`: SQLite takes an empty host or `localhost`.
                let path = match rest.strip_prefix("//") {
                    Some(after) => &after[after.find('/').unwrap_or(after.len())..],
                    None => rest,
                };
                let path = decode(path.split('#').next().unwrap_or_default());
                let memory = path == ":memory:" || params.iter().any(|(k, v)| k == "mode" && v == "memory");
                (!memory).then(|| PathBuf::from(path))
            }
        }
    }
}

/// Why a URL with something between `sqlite://` and the path is refused,
/// with the form the user probably meant.
fn authority_error(authority: &str, database: &str) -> String {
    if authority.contains('@') {
        return format!("a SQLite URL has no user or password; {FORMS}");
    }
    if authority == ":memory:" {
        return format!("`:memory:` stands where a host goes: write sqlite:///:memory: or sqlite://; {FORMS}");
    }
    let path = if database.is_empty() { authority.to_owned() } else { format!("{authority}/{database}") };
    format!(
        "`{authority}` stands where a host goes, and SQLite has none: the path starts after the third slash \
         (for the file {path}, write sqlite:///{path}); {FORMS}"
    )
}

/// `key=value` pairs of a query string, decoded as Python's `parse_qsl`
/// does (`+` is a space, `%XX` a byte); pairs without a value are dropped,
/// as there.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(_, value)| !value.is_empty())
        .map(|(key, value)| (decode(&key.replace('+', " ")), decode(&value.replace('+', " "))))
        .collect()
}

/// SQLAlchemy's `asbool`.
fn as_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "y" | "t" | "1" => Some(true),
        "false" | "no" | "off" | "n" | "f" | "0" => Some(false),
        _ => None,
    }
}

/// `timeout`, in seconds as Python's sqlite3 takes it (`5`, `0.5`).
fn seconds(value: &str) -> Result<Duration, String> {
    value
        .trim()
        .parse::<f64>()
        .ok()
        .and_then(|s| Duration::try_from_secs_f64(s).ok())
        .ok_or_else(|| format!("timeout={value}: expected a number of seconds"))
}

/// `uri` with `params` as its query.
fn with_params(uri: &str, params: &[(String, String)]) -> String {
    if params.is_empty() {
        return uri.to_owned();
    }
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    format!("{uri}?{}", query.join("&"))
}

/// Percent-encodes what would end or change a part of an SQLite URI.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' | '?' | '#' | '&' | '=' => out.push_str(&format!("%{:02X}", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits stays.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes.get(at + 1..at + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
        let escaped = hex.and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        match (bytes[at], escaped) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
