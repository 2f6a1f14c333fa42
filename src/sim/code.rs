//! Expressions compiled to a small stack program, so a run evaluates conditions and guards without
//! walking the expression tree. Values are `i64`: a bool is 0 or 1, an enumeration member or a
//! state its index. Views are inlined where they are used (the resolver rejects view cycles); a
//! quantifier carries its filter as a program of the child machine.

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
    /// Pops a value, pushes whether it is one of `set[start..start + len]`.
    In {
        start: u32,
        len: u32,
    },
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
}

/// A workflow run's variables.
impl Env for [i64] {
    fn var(&self, v: u32) -> i64 {
        self.get(v as usize).copied().unwrap_or(0)
    }
}

impl Code {
    /// Compiles `expr`, written in machine `machine` (or a workflow, `None`) of `program`.
    pub fn compile(
        expr: &Expr,
        program: &Program,
        machine: Option<MachineId>,
    ) -> Result<Code, Unsupported> {
        let mut code = Code::default();
        code.emit(expr, program, machine, 0)?;
        Ok(code)
    }

    fn emit(
        &mut self,
        expr: &Expr,
        program: &Program,
        machine: Option<MachineId>,
        depth: u32,
    ) -> Result<(), Unsupported> {
        // Views inline views; E0407 rules out cycles, this bound rules out a bug turning into a hang.
        if depth > 1_000 {
            return Err(Unsupported);
        }
        match &expr.kind {
            ExprKind::Const(value) => self.ops.push(Op::Const(value_to_i64(*value))),
            ExprKind::Var(v) => self.ops.push(Op::Var(v.0)),
            ExprKind::State => self.ops.push(Op::State),
            ExprKind::View(v) => {
                let m = machine.ok_or(Unsupported)?;
                let view = program
                    .machines
                    .get(m.index())
                    .and_then(|m| m.views.get(v.index()))
                    .ok_or(Unsupported)?;
                self.emit(&view.expr, program, machine, depth + 1)?;
            }
            ExprKind::Not(inner) => {
                self.emit(inner, program, machine, depth)?;
                self.ops.push(Op::Not);
            }
            ExprKind::Logic(op, operands) => {
                for operand in operands {
                    self.emit(operand, program, machine, depth)?;
                }
                let n = u32::try_from(operands.len()).map_err(|_| Unsupported)?;
                self.ops.push(match op {
                    LogicOp::And => Op::And(n),
                    LogicOp::Or => Op::Or(n),
                });
            }
            ExprKind::Compare(op, lhs, rhs) => {
                self.emit(lhs, program, machine, depth)?;
                self.emit(rhs, program, machine, depth)?;
                self.ops.push(Op::Cmp(*op));
            }
            ExprKind::In(lhs, values) => {
                self.emit(lhs, program, machine, depth)?;
                let start = u32::try_from(self.set.len()).map_err(|_| Unsupported)?;
                self.set.extend(values.iter().map(|v| value_to_i64(*v)));
                let len = u32::try_from(values.len()).map_err(|_| Unsupported)?;
                self.ops.push(Op::In { start, len });
            }
            ExprKind::Sum(first, rest) => {
                self.emit(first, program, machine, depth)?;
                for (op, operand) in rest {
                    self.emit(operand, program, machine, depth)?;
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
                    Some(f) => {
                        let mut code = Code::default();
                        code.emit(f, program, Some(child), depth + 1)?;
                        Some(code)
                    }
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

    /// Runs the program in `env`.
    pub fn eval<E: Env + ?Sized>(&self, env: &E) -> i64 {
        let mut stack: SmallVec<[i64; 16]> = SmallVec::new();
        for op in &self.ops {
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
                    let set = self
                        .set
                        .get(*start as usize..(*start + *len) as usize)
                        .unwrap_or(&[]);
                    stack.push(i64::from(set.contains(&x)));
                }
                Op::Quantifier(q) => stack.push(env.quantify(q)),
            }
        }
        stack.pop().unwrap_or(0)
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
