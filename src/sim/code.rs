//! Expressions compiled to a small stack program, so a run evaluates conditions and guards without
//! walking the expression tree. Values are `i64`: a bool is 0 or 1, an enumeration member or a
//! state its index. A view is compiled once, into its own program ([`Code::compile`] of its
//! expression), and read by [`Op::View`]: an evaluation computes each view it reads at most once,
//! iteratively, however views are built on one another — inlining them would make the code of
//! `view v30 = v29 and v29` 2^30 instructions long. A quantifier carries its filter as a program of
//! the child machine.

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::model::{AddOp, CmpOp, Expr, ExprKind, LogicOp, MachineId, Program, QuantKind, Value};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Op {
    Const(i64),
    Var(u32),
    /// The instance's own state.
    State,
    Not,
    /// Pops `n` values, pushes whether all (`And`) or any (`Or`) are non-zero.
    And(u32),
    Or(u32),
    Cmp(CmpOp),
    /// Pops two values, pushes their [`sum`].
    Sum(AddOp),
    /// Pops a value, pushes whether it is one of `set[start..start + len]` (sorted).
    In {
        start: u32,
        len: u32,
    },
    /// Pushes the value of view `.0` of the machine, computed by its own program (see
    /// [`Env::view`]) the first time this evaluation reads it.
    View(u32),
    Quantifier(Box<Quantifier>),
}

/// `any|all|no|count CHILDREN [in STATES] [where FILTER]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Quantifier {
    pub kind: QuantKind,
    /// Index of the children group in its machine.
    pub children: u32,
    /// The states counted; `None`: any state.
    pub states: Option<Vec<i64>>,
    /// Evaluated in each child's scope.
    pub filter: Option<Code>,
}

/// A compiled expression.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Code {
    ops: Vec<Op>,
    set: Vec<i64>,
}

/// An expression form with no instruction here (`At` paths and a workflow run's task and link
/// states are read by scenarios, after a run, not by compiled code).
#[derive(Debug)]
pub struct Unsupported;

/// What compiled code reads while it runs.
pub trait Env {
    fn var(&self, v: u32) -> i64;
    /// The instance's own state (machines only).
    fn state(&self) -> i64 {
        0
    }
    /// A quantifier's value over the instance's children (machines only).
    fn quantify(&self, q: &Quantifier) -> i64 {
        let _ = q;
        0
    }
    /// The program of view `v` of the instance's machine (machines only).
    fn view(&self, v: u32) -> Option<&Code> {
        let _ = v;
        None
    }
    /// Charges the run `units` of work (machines only: their runs have a bound on work); whether
    /// it may go on. A quantifier looks at no more children once it may not — the run is stopped
    /// before anything acts on what the evaluation gave.
    fn charge(&self, units: u64) -> bool {
        let _ = units;
        true
    }
}

/// A workflow run's variables.
impl Env for [i64] {
    fn var(&self, v: u32) -> i64 {
        self.get(v as usize).copied().unwrap_or(0)
    }
}

impl Code {
    /// Compiles `expr`, written in machine `machine` (or a workflow, `None`) of `program`. Its
    /// size is linear in the expression's: views and filters are programs of their own.
    pub fn compile(
        expr: &Expr,
        program: &Program,
        machine: Option<MachineId>,
    ) -> Result<Code, Unsupported> {
        let mut code = Code::default();
        code.emit(expr, program, machine)?;
        Ok(code)
    }

    /// How many instructions the program has, its `in` lists' values and its filters' included.
    pub fn len(&self) -> usize {
        let filters: usize = self
            .ops
            .iter()
            .map(|op| match op {
                Op::Quantifier(q) => q.filter.as_ref().map_or(0, Code::len),
                _ => 0,
            })
            .sum();
        self.ops.len() + self.set.len() + filters
    }

    pub fn is_empty(&self) -> bool {
        self.ops.is_empty()
    }

    /// Recursive over the expression tree, whose depth the parser bounds (language.md 1.11): chains
    /// of `and`, `or` and `+` are flat, views are not entered.
    fn emit(
        &mut self,
        expr: &Expr,
        program: &Program,
        machine: Option<MachineId>,
    ) -> Result<(), Unsupported> {
        match &expr.kind {
            ExprKind::Const(value) => self.ops.push(Op::Const(value_to_i64(*value))),
            ExprKind::Var(v) => self.ops.push(Op::Var(v.0)),
            ExprKind::State => self.ops.push(Op::State),
            ExprKind::View(v) => {
                let m = machine.ok_or(Unsupported)?;
                program
                    .machines
                    .get(m.index())
                    .and_then(|m| m.views.get(v.index()))
                    .ok_or(Unsupported)?;
                self.ops.push(Op::View(v.0));
            }
            ExprKind::Not(inner) => {
                self.emit(inner, program, machine)?;
                self.ops.push(Op::Not);
            }
            ExprKind::Logic(op, operands) => {
                for operand in operands {
                    self.emit(operand, program, machine)?;
                }
                let n = u32::try_from(operands.len()).map_err(|_| Unsupported)?;
                self.ops.push(match op {
                    LogicOp::And => Op::And(n),
                    LogicOp::Or => Op::Or(n),
                });
            }
            ExprKind::Compare(op, lhs, rhs) => {
                self.emit(lhs, program, machine)?;
                self.emit(rhs, program, machine)?;
                self.ops.push(Op::Cmp(*op));
            }
            ExprKind::In(lhs, values) => {
                self.emit(lhs, program, machine)?;
                // Sorted, so a long list is searched in logarithmic time.
                let mut values: Vec<i64> = values.iter().map(|v| value_to_i64(*v)).collect();
                values.sort_unstable();
                values.dedup();
                let start = u32::try_from(self.set.len()).map_err(|_| Unsupported)?;
                let len = u32::try_from(values.len()).map_err(|_| Unsupported)?;
                self.set.extend(values);
                self.ops.push(Op::In { start, len });
            }
            ExprKind::Sum(first, rest) => {
                self.emit(first, program, machine)?;
                for (op, operand) in rest {
                    self.emit(operand, program, machine)?;
                    self.ops.push(Op::Sum(*op));
                }
            }
            ExprKind::Quantifier {
                kind,
                children,
                states,
                filter,
            } => {
                let m = machine.ok_or(Unsupported)?;
                let child = program
                    .machines
                    .get(m.index())
                    .and_then(|m| m.children.get(children.index()))
                    .ok_or(Unsupported)?
                    .machine;
                let filter = match filter {
                    Some(f) => Some(Code::compile(f, program, Some(child))?),
                    None => None,
                };
                self.ops.push(Op::Quantifier(Box::new(Quantifier {
                    kind: *kind,
                    children: children.0,
                    states: states
                        .as_ref()
                        .map(|s| s.iter().map(|s| i64::from(s.0)).collect()),
                    filter,
                })));
            }
            ExprKind::At { .. }
            | ExprKind::TaskState(_)
            | ExprKind::LinkState(_)
            | ExprKind::WorkflowState => {
                return Err(Unsupported);
            }
        }
        Ok(())
    }

    /// Runs the program in `env`. The views it reads are run as they are met, each at most once,
    /// on a stack of frames rather than by recursion: a chain of views as long as the file allows
    /// costs its length, never its depth in native stack.
    pub fn eval<E: Env + ?Sized>(&self, env: &E) -> i64 {
        let mut stack: SmallVec<[i64; 16]> = SmallVec::new();
        let mut views = Memo::default();
        let mut frames: SmallVec<[Frame<'_>; 4]> = SmallVec::new();
        frames.push(Frame {
            code: self,
            pc: 0,
            view: None,
            base: 0,
        });
        let mut executed: u64 = 0;
        while let Some(frame) = frames.last_mut() {
            let code = frame.code;
            let Some(op) = code.ops.get(frame.pc) else {
                // A view's program is done: its value replaces whatever it left on the stack.
                if let Some(Frame {
                    view: Some(v),
                    base,
                    ..
                }) = frames.pop()
                {
                    let value = stack.pop().unwrap_or(0);
                    stack.truncate(base);
                    stack.push(value);
                    views.insert(v, value);
                }
                continue;
            };
            frame.pc += 1;
            executed += 1;
            match op {
                Op::Const(n) => stack.push(*n),
                Op::Var(v) => stack.push(env.var(*v)),
                Op::State => stack.push(env.state()),
                Op::Not => {
                    let x = stack.pop().unwrap_or(0);
                    stack.push(i64::from(x == 0));
                }
                Op::And(n) | Op::Or(n) => {
                    let from = stack.len().saturating_sub(*n as usize);
                    let operands = stack.get(from..).unwrap_or(&[]);
                    let result = if matches!(op, Op::And(_)) {
                        operands.iter().all(|&x| x != 0)
                    } else {
                        operands.iter().any(|&x| x != 0)
                    };
                    stack.truncate(from);
                    stack.push(i64::from(result));
                }
                Op::Cmp(op) => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    stack.push(i64::from(compare(*op, a, b)));
                }
                Op::Sum(op) => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    stack.push(sum(*op, a, b));
                }
                Op::In { start, len } => {
                    let x = stack.pop().unwrap_or(0);
                    let set = code
                        .set
                        .get(*start as usize..(*start as usize).saturating_add(*len as usize))
                        .unwrap_or(&[]);
                    stack.push(i64::from(set.binary_search(&x).is_ok()));
                }
                Op::View(v) => match (views.get(*v), env.view(*v)) {
                    (Some(value), _) => stack.push(value),
                    (None, Some(view)) => {
                        // Read as false while it runs: only a view cycle, which the resolver
                        // rejects (E0407), could meet it again before it is done.
                        views.insert(*v, 0);
                        frames.push(Frame {
                            code: view,
                            pc: 0,
                            view: Some(*v),
                            base: stack.len(),
                        });
                    }
                    (None, None) => stack.push(0),
                },
                Op::Quantifier(q) => stack.push(env.quantify(q)),
            }
        }
        env.charge(executed);
        stack.pop().unwrap_or(0)
    }
}

/// A program being run by [`Code::eval`]: the expression's own, or a view's it reads.
struct Frame<'a> {
    code: &'a Code,
    /// The next instruction.
    pc: usize,
    /// The view whose program this is (`None`: the expression's).
    view: Option<u32>,
    /// The height of the value stack when the view started.
    base: usize,
}

/// The values of the views one evaluation has computed; a few in line, more in a map.
#[derive(Default)]
struct Memo {
    few: SmallVec<[(u32, i64); 8]>,
    many: FxHashMap<u32, i64>,
}

impl Memo {
    fn get(&self, v: u32) -> Option<i64> {
        match self.few.iter().find(|(w, _)| *w == v) {
            Some(&(_, value)) => Some(value),
            None => self.many.get(&v).copied(),
        }
    }

    fn insert(&mut self, v: u32, value: i64) {
        if let Some(slot) = self.few.iter_mut().find(|(w, _)| *w == v) {
            slot.1 = value;
        } else if self.few.len() < self.few.inline_size() && !self.many.contains_key(&v) {
            self.few.push((v, value));
        } else {
            self.many.insert(v, value);
        }
    }
}

impl Quantifier {
    /// Whether a child in `state` whose filter gives `passes` is counted.
    pub fn counts(&self, state: i64, passes: bool) -> bool {
        passes
            && self
                .states
                .as_ref()
                .is_none_or(|states| states.contains(&state))
    }

    /// The quantifier's value from how many children there are and how many are counted.
    /// `all`: every child that passes the filter is in the states.
    pub fn value(&self, counted: i64, considered: i64) -> i64 {
        match self.kind {
            QuantKind::Any => i64::from(counted > 0),
            QuantKind::All => i64::from(counted == considered),
            QuantKind::No => i64::from(counted == 0),
            QuantKind::Count => counted,
        }
    }
}

/// `a + b` or `a - b`, as every evaluation computes it — compiled code and scenario expectations
/// alike (specs/semantics.md 14.6). Overflow saturates: a run must never panic, `x + 1 > x` holds
/// for every `x` but the largest, and a sum that cannot grow past the largest value keeps
/// comparisons monotonic (which the workflow analysis relies on to cut integers at constants).
/// `0 - x` of the smallest value is the largest.
pub fn sum(op: AddOp, a: i64, b: i64) -> i64 {
    match op {
        AddOp::Add => a.saturating_add(b),
        AddOp::Sub => a.saturating_sub(b),
    }
}

pub fn compare(op: CmpOp, a: i64, b: i64) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
    }
}

/// A value as the interpreter stores it.
pub fn value_to_i64(value: Value) -> i64 {
    match value {
        Value::Bool(b) => i64::from(b),
        Value::Int(n) => n,
        Value::Enum(_, i) => i64::from(i),
        Value::State(_, s) => i64::from(s.0),
        Value::TaskState(s) => s as i64,
        Value::LinkState(s) => s as i64,
        Value::WorkflowState(s) => s as i64,
    }
}
