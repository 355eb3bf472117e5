//! `quarry check` against a database: the schema compared with what the
//! live catalog holds, by [`quarry::inspect::compare`], which decides what
//! a difference is; this module only connects.

use quarry::inspect::Difference;
use quarry_schema::db::Schema;

use crate::database::read_only_engine;
use crate::error::{Error, Result};

/// Every difference between the database at `url` and the schema.
pub fn live_differences(url: &str, schema: &Schema) -> Result<Vec<Difference>> {
    read_only_engine(url)?.compare(schema).map_err(Error::database(url))
}
