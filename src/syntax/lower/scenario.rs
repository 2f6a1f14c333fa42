//! Scenario statements: steps (`send`, `set`, `spawn`, `expect`, …) and the paths that name an
//! instance.

use super::{Clauses, Lower, P};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::parser::Rule;

impl Lower<'_> {
    pub(super) fn step(&mut self, pair: P<'_>) -> Option<Step> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let kind = match rule {
            Rule::set_step => {
                let path = self.path(inner.next()?)?;
                let value = self.expr(inner.next()?, 0);
                StepKind::Set { path, value }
            }
            Rule::fail_step => {
                let names = self.names(inner);
                StepKind::Fail(self.non_empty(names, span, "`fail`")?.into_vec())
            }
            Rule::duration_step => {
                let task = self.name(inner.next()?);
                let ticks = self.literal(inner.next()?)?;
                StepKind::Duration { task, ticks }
            }
            Rule::start_step => {
                let names = self.names(inner);
                StepKind::StartFrom(self.non_empty(names, span, "`start from`")?.into_vec())
            }
            Rule::stop_step => StepKind::StopAt(self.literal(inner.next()?)?),
            Rule::kill_step => StepKind::KillAt(self.literal(inner.next()?)?),
            Rule::spawn_step => {
                let path = self.path(inner.next()?)?;
                let count = self.literal(inner.next()?)?;
                StepKind::Spawn { path, count }
            }
            Rule::send_step => {
                let event = self.name(inner.next()?);
                let mut to: Option<Path> = None;
                let mut by: Option<Name> = None;
                let mut seen = Clauses::default();
                for clause in inner {
                    let clause_span = self.span(&clause);
                    let is_to = clause.as_rule() == Rule::send_to;
                    let value = clause.into_inner().next()?;
                    if is_to {
                        let path = self.path(value)?;
                        if self.first_time(&mut seen, "to", clause_span) {
                            to = Some(path);
                        }
                    } else {
                        let name = self.name(value);
                        if self.first_time(&mut seen, "by", clause_span) {
                            by = Some(name);
                        }
                    }
                }
                StepKind::Send { event, to, by }
            }
            Rule::expect_step => StepKind::Expect(self.expr(inner.next()?, 0)),
            other => return self.unexpected(other, span, "a scenario step"),
        };
        Some(Step { kind, span })
    }

    /// Splits an atomic `path` (`members[0].kind`) into its segments.
    pub(super) fn path(&mut self, pair: P<'_>) -> Option<Path> {
        let span = self.span(&pair);
        let mut segments = smallvec::SmallVec::new();
        let mut offset = span.start as usize;
        for part in pair.as_str().split('.') {
            let (name, index) = match part.split_once('[') {
                Some((name, rest)) => {
                    let digits = rest.trim_end_matches(']');
                    let at = offset + name.len() + 1;
                    let index_span = Span::new(at, at + digits.len());
                    let index = match digits.parse::<u32>() {
                        Ok(i) => i,
                        Err(_) => {
                            self.push(Diagnostic::new(
                                Code::E0005,
                                format!("index `{digits}` is too large"),
                                index_span,
                                format!("indexes go up to {}", u32::MAX),
                            ));
                            return None;
                        }
                    };
                    (name, Some((index, index_span)))
                }
                None => (part, None),
            };
            segments.push(Segment {
                name: Name {
                    text: name.into(),
                    span: Span::new(offset, offset + name.len()),
                },
                index,
            });
            offset += part.len() + 1;
        }
        Some(Path { segments, span })
    }
}
