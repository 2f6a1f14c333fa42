//! Graph algorithms on petgraph, for workflows (tasks and links), machines (states and
//! transitions) and views. Callers speak in their own dense indices; petgraph's `NodeIndex`
//! never leaves this module, and results come back as those indices.
//!
//! Every traversal here is iterative: a 100 000-task chain must not deepen the call stack.

use petgraph::algo::{kosaraju_scc, toposort};
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::{Bfs, EdgeRef};

/// A directed graph over nodes `0..n`; each edge carries the caller's id for it.
pub struct Graph {
    inner: DiGraph<(), usize, u32>,
}

impl Graph {
    /// `edges` are `(from, to, id)`; an edge naming a node `>= nodes` is ignored.
    pub fn new(nodes: usize, edges: impl IntoIterator<Item = (usize, usize, usize)>) -> Graph {
        let mut inner = DiGraph::with_capacity(nodes, 0);
        for _ in 0..nodes {
            inner.add_node(());
        }
        for (from, to, id) in edges {
            if from < nodes && to < nodes {
                inner.add_edge(node(from), node(to), id);
            }
        }
        Graph { inner }
    }

    /// One cycle per strongly connected component that has one, as the ids of its edges in
    /// order; components ordered by their smallest node, each cycle starting at that node.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        if toposort(&self.inner, None).is_ok() {
            return Vec::new();
        }
        let mut components: Vec<Vec<NodeIndex<u32>>> = kosaraju_scc(&self.inner)
            .into_iter()
            .filter(|c| c.len() > 1 || c.iter().any(|&n| self.inner.contains_edge(n, n)))
            .collect();
        for c in &mut components {
            c.sort();
        }
        components.sort();
        components.iter().filter_map(|c| self.cycle_in(c)).collect()
    }

    /// Per node: whether it is on a cycle (a strongly connected component of more than one
    /// node, or an edge to itself).
    pub fn on_cycles(&self) -> Vec<bool> {
        let mut on = vec![false; self.inner.node_count()];
        for component in kosaraju_scc(&self.inner) {
            let cyclic =
                component.len() > 1 || component.iter().any(|&n| self.inner.contains_edge(n, n));
            if cyclic {
                for n in component {
                    on[n.index()] = true;
                }
            }
        }
        on
    }

    /// The shortest cycle through the smallest node of `component`, staying inside it.
    fn cycle_in(&self, component: &[NodeIndex<u32>]) -> Option<Vec<usize>> {
        let &root = component.first()?;
        let inside = |n: NodeIndex<u32>| component.binary_search(&n).is_ok();
        let mut parent: std::collections::HashMap<NodeIndex<u32>, EdgeIndex<u32>> =
            Default::default();
        let mut queue = std::collections::VecDeque::from([root]);
        while let Some(n) = queue.pop_front() {
            let mut edges: Vec<_> = self.inner.edges(n).collect();
            edges.sort_by_key(|e| (e.target(), *e.weight()));
            for edge in edges {
                let to = edge.target();
                if to == root {
                    let mut path = vec![*edge.weight()];
                    let mut at = n;
                    while at != root {
                        let e = *parent.get(&at)?;
                        path.push(*self.inner.edge_weight(e)?);
                        at = self.inner.edge_endpoints(e)?.0;
                    }
                    path.reverse();
                    return Some(path);
                }
                if inside(to) && !parent.contains_key(&to) {
                    parent.insert(to, edge.id());
                    queue.push_back(to);
                }
            }
        }
        None
    }

    /// Which nodes some path (of zero or more edges) from `roots` reaches.
    pub fn reachable(&self, roots: impl IntoIterator<Item = usize>) -> Vec<bool> {
        let n = self.inner.node_count();
        let mut seen = vec![false; n];
        for root in roots {
            if root >= n || seen[root] {
                continue;
            }
            let mut bfs = Bfs::new(&self.inner, node(root));
            while let Some(x) = bfs.next(&self.inner) {
                seen[x.index()] = true;
            }
        }
        seen
    }
}

fn node(i: usize) -> NodeIndex<u32> {
    NodeIndex::new(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_one_cycle_per_component_as_edge_ids() {
        // 0 -> 1 -> 2 -> 0, 3 -> 3, 4 -> 5
        let g = Graph::new(
            6,
            [(0, 1, 10), (1, 2, 11), (2, 0, 12), (3, 3, 13), (4, 5, 14)],
        );
        assert_eq!(g.cycles(), vec![vec![10, 11, 12], vec![13]]);
    }

    #[test]
    fn acyclic_graphs_have_no_cycles() {
        let g = Graph::new(3, [(0, 1, 0), (1, 2, 1), (0, 2, 2)]);
        assert!(g.cycles().is_empty());
    }

    #[test]
    fn reachability_follows_edges_from_the_roots() {
        let g = Graph::new(4, [(0, 1, 0), (2, 3, 1)]);
        assert_eq!(g.reachable([0]), vec![true, true, false, false]);
    }

    #[test]
    fn a_long_chain_does_not_recurse() {
        let n = 200_000;
        let g = Graph::new(n, (0..n - 1).map(|i| (i, i + 1, i)));
        assert!(g.cycles().is_empty());
        assert!(g.reachable([0]).iter().all(|&r| r));
    }
}
