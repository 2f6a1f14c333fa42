//! The state graph of a machine, guards ignored: an edge for every (source, target) a transition
//! can take.
//!
//! `history` adds no edge: it leads back to the state the instance was in before it entered the
//! source, and to have been there the instance must already have reached that state. So a
//! `history` transition never makes a state reachable that was not reachable without it (and
//! counting it would let an unreachable state "reach" itself through the states it enters).

use crate::graph::Graph;
use crate::model::*;

pub struct MachineGraph {
    /// States some path from an initial rule reaches.
    pub reachable: Vec<bool>,
    /// `entered[s]`: some transition names `s` as its target.
    pub entered: Vec<bool>,
    /// `outgoing[s]`: some transition (including `*`) leaves `s`.
    pub outgoing: Vec<bool>,
    /// `eventless_exit[s]`: some transition without `on` leaves `s`.
    pub eventless_exit: Vec<bool>,
}

impl MachineGraph {
    pub fn new(machine: &Machine) -> MachineGraph {
        let n = machine.states.len();
        let mut entered = vec![false; n];
        let mut outgoing = vec![false; n];
        let mut eventless_exit = vec![false; n];
        let mut edges = Vec::new();
        for t in &machine.transitions {
            for s in &t.sources {
                outgoing[s.index()] = true;
                if t.is_eventless() {
                    eventless_exit[s.index()] = true;
                }
                if let Target::State(to) = t.target {
                    edges.push((s.index(), to.index()));
                }
            }
            if let Target::State(to) = t.target {
                entered[to.index()] = true;
            }
        }
        let graph = Graph::new(n, edges.iter().enumerate().map(|(i, &(a, b))| (a, b, i)));
        let reachable = graph.reachable(machine.initials.iter().map(|i| i.target.index()));
        MachineGraph {
            reachable,
            entered,
            outgoing,
            eventless_exit,
        }
    }
}
