//! Operators: comparisons (with enumeration members and states read from the other operand's
//! type), membership in a set, constants, and quantifiers over a machine's children.

use std::borrow::Cow;

use super::{Lookup, Scope};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::Resolver;
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    pub(super) fn compare(
        &mut self,
        scope: Scope,
        op: CmpOp,
        l: &ast::Expr,
        r: &ast::Expr,
        span: Span,
    ) -> Option<Expr> {
        let (lhs, rhs) = self.operands(scope, l, r)?;
        let ok = match op {
            CmpOp::Eq | CmpOp::Ne => lhs.ty.same_kind(rhs.ty),
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                matches!(lhs.ty, Type::Int { .. }) && matches!(rhs.ty, Type::Int { .. })
            }
        };
        if !ok {
            let (lw, rw) = (self.found_words(lhs.ty), self.found_words(rhs.ty));
            // `==` / `!=`: the left operand sets what the right one must be (it also decides
            // what a bare name on the right means), so the mismatch shows on the right. An order
            // comparison: on the operand that is not an integer.
            let lhs_wrong =
                !matches!(op, CmpOp::Eq | CmpOp::Ne) && !matches!(lhs.ty, Type::Int { .. });
            let message = match op {
                CmpOp::Eq | CmpOp::Ne => format!(
                    "`{}` compares values of one type, not {lw} with {rw}",
                    op.as_str()
                ),
                _ => format!("`{}` compares integers, not {lw} with {rw}", op.as_str()),
            };
            let ((primary, pw), (secondary, sw)) = if lhs_wrong {
                ((lhs.span, &lw), (rhs.span, &rw))
            } else {
                ((rhs.span, &rw), (lhs.span, &lw))
            };
            let mut diagnostic =
                Diagnostic::new(Code::E0200, message, primary, format!("this is {pw}"))
                    .with_label(secondary, format!("this is {sw}"));
            if matches!(lhs.ty, Type::State(_)) && matches!(rhs.ty, Type::State(_)) {
                diagnostic = diagnostic.with_note("the two sides are states of different machines");
            }
            if matches!(lhs.ty, Type::Enum(_)) && matches!(rhs.ty, Type::Enum(_)) {
                diagnostic = diagnostic.with_note(
                    "each `{…}` declares its own enumeration type: the two sides have different \
                     types, even with the same members",
                );
            }
            self.push(diagnostic);
            return None;
        }
        Some(Expr {
            kind: ExprKind::Compare(op, Box::new(lhs), Box::new(rhs)),
            ty: Type::Bool,
            span,
        })
    }

    /// Resolves the two operands of a comparison. A bare name (or string) on either side is a
    /// member of the other side's type when it is one — that wins over a variable of the same
    /// name — and otherwise means what it means on its own.
    pub(super) fn operands(
        &mut self,
        scope: Scope,
        l: &ast::Expr,
        r: &ast::Expr,
    ) -> Option<(Expr, Expr)> {
        match (bare_text(l), bare_text(r)) {
            (None, None) => {
                let lhs = self.expr(scope, l, None);
                let rhs = self.expr(scope, r, None);
                Some((lhs?, rhs?))
            }
            (None, Some(_)) => {
                let lhs = self.expr(scope, l, None)?;
                let rhs = self.expr(scope, r, Some(lhs.ty))?;
                Some((lhs, rhs))
            }
            (Some(_), None) => {
                let rhs = self.expr(scope, r, None)?;
                let lhs = self.expr(scope, l, Some(rhs.ty))?;
                Some((lhs, rhs))
            }
            (Some(lt), Some(rt)) => {
                let alone = |this: &Self, e: &ast::Expr, text: &str| match &e.kind {
                    ast::ExprKind::Str(_) => None,
                    _ => match this.lookup(scope, text, e.span) {
                        Lookup::Found(expr) => Some(expr),
                        Lookup::NotAValue(_) | Lookup::Missing => None,
                    },
                };
                let l_alone = alone(self, l, &lt);
                let r_alone = alone(self, r, &rt);
                let as_member = |this: &Self, other: &Option<Expr>, text: &str, span: Span| {
                    let ty = other.as_ref()?.ty;
                    let value = this.member(ty, text)?;
                    Some(Expr {
                        kind: ExprKind::Const(value),
                        ty,
                        span,
                    })
                };
                let lhs = as_member(self, &r_alone, &lt, l.span).or(l_alone.clone());
                let rhs = as_member(self, &l_alone, &rt, r.span).or(r_alone.clone());
                for side in [&lhs, &rhs].into_iter().flatten() {
                    self.refer_expr(scope, side);
                }
                // Whatever is still unresolved is reported, with the other side as the hint.
                let lhs = match lhs {
                    Some(lhs) => Some(lhs),
                    None => self.expr(scope, l, r_alone.as_ref().map(|e| e.ty)),
                };
                let rhs = match rhs {
                    Some(rhs) => Some(rhs),
                    None if lhs.is_none() && l_alone.is_none() => None,
                    None => self.expr(scope, r, lhs.as_ref().map(|e| e.ty)),
                };
                Some((lhs?, rhs?))
            }
        }
    }

    pub(super) fn membership(
        &mut self,
        scope: Scope,
        lhs: &ast::Expr,
        set: &[ast::Expr],
        span: Span,
    ) -> Option<Expr> {
        let lhs = self.expr(scope, lhs, None)?;
        if matches!(lhs.ty, Type::Bool) {
            self.push(
                Diagnostic::new(
                    Code::E0200,
                    "`in` tests an integer, a state or an enumeration, not a bool",
                    lhs.span,
                    "a bool",
                )
                .with_help("compare with `==` instead"),
            );
            return None;
        }
        let mut values = Vec::new();
        let mut ok = true;
        for item in set {
            match self.constant(scope, item, lhs.ty, "an element of an `in` list") {
                Some(value) => values.push(value),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(Expr {
            kind: ExprKind::In(Box::new(lhs), values),
            ty: Type::Bool,
            span,
        })
    }

    /// An expression that must be a constant of type `ty`: a literal or a member.
    pub(in crate::resolve) fn constant(
        &mut self,
        scope: Scope,
        e: &ast::Expr,
        ty: Type,
        what: &str,
    ) -> Option<Value> {
        let expr = self.expr(scope, e, Some(ty))?;
        let expr = self.expect_type(expr, ty, what)?;
        match expr.kind {
            ExprKind::Const(value) => Some(value),
            _ => {
                self.push(
                    Diagnostic::new(
                        Code::E0202,
                        format!("{what} must be a constant"),
                        expr.span,
                        "this depends on the run",
                    )
                    .with_help("write a literal value or an enumeration member"),
                );
                None
            }
        }
    }

    pub(super) fn quantifier(
        &mut self,
        scope: Scope,
        kind: QuantKind,
        children: &Name,
        states: Option<&[Name]>,
        filter: Option<&ast::Expr>,
        span: Span,
    ) -> Option<Expr> {
        let Some(m) = scope.machine() else {
            return self.misplaced(
                scope,
                span,
                &format!("`{}`", kind.as_str()),
                "quantifiers look at the child instances of a machine; a workflow has none",
            );
        };
        let c = self.children_ref(m, children)?;
        let child = self.program.machine(m).children[c.index()].machine;
        let states = match states {
            Some(names) => Some(self.state_refs(child, names)?),
            None => None,
        };
        // Without `in STATES` a quantifier looks at the children in any state:
        // `any workers where busy`, `no workers`.
        let filter = match filter {
            Some(f) => {
                let expr = self.expr(Scope::Machine(child), f, None)?;
                if expr.ty != Type::Bool {
                    let found = self.found_words(expr.ty);
                    self.push(
                        Diagnostic::new(
                            Code::E0200,
                            format!("a `where` filter must be a bool, not {found}"),
                            expr.span,
                            format!("this is {found}"),
                        )
                        .with_note(
                            "the filter after `where` is a single operand: a name, a view or a \
                             parenthesised expression",
                        )
                        .with_help(if kind == QuantKind::Count {
                            // What followed the filter compared the count: it needs its own.
                            "put the comparison in parentheses, and compare the count: \
                             `count … where (x == y) > 0`"
                        } else {
                            "put a comparison in parentheses: `where (x == y)`"
                        }),
                    );
                    return None;
                }
                Some(Box::new(expr))
            }
            None => None,
        };
        let ty = if kind == QuantKind::Count {
            Type::INT
        } else {
            Type::Bool
        };
        Some(Expr {
            kind: ExprKind::Quantifier {
                kind,
                children: c,
                states,
                filter,
            },
            ty,
            span,
        })
    }
}

/// The text of a bare name, dotted name or string: what may be an enumeration member or state.
fn bare_text(e: &ast::Expr) -> Option<Cow<'_, str>> {
    match &e.kind {
        ast::ExprKind::Str(s) => Some(Cow::Borrowed(s.as_str())),
        ast::ExprKind::Path(path) => path.as_dotted(),
        _ => None,
    }
}
