//! Nothing to use: this package's targets are its integration tests
//! (`integration/`), the quickstart example and the benches.
//!
//! The library exists for the compile-fail tests: the project trybuild
//! generates depends on the package under test only through its library,
//! and that dependency carries this package's features, so the files in
//! `ui/` compile against the same quarry backends as the tests.
