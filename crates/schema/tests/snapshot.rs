//! Snapshots of every format load, and upgrade to the current one.

use std::path::Path;

use quarry_schema::snapshot::{from_json, to_json, FORMAT};
use quarry_schema::Error;

const V1_DEMO: &str = include_str!("fixtures/v1_demo.json");
const V2_DEMO: &str = include_str!("fixtures/v2_demo.json");

#[test]
fn format_1_upgrades_to_the_current_format() {
    let upgraded = from_json(V1_DEMO, Path::new("v1_demo.json")).unwrap();
    // Pinned: the upgrade of the demo schema's format-1 snapshot, as
    // `quarry init` + `revision` wrote it before the shared model.
    assert_eq!(to_json(&upgraded), V2_DEMO);
    // Columns are named by SQL name now, not by Rust field.
    let articles = upgraded.table("articles").unwrap();
    assert!(articles.foreign_keys.iter().all(|fk| fk.columns.iter().all(|c| articles.column(c).is_some())));
}

#[test]
fn the_current_format_round_trips() {
    let schema = from_json(V2_DEMO, Path::new("v2_demo.json")).unwrap();
    assert_eq!(from_json(&to_json(&schema), Path::new("again.json")).unwrap(), schema);
    assert!(V2_DEMO.contains(&format!("\"format\": {FORMAT}")));
}

#[test]
fn a_newer_format_is_refused_not_misread() {
    let newer = r#"{ "format": 99, "tables": [], "enums": [] }"#;
    let error = from_json(newer, Path::new("migrations/schema.json")).unwrap_err();
    assert!(matches!(error, Error::NewerSnapshot { found: 99, newest: FORMAT, .. }), "{error}");
    assert!(error.to_string().starts_with("migrations/schema.json: snapshot format 99 is newer"), "{error}");
}

#[test]
fn a_damaged_snapshot_names_its_file() {
    let error = from_json("{ \"tables\": 3 }", Path::new("migrations/schema.json")).unwrap_err();
    assert!(matches!(error, Error::BadSnapshot { .. }));
    assert!(error.to_string().starts_with("migrations/schema.json: not a quarry schema snapshot"), "{error}");
}
