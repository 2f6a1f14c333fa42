//! Expressions compiled to a small stack program, so a run evaluates conditions without walking
//! the expression tree. Values are `i64`: a bool is 0 or 1, an enumeration member or a state its
//! index.

use crate::model::{AddOp, CmpOp, Expr, ExprKind, LogicOp, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Const(i64),
    Var(u32),
    Not,
    /// Pops `n` values, pushes whether all (`And`) or any (`Or`) are non-zero.
    And(u32),
    Or(u32),
    Cmp(CmpOp),
    Add,
    Sub,
    /// Pops a value, pushes whether it is one of `set[start..start + len]`.
    In {
        start: u32,
        len: u32,
    },
}

/// A compiled expression.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Code {
    ops: Vec<Op>,
    set: Vec<i64>,
}

/// An expression form the compiler has no instruction for in this kind of program (a bug: the
/// resolver only lets variables, constants and operators into link conditions).
#[derive(Debug)]
pub struct Unsupported;

impl Code {
    pub fn compile(expr: &Expr) -> Result<Code, Unsupported> {
        let mut code = Code::default();
        code.emit(expr)?;
        Ok(code)
    }

    fn emit(&mut self, expr: &Expr) -> Result<(), Unsupported> {
        match &expr.kind {
            ExprKind::Const(value) => self.ops.push(Op::Const(value_to_i64(*value))),
            ExprKind::Var(v) => self.ops.push(Op::Var(v.0)),
            ExprKind::Not(inner) => {
                self.emit(inner)?;
                self.ops.push(Op::Not);
            }
            ExprKind::Logic(op, operands) => {
                for operand in operands {
                    self.emit(operand)?;
                }
                let n = u32::try_from(operands.len()).map_err(|_| Unsupported)?;
                self.ops.push(match op {
                    LogicOp::And => Op::And(n),
                    LogicOp::Or => Op::Or(n),
                });
            }
            ExprKind::Compare(op, lhs, rhs) => {
                self.emit(lhs)?;
                self.emit(rhs)?;
                self.ops.push(Op::Cmp(*op));
            }
            ExprKind::In(lhs, values) => {
                self.emit(lhs)?;
                let start = u32::try_from(self.set.len()).map_err(|_| Unsupported)?;
                self.set.extend(values.iter().map(|v| value_to_i64(*v)));
                let len = u32::try_from(values.len()).map_err(|_| Unsupported)?;
                self.ops.push(Op::In { start, len });
            }
            ExprKind::Sum(first, rest) => {
                self.emit(first)?;
                for (op, operand) in rest {
                    self.emit(operand)?;
                    self.ops.push(match op {
                        AddOp::Add => Op::Add,
                        AddOp::Sub => Op::Sub,
                    });
                }
            }
            ExprKind::State
            | ExprKind::View(_)
            | ExprKind::Quantifier { .. }
            | ExprKind::At { .. }
            | ExprKind::TaskState(_)
            | ExprKind::LinkState(_)
            | ExprKind::WorkflowState => return Err(Unsupported),
        }
        Ok(())
    }

    /// Runs the program over `vars`; `stack` is scratch space, reused between calls.
    pub fn eval(&self, vars: &[i64], stack: &mut Vec<i64>) -> i64 {
        stack.clear();
        for op in &self.ops {
            match *op {
                Op::Const(n) => stack.push(n),
                Op::Var(v) => stack.push(vars.get(v as usize).copied().unwrap_or(0)),
                Op::Not => {
                    let x = stack.pop().unwrap_or(0);
                    stack.push(i64::from(x == 0));
                }
                Op::And(n) | Op::Or(n) => {
                    let from = stack.len().saturating_sub(n as usize);
                    let all = matches!(op, Op::And(_));
                    let result = if all {
                        stack[from..].iter().all(|&x| x != 0)
                    } else {
                        stack[from..].iter().any(|&x| x != 0)
                    };
                    stack.truncate(from);
                    stack.push(i64::from(result));
                }
                Op::Cmp(op) => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    stack.push(i64::from(compare(op, a, b)));
                }
                Op::Add | Op::Sub => {
                    let b = stack.pop().unwrap_or(0);
                    let a = stack.pop().unwrap_or(0);
                    // Overflow wraps: a spec's sums are small, and a run must never panic.
                    stack.push(if *op == Op::Add {
                        a.wrapping_add(b)
                    } else {
                        a.wrapping_sub(b)
                    });
                }
                Op::In { start, len } => {
                    let x = stack.pop().unwrap_or(0);
                    let set = self
                        .set
                        .get(start as usize..(start + len) as usize)
                        .unwrap_or(&[]);
                    stack.push(i64::from(set.contains(&x)));
                }
            }
        }
        stack.pop().unwrap_or(0)
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
