//! Every run of a workflow at once: each task's and link's end state as a function (a BDD) of the
//! variables' value classes and of each task's outcome (fails or not).
//!
//! With `continue_on_failure = true` a task's end state depends only on its predecessors' end
//! states, its links' conditions and its own outcome, so the functions are exact whatever the
//! durations. With `continue_on_failure = false` the first failure stops all evaluation, so a task
//! is evaluated only in a prefix of a run in which nothing has failed yet: the functions are built
//! with every outcome "succeeds", which is exact for whether a task can run and what a condition
//! reads (the states a halt leaves behind, `WAITING` and `IN_QUEUE`, depend on timing and are found
//! by running: see `explore.rs`).

use super::bdd::{Bdd, Bdds, Budget, TooBig};
use super::domain::{Domain, NotSplittable, Term, domains, sum_vars, term, value_of};
use crate::model::{
    Accept, CmpOp, Expr, ExprKind, LinkId, LinkKind, LogicOp, Program, TaskId, Type, Value, VarId,
    Workflow, WorkflowId,
};
use crate::sim::code::{compare, value_to_i64};
use crate::source::Span;

/// Workflows with more tasks than this are not analysed by `wfl check` (the analysis is built
/// for specs people write, not for generated giants).
pub const MAX_TASKS: usize = 2_000;

/// Steps a workflow's analysis may make per byte of the memory it may take: the work stays in
/// proportion to the memory, and `--max-memory` raises both.
pub const BYTES_PER_STEP: usize = 64;

/// The budget of a workflow's analysis that may take `max_bytes` (`--max-memory`).
pub fn budget(max_bytes: usize) -> Budget {
    Budget {
        bytes: max_bytes,
        steps: (max_bytes / BYTES_PER_STEP) as u64,
    }
}

/// Why an analysis could not be made exact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incomplete {
    TooManyTasks(usize),
    /// Its functions, or the work of finding them, would pass the analysis's budget.
    TooBig(TooBig),
    NotSplittable(String),
    /// A condition, at `at`, that compares two integer variables or adds them.
    Condition {
        why: String,
        at: Span,
    },
    /// The interpreter could not compile it, which the resolver should have made impossible (a
    /// bug in wfl).
    Internal,
}

impl From<TooBig> for Incomplete {
    fn from(why: TooBig) -> Incomplete {
        Incomplete::TooBig(why)
    }
}

impl Incomplete {
    pub fn why(&self) -> String {
        match self {
            Incomplete::TooManyTasks(n) => {
                format!("it has {n} tasks, more than the {MAX_TASKS} analysed")
            }
            Incomplete::TooBig(TooBig::Memory) => {
                "its functions grew past the analysis's bound on memory".to_owned()
            }
            Incomplete::TooBig(TooBig::Steps) => {
                "working out its runs took more steps than its share of the analysis's bound (`--max-memory`, shared by the workflows of the file)".to_owned()
            }
            Incomplete::NotSplittable(why) | Incomplete::Condition { why, .. } => {
                format!("{why}, which the analysis cannot split into exact cases")
            }
            Incomplete::Internal => {
                "the interpreter could not compile it (a bug in wfl; please report it with this file)"
                    .to_owned()
            }
        }
    }
}

/// A task's end states, as functions.
#[derive(Clone, Copy, Debug)]
pub struct TaskFns {
    pub processed: Bdd,
    pub ok: Bdd,
    pub failed: Bdd,
    pub skipped: Bdd,
    pub skipped_failure: Bdd,
}

/// A link's states, as functions; `evaluated` is when its condition is read.
#[derive(Clone, Copy, Debug)]
pub struct LinkFns {
    pub evaluated: Bdd,
    pub condition: Bdd,
    pub accepted: Bdd,
    pub rejected: Bdd,
    pub skipped: Bdd,
    pub skipped_failure: Bdd,
}

/// The symbolic form of one workflow.
pub struct Symbolic<'p> {
    pub program: &'p Program,
    pub workflow: &'p Workflow,
    pub id: WorkflowId,
    pub bdds: Bdds,
    pub domains: Vec<Domain>,
    /// Per domain, its BDD variables, most significant first.
    bits: Vec<Vec<u32>>,
    /// Per BDD variable of a domain (they come first), its value in the domain's default.
    default_bits: Vec<bool>,
    /// Per task, the BDD variable "it fails".
    pub outcome: Vec<u32>,
    /// The encodings that are values of their domains.
    pub valid: Bdd,
    pub reached: Vec<bool>,
    pub tasks: Vec<Option<TaskFns>>,
    pub links: Vec<Option<LinkFns>>,
}

impl<'p> Symbolic<'p> {
    pub fn new(
        program: &'p Program,
        id: WorkflowId,
        budget: Budget,
    ) -> Result<Symbolic<'p>, Incomplete> {
        let workflow = program.workflow(id);
        if workflow.tasks.len() > MAX_TASKS {
            return Err(Incomplete::TooManyTasks(workflow.tasks.len()));
        }
        let domains = domains(program, workflow)
            .map_err(|NotSplittable { why, at }| Incomplete::Condition { why, at })?;
        let bdds = Bdds::new(budget);
        let mut next = 0u32;
        let mut bits = Vec::with_capacity(domains.len());
        let mut default_bits = Vec::new();
        for d in &domains {
            let n = bits_for(d.values.len());
            bits.push((next..next + n).collect::<Vec<u32>>());
            default_bits.extend((0..n).map(|k| (d.default >> (n - 1 - k)) & 1 == 1));
            next += n;
        }
        let outcome: Vec<u32> = (0..workflow.tasks.len()).map(|t| next + t as u32).collect();
        let mut s = Symbolic {
            program,
            workflow,
            id,
            bdds,
            domains,
            bits,
            default_bits,
            outcome,
            valid: Bdd::TRUE,
            reached: Vec::new(),
            tasks: vec![None; workflow.tasks.len()],
            links: vec![None; workflow.links.len()],
        };
        // From the last domain up: each conjunction then adds to the top of what is built.
        let mut valid = Bdd::TRUE;
        for d in (0..s.domains.len()).rev() {
            let options: Vec<Bdd> = (0..s.domains[d].values.len())
                .map(|i| s.is(d, i))
                .collect::<Result<_, _>>()?;
            let any = s.bdds.any(options)?;
            valid = s.bdds.and(any, valid)?;
        }
        s.valid = valid;
        s.build()?;
        Ok(s)
    }

    /// "Domain `d` takes its value class `i`."
    fn is(&mut self, d: usize, i: usize) -> Result<Bdd, TooBig> {
        let bits = &self.bits[d];
        let n = bits.len();
        let literals: Vec<(u32, bool)> = bits
            .iter()
            .enumerate()
            .map(|(k, &var)| (var, (i >> (n - 1 - k)) & 1 == 1))
            .collect();
        self.bdds.cube(&literals)
    }

    fn continue_on_failure(&self) -> bool {
        self.workflow.continue_on_failure
    }

    fn build(&mut self) -> Result<(), Incomplete> {
        let w = self.workflow;
        let n = w.tasks.len();
        // Rule 1: the initial nodes and what they reach.
        let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (l, link) in w.links.iter().enumerate() {
            incoming[link.target.index()].push(l);
            outgoing[link.source.index()].push(l);
        }
        let initial: Vec<usize> = match &w.start {
            Some((tasks, _)) => tasks.iter().map(|t| t.index()).collect(),
            None => (0..n).filter(|&t| incoming[t].is_empty()).collect(),
        };
        let mut reached = vec![false; n];
        let mut stack = initial;
        while let Some(t) = stack.pop() {
            if std::mem::replace(&mut reached[t], true) {
                continue;
            }
            stack.extend(outgoing[t].iter().map(|&l| w.links[l].target.index()));
        }
        // A topological order of the reached tasks over the active links (declaration order
        // among the ready).
        let mut pending: Vec<usize> = (0..n)
            .map(|t| {
                incoming[t]
                    .iter()
                    .filter(|&&l| reached[w.links[l].source.index()])
                    .count()
            })
            .collect();
        let mut ready: std::collections::BTreeSet<usize> =
            (0..n).filter(|&t| reached[t] && pending[t] == 0).collect();
        let mut order = Vec::with_capacity(n);
        while let Some(t) = ready.pop_first() {
            order.push(t);
            for &l in &outgoing[t] {
                let target = w.links[l].target.index();
                pending[target] -= 1;
                if pending[target] == 0 {
                    ready.insert(target);
                }
            }
        }
        self.reached = reached;
        for t in order {
            let mut accepted = Vec::new();
            let mut skipped_failure = Vec::new();
            for &l in &incoming[t] {
                let source = w.links[l].source.index();
                if !self.reached[source] {
                    continue;
                }
                let Some(src) = self.tasks[source] else {
                    continue;
                };
                let fns = self.link(l, src)?;
                accepted.push(fns.accepted);
                skipped_failure.push(fns.skipped_failure);
                self.links[l] = Some(fns);
            }
            let processed = if accepted.is_empty() {
                Bdd::TRUE
            } else {
                match w.tasks[t].accept {
                    Accept::AllValid => self.bdds.all(accepted)?,
                    Accept::AtLeastOne => self.bdds.any(accepted)?,
                }
            };
            let fails = if self.continue_on_failure() {
                self.bdds.var(self.outcome[t])?
            } else {
                // Evaluation only happens before any failure: the analysis of what can run and
                // what conditions read is made in the world where everything succeeds.
                Bdd::FALSE
            };
            let any_sf = self.bdds.any(skipped_failure)?;
            let ok = self.bdds.and_not(processed, fails)?;
            let failed = self.bdds.and(processed, fails)?;
            let not_processed = self.bdds.not(processed)?;
            let skipped = self.bdds.and_not(not_processed, any_sf)?;
            let sf = self.bdds.and(not_processed, any_sf)?;
            self.tasks[t] = Some(TaskFns {
                processed,
                ok,
                failed,
                skipped,
                skipped_failure: sf,
            });
        }
        Ok(())
    }

    /// Rule 2's table, as functions.
    fn link(&mut self, l: usize, src: TaskFns) -> Result<LinkFns, Incomplete> {
        let link = &self.workflow.links[l];
        let condition = match &link.condition {
            Some(c) => self.condition(c)?,
            None => Bdd::TRUE,
        };
        let b = &mut self.bdds;
        let src_failed = if self.workflow.continue_on_failure {
            src.failed
        } else {
            Bdd::FALSE
        };
        Ok(match link.kind {
            LinkKind::Normal => {
                let accepted = b.and(src.ok, condition)?;
                let rejected = b.and_not(src.ok, condition)?;
                let sf = b.or(src_failed, src.skipped_failure)?;
                LinkFns {
                    evaluated: src.ok,
                    condition,
                    accepted,
                    rejected,
                    skipped: src.skipped,
                    skipped_failure: sf,
                }
            }
            LinkKind::Error => {
                let accepted = b.and(src_failed, condition)?;
                let failed_false = b.and_not(src_failed, condition)?;
                let sf = b.or(failed_false, src.skipped_failure)?;
                LinkFns {
                    evaluated: src_failed,
                    condition,
                    accepted,
                    rejected: src.ok,
                    skipped: src.skipped,
                    skipped_failure: sf,
                }
            }
        })
    }

    /// A link condition as a function of the value classes.
    fn condition(&mut self, e: &Expr) -> Result<Bdd, Incomplete> {
        Ok(match &e.kind {
            ExprKind::Const(Value::Bool(b)) => {
                if *b {
                    Bdd::TRUE
                } else {
                    Bdd::FALSE
                }
            }
            ExprKind::Var(v) => {
                let d = v.index();
                self.is(d, 1)?
            }
            ExprKind::Not(inner) => {
                let x = self.condition(inner)?;
                self.bdds.not(x)?
            }
            ExprKind::Logic(op, operands) => {
                let mut parts = Vec::with_capacity(operands.len());
                for o in operands {
                    parts.push(self.condition(o)?);
                }
                match op {
                    LogicOp::And => self.bdds.all(parts)?,
                    LogicOp::Or => self.bdds.any(parts)?,
                }
            }
            ExprKind::Compare(op, lhs, rhs) => self.comparison(*op, lhs, rhs)?,
            ExprKind::In(lhs, set) => match term(lhs) {
                // A variable's classes that hold a value of the set, each found by a binary search
                // (comparing every value with every class would be quadratic in a long list).
                Some(Term {
                    var: Some(v),
                    offset,
                }) => {
                    let d = v.index();
                    let classes = self.domains[d].classes_in(offset, set);
                    let mut parts = Vec::with_capacity(classes.len());
                    for class in classes {
                        parts.push(self.is(d, class)?);
                    }
                    self.bdds.any(parts)?
                }
                Some(Term { var: None, offset }) => {
                    if set.iter().any(|v| value_to_i64(*v) == offset) {
                        Bdd::TRUE
                    } else {
                        Bdd::FALSE
                    }
                }
                // A sum of variables (`a + b in [3, 4]`), split into their single values.
                None => {
                    self.combinations(&[lhs], |x| set.iter().any(|v| value_to_i64(*v) == x[0]))?
                }
            },
            _ => {
                return Err(Incomplete::NotSplittable(
                    "a condition reads something other than variables".to_owned(),
                ));
            }
        })
    }

    fn comparison(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Result<Bdd, Incomplete> {
        let (Some(a), Some(b)) = (term(lhs), term(rhs)) else {
            // A sum of integer variables (`a + b > 3`), split into their single values.
            return self.combinations(&[lhs, rhs], |x| compare(op, x[0], x[1]));
        };
        match (a.var, b.var) {
            (None, None) => Ok(if compare(op, a.offset, b.offset) {
                Bdd::TRUE
            } else {
                Bdd::FALSE
            }),
            (Some(v), None) => {
                self.against(v, |x| compare(op, x.saturating_add(a.offset), b.offset))
            }
            (None, Some(v)) => {
                self.against(v, |x| compare(op, a.offset, x.saturating_add(b.offset)))
            }
            (Some(_), Some(_)) if matches!(lhs.ty, Type::Int { .. }) => {
                // Two integer variables (`rows > limit`), split into their single values.
                self.combinations(&[lhs, rhs], |x| compare(op, x[0], x[1]))
            }
            (Some(u), Some(v)) => {
                // Two bools or two enumerations: compare class by class (their classes are
                // their values).
                let (du, dv) = (u.index(), v.index());
                let mut parts = Vec::new();
                for i in 0..self.domains[du].values.len() {
                    self.bdds.charge(self.domains[dv].values.len() as u64)?;
                    for j in 0..self.domains[dv].values.len() {
                        let (x, y) = (self.domains[du].values[i], self.domains[dv].values[j]);
                        if compare(op, x, y) {
                            let p = self.is(du, i)?;
                            let q = self.is(dv, j)?;
                            parts.push(self.bdds.and(p, q)?);
                        }
                    }
                }
                Ok(self.bdds.any(parts)?)
            }
        }
    }

    /// A condition over integer sums that read several variables: the combinations of their
    /// values for which `holds` is true of the sums' values (`sides`, in order). The domains cut
    /// each of those variables into its single values, at most `domain::MAX_COMBINATIONS`
    /// combinations of them (else the workflow is not analysed), so every combination is tried;
    /// the function is then built from that table node by node (`Bdds::select`), in steps in
    /// proportion to the table, rather than as a disjunction of one cube per combination.
    fn combinations(
        &mut self,
        sides: &[&Expr],
        holds: impl Fn(&[i64]) -> bool,
    ) -> Result<Bdd, Incomplete> {
        let mut vars = Vec::new();
        for side in sides {
            sum_vars(side, &mut vars).ok_or(Incomplete::Internal)?;
        }
        // Each combination reads every occurrence of a variable once.
        let reads = (vars.len() as u64).max(1);
        // Each once, in the order of their BDD variables (a domain's index is its variable's).
        vars.sort_unstable();
        vars.dedup();
        let domains: Vec<usize> = vars.iter().map(|v| v.index()).collect();
        let sizes: Vec<usize> = domains
            .iter()
            .map(|&d| self.domains[d].values.len())
            .collect();
        let total = sizes.iter().try_fold(1u64, |n, &k| n.checked_mul(k as u64));
        self.bdds
            .charge(total.ok_or(Incomplete::Internal)?.saturating_mul(reads))?;
        // Whether it holds, for every combination of class indices, the last variable counting
        // fastest.
        let mut at = vec![0usize; vars.len()];
        let mut level = Vec::new();
        let mut values = Vec::with_capacity(sides.len());
        loop {
            let value_of_var = |v: VarId| {
                let k = vars.binary_search(&v).ok()?;
                self.domains[domains[k]].values.get(at[k]).copied()
            };
            values.clear();
            for side in sides {
                values.push(value_of(side, &value_of_var).ok_or(Incomplete::Internal)?);
            }
            level.push(if holds(&values) {
                Bdd::TRUE
            } else {
                Bdd::FALSE
            });
            let Some(k) = (0..at.len()).rev().find(|&k| at[k] + 1 < sizes[k]) else {
                break;
            };
            at[k] += 1;
            at[k + 1..].iter_mut().for_each(|i| *i = 0);
        }
        // From the last variable up: each run of its classes becomes one function of its bits,
        // until the first variable's classes make the whole condition.
        for k in (0..vars.len()).rev() {
            let mut next = Vec::with_capacity(level.len() / sizes[k].max(1));
            for options in level.chunks(sizes[k].max(1)) {
                next.push(self.bdds.select(&self.bits[domains[k]], options)?);
            }
            level = next;
        }
        Ok(level.first().copied().unwrap_or(Bdd::FALSE))
    }

    /// The classes of variable `v` whose value satisfies `holds`.
    fn against(&mut self, v: VarId, holds: impl Fn(i64) -> bool) -> Result<Bdd, Incomplete> {
        let d = v.index();
        self.bdds.charge(self.domains[d].values.len() as u64)?;
        let classes: Vec<usize> = (0..self.domains[d].values.len())
            .filter(|&i| holds(self.domains[d].values[i]))
            .collect();
        let mut parts = Vec::with_capacity(classes.len());
        for i in classes {
            parts.push(self.is(d, i)?);
        }
        Ok(self.bdds.any(parts)?)
    }

    /// Whether `f` holds for some valid assignment.
    pub fn possible(&mut self, f: Bdd) -> Result<bool, Incomplete> {
        Ok(self.bdds.and(f, self.valid)? != Bdd::FALSE)
    }

    /// The inputs of a run in which `f` holds, with the fewest failed tasks, then the fewest
    /// variables away from their defaults.
    pub fn witness(&mut self, f: Bdd) -> Result<Option<Inputs>, Incomplete> {
        let g = self.bdds.and(f, self.valid)?;
        // Fewest failing tasks first, then fewest bits away from the variables' defaults: a
        // witness sets only what matters. Past the domains' bits come the tasks' outcomes.
        let default_bits = &self.default_bits;
        let cost = |v: u32, value: bool| match default_bits.get(v as usize) {
            Some(&default) => u32::from(value != default),
            None => u32::from(value) << 16,
        };
        let Some(path) = self.bdds.cheapest(g, &cost)? else {
            return Ok(None);
        };
        // What the path fixes, per variable.
        let mut fixed: Vec<Option<bool>> = vec![None; self.outcome.len() + self.default_bits.len()];
        for &(var, value) in &path {
            if let Some(slot) = fixed.get_mut(var as usize) {
                *slot = Some(value);
            }
        }
        let fixed = |var: u32| fixed.get(var as usize).copied().flatten();
        let mut vars = Vec::new();
        for (d, domain) in self.domains.iter().enumerate() {
            let bits = &self.bits[d];
            let n = bits.len();
            let consistent = |i: usize| {
                bits.iter()
                    .enumerate()
                    .all(|(k, &var)| fixed(var).is_none_or(|b| b == ((i >> (n - 1 - k)) & 1 == 1)))
            };
            // The default when it fits, so a witness sets only what matters; else the first
            // class that does, the bits the path leaves free at 0. Every value the free bits
            // give is a class: the path holds whatever they are, and it implies `valid`.
            let class = if consistent(domain.default) {
                domain.default
            } else {
                bits.iter().fold(0, |class, &var| {
                    class << 1 | usize::from(fixed(var) == Some(true))
                })
            };
            if class != domain.default
                && let Some(&value) = domain.values.get(class)
            {
                vars.push((domain.var, value));
            }
        }
        let fail = self
            .outcome
            .iter()
            .enumerate()
            .filter(|&(_, &var)| fixed(var) == Some(true))
            .map(|(t, _)| TaskId::from_index(t))
            .collect();
        Ok(Some(Inputs { vars, fail }))
    }

    pub fn link_id(&self, l: usize) -> LinkId {
        LinkId::from_index(l)
    }

    /// A variable's value as a spec writes it.
    pub fn value_text(&self, var: VarId, value: i64) -> String {
        match self.workflow.vars.get(var.index()).map(|v| v.ty) {
            Some(Type::Bool) => (value != 0).to_string(),
            Some(Type::Enum(id)) => self
                .program
                .enum_type(id)
                .members
                .get(usize::try_from(value).unwrap_or(0))
                .map_or_else(|| value.to_string(), |m| m.as_str().to_owned()),
            _ => value.to_string(),
        }
    }
}

/// What a witness run is given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    pub vars: Vec<(VarId, i64)>,
    pub fail: Vec<TaskId>,
}

fn bits_for(values: usize) -> u32 {
    let mut n = 0;
    while (1usize << n) < values {
        n += 1;
    }
    n
}
