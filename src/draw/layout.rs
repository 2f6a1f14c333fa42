//! A layered (Sugiyama) layout for the SVG pictures, so `wfl graph --format svg` needs no program
//! beside wfl.
//!
//! The steps are the usual ones, each kept simple and bounded:
//! 1. cycles are broken by reversing the edges a depth-first search finds going back (iterative);
//! 2. nodes get ranks by longest path, two ranks per edge: the rank between holds the edge's label
//!    (as Graphviz does), so a label never lies on a node;
//! 3. an edge over more ranks gets a dummy vertex on each rank it crosses, within a budget
//!    proportional to the graph ([`DUMMY_BUDGET`]); past it, the rest of a long edge is straight;
//! 4. the vertices of each rank are ordered by the barycentre of their neighbours, sweeping down
//!    and up, and the order with the fewest crossings is kept;
//! 5. each rank is placed left to right, each vertex as near the mean of its neighbours as the
//!    order and the gaps allow, then the rank is shifted to sit under them;
//! 6. edges are drawn through their vertices; an edge from a node to itself is a loop on the
//!    node's right, for which the node keeps room.

/// Space between the vertices of a rank, and between ranks.
const GAP_X: f64 = 24.0;
const GAP_Y: f64 = 22.0;
/// The width of a dummy vertex without a label.
const DUMMY_WIDTH: f64 = 8.0;
/// The height of a rank of edges without labels.
const EMPTY_RANK: f64 = 6.0;
/// How far a loop reaches out of its node, and how much further each next loop on the node.
const LOOP_REACH: f64 = 26.0;
const LOOP_STEP: f64 = 14.0;
/// The margin around the drawing.
pub const MARGIN: f64 = 16.0;
/// Dummy vertices allowed per node and edge: long edges past it are drawn straight after their
/// label, so a layout's size stays proportional to its graph.
pub const DUMMY_BUDGET: usize = 16;
/// Sweeps of the ordering step.
const SWEEPS: usize = 12;
/// Rounds of the placing step.
const ROUNDS: usize = 8;

/// What the layout is given: the size of each node and, per edge, its ends and the size of its
/// label (`(0, 0)` for none).
#[derive(Clone, Debug, Default)]
pub struct Input {
    pub nodes: Vec<(f64, f64)>,
    pub edges: Vec<(usize, usize, (f64, f64))>,
}

/// Where everything goes: node centres, each edge's points from its source to its target (a
/// loop's control points, for a loop) and its label's top-left corner, and the drawing's size.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    pub nodes: Vec<(f64, f64)>,
    pub edges: Vec<EdgePath>,
    pub width: f64,
    pub height: f64,
}

#[derive(Clone, Debug, Default)]
pub struct EdgePath {
    pub points: Vec<(f64, f64)>,
    /// The top-left corner of the label, when the edge has one.
    pub label: Option<(f64, f64)>,
    /// A loop from a node to itself: `points` are a cubic curve's four points.
    pub is_loop: bool,
}

/// A vertex of the layered graph: a node, or a point an edge passes on a rank.
#[derive(Clone, Copy, Debug)]
struct Vertex {
    width: f64,
    height: f64,
    rank: usize,
    /// The edge whose label this vertex carries.
    label_of: Option<usize>,
    /// Where edges pass, from the vertex's centre: left of a label, at the centre otherwise.
    anchor: f64,
}

/// A segment between vertices of consecutive ranks (or, past the budget, of any two ranks).
#[derive(Clone, Copy, Debug)]
struct Segment {
    upper: usize,
    lower: usize,
}

/// Lays `input` out; see the module's documentation for how.
pub fn layout(input: &Input) -> Layout {
    let n = input.nodes.len();
    if n == 0 {
        return Layout {
            width: 2.0 * MARGIN,
            height: 2.0 * MARGIN,
            ..Layout::default()
        };
    }
    // Room on the right of each node for its loops and their labels.
    let mut loop_room = vec![0.0f64; n];
    let mut loops_on = vec![0usize; n];
    for &(from, to, (lw, _)) in &input.edges {
        if from == to && from < n {
            loops_on[from] += 1;
            let reach = LOOP_REACH + LOOP_STEP * (loops_on[from] - 1) as f64;
            loop_room[from] = loop_room[from].max(reach + 4.0 + lw);
        }
    }
    let reversed = back_edges(n, &input.edges);
    let ranks = rank(n, &input.edges, &reversed);
    let mut vertices: Vec<Vertex> = (0..n)
        .map(|v| Vertex {
            // Symmetric room, so the node's centre stays the vertex's.
            width: input.nodes[v].0 + 2.0 * loop_room[v],
            height: input.nodes[v].1,
            rank: ranks[v],
            label_of: None,
            anchor: 0.0,
        })
        .collect();
    // Each edge's chain of vertices from its upper end to its lower one.
    let mut chains: Vec<Vec<usize>> = vec![Vec::new(); input.edges.len()];
    let mut segments = Vec::new();
    let mut budget = DUMMY_BUDGET * (n + input.edges.len());
    for (e, &(from, to, (lw, lh))) in input.edges.iter().enumerate() {
        if from == to || from >= n || to >= n {
            continue;
        }
        let (upper, lower) = if reversed[e] { (to, from) } else { (from, to) };
        let mut chain = vec![upper];
        for r in ranks[upper] + 1..ranks[lower] {
            let first = r == ranks[upper] + 1;
            if !first && budget == 0 {
                break;
            }
            budget = budget.saturating_sub(1);
            let has_label = first && lw > 0.0;
            vertices.push(Vertex {
                width: if has_label {
                    lw + DUMMY_WIDTH
                } else {
                    DUMMY_WIDTH
                },
                height: if has_label { lh } else { EMPTY_RANK },
                rank: r,
                label_of: has_label.then_some(e),
                anchor: if has_label { -lw / 2.0 } else { 0.0 },
            });
            chain.push(vertices.len() - 1);
        }
        chain.push(lower);
        for pair in chain.windows(2) {
            segments.push(Segment {
                upper: pair[0],
                lower: pair[1],
            });
        }
        chains[e] = chain;
    }
    let layers = order(&vertices, &segments);
    let xs = place(&vertices, &segments, &layers);
    // Ranks top to bottom.
    let mut rank_height = vec![0.0f64; layers.len()];
    for v in &vertices {
        rank_height[v.rank] = rank_height[v.rank].max(v.height);
    }
    let mut rank_y = Vec::with_capacity(layers.len());
    let mut y = MARGIN;
    for (r, &h) in rank_height.iter().enumerate() {
        let h = if layers[r].is_empty() { 0.0 } else { h };
        rank_y.push(y + h / 2.0);
        y += h + GAP_Y;
    }
    let height = y - GAP_Y + MARGIN;
    let width = vertices
        .iter()
        .zip(&xs)
        .map(|(v, x)| x + v.width / 2.0)
        .fold(0.0, f64::max)
        + MARGIN;
    let centre = |v: usize| (xs[v], rank_y[vertices[v].rank]);
    let nodes: Vec<(f64, f64)> = (0..n).map(centre).collect();
    let ports = ports(n, &chains, &vertices, &xs, input);
    let mut loops_drawn = vec![0usize; n];
    let edges = input
        .edges
        .iter()
        .enumerate()
        .map(|(e, &(from, to, (lw, lh)))| {
            if from >= n || to >= n {
                return EdgePath::default();
            }
            if from == to {
                let k = loops_drawn[from];
                loops_drawn[from] += 1;
                return self_loop(nodes[from], input.nodes[from], k, lw > 0.0, lh);
            }
            let chain = &chains[e];
            let mut points: Vec<(f64, f64)> = Vec::with_capacity(chain.len());
            let mut label = None;
            for (k, &v) in chain.iter().enumerate() {
                let (x, y) = centre(v);
                if k == 0 {
                    points.push((x + ports[e].0, y + vertices[v].height / 2.0));
                } else if k == chain.len() - 1 {
                    points.push((x + ports[e].1, y - vertices[v].height / 2.0));
                } else if vertices[v].label_of == Some(e) {
                    // The edge passes on the vertex's left; its label fills the rest.
                    let left = x - vertices[v].width / 2.0;
                    points.push((left + DUMMY_WIDTH / 2.0, y));
                    label = Some((left + DUMMY_WIDTH, y - lh / 2.0));
                } else {
                    points.push((x, y));
                }
            }
            if reversed[e] {
                points.reverse();
            }
            EdgePath {
                points,
                label,
                is_loop: false,
            }
        })
        .collect();
    Layout {
        nodes,
        edges,
        width,
        height,
    }
}

/// Where each edge leaves its upper node and enters its lower one, from their centres: the edges
/// at a side of a node spread over its middle, in the order of their other ends.
fn ports(
    n: usize,
    chains: &[Vec<usize>],
    vertices: &[Vertex],
    xs: &[f64],
    input: &Input,
) -> Vec<(f64, f64)> {
    // Per node: (x of the next vertex on the edge, edge) below it and above it.
    let mut below: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    let mut above: Vec<Vec<(f64, usize)>> = vec![Vec::new(); n];
    for (e, chain) in chains.iter().enumerate() {
        if let [upper, next, ..] = chain[..] {
            below[upper].push((xs[next] + vertices[next].anchor, e));
        }
        if let [.., before, lower] = chain[..] {
            above[lower].push((xs[before] + vertices[before].anchor, e));
        }
    }
    let mut ports = vec![(0.0, 0.0); chains.len()];
    let spread = |list: &mut Vec<(f64, usize)>, width: f64, set: &mut dyn FnMut(usize, f64)| {
        list.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let k = list.len();
        for (i, &(_, e)) in list.iter().enumerate() {
            let offset = if k < 2 {
                0.0
            } else {
                width * (-0.35 + 0.7 * i as f64 / (k - 1) as f64)
            };
            set(e, offset);
        }
    };
    for v in 0..n {
        let width = input.nodes[v].0;
        spread(&mut below[v], width, &mut |e, o| ports[e].0 = o);
        spread(&mut above[v], width, &mut |e, o| ports[e].1 = o);
    }
    ports
}

/// The `k`-th loop on a node centred at `centre` of size `size`: out of its right side and back,
/// its label beside it.
fn self_loop(
    centre: (f64, f64),
    size: (f64, f64),
    k: usize,
    has_label: bool,
    label_height: f64,
) -> EdgePath {
    let right = centre.0 + size.0 / 2.0;
    let reach = LOOP_REACH + LOOP_STEP * k as f64;
    let dy = (size.1 / 2.0 - 2.0).clamp(2.0, 10.0);
    let top = centre.1 - dy;
    let bottom = centre.1 + dy;
    EdgePath {
        points: vec![
            (right, top),
            (right + reach, top - dy - 2.0 * k as f64),
            (right + reach, bottom + dy + 2.0 * k as f64),
            (right, bottom),
        ],
        label: has_label.then(|| {
            (
                right + reach * 0.75 + 4.0,
                centre.1 - label_height / 2.0 + (k as f64) * label_height,
            )
        }),
        is_loop: true,
    }
}

/// Which edges to reverse so that the graph has no cycle: those a depth-first search (from each
/// node in order, iterative) finds going back to a node on its path.
fn back_edges(n: usize, edges: &[(usize, usize, (f64, f64))]) -> Vec<bool> {
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, &(from, to, _)) in edges.iter().enumerate() {
        if from < n && to < n && from != to {
            out[from].push((to, e));
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Seen {
        No,
        OnPath,
        Done,
    }
    let mut seen = vec![Seen::No; n];
    let mut reversed = vec![false; edges.len()];
    for root in 0..n {
        if seen[root] != Seen::No {
            continue;
        }
        // (node, next out-edge to look at)
        let mut stack = vec![(root, 0usize)];
        seen[root] = Seen::OnPath;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, e)) = out[v].get(*next) {
                *next += 1;
                match seen[w] {
                    Seen::OnPath => reversed[e] = true,
                    Seen::No => {
                        seen[w] = Seen::OnPath;
                        stack.push((w, 0));
                    }
                    Seen::Done => {}
                }
            } else {
                seen[v] = Seen::Done;
                stack.pop();
            }
        }
    }
    reversed
}

/// Ranks by longest path from the sources, in steps of two (the rank between two nodes holds the
/// labels of the edges joining them).
fn rank(n: usize, edges: &[(usize, usize, (f64, f64))], reversed: &[bool]) -> Vec<usize> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut incoming = vec![0usize; n];
    for (e, &(from, to, _)) in edges.iter().enumerate() {
        if from >= n || to >= n || from == to {
            continue;
        }
        let (u, v) = if reversed[e] { (to, from) } else { (from, to) };
        out[u].push(v);
        incoming[v] += 1;
    }
    let mut ranks = vec![0usize; n];
    let mut ready: Vec<usize> = (0..n).rev().filter(|&v| incoming[v] == 0).collect();
    while let Some(u) = ready.pop() {
        for &v in &out[u] {
            ranks[v] = ranks[v].max(ranks[u] + 2);
            incoming[v] -= 1;
            if incoming[v] == 0 {
                ready.push(v);
            }
        }
    }
    ranks
}

/// The vertices of each rank, ordered to cross few segments.
fn order(vertices: &[Vertex], segments: &[Segment]) -> Vec<Vec<usize>> {
    let ranks = vertices.iter().map(|v| v.rank + 1).max().unwrap_or(0);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); ranks];
    for (i, v) in vertices.iter().enumerate() {
        layers[v.rank].push(i);
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for s in segments {
        down[s.upper].push(s.lower);
        up[s.lower].push(s.upper);
    }
    let mut position = vec![0usize; vertices.len()];
    let index = |layers: &[Vec<usize>], position: &mut [usize]| {
        for layer in layers {
            for (p, &v) in layer.iter().enumerate() {
                position[v] = p;
            }
        }
    };
    index(&layers, &mut position);
    let mut best = layers.clone();
    let mut best_crossings = crossings(&layers, &down, &position);
    for sweep in 0..SWEEPS {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..ranks).collect()
        } else {
            (0..ranks.saturating_sub(1)).rev().collect()
        };
        for r in order {
            let neighbours = if downward { &up } else { &down };
            let mut keyed: Vec<(f64, usize, usize)> = layers[r]
                .iter()
                .enumerate()
                .map(|(p, &v)| {
                    let ns = &neighbours[v];
                    let key = if ns.is_empty() {
                        p as f64
                    } else {
                        ns.iter().map(|&w| position[w] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (key, p, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
            for (p, &v) in layers[r].iter().enumerate() {
                position[v] = p;
            }
        }
        let now = crossings(&layers, &down, &position);
        if now < best_crossings {
            best_crossings = now;
            best = layers.clone();
        }
    }
    best
}

/// How many pairs of segments between consecutive ranks cross (counted with a Fenwick tree).
fn crossings(layers: &[Vec<usize>], down: &[Vec<usize>], position: &[usize]) -> usize {
    let mut total = 0;
    for pair in layers.windows(2) {
        let below = pair[1].len();
        let mut ends: Vec<(usize, usize)> = Vec::new();
        for &v in &pair[0] {
            for &w in &down[v] {
                if pair[1].get(position[w]) == Some(&w) {
                    ends.push((position[v], position[w]));
                }
            }
        }
        ends.sort_unstable();
        let mut tree = vec![0usize; below + 1];
        for (seen, &(_, lower)) in ends.iter().enumerate() {
            // Segments seen so far that end right of `lower` cross this one.
            let mut at_most = 0;
            let mut i = lower + 1;
            while i > 0 {
                at_most += tree[i];
                i &= i - 1;
            }
            total += seen - at_most;
            let mut i = lower + 1;
            while i <= below {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
    }
    total
}

/// The x of each vertex's centre: ranks packed in their order, then each vertex pulled towards
/// its neighbours' mean, in rounds down and up.
fn place(vertices: &[Vertex], segments: &[Segment], layers: &[Vec<usize>]) -> Vec<f64> {
    let mut x = vec![0.0f64; vertices.len()];
    for layer in layers {
        let mut right = MARGIN;
        for &v in layer {
            x[v] = right + vertices[v].width / 2.0;
            right += vertices[v].width + GAP_X;
        }
    }
    let mut up: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    let mut down: Vec<Vec<usize>> = vec![Vec::new(); vertices.len()];
    for s in segments {
        down[s.upper].push(s.lower);
        up[s.lower].push(s.upper);
    }
    for round in 0..ROUNDS {
        let downward = round % 2 == 0;
        let ranks: Vec<usize> = if downward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let neighbours = if downward { &up } else { &down };
            let wanted: Vec<f64> = layers[r]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    if ns.is_empty() {
                        x[v]
                    } else {
                        let mean = ns.iter().map(|&w| x[w] + vertices[w].anchor).sum::<f64>()
                            / ns.len() as f64;
                        mean - vertices[v].anchor
                    }
                })
                .collect();
            // As near as the order allows, left to right; then the rank moved as a whole.
            let mut placed = Vec::with_capacity(wanted.len());
            let mut right = f64::NEG_INFINITY;
            for (k, &v) in layers[r].iter().enumerate() {
                let half = vertices[v].width / 2.0;
                let at = wanted[k].max(right + GAP_X + half);
                placed.push(at);
                right = at + half;
            }
            let shift = wanted.iter().zip(&placed).map(|(w, p)| w - p).sum::<f64>()
                / placed.len().max(1) as f64;
            for (k, &v) in layers[r].iter().enumerate() {
                x[v] = placed[k] + shift.min(0.0);
            }
        }
    }
    // Everything right of the margin.
    let left = vertices
        .iter()
        .zip(&x)
        .map(|(v, x)| x - v.width / 2.0)
        .fold(f64::INFINITY, f64::min);
    if left.is_finite() {
        for xv in &mut x {
            *xv += MARGIN - left;
        }
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxes(layout: &Layout, input: &Input) -> Vec<(f64, f64, f64, f64)> {
        layout
            .nodes
            .iter()
            .zip(&input.nodes)
            .map(|(&(x, y), &(w, h))| (x - w / 2.0, y - h / 2.0, x + w / 2.0, y + h / 2.0))
            .collect()
    }

    fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
        a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
    }

    #[test]
    fn nodes_never_overlap_and_edges_go_down_except_back_edges() {
        // A diamond with a back edge and a loop.
        let input = Input {
            nodes: vec![(60.0, 30.0); 4],
            edges: vec![
                (0, 1, (40.0, 14.0)),
                (0, 2, (0.0, 0.0)),
                (1, 3, (0.0, 0.0)),
                (2, 3, (80.0, 14.0)),
                (3, 0, (30.0, 14.0)),
                (3, 3, (30.0, 14.0)),
            ],
        };
        let layout = layout(&input);
        let b = boxes(&layout, &input);
        for i in 0..b.len() {
            for j in i + 1..b.len() {
                assert!(!overlap(b[i], b[j]), "{i} and {j} overlap: {b:?}");
            }
        }
        assert!(layout.nodes[0].1 < layout.nodes[1].1);
        assert!(layout.nodes[1].1 < layout.nodes[3].1);
        // The back edge starts at node 3 and ends at node 0.
        let back = &layout.edges[4].points;
        assert!(back[0].1 > back[back.len() - 1].1);
        assert!(layout.edges[5].is_loop);
        for (e, path) in layout.edges.iter().enumerate() {
            for &(x, y) in &path.points {
                assert!(
                    x >= 0.0 && x <= layout.width && y >= 0.0 && y <= layout.height,
                    "{e}"
                );
            }
        }
    }

    #[test]
    fn long_edges_stay_within_the_budget() {
        // A chain of 200 nodes, and an edge from the first to every other one.
        let n = 200;
        let mut edges: Vec<(usize, usize, (f64, f64))> =
            (1..n).map(|i| (i - 1, i, (0.0, 0.0))).collect();
        edges.extend((2..n).map(|i| (0, i, (10.0, 10.0))));
        let input = Input {
            nodes: vec![(20.0, 10.0); n],
            edges,
        };
        let layout = layout(&input);
        let points: usize = layout.edges.iter().map(|e| e.points.len()).sum();
        assert!(points <= (DUMMY_BUDGET + 3) * (n + input.edges.len()));
    }
}
