//! Schema errors, rendered like rustc's: `error: ...` then `--> file:line:col`
//! with the offending text underlined, and a hint.

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::NoColor};

use crate::ir::{SourceFile, Span};

/// One error in a schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong, e.g. "unknown column type `Strin`".
    pub message: String,
    /// Where.
    pub span: Span,
    /// The text under the underline.
    pub label: String,
    /// Other places that explain the error.
    pub notes: Vec<(Span, String)>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span`, with `message` also used as its label.
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Diagnostic { message: message.into(), span, label: String::new(), notes: Vec::new(), hint: None }
    }

    /// Sets the text shown under the underline.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Adds a hint: what to do.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a secondary place, e.g. the first of two duplicates.
    pub fn note(mut self, span: Span, text: impl Into<String>) -> Self {
        self.notes.push((span, text.into()));
        self
    }
}

/// All errors one phase found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    errors: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records an error.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.errors.push(diagnostic);
    }

    /// The most recently recorded error. Panics when there is none, which
    /// callers rule out by pushing first.
    pub(crate) fn last_mut(&mut self) -> &mut Diagnostic {
        self.errors.last_mut().expect("an error was just pushed")
    }

    /// Adds every error of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.errors.extend(other.errors);
    }

    /// The errors, in the order found.
    pub fn errors(&self) -> &[Diagnostic] {
        &self.errors
    }

    /// Whether no error was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Err(self)` when any error was recorded: ends a phase.
    pub fn propagate(self) -> Result<(), Diagnostics> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Renders every error, rustc-style and without colour, against the
    /// files the schema was read from.
    pub fn render(&self, files: &[SourceFile]) -> String {
        let mut store = SimpleFiles::new();
        for file in files {
            store.add(file.path.clone(), file.text.clone());
        }
        let config = term::Config::default();
        let mut out = NoColor::new(Vec::new());
        let mut sorted: Vec<&Diagnostic> = self.errors.iter().collect();
        sorted.sort_by_key(|d| (d.span.file, d.span.start));
        for diagnostic in sorted {
            let mut labels = vec![Label::primary(diagnostic.span.file, diagnostic.span.start..diagnostic.span.end)
                .with_message(diagnostic.label.clone())];
            for (span, text) in &diagnostic.notes {
                labels.push(Label::secondary(span.file, span.start..span.end).with_message(text.clone()));
            }
            let mut report = Report::error().with_message(diagnostic.message.clone()).with_labels(labels);
            if let Some(hint) = &diagnostic.hint {
                report = report.with_notes(vec![format!("help: {hint}")]);
            }
            // Writing to a Vec cannot fail; a span outside its file would be
            // a bug in quarry, reported as plain text rather than a panic.
            if term::emit(&mut out, &config, &store, &report).is_err() {
                let path = files.get(diagnostic.span.file).map_or("<schema>", |f| f.path.as_str());
                out.get_mut().extend(format!("error: {}\n  --> {path}\n", diagnostic.message).into_bytes());
            }
        }
        let count = self.errors.len();
        let summary = if count == 1 {
            "error: could not generate the schema due to 1 previous error\n".to_owned()
        } else {
            format!("error: could not generate the schema due to {count} previous errors\n")
        };
        let mut text = String::from_utf8_lossy(out.get_ref()).into_owned();
        text.push_str(&summary);
        text
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for error in &self.errors {
            writeln!(f, "error: {}", error.message)?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// The closest of `candidates` to `word`, if close enough to suggest.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// "did you mean `x`?" for the closest candidate, if any.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    suggest(word, candidates).map(|c| format!("did you mean `{c}`?"))
}
