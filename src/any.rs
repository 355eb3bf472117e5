//! One program, whichever backend its URL names.
//!
//! [`AnyEngine`] holds an [`Engine`] of the backend the URL picks, and
//! [`with_engine!`](crate::with_engine) runs a block of code against it
//! with the concrete connection type. The block is compiled once per
//! enabled backend, so every query in it is checked by rustc for each
//! backend and runs at the speed of hand-written diesel: no dynamic
//! dispatch, no lowest-common-denominator connection type.
//!
//! ```
//! use diesel::prelude::*;
//! use quarry::AnyEngine;
//!
//! let engine = AnyEngine::connect("sqlite:///:memory:")?;
//! let answer: i32 = quarry::with_engine!(engine, |engine| {
//!     let mut session = engine.session()?;
//!     session.one(diesel::select(40.into_sql::<diesel::sql_types::Integer>() + 2))?
//! });
//! assert_eq!(answer, 42);
//! # Ok::<(), quarry::Error>(())
//! ```

use crate::engine::{Backend, DatabaseUrl, Engine, EngineBuilder};
use crate::error::Result;

/// An engine for the backend a URL names, decided at run time.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum AnyEngine {
    #[cfg(feature = "sqlite")]
    Sqlite(Engine<diesel::SqliteConnection>),
    #[cfg(feature = "postgres")]
    Postgres(Engine<diesel::PgConnection>),
    #[cfg(feature = "mysql")]
    Mysql(Engine<diesel::MysqlConnection>),
}

impl AnyEngine {
    /// An engine with default settings for `url`.
    pub fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, EngineBuilder::<()>::default())
    }

    /// An engine for the URL in `DATABASE_URL`.
    pub fn from_env() -> Result<Self> {
        Self::build(DatabaseUrl::from_env()?, EngineBuilder::<()>::default())
    }

    /// An engine for `url` with `settings` (an [`EngineBuilder`] of any type:
    /// its settings carry over).
    pub fn connect_with<X>(url: &str, settings: EngineBuilder<X>) -> Result<Self> {
        Self::build(DatabaseUrl::parse(url)?, settings)
    }

    fn build<X>(url: DatabaseUrl, settings: EngineBuilder<X>) -> Result<Self> {
        match url.backend() {
            #[cfg(feature = "sqlite")]
            Backend::Sqlite => Ok(AnyEngine::Sqlite(settings.retype().build_url(url)?)),
            #[cfg(feature = "postgres")]
            Backend::Postgres => Ok(AnyEngine::Postgres(settings.retype().build_url(url)?)),
            #[cfg(feature = "mysql")]
            Backend::Mysql => Ok(AnyEngine::Mysql(settings.retype().build_url(url)?)),
            #[allow(unreachable_patterns)]
            other => Err(crate::Error::InvalidUrl {
                url: crate::engine::redact(url.driver_url()),
                reason: format!("quarry was built without the `{}` feature", other.name()),
            }),
        }
    }

    /// The backend in use.
    pub fn backend(&self) -> Backend {
        match self {
            #[cfg(feature = "sqlite")]
            AnyEngine::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            AnyEngine::Postgres(_) => Backend::Postgres,
            #[cfg(feature = "mysql")]
            AnyEngine::Mysql(_) => Backend::Mysql,
        }
    }
}

/// Runs a block against the concrete [`Engine`] inside an
/// [`AnyEngine`](crate::AnyEngine): `with_engine!(any, |engine| expr)`.
///
/// `engine` is `&Engine<SqliteConnection>`, `&Engine<PgConnection>` or
/// `&Engine<MysqlConnection>`; `expr` is compiled once for each backend
/// quarry was built with and must have the same type in each. `?` inside
/// returns from the enclosing function.
#[macro_export]
macro_rules! with_engine {
    ($any:expr, |$engine:ident| $body:expr) => {{
        let __quarry_any: &$crate::AnyEngine = &$any;
        #[allow(unreachable_code)]
        let __quarry_result = 'quarry_dispatch: {
            $crate::__if_sqlite! {
                #[allow(unreachable_patterns)]
                match __quarry_any {
                    $crate::AnyEngine::Sqlite($engine) => break 'quarry_dispatch $body,
                    _ => {}
                }
            }
            $crate::__if_postgres! {
                #[allow(unreachable_patterns)]
                match __quarry_any {
                    $crate::AnyEngine::Postgres($engine) => break 'quarry_dispatch $body,
                    _ => {}
                }
            }
            $crate::__if_mysql! {
                #[allow(unreachable_patterns)]
                match __quarry_any {
                    $crate::AnyEngine::Mysql($engine) => break 'quarry_dispatch $body,
                    _ => {}
                }
            }
            ::std::unreachable!("AnyEngine holds an engine of an enabled backend")
        };
        __quarry_result
    }};
}

/// Expands its input when quarry has the `sqlite` feature.
#[cfg(feature = "sqlite")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_sqlite {
    ($($tokens:tt)*) => { $($tokens)* };
}
#[cfg(not(feature = "sqlite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_sqlite {
    ($($tokens:tt)*) => {};
}

/// Expands its input when quarry has the `postgres` feature.
#[cfg(feature = "postgres")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_postgres {
    ($($tokens:tt)*) => { $($tokens)* };
}
#[cfg(not(feature = "postgres"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_postgres {
    ($($tokens:tt)*) => {};
}

/// Expands its input when quarry has the `mysql` feature.
#[cfg(feature = "mysql")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_mysql {
    ($($tokens:tt)*) => { $($tokens)* };
}
#[cfg(not(feature = "mysql"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_mysql {
    ($($tokens:tt)*) => {};
}
