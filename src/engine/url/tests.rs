//! Every URL form, accepted and refused.

use std::path::PathBuf;
use std::time::Duration;

use super::*;

fn driver(url: &str) -> (Backend, String) {
    let parsed = DatabaseUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
    (parsed.backend(), parsed.driver_url().to_owned())
}

fn refusal(url: &str) -> String {
    match DatabaseUrl::parse(url) {
        Ok(parsed) => panic!("{url} was accepted: {parsed:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn sqlite_paths_start_after_the_third_slash() {
    // (URL, what SQLite opens, the file)
    let cases = [
        ("sqlite:///app.db", "app.db", "app.db"),
        ("sqlite:///data/app.db", "data/app.db", "data/app.db"),
        ("sqlite:///./app.db", "./app.db", "./app.db"),
        ("sqlite:///../app.db", "../app.db", "../app.db"),
        ("sqlite:////tmp/app.db", "/tmp/app.db", "/tmp/app.db"),
        ("sqlite:///C:\\path\\to\\app.db", "C:\\path\\to\\app.db", "C:\\path\\to\\app.db"),
        ("SQLite:///app.db", "app.db", "app.db"),
        // A file whose name looks like an SQLite URI is a file of that name.
        ("sqlite:///file:app.db", "./file:app.db", "file:app.db"),
    ];
    for (url, opens, file) in cases {
        let parsed = DatabaseUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!((parsed.backend(), parsed.driver_url()), (Backend::Sqlite, opens), "{url}");
        assert_eq!(parsed.sqlite_file(), Some(PathBuf::from(file)), "{url}");
        assert!(!parsed.is_memory(), "{url}");
    }
}

#[test]
fn sqlite_in_memory_is_an_empty_path_or_memory() {
    for url in ["sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite+pysqlite:///:memory:", "sqlite://?timeout=1"] {
        let parsed = DatabaseUrl::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!((parsed.driver_url(), parsed.is_memory(), parsed.sqlite_file()), (":memory:", true, None), "{url}");
    }
}

#[test]
fn drivers_after_a_plus_are_ignored() {
    let cases = [
        ("sqlite+pysqlite:///app.db", Backend::Sqlite, "app.db"),
        ("sqlite+aiosqlite:////srv/app.db", Backend::Sqlite, "/srv/app.db"),
        ("postgresql+psycopg2://u:p@h:5432/db", Backend::Postgres, "postgresql://u:p@h:5432/db"),
        ("postgresql+psycopg://u@h/db?sslmode=require", Backend::Postgres, "postgresql://u@h/db?sslmode=require"),
        ("postgresql+asyncpg://u@h/db", Backend::Postgres, "postgresql://u@h/db"),
        ("postgresql+pg8000://u@h/db", Backend::Postgres, "postgresql://u@h/db"),
        ("mysql+pymysql://u@h/db?charset=utf8mb4", Backend::Mysql, "mysql://u@h/db?charset=utf8mb4"),
        ("mysql+mysqldb://u@h/db", Backend::Mysql, "mysql://u@h/db"),
        ("mariadb+mariadbconnector://u@h/db", Backend::Mysql, "mysql://u@h/db"),
        ("mariadb+pymysql://u@h:3307/db", Backend::Mysql, "mysql://u@h:3307/db"),
    ];
    for (url, backend, expected) in cases {
        assert_eq!(driver(url), (backend, expected.to_owned()), "{url}");
    }
}

#[test]
fn servers_without_a_driver_pass_through() {
    let cases = [
        ("postgres://u@h/db", Backend::Postgres, "postgres://u@h/db"),
        ("postgresql://u@h/db", Backend::Postgres, "postgresql://u@h/db"),
        ("mysql://u@h/db", Backend::Mysql, "mysql://u@h/db"),
        ("mariadb://u@h/db", Backend::Mysql, "mysql://u@h/db"),
    ];
    for (url, backend, expected) in cases {
        assert_eq!(driver(url), (backend, expected.to_owned()), "{url}");
        assert_eq!(DatabaseUrl::parse(url).unwrap().sqlite_file(), None);
    }
}

#[test]
fn sqlite_with_a_host_is_refused_with_the_valid_forms() {
    let cases = [
        ("sqlite://app.db", "`app.db` stands where a host goes"),
        ("sqlite://data/app.db", "for the file data/app.db, write sqlite:///data/app.db"),
        ("sqlite://:memory:", "write sqlite:///:memory: or sqlite://"),
        ("sqlite://localhost/app.db", "`localhost` stands where a host goes"),
        ("sqlite://:5432/app.db", "`:5432` stands where a host goes"),
        ("sqlite://scott:tiger@/app.db", "a SQLite URL has no user or password"),
    ];
    for (url, reason) in cases {
        let error = refusal(url);
        assert!(error.contains(reason), "{url}: {error}");
        assert!(error.contains(sqlite::FORMS), "{url}: {error}");
        assert!(!error.contains("tiger"), "{error}");
    }
}

#[test]
fn sqlite_without_slashes_is_refused_with_the_valid_forms() {
    for url in ["sqlite:app.db", "sqlite::memory:", "sqlite:/abs/app.db", "sqlite+pysqlite:app.db"] {
        let error = refusal(url);
        assert!(error.contains("a SQLite URL has `//` after `sqlite:`"), "{url}: {error}");
        assert!(error.contains("sqlite:////absolute/path/to/file.db"), "{url}: {error}");
    }
}

#[test]
fn sqlite_uris_take_their_parameters_with_uri_true() {
    let url = DatabaseUrl::parse("sqlite:///file:data/app.db?mode=ro&uri=true&cache=shared").unwrap();
    assert_eq!(url.driver_url(), "file:data/app.db?mode=ro&cache=shared");
    assert_eq!(url.sqlite_file(), Some(PathBuf::from("data/app.db")));
    let url = DatabaseUrl::parse("sqlite:///file:///srv/my%20app.db?uri=1").unwrap();
    assert_eq!(
        (url.driver_url(), url.sqlite_file()),
        ("file:///srv/my%20app.db", Some(PathBuf::from("/srv/my app.db")))
    );
    // The Python driver's own parameters stay out of the SQLite URI.
    let url = DatabaseUrl::parse("sqlite:///file:app.db?uri=true&check_same_thread=false&timeout=2&nolock=1").unwrap();
    assert_eq!(url.driver_url(), "file:app.db?nolock=1");
    assert_eq!(url.sqlite_timeout(), Some(Duration::from_secs(2)));
    // An SQLite URI of a database in memory is one.
    for memory in ["sqlite:///file::memory:?uri=true", "sqlite:///file:scratch?mode=memory&uri=true"] {
        assert!(DatabaseUrl::parse(memory).unwrap().is_memory(), "{memory}");
    }
    assert!(refusal("sqlite:///app.db?mode=ro&uri=true").contains("starts with `file:`"));
    assert!(refusal("sqlite://?uri=true").contains("starts with `file:`"));
}

#[test]
fn sqlite_query_parameters_are_read_as_sqlalchemy_reads_them() {
    let url = DatabaseUrl::parse("sqlite:///app.db?timeout=0.25").unwrap();
    assert_eq!((url.driver_url(), url.sqlite_timeout()), ("app.db", Some(Duration::from_millis(250))));
    let url = DatabaseUrl::parse("sqlite:///app.db?check_same_thread=false&isolation_level=IMMEDIATE&detect_types=3&cached_statements=10&uri=false").unwrap();
    assert_eq!((url.driver_url(), url.sqlite_timeout()), ("app.db", None));
    // Blank values are dropped, as Python's parse_qsl drops them.
    assert_eq!(DatabaseUrl::parse("sqlite:///app.db?mode=&uri").unwrap().driver_url(), "app.db");

    let error = refusal("sqlite:///app.db?mode=ro");
    assert!(error.contains("`mode` is an SQLite URI parameter: it applies only with uri=true"), "{error}");
    assert!(error.contains("sqlite:///file:path/to/file.db?mode=ro&uri=true"), "{error}");
    assert!(refusal("sqlite:///app.db?timeout=soon").contains("timeout=soon: expected a number of seconds"));
    assert!(refusal("sqlite:///app.db?timeout=-1").contains("expected a number of seconds"));
    assert!(refusal("sqlite:///app.db?uri=maybe").contains("uri=maybe: expected true or false"));
    assert!(refusal("sqlite:///app.db?timeout=1&timeout=2").contains("`timeout` is given twice"));
}

#[test]
fn read_only_opens_the_file_as_an_sqlite_uri_in_mode_ro() {
    let read_only = |url: &str| DatabaseUrl::parse(url).unwrap().read_only_driver_url();
    assert_eq!(read_only("sqlite:///data/app.db"), "file:data/app.db?mode=ro");
    assert_eq!(read_only("sqlite:////srv/app.db"), "file:///srv/app.db?mode=ro");
    assert_eq!(read_only("sqlite://///srv/app.db"), "file:////srv/app.db?mode=ro");
    assert_eq!(read_only("sqlite:///what%3F/50%25#1.db"), "file:what%253F/50%2525%231.db?mode=ro");
    assert_eq!(read_only("sqlite:///file:app.db?mode=rw&uri=true&cache=shared"), "file:app.db?cache=shared&mode=ro");
    assert_eq!(read_only("sqlite://"), ":memory:");
    assert_eq!(read_only("postgresql+psycopg2://u@h/db"), "postgresql://u@h/db");
}

#[test]
fn rejects_what_it_cannot_use_and_hides_passwords() {
    let error = refusal("oracle://scott:tiger@h/db");
    assert!(error.contains("unknown scheme `oracle`"), "{error}");
    assert!(!error.contains("tiger"), "{error}");
    assert!(refusal("oracle+cx_oracle://scott:tiger@h/db").contains("unknown scheme `oracle`"));
    assert!(refusal("no-scheme").contains("no scheme"));
    assert!(refusal("postgresql+://u@h/db").contains("the driver after `+`"));
    assert!(refusal("postgresql+psycopg-2://u@h/db").contains("the driver after `+`"));
    assert_eq!(redact("postgresql+psycopg2://app:secret@h/db"), "postgresql+psycopg2://app:***@h/db");
}
