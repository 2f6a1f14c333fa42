//! Reduced ordered binary decision diagrams: hash-consed nodes in one arena, `and` / `or` / `not`
//! remembered in a computed table, and a satisfying assignment of least cost (the fewest failed
//! tasks, for witnesses).
//!
//! Written here rather than taken from a crate because the analysis needs exactly this small
//! interface plus the least-cost path, and a shared node table keeps thousands of related
//! functions (every task's and link's state) small.
//!
//! An arena has a [`Budget`]: the bytes its tables may take, and the steps its operations may
//! make. A BDD can grow exponentially with its input, and a small workflow can ask for one that
//! would fill the memory or take minutes; the budget turns that into an answer, [`TooBig`], that
//! the analysis reports (N0408). Steps are counted, never timed, so the answer depends only on
//! the input. Every operation and the least-cost search run on explicit stacks: their depth is
//! the number of variables, which the input decides, not the thread's stack.

use hashbrown::HashTable;

use super::hash_table_bytes;

/// A function in a [`Bdds`] arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bdd(u32);

impl Bdd {
    pub const FALSE: Bdd = Bdd(0);
    pub const TRUE: Bdd = Bdd(1);
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Node {
    var: u32,
    low: Bdd,
    high: Bdd,
}

/// What an arena may spend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Bytes its tables may take at once, growth included: the nodes, their index, the
    /// computed table, and the least-cost search's.
    pub bytes: usize,
    /// Steps its operations may make in all: one per operation the computed table does not
    /// answer, one per node the least-cost search looks at, and what the caller charges
    /// ([`Bdds::charge`]).
    pub steps: u64,
}

/// What an arena ran out of: the analysis stops and says it is incomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TooBig {
    Memory,
    Steps,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    And = 0,
    Or = 1,
    Not = 2,
}

/// A slot of the computed table: the operation's operands (the operation in the top bits of the
/// second) and its result. `a == EMPTY` in an empty slot.
#[derive(Clone, Copy, Debug)]
struct Entry {
    a: u32,
    b: u32,
    r: u32,
}

const EMPTY: u32 = u32::MAX;
const EMPTY_ENTRY: Entry = Entry {
    a: EMPTY,
    b: EMPTY,
    r: EMPTY,
};

/// Nodes at most: node indices leave the top two bits of a computed-table key to the operation.
const MAX_NODES: usize = 1 << 30;

/// Computed-table slots at first; the table grows with the nodes, within the budget.
const FIRST_SLOTS: usize = 1 << 8;

/// What is left to do in an operation: work out `op` on two operands, or make the node of a
/// variable whose two cofactors are on the stack of results.
#[derive(Clone, Copy, Debug)]
enum Task {
    Call(Op, Bdd, Bdd),
    Make(Op, Bdd, Bdd, u32),
}

/// In the least-cost search: a node whose cost is not known yet, and one without a satisfying
/// path.
const UNKNOWN: u32 = u32::MAX;
const UNSATISFIABLE: u32 = u32::MAX - 1;

/// The arena of every function of one analysis.
pub struct Bdds {
    nodes: Vec<Node>,
    /// The index of every node but the terminals, by its fields.
    unique: HashTable<u32>,
    /// Lossy: a new result takes its slot whatever was there (it is only a memo).
    computed: Vec<Entry>,
    budget: Budget,
    steps: u64,
    tasks: Vec<Task>,
    results: Vec<Bdd>,
    /// The least-cost search's: per node, its least cost to `TRUE`, and the nodes given one.
    best: Vec<u32>,
    touched: Vec<u32>,
    visit: Vec<(Bdd, bool)>,
}

const TERMINAL: u32 = u32::MAX;

impl Bdds {
    /// An arena that spends at most `budget`.
    pub fn new(budget: Budget) -> Bdds {
        let terminal = |b| Node {
            var: TERMINAL,
            low: Bdd(b),
            high: Bdd(b),
        };
        Bdds {
            nodes: vec![terminal(0), terminal(1)],
            unique: HashTable::new(),
            computed: Vec::new(),
            budget,
            steps: 0,
            tasks: Vec::new(),
            results: Vec::new(),
            best: Vec::new(),
            touched: Vec::new(),
            visit: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 2
    }

    /// Steps made so far.
    pub fn steps(&self) -> u64 {
        self.steps
    }

    /// Bytes the arena's tables take now (their capacity, not what they hold).
    pub fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.nodes.capacity() * size_of::<Node>()
            + table_bytes(self.unique.capacity())
            + self.computed.capacity() * size_of::<Entry>()
            + self.tasks.capacity() * size_of::<Task>()
            + self.results.capacity() * size_of::<Bdd>()
            + (self.best.capacity() + self.touched.capacity()) * size_of::<u32>()
            + self.visit.capacity() * size_of::<(Bdd, bool)>()
    }

    /// Spends `steps` on work the caller does for the analysis (replaying a witness), so that
    /// the budget bounds all of it.
    pub fn charge(&mut self, steps: u64) -> Result<(), TooBig> {
        self.steps = self.steps.saturating_add(steps);
        if self.steps > self.budget.steps {
            return Err(TooBig::Steps);
        }
        Ok(())
    }

    /// Whether `extra` more bytes fit: while a table grows, its old and new allocations are
    /// both held.
    fn afford(&self, extra: usize) -> Result<(), TooBig> {
        if self.bytes().saturating_add(extra) > self.budget.bytes {
            return Err(TooBig::Memory);
        }
        Ok(())
    }

    /// Makes room for `more` items in `list`, doubling it when full, within the budget.
    fn room_in<T>(&self, list: &Vec<T>, more: usize) -> Result<usize, TooBig> {
        let needed = list.len().saturating_add(more);
        if needed <= list.capacity() {
            return Ok(0);
        }
        let wanted = needed.max(list.capacity() * 2).max(16);
        self.afford(wanted * std::mem::size_of::<T>())?;
        Ok(wanted - list.len())
    }

    fn node(&self, b: Bdd) -> Node {
        self.nodes[b.0 as usize]
    }

    fn make(&mut self, var: u32, low: Bdd, high: Bdd) -> Result<Bdd, TooBig> {
        if low == high {
            return Ok(low);
        }
        let node = Node { var, low, high };
        let hash = node_hash(node);
        let nodes = &self.nodes;
        if let Some(&b) = self.unique.find(hash, |&i| nodes[i as usize] == node) {
            return Ok(Bdd(b));
        }
        if self.nodes.len() >= MAX_NODES {
            return Err(TooBig::Memory);
        }
        let more = self.room_in(&self.nodes, 1)?;
        self.nodes.reserve_exact(more);
        if self.unique.len() == self.unique.capacity() {
            let doubled = self.unique.capacity().max(8) * 2;
            self.afford(table_bytes(doubled))?;
            let nodes = &self.nodes;
            self.unique.reserve(doubled - self.unique.len(), |&i| {
                node_hash(nodes[i as usize])
            });
        }
        let b = self.nodes.len() as u32;
        self.nodes.push(node);
        let nodes = &self.nodes;
        self.unique
            .insert_unique(hash, b, |&i| node_hash(nodes[i as usize]));
        self.grow_computed();
        Ok(Bdd(b))
    }

    /// Keeps the computed table about as large as the arena, while the budget allows.
    fn grow_computed(&mut self) {
        let len = self.computed.len();
        if len >= self.nodes.len() && len > 0 {
            return;
        }
        let doubled = (len * 2).max(FIRST_SLOTS);
        if self.afford(doubled * std::mem::size_of::<Entry>()).is_err() {
            return;
        }
        let old = std::mem::replace(&mut self.computed, vec![EMPTY_ENTRY; doubled]);
        for entry in old.into_iter().filter(|e| e.a != EMPTY) {
            let slot = self.slot(entry.a, entry.b);
            self.computed[slot] = entry;
        }
    }

    fn slot(&self, a: u32, b: u32) -> usize {
        let h = (u64::from(a) << 32 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (h >> 32) as usize & (self.computed.len() - 1)
    }

    fn cached(&self, op: Op, a: Bdd, b: Bdd) -> Option<Bdd> {
        if self.computed.is_empty() {
            return None;
        }
        let key = (op as u32) << 30 | b.0;
        let entry = self.computed[self.slot(a.0, key)];
        (entry.a == a.0 && entry.b == key).then_some(Bdd(entry.r))
    }

    fn remember(&mut self, op: Op, a: Bdd, b: Bdd, r: Bdd) {
        if self.computed.is_empty() {
            return;
        }
        let key = (op as u32) << 30 | b.0;
        let slot = self.slot(a.0, key);
        self.computed[slot] = Entry {
            a: a.0,
            b: key,
            r: r.0,
        };
    }

    fn spend(&mut self) -> Result<(), TooBig> {
        self.charge(1)
    }

    /// Variable `var` (true when the variable is).
    pub fn var(&mut self, var: u32) -> Result<Bdd, TooBig> {
        self.make(var, Bdd::FALSE, Bdd::TRUE)
    }

    /// The conjunction of literals: each variable with the value given, in any order. A step
    /// per literal.
    pub fn cube(&mut self, literals: &[(u32, bool)]) -> Result<Bdd, TooBig> {
        self.charge(literals.len() as u64)?;
        let mut sorted = literals.to_vec();
        sorted.sort_unstable();
        // From the last variable up, each node is made once.
        let mut r = Bdd::TRUE;
        for &(var, value) in sorted.iter().rev() {
            r = if value {
                self.make(var, Bdd::FALSE, r)?
            } else {
                self.make(var, r, Bdd::FALSE)?
            };
        }
        Ok(r)
    }

    pub fn not(&mut self, a: Bdd) -> Result<Bdd, TooBig> {
        self.run(Op::Not, a, Bdd::FALSE)
    }

    /// The function that is `options[i]` where `vars` (in the arena's order, the first the most
    /// significant bit) encode `i`, and false for the encodings past the options: one function per
    /// value class of a domain whose variables come before theirs, joined in `2^vars.len()` steps
    /// (what a disjunction of `class i and options[i]` would take for every `i`, node by node).
    pub fn select(&mut self, vars: &[u32], options: &[Bdd]) -> Result<Bdd, TooBig> {
        let width = u32::try_from(vars.len())
            .ok()
            .and_then(|n| 1usize.checked_shl(n))
            .ok_or(TooBig::Memory)?;
        self.charge(width as u64)?;
        let mut level: Vec<Bdd> = (0..width)
            .map(|i| options.get(i).copied().unwrap_or(Bdd::FALSE))
            .collect();
        for &var in vars.iter().rev() {
            let mut next = Vec::with_capacity(level.len() / 2);
            for pair in level.chunks(2) {
                if let [low, high] = *pair {
                    next.push(self.make(var, low, high)?);
                }
            }
            level = next;
        }
        Ok(level.first().copied().unwrap_or(Bdd::FALSE))
    }

    pub fn and(&mut self, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        self.run(Op::And, a, b)
    }

    pub fn or(&mut self, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        self.run(Op::Or, a, b)
    }

    /// `a ∧ ¬b`.
    pub fn and_not(&mut self, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        let nb = self.not(b)?;
        self.and(a, nb)
    }

    pub fn all(&mut self, items: impl IntoIterator<Item = Bdd>) -> Result<Bdd, TooBig> {
        self.fold(Op::And, items.into_iter().collect())
    }

    pub fn any(&mut self, items: impl IntoIterator<Item = Bdd>) -> Result<Bdd, TooBig> {
        self.fold(Op::Or, items.into_iter().collect())
    }

    /// Combines `items` pairwise, then the pairs pairwise, and so on: `n` independent parts over
    /// successive variables then take about `n log n` steps, where one after the other would
    /// go through the whole result so far for each, `n²`.
    fn fold(&mut self, op: Op, mut items: Vec<Bdd>) -> Result<Bdd, TooBig> {
        let unit = if op == Op::And { Bdd::TRUE } else { Bdd::FALSE };
        while items.len() > 1 {
            let mut kept = 0;
            for k in (0..items.len()).step_by(2) {
                items[kept] = match items.get(k + 1) {
                    Some(&b) => self.run(op, items[k], b)?,
                    None => items[k],
                };
                kept += 1;
            }
            items.truncate(kept);
        }
        Ok(items.first().copied().unwrap_or(unit))
    }

    /// The result of `op` when an operand decides it.
    fn terminal(op: Op, a: Bdd, b: Bdd) -> Option<Bdd> {
        match (op, a, b) {
            (Op::Not, Bdd::FALSE, _) => Some(Bdd::TRUE),
            (Op::Not, Bdd::TRUE, _) => Some(Bdd::FALSE),
            (Op::Not, _, _) => None,
            (Op::And, Bdd::FALSE, _) | (Op::And, _, Bdd::FALSE) => Some(Bdd::FALSE),
            (Op::And, Bdd::TRUE, x) | (Op::And, x, Bdd::TRUE) => Some(x),
            (Op::Or, Bdd::TRUE, _) | (Op::Or, _, Bdd::TRUE) => Some(Bdd::TRUE),
            (Op::Or, Bdd::FALSE, x) | (Op::Or, x, Bdd::FALSE) => Some(x),
            _ if a == b => Some(a),
            _ => None,
        }
    }

    /// `op` on `a` and `b` (`b` unused for `not`), the recursion of the textbook algorithm on
    /// explicit stacks.
    fn run(&mut self, op: Op, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        if let Some(r) = Self::terminal(op, a, b) {
            return Ok(r);
        }
        self.tasks.clear();
        self.results.clear();
        self.tasks.push(Task::Call(op, a, b));
        while let Some(task) = self.tasks.pop() {
            match task {
                Task::Call(op, a, b) => {
                    if let Some(r) = Self::terminal(op, a, b) {
                        self.push_result(r)?;
                        continue;
                    }
                    let (a, b) = if op != Op::Not && b < a {
                        (b, a)
                    } else {
                        (a, b)
                    };
                    if let Some(r) = self.cached(op, a, b) {
                        self.push_result(r)?;
                        continue;
                    }
                    self.spend()?;
                    let more = self.room_in(&self.tasks, 3)?;
                    self.tasks.reserve_exact(more);
                    let (na, nb) = (self.node(a), self.node(b));
                    if op == Op::Not {
                        self.tasks.push(Task::Make(op, a, b, na.var));
                        self.tasks.push(Task::Call(op, na.high, b));
                        self.tasks.push(Task::Call(op, na.low, b));
                        continue;
                    }
                    let var = na.var.min(nb.var);
                    let (a0, a1) = if na.var == var {
                        (na.low, na.high)
                    } else {
                        (a, a)
                    };
                    let (b0, b1) = if nb.var == var {
                        (nb.low, nb.high)
                    } else {
                        (b, b)
                    };
                    self.tasks.push(Task::Make(op, a, b, var));
                    self.tasks.push(Task::Call(op, a1, b1));
                    self.tasks.push(Task::Call(op, a0, b0));
                }
                Task::Make(op, a, b, var) => {
                    let high = self
                        .results
                        .pop()
                        .expect("a node's cofactors come before it");
                    let low = self
                        .results
                        .pop()
                        .expect("a node's cofactors come before it");
                    let r = self.make(var, low, high)?;
                    self.remember(op, a, b, r);
                    self.results.push(r);
                }
            }
        }
        Ok(self.results.pop().expect("an operation has a result"))
    }

    fn push_result(&mut self, r: Bdd) -> Result<(), TooBig> {
        let more = self.room_in(&self.results, 1)?;
        self.results.reserve_exact(more);
        self.results.push(r);
        Ok(())
    }

    /// A satisfying assignment of least total cost, `cost(var, value)` being the cost of giving
    /// `var` that value; only the variables on the path are given (and cost). `None` for `FALSE`.
    pub fn cheapest(
        &mut self,
        a: Bdd,
        cost: &dyn Fn(u32, bool) -> u32,
    ) -> Result<Option<Vec<(u32, bool)>>, TooBig> {
        if a == Bdd::FALSE {
            return Ok(None);
        }
        if self.best.len() < self.nodes.len() {
            let more = self.nodes.len() - self.best.len();
            let grow = self.room_in(&self.best, more)?;
            self.best.reserve_exact(grow);
            self.best.resize(self.nodes.len(), UNKNOWN);
        }
        let found = self.least_costs(a, cost);
        let path = found.map(|()| self.cheapest_path(a, cost));
        // The costs depend on `cost`: forgotten for the next search, whether or not this one
        // finished.
        for &n in &self.touched {
            self.best[n as usize] = UNKNOWN;
        }
        self.touched.clear();
        path
    }

    /// The least cost from each node under `a` to `TRUE`, children first, into `best`.
    fn least_costs(&mut self, a: Bdd, cost: &dyn Fn(u32, bool) -> u32) -> Result<(), TooBig> {
        self.visit.clear();
        self.visit.push((a, false));
        while let Some((n, expanded)) = self.visit.pop() {
            if n.0 < 2 || self.best[n.0 as usize] != UNKNOWN {
                continue;
            }
            let node = self.node(n);
            if !expanded {
                self.spend()?;
                let more = self.room_in(&self.visit, 3)?;
                self.visit.reserve_exact(more);
                self.visit.push((n, true));
                self.visit.push((node.high, false));
                self.visit.push((node.low, false));
                continue;
            }
            let low = self
                .cost_to_true(node.low)
                .map(|c| c.saturating_add(cost(node.var, false)));
            let high = self
                .cost_to_true(node.high)
                .map(|c| c.saturating_add(cost(node.var, true)));
            let c = match (low, high) {
                (Some(l), Some(h)) => l.min(h),
                (l, h) => l.or(h).unwrap_or(UNSATISFIABLE),
            };
            let more = self.room_in(&self.touched, 1)?;
            self.touched.reserve_exact(more);
            self.touched.push(n.0);
            // Below the two marks, whatever the costs add up to.
            self.best[n.0 as usize] = c.min(UNSATISFIABLE - 1);
        }
        Ok(())
    }

    /// The least cost from `b` to `TRUE` once [`Bdds::least_costs`] has worked it out.
    fn cost_to_true(&self, b: Bdd) -> Option<u32> {
        match b {
            Bdd::FALSE => None,
            Bdd::TRUE => Some(0),
            _ => match self.best[b.0 as usize] {
                UNSATISFIABLE | UNKNOWN => None,
                c => Some(c),
            },
        }
    }

    /// The path of least cost from `a` to `TRUE`, by the costs in `best`.
    fn cheapest_path(&self, a: Bdd, cost: &dyn Fn(u32, bool) -> u32) -> Option<Vec<(u32, bool)>> {
        self.cost_to_true(a)?;
        let mut path = Vec::new();
        let mut at = a;
        while at != Bdd::TRUE {
            let n = self.node(at);
            let low = self
                .cost_to_true(n.low)
                .map(|c| c.saturating_add(cost(n.var, false)));
            let high = self
                .cost_to_true(n.high)
                .map(|c| c.saturating_add(cost(n.var, true)));
            let take_high = match (low, high) {
                (Some(l), Some(h)) => h < l,
                (None, Some(_)) => true,
                _ => false,
            };
            path.push((n.var, take_high));
            at = if take_high { n.high } else { n.low };
        }
        Some(path)
    }
}

/// Bytes a hash table of `u32` with room for `capacity` items takes.
pub(crate) fn table_bytes(capacity: usize) -> usize {
    hash_table_bytes(capacity, std::mem::size_of::<u32>())
}

fn node_hash(n: Node) -> u64 {
    let mut h = u64::from(n.var).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    h ^= u64::from(n.low.0) << 32 | u64::from(n.high.0);
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^ (h >> 29)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOMY: Budget = Budget {
        bytes: 1 << 24,
        steps: 1 << 24,
    };

    #[test]
    fn boolean_laws_hold() {
        let mut b = Bdds::new(ROOMY);
        let x = b.var(0).expect("small");
        let y = b.var(1).expect("small");
        let nx = b.not(x).expect("small");
        assert_eq!(b.and(x, nx).expect("small"), Bdd::FALSE);
        assert_eq!(b.or(x, nx).expect("small"), Bdd::TRUE);
        let xy = b.and(x, y).expect("small");
        let yx = b.and(y, x).expect("small");
        assert_eq!(xy, yx, "canonical");
        let ny = b.not(y).expect("small");
        let nxy = b.not(xy).expect("small");
        let either = b.or(nx, ny).expect("small");
        assert_eq!(nxy, either, "De Morgan");
        assert_eq!(b.cube(&[(1, true), (0, true)]).expect("small"), xy);
    }

    #[test]
    fn select_is_the_disjunction_of_each_class_with_its_option() {
        let mut b = Bdds::new(ROOMY);
        // Classes 0..3 of a domain on x0 x1 (x0 most significant), options over x2; class 3 is
        // past the options, so false.
        let x2 = b.var(2).expect("small");
        let nx2 = b.not(x2).expect("small");
        let options = [Bdd::TRUE, x2, nx2];
        let selected = b.select(&[0, 1], &options).expect("small");
        let mut parts = Vec::new();
        for (i, &option) in options.iter().enumerate() {
            let class = b.cube(&[(0, i & 2 != 0), (1, i & 1 != 0)]).expect("small");
            parts.push(b.and(class, option).expect("small"));
        }
        assert_eq!(selected, b.any(parts).expect("small"));
        assert_eq!(b.select(&[], &[x2]).expect("small"), x2);
        assert_eq!(b.select(&[], &[]).expect("small"), Bdd::FALSE);
    }

    #[test]
    fn the_cheapest_assignment_avoids_costly_variables() {
        let mut b = Bdds::new(ROOMY);
        // (x0 ∧ x1) ∨ x2, with x0 and x1 costing 1 each and x2 costing 5.
        let x0 = b.var(0).expect("small");
        let x1 = b.var(1).expect("small");
        let x2 = b.var(2).expect("small");
        let both = b.and(x0, x1).expect("small");
        let f = b.or(both, x2).expect("small");
        let path = b
            .cheapest(f, &|v, b| {
                if !b {
                    0
                } else if v == 2 {
                    5
                } else {
                    1
                }
            })
            .expect("small")
            .expect("satisfiable");
        assert_eq!(path, [(0, true), (1, true)]);
        let path = b
            .cheapest(f, &|v, b| {
                if !b {
                    0
                } else if v == 2 {
                    1
                } else {
                    5
                }
            })
            .expect("small")
            .expect("satisfiable");
        assert!(path.contains(&(2, true)));
        assert_eq!(b.cheapest(Bdd::FALSE, &|_, _| 0), Ok(None));
    }

    /// `x0 ∨ x1 ∨ … ∨ x(n-1)`, one variable at a time.
    fn chain(b: &mut Bdds, n: u32) -> Result<Bdd, TooBig> {
        let mut f = Bdd::FALSE;
        for v in 0..n {
            let x = b.var(v)?;
            f = b.or(f, x)?;
        }
        Ok(f)
    }

    #[test]
    fn the_memory_bound_is_an_error_not_a_crash() {
        let mut b = Bdds::new(Budget {
            bytes: 4096,
            steps: u64::MAX,
        });
        assert_eq!(chain(&mut b, 1 << 12), Err(TooBig::Memory));
        assert!(b.bytes() <= 4096);
    }

    #[test]
    fn the_bound_on_steps_is_an_error_not_a_hang() {
        let mut b = Bdds::new(Budget {
            bytes: usize::MAX,
            steps: 1000,
        });
        assert_eq!(chain(&mut b, 1 << 12), Err(TooBig::Steps));
        assert!(b.steps() <= 1001);
    }

    #[test]
    fn deep_functions_need_no_deep_stack() {
        // 100 000 variables deep, on a thread with a small stack: every operation and the
        // least-cost search go down the whole chain.
        let deep = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(|| {
                let mut b = Bdds::new(Budget {
                    bytes: 1 << 30,
                    steps: 1 << 30,
                });
                let n = 100_000;
                let literals: Vec<(u32, bool)> = (0..n).map(|v| (v, v % 2 == 0)).collect();
                let cube = b.cube(&literals).expect("fits");
                let vars: Vec<Bdd> = (0..n).map(|v| b.var(v).expect("fits")).collect();
                let all = b.all(vars).expect("fits");
                let not_cube = b.not(cube).expect("fits");
                let both = b.and(all, not_cube).expect("fits");
                assert_eq!(both, all, "the cube and `all` differ");
                let path = b.cheapest(cube, &|_, _| 1).expect("fits");
                assert_eq!(path.map(|p| p.len()), Some(n as usize));
            })
            .expect("a thread");
        deep.join().expect("no stack overflow");
    }
}
