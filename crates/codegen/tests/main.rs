//! quarry-codegen's integration tests, in one binary so that syn,
//! prettyplease and quarry-schema are linked once: each module is one area
//! (`Cargo.toml` sets `autotests = false`, so a new file here runs only once
//! it is declared below).

mod builder;
mod cascades;
mod cases;
mod ddl;
mod diagnostics;
mod doctest_schema;
mod embed;
mod fuzz;
mod migrate;
mod names;
