//! The build-script entry point.

use std::path::{Path, PathBuf};

use crate::error::Error;
use crate::ir::SourceFile;
use crate::options::{Options, TableGrouping};

/// Configures and runs code generation from a build script.
#[derive(Debug, Clone)]
pub struct Builder {
    schema_dir: PathBuf,
    out_file: Option<PathBuf>,
    options: Options,
}

impl Default for Builder {
    fn default() -> Self {
        Builder { schema_dir: PathBuf::from("schema"), out_file: None, options: Options::default() }
    }
}

impl Builder {
    /// A builder reading `schema/*.rs` and writing `$OUT_DIR/quarry_schema.rs`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The folder holding the schema files (default `schema`).
    pub fn schema_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.schema_dir = dir.into();
        self
    }

    /// Where to write the generated module (default
    /// `$OUT_DIR/quarry_schema.rs`, which `quarry::include_schema!` reads).
    pub fn out_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.out_file = Some(path.into());
        self
    }

    /// Derive serde's traits on generated types.
    pub fn serde(mut self, yes: bool) -> Self {
        self.options.serde = yes;
        self
    }

    /// How tables are allowed to appear together in queries.
    pub fn table_grouping(mut self, grouping: TableGrouping) -> Self {
        self.options.table_grouping = grouping;
        self
    }

    /// Generates the module, or prints every schema error rustc-style to
    /// stderr and exits the build script with status 1.
    ///
    /// Prints `cargo:rerun-if-changed` for the schema folder (so a new file
    /// is noticed) and for each schema file, so cargo reruns the build
    /// script only when the schema changes.
    pub fn run(self) {
        let generated = self.generate();
        for path in &generated.rerun_if_changed {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        if let Err(error) = generated.result {
            eprintln!("{}", error.report());
            std::process::exit(1);
        }
    }

    /// Generates the module without printing anything.
    pub fn generate(&self) -> Generated {
        let mut rerun_if_changed = vec![self.schema_dir.clone()];
        let result = self.generate_into(&mut rerun_if_changed);
        Generated { rerun_if_changed, result }
    }

    fn generate_into(&self, watched: &mut Vec<PathBuf>) -> Result<Written, Error> {
        let files = read_schema_dir(&self.schema_dir)?;
        if files.is_empty() {
            return Err(Error::NoSchemaFiles { dir: self.schema_dir.clone() });
        }
        watched.extend(files.iter().map(|f| PathBuf::from(&f.path)));
        let code = match crate::generate(files.clone(), &self.options) {
            Ok(output) => output.rust,
            Err(diagnostics) => {
                let rendered = diagnostics.render(&files);
                return Err(Error::Schema { diagnostics, rendered });
            }
        };
        let out = match &self.out_file {
            Some(path) => path.clone(),
            None => Path::new(&std::env::var_os("OUT_DIR").ok_or(Error::NoOutDir)?).join("quarry_schema.rs"),
        };
        let changed = write_if_changed(&out, &code).map_err(|source| Error::Write { path: out.clone(), source })?;
        Ok(Written { path: out, changed })
    }
}

/// What [`Builder::generate`] did.
#[derive(Debug)]
pub struct Generated {
    /// The paths cargo should watch: the schema folder and every schema file.
    pub rerun_if_changed: Vec<PathBuf>,
    /// The written file, or what stopped it (every schema error at once).
    pub result: Result<Written, Error>,
}

/// The generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// False when the file already held exactly this code and was left
    /// untouched (so cargo does not recompile the crate).
    pub changed: bool,
}

/// Reads every `*.rs` file of the schema folder `dir`, sorted by name, as
/// [`Builder`] and the `quarry` CLI read it (for [`load`](crate::load)).
pub fn read_schema_dir(dir: &Path) -> Result<Vec<SourceFile>, Error> {
    let entries =
        std::fs::read_dir(dir).map_err(|source| Error::ReadDir { what: "schema", path: dir.to_owned(), source })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read { path: path.clone(), source })?;
            Ok(SourceFile { path: path.display().to_string(), text })
        })
        .collect()
}

/// Writes `contents` unless the file already holds exactly that, so that an
/// unchanged schema does not touch the output and recompile the crate.
fn write_if_changed(path: &Path, contents: &str) -> std::io::Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == contents) {
        return Ok(false);
    }
    std::fs::write(path, contents)?;
    Ok(true)
}
