//! Semantic analysis: facts that hold in every run, found without running every combination,
//! each finding with a witness — a scenario, ready to paste, whose run shows it.
//!
//! - `workflow.rs` builds every task's and link's end state as BDDs (`bdd.rs`) over the variables'
//!   value classes (`domain.rs`) and the tasks' outcomes;
//! - `findings.rs` turns them into findings W0400–W0404, each witness replayed by the interpreter
//!   before it is shown;
//! - `machine.rs` explores a machine with its children, configuration by configuration, with the
//!   interpreter; `machine_findings.rs` turns what it saw into findings W0410–W0416 and W0418, each run-based
//!   one with a replayed witness; `store.rs` keeps the configurations it has seen (`compact.rs`: its lists, in as few bits as
//!   they need).

pub mod bdd;
mod compact;
pub mod domain;
pub mod explore;
mod findings;
pub mod machine;
pub mod machine_findings;
mod store;
pub mod workflow;

pub use findings::{check, scenario_text};
