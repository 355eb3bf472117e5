//! `quarry::inspect::compare`, what `quarry check --url` reports, finds no
//! difference where there is none: on every backend, a database made by
//! `create_all` matches its schema exactly, for the demo schema and every
//! schema case of quarry-codegen's snapshot tests (every column type and
//! default, every constraint and referential action, a cycle, enums,
//! hostile names, PostgreSQL namespaces). `drift.rs` makes differences.

use crate::common;

use quarry::engine::Backend;
use quarry::inspect::InspectConnection;
use quarry::Metadata;

use crate::generated_cases::{all_types, constraints, cycle, enums, hostile_names, pg_schema};
use crate::schema;

/// `create_all` of `metadata`, then the differences, which must be none.
fn matches_after_create_all<C: InspectConnection>(conn: &mut C, metadata: &Metadata) {
    quarry::ddl::create_all(conn, metadata).unwrap();
    let differences = quarry::inspect::compare(conn, &metadata.schema).unwrap();
    let lines: Vec<String> = differences.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "{}: false differences:\n{}", C::BACKEND, lines.join("\n"));
}

/// The pg_schema case with its PostgreSQL namespace `auth` renamed to one
/// of this test's own (other tests create `auth` too), emptied first.
fn in_namespace_of_its_own<C: InspectConnection>(conn: &mut C, namespace: &str) -> Metadata {
    let mut schema = pg_schema::METADATA.schema.clone();
    for table in schema.tables.to_mut() {
        if table.schema.is_some() {
            table.schema = Some(namespace.to_owned().into());
        }
    }
    for e in schema.enums.to_mut() {
        if e.schema.is_some() {
            e.schema = Some(namespace.to_owned().into());
        }
    }
    if C::BACKEND == Backend::Postgres {
        conn.batch_execute(&format!("DROP SCHEMA IF EXISTS \"{namespace}\" CASCADE")).unwrap();
    }
    Metadata { schema, models: pg_schema::METADATA.models.clone() }
}

common::backend_tests! {
    fn demo_schema_matches_after_create_all(conn) {
        matches_after_create_all(conn, &schema::METADATA);
    }

    fn all_types_case_matches_after_create_all(conn) {
        matches_after_create_all(conn, &all_types::METADATA);
    }

    fn constraints_case_matches_after_create_all(conn) {
        matches_after_create_all(conn, &constraints::METADATA);
    }

    fn cycle_case_matches_after_create_all(conn) {
        matches_after_create_all(conn, &cycle::METADATA);
    }

    fn enums_case_matches_after_create_all(conn) {
        matches_after_create_all(conn, &enums::METADATA);
    }

    fn hostile_names_case_matches_after_create_all(conn) {
        matches_after_create_all(conn, &hostile_names::METADATA);
    }

    fn pg_schema_case_matches_after_create_all(conn) {
        let metadata = in_namespace_of_its_own(conn, "qt_check_pg_schema_auth");
        matches_after_create_all(conn, &metadata);
    }
}
