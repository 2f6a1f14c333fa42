//! Expressions: names resolved in their scope, enumeration members resolved from the type of the
//! other operand, types checked.
//!
//! `mod.rs` the scope an expression is written in and the walk over its operators; `names.rs` what
//! a bare name means in a scope (and what to say when it means nothing); `operators.rs`
//! comparisons, membership, constants and quantifiers; `refs.rs` the declarations a statement
//! names (children, states, links, tasks); `paths.rs` paths to descendant instances in a machine
//! scenario.

mod names;
mod operators;
mod paths;
mod refs;

use super::Resolver;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

/// Where an expression is written, which decides what its names can mean.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// A link condition: the workflow's variables.
    Workflow(WorkflowId),
    /// A guard, view, action or filter: the machine's variables, views, `state`, quantifiers.
    Machine(MachineId),
    /// `expect` of a workflow scenario: tasks, `link a -> b`, `workflow`, variables.
    WorkflowScenario(WorkflowId),
    /// `expect` of a machine scenario: the root instance's scope and paths to descendants.
    MachineScenario(MachineId),
}

impl Scope {
    fn machine(self) -> Option<MachineId> {
        match self {
            Scope::Machine(m) | Scope::MachineScenario(m) => Some(m),
            Scope::Workflow(_) | Scope::WorkflowScenario(_) => None,
        }
    }
}

/// What a bare name means in a scope, found without reporting anything.
enum Lookup {
    Found(Expr),
    /// It names something, but not a value; the diagnostic says what.
    NotAValue(Diagnostic),
    Missing,
}

impl Resolver {
    /// An expression that must be a bool (a condition, guard, view, filter or expectation).
    pub(super) fn bool_expr(&mut self, scope: Scope, e: &ast::Expr, what: &str) -> Option<Expr> {
        let expr = self.expr(scope, e, None)?;
        self.expect_type(expr, Type::Bool, what)
    }

    /// Checks `expr` has a type of the same kind as `ty`; E0200 otherwise.
    pub(super) fn expect_type(&mut self, expr: Expr, ty: Type, what: &str) -> Option<Expr> {
        if expr.ty.same_kind(ty) {
            return Some(expr);
        }
        let expected = self.type_words(ty);
        let found = self.found_words(expr.ty);
        self.push(Diagnostic::new(
            Code::E0200,
            format!("{what} must be {expected}, not {found}"),
            expr.span,
            format!("this is {found}"),
        ));
        None
    }

    /// Resolves `e`. `hint` is the type of the other operand, which gives bare names and strings
    /// their meaning as enumeration members or states.
    pub(super) fn expr(&mut self, scope: Scope, e: &ast::Expr, hint: Option<Type>) -> Option<Expr> {
        let span = e.span;
        let typed = |kind: ExprKind, ty: Type| Some(Expr { kind, ty, span });
        match &e.kind {
            ast::ExprKind::Error => None,
            ast::ExprKind::Bool(b) => typed(ExprKind::Const(Value::Bool(*b)), Type::Bool),
            ast::ExprKind::Int(n) => typed(ExprKind::Const(Value::Int(*n)), Type::INT),
            ast::ExprKind::Decimal(_) => {
                self.push(
                    Diagnostic::new(
                        Code::E0200,
                        "decimal numbers have no place in expressions",
                        span,
                        "a decimal number",
                    )
                    .with_note("variables are bools, integers or enumerations; decimals are only for `failure_rate`"),
                );
                None
            }
            ast::ExprKind::Str(_) | ast::ExprKind::Path(_) => self.name_expr(scope, e, hint),
            ast::ExprKind::State => match scope.machine() {
                Some(m) => typed(ExprKind::State, Type::State(m)),
                None => self.misplaced(
                    scope,
                    span,
                    "`state`",
                    if matches!(scope, Scope::WorkflowScenario(_)) {
                        "`state` is a machine instance's own state; a workflow scenario tests \
                         the run with `workflow == S` and a task with `TASK == S`"
                    } else {
                        "`state` is a machine instance's own state; a workflow has tasks, whose \
                         states a link already waits for"
                    },
                ),
            },
            ast::ExprKind::Not(inner) => {
                let inner = self.bool_operand(scope, inner, "the operand of `not`")?;
                typed(ExprKind::Not(Box::new(inner)), Type::Bool)
            }
            ast::ExprKind::Logic(op, operands) => {
                let what = match op {
                    LogicOp::And => "an operand of `and`",
                    LogicOp::Or => "an operand of `or`",
                };
                let resolved: Vec<Option<Expr>> = operands
                    .iter()
                    .map(|o| self.bool_operand(scope, o, what))
                    .collect();
                let operands = resolved.into_iter().collect::<Option<Vec<_>>>()?;
                typed(ExprKind::Logic(*op, operands), Type::Bool)
            }
            ast::ExprKind::Compare(op, operands) => {
                let [lhs, rhs] = &**operands;
                self.compare(scope, *op, lhs, rhs, span)
            }
            ast::ExprKind::In(lhs, set) => self.membership(scope, lhs, set, span),
            ast::ExprKind::Sum(first, rest) => {
                let first = self.int_operand(scope, first);
                let rest: Vec<Option<(AddOp, Expr)>> = rest
                    .iter()
                    .map(|(op, e)| self.int_operand(scope, e).map(|e| (*op, e)))
                    .collect();
                let first = first?;
                let rest = rest.into_iter().collect::<Option<Vec<_>>>()?;
                typed(ExprKind::Sum(Box::new(first), rest), Type::INT)
            }
            ast::ExprKind::Quantifier {
                kind,
                children,
                states,
                filter,
            } => self.quantifier(
                scope,
                *kind,
                children,
                states.as_deref(),
                filter.as_deref(),
                span,
            ),
            ast::ExprKind::Link {
                source,
                target,
                on_error,
            } => self.link_ref(scope, source, target, *on_error, span),
        }
    }

    fn bool_operand(&mut self, scope: Scope, e: &ast::Expr, what: &str) -> Option<Expr> {
        self.bool_expr(scope, e, what)
    }

    fn int_operand(&mut self, scope: Scope, e: &ast::Expr) -> Option<Expr> {
        let expr = self.expr(scope, e, None)?;
        self.expect_type(expr, Type::INT, "an operand of `+` or `-`")
    }

    fn misplaced(&mut self, scope: Scope, span: Span, what: &str, why: &str) -> Option<Expr> {
        let place = match scope {
            Scope::Workflow(_) => "a link condition",
            Scope::WorkflowScenario(_) => "a workflow scenario",
            Scope::Machine(_) => "a guard, view, filter or action",
            Scope::MachineScenario(_) => "a machine scenario",
        };
        self.push(
            Diagnostic::new(
                Code::E0201,
                format!("{what} cannot be used in {place}"),
                span,
                format!("not available in {place}"),
            )
            .with_note(why.to_owned()),
        );
        None
    }
}
