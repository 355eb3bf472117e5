//! `examples/web.rs`, started as a process on a free port over a fresh
//! database of each backend, answering real HTTP requests.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

use crate::common;

/// The example server, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `examples/web` on `database_url` and waits for its
    /// "listening on" line (its migrations have run by then).
    fn start(database_url: &str) -> Server {
        let deps = std::env::current_exe().expect("the test binary's path");
        let binary = deps.parent().and_then(|d| d.parent()).expect("target/<profile>").join("examples/web");
        assert!(
            binary.exists(),
            "{} is missing: build it with `cargo build --example web --features axum` (cargo test builds it)",
            binary.display()
        );
        let mut child = Command::new(binary)
            .env("DATABASE_URL", database_url)
            .env("PORT", "0")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the example");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("its stdout")).read_line(&mut line).expect("read its first line");
        let base = line.trim().strip_prefix("listening on ").unwrap_or_else(|| panic!("the example said {line:?}"));
        Server { base: base.to_owned(), child }
    }

    fn request(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("GET", _) => agent.get(&url).call(),
            ("DELETE", _) => agent.delete(&url).call(),
            ("POST", Some(body)) => agent.post(&url).send_json(&body),
            other => panic!("no such request: {other:?}"),
        };
        let mut response = response.unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().expect("the body");
        (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).expect("a JSON body") })
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The API's whole story on one database.
fn serves_the_blog_api(database_url: &str) {
    let server = Server::start(database_url);

    let new_author = json!({ "name": "Ada", "articles": [{ "title": "Notes" }, { "title": "Bernoulli" }] });
    let (status, ada) = server.request("POST", "/authors", Some(new_author));
    assert_eq!(status, 201, "{ada}");
    assert_eq!(ada["name"], "Ada");
    let mut titles: Vec<&str> =
        ada["articles"].as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    titles.sort();
    assert_eq!(titles, ["Bernoulli", "Notes"]);
    let id = ada["id"].as_i64().unwrap();
    server.request("POST", "/authors", Some(json!({ "name": "Alan" })));

    // A refused article: 422 naming the constraint, and neither the
    // author nor any article of the request written.
    let (status, error) =
        server.request("POST", "/authors", Some(json!({ "name": "Grace", "articles": [{ "title": "" }] })));
    assert_eq!(status, 422, "{error}");
    assert_eq!(error["constraint"], "ck_articles_title");

    // Paginated, by name, each author with its articles.
    let (status, page) = server.request("GET", "/authors?page=1&per_page=1", None);
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["total"], 2, "Grace was not written: {page}");
    assert_eq!(page["authors"].as_array().unwrap().len(), 1);
    assert_eq!(page["authors"][0]["name"], "Ada");
    assert_eq!(page["authors"][0]["articles"].as_array().unwrap().len(), 2);
    let (_, second) = server.request("GET", "/authors?page=2&per_page=1", None);
    assert_eq!(second["authors"][0]["name"], "Alan");
    assert_eq!(second["authors"][0]["articles"], json!([]));

    let (status, one) = server.request("GET", &format!("/authors/{id}"), None);
    assert_eq!((status, &one["name"]), (200, &json!("Ada")));
    let (status, _) = server.request("GET", "/authors/999999", None);
    assert_eq!(status, 404);

    // Deleted with its articles.
    let (status, _) = server.request("DELETE", &format!("/authors/{id}"), None);
    assert_eq!(status, 204);
    let (status, _) = server.request("GET", &format!("/authors/{id}"), None);
    assert_eq!(status, 404);
    let (status, _) = server.request("DELETE", &format!("/authors/{id}"), None);
    assert_eq!(status, 404);
    let (_, page) = server.request("GET", "/authors", None);
    assert_eq!(page["total"], 1);
}

#[cfg(feature = "sqlite")]
#[test]
fn the_web_example_serves_its_api_sqlite() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("sqlite");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("web_example.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    serves_the_blog_api(&format!("sqlite:///{}", path.display()));
}

#[test]
fn the_web_example_serves_its_api_postgres() {
    common::assert_backend_compiled(common::POSTGRES_URL_VAR, cfg!(feature = "postgres"), "postgres");
    #[cfg(feature = "postgres")]
    {
        let Some(url) = common::postgres_test_url("web_example") else { return };
        serves_the_blog_api(&url);
    }
}

#[test]
fn the_web_example_serves_its_api_mysql() {
    common::assert_backend_compiled(common::MYSQL_URL_VAR, cfg!(feature = "mysql"), "mysql");
    #[cfg(feature = "mysql")]
    {
        if common::mysql("web_example").is_none() {
            return;
        }
        serves_the_blog_api(&common::mysql_test_url("web_example").expect("the URL is set"));
    }
}
