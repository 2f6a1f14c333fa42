//! Machine statements: children, events and actors, initial rules, views, states with their
//! hooks, transitions, and actions.

use rustc_hash::FxHashMap;

use super::{Clauses, Lower, P};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast::*;
use crate::syntax::parser::Rule;

impl Lower<'_> {
    pub(super) fn children_decl(&mut self, pair: P<'_>) -> Option<ChildrenDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next()?);
        let machine = self.name(inner.next()?);
        Some(ChildrenDecl {
            doc,
            name,
            machine,
            span,
        })
    }

    /// `event NAME, …` or `actor NAME, …`.
    pub(super) fn name_decl(&mut self, pair: P<'_>) -> Option<NameDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner().peekable();
        let origin = inner
            .next_if(|p| p.as_rule() == Rule::event_origin)
            .map(|p| match p.as_str() {
                "external" => Origin::External,
                _ => Origin::Internal,
            });
        let names = inner.map(|p| self.name(p)).collect();
        Some(NameDecl {
            doc,
            origin,
            names,
            span,
        })
    }

    pub(super) fn initial_rule(&mut self, pair: P<'_>) -> Option<InitialRule> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let target = self.name(inner.next()?);
        let guard = inner.next().map(|p| self.expr(p, 0));
        Some(InitialRule {
            target,
            guard,
            span,
        })
    }

    pub(super) fn view_decl(&mut self, pair: P<'_>) -> Option<ViewDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next()?);
        let expr = self.expr(inner.next()?, 0);
        Some(ViewDecl {
            doc,
            name,
            expr,
            span,
        })
    }

    pub(super) fn state_decl(&mut self, pair: P<'_>) -> Option<StateDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut kind = StateKind::Normal;
        let mut names = Vec::new();
        let mut hooks = Vec::new();
        for child in pair.into_inner() {
            match child.as_rule() {
                Rule::state_kind => {
                    kind = if child.as_str() == "final" {
                        StateKind::Final
                    } else {
                        StateKind::Transient
                    };
                }
                Rule::dotted | Rule::string => names.push(self.name(child)),
                Rule::state_block => {
                    for hook in child.into_inner() {
                        let hook_span = self.span(&hook);
                        let mut parts = hook.into_inner();
                        let hook_kind = match parts.next().map(|p| p.as_str() == "enter") {
                            Some(true) => HookKind::Enter,
                            Some(false) => HookKind::Exit,
                            None => {
                                return self.unexpected(
                                    Rule::state_hook,
                                    hook_span,
                                    "a state hook",
                                );
                            }
                        };
                        let actions = self.actions(parts.next()?);
                        hooks.push(Hook {
                            kind: hook_kind,
                            actions,
                            span: hook_span,
                        });
                    }
                }
                other => {
                    let child_span = self.span(&child);
                    return self.unexpected(other, child_span, "a state declaration");
                }
            }
        }
        Some(StateDecl {
            doc,
            kind,
            names,
            hooks,
            span,
        })
    }

    pub(super) fn transition(&mut self, pair: P<'_>) -> Option<Transition> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner();
        let source = inner.next()?;
        let sources = match source.as_rule() {
            Rule::star => Sources::Any(self.span(&source)),
            _ => Sources::List(self.non_empty_list(source, "a transition's sources")?),
        };
        let target_pair = inner.next()?;
        let target = match target_pair.as_rule() {
            Rule::history => Target::History(self.span(&target_pair)),
            _ => Target::State(self.name(target_pair)),
        };
        let mut events: Vec<Name> = Vec::new();
        let mut guard: Option<Expr> = None;
        let mut actor: Option<Name> = None;
        let mut actions = Vec::new();
        let mut seen = Clauses::default();
        for clause in inner {
            let clause_span = self.span(&clause);
            match clause.as_rule() {
                Rule::on_event => {
                    let names = self.event_names(clause);
                    if self.first_time(&mut seen, "on", clause_span) {
                        events = names;
                    }
                }
                Rule::by_actor => {
                    let name = self.name(clause.into_inner().next()?);
                    if self.first_time(&mut seen, "by", clause_span) {
                        actor = Some(name);
                    }
                }
                Rule::expr => {
                    let expr = self.expr(clause, 0);
                    if self.first_time(&mut seen, "when", self.when_span(expr.span)) {
                        guard = Some(expr);
                    }
                }
                Rule::action_block => actions = self.actions(clause),
                other => return self.unexpected(other, clause_span, "a transition clause"),
            }
        }
        Some(Transition {
            doc,
            sources,
            target,
            events,
            guard,
            actor,
            actions,
            span,
        })
    }

    /// The events of an `on` clause (`on go or start`), each once: a name repeated is E0105.
    pub(super) fn event_names(&mut self, clause: P<'_>) -> Vec<Name> {
        let mut names: Vec<Name> = Vec::new();
        // Where each was first named: a line may name thousands.
        let mut seen: FxHashMap<smol_str::SmolStr, Span> = FxHashMap::default();
        for pair in clause.into_inner().filter(|p| p.as_rule() == Rule::ident) {
            let name = self.name(pair);
            match seen.get(&name.text) {
                Some(&first) => {
                    self.push(
                        Diagnostic::new(
                            Code::E0105,
                            format!("event `{}` is named twice in this `on`", name.as_str()),
                            name.span,
                            "named again",
                        )
                        .with_label(first, "first named here")
                        .with_help("remove one of them"),
                    );
                }
                None => {
                    seen.insert(name.text.clone(), name.span);
                    names.push(name);
                }
            }
        }
        names
    }

    pub(super) fn actions(&mut self, block: P<'_>) -> Vec<Action> {
        let mut actions = Vec::new();
        for pair in block.into_inner() {
            if let Some(action) = self.action(pair) {
                actions.push(action);
            }
        }
        actions
    }

    pub(super) fn action(&mut self, pair: P<'_>) -> Option<Action> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut inner = pair.into_inner();
        let kind = match rule {
            Rule::set_action => {
                let var = self.name(inner.next()?);
                let value = self.expr(inner.next()?, 0);
                ActionKind::Set { var, value }
            }
            Rule::send_action => {
                let event = self.name(inner.next()?);
                let to = inner.next()?;
                let rule = to.as_rule();
                let target = match rule {
                    Rule::parent => SendTarget::Parent(self.span(&to)),
                    Rule::send_index => {
                        let mut parts = to.into_inner();
                        let name = self.name(parts.next()?);
                        let index = self.expr(parts.next()?, 0);
                        SendTarget::Index { name, index }
                    }
                    Rule::send_one | Rule::send_children => {
                        let mut parts = to.into_inner();
                        let name = self.name(parts.next()?);
                        let states = parts
                            .next()
                            .map(|p| self.non_empty_list(p, "`send … in`").map(Names::into_vec));
                        let states = match states {
                            Some(None) => return None,
                            Some(Some(states)) => Some(states),
                            None => None,
                        };
                        if rule == Rule::send_one {
                            SendTarget::One { name, states }
                        } else {
                            SendTarget::Children { name, states }
                        }
                    }
                    other => {
                        let to_span = self.span(&to);
                        return self.unexpected(other, to_span, "a `send` target");
                    }
                };
                ActionKind::Send { event, target }
            }
            Rule::raise_action => ActionKind::Raise {
                event: self.name(inner.next()?),
            },
            other => return self.unexpected(other, span, "an action"),
        };
        Some(Action { kind, span })
    }
}
