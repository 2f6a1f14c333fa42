//! Names in expressions: what a bare name, dotted name or string means in its scope, and the
//! diagnostic (with suggestions) when it means nothing there.

use std::borrow::Cow;

use super::{Lookup, Scope};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::resolve::{DeclKind, MachineName, Resolver, WorkflowName};
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    /// A name, dotted name, string or path.
    pub(super) fn name_expr(
        &mut self,
        scope: Scope,
        e: &ast::Expr,
        hint: Option<Type>,
    ) -> Option<Expr> {
        let span = e.span;
        let (text, path) = match &e.kind {
            ast::ExprKind::Str(s) => (Some(Cow::Borrowed(s.as_str())), None),
            ast::ExprKind::Path(path) => (path.as_dotted(), Some(path)),
            _ => (None, None),
        };
        let Some(text) = text else {
            // A path with an index: a descendant instance.
            return match (scope, path) {
                (Scope::MachineScenario(m), Some(path)) => self.instance_expr(m, path),
                _ => self.misplaced(
                    scope,
                    span,
                    "an indexed path",
                    match scope {
                        Scope::Machine(_) => {
                            "a path like `workers[0]` names one child instance, in machine \
                             scenarios only; guards, views and actions look at children through \
                             quantifiers (`any workers in Done`)"
                        }
                        _ => {
                            "a path like `workers[0]` names one child instance of a machine; a \
                             workflow has none"
                        }
                    },
                ),
            };
        };
        if let Some(ty) = hint
            && let Some(value) = self.member(ty, &text)
        {
            let expr = Expr {
                kind: ExprKind::Const(value),
                ty,
                span,
            };
            self.refer_expr(scope, &expr);
            return Some(expr);
        }
        let is_string = matches!(e.kind, ast::ExprKind::Str(_));
        if !is_string {
            match self.lookup(scope, &text, span) {
                Lookup::Found(expr) => {
                    self.refer_expr(scope, &expr);
                    return Some(expr);
                }
                _ if self.is_rejected(scope, &text) => return None,
                Lookup::NotAValue(diagnostic) => {
                    self.push(diagnostic);
                    return None;
                }
                Lookup::Missing => {}
            }
            // `workers.kind` and the like in a machine scenario: a path that needs an index.
            if let (Scope::MachineScenario(m), Some(path)) = (scope, path)
                && path.segments.len() > 1
                && !self.machine_names[m.index()].states.contains_key(&*text)
            {
                return self.instance_expr(m, path);
            }
        }
        self.unknown_name(scope, &text, span, hint, is_string);
        None
    }

    pub(super) fn unknown_name(
        &mut self,
        scope: Scope,
        text: &str,
        span: Span,
        hint: Option<Type>,
        is_string: bool,
    ) {
        // The names of the scope first, then the members: a member wins only when it is closer.
        let mut close = self
            .suggest
            .did_you_mean_in_set(text, self.scope_names(scope));
        let mut note = None;
        let mut help = None;
        let mut literal = None;
        let (message, label) = match hint.filter(|&ty| self.has_members(ty)) {
            Some(ty) => {
                let (label, kind) = match ty {
                    Type::State(_) => ("unknown state", None),
                    Type::TaskState => ("unknown task state", Some("task")),
                    Type::LinkState => ("unknown link state", Some("link")),
                    Type::WorkflowState => ("unknown workflow state", Some("workflow")),
                    _ => ("unknown member", None),
                };
                if let Some(kind) = kind {
                    let list: Vec<String> =
                        self.member_names(ty).map(|m| format!("`{m}`")).collect();
                    note = Some(format!("the {kind} states are {}", list.join(", ")));
                }
                close = self
                    .suggest
                    .did_you_mean(text, close.into_iter().chain(self.member_names(ty)));
                (
                    format!("`{text}` is not {}", self.type_words(ty)),
                    label.to_owned(),
                )
            }
            None if is_string => (
                format!("the string \"{text}\" means nothing here"),
                "a string in an expression can only be a state name".to_owned(),
            ),
            None => match self.parents_name(scope, text) {
                Some((child, parent_note)) => {
                    note = Some(parent_note);
                    help = Some(format!(
                        "test `{text}` outside the filter, and join the two with `and`"
                    ));
                    (
                        format!("unknown name `{text}`"),
                        format!("not a variable or view of `{child}`"),
                    )
                }
                None if scope
                    .machine()
                    .is_some_and(|m| self.program.machine(m).name.as_str() == text) =>
                {
                    // `expect door == Open`: the machine's own state is read as `state`.
                    help = Some(format!(
                        "the state of `{text}` itself is read as `state`: write `state`"
                    ));
                    literal = Some(Some("state".to_owned()));
                    (
                        format!("unknown name `{text}`"),
                        format!("the machine's name, not a {}", scope_words(scope)),
                    )
                }
                None => {
                    (help, literal) = literal_from_elsewhere(text).unzip();
                    (
                        format!("unknown name `{text}`"),
                        format!("not a {}", scope_words(scope)),
                    )
                }
            },
        };
        let mut diagnostic = Diagnostic::new(Code::E0101, message, span, label);
        if let Some(note) = note {
            diagnostic = diagnostic.with_note(note);
        }
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        if let Some(written) = literal.flatten() {
            diagnostic = diagnostic.with_fix(format!("write `{written}`"), span, written);
        }
        self.push(diagnostic.with_suggestion(close));
    }

    /// When `text` is unknown in machine `m` but is a variable or view of a machine that holds `m`
    /// as children (as in a `where` filter, read in each child's scope): `m`'s name and a note
    /// that says whose name it is and how a filter reads names.
    pub(super) fn parents_name(&self, scope: Scope, text: &str) -> Option<(String, String)> {
        let (Scope::Machine(m) | Scope::MachineScenario(m)) = scope else {
            return None;
        };
        let child = self.program.machine(m).name.as_str().to_owned();
        self.program
            .machines
            .iter()
            .enumerate()
            .find_map(|(p, parent)| {
                let group = parent.children.iter().find(|c| c.machine == m)?;
                let kind = match self.machine_names.get(p)?.names.get(text)? {
                    MachineName::Var(_) => "variable",
                    MachineName::View(_) => "view",
                    MachineName::Children(_) => return None,
                };
                Some(format!(
                    "`{text}` is a {kind} of `{}`, whose `{}` are `{child}` machines; a `where` \
                     filter is read in the scope of each child, so it sees only `{child}`'s names",
                    parent.name.as_str(),
                    group.name.as_str(),
                ))
            })
            .map(|note| (child, note))
    }

    /// Whether a declaration of `text` that would be a value in `scope` was refused (and
    /// reported at its declaration).
    pub(super) fn is_rejected(&self, scope: Scope, text: &str) -> bool {
        match scope {
            Scope::Workflow(w) => self.workflow_names[w.index()]
                .rejected
                .any(text, &[DeclKind::Var]),
            Scope::WorkflowScenario(w) => self.workflow_names[w.index()]
                .rejected
                .any(text, &[DeclKind::Var, DeclKind::Task]),
            Scope::Machine(m) | Scope::MachineScenario(m) => self.machine_names[m.index()]
                .rejected
                .any(text, &[DeclKind::Var, DeclKind::View]),
        }
    }

    /// The names an expression in `scope` can use, for suggestions, in no meaningful order.
    pub(super) fn scope_names(&self, scope: Scope) -> impl Iterator<Item = &str> + '_ {
        let (workflow, machine) = match scope {
            Scope::Workflow(w) | Scope::WorkflowScenario(w) => {
                (Some(&self.workflow_names[w.index()].names), None)
            }
            Scope::Machine(m) | Scope::MachineScenario(m) => {
                (None, Some(&self.machine_names[m.index()].names))
            }
        };
        let in_scenario = matches!(scope, Scope::WorkflowScenario(_));
        let workflow = workflow
            .into_iter()
            .flatten()
            .filter(move |(_, n)| in_scenario || matches!(n, WorkflowName::Var(_)))
            .map(|(k, _)| k.as_str());
        let machine = machine
            .into_iter()
            .flat_map(|names| names.keys().map(|k| k.as_str()));
        workflow
            .chain(machine)
            .chain(in_scenario.then_some("workflow"))
    }

    /// What the name `text` at `span` means in `scope`, without reporting.
    pub(super) fn lookup(&self, scope: Scope, text: &str, span: Span) -> Lookup {
        match scope {
            Scope::Workflow(w) | Scope::WorkflowScenario(w) => {
                let in_scenario = matches!(scope, Scope::WorkflowScenario(_));
                if in_scenario && text == "workflow" {
                    return found(ExprKind::WorkflowState, Type::WorkflowState, span);
                }
                match self.workflow_names[w.index()].names.get(text) {
                    Some(&WorkflowName::Var(v)) => {
                        let ty = self.program.workflow(w).vars[v.index()].ty;
                        found(ExprKind::Var(v), ty, span)
                    }
                    Some(&WorkflowName::Task(t)) if in_scenario => {
                        found(ExprKind::TaskState(t), Type::TaskState, span)
                    }
                    Some(&WorkflowName::Task(_)) => Lookup::NotAValue(
                        Diagnostic::new(
                            Code::E0103,
                            format!("task `{text}` is not a value"),
                            span,
                            "a task",
                        )
                        .with_note("link conditions read variables; a link already waits for its source task"),
                    ),
                    None => Lookup::Missing,
                }
            }
            Scope::Machine(m) | Scope::MachineScenario(m) => {
                let names = &self.machine_names[m.index()];
                match names.names.get(text) {
                    Some(&MachineName::Var(v)) => {
                        let ty = self.program.machine(m).vars[v.index()].ty;
                        found(ExprKind::Var(v), ty, span)
                    }
                    Some(&MachineName::View(v)) => found(ExprKind::View(v), Type::Bool, span),
                    Some(&MachineName::Children(_)) => Lookup::NotAValue(
                        Diagnostic::new(
                            Code::E0103,
                            format!("`{text}` is a group of child instances, not a value"),
                            span,
                            "a group of children",
                        )
                        .with_help(format!(
                            "use a quantifier (`any {text} in …`, `count {text}`){}",
                            if matches!(scope, Scope::MachineScenario(_)) {
                                format!(" or pick one child: `{text}[0]`")
                            } else {
                                String::new()
                            }
                        )),
                    ),
                    None if names.states.contains_key(text) => Lookup::NotAValue(
                        Diagnostic::new(
                            Code::E0200,
                            format!("state `{text}` is not a bool"),
                            span,
                            "a state name alone",
                        )
                        .with_help(format!("compare the state: `state == {text}`"))
                        .with_fix(
                            format!("write `state == {text}`"),
                            span,
                            format!("state == {text}"),
                        ),
                    ),
                    None => Lookup::Missing,
                }
            }
        }
    }

    /// Whether `ty` has named members (enumerations and states of every kind).
    pub(super) fn has_members(&self, ty: Type) -> bool {
        matches!(
            ty,
            Type::Enum(_)
                | Type::State(_)
                | Type::TaskState
                | Type::LinkState
                | Type::WorkflowState
        )
    }

    /// `name` as a member of `ty`.
    pub(in crate::resolve) fn member(&self, ty: Type, name: &str) -> Option<Value> {
        match ty {
            Type::Enum(id) => self.enum_member(id, name).map(|i| Value::Enum(id, i)),
            Type::State(m) => self.machine_names[m.index()]
                .states
                .get(name)
                .map(|&s| Value::State(m, s)),
            Type::TaskState => TaskState::from_name(name).map(Value::TaskState),
            Type::LinkState => LinkState::from_name(name).map(Value::LinkState),
            Type::WorkflowState => WorkflowState::from_name(name).map(Value::WorkflowState),
            Type::Bool | Type::Int { .. } => None,
        }
    }

    pub(in crate::resolve) fn member_names(&self, ty: Type) -> Box<dyn Iterator<Item = &str> + '_> {
        match ty {
            Type::Enum(id) => Box::new(self.program.enum_type(id).members.iter().map(Name::as_str)),
            Type::State(m) => Box::new(
                self.program
                    .machine(m)
                    .states
                    .iter()
                    .map(|s| s.name.as_str()),
            ),
            Type::TaskState => Box::new(TaskState::ALL.iter().map(|s| s.as_str())),
            Type::LinkState => Box::new(LinkState::ALL.iter().map(|s| s.as_str())),
            Type::WorkflowState => Box::new(WorkflowState::ALL.iter().map(|s| s.as_str())),
            Type::Bool | Type::Int { .. } => Box::new(std::iter::empty()),
        }
    }
}

pub(super) fn found(kind: ExprKind, ty: Type, span: Span) -> Lookup {
    Lookup::Found(Expr { kind, ty, span })
}

fn scope_words(scope: Scope) -> &'static str {
    match scope {
        Scope::Workflow(_) => "variable of this workflow",
        Scope::WorkflowScenario(_) => "task or variable of this workflow",
        Scope::Machine(_) | Scope::MachineScenario(_) => "variable or view of this machine",
    }
}

/// The help for a name that is another language's literal: `True`, `FALSE`, `null`, `None`;
/// and wfl's literal to write instead, when there is one.
fn literal_from_elsewhere(text: &str) -> Option<(String, Option<String>)> {
    let lower = text.to_ascii_lowercase();
    match lower.as_str() {
        "true" | "false" => Some((
            format!("write `{lower}`: the booleans are lowercase"),
            Some(lower),
        )),
        "null" | "none" | "nil" => Some((
            "wfl has no null: every variable has a value, its default until it is set".to_owned(),
            None,
        )),
        _ => None,
    }
}
