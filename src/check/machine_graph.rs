//! The state graph of a machine, guards ignored: an edge for every (source, target) a transition
//! can take, `history` leading back to every state that enters the source.

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
        // Which states a transition enters `s` from (for `history`).
        let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
        for t in &machine.transitions {
            for s in &t.sources {
                outgoing[s.index()] = true;
                if t.event.is_none() {
                    eventless_exit[s.index()] = true;
                }
            }
            if let Target::State(to) = t.target {
                entered[to.index()] = true;
                for s in &t.sources {
                    predecessors[to.index()].push(s.index());
                }
            }
        }
        let mut edges = Vec::new();
        for t in &machine.transitions {
            for s in &t.sources {
                match t.target {
                    Target::State(to) => edges.push((s.index(), to.index())),
                    Target::History => {
                        for &p in &predecessors[s.index()] {
                            edges.push((s.index(), p));
                        }
                    }
                }
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
