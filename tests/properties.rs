//! Property tests of the workflow interpreter over random acyclic workflows.
//!
//! Each case is a random workflow written as `.wfl` text (tasks `t0`, `t1`, … declared in that
//! order, links only from a lower to a higher index, conditions over random `bool`, `int` and
//! enumeration variables) and random run inputs. The text must check without errors, and the run
//! must terminate, never panic, be deterministic and end in states that specs/semantics.md
//! allows. The expected values (reachability, link states, what may be left unfinished) are
//! derived here from the rules, not from the interpreter, and the trace is replayed event by event
//! against the order of rule 9.
//!
//! A failing case is shrunk (tasks, links, conditions and inputs removed while it still fails) and
//! printed as a `.wfl` file with a scenario, ready for `wfl test` / `wfl simulate --scenario`.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

use common::{replay, witness_of};
use wfl::model::{Accept, LinkKind, LinkState, TaskId, TaskState, VarId, WorkflowState};
use wfl::sim::random::{Rng, Stats, simulate};
use wfl::sim::scenario::Verdict;
use wfl::sim::trace::{Event, EventKind};
use wfl::sim::workflow::{Compiled, Inputs, Outcome};

/// Random cases of the main property test.
const CASES: u64 = 3_000;

// ---------------------------------------------------------------------------------------------
// Random choices

struct Gen(Rng);

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen(Rng::new(seed))
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.0.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.0.next_u64() % (hi - lo + 1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.0.next_f64() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// `k` distinct values of `0..n`, in random order (`k <= n`).
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut all: Vec<usize> = (0..n).collect();
        for i in 0..k {
            let j = i + self.below(n - i);
            all.swap(i, j);
        }
        all.truncate(k);
        all
    }
}

// ---------------------------------------------------------------------------------------------
// Cases

#[derive(Clone, Debug, PartialEq)]
enum VarType {
    Bool,
    /// A plain `int`, or `int LOW..HIGH`.
    Int(Option<(i64, i64)>),
    /// The members' names.
    Enum(Vec<&'static str>),
}

#[derive(Clone, Debug)]
struct VarDecl {
    ty: VarType,
    /// `= value`, or the type's default.
    default: Option<i64>,
}

impl VarDecl {
    fn name(&self, i: usize) -> String {
        match self.ty {
            VarType::Bool => format!("b{i}"),
            VarType::Int(_) => format!("x{i}"),
            VarType::Enum(_) => format!("m{i}"),
        }
    }

    /// The value a run starts with (specs/language.md: `false`, `0` or the range's low end,
    /// the first member).
    fn initial(&self) -> i64 {
        self.default.unwrap_or(match self.ty {
            VarType::Int(Some((lo, _))) => lo,
            _ => 0,
        })
    }

    fn random_value(&self, g: &mut Gen) -> i64 {
        match &self.ty {
            VarType::Bool => g.between(0, 1),
            VarType::Int(None) => g.between(-20, 20),
            VarType::Int(Some((lo, hi))) => g.between(*lo, *hi),
            VarType::Enum(members) => g.below(members.len()) as i64,
        }
    }

    fn literal(&self, value: i64) -> String {
        match &self.ty {
            VarType::Bool => (value != 0).to_string(),
            VarType::Int(_) => value.to_string(),
            VarType::Enum(members) => members[value as usize].to_owned(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    const ALL: [Cmp; 6] = [Cmp::Eq, Cmp::Ne, Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge];

    fn text(self) -> &'static str {
        match self {
            Cmp::Eq => "==",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }

    fn holds(self, a: i64, b: i64) -> bool {
        match self {
            Cmp::Eq => a == b,
            Cmp::Ne => a != b,
            Cmp::Lt => a < b,
            Cmp::Le => a <= b,
            Cmp::Gt => a > b,
            Cmp::Ge => a >= b,
        }
    }
}

/// An `int` expression.
#[derive(Clone, Debug)]
enum IExpr {
    Lit(i64),
    Var(usize),
    Add(Box<IExpr>, Box<IExpr>),
    Sub(Box<IExpr>, Box<IExpr>),
    Paren(Box<IExpr>),
}

/// A `bool` expression (a link condition).
#[derive(Clone, Debug)]
enum BExpr {
    Lit(bool),
    Var(usize),
    Not(Box<BExpr>),
    And(Box<BExpr>, Box<BExpr>),
    Or(Box<BExpr>, Box<BExpr>),
    Cmp(Cmp, IExpr, IExpr),
    IntIn(IExpr, Vec<i64>),
    /// `var == member` (`==` when `.1`, else `!=`), the member first when `.3`.
    EnumCmp(usize, bool, usize, bool),
    EnumIn(usize, Vec<usize>),
    /// Two `bool`s compared: `(x0 > 1) == b1`.
    BoolCmp(bool, Box<BExpr>, Box<BExpr>),
    Paren(Box<BExpr>),
}

/// Binding levels of specs/language.md section 7.1, loosest first.
const OR: u8 = 1;
const AND: u8 = 2;
const NOT: u8 = 3;
const COMPARISON: u8 = 4;
const SUM: u8 = 5;
const OPERAND: u8 = 6;

impl IExpr {
    fn level(&self) -> u8 {
        match self {
            IExpr::Add(..) | IExpr::Sub(..) => SUM,
            _ => OPERAND,
        }
    }

    fn eval(&self, vars: &[i64]) -> i64 {
        match self {
            IExpr::Lit(n) => *n,
            IExpr::Var(v) => vars[*v],
            IExpr::Add(a, b) => a.eval(vars) + b.eval(vars),
            IExpr::Sub(a, b) => a.eval(vars) - b.eval(vars),
            IExpr::Paren(a) => a.eval(vars),
        }
    }

    /// Written with the fewest parentheses the precedence rules allow (plus the `Paren`s).
    fn write(&self, decls: &[VarDecl], min: u8, out: &mut String) {
        if self.level() < min {
            out.push('(');
            self.write(decls, 0, out);
            out.push(')');
            return;
        }
        match self {
            IExpr::Lit(n) => {
                let _ = write!(out, "{n}");
            }
            IExpr::Var(v) => out.push_str(&decls[*v].name(*v)),
            IExpr::Add(a, b) | IExpr::Sub(a, b) => {
                a.write(decls, SUM, out);
                out.push_str(if matches!(self, IExpr::Add(..)) {
                    " + "
                } else {
                    " - "
                });
                b.write(decls, OPERAND, out);
            }
            IExpr::Paren(a) => {
                out.push('(');
                a.write(decls, 0, out);
                out.push(')');
            }
        }
    }

    fn uses(&self, var: usize) -> bool {
        match self {
            IExpr::Lit(_) => false,
            IExpr::Var(v) => *v == var,
            IExpr::Add(a, b) | IExpr::Sub(a, b) => a.uses(var) || b.uses(var),
            IExpr::Paren(a) => a.uses(var),
        }
    }
}

impl BExpr {
    fn level(&self) -> u8 {
        match self {
            BExpr::Or(..) => OR,
            BExpr::And(..) => AND,
            BExpr::Not(_) => NOT,
            BExpr::Cmp(..)
            | BExpr::IntIn(..)
            | BExpr::EnumCmp(..)
            | BExpr::EnumIn(..)
            | BExpr::BoolCmp(..) => COMPARISON,
            BExpr::Lit(_) | BExpr::Var(_) | BExpr::Paren(_) => OPERAND,
        }
    }

    fn eval(&self, vars: &[i64]) -> bool {
        match self {
            BExpr::Lit(b) => *b,
            BExpr::Var(v) => vars[*v] != 0,
            BExpr::Not(a) => !a.eval(vars),
            BExpr::And(a, b) => a.eval(vars) && b.eval(vars),
            BExpr::Or(a, b) => a.eval(vars) || b.eval(vars),
            BExpr::Cmp(op, a, b) => op.holds(a.eval(vars), b.eval(vars)),
            BExpr::IntIn(a, values) => values.contains(&a.eval(vars)),
            BExpr::EnumCmp(v, eq, member, _) => (vars[*v] == *member as i64) == *eq,
            BExpr::EnumIn(v, members) => members.iter().any(|&m| vars[*v] == m as i64),
            BExpr::BoolCmp(eq, a, b) => (a.eval(vars) == b.eval(vars)) == *eq,
            BExpr::Paren(a) => a.eval(vars),
        }
    }

    fn write(&self, decls: &[VarDecl], min: u8, out: &mut String) {
        if self.level() < min {
            out.push('(');
            self.write(decls, 0, out);
            out.push(')');
            return;
        }
        let members = |v: usize| match &decls[v].ty {
            VarType::Enum(members) => members.clone(),
            _ => Vec::new(),
        };
        match self {
            BExpr::Lit(b) => {
                let _ = write!(out, "{b}");
            }
            BExpr::Var(v) => out.push_str(&decls[*v].name(*v)),
            BExpr::Not(a) => {
                out.push_str("not ");
                a.write(decls, NOT, out);
            }
            // `and` and `or` group from the left.
            BExpr::And(a, b) => {
                a.write(decls, AND, out);
                out.push_str(" and ");
                b.write(decls, NOT, out);
            }
            BExpr::Or(a, b) => {
                a.write(decls, OR, out);
                out.push_str(" or ");
                b.write(decls, AND, out);
            }
            BExpr::Cmp(op, a, b) => {
                a.write(decls, SUM, out);
                let _ = write!(out, " {} ", op.text());
                b.write(decls, SUM, out);
            }
            BExpr::IntIn(a, values) => {
                a.write(decls, SUM, out);
                out.push_str(" in ");
                write_list(out, values.iter().map(i64::to_string));
            }
            BExpr::EnumCmp(v, eq, member, member_first) => {
                let var = decls[*v].name(*v);
                let member = members(*v)[*member];
                let op = if *eq { "==" } else { "!=" };
                if *member_first {
                    let _ = write!(out, "{member} {op} {var}");
                } else {
                    let _ = write!(out, "{var} {op} {member}");
                }
            }
            BExpr::EnumIn(v, chosen) => {
                let names = members(*v);
                let _ = write!(out, "{} in ", decls[*v].name(*v));
                write_list(out, chosen.iter().map(|&m| names[m].to_owned()));
            }
            BExpr::BoolCmp(eq, a, b) => {
                a.write(decls, SUM, out);
                out.push_str(if *eq { " == " } else { " != " });
                b.write(decls, SUM, out);
            }
            BExpr::Paren(a) => {
                out.push('(');
                a.write(decls, 0, out);
                out.push(')');
            }
        }
    }

    fn text(&self, decls: &[VarDecl]) -> String {
        let mut out = String::new();
        self.write(decls, 0, &mut out);
        out
    }

    fn uses(&self, var: usize) -> bool {
        match self {
            BExpr::Lit(_) => false,
            BExpr::Var(v) | BExpr::EnumCmp(v, ..) | BExpr::EnumIn(v, _) => *v == var,
            BExpr::Not(a) | BExpr::Paren(a) => a.uses(var),
            BExpr::And(a, b) | BExpr::Or(a, b) | BExpr::BoolCmp(_, a, b) => {
                a.uses(var) || b.uses(var)
            }
            BExpr::Cmp(_, a, b) => a.uses(var) || b.uses(var),
            BExpr::IntIn(a, _) => a.uses(var),
        }
    }

    /// Smaller conditions for shrinking: the direct sub-conditions.
    fn parts(&self) -> Vec<BExpr> {
        match self {
            BExpr::Not(a) | BExpr::Paren(a) => vec![(**a).clone()],
            BExpr::And(a, b) | BExpr::Or(a, b) | BExpr::BoolCmp(_, a, b) => {
                vec![(**a).clone(), (**b).clone()]
            }
            _ => Vec::new(),
        }
    }
}

/// `[a, b]`, or a single value without brackets now and then (`x in 3` is `x == 3`).
fn write_list(out: &mut String, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.len() == 1 && items[0].len().is_multiple_of(2) {
        out.push_str(&items[0]);
    } else {
        let _ = write!(out, "[{}]", items.join(", "));
    }
}

fn gen_int(g: &mut Gen, decls: &[VarDecl], depth: u32) -> IExpr {
    let ints: Vec<usize> = (0..decls.len())
        .filter(|&v| matches!(decls[v].ty, VarType::Int(_)))
        .collect();
    if depth == 0 || g.chance(0.6) {
        if !ints.is_empty() && g.chance(0.7) {
            IExpr::Var(g.pick(&ints))
        } else {
            IExpr::Lit(g.between(-6, 6))
        }
    } else {
        match g.below(5) {
            0 | 1 => IExpr::Add(
                Box::new(gen_int(g, decls, depth - 1)),
                Box::new(gen_int(g, decls, depth - 1)),
            ),
            2 | 3 => IExpr::Sub(
                Box::new(gen_int(g, decls, depth - 1)),
                Box::new(gen_int(g, decls, depth - 1)),
            ),
            _ => IExpr::Paren(Box::new(gen_int(g, decls, depth - 1))),
        }
    }
}

fn gen_bool(g: &mut Gen, decls: &[VarDecl], depth: u32) -> BExpr {
    if depth == 0 || g.chance(0.4) {
        return gen_atom(g, decls);
    }
    let sub = |g: &mut Gen| Box::new(gen_bool(g, decls, depth - 1));
    match g.below(9) {
        0 | 1 => BExpr::Not(sub(g)),
        2 | 3 => BExpr::And(sub(g), sub(g)),
        4 | 5 => BExpr::Or(sub(g), sub(g)),
        6 => BExpr::BoolCmp(g.chance(0.5), sub(g), sub(g)),
        _ => BExpr::Paren(sub(g)),
    }
}

fn gen_atom(g: &mut Gen, decls: &[VarDecl]) -> BExpr {
    let bools: Vec<usize> = (0..decls.len())
        .filter(|&v| decls[v].ty == VarType::Bool)
        .collect();
    let enums: Vec<(usize, usize)> = (0..decls.len())
        .filter_map(|v| match &decls[v].ty {
            VarType::Enum(members) => Some((v, members.len())),
            _ => None,
        })
        .collect();
    loop {
        match g.below(10) {
            0 => return BExpr::Lit(g.chance(0.5)),
            1 | 2 if !bools.is_empty() => return BExpr::Var(g.pick(&bools)),
            3..=5 => {
                return BExpr::Cmp(
                    g.pick(&Cmp::ALL),
                    gen_int(g, decls, 2),
                    gen_int(g, decls, 1),
                );
            }
            6 => {
                let k = 1 + g.below(3);
                let values = (0..k).map(|_| g.between(-6, 6)).collect();
                return BExpr::IntIn(gen_int(g, decls, 1), values);
            }
            7 | 8 if !enums.is_empty() => {
                let (v, n) = g.pick(&enums);
                return BExpr::EnumCmp(v, g.chance(0.6), g.below(n), g.chance(0.3));
            }
            9 if !enums.is_empty() => {
                let (v, n) = g.pick(&enums);
                let k = 1 + g.below(n);
                return BExpr::EnumIn(v, g.distinct(n, k));
            }
            _ => {}
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
struct TaskDecl {
    accept: Option<Accept>,
    duration: Option<u32>,
    failure_rate: Option<&'static str>,
}

#[derive(Clone, Debug)]
struct LinkDecl {
    source: usize,
    target: usize,
    error: bool,
    condition: Option<BExpr>,
    /// `when` written before `on error`.
    when_first: bool,
}

#[derive(Clone, Debug, Default)]
struct CaseInputs {
    vars: Vec<(usize, i64)>,
    fail: Vec<usize>,
    /// Tasks that fail as if drawn at random (`Compiled::run`'s `random_failures`, what random
    /// runs give it); a scenario can only say `fail`.
    random: Vec<usize>,
    durations: Vec<(usize, u32)>,
    start_from: Option<Vec<usize>>,
    stop_at: Option<u32>,
    kill_at: Option<u32>,
}

#[derive(Clone, Debug)]
struct Case {
    continue_on_failure: Option<bool>,
    max_parallel: Option<u32>,
    start: Option<Vec<usize>>,
    vars: Vec<VarDecl>,
    tasks: Vec<TaskDecl>,
    links: Vec<LinkDecl>,
    inputs: CaseInputs,
    /// Drives the layout of the text only (statement order, grouping, separators, comments).
    layout: u64,
}

const MEMBERS: [&str; 8] = [
    "full", "delta", "red", "green", "blue", "low", "high", "late",
];
const RATES: [&str; 6] = ["0", "0.1", "0.25", "0.5", "0.9", "1"];

fn gen_case(seed: u64) -> Case {
    let mut g = Gen::new(seed);
    let n = if g.chance(0.3) {
        1 + g.below(8)
    } else {
        1 + g.below(40)
    };
    let vars: Vec<VarDecl> = (0..g.below(5))
        .map(|_| {
            let ty = match g.below(3) {
                0 => VarType::Bool,
                1 => VarType::Int(g.pick(&[None, Some((0, 10)), Some((-5, 5)), Some((3, 3))])),
                _ => {
                    let k = 1 + g.below(4);
                    VarType::Enum(
                        g.distinct(MEMBERS.len(), k)
                            .iter()
                            .map(|&i| MEMBERS[i])
                            .collect(),
                    )
                }
            };
            let mut decl = VarDecl { ty, default: None };
            if g.chance(0.5) {
                decl.default = Some(decl.random_value(&mut g));
            }
            decl
        })
        .collect();
    let tasks: Vec<TaskDecl> = (0..n)
        .map(|_| TaskDecl {
            accept: match g.below(6) {
                0 | 1 => Some(Accept::AtLeastOne),
                2 => Some(Accept::AllValid),
                _ => None,
            },
            duration: g.chance(0.5).then(|| g.pick(&[1, 1, 2, 3, 4, 5, 9])),
            failure_rate: g.chance(0.3).then(|| g.pick(&RATES)),
        })
        .collect();
    let max_in = g.pick(&[1, 2, 3, 5]);
    let p_error = g.pick(&[0.0, 0.2, 0.5]);
    let p_condition = g.pick(&[0.0, 0.3, 0.7]);
    let p_none = g.pick(&[0.1, 0.3]);
    let mut links = Vec::new();
    for target in 1..n {
        if g.chance(p_none) {
            continue;
        }
        let k = 1 + g.below(max_in.min(target));
        for source in g.distinct(target, k) {
            let kinds: &[bool] = if g.chance(0.1) {
                &[false, true]
            } else if g.chance(p_error) {
                &[true]
            } else {
                &[false]
            };
            for &error in kinds {
                let condition = g.chance(p_condition).then(|| gen_bool(&mut g, &vars, 3));
                links.push(LinkDecl {
                    source,
                    target,
                    error,
                    condition,
                    when_first: g.chance(0.5),
                });
            }
        }
    }
    let start = g.chance(0.15).then(|| {
        let k = 1 + g.below(n.min(3));
        let mut start = g.distinct(n, k);
        if g.chance(0.2) {
            // Naming a task twice is allowed.
            start.push(start[0]);
        }
        start
    });
    let continue_on_failure = g.pick(&[None, Some(false), Some(true)]);
    let max_parallel = g.chance(0.5).then(|| g.pick(&[1, 1, 2, 3, 4]));

    let mut inputs = CaseInputs::default();
    for (v, decl) in vars.iter().enumerate() {
        if g.chance(0.5) {
            inputs.vars.push((v, decl.random_value(&mut g)));
        }
    }
    let p_fail = g.pick(&[0.0, 0.05, 0.2, 0.5]);
    inputs.fail = (0..n).filter(|_| g.chance(p_fail)).collect();
    if !inputs.fail.is_empty() && g.chance(0.1) {
        // `fail` may name a task again.
        inputs.fail.push(inputs.fail[0]);
    }
    if g.chance(0.25) {
        let p = g.pick(&[0.1, 0.3]);
        inputs.random = (0..n).filter(|_| g.chance(p)).collect();
    }
    for t in 0..n {
        if g.chance(0.1) {
            inputs.durations.push((t, g.pick(&[1, 2, 3, 6, 8])));
        }
    }
    if g.chance(0.1) {
        let k = 1 + g.below(n.min(3));
        inputs.start_from = Some(g.distinct(n, k));
    }
    let horizon = tasks
        .iter()
        .map(|t| t.duration.unwrap_or(1))
        .sum::<u32>()
        .div_ceil(2)
        + 2;
    if g.chance(0.2) {
        inputs.stop_at = Some(g.between(0, i64::from(horizon)) as u32);
    }
    if g.chance(0.2) {
        inputs.kill_at = Some(g.between(0, i64::from(horizon)) as u32);
    }
    Case {
        continue_on_failure,
        max_parallel,
        start,
        vars,
        tasks,
        links,
        inputs,
        layout: g.0.next_u64(),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing a case as `.wfl` text

fn task_name(t: usize) -> String {
    format!("t{t}")
}

fn names(tasks: &[usize]) -> Vec<String> {
    tasks.iter().map(|&t| task_name(t)).collect()
}

/// `t3` or `[t1, t3]`.
fn task_list(g: &mut Gen, tasks: &[usize]) -> String {
    if tasks.len() == 1 && g.chance(0.5) {
        task_name(tasks[0])
    } else {
        format!("[{}]", names(tasks).join(", "))
    }
}

fn link_statement(
    g: &mut Gen,
    case: &Case,
    sources: &[usize],
    targets: &[usize],
    l: &LinkDecl,
) -> String {
    let mut s = format!("{} -> {}", task_list(g, sources), task_list(g, targets));
    let when = l
        .condition
        .as_ref()
        .map(|c| format!(" when {}", c.text(&case.vars)));
    let error = if l.error { " on error" } else { "" };
    match (when, l.when_first) {
        (Some(when), true) => {
            s.push_str(&when);
            s.push_str(error);
        }
        (Some(when), false) => {
            s.push_str(error);
            s.push_str(&when);
        }
        (None, _) => s.push_str(error),
    }
    s
}

fn task_statement(g: &mut Gen, first: usize, count: usize, decl: &TaskDecl) -> String {
    let list: Vec<String> = (first..first + count).map(task_name).collect();
    let mut props = Vec::new();
    if let Some(accept) = decl.accept {
        props.push(match accept {
            Accept::AllValid => "accept = all_valid".to_owned(),
            Accept::AtLeastOne => "accept = at_least_one".to_owned(),
        });
    }
    if let Some(d) = decl.duration {
        props.push(format!("duration = {d}"));
    }
    if let Some(rate) = decl.failure_rate {
        props.push(format!("failure_rate = {rate}"));
    }
    let mut s = format!("task {}", list.join(", "));
    if !props.is_empty() {
        if g.chance(0.2) {
            let _ = write!(s, " {{\n    {}\n  }}", props.join("\n    "));
        } else {
            let _ = write!(s, " {{ {} }}", props.join("; "));
        }
    }
    s
}

fn render(case: &Case) -> String {
    let mut g = Gen::new(case.layout);
    let mut others: Vec<String> = Vec::new();
    if let Some(c) = case.continue_on_failure {
        others.push(format!("continue_on_failure = {c}"));
    }
    if let Some(m) = case.max_parallel {
        others.push(format!("max_parallel = {m}"));
    }
    if let Some(start) = &case.start {
        others.push(format!("start = {}", task_list(&mut g, start)));
    }
    for (v, decl) in case.vars.iter().enumerate() {
        let ty = match &decl.ty {
            VarType::Bool => "bool".to_owned(),
            VarType::Int(None) => "int".to_owned(),
            VarType::Int(Some((lo, hi))) => format!("int {lo}..{hi}"),
            VarType::Enum(members) => format!("{{{}}}", members.join(", ")),
        };
        let mut s = format!("var {}: {ty}", decl.name(v));
        if let Some(d) = decl.default {
            let _ = write!(s, " = {}", decl.literal(d));
        }
        others.push(s);
    }
    // Links without a condition that share a source and a kind may be written as one statement
    // with a list of targets (and likewise for a shared target).
    let mut written = vec![false; case.links.len()];
    for l in 0..case.links.len() {
        if written[l] {
            continue;
        }
        let link = &case.links[l];
        let same = |k: &LinkDecl, by_source: bool| {
            k.condition.is_none()
                && k.error == link.error
                && if by_source {
                    k.source == link.source
                } else {
                    k.target == link.target
                }
        };
        if link.condition.is_none() && g.chance(0.4) {
            let by_source = g.chance(0.5);
            let group: Vec<usize> = (l..case.links.len())
                .filter(|&k| !written[k] && same(&case.links[k], by_source))
                .collect();
            let (sources, targets): (Vec<usize>, Vec<usize>) = if by_source {
                (
                    vec![link.source],
                    group.iter().map(|&k| case.links[k].target).collect(),
                )
            } else {
                (
                    group.iter().map(|&k| case.links[k].source).collect(),
                    vec![link.target],
                )
            };
            for &k in &group {
                written[k] = true;
            }
            others.push(link_statement(&mut g, case, &sources, &targets, link));
        } else {
            written[l] = true;
            others.push(link_statement(
                &mut g,
                case,
                &[link.source],
                &[link.target],
                link,
            ));
        }
    }
    // Tasks in declaration order, consecutive equal declarations sometimes written as one.
    let mut statements: Vec<(bool, String)> = Vec::new();
    let mut t = 0;
    while t < case.tasks.len() {
        let mut count = 1;
        if g.chance(0.5) {
            while t + count < case.tasks.len()
                && case.tasks[t + count] == case.tasks[t]
                && count < 4
            {
                count += 1;
            }
        }
        statements.push((true, task_statement(&mut g, t, count, &case.tasks[t])));
        t += count;
    }
    // The other statements anywhere among them: the order of statements carries no meaning.
    for s in others {
        let at = g.below(statements.len() + 1);
        statements.insert(at, (false, s));
    }
    let mut lines: Vec<String> = Vec::new();
    let mut joinable = false;
    for (is_task, s) in statements {
        if is_task && g.chance(0.1) {
            lines.push("/// A task.".to_owned());
            joinable = false;
        }
        if joinable && !s.contains('\n') && g.chance(0.1) {
            if let Some(last) = lines.last_mut() {
                last.push_str("; ");
                last.push_str(&s);
            }
        } else {
            lines.push(s);
        }
        joinable = !lines.last().is_some_and(|l| l.contains('\n'));
    }
    let mut out = String::from("workflow w {\n");
    for line in lines {
        let comment = if !line.starts_with("///") && g.chance(0.05) {
            "  // a comment"
        } else {
            ""
        };
        let _ = writeln!(out, "  {line}{comment}");
    }
    out.push_str("}\n");
    out
}

/// The case's inputs as scenario steps (without `expect` lines).
fn scenario_steps(case: &Case) -> String {
    let mut out = String::new();
    let i = &case.inputs;
    for &(v, value) in &i.vars {
        let decl = &case.vars[v];
        let _ = writeln!(out, "  set {} = {}", decl.name(v), decl.literal(value));
    }
    let mut fail = i.fail.clone();
    fail.extend(&i.random);
    if !fail.is_empty() {
        let _ = writeln!(out, "  fail {}", names(&fail).join(", "));
    }
    for &(t, d) in &i.durations {
        let _ = writeln!(out, "  duration {} = {d}", task_name(t));
    }
    if let Some(from) = &i.start_from {
        let _ = writeln!(out, "  start from {}", names(from).join(", "));
    }
    if let Some(at) = i.stop_at {
        let _ = writeln!(out, "  stop at {at}");
    }
    if let Some(at) = i.kill_at {
        let _ = writeln!(out, "  kill at {at}");
    }
    out
}

/// The whole case as one file: the workflow and a scenario with its inputs.
fn case_file(case: &Case) -> String {
    format!(
        "{}\nscenario failing for w {{\n{}}}\n",
        render(case),
        scenario_steps(case)
    )
}

// ---------------------------------------------------------------------------------------------
// What specs/semantics.md says about a case

/// The facts a run is checked against, derived from the case and the rules.
struct Expected {
    n: usize,
    /// The variables' values, indexed like the case's.
    vars: Vec<i64>,
    var_ids: Vec<usize>,
    durations: Vec<u32>,
    fail: Vec<bool>,
    /// Rule 1: reached from the initial nodes by a path of links.
    reached: Vec<bool>,
    /// Per model link (indexed like `Workflow::links`): source, target, error, condition value.
    links: Vec<(usize, usize, bool, bool)>,
    /// Per task: its incoming model links.
    incoming: Vec<Vec<usize>>,
    continue_on_failure: bool,
    max_parallel: usize,
    stop_at: Option<u64>,
    kill_at: Option<u64>,
}

fn is_done(s: TaskState) -> bool {
    matches!(
        s,
        TaskState::FINISHED_OK
            | TaskState::FINISHED_FAILURE
            | TaskState::SKIPPED
            | TaskState::SKIPPED_FAILURE
    )
}

/// Rule 2's table.
fn link_table(source: TaskState, error: bool, condition: bool) -> Option<LinkState> {
    Some(match (source, error, condition) {
        (TaskState::FINISHED_OK, false, true) => LinkState::ACCEPTED,
        (TaskState::FINISHED_OK, false, false) => LinkState::REJECTED,
        (TaskState::FINISHED_OK, true, _) => LinkState::REJECTED,
        (TaskState::FINISHED_FAILURE, false, _) => LinkState::SKIPPED_FAILURE,
        (TaskState::FINISHED_FAILURE, true, true) => LinkState::ACCEPTED,
        (TaskState::FINISHED_FAILURE, true, false) => LinkState::SKIPPED_FAILURE,
        (TaskState::SKIPPED, _, _) => LinkState::SKIPPED,
        (TaskState::SKIPPED_FAILURE, _, _) => LinkState::SKIPPED_FAILURE,
        _ => return None,
    })
}

impl Expected {
    fn new(case: &Case, built: &Built) -> Expected {
        let model_links = &built.links;
        let n = case.tasks.len();
        let mut vars: Vec<i64> = case.vars.iter().map(VarDecl::initial).collect();
        for &(v, value) in &case.inputs.vars {
            vars[v] = value;
        }
        let mut durations: Vec<u32> = case.tasks.iter().map(|t| t.duration.unwrap_or(1)).collect();
        for &(t, d) in &case.inputs.durations {
            durations[t] = d;
        }
        let mut fail = vec![false; n];
        for &t in case.inputs.fail.iter().chain(&case.inputs.random) {
            fail[t] = true;
        }
        let conditions: HashMap<(usize, usize, bool), bool> = case
            .links
            .iter()
            .map(|l| {
                let value = l.condition.as_ref().is_none_or(|c| c.eval(&vars));
                ((l.source, l.target, l.error), value)
            })
            .collect();
        let links: Vec<(usize, usize, bool, bool)> = model_links
            .iter()
            .map(|&(s, t, e)| (s, t, e, conditions[&(s, t, e)]))
            .collect();
        let mut incoming = vec![Vec::new(); n];
        let mut outgoing = vec![Vec::new(); n];
        for (l, &(s, t, _, _)) in links.iter().enumerate() {
            incoming[t].push(l);
            outgoing[s].push(t);
        }
        let initial: Vec<usize> = match (&case.inputs.start_from, &case.start) {
            (Some(from), _) => from.clone(),
            (None, Some(start)) => start.clone(),
            (None, None) => (0..n).filter(|&t| incoming[t].is_empty()).collect(),
        };
        let mut reached = vec![false; n];
        let mut stack = initial;
        while let Some(t) = stack.pop() {
            if !reached[t] {
                reached[t] = true;
                stack.extend(&outgoing[t]);
            }
        }
        Expected {
            n,
            vars,
            var_ids: built.var_ids.clone(),
            durations,
            fail,
            reached,
            links,
            incoming,
            continue_on_failure: case.continue_on_failure.unwrap_or(false),
            max_parallel: case.max_parallel.map_or(usize::MAX, |m| m as usize),
            stop_at: case.inputs.stop_at.map(u64::from),
            kill_at: case.inputs.kill_at.map(u64::from),
        }
    }

    /// The incoming links of `t` that rule 1 leaves active.
    fn active_incoming(&self, t: usize) -> impl Iterator<Item = usize> + '_ {
        self.incoming[t]
            .iter()
            .copied()
            .filter(|&l| self.reached[self.links[l].0])
    }

    /// Rule 3: the state a task takes when evaluated with its sources in `states`, or `None`
    /// when it is processed (it goes IN_QUEUE).
    fn decision(
        &self,
        t: usize,
        states: &[TaskState],
        accept: Accept,
    ) -> Result<Option<TaskState>, String> {
        let mut any = false;
        let mut all_accepted = true;
        let mut one_accepted = false;
        let mut skipped_failure = false;
        for l in self.active_incoming(t) {
            let (s, _, error, condition) = self.links[l];
            let Some(state) = link_table(states[s], error, condition) else {
                return Err(format!(
                    "t{t} evaluated while its source t{s} is {:?} (not done)",
                    states[s]
                ));
            };
            any = true;
            all_accepted &= state == LinkState::ACCEPTED;
            one_accepted |= state == LinkState::ACCEPTED;
            skipped_failure |= state == LinkState::SKIPPED_FAILURE;
        }
        let processed = !any || all_accepted || (accept == Accept::AtLeastOne && one_accepted);
        Ok(if processed {
            None
        } else if skipped_failure {
            Some(TaskState::SKIPPED_FAILURE)
        } else {
            Some(TaskState::SKIPPED)
        })
    }
}

macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            return Err(format!($($arg)*));
        }
    };
}

/// Properties of the end of a run, from the outcome alone.
fn check_outcome(case: &Case, x: &Expected, o: &Outcome) -> Result<(), String> {
    use TaskState as T;
    use WorkflowState as W;
    let n = x.n;
    ensure!(
        o.tasks.len() == n,
        "{} task states for {n} tasks",
        o.tasks.len()
    );
    ensure!(
        o.links.len() == x.links.len(),
        "wrong number of link states"
    );
    ensure!(
        o.vars.len() == x.vars.len(),
        "{} variables in the outcome",
        o.vars.len()
    );
    for (v, &value) in x.vars.iter().enumerate() {
        let got = o.vars[x.var_ids[v]];
        ensure!(got == value, "variable {v} is {got}, expected {value}");
    }

    // Termination: a run never lasts longer than running every reached task one after another.
    let bound: u64 = (0..n)
        .filter(|&t| x.reached[t])
        .map(|t| u64::from(x.durations[t]))
        .sum();
    ensure!(
        o.ticks <= bound,
        "ended at tick {} > {bound}, the sum of the durations",
        o.ticks
    );

    let killed = o.workflow == W::RUNNING;
    let stopped = o.workflow == W::STOP;
    let interrupted = killed || stopped;
    let failed_somewhere = (0..n).any(|t| o.tasks[t] == T::FINISHED_FAILURE);

    // Workflow state.
    ensure!(o.workflow != W::NOT_RUN, "the workflow ended NOT_RUN");
    if killed {
        ensure!(
            x.kill_at == Some(o.ticks),
            "RUNNING at the end without a kill at tick {}",
            o.ticks
        );
        ensure!(
            x.stop_at.is_none_or(|s| s >= o.ticks),
            "killed at {} after a stop at {:?}",
            o.ticks,
            x.stop_at
        );
    }
    if stopped {
        ensure!(
            x.stop_at == Some(o.ticks),
            "STOP at tick {} without a stop there",
            o.ticks
        );
        ensure!(
            x.kill_at.is_none_or(|k| k >= o.ticks),
            "stopped at {} after a kill at {:?}",
            o.ticks,
            x.kill_at
        );
    }
    if !interrupted {
        // A stop or kill at a later tick never applies. One at the very tick the run ends is the
        // one point rule 9 leaves open (`check_trace` says when it may come too late).
        ensure!(
            x.stop_at.is_none_or(|s| s >= o.ticks),
            "ended {:?} at {} but the stop at {:?} did not apply",
            o.workflow,
            o.ticks,
            x.stop_at
        );
        ensure!(
            x.kill_at.is_none_or(|k| k >= o.ticks),
            "ended {:?} at {} but the kill at {:?} did not apply",
            o.workflow,
            o.ticks,
            x.kill_at
        );
    }
    if o.workflow == W::FINISHED_FAILURE {
        ensure!(
            !x.continue_on_failure,
            "FINISHED_FAILURE with continue_on_failure = true"
        );
        ensure!(
            (0..n).any(|t| o.tasks[t] == T::FINISHED_FAILURE && x.fail[t]),
            "FINISHED_FAILURE but no task failed"
        );
    }
    if o.workflow == W::FINISHED_OK {
        for t in 0..n {
            ensure!(
                !x.reached[t] || is_done(o.tasks[t]),
                "FINISHED_OK but t{t} is {:?}",
                o.tasks[t]
            );
        }
        ensure!(
            x.continue_on_failure || !failed_somewhere,
            "FINISHED_OK with continue_on_failure = false although a task failed"
        );
    }
    if x.continue_on_failure {
        ensure!(
            o.workflow != W::FINISHED_FAILURE,
            "continue_on_failure = true ended FINISHED_FAILURE"
        );
        if x.stop_at.is_none() && x.kill_at.is_none() {
            ensure!(
                o.workflow == W::FINISHED_OK,
                "continue_on_failure = true, no stop, no kill, ended {:?}",
                o.workflow
            );
        }
    } else if !interrupted {
        let expected = if failed_somewhere {
            W::FINISHED_FAILURE
        } else {
            W::FINISHED_OK
        };
        ensure!(
            o.workflow == expected,
            "ended {:?}, expected {expected:?}",
            o.workflow
        );
    }

    // Task states.
    let mut evaluated = 0;
    for t in 0..n {
        let s = o.tasks[t];
        ensure!(s != T::RUNNING, "t{t} ended RUNNING");
        ensure!(
            (s == T::NOT_RUN) != x.reached[t],
            "t{t} is {s:?} but reached = {}",
            x.reached[t]
        );
        if s == T::UNKNOWN {
            ensure!(killed, "t{t} is UNKNOWN without a kill");
        }
        if matches!(s, T::WAITING | T::IN_QUEUE) {
            ensure!(
                interrupted || o.workflow == W::FINISHED_FAILURE,
                "t{t} left {s:?} in a run that ended {:?}",
                o.workflow
            );
        }
        if s == T::FINISHED_OK {
            ensure!(!x.fail[t], "t{t} was told to fail but is FINISHED_OK");
        }
        if s == T::FINISHED_FAILURE {
            ensure!(
                x.fail[t] || stopped,
                "t{t} is FINISHED_FAILURE, not told to fail, no stop"
            );
        }
        if !x.continue_on_failure {
            // Nothing is evaluated after a failure, so no failure ever propagates.
            ensure!(
                s != T::SKIPPED_FAILURE,
                "t{t} is SKIPPED_FAILURE with continue_on_failure = false"
            );
        }
        if !matches!(s, T::WAITING | T::NOT_RUN) {
            evaluated += 1;
            // Rule 2: evaluated only once every active source is done; rule 3: the decision.
            let accept = case.tasks[t].accept.unwrap_or(Accept::AllValid);
            let decision = x.decision(t, &o.tasks, accept)?;
            match decision {
                None => ensure!(
                    matches!(
                        s,
                        T::IN_QUEUE | T::FINISHED_OK | T::FINISHED_FAILURE | T::UNKNOWN
                    ),
                    "t{t} should be processed (rule 3) but is {s:?}"
                ),
                Some(skip) => ensure!(s == skip, "t{t} should be {skip:?} (rule 3) but is {s:?}"),
            }
        } else if s == T::WAITING && !interrupted && o.workflow != W::FINISHED_FAILURE {
            return Err(format!("t{t} never evaluated"));
        }
    }
    ensure!(
        o.evaluations == evaluated,
        "{} evaluations counted, {evaluated} tasks evaluated",
        o.evaluations
    );
    if x.stop_at != Some(0) && x.kill_at != Some(0) {
        for t in 0..n {
            ensure!(
                !x.reached[t] || x.active_incoming(t).next().is_some() || o.tasks[t] != T::WAITING,
                "t{t} has no active incoming link but was never evaluated"
            );
        }
    }

    // Link states.
    for (l, &(s, t, error, condition)) in x.links.iter().enumerate() {
        let evaluated = !matches!(o.tasks[t], T::WAITING | T::NOT_RUN);
        let name = format!("t{s} -> t{t}{}", if error { " on error" } else { "" });
        match o.links[l] {
            None => ensure!(
                !(x.reached[s] && evaluated),
                "link {name} has no state but its target t{t} was evaluated"
            ),
            Some(state) => {
                ensure!(
                    x.reached[s],
                    "link {name} from a NOT_RUN source has a state"
                );
                ensure!(
                    evaluated,
                    "link {name} has a state but t{t} is {:?}",
                    o.tasks[t]
                );
                let expected = link_table(o.tasks[s], error, condition);
                ensure!(
                    expected == Some(state),
                    "link {name} is {state:?}, the table gives {expected:?} (source {:?}, condition {condition})",
                    o.tasks[s]
                );
                if !x.continue_on_failure {
                    ensure!(
                        state != LinkState::SKIPPED_FAILURE,
                        "link {name} is SKIPPED_FAILURE with continue_on_failure = false"
                    );
                    ensure!(
                        !(error && state == LinkState::ACCEPTED),
                        "error link {name} ACCEPTED with continue_on_failure = false"
                    );
                }
            }
        }
    }
    Ok(())
}

/// Replays the trace against the order of rule 9 and the rules it applies.
fn check_trace(case: &Case, x: &Expected, o: &Outcome, trace: &[Event]) -> Result<(), String> {
    use TaskState as T;
    use WorkflowState as W;
    let n = x.n;
    let mut state = vec![T::WAITING; n];
    let mut done_at: Vec<Option<u64>> = vec![None; n];
    let mut queued_at: Vec<Option<u64>> = vec![None; n];
    let mut started_at: Vec<Option<u64>> = vec![None; n];
    let mut link_at: Vec<Option<u64>> = vec![None; x.links.len()];
    let mut workflow = W::NOT_RUN;
    let mut running = 0usize;
    let mut last_start: Option<(u64, usize)> = None;
    let mut halted_at: Option<u64> = None;
    let interrupted_at = matches!(o.workflow, W::STOP | W::RUNNING).then_some(o.ticks);

    ensure!(
        matches!(
            trace.first(),
            Some(Event {
                tick: 0,
                kind: EventKind::Workflow {
                    from: W::NOT_RUN,
                    to: W::RUNNING,
                    ..
                }
            })
        ),
        "the trace does not start with the workflow going RUNNING at tick 0"
    );
    let mut tick = 0;
    // Per tick: finishes come first, in declaration order; then stop / kill; then evaluations
    // and starts.
    let mut finishing = true;
    let mut last_finished: Option<usize> = None;
    let mut last_task_event = 0;

    // What must hold once tick `t`'s events are all done, unless the run was interrupted then or
    // halted by a failure.
    let end_of_tick = |t: u64,
                       state: &[TaskState],
                       running: usize,
                       workflow: W,
                       halted: Option<u64>|
     -> Result<(), String> {
        if interrupted_at == Some(t) {
            return Ok(());
        }
        if halted.is_some() {
            ensure!(
                running > 0 || workflow == W::FINISHED_FAILURE,
                "tick {t}: halted by a failure, nothing runs, but the workflow is {workflow:?}"
            );
            return Ok(());
        }
        let queued = state.iter().filter(|&&s| s == T::IN_QUEUE).count();
        ensure!(
            queued == 0 || running == x.max_parallel,
            "tick {t}: {queued} tasks IN_QUEUE while only {running} run (max_parallel {})",
            x.max_parallel
        );
        for task in 0..n {
            if state[task] == T::WAITING
                && x.reached[task]
                && x.active_incoming(task)
                    .all(|l| is_done(state[x.links[l].0]))
            {
                return Err(format!(
                    "tick {t}: t{task} could be evaluated but is still WAITING"
                ));
            }
        }
        let all_done = (0..n).all(|task| !x.reached[task] || is_done(state[task]));
        ensure!(
            !all_done || workflow == W::FINISHED_OK,
            "tick {t}: every task done but the workflow is {workflow:?}"
        );
        Ok(())
    };

    for (i, event) in trace.iter().enumerate() {
        ensure!(event.tick >= tick, "event {i} goes back in time");
        ensure!(
            i == 0 || workflow == W::RUNNING,
            "event {i} after the workflow ended {workflow:?}"
        );
        if event.tick != tick {
            end_of_tick(tick, &state, running, workflow, halted_at)?;
            tick = event.tick;
            finishing = true;
            last_finished = None;
        }
        let now = event.tick;
        match event.kind {
            EventKind::Workflow { from, to, .. } => {
                ensure!(
                    from == workflow,
                    "workflow event from {from:?} but it is {workflow:?}"
                );
                // Rule 9 puts the stop or kill of a tick after its finishes and before its
                // evaluation; whether a run that the finishes alone complete ("once every
                // reachable task is done", rule 5) ends before a stop or kill at that tick is
                // left open, so both are allowed there, and only there.
                let stop_or_kill_now = x.stop_at == Some(now) || x.kill_at == Some(now);
                let may_end = !stop_or_kill_now || finishing;
                let allowed = match (from, to) {
                    (W::NOT_RUN, W::RUNNING) => i == 0,
                    (W::RUNNING, W::FINISHED_OK) => may_end,
                    (W::RUNNING, W::FINISHED_FAILURE) => {
                        halted_at.is_some() && running == 0 && may_end
                    }
                    (W::RUNNING, W::STOP) => x.stop_at == Some(now) && running == 0,
                    _ => false,
                };
                ensure!(allowed, "workflow {from:?} -> {to:?} at tick {now}");
                workflow = to;
            }
            EventKind::Link {
                link,
                to,
                source,
                condition,
            } => {
                let l = link.index();
                let (s, t, error, value) = x.links[l];
                ensure!(link_at[l].is_none(), "link t{s} -> t{t} got two states");
                link_at[l] = Some(now);
                ensure!(x.reached[s], "inactive link t{s} -> t{t} got a state");
                ensure!(
                    source == state[s],
                    "link t{s} -> t{t}: the trace says its source is {source:?}, it is {:?}",
                    state[s]
                );
                ensure!(
                    state[t] == T::WAITING,
                    "link t{s} -> t{t} read while t{t} is {:?}",
                    state[t]
                );
                ensure!(
                    link_table(source, error, value) == Some(to),
                    "link t{s} -> t{t} went {to:?} from a {source:?} source (condition {value})"
                );
                ensure!(
                    condition.is_none_or(|c| c == value),
                    "link t{s} -> t{t}: condition {condition:?}, expected {value}"
                );
                ensure!(
                    o.links[l] == Some(to),
                    "link t{s} -> t{t}: trace {to:?}, outcome {:?}",
                    o.links[l]
                );
                finishing = false;
            }
            EventKind::Task { task, from, to, .. } => {
                let t = task.index();
                ensure!(t < n, "unknown task {t}");
                ensure!(
                    from == state[t],
                    "t{t}: event from {from:?} but it is {:?}",
                    state[t]
                );
                last_task_event = now;
                match (from, to) {
                    (T::WAITING, T::NOT_RUN) => {
                        ensure!(
                            now == 0 && !x.reached[t],
                            "t{t} NOT_RUN at tick {now} (reached = {})",
                            x.reached[t]
                        );
                    }
                    (T::WAITING, T::IN_QUEUE | T::SKIPPED | T::SKIPPED_FAILURE) => {
                        ensure!(
                            halted_at.is_none(),
                            "t{t} evaluated at tick {now} after a failure at {halted_at:?}"
                        );
                        ensure!(
                            interrupted_at != Some(now),
                            "t{t} evaluated at tick {now}, when the run was stopped or killed"
                        );
                        ensure!(x.reached[t], "NOT_RUN t{t} evaluated");
                        let mut ready_at = 0;
                        for l in x.active_incoming(t) {
                            let s = x.links[l].0;
                            ensure!(
                                link_at[l] == Some(now),
                                "t{t} evaluated at {now} without reading its link from t{s}"
                            );
                            let Some(d) = done_at[s] else {
                                return Err(format!(
                                    "t{t} evaluated at {now} before its source t{s} is done"
                                ));
                            };
                            ready_at = ready_at.max(d);
                        }
                        ensure!(
                            ready_at == now,
                            "t{t} evaluated at tick {now}, its last source was done at {ready_at}"
                        );
                        let accept = case.tasks[t].accept.unwrap_or(Accept::AllValid);
                        let expected = x.decision(t, &state, accept)?.unwrap_or(T::IN_QUEUE);
                        ensure!(to == expected, "t{t} went {to:?}, rule 3 says {expected:?}");
                        if to == T::IN_QUEUE {
                            queued_at[t] = Some(now);
                        } else {
                            done_at[t] = Some(now);
                        }
                        finishing = false;
                    }
                    (T::IN_QUEUE, T::RUNNING) => {
                        ensure!(
                            halted_at.is_none(),
                            "t{t} started at tick {now} after a failure at {halted_at:?}"
                        );
                        ensure!(
                            interrupted_at != Some(now),
                            "t{t} started at tick {now}, when the run was stopped or killed"
                        );
                        let key = (queued_at[t].unwrap_or(u64::MAX), t);
                        ensure!(
                            last_start.is_none_or(|k| k < key),
                            "t{t} (queued at {}) started out of queue order after {last_start:?}",
                            key.0
                        );
                        last_start = Some(key);
                        running += 1;
                        ensure!(
                            running <= x.max_parallel,
                            "tick {now}: {running} tasks RUNNING, max_parallel {}",
                            x.max_parallel
                        );
                        started_at[t] = Some(now);
                        finishing = false;
                    }
                    (T::RUNNING, T::FINISHED_OK | T::FINISHED_FAILURE | T::UNKNOWN) => {
                        let Some(start) = started_at[t] else {
                            return Err(format!("t{t} finished without starting"));
                        };
                        // In u64: a tick past u32::MAX is a tick too.
                        let due = start + u64::from(x.durations[t]);
                        running -= 1;
                        if now == due {
                            // Rule 4: after `duration` ticks, as the scenario says.
                            let expected = if x.fail[t] {
                                T::FINISHED_FAILURE
                            } else {
                                T::FINISHED_OK
                            };
                            ensure!(
                                to == expected,
                                "t{t} finished {to:?}, expected {expected:?}"
                            );
                            ensure!(
                                finishing,
                                "t{t} finished at tick {now} after other events of that tick"
                            );
                            ensure!(
                                last_finished.is_none_or(|p| p < t),
                                "t{t} finished after t{last_finished:?} in the same tick"
                            );
                            last_finished = Some(t);
                            if to == T::FINISHED_FAILURE
                                && !x.continue_on_failure
                                && halted_at.is_none()
                            {
                                halted_at = Some(now);
                            }
                            done_at[t] = Some(now);
                        } else {
                            // Rule 6: cut short by a stop or a kill.
                            ensure!(
                                now < due,
                                "t{t} started at {start} with duration {} finished late, at {now}",
                                x.durations[t]
                            );
                            let cut = match to {
                                T::FINISHED_FAILURE => {
                                    x.stop_at == Some(now)
                                        && interrupted_at == Some(now)
                                        && o.workflow == W::STOP
                                }
                                T::UNKNOWN => {
                                    x.kill_at == Some(now)
                                        && interrupted_at == Some(now)
                                        && o.workflow == W::RUNNING
                                }
                                _ => false,
                            };
                            ensure!(
                                cut,
                                "t{t} went {to:?} at tick {now} before its time ({due})"
                            );
                            finishing = false;
                            if to == T::FINISHED_FAILURE {
                                done_at[t] = Some(now);
                            }
                        }
                    }
                    _ => {
                        return Err(format!(
                            "t{t}: {from:?} -> {to:?} is not a move rule 2.1 allows"
                        ));
                    }
                }
                state[t] = to;
            }
        }
    }
    end_of_tick(tick, &state, running, workflow, halted_at)?;
    ensure!(
        state == o.tasks,
        "the trace ends in {state:?}, the outcome says {:?}",
        o.tasks
    );
    ensure!(
        workflow == o.workflow,
        "the trace ends {workflow:?}, the outcome says {:?}",
        o.workflow
    );
    for (l, at) in link_at.iter().enumerate() {
        ensure!(
            at.is_some() == o.links[l].is_some(),
            "link {l}: traced {at:?}, outcome {:?}",
            o.links[l]
        );
    }
    match o.workflow {
        W::FINISHED_OK | W::FINISHED_FAILURE => {
            // The run ends as soon as the last task is done.
            ensure!(
                tick == o.ticks && last_task_event == o.ticks,
                "ended at {} (last event at {tick}, last task event at {last_task_event})",
                o.ticks
            );
        }
        W::STOP => ensure!(
            tick == o.ticks,
            "stopped at {} but the trace ends at {tick}",
            o.ticks
        ),
        W::RUNNING => ensure!(
            x.kill_at == Some(o.ticks) && tick <= o.ticks,
            "killed at {} (trace ends at {tick})",
            o.ticks
        ),
        W::NOT_RUN => return Err("the workflow never ran".to_owned()),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// One case

/// A case's workflow as the checker resolved it.
struct Built {
    compiled: Compiled,
    /// The model's links (indexed like `Workflow::links`) as (source, target, error).
    links: Vec<(usize, usize, bool)>,
    /// `var_ids[v]`: the model's index of the case's variable `v` (variables may be declared in
    /// any order among the other statements).
    var_ids: Vec<usize>,
}

fn inputs(case: &Case, built: &Built) -> Inputs {
    let i = &case.inputs;
    Inputs {
        vars: i
            .vars
            .iter()
            .map(|&(v, value)| (VarId::from_index(built.var_ids[v]), value))
            .collect(),
        fail: i.fail.iter().map(|&t| TaskId::from_index(t)).collect(),
        durations: i
            .durations
            .iter()
            .map(|&(t, d)| (TaskId::from_index(t), d))
            .collect(),
        start_from: i
            .start_from
            .as_ref()
            .map(|from| from.iter().map(|&t| TaskId::from_index(t)).collect()),
        stop_at: i.stop_at,
        kill_at: i.kill_at,
    }
}

/// Checks and compiles the case's text.
fn compile(case: &Case) -> Result<Built, String> {
    let text = render(case);
    let checked = wfl::check_text(&text);
    let errors: Vec<String> = checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    ensure!(errors.is_empty(), "the text does not check: {errors:?}");
    let program = checked.program.ok_or("no program")?;
    ensure!(program.workflows.len() == 1, "one workflow expected");
    let workflow = &program.workflows[0];
    ensure!(
        workflow.tasks.len() == case.tasks.len(),
        "{} tasks in the model",
        workflow.tasks.len()
    );
    for (t, task) in workflow.tasks.iter().enumerate() {
        ensure!(
            task.name.as_str() == task_name(t),
            "task {t} is `{}`",
            task.name.as_str()
        );
    }
    let links: Vec<(usize, usize, bool)> = workflow
        .links
        .iter()
        .map(|l| {
            (
                l.source.index(),
                l.target.index(),
                l.kind == LinkKind::Error,
            )
        })
        .collect();
    let mut model: Vec<_> = links.clone();
    let mut written: Vec<_> = case
        .links
        .iter()
        .map(|l| (l.source, l.target, l.error))
        .collect();
    model.sort_unstable();
    written.sort_unstable();
    ensure!(model == written, "the model's links differ from the text's");
    ensure!(
        workflow.vars.len() == case.vars.len(),
        "{} variables in the model",
        workflow.vars.len()
    );
    let mut var_ids = Vec::with_capacity(case.vars.len());
    for (v, decl) in case.vars.iter().enumerate() {
        let name = decl.name(v);
        let Some(id) = workflow.vars.iter().position(|w| w.name.as_str() == name) else {
            return Err(format!("no variable `{name}` in the model"));
        };
        var_ids.push(id);
    }
    let compiled =
        Compiled::new(workflow, &program).map_err(|e| format!("does not compile: {e:?}"))?;
    Ok(Built {
        compiled,
        links,
        var_ids,
    })
}

/// Everything checked for one case; the scenario cross-check only `with_scenario` (it parses a
/// file three times the size, the slowest part in a debug build).
fn run_case(case: &Case, with_scenario: bool, tally: &mut Tally) -> Result<(), String> {
    let built = compile(case)?;
    let compiled = &built.compiled;
    let inputs = inputs(case, &built);
    let mut random = vec![false; case.tasks.len()];
    for &t in &case.inputs.random {
        random[t] = true;
    }
    let run = |traced: bool| {
        catch_unwind(AssertUnwindSafe(|| {
            let mut trace = Vec::new();
            let outcome = compiled.run(&inputs, &random, traced.then_some(&mut trace));
            (outcome, trace)
        }))
        .map_err(|_| "the run panicked".to_owned())
    };
    let (outcome, trace) = run(true)?;
    let (again, trace_again) = run(true)?;
    let (untraced, _) = run(false)?;
    ensure!(
        again == outcome,
        "two runs differ: {outcome:?} then {again:?}"
    );
    ensure!(trace_again == trace, "two runs give different traces");
    ensure!(untraced == outcome, "the run differs without a trace");

    let expected = Expected::new(case, &built);
    check_outcome(case, &expected, &outcome)?;
    check_trace(case, &expected, &outcome, &trace)?;
    if with_scenario {
        check_scenario(case, &expected, &outcome, &trace)?;
    }
    tally.add(&outcome);
    Ok(())
}

/// The same run given as a scenario: `wfl test` must reach the same outcome, and the scenario's
/// `expect` lines stating that outcome must pass.
fn check_scenario(case: &Case, x: &Expected, o: &Outcome, trace: &[Event]) -> Result<(), String> {
    let mut text = render(case);
    text.push_str("\nscenario same for w {\n");
    text.push_str(&scenario_steps(case));
    let _ = writeln!(text, "  expect workflow == {}", o.workflow.as_str());
    for (t, state) in o.tasks.iter().enumerate() {
        let _ = writeln!(text, "  expect t{t} == {}", state.as_str());
    }
    for (l, &(s, t, error, _)) in x.links.iter().enumerate() {
        if let Some(state) = o.links[l] {
            let on_error = if error { " on error" } else { "" };
            let _ = writeln!(
                text,
                "  expect link t{s} -> t{t}{on_error} == {}",
                state.as_str()
            );
        }
    }
    text.push_str("}\n");
    let tested = wfl::test_text(&text);
    let errors: Vec<String> = tested
        .checked
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    ensure!(errors.is_empty(), "the scenario does not check: {errors:?}");
    ensure!(tested.results.len() == 1, "one scenario result expected");
    let result = &tested.results[0];
    ensure!(
        result.verdict == Verdict::Passed,
        "the scenario stating the outcome fails: {:?}",
        result.verdict
    );
    let Some((outcome, scenario_trace)) = &result.run else {
        return Err("the scenario did not run".to_owned());
    };
    ensure!(outcome == o, "the scenario's run differs: {outcome:?}");
    // The trace says why a task failed: as told, or at random.
    ensure!(
        scenario_trace == trace || !case.inputs.random.is_empty(),
        "the scenario's trace differs"
    );
    Ok(())
}

/// How often each end state was seen, so the generator is known to reach every one.
#[derive(Default)]
struct Tally {
    tasks: [u64; 9],
    links: [u64; 4],
    workflow: [u64; 5],
}

impl Tally {
    fn add(&mut self, o: &Outcome) {
        for &s in &o.tasks {
            self.tasks[s as usize] += 1;
        }
        for s in o.links.iter().flatten() {
            self.links[*s as usize] += 1;
        }
        self.workflow[o.workflow as usize] += 1;
    }

    fn merge(&mut self, other: &Tally) {
        for (a, b) in self.tasks.iter_mut().zip(other.tasks) {
            *a += b;
        }
        for (a, b) in self.links.iter_mut().zip(other.links) {
            *a += b;
        }
        for (a, b) in self.workflow.iter_mut().zip(other.workflow) {
            *a += b;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Shrinking

fn without_task(case: &Case, gone: usize) -> Option<Case> {
    if case.tasks.len() == 1 {
        return None;
    }
    let mut c = case.clone();
    let map = |t: usize| if t > gone { t - 1 } else { t };
    let list =
        |l: &[usize]| -> Vec<usize> { l.iter().filter(|&&t| t != gone).map(|&t| map(t)).collect() };
    c.tasks.remove(gone);
    c.links.retain(|l| l.source != gone && l.target != gone);
    for l in &mut c.links {
        l.source = map(l.source);
        l.target = map(l.target);
    }
    c.start = c.start.as_deref().map(list).filter(|s| !s.is_empty());
    c.inputs.start_from = c
        .inputs
        .start_from
        .as_deref()
        .map(list)
        .filter(|s| !s.is_empty());
    c.inputs.fail = list(&c.inputs.fail);
    c.inputs.random = list(&c.inputs.random);
    c.inputs.durations.retain(|&(t, _)| t != gone);
    for d in &mut c.inputs.durations {
        d.0 = map(d.0);
    }
    Some(c)
}

fn smaller(case: &Case) -> Vec<Case> {
    let mut out = Vec::new();
    for t in (0..case.tasks.len()).rev() {
        out.extend(without_task(case, t));
    }
    for l in 0..case.links.len() {
        let mut c = case.clone();
        c.links.remove(l);
        out.push(c);
        if let Some(condition) = &case.links[l].condition {
            let mut c = case.clone();
            c.links[l].condition = None;
            out.push(c);
            for part in condition.parts() {
                let mut c = case.clone();
                c.links[l].condition = Some(part);
                out.push(c);
            }
        }
    }
    let mut push = |edit: &dyn Fn(&mut Case) -> bool| {
        let mut c = case.clone();
        if edit(&mut c) {
            out.push(c);
        }
    };
    push(&|c| c.inputs.stop_at.take().is_some());
    push(&|c| c.inputs.kill_at.take().is_some());
    push(&|c| c.inputs.start_from.take().is_some());
    push(&|c| c.start.take().is_some());
    push(&|c| c.max_parallel.take().is_some());
    push(&|c| c.continue_on_failure.take().is_some());
    push(&|c| match &mut c.inputs.stop_at {
        Some(at) if *at > 0 => {
            *at -= 1;
            true
        }
        _ => false,
    });
    push(&|c| match &mut c.inputs.kill_at {
        Some(at) if *at > 0 => {
            *at -= 1;
            true
        }
        _ => false,
    });
    for i in 0..case.inputs.fail.len() {
        push(&|c| {
            c.inputs.fail.remove(i);
            true
        });
    }
    for i in 0..case.inputs.random.len() {
        push(&|c| {
            c.inputs.random.remove(i);
            true
        });
    }
    for i in 0..case.inputs.durations.len() {
        push(&|c| {
            c.inputs.durations.remove(i);
            true
        });
    }
    for i in 0..case.inputs.vars.len() {
        push(&|c| {
            c.inputs.vars.remove(i);
            true
        });
    }
    for t in 0..case.tasks.len() {
        push(&|c| c.tasks[t].failure_rate.take().is_some());
        push(&|c| c.tasks[t].accept.take().is_some());
        push(&|c| c.tasks[t].duration.take().is_some());
        push(&|c| match &mut c.tasks[t].duration {
            Some(d) if *d > 1 => {
                *d -= 1;
                true
            }
            _ => false,
        });
    }
    for v in (0..case.vars.len()).rev() {
        let unused = !case
            .links
            .iter()
            .any(|l| l.condition.as_ref().is_some_and(|c| c.uses(v)))
            && !case.inputs.vars.iter().any(|&(w, _)| w == v);
        if unused && v + 1 == case.vars.len() {
            push(&|c| c.vars.pop().is_some());
        }
    }
    out
}

fn shrink(case: &Case) -> (Case, String) {
    let fails = |c: &Case| run_case(c, true, &mut Tally::default()).err();
    let Some(mut message) = fails(case) else {
        return (case.clone(), "(no longer fails)".to_owned());
    };
    let mut best = case.clone();
    'outer: loop {
        for candidate in smaller(&best) {
            if let Some(m) = fails(&candidate) {
                best = candidate;
                message = m;
                continue 'outer;
            }
        }
        return (best, message);
    }
}

// ---------------------------------------------------------------------------------------------
// The tests

#[test]
fn random_workflows_run_by_the_rules() {
    // The seeds are shared out over the cores; each worker stops at its first failure.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().min(4)) as u64;
    let results: Vec<(Tally, Option<(u64, String)>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|k| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    for seed in (k..CASES).step_by(workers as usize) {
                        let case = gen_case(seed);
                        if let Err(message) = run_case(&case, seed % 3 == 0, &mut tally) {
                            return (tally, Some((seed, message)));
                        }
                    }
                    (tally, None)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a worker panicked outside a run"))
            .collect()
    });
    let mut tally = Tally::default();
    let mut failures = Vec::new();
    for (part, failure) in results {
        tally.merge(&part);
        failures.extend(failure);
    }
    failures.sort();
    if let Some((seed, message)) = failures.first() {
        let (small, small_message) = shrink(&gen_case(*seed));
        panic!(
            "{} failing case(s), the first with seed {seed}: {message}\n\nshrunk: {small_message}\n\n{}\nother failures: {:?}",
            failures.len(),
            case_file(&small),
            &failures[1..]
        );
    }
    // The generator reaches every end state (UNKNOWN needs a kill, STOP a stop, …).
    for (s, &count) in TaskState::ALL.iter().zip(&tally.tasks) {
        // RUNNING is the one state no task ends in (checked for every case).
        assert!(
            count > 0 || *s == TaskState::RUNNING,
            "no task ever ended {s:?}"
        );
    }
    for (s, &count) in LinkState::ALL.iter().zip(&tally.links) {
        assert!(count > 0, "no link ever ended {s:?}");
    }
    for (s, &count) in WorkflowState::ALL.iter().zip(&tally.workflow) {
        assert!(
            count > 0 || *s == WorkflowState::NOT_RUN,
            "no run ever ended {s:?}"
        );
    }
}

/// A chain of tasks `t0 -> t1 -> …` with these durations, nothing else.
fn chain(durations: &[u32]) -> Case {
    Case {
        continue_on_failure: None,
        max_parallel: None,
        start: None,
        vars: Vec::new(),
        tasks: durations
            .iter()
            .map(|&d| TaskDecl {
                accept: None,
                duration: Some(d),
                failure_rate: None,
            })
            .collect(),
        links: (1..durations.len())
            .map(|t| LinkDecl {
                source: t - 1,
                target: t,
                error: false,
                condition: None,
                when_first: false,
            })
            .collect(),
        inputs: CaseInputs::default(),
        layout: 0,
    }
}

/// Durations are allowed up to 4 294 967 295 (language.md section 1.11), so a run can last past
/// tick u32::MAX: ticks are counted in 64 bits.
#[test]
fn runs_longer_than_u32_max_ticks_follow_the_rules() {
    for durations in [&[u32::MAX, 1][..], &[1 << 31, 1 << 31], &[u32::MAX, 5, 7]] {
        let case = chain(durations);
        if let Err(message) = run_case(&case, true, &mut Tally::default()) {
            panic!("{message}\n\n{}", case_file(&case));
        }
    }
}

#[test]
fn the_shrinker_keeps_a_case_valid() {
    // Shrinking must only ever produce cases that still check, or a minimal case would be
    // reported for the wrong reason.
    for seed in 0..6 {
        let case = gen_case(seed);
        for candidate in smaller(&case) {
            assert!(
                compile(&candidate).is_ok(),
                "seed {seed}: a shrunk case does not check:\n{}",
                render(&candidate)
            );
        }
    }
}

#[test]
fn random_runs_do_not_depend_on_the_number_of_threads() {
    let progress = AtomicU64::new(0);
    {
        let case = gen_case(1_000_000);
        let built = compile(&case).unwrap_or_else(|e| panic!("{e}"));
        for threads in 1..=3 {
            let none = simulate(
                &built.compiled,
                &Inputs::default(),
                0,
                7,
                threads,
                &progress,
            );
            assert_eq!(none.runs, 0);
            assert_eq!(none.workflow, [0; 5]);
            assert_eq!((none.mean_ticks(), none.p95_ticks()), (0.0, 0));
        }
    }
    for seed in 0..40 {
        let case = gen_case(1_000_000 + seed);
        let built = compile(&case).unwrap_or_else(|e| panic!("seed {seed}: {e}"));
        let compiled = &built.compiled;
        let inputs = inputs(&case, &built);
        let runs = 50 + seed * 7;
        let stats: Vec<Stats> = (1..=3)
            .map(|threads| {
                progress.store(0, Ordering::Relaxed);
                let stats = simulate(compiled, &inputs, runs, seed, threads, &progress);
                assert_eq!(
                    progress.load(Ordering::Relaxed),
                    runs,
                    "seed {seed}: progress on {threads} threads"
                );
                stats
            })
            .collect();
        let text = case_file(&case);
        assert_eq!(stats[0], stats[1], "1 and 2 threads differ for\n{text}");
        assert_eq!(stats[0], stats[2], "1 and 3 threads differ for\n{text}");
        let s = &stats[0];
        assert_eq!(s.runs, runs);
        assert_eq!(s.seed, seed);
        assert_eq!(s.workflow.iter().sum::<u64>(), runs);
        assert_eq!(s.ticks.values().sum::<u64>(), runs);
        assert_eq!(s.tasks.len(), case.tasks.len());
        for (t, counts) in s.tasks.iter().enumerate() {
            assert_eq!(
                counts.iter().sum::<u64>(),
                runs,
                "seed {seed}: t{t}'s counts"
            );
            // A task that never fails at random and is not told to fail only fails when stopped.
            let never_fails = case.tasks[t].failure_rate.is_none_or(|r| r == "0")
                && !case.inputs.fail.contains(&t);
            if never_fails {
                assert!(
                    s.task_count(t, TaskState::FINISHED_FAILURE)
                        <= s.workflow_count(WorkflowState::STOP),
                    "seed {seed}: t{t} failed without a failure rate\n{text}"
                );
            }
            if case.tasks[t].failure_rate == Some("1") {
                assert_eq!(
                    s.task_count(t, TaskState::FINISHED_OK),
                    0,
                    "seed {seed}: t{t} has failure_rate = 1\n{text}"
                );
            }
        }
        // Run i is the run that its own stream gives (specs/semantics.md section 12: one draw
        // per task, in declaration order; a draw below the task's failure_rate fails it).
        let mut expected = Stats {
            seed,
            tasks: vec![[0; 9]; case.tasks.len()],
            ..Stats::default()
        };
        for run in 0..runs {
            let mut rng = Rng::for_run(seed, run);
            let failures: Vec<bool> = case
                .tasks
                .iter()
                .map(|t| {
                    let rate: f64 = t.failure_rate.map_or(0.0, |r| r.parse().unwrap_or(0.0));
                    rng.next_f64() < rate
                })
                .collect();
            let o = compiled.run(&inputs, &failures, None);
            expected.runs += 1;
            expected.workflow[o.workflow as usize] += 1;
            for (counts, state) in expected.tasks.iter_mut().zip(&o.tasks) {
                counts[*state as usize] += 1;
            }
            *expected.ticks.entry(o.ticks).or_default() += 1;
            expected.evaluations += o.evaluations;
        }
        assert_eq!(
            *s, expected,
            "seed {seed}: the counts of the runs one by one\n{text}"
        );
    }
}

/// Checker and interpreter agree: no task, link or workflow end state that the analysis calls
/// impossible shows up in random runs, and every witness of a W040x finding, pasted into the file,
/// passes `wfl test`.
#[test]
fn the_analysis_agrees_with_random_runs() {
    let (mut analysed, mut witnesses) = (0, 0);
    for seed in 0..400u64 {
        let case = gen_case(seed);
        let text = render(&case);
        let checked = wfl::check_text(&text);
        if checked.diagnostics.iter().any(|d| d.is_error()) {
            continue;
        }
        let Some(program) = &checked.program else {
            continue;
        };
        let id = wfl::model::WorkflowId::from_index(0);
        let Ok(table) = wfl::analysis::explore::explore(program, id) else {
            continue;
        };
        analysed += 1;
        let compiled = Compiled::new(program.workflow(id), program).expect("compiles");
        let mut g = Gen::new(seed ^ 0x5eed);
        for _ in 0..40 {
            // The text declares the variables in its own order: match them by name.
            let declared = &program.workflow(id).vars;
            let vars = case
                .vars
                .iter()
                .enumerate()
                .filter_map(|(k, v)| {
                    let name = v.name(k);
                    let at = declared.iter().position(|d| d.name.as_str() == name)?;
                    Some((VarId::from_index(at), v.random_value(&mut g)))
                })
                .collect();
            let tasks = &program.workflow(id).tasks;
            let fail = (0..case.tasks.len())
                .filter(|_| g.chance(0.3))
                .filter_map(|t| {
                    let name = task_name(t);
                    tasks
                        .iter()
                        .position(|d| d.name.as_str() == name)
                        .map(TaskId::from_index)
                })
                .collect();
            let inputs = Inputs {
                vars,
                fail,
                ..Inputs::default()
            };
            let outcome = compiled.run(&inputs, &[], None);
            for (t, state) in outcome.tasks.iter().enumerate() {
                assert!(
                    table.tasks[t].iter().any(|r| r.state == *state),
                    "seed {seed}: task {t} ended {state:?}, which the analysis calls impossible\n{text}\n{:?} {:?}",
                    inputs.vars,
                    inputs.fail
                );
            }
            for (l, state) in outcome.links.iter().enumerate() {
                assert!(
                    table.links[l].iter().any(|r| r.state == *state),
                    "seed {seed}: link {l} ended {state:?}, which the analysis calls impossible\n{text}"
                );
            }
            assert!(
                table.end_states.iter().any(|r| r.state == outcome.workflow),
                "seed {seed}: the workflow ended {:?}, which the analysis calls impossible\n{text}",
                outcome.workflow
            );
        }
        // One finding per mistake, but none lost: every task that never runs is reported, or
        // named in the note of the finding that explains it.
        for (t, rows) in table.tasks.iter().enumerate() {
            let processed = rows.iter().any(|r| {
                matches!(
                    r.state,
                    TaskState::FINISHED_OK | TaskState::FINISHED_FAILURE
                )
            });
            if processed {
                continue;
            }
            let name = format!("`{}`", program.workflow(id).tasks[t].name.as_str());
            assert!(
                checked.diagnostics.iter().any(|d| d.message.contains(&name)
                    || d.notes.iter().any(|n| n.contains(&name))),
                "seed {seed}: task {name} never runs, and no finding says so\n{text}"
            );
        }
        for d in &checked.diagnostics {
            let Some(witness) = witness_of(d) else {
                continue;
            };
            witnesses += 1;
            let (with, verdict) = replay(&text, witness);
            assert!(
                matches!(verdict, Verdict::Passed),
                "seed {seed}: the witness of {} does not pass:\n{with}\n{verdict:?}",
                d.code.as_str()
            );
        }
    }
    eprintln!("{analysed} random workflows analysed, {witnesses} witnesses replayed");
    assert!(
        analysed > 100,
        "only {analysed} random workflows were analysed"
    );
    assert!(witnesses > 20, "only {witnesses} witnesses were replayed");
}
