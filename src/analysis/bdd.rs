//! Reduced ordered binary decision diagrams: hash-consed nodes in one arena, memoised `and` / `or`
//! / `not`, and a satisfying assignment of least cost (the fewest failed tasks, for witnesses).
//!
//! Written here rather than taken from a crate because the analysis needs exactly this small
//! interface plus the least-cost path, and a shared node table keeps thousands of related
//! functions (every task's and link's state) small.

use rustc_hash::FxHashMap;

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

/// Too many nodes: the analysis stops and says it is incomplete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooBig;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Op {
    And,
    Or,
}

/// The arena of every function of one analysis.
pub struct Bdds {
    nodes: Vec<Node>,
    unique: FxHashMap<Node, Bdd>,
    cache: FxHashMap<(Op, Bdd, Bdd), Bdd>,
    not_cache: FxHashMap<Bdd, Bdd>,
    limit: usize,
}

const TERMINAL: u32 = u32::MAX;

impl Bdds {
    /// An arena of at most `limit` nodes.
    pub fn new(limit: usize) -> Bdds {
        let terminal = |b| Node {
            var: TERMINAL,
            low: Bdd(b),
            high: Bdd(b),
        };
        Bdds {
            nodes: vec![terminal(0), terminal(1)],
            unique: FxHashMap::default(),
            cache: FxHashMap::default(),
            not_cache: FxHashMap::default(),
            limit,
        }
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 2
    }

    fn node(&self, b: Bdd) -> Node {
        self.nodes[b.0 as usize]
    }

    fn make(&mut self, var: u32, low: Bdd, high: Bdd) -> Result<Bdd, TooBig> {
        if low == high {
            return Ok(low);
        }
        let node = Node { var, low, high };
        if let Some(&b) = self.unique.get(&node) {
            return Ok(b);
        }
        if self.nodes.len() >= self.limit {
            return Err(TooBig);
        }
        let b = Bdd(u32::try_from(self.nodes.len()).map_err(|_| TooBig)?);
        self.nodes.push(node);
        self.unique.insert(node, b);
        Ok(b)
    }

    /// Variable `var` (true when the variable is).
    pub fn var(&mut self, var: u32) -> Result<Bdd, TooBig> {
        self.make(var, Bdd::FALSE, Bdd::TRUE)
    }

    pub fn not(&mut self, a: Bdd) -> Result<Bdd, TooBig> {
        match a {
            Bdd::FALSE => return Ok(Bdd::TRUE),
            Bdd::TRUE => return Ok(Bdd::FALSE),
            _ => {}
        }
        if let Some(&r) = self.not_cache.get(&a) {
            return Ok(r);
        }
        let n = self.node(a);
        let low = self.not(n.low)?;
        let high = self.not(n.high)?;
        let r = self.make(n.var, low, high)?;
        self.not_cache.insert(a, r);
        Ok(r)
    }

    pub fn and(&mut self, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        self.apply(Op::And, a, b)
    }

    pub fn or(&mut self, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        self.apply(Op::Or, a, b)
    }

    /// `a ∧ ¬b`.
    pub fn and_not(&mut self, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        let nb = self.not(b)?;
        self.and(a, nb)
    }

    pub fn all(&mut self, items: impl IntoIterator<Item = Bdd>) -> Result<Bdd, TooBig> {
        let mut r = Bdd::TRUE;
        for b in items {
            r = self.and(r, b)?;
        }
        Ok(r)
    }

    pub fn any(&mut self, items: impl IntoIterator<Item = Bdd>) -> Result<Bdd, TooBig> {
        let mut r = Bdd::FALSE;
        for b in items {
            r = self.or(r, b)?;
        }
        Ok(r)
    }

    fn apply(&mut self, op: Op, a: Bdd, b: Bdd) -> Result<Bdd, TooBig> {
        match (op, a, b) {
            (Op::And, Bdd::FALSE, _) | (Op::And, _, Bdd::FALSE) => return Ok(Bdd::FALSE),
            (Op::And, Bdd::TRUE, x) | (Op::And, x, Bdd::TRUE) => return Ok(x),
            (Op::Or, Bdd::TRUE, _) | (Op::Or, _, Bdd::TRUE) => return Ok(Bdd::TRUE),
            (Op::Or, Bdd::FALSE, x) | (Op::Or, x, Bdd::FALSE) => return Ok(x),
            _ if a == b => return Ok(a),
            _ => {}
        }
        let key = if a <= b { (op, a, b) } else { (op, b, a) };
        if let Some(&r) = self.cache.get(&key) {
            return Ok(r);
        }
        let (na, nb) = (self.node(a), self.node(b));
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
        let low = self.apply(op, a0, b0)?;
        let high = self.apply(op, a1, b1)?;
        let r = self.make(var, low, high)?;
        self.cache.insert(key, r);
        Ok(r)
    }

    /// `a` with variable `var` fixed to `value`.
    pub fn restrict(&mut self, a: Bdd, var: u32, value: bool) -> Result<Bdd, TooBig> {
        let mut memo = FxHashMap::default();
        self.restrict_in(a, var, value, &mut memo)
    }

    fn restrict_in(
        &mut self,
        a: Bdd,
        var: u32,
        value: bool,
        memo: &mut FxHashMap<Bdd, Bdd>,
    ) -> Result<Bdd, TooBig> {
        let n = self.node(a);
        if n.var == TERMINAL || n.var > var {
            return Ok(a);
        }
        if let Some(&r) = memo.get(&a) {
            return Ok(r);
        }
        let r = if n.var == var {
            if value { n.high } else { n.low }
        } else {
            let low = self.restrict_in(n.low, var, value, memo)?;
            let high = self.restrict_in(n.high, var, value, memo)?;
            self.make(n.var, low, high)?
        };
        memo.insert(a, r);
        Ok(r)
    }

    /// A satisfying assignment of least total cost, `cost(var, value)` being the cost of giving
    /// `var` that value; only the variables on the path are given (and cost). `None` for `FALSE`.
    pub fn cheapest(&self, a: Bdd, cost: &dyn Fn(u32, bool) -> u32) -> Option<Vec<(u32, bool)>> {
        if a == Bdd::FALSE {
            return None;
        }
        // Least cost from each node to TRUE, bottom up by memoised recursion.
        let mut best: FxHashMap<Bdd, Option<u32>> = FxHashMap::default();
        fn cost_of(
            bdds: &Bdds,
            b: Bdd,
            cost: &dyn Fn(u32, bool) -> u32,
            best: &mut FxHashMap<Bdd, Option<u32>>,
        ) -> Option<u32> {
            match b {
                Bdd::FALSE => return None,
                Bdd::TRUE => return Some(0),
                _ => {}
            }
            if let Some(&c) = best.get(&b) {
                return c;
            }
            let n = bdds.node(b);
            let low =
                cost_of(bdds, n.low, cost, best).map(|c| c.saturating_add(cost(n.var, false)));
            let high =
                cost_of(bdds, n.high, cost, best).map(|c| c.saturating_add(cost(n.var, true)));
            let c = match (low, high) {
                (Some(l), Some(h)) => Some(l.min(h)),
                (l, h) => l.or(h),
            };
            best.insert(b, c);
            c
        }
        cost_of(self, a, cost, &mut best)?;
        let mut path = Vec::new();
        let mut at = a;
        while at != Bdd::TRUE {
            let n = self.node(at);
            let low =
                cost_of(self, n.low, cost, &mut best).map(|c| c.saturating_add(cost(n.var, false)));
            let high =
                cost_of(self, n.high, cost, &mut best).map(|c| c.saturating_add(cost(n.var, true)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boolean_laws_hold() {
        let mut b = Bdds::new(1 << 16);
        let x = b.var(0).expect("small");
        let y = b.var(1).expect("small");
        let nx = b.not(x).expect("small");
        assert_eq!(b.and(x, nx).expect("small"), Bdd::FALSE);
        assert_eq!(b.or(x, nx).expect("small"), Bdd::TRUE);
        let xy = b.and(x, y).expect("small");
        let yx = b.and(y, x).expect("small");
        assert_eq!(xy, yx, "canonical");
        let restricted = b.restrict(xy, 0, true).expect("small");
        assert_eq!(restricted, y);
    }

    #[test]
    fn the_cheapest_assignment_avoids_costly_variables() {
        let mut b = Bdds::new(1 << 16);
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
            .expect("satisfiable");
        assert!(path.contains(&(2, true)));
    }

    #[test]
    fn the_node_limit_is_an_error_not_a_crash() {
        let mut b = Bdds::new(8);
        let mut f = Bdd::FALSE;
        let mut hit = false;
        for v in 0..32 {
            match b.var(v).and_then(|x| b.or(f, x)) {
                Ok(r) => f = r,
                Err(TooBig) => {
                    hit = true;
                    break;
                }
            }
        }
        assert!(hit);
    }
}
