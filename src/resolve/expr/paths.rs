//! Paths to descendant instances in a machine scenario's expectations (`workers[0].done`,
//! `members[0].members[1]`): each segment a children group and an index, from the root's machine.

use super::{Lookup, Scope};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::Resolver;
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    /// `workers[0]`, `members[0].members[1]`, `tasks[0].kind`, `tasks[0].ready`.
    pub(super) fn instance_expr(&mut self, m: MachineId, path: &ast::Path) -> Option<Expr> {
        let (last, prefix) = path.segments.split_last()?;
        let (steps, at) = self.instance_path(m, prefix)?;
        let span = path.span;
        let (path, inner) = match last.index {
            Some((index, index_span)) => {
                let c = self.children_ref(at, &last.name)?;
                let child = self.program.machine(at).children[c.index()].machine;
                let mut steps = steps;
                steps.steps.push(PathStep {
                    children: c,
                    index,
                    span: last.name.span.to(index_span),
                });
                let inner = Expr {
                    kind: ExprKind::State,
                    ty: Type::State(child),
                    span,
                };
                (steps, inner)
            }
            None => {
                let inner =
                    match self.lookup(Scope::Machine(at), last.name.as_str(), last.name.span) {
                        Lookup::Found(expr) => {
                            self.refer_expr(Scope::Machine(at), &expr);
                            expr
                        }
                        _ if self.is_rejected(Scope::Machine(at), last.name.as_str()) => {
                            return None;
                        }
                        Lookup::NotAValue(diagnostic) => {
                            self.push(diagnostic);
                            return None;
                        }
                        Lookup::Missing => {
                            let machine = self.program.machine(at);
                            let mut diagnostic = Diagnostic::new(
                                Code::E0101,
                                format!(
                                    "machine `{}` has no variable or view `{}`",
                                    machine.name.as_str(),
                                    last.name.as_str()
                                ),
                                last.name.span,
                                "unknown name",
                            );
                            diagnostic = match prefix {
                                [.., parent] if last.name.as_str() == "state" => {
                                    let child = format!(
                                        "{}[{}]",
                                        parent.name.as_str(),
                                        parent.index.map_or(0, |(i, _)| i)
                                    );
                                    diagnostic.with_help(format!(
                                        "a path to a child stands for its state: `{child} == S`"
                                    ))
                                }
                                _ => diagnostic.with_suggestion(self.suggest.did_you_mean_in_set(
                                    last.name.as_str(),
                                    self.scope_names(Scope::Machine(at)),
                                )),
                            };
                            self.push(diagnostic);
                            return None;
                        }
                    };
                (steps, inner)
            }
        };
        let ty = inner.ty;
        Some(Expr {
            kind: ExprKind::At {
                path,
                expr: Box::new(inner),
            },
            ty,
            span,
        })
    }

    /// Resolves segments that must each be `children[index]`, from machine `m`; returns the path
    /// and the machine of the instance it reaches.
    pub(in crate::resolve) fn instance_path(
        &mut self,
        m: MachineId,
        segments: &[ast::Segment],
    ) -> Option<(InstancePath, MachineId)> {
        let mut at = m;
        let mut path = InstancePath::default();
        for segment in segments {
            let c = self.children_ref(at, &segment.name)?;
            let Some((index, index_span)) = segment.index else {
                self.push(
                    Diagnostic::new(
                        Code::E0201,
                        format!("`{}` needs an index here", segment.name.as_str()),
                        segment.name.span,
                        "a group of children",
                    )
                    .with_help(format!("pick one child: `{}[0]`", segment.name.as_str()))
                    .with_fix(
                        format!("write `{}[0]`", segment.name.as_str()),
                        Span::new(
                            segment.name.span.end as usize,
                            segment.name.span.end as usize,
                        ),
                        "[0]",
                    ),
                );
                return None;
            };
            path.steps.push(PathStep {
                children: c,
                index,
                span: segment.name.span.to(index_span),
            });
            at = self.program.machine(at).children[c.index()].machine;
        }
        Some((path, at))
    }
}
