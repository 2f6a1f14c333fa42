//! Workflow statements: task declarations and links.

use super::{Clauses, Lower, P};
use crate::syntax::ast::*;
use crate::syntax::parser::Rule;

impl Lower<'_> {
    pub(super) fn task_decl(&mut self, pair: P<'_>) -> Option<TaskDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut names = Names::new();
        let mut properties = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::ident => names.push(self.name(child)),
                Rule::prop_block => {
                    for property in child.into_inner() {
                        if let Some(property) = self.property(property) {
                            properties.push(property);
                        }
                    }
                }
                other => {
                    let child_span = self.span(&child);
                    return self.unexpected(other, child_span, "a task declaration");
                }
            }
        }
        Some(TaskDecl {
            doc,
            names,
            properties,
            span,
        })
    }

    pub(super) fn link(&mut self, pair: P<'_>) -> Option<Link> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner();
        let sources = self.non_empty_list(inner.next()?, "a link's sources")?;
        let targets = self.non_empty_list(inner.next()?, "a link's targets")?;
        let mut on_error = None;
        let mut condition: Option<Expr> = None;
        let mut seen = Clauses::default();
        for clause in inner {
            let clause_span = self.span(&clause);
            match clause.as_rule() {
                Rule::on_error => {
                    if self.first_time(&mut seen, "on error", clause_span) {
                        on_error = Some(clause_span);
                    }
                }
                Rule::expr => {
                    let expr = self.expr(clause, 0);
                    if self.first_time(&mut seen, "when", self.when_span(expr.span)) {
                        condition = Some(expr);
                    }
                }
                other => return self.unexpected(other, clause_span, "a link clause"),
            }
        }
        Some(Link {
            doc,
            sources,
            targets,
            on_error,
            condition,
            span,
        })
    }
}
