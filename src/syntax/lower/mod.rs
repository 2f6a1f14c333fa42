//! Parse tree → syntax tree. The only module that touches `Pair<Rule>`.
//!
//! The grammar guarantees the shapes read here; where a shape is not the expected one anyway, the
//! lowering reports an internal error (E0007) and goes on, never panics.
//!
//! One file per part of the language: `mod.rs` the lowering's state, item heads and the dispatch
//! of a statement to its item; `shared.rs` what items share (variables, literals, names, lists,
//! clauses given twice); `workflow.rs` tasks and links; `machine.rs` children, events, actors,
//! initial rules, states, transitions, views and actions; `scenario.rs` steps and instance paths;
//! `expr.rs` expressions, with precedence climbing over the flat row of operands and operators.

mod expr;
mod machine;
mod scenario;
mod shared;
mod workflow;

use rustc_hash::FxHashMap;

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::parser::Rule;
use super::scan::DocBlock;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

/// Which statement rule the body of an item uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StmtKind {
    Workflow,
    Machine,
    Scenario,
}

pub struct Lower<'a> {
    text: &'a str,
    /// Doc blocks by the offset of the token they precede; `None` once attached.
    docs: Vec<Option<DocBlock>>,
    doc_at: FxHashMap<usize, usize>,
    /// Offset of the statement being lowered: pest positions are relative to it.
    base: usize,
    diagnostics: Vec<Diagnostic>,
}

type P<'i> = Pair<'i, Rule>;

/// The clauses a statement has given so far, with their spans.
type Clauses = smallvec::SmallVec<[(&'static str, Span); 4]>;

impl<'a> Lower<'a> {
    pub fn new(text: &'a str, docs: Vec<DocBlock>) -> Lower<'a> {
        let doc_at = docs
            .iter()
            .enumerate()
            .map(|(i, doc)| (doc.next_token, i))
            .collect();
        Lower {
            text,
            docs: docs.into_iter().map(Some).collect(),
            doc_at,
            base: 0,
            diagnostics: Vec::new(),
        }
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The findings so far, plus one for every doc comment that documents nothing (when the file
    /// parsed).
    pub fn finish(mut self) -> Vec<Diagnostic> {
        // A doc comment before a statement that did not parse was not attached: not its fault.
        if self.diagnostics.iter().any(|d| d.code == Code::E0001) {
            return self.diagnostics;
        }
        for doc in self.docs.into_iter().flatten() {
            let next = self.text.get(doc.next_token..).unwrap_or("");
            let next = next.split(['\n', '\r']).next().unwrap_or("").trim();
            let label = if next.is_empty() {
                "nothing follows this doc comment".to_owned()
            } else {
                let shown: String = next.chars().take(30).collect();
                let more = if shown.len() < next.len() { "…" } else { "" };
                format!("followed by `{shown}{more}`, which takes no doc comment")
            };
            self.diagnostics.push(
                Diagnostic::new(
                    Code::W0001,
                    "doc comment documents nothing",
                    doc.span,
                    label,
                )
                .with_help(
                    "use `//` for a plain comment, or move it above an item, `var`, `task`, \
                         link, `children`, `state`, transition, `view`, `event` or `actor`",
                ),
            );
        }
        self.diagnostics
    }

    // ---- items ------------------------------------------------------------------------------

    /// Lowers an item head (`workflow name "title" {`); returns the empty item, the statement kind
    /// of its body and the span of its `{`.
    pub fn item_head(
        &mut self,
        mut pairs: Pairs<'_, Rule>,
        base: usize,
    ) -> Option<(Item, StmtKind, Span)> {
        self.base = base;
        let start = pairs.next()?;
        let head = self.only_child(start)?;
        let span = self.span(&head);
        let brace = Span::new(span.end as usize - 1, span.end as usize);
        let doc = self.doc(span.start as usize);
        let rule = head.as_rule();
        let mut inner = head.into_inner();
        match rule {
            Rule::workflow_start | Rule::machine_start => {
                let name = self.name(inner.next()?);
                let title = inner.next().map(|p| self.name(p));
                if rule == Rule::workflow_start {
                    let item = Workflow {
                        doc,
                        name,
                        title,
                        properties: Vec::new(),
                        vars: Vec::new(),
                        tasks: Vec::new(),
                        links: Vec::new(),
                        span,
                    };
                    Some((Item::Workflow(item), StmtKind::Workflow, brace))
                } else {
                    let item = Machine {
                        doc,
                        name,
                        title,
                        vars: Vec::new(),
                        children: Vec::new(),
                        events: Vec::new(),
                        actors: Vec::new(),
                        initials: Vec::new(),
                        states: Vec::new(),
                        transitions: Vec::new(),
                        views: Vec::new(),
                        span,
                    };
                    Some((Item::Machine(item), StmtKind::Machine, brace))
                }
            }
            Rule::scenario_start => {
                let name = self.name(inner.next()?);
                let target = self.name(inner.next()?);
                let item = Scenario {
                    doc,
                    name,
                    target,
                    steps: Vec::new(),
                    span,
                };
                Some((Item::Scenario(item), StmtKind::Scenario, brace))
            }
            other => self.unexpected(other, span, "an item head"),
        }
    }

    pub fn finish_item(&mut self, item: &mut Item, span: Span) {
        match item {
            Item::Workflow(w) => w.span = span,
            Item::Machine(m) => m.span = span,
            Item::Scenario(s) => s.span = span,
        }
    }

    /// Lowers one `*_stmt` pair (positions relative to `base`) into `item`; returns the absolute
    /// offset where it ends.
    pub fn statement(&mut self, item: &mut Item, stmt: P<'_>, base: usize) -> usize {
        self.base = base;
        let end = self.span(&stmt).end as usize;
        let Some(member) = self.only_child(stmt) else {
            return end;
        };
        match item {
            Item::Workflow(w) => self.workflow_member(w, member),
            Item::Machine(m) => self.machine_member(m, member),
            Item::Scenario(s) => {
                if let Some(step) = self.step(member) {
                    s.steps.push(step);
                }
            }
        }
        end
    }

    fn workflow_member(&mut self, w: &mut Workflow, member: P<'_>) {
        match member.as_rule() {
            Rule::var_decl => {
                if let Some(var) = self.var_decl(member) {
                    w.vars.push(var);
                }
            }
            Rule::task_decl => {
                if let Some(task) = self.task_decl(member) {
                    w.tasks.push(task);
                }
            }
            Rule::link => {
                if let Some(link) = self.link(member) {
                    w.links.push(link);
                }
            }
            Rule::property => {
                if let Some(property) = self.property(member) {
                    w.properties.push(property);
                }
            }
            other => {
                let span = self.span(&member);
                self.unexpected::<()>(other, span, "a workflow statement");
            }
        }
    }

    fn machine_member(&mut self, m: &mut Machine, member: P<'_>) {
        let span = self.span(&member);
        let rule = member.as_rule();
        let lowered = match rule {
            Rule::var_decl => self.var_decl(member).map(|v| m.vars.push(v)),
            Rule::input_decl => self.input_decl(member).map(|v| m.vars.push(v)),
            Rule::children_decl => self.children_decl(member).map(|c| m.children.push(c)),
            Rule::event_decl => self.name_decl(member).map(|d| m.events.push(d)),
            Rule::actor_decl => self.name_decl(member).map(|d| m.actors.push(d)),
            Rule::initial_rule => self.initial_rule(member).map(|i| m.initials.push(i)),
            Rule::state_decl => self.state_decl(member).map(|s| m.states.push(s)),
            Rule::view_decl => self.view_decl(member).map(|v| m.views.push(v)),
            Rule::transition => self.transition(member).map(|t| m.transitions.push(t)),
            other => self.unexpected(other, span, "a machine statement"),
        };
        let _ = lowered;
    }

    /// The pair's span, without the spaces pest skipped after its last token (a rule whose
    /// optional tail did not match ends after them).
    fn span(&self, pair: &P<'_>) -> Span {
        let s = pair.as_span();
        let trailing = s.as_str().len() - s.as_str().trim_end_matches([' ', '\t']).len();
        Span::new(self.base + s.start(), self.base + s.end() - trailing)
    }

    fn only_child<'i>(&mut self, pair: P<'i>) -> Option<P<'i>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        match pair.into_inner().next() {
            Some(child) => Some(child),
            None => self.unexpected(rule, span, "a statement"),
        }
    }

    /// Reports a parse-tree shape the grammar should not produce.
    fn unexpected<T>(&mut self, rule: Rule, span: Span, wanted: &str) -> Option<T> {
        self.push(
            Diagnostic::new(
                Code::E0007,
                format!("internal error: found `{rule:?}` where {wanted} was expected"),
                span,
                "wfl could not read this",
            )
            .with_note("this is a bug in wfl; please report it with this file"),
        );
        None
    }

    /// The doc comment right before the declaration starting at `start`, taken once.
    fn doc(&mut self, start: usize) -> Option<Doc> {
        let index = self.doc_at.remove(&start)?;
        let block = self.docs.get_mut(index)?.take()?;
        Some(Doc {
            text: block.text,
            span: block.span,
        })
    }
}
