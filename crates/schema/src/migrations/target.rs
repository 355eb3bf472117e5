//! Revision targets: how far `upgrade`, `downgrade` and `stamp` go, read
//! once from text and resolved by one set of rules, online (against what a
//! database has applied) and offline (against a range of revisions).

use std::fmt;
use std::str::FromStr;

use super::Migration;
use crate::{Error, Result};

/// Where an upgrade or downgrade goes: `head`, `base`, `+N`, `-N` or a
/// revision's version.
///
/// ```
/// use quarry_schema::migrations::Target;
///
/// assert_eq!("head".parse::<Target>()?, Target::Head);
/// assert_eq!("-1".parse::<Target>()?, Target::Relative(-1));
/// assert_eq!("0002".parse::<Target>()?, Target::Version("0002".into()));
/// assert!("+x".parse::<Target>().is_err());
/// assert_eq!(Target::Relative(2).to_string(), "+2");
/// # Ok::<(), quarry_schema::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// Every revision.
    Head,
    /// No revision: before the first.
    Base,
    /// `+N`: N revisions more than are applied (upgrades); `-N`: N fewer
    /// (downgrades). Never zero.
    Relative(i32),
    /// A revision, by its version: everything up to and including it.
    Version(String),
}

/// Which way a [`Target`] is approached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Applies `up.sql` scripts, oldest first.
    Upgrade,
    /// Applies `down.sql` scripts, newest first.
    Downgrade,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        })
    }
}

impl FromStr for Target {
    type Err = Error;

    /// Reads `head`, `base`, `+N` or `-N` (N ≥ 1), or a version (any other
    /// text without whitespace or `:`).
    fn from_str(text: &str) -> Result<Target> {
        let bad = |reason| Error::BadTarget { target: text.to_owned(), reason };
        match text {
            "head" => return Ok(Target::Head),
            "base" => return Ok(Target::Base),
            "" => return Err(bad("it is empty")),
            _ => {}
        }
        if let Some(digits) = text.strip_prefix(['+', '-']) {
            let n: i32 = digits
                .parse()
                .ok()
                .filter(|n| *n > 0 && digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| bad("a relative target is `+N` or `-N` with N a whole number of at least 1"))?;
            return Ok(Target::Relative(if text.starts_with('-') { -n } else { n }));
        }
        if text.contains(':') {
            return Err(bad("a `FROM:TO` range is only taken by `upgrade --sql` and `downgrade --sql`"));
        }
        if text.chars().any(char::is_whitespace) {
            return Err(bad("a version holds no whitespace"));
        }
        Ok(Target::Version(text.to_owned()))
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Head => f.write_str("head"),
            Target::Base => f.write_str("base"),
            Target::Relative(n) => write!(f, "{n:+}"),
            Target::Version(version) => f.write_str(version),
        }
    }
}

impl Target {
    /// The migrations to run to reach this target from a database that has
    /// `applied` (the versions it records as completely applied), in the
    /// order to run them: for an upgrade, the pending migrations, oldest
    /// first; for a downgrade, the applied ones, newest first.
    ///
    /// | target | upgrade | downgrade |
    /// |---|---|---|
    /// | `head` | every pending migration | nothing |
    /// | `base` | nothing | every applied migration |
    /// | `+N` | the first N pending | an error |
    /// | `-N` | an error | the last N applied |
    /// | a version | the pending ones up to it | the applied ones after it |
    ///
    /// Relative targets stop at the ends (`+5` with two pending runs two).
    /// Errors: a version not among `migrations` ([`Error::UnknownRevision`],
    /// listing those there are); a relative target counting the wrong way
    /// ([`Error::WrongDirection`]); a downgrade that would revert an applied
    /// version `migrations` does not hold ([`Error::UnknownApplied`]).
    ///
    /// ```
    /// use quarry_schema::migrations::{Direction, Migration, Target};
    ///
    /// let migrations: Vec<Migration> = ["0001", "0002", "0003"].map(|v| Migration::new(v, "")).into();
    /// let versions = |ms: Vec<&Migration>| ms.iter().map(|m| m.version.to_string()).collect::<Vec<_>>();
    /// let applied = ["0001", "0002"];
    /// assert_eq!(versions(Target::Head.resolve(Direction::Upgrade, &migrations, &applied)?), ["0003"]);
    /// assert_eq!(versions(Target::Base.resolve(Direction::Downgrade, &migrations, &applied)?), ["0002", "0001"]);
    /// assert_eq!(versions("0001".parse::<Target>()?.resolve(Direction::Downgrade, &migrations, &applied)?), ["0002"]);
    /// let unknown = "0009".parse::<Target>()?.resolve(Direction::Upgrade, &migrations, &applied).unwrap_err();
    /// assert_eq!(unknown.to_string(), "no revision `0009`: the revisions are 0001, 0002, 0003");
    /// # Ok::<(), quarry_schema::Error>(())
    /// ```
    pub fn resolve<'m>(
        &self,
        direction: Direction,
        migrations: &'m [Migration],
        applied: &[impl AsRef<str>],
    ) -> Result<Vec<&'m Migration>> {
        let mut ordered: Vec<&Migration> = migrations.iter().collect();
        ordered.sort_by(|a, b| a.version.cmp(&b.version));
        let is_applied = |version: &str| applied.iter().any(|a| a.as_ref() == version);
        let exact;
        let target = match self {
            Target::Version(version) => {
                exact = Target::Version(revision(&ordered, version)?.to_owned());
                &exact
            }
            other => other,
        };
        let wrong_way = || Err(Error::WrongDirection { target: self.to_string(), direction });
        match direction {
            Direction::Upgrade => {
                let pending = ordered.into_iter().filter(|m| !is_applied(&m.version));
                Ok(match target {
                    Target::Head => pending.collect(),
                    Target::Base => Vec::new(),
                    Target::Relative(n) if *n > 0 => pending.take(n.unsigned_abs() as usize).collect(),
                    Target::Relative(_) => return wrong_way(),
                    Target::Version(version) => pending.filter(|m| *m.version <= **version).collect(),
                })
            }
            Direction::Downgrade => {
                let mut done: Vec<&str> = applied.iter().map(AsRef::as_ref).collect();
                done.sort_unstable_by(|a, b| b.cmp(a));
                done.dedup();
                let revert: Vec<&str> = match target {
                    Target::Head => Vec::new(),
                    Target::Base => done,
                    Target::Relative(n) if *n < 0 => done.into_iter().take(n.unsigned_abs() as usize).collect(),
                    Target::Relative(_) => return wrong_way(),
                    Target::Version(version) => done.into_iter().filter(|v| *v > version.as_str()).collect(),
                };
                revert
                    .into_iter()
                    .map(|version| {
                        ordered
                            .iter()
                            .find(|m| m.version == version)
                            .copied()
                            .ok_or_else(|| Error::UnknownApplied { version: version.to_owned() })
                    })
                    .collect()
            }
        }
    }
}

impl Target {
    /// This target with a version's prefix replaced by the one version it
    /// names among `migrations`; an unknown or ambiguous one is an error.
    ///
    /// ```
    /// use quarry_schema::migrations::{Migration, Target};
    ///
    /// let migrations: Vec<Migration> = ["0001", "0002"].map(|v| Migration::new(v, "")).into();
    /// assert_eq!(Target::Version("0002".into()).exact(&migrations)?, Target::Version("0002".into()));
    /// assert_eq!(Target::Version("0001".into()).exact(&migrations)?, Target::Version("0001".into()));
    /// assert!(Target::Version("000".into()).exact(&migrations).is_err(), "ambiguous");
    /// assert_eq!(Target::Head.exact(&migrations)?, Target::Head);
    /// # Ok::<(), quarry_schema::Error>(())
    /// ```
    pub fn exact(&self, migrations: &[Migration]) -> Result<Target> {
        match self {
            Target::Version(version) => {
                let mut ordered: Vec<&Migration> = migrations.iter().collect();
                ordered.sort_by(|a, b| a.version.cmp(&b.version));
                Ok(Target::Version(revision(&ordered, version)?.to_owned()))
            }
            other => Ok(other.clone()),
        }
    }
}

impl Target {
    /// The migrations a database stamped at this target records as
    /// applied (Alembic's `stamp`, which moves the record either way): up
    /// to and including a version, all for `head`, none for `base`; `+N` /
    /// `-N` count from what `applied` holds.
    ///
    /// ```
    /// use quarry_schema::migrations::{Migration, Target};
    ///
    /// let migrations: Vec<Migration> = ["0001", "0002", "0003"].map(|v| Migration::new(v, "")).into();
    /// let versions = |ms: Vec<&Migration>| ms.iter().map(|m| m.version.to_string()).collect::<Vec<_>>();
    /// let at_three = ["0001", "0002", "0003"];
    /// assert_eq!(versions("0001".parse::<Target>()?.stamped(&migrations, &at_three)?), ["0001"]);
    /// assert_eq!(versions("-2".parse::<Target>()?.stamped(&migrations, &at_three)?), ["0001"]);
    /// assert_eq!(versions(Target::Head.stamped(&migrations, &["0001"])?), ["0001", "0002", "0003"]);
    /// # Ok::<(), quarry_schema::Error>(())
    /// ```
    pub fn stamped<'m>(&self, migrations: &'m [Migration], applied: &[impl AsRef<str>]) -> Result<Vec<&'m Migration>> {
        let mut ordered: Vec<&Migration> = migrations.iter().collect();
        ordered.sort_by(|a, b| a.version.cmp(&b.version));
        let is_applied = |m: &&Migration| applied.iter().any(|a| a.as_ref() == &*m.version);
        Ok(match self {
            Target::Head => ordered,
            Target::Base => Vec::new(),
            Target::Version(version) => {
                let version = revision(&ordered, version)?.to_owned();
                ordered.into_iter().filter(|m| *m.version <= *version).collect()
            }
            Target::Relative(n) if *n > 0 => {
                let added = self.resolve(Direction::Upgrade, migrations, applied)?;
                ordered.into_iter().filter(|m| is_applied(m) || added.iter().any(|a| a.version == m.version)).collect()
            }
            Target::Relative(_) => {
                let removed = self.resolve(Direction::Downgrade, migrations, applied)?;
                ordered
                    .into_iter()
                    .filter(|m| is_applied(m) && !removed.iter().any(|r| r.version == m.version))
                    .collect()
            }
        })
    }
}

/// The version `text` names among `ordered`: itself, or the one version it
/// is a prefix of (`3` for `0003_…` is not: versions are matched from
/// their start).
fn revision<'m>(ordered: &[&'m Migration], text: &str) -> Result<&'m str> {
    if let Some(exact) = ordered.iter().find(|m| m.version == text) {
        return Ok(&exact.version);
    }
    let candidates: Vec<&str> = ordered.iter().filter(|m| m.version.starts_with(text)).map(|m| &*m.version).collect();
    match candidates.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::UnknownRevision {
            revision: text.to_owned(),
            known: ordered.iter().map(|m| m.version.to_string()).collect(),
        }),
        many => Err(Error::AmbiguousRevision {
            revision: text.to_owned(),
            candidates: many.iter().map(|v| v.to_string()).collect(),
        }),
    }
}

/// The revisions offline SQL covers: `TO`, or `FROM:TO` (`upgrade --sql
/// 0001:head` prints what follows 0001).
///
/// Without `FROM`, an upgrade starts at `base` and a downgrade at `head`.
/// `FROM` is a version, `head`, `base`, `+N` (N after base) or `-N` (N
/// before head).
///
/// ```
/// use quarry_schema::migrations::{Direction, Migration, Target, TargetRange};
///
/// let migrations: Vec<Migration> = ["0001", "0002", "0003"].map(|v| Migration::new(v, "")).into();
/// let range: TargetRange = "0001:+1".parse()?;
/// assert_eq!(range, TargetRange { from: Some(Target::Version("0001".into())), to: Target::Relative(1) });
/// assert_eq!(range.resolve(Direction::Upgrade, &migrations)?[0].version, "0002");
/// let down = "-1".parse::<TargetRange>()?.resolve(Direction::Downgrade, &migrations)?;
/// assert_eq!(down[0].version, "0003");
/// # Ok::<(), quarry_schema::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TargetRange {
    /// Where the database is assumed to be; `None`: `base` for an
    /// upgrade, `head` for a downgrade.
    pub from: Option<Target>,
    /// Where it goes.
    pub to: Target,
}

impl FromStr for TargetRange {
    type Err = Error;

    /// Reads `TO` or `FROM:TO`, each side as a [`Target`].
    fn from_str(text: &str) -> Result<TargetRange> {
        let side = |part: &str| {
            part.parse::<Target>().map_err(|error| match error {
                Error::BadTarget { reason, .. } => Error::BadTarget { target: text.to_owned(), reason },
                other => other,
            })
        };
        match text.split_once(':') {
            Some((from, to)) => Ok(TargetRange { from: Some(side(from)?), to: side(to)? }),
            None => Ok(TargetRange { from: None, to: side(text)? }),
        }
    }
}

impl fmt::Display for TargetRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.from {
            Some(from) => write!(f, "{from}:{}", self.to),
            None => write!(f, "{}", self.to),
        }
    }
}

impl From<Target> for TargetRange {
    fn from(to: Target) -> TargetRange {
        TargetRange { from: None, to }
    }
}

impl TargetRange {
    /// The migrations an upgrade or downgrade over this range runs, in
    /// order: [`Target::resolve`] from a database assumed to be at `from`.
    pub fn resolve<'m>(&self, direction: Direction, migrations: &'m [Migration]) -> Result<Vec<&'m Migration>> {
        let every: Vec<&str> = migrations.iter().map(|m| &*m.version).collect();
        let none: &[&str] = &[];
        let at: Vec<&str> = match (&self.from, direction) {
            (None, Direction::Upgrade) => Vec::new(),
            (None, Direction::Downgrade) => every,
            (Some(Target::Relative(n)), _) if *n < 0 => {
                let gone: Vec<&str> = Target::Relative(*n)
                    .resolve(Direction::Downgrade, migrations, &every)?
                    .into_iter()
                    .map(|m| &*m.version)
                    .collect();
                every.into_iter().filter(|v| !gone.contains(v)).collect()
            }
            (Some(from), _) => {
                from.resolve(Direction::Upgrade, migrations, none)?.into_iter().map(|m| &*m.version).collect()
            }
        };
        self.to.resolve(direction, migrations, &at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migrations() -> Vec<Migration> {
        ["0001", "0002", "0003", "0004"].map(|v| Migration::new(v, format!("m{v}"))).into()
    }

    fn versions(found: Result<Vec<&Migration>>) -> Vec<String> {
        found.unwrap().iter().map(|m| m.version.to_string()).collect()
    }

    fn target(text: &str) -> Target {
        text.parse().unwrap()
    }

    #[test]
    fn parses_keywords_relative_steps_and_versions() {
        assert_eq!(target("head"), Target::Head);
        assert_eq!(target("base"), Target::Base);
        assert_eq!(target("+3"), Target::Relative(3));
        assert_eq!(target("-1"), Target::Relative(-1));
        assert_eq!(target("0002"), Target::Version("0002".into()));
        assert_eq!(target("20240101120000"), Target::Version("20240101120000".into()));
        for text in ["head", "base", "+3", "-1", "0002"] {
            assert_eq!(target(text).to_string(), text, "display reads back");
        }
    }

    #[test]
    fn malformed_targets_are_errors_naming_them() {
        for text in ["", "+", "-", "+0", "-0", "+x", "-1x", "+-1", "++1", "+ 1", "+99999999999", "0001:head", "a b"] {
            match text.parse::<Target>() {
                Err(Error::BadTarget { target, .. }) => assert_eq!(target, text),
                other => panic!("`{text}`: {other:?}"),
            }
        }
        let error = "+x".parse::<Target>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "`+x` is not a revision target (head, base, +N, -N or a version): \
             a relative target is `+N` or `-N` with N a whole number of at least 1"
        );
    }

    #[test]
    fn parses_ranges_with_and_without_a_start() {
        let range: TargetRange = "0001:head".parse().unwrap();
        assert_eq!(range, TargetRange { from: Some(target("0001")), to: Target::Head });
        assert_eq!(range.to_string(), "0001:head");
        assert_eq!("-1".parse::<TargetRange>().unwrap(), TargetRange::from(Target::Relative(-1)));
        match "0001:+x".parse::<TargetRange>() {
            Err(Error::BadTarget { target, .. }) => assert_eq!(target, "0001:+x", "the error names the whole range"),
            other => panic!("{other:?}"),
        }
        assert!("0001:0002:0003".parse::<TargetRange>().is_err());
        assert!(":head".parse::<TargetRange>().is_err());
    }

    #[test]
    fn upgrades_apply_pending_migrations_oldest_first() {
        let ms = migrations();
        let applied = ["0001"];
        assert_eq!(versions(Target::Head.resolve(Direction::Upgrade, &ms, &applied)), ["0002", "0003", "0004"]);
        assert_eq!(versions(target("+2").resolve(Direction::Upgrade, &ms, &applied)), ["0002", "0003"]);
        assert_eq!(versions(target("+9").resolve(Direction::Upgrade, &ms, &applied)), ["0002", "0003", "0004"]);
        assert_eq!(versions(target("0003").resolve(Direction::Upgrade, &ms, &applied)), ["0002", "0003"]);
        assert!(versions(target("0001").resolve(Direction::Upgrade, &ms, &applied)).is_empty());
        assert!(versions(Target::Base.resolve(Direction::Upgrade, &ms, &applied)).is_empty());
        // A pending migration older than an applied one (a merged branch) is pending like any other.
        assert_eq!(versions(target("+1").resolve(Direction::Upgrade, &ms, &["0001", "0003"])), ["0002"]);
    }

    #[test]
    fn downgrades_revert_applied_migrations_newest_first() {
        let ms = migrations();
        let applied = ["0001", "0002", "0003"];
        assert_eq!(versions(target("-1").resolve(Direction::Downgrade, &ms, &applied)), ["0003"]);
        assert_eq!(versions(target("-2").resolve(Direction::Downgrade, &ms, &applied)), ["0003", "0002"]);
        assert_eq!(versions(target("-9").resolve(Direction::Downgrade, &ms, &applied)), ["0003", "0002", "0001"]);
        assert_eq!(versions(Target::Base.resolve(Direction::Downgrade, &ms, &applied)), ["0003", "0002", "0001"]);
        assert_eq!(versions(target("0001").resolve(Direction::Downgrade, &ms, &applied)), ["0003", "0002"]);
        assert!(versions(target("0004").resolve(Direction::Downgrade, &ms, &applied)).is_empty());
        assert!(versions(Target::Head.resolve(Direction::Downgrade, &ms, &applied)).is_empty());
    }

    #[test]
    fn an_unknown_revision_is_an_error_listing_the_known_ones() {
        let ms = migrations();
        for direction in [Direction::Upgrade, Direction::Downgrade] {
            match target("0009").resolve(direction, &ms, &["0001"]) {
                Err(Error::UnknownRevision { revision, known }) => {
                    assert_eq!(revision, "0009");
                    assert_eq!(known, ["0001", "0002", "0003", "0004"]);
                }
                other => panic!("{other:?}"),
            }
        }
        let none = target("0001").resolve(Direction::Upgrade, &[], &[] as &[&str]).unwrap_err();
        assert_eq!(none.to_string(), "no revision `0001`: there are no revisions");
    }

    #[test]
    fn a_relative_target_counting_the_wrong_way_is_an_error() {
        let ms = migrations();
        let error = target("-1").resolve(Direction::Upgrade, &ms, &["0001"]).unwrap_err();
        assert_eq!(error.to_string(), "`-1` counts back: an upgrade takes +N");
        let error = target("+1").resolve(Direction::Downgrade, &ms, &["0001"]).unwrap_err();
        assert_eq!(error.to_string(), "`+1` counts forward: a downgrade takes -N");
    }

    #[test]
    fn reverting_an_applied_version_the_folder_lacks_is_an_error() {
        let ms = migrations();
        let applied = ["0001", "0005"];
        match target("-1").resolve(Direction::Downgrade, &ms, &applied) {
            Err(Error::UnknownApplied { version }) => assert_eq!(version, "0005"),
            other => panic!("{other:?}"),
        }
        // Upgrades do not mind it.
        assert_eq!(versions(Target::Head.resolve(Direction::Upgrade, &ms, &applied)), ["0002", "0003", "0004"]);
    }

    #[test]
    fn offline_ranges_follow_the_online_rules() {
        let ms = migrations();
        let range = |text: &str, direction| versions(text.parse::<TargetRange>().unwrap().resolve(direction, &ms));
        assert_eq!(range("head", Direction::Upgrade), ["0001", "0002", "0003", "0004"]);
        assert_eq!(range("+1", Direction::Upgrade), ["0001"]);
        assert_eq!(range("0002", Direction::Upgrade), ["0001", "0002"]);
        assert_eq!(range("0002:head", Direction::Upgrade), ["0003", "0004"]);
        assert_eq!(range("0002:+1", Direction::Upgrade), ["0003"]);
        assert_eq!(range("+1:0003", Direction::Upgrade), ["0002", "0003"]);
        assert_eq!(range("-1", Direction::Downgrade), ["0004"]);
        assert_eq!(range("base", Direction::Downgrade), ["0004", "0003", "0002", "0001"]);
        assert_eq!(range("0002", Direction::Downgrade), ["0004", "0003"]);
        assert_eq!(range("0003:base", Direction::Downgrade), ["0003", "0002", "0001"]);
        assert_eq!(range("-1:-1", Direction::Downgrade), ["0003"]);
        let unknown = "0009:head".parse::<TargetRange>().unwrap().resolve(Direction::Upgrade, &ms);
        assert!(matches!(unknown, Err(Error::UnknownRevision { revision, .. }) if revision == "0009"));
        let wrong = "-1".parse::<TargetRange>().unwrap().resolve(Direction::Upgrade, &ms);
        assert!(matches!(wrong, Err(Error::WrongDirection { .. })));
    }
}
