//! The state-machine interpreter: specs/semantics.md, section 14.
//!
//! Every machine of a program is compiled once ([`Compiled`]): per state, the transitions that
//! leave it in file order; guards, values and filters as stack programs; actions as a small list.
//! A [`World`] holds the instances (an arena: a root and its descendants), the FIFO queue of events
//! sent by actions, and the trace.
//!
//! One file per job: `compile.rs` the machines as the interpreter runs them; `config.rs` how a
//! world's instances are set up before they are created; `world.rs` the world, its instances and
//! what a scenario, a simulation or the explorer asks of it; `stabilise.rs` a run to completion
//! (events delivered, event-less transitions taken, within the step budget); `actions.rs` what a
//! transition's or a state's actions do; `livelock.rs` livelocks found early and the cycle they
//! name; `event.rs` what a run reports (the events of its trace, the errors that stop it).

mod actions;
mod compile;
mod config;
mod event;
mod livelock;
mod stabilise;
mod world;

pub use compile::Compiled;
pub use config::Config;
pub use event::{Event, Missing, RunError};
pub use world::{Instance, InstanceId, Scope, World};

/// More steps than this in one stabilisation is a livelock (specs/semantics.md, section 14), plus
/// [`STEPS_PER_INSTANCE`] for every instance: a broadcast to 50 000 children and their replies
/// is a long cascade, not a livelock.
pub const MAX_STEPS: u32 = 10_000;
pub const STEPS_PER_INSTANCE: u32 = 4;
/// At most this many instances in one world (a scenario's or a simulation's `spawn`s).
pub const MAX_INSTANCES: usize = 100_000;
/// At most this many variables and children groups in all the instances of a world: what their
/// memory grows with (100 000 instances of a machine with 5 000 variables would take 4 GB).
pub const MAX_FIELDS: usize = 10_000_000;
/// Instances nest at most this deep below the root (a machine may have children of its own kind):
/// evaluating a quantifier whose filter reads a view with a quantifier goes one level down each.
pub const MAX_DEPTH: usize = 64;
/// At most this much work in one stabilisation (see [`World::worked`]): a guard that looks at
/// every child, evaluated for each of their replies, grows with the square of the children.
pub const MAX_WORK: u64 = 100_000_000;
/// At most this many events (the lines of its trace) in one run, over all its stabilisations: what
/// the trace's memory and a simulation's output grow with (see [`World::worked`]).
pub const MAX_EVENTS: u64 = 2_000_000;

fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}
