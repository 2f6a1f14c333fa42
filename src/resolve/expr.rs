//! Expressions: names resolved in their scope, enumeration members resolved from the type of the
//! other operand, types checked.

use std::borrow::Cow;

use super::{DeclKind, MachineName, Resolver, WorkflowName};
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

    // ---- names --------------------------------------------------------------------------------

    /// A name, dotted name, string or path.
    fn name_expr(&mut self, scope: Scope, e: &ast::Expr, hint: Option<Type>) -> Option<Expr> {
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

    fn unknown_name(
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
    fn parents_name(&self, scope: Scope, text: &str) -> Option<(String, String)> {
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
    fn is_rejected(&self, scope: Scope, text: &str) -> bool {
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
    fn scope_names(&self, scope: Scope) -> impl Iterator<Item = &str> + '_ {
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
    fn lookup(&self, scope: Scope, text: &str, span: Span) -> Lookup {
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
    fn has_members(&self, ty: Type) -> bool {
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
    pub(super) fn member(&self, ty: Type, name: &str) -> Option<Value> {
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

    pub(super) fn member_names(&self, ty: Type) -> Box<dyn Iterator<Item = &str> + '_> {
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

    // ---- operators ----------------------------------------------------------------------------

    fn compare(
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
    fn operands(&mut self, scope: Scope, l: &ast::Expr, r: &ast::Expr) -> Option<(Expr, Expr)> {
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

    fn membership(
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
    pub(super) fn constant(
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

    fn quantifier(
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

    /// The children declaration `name` of machine `m`.
    pub(super) fn children_ref(&mut self, m: MachineId, name: &Name) -> Option<ChildrenId> {
        let names = &self.machine_names[m.index()];
        match names.names.get(name.as_str()) {
            Some(&MachineName::Children(c)) => {
                self.refer(name.span, super::Def::Children(m, c));
                Some(c)
            }
            _ if names.rejected.any(name.as_str(), &[DeclKind::Children]) => None,
            Some(other) => {
                let what = match other {
                    MachineName::Var(_) => "a variable",
                    _ => "a view",
                };
                self.push(Diagnostic::new(
                    Code::E0103,
                    format!("`{}` is {what}, not a group of children", name.as_str()),
                    name.span,
                    "expected the name of a `children` declaration",
                ));
                None
            }
            None => {
                let machine = self.program.machine(m);
                let close = self.suggest.did_you_mean(
                    name.as_str(),
                    machine.children.iter().map(|c| c.name.as_str()),
                );
                let mut diagnostic = Diagnostic::new(
                    Code::E0101,
                    format!(
                        "machine `{}` has no children named `{}`",
                        machine.name.as_str(),
                        name.as_str()
                    ),
                    name.span,
                    "unknown children",
                )
                .with_suggestion(close);
                if machine.children.is_empty() {
                    diagnostic = diagnostic.with_help(format!(
                        "declare them: `children {}: MACHINE`",
                        name.as_str()
                    ));
                }
                self.push(diagnostic);
                None
            }
        }
    }

    /// States named in machine `m`; one E0101 per unknown name.
    pub(super) fn state_refs(&mut self, m: MachineId, names: &[Name]) -> Option<Vec<StateId>> {
        let mut ids = Vec::with_capacity(names.len());
        let mut ok = true;
        for name in names {
            match self.state_ref(m, name) {
                Some(id) => ids.push(id),
                None => ok = false,
            }
        }
        ok.then_some(ids)
    }

    pub(super) fn state_ref(&mut self, m: MachineId, name: &Name) -> Option<StateId> {
        let names = &self.machine_names[m.index()];
        if let Some(&id) = names.states.get(name.as_str()) {
            self.refer(name.span, super::Def::State(m, id));
            return Some(id);
        }
        if names.rejected_states.contains(name.as_str()) {
            return None; // reported at its declaration
        }
        let machine = self.program.machine(m);
        let close = self.suggest.did_you_mean(
            name.as_str(),
            machine.states.iter().map(|s| s.name.as_str()),
        );
        let diagnostic = Diagnostic::new(
            Code::E0101,
            format!(
                "unknown state `{}` in machine `{}`",
                name.as_str(),
                machine.name.as_str()
            ),
            name.span,
            "not a declared state",
        )
        .with_suggestion(close)
        .with_note("states must be declared with `state`, `transient state` or `final state`");
        self.push(diagnostic);
        None
    }

    fn link_ref(
        &mut self,
        scope: Scope,
        source: &Name,
        target: &Name,
        on_error: bool,
        span: Span,
    ) -> Option<Expr> {
        let Scope::WorkflowScenario(w) = scope else {
            return self.misplaced(
                scope,
                span,
                "`link`",
                "`link a -> b` names a link's state, in workflow scenarios only",
            );
        };
        let s = self.task_ref(w, source);
        let t = self.task_ref(w, target);
        let (s, t) = (s?, t?);
        let kind = if on_error {
            LinkKind::Error
        } else {
            LinkKind::Normal
        };
        let links = &self.workflow_names[w.index()].links;
        if let Some(&id) = links.get(&(s, t, kind)) {
            return Some(Expr {
                kind: ExprKind::LinkState(id),
                ty: Type::LinkState,
                span,
            });
        }
        let other = if on_error {
            LinkKind::Normal
        } else {
            LinkKind::Error
        };
        let mut diagnostic = Diagnostic::new(
            Code::E0101,
            format!(
                "there is no {}link `{} -> {}`",
                if on_error { "error " } else { "" },
                source.as_str(),
                target.as_str()
            ),
            span,
            "no such link",
        );
        if links.contains_key(&(s, t, other)) {
            // `on error` is all that follows the target.
            let after_target = Span::new(target.span.end as usize, span.end as usize);
            diagnostic = if on_error {
                diagnostic
                    .with_help("the link between these tasks is a normal link: remove `on error`")
                    .with_fix("remove `on error`", after_target, "")
            } else {
                diagnostic
                    .with_help("the link between these tasks is an error link: add `on error`")
                    .with_fix(
                        "add `on error`",
                        Span::new(after_target.start as usize, after_target.start as usize),
                        " on error",
                    )
            };
        }
        self.push(diagnostic);
        None
    }

    /// Task `name` of workflow `w`.
    pub(super) fn task_ref(&mut self, w: WorkflowId, name: &Name) -> Option<TaskId> {
        let names = &self.workflow_names[w.index()];
        match names.names.get(name.as_str()) {
            Some(&WorkflowName::Task(t)) => {
                self.refer(name.span, super::Def::Task(w, t));
                return Some(t);
            }
            // Its declaration was refused, and reported there.
            _ if names.rejected.any(name.as_str(), &[DeclKind::Task]) => return None,
            Some(&WorkflowName::Var(v)) => {
                let var = &self.program.workflow(w).vars[v.index()];
                let diagnostic = Diagnostic::new(
                    Code::E0103,
                    format!("`{}` is a variable, not a task", name.as_str()),
                    name.span,
                    "expected a task",
                )
                .with_label(var.name.span, "declared as a variable here");
                self.push(diagnostic);
                return None;
            }
            None => {}
        }
        let workflow = self.program.workflow(w);
        let close = self.suggest.did_you_mean(
            name.as_str(),
            workflow.tasks.iter().map(|t| t.name.as_str()),
        );
        let diagnostic = Diagnostic::new(
            Code::E0101,
            format!(
                "unknown task `{}` in workflow `{}`",
                name.as_str(),
                workflow.name.as_str()
            ),
            name.span,
            "not a task of this workflow",
        )
        .with_suggestion(close);
        self.push(diagnostic);
        None
    }

    // ---- paths to descendant instances (machine scenarios) ------------------------------------

    /// `workers[0]`, `members[0].members[1]`, `tasks[0].kind`, `tasks[0].ready`.
    fn instance_expr(&mut self, m: MachineId, path: &ast::Path) -> Option<Expr> {
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
    pub(super) fn instance_path(
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

fn found(kind: ExprKind, ty: Type, span: Span) -> Lookup {
    Lookup::Found(Expr { kind, ty, span })
}

/// The text of a bare name, dotted name or string: what may be an enumeration member or state.
fn bare_text(e: &ast::Expr) -> Option<Cow<'_, str>> {
    match &e.kind {
        ast::ExprKind::Str(s) => Some(Cow::Borrowed(s.as_str())),
        ast::ExprKind::Path(path) => path.as_dotted(),
        _ => None,
    }
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
