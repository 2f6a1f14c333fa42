//! Machine interpreter throughput: `cargo bench --bench machine`.
//!
//! The targets: at least 2 million events per second on a flat 50-state machine, and a
//! parent with 1 000 children receiving broadcast events.

use std::fmt::Write;

use divan::Bencher;
use divan::counter::ItemsCount;
use wfl::model::{ChildrenId, EventId, MachineId};
use wfl::sim::machine::{Compiled, Config, World};

#[path = "spec.rs"]
mod spec;
use spec::program;

fn main() {
    divan::main();
}

/// `S0 -> S1 -> … -> S49 -> S0` on `next`, with a guard and an action on every tenth.
fn flat(states: usize) -> String {
    let mut text = String::from("machine flat {\n  var laps: int\n  initial -> S0\n");
    let names: Vec<String> = (0..states).map(|i| format!("S{i}")).collect();
    let _ = writeln!(text, "  state {}", names.join(", "));
    for i in 0..states {
        let next = (i + 1) % states;
        if i == states - 1 {
            let _ = writeln!(text, "  S{i} -> S{next} on next {{ set laps = laps + 1 }}");
        } else if i % 10 == 5 {
            let _ = writeln!(text, "  S{i} -> S{next} on next when laps >= 0");
        } else {
            let _ = writeln!(text, "  S{i} -> S{next} on next");
        }
        let _ = writeln!(text, "  S{i} -> S0 on reset");
    }
    text.push_str("}\n");
    text
}

const EVENTS: u64 = 100_000;

#[divan::bench(sample_count = 10)]
fn flat_50_states(bencher: Bencher) {
    let p = program(&flat(50));
    let compiled = Compiled::new(&p).expect("compiles");
    let next = EventId::from_index(
        p.events
            .iter()
            .position(|e| e == "next")
            .expect("event next"),
    );
    bencher.counter(ItemsCount::new(EVENTS)).bench(|| {
        let (mut world, created) = World::new(&compiled, MachineId(0), &Config::default(), false);
        created.expect("created");
        for _ in 0..EVENTS {
            world.send(0, next, None).expect("no run error");
        }
        world.steps
    });
}

const CHILDREN: u32 = 1_000;
const BROADCASTS: u64 = 100;

/// A parent that broadcasts `tick` to 1 000 children, which count and report every tenth tick.
fn crowd() -> String {
    "machine cell {
  var ticks: int
  state Idle, Busy
  initial -> Idle
  Idle -> Busy on tick { set ticks = ticks + 1 }
  Busy -> Idle on tick when ticks < 1000000 { send tocked to parent }
}
machine colony {
  children cells: cell
  var reports: int
  state Running
  initial -> Running
  Running -> Running on tick { send tick to cells }
  Running -> Running on tocked { set reports = reports + 1 }
}
"
    .to_owned()
}

#[divan::bench(sample_count = 10)]
fn broadcast_to_1000_children(bencher: Bencher) {
    let p = program(&crowd());
    let compiled = Compiled::new(&p).expect("compiles");
    let colony = MachineId::from_index(
        p.machines
            .iter()
            .position(|m| m.name.as_str() == "colony")
            .expect("colony"),
    );
    let tick = EventId::from_index(
        p.events
            .iter()
            .position(|e| e == "tick")
            .expect("event tick"),
    );
    let mut config = Config::default();
    config.spawn = vec![(ChildrenId(0), CHILDREN)];
    // Each broadcast delivers one event to the parent, one to each child, and (every other
    // broadcast) one report per child back to the parent.
    bencher
        .counter(ItemsCount::new(BROADCASTS * u64::from(CHILDREN)))
        .bench(|| {
            let (mut world, created) = World::new(&compiled, colony, &config, false);
            created.expect("created");
            for _ in 0..BROADCASTS {
                world.send(0, tick, None).expect("no run error");
            }
            world.steps
        });
}
