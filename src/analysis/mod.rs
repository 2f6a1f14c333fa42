//! Semantic analysis: facts that hold in every run, found without running every combination,
//! each finding with a witness — a scenario, ready to paste, whose run shows it.
//!
//! - `workflow.rs` builds every task's and link's end state as BDDs (`bdd.rs`) over the variables'
//!   value classes (`domain.rs`) and the tasks' outcomes;
//! - `findings.rs` turns them into findings W0400–W0404, each witness replayed by the interpreter
//!   before it is shown;
//! - `machine/` explores a machine with its children, configuration by configuration, with the
//!   interpreter, in layers that each do one thing (see its module documentation);
//!   `machine_findings.rs` turns what it saw into findings W0410–W0416 and W0418, each run-based
//!   one with a replayed witness.

pub mod bdd;
pub mod domain;
pub mod explore;
mod findings;
pub mod machine;
pub mod machine_findings;
pub mod workflow;

pub use findings::{check, scenario_text};

/// Bytes a hash table (hashbrown's, as `HashTable` and `HashMap` are) with room for `capacity`
/// entries of `entry` bytes takes: its buckets (a power of two, at most seven eighths full) and
/// a control byte each.
pub(crate) fn hash_table_bytes(capacity: usize, entry: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    let buckets = if capacity < 8 {
        (capacity + 1).next_power_of_two()
    } else {
        (capacity.saturating_mul(8) / 7).next_power_of_two()
    };
    buckets * (entry + 1) + 16
}
