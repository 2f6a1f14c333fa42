//! The outline of a file: its items and, in each, what it declares. Read from the syntax tree,
//! so a file with a syntax error still has one.

use lsp_types::SymbolKind;

use crate::source::Span;
use crate::syntax::ast;

/// One entry of the outline.
pub struct Outline {
    pub name: String,
    pub detail: Option<String>,
    pub kind: SymbolKind,
    /// The whole declaration.
    pub span: Span,
    /// Its name.
    pub name_span: Span,
    pub children: Vec<Outline>,
}

fn entry(name: &ast::Name, detail: &str, kind: SymbolKind, span: Span) -> Outline {
    Outline {
        name: name.as_str().to_owned(),
        detail: Some(detail.to_owned()),
        kind,
        span: span.to(name.span),
        name_span: name.span,
        children: Vec::new(),
    }
}

pub fn outline(file: &ast::File) -> Vec<Outline> {
    file.items.iter().map(item).collect()
}

fn item(item: &ast::Item) -> Outline {
    match item {
        ast::Item::Workflow(w) => {
            let mut out = entry(&w.name, "workflow", SymbolKind::MODULE, w.span);
            out.children.extend(vars(&w.vars));
            for task in &w.tasks {
                for name in &task.names {
                    out.children
                        .push(entry(name, "task", SymbolKind::FUNCTION, task.span));
                }
            }
            out
        }
        ast::Item::Machine(m) => {
            let mut out = entry(&m.name, "machine", SymbolKind::CLASS, m.span);
            out.children.extend(vars(&m.vars));
            for children in &m.children {
                let detail = format!("children: {}", children.machine.as_str());
                out.children.push(entry(
                    &children.name,
                    &detail,
                    SymbolKind::FIELD,
                    children.span,
                ));
            }
            for decl in &m.events {
                for name in &decl.names {
                    out.children
                        .push(entry(name, "event", SymbolKind::EVENT, decl.span));
                }
            }
            for decl in &m.actors {
                for name in &decl.names {
                    out.children
                        .push(entry(name, "actor", SymbolKind::CONSTANT, decl.span));
                }
            }
            for decl in &m.states {
                let detail = match decl.kind {
                    ast::StateKind::Normal => "state",
                    ast::StateKind::Transient => "transient state",
                    ast::StateKind::Final => "final state",
                };
                for name in &decl.names {
                    out.children
                        .push(entry(name, detail, SymbolKind::ENUM_MEMBER, decl.span));
                }
            }
            for view in &m.views {
                out.children
                    .push(entry(&view.name, "view", SymbolKind::PROPERTY, view.span));
            }
            out
        }
        ast::Item::Scenario(s) => {
            let detail = format!("scenario for {}", s.target.as_str());
            entry(&s.name, &detail, SymbolKind::METHOD, s.span)
        }
    }
}

fn vars(vars: &[ast::VarDecl]) -> impl Iterator<Item = Outline> + '_ {
    vars.iter()
        .map(|v| entry(&v.name, "var", SymbolKind::VARIABLE, v.span))
}
