//! What the generated code looks like: the options every emitter reads.

/// How `allow_tables_to_appear_in_same_query!` is emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum TableGrouping {
    /// One invocation over all tables: any two tables may be joined.
    /// Costs O(n²) trait impls, which slows compilation of large schemas.
    #[default]
    AllTables,
    /// One invocation per group of tables connected by foreign keys: only
    /// tables of one group may appear in the same query.
    ForeignKeyComponents,
}

/// Options of the generated code.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Options {
    /// Derive `serde::Serialize` and `serde::Deserialize` on models,
    /// insertables, changesets and enums (the crate must depend on serde,
    /// and on chrono's and bigdecimal's `serde` features where used).
    pub serde: bool,
    /// See [`TableGrouping`].
    pub table_grouping: TableGrouping,
}
