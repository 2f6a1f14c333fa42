//! Typed expressions, values and types.

use super::ids::*;
use super::runtime::{LinkState, TaskState, WorkflowState};
use super::{AddOp, CmpOp, LogicOp, QuantKind};
use crate::source::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    /// An integer in `min..=max` (`i64::MIN..=i64::MAX` for a plain `int`).
    Int {
        min: i64,
        max: i64,
    },
    Enum(EnumId),
    /// A state of the given machine.
    State(MachineId),
    TaskState,
    LinkState,
    WorkflowState,
}

impl Type {
    pub const INT: Type = Type::Int {
        min: i64::MIN,
        max: i64::MAX,
    };

    /// Whether values of the two types can be compared with `==`.
    pub fn same_kind(self, other: Type) -> bool {
        match (self, other) {
            (Type::Int { .. }, Type::Int { .. }) => true,
            (a, b) => a == b,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Value {
    Bool(bool),
    Int(i64),
    /// Member `.1` of enumeration `.0`.
    Enum(EnumId, u32),
    State(MachineId, StateId),
    TaskState(TaskState),
    LinkState(LinkState),
    WorkflowState(WorkflowState),
}

/// From an instance to one of its descendants: `members[0].members[2]` is two steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InstancePath {
    pub steps: Vec<PathStep>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PathStep {
    pub children: ChildrenId,
    pub index: u32,
    pub span: Span,
}

impl InstancePath {
    pub fn is_root(&self) -> bool {
        self.steps.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Const(Value),
    Var(VarId),
    /// The instance's own state.
    State,
    View(ViewId),
    Not(Box<Expr>),
    Logic(LogicOp, Vec<Expr>),
    Compare(CmpOp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<Value>),
    Sum(Box<Expr>, Vec<(AddOp, Expr)>),
    Quantifier {
        kind: QuantKind,
        children: ChildrenId,
        states: Option<Vec<StateId>>,
        /// Evaluated in each child's scope.
        filter: Option<Box<Expr>>,
    },
    /// Scenario expectations about a descendant instance: `workers[0] == Done`,
    /// `tasks[1].kind == manual`. `expr` is evaluated in that instance's scope.
    At {
        path: InstancePath,
        expr: Box<Expr>,
    },
    /// Workflow scenario expectations.
    TaskState(TaskId),
    LinkState(LinkId),
    WorkflowState,
}

impl Expr {
    /// Calls `f` on this expression and every sub-expression evaluated in the same instance's
    /// scope, parents first. A quantifier's filter and an `At` body belong to another instance:
    /// `f` sees the `Quantifier` / `At` node and descends itself if it wants to.
    pub fn walk_scope<'e>(&'e self, f: &mut dyn FnMut(&'e Expr)) {
        f(self);
        match &self.kind {
            ExprKind::Const(_)
            | ExprKind::Var(_)
            | ExprKind::State
            | ExprKind::View(_)
            | ExprKind::TaskState(_)
            | ExprKind::LinkState(_)
            | ExprKind::WorkflowState
            | ExprKind::Quantifier { .. }
            | ExprKind::At { .. } => {}
            ExprKind::Not(inner) | ExprKind::In(inner, _) => inner.walk_scope(f),
            ExprKind::Logic(_, operands) => operands.iter().for_each(|e| e.walk_scope(f)),
            ExprKind::Compare(_, lhs, rhs) => {
                lhs.walk_scope(f);
                rhs.walk_scope(f);
            }
            ExprKind::Sum(first, rest) => {
                first.walk_scope(f);
                rest.iter().for_each(|(_, e)| e.walk_scope(f));
            }
        }
    }
}
