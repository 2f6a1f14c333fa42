//! Source text → syntax tree: the lexical pre-scan, the pest grammar, the lowering.
//!
//! pest's types never leave this module: `parser.rs` drives pest, `lower/` is the only place a
//! `Pair<Rule>` is read, and everything downstream sees the plain data of [`ast`].

pub mod ast;
mod hint;

pub(crate) use hint::{Place, statement_keywords};
mod lower;
mod parser;
pub mod scan;

pub use parser::{MAX_SYNTAX_ERRORS, accepts_whole_file, parse};
