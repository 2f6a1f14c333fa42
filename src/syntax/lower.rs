//! Parse tree → syntax tree. The only module that touches `Pair<Rule>`.
//!
//! The grammar guarantees the shapes read here; where a shape is not the expected one anyway, the
//! lowering reports an internal error (E0007) and goes on, never panics.

use rustc_hash::FxHashMap;

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::parser::Rule;
use super::scan::{DocBlock, MAX_NESTING};
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

    // ---- shared pieces ------------------------------------------------------------------------

    /// `[initial] input var …`: the variable, with when the outside may set it.
    fn input_decl(&mut self, pair: P<'_>) -> Option<VarDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = inner.next()?;
        let input = if kind.as_str().starts_with("initial") {
            Input::Initial
        } else {
            Input::AnyTime
        };
        let mut var = self.var_decl(inner.next()?)?;
        var.input = Some(input);
        // The declaration starts at its first word, where its doc comment ends.
        var.doc = self.doc(span.start as usize);
        var.span = span;
        Some(var)
    }

    fn var_decl(&mut self, pair: P<'_>) -> Option<VarDecl> {
        let span = self.span(&pair);
        let doc = self.doc(span.start as usize);
        let mut inner = pair.into_inner();
        let name = self.name(inner.next()?);
        let ty_pair = inner.next()?;
        let ty_span = self.span(&ty_pair);
        let kind = match ty_pair.as_rule() {
            Rule::bool_type => TypeExprKind::Bool,
            Rule::int_type => {
                let range = match ty_pair.into_inner().next() {
                    Some(range) => {
                        let mut bounds = range.into_inner();
                        let low = self.literal(bounds.next()?)?;
                        let high = self.literal(bounds.next()?)?;
                        Some((low, high))
                    }
                    None => None,
                };
                TypeExprKind::Int(range)
            }
            Rule::enum_type => {
                TypeExprKind::Enum(ty_pair.into_inner().map(|p| self.name(p)).collect())
            }
            other => return self.unexpected(other, ty_span, "a type"),
        };
        let default = match inner.next() {
            Some(p) => Some(self.literal(p)?),
            None => None,
        };
        Some(VarDecl {
            doc,
            input: None,
            name,
            ty: TypeExpr {
                kind,
                span: ty_span,
            },
            default,
            span,
        })
    }

    fn property(&mut self, pair: P<'_>) -> Option<Property> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let key = self.name(inner.next()?);
        let value = self.literal(inner.next()?)?;
        Some(Property { key, value, span })
    }

    /// A literal value: `true`, `3`, `0.5`, `"text"`, `name` or `[a, b]`.
    fn literal(&mut self, pair: P<'_>) -> Option<Literal> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::bool_lit => LiteralKind::Bool(pair.as_str() == "true"),
            Rule::int => LiteralKind::Int(self.int(pair.as_str(), span)?),
            Rule::decimal => LiteralKind::Decimal(self.decimal(pair.as_str(), span)?),
            Rule::string => LiteralKind::Str(self.string(pair).text),
            Rule::ident => LiteralKind::Ident(pair.as_str().into()),
            Rule::name_list => LiteralKind::List(pair.into_inner().map(|p| self.name(p)).collect()),
            other => return self.unexpected(other, span, "a value"),
        };
        Some(Literal { kind, span })
    }

    fn int(&mut self, text: &str, span: Span) -> Option<i64> {
        match text.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.push(
                    Diagnostic::new(
                        Code::E0005,
                        format!("integer `{}` is too large", shorten(text)),
                        span,
                        "does not fit in 64 bits",
                    )
                    .with_note(format!(
                        "integers range from {} to {}",
                        i64::MIN,
                        i64::MAX
                    )),
                );
                None
            }
        }
    }

    fn decimal(&mut self, text: &str, span: Span) -> Option<f64> {
        match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                self.push(Diagnostic::new(
                    Code::E0005,
                    format!("decimal `{}` is out of range", shorten(text)),
                    span,
                    "not a finite number",
                ));
                None
            }
        }
    }

    /// A name from an `ident`, `dotted` or `string` pair.
    fn name(&mut self, pair: P<'_>) -> Name {
        match pair.as_rule() {
            Rule::string => self.string(pair),
            _ => Name {
                text: pair.as_str().into(),
                span: self.span(&pair),
            },
        }
    }

    /// The value of a string literal, escapes resolved (`\"`, `\\`, `\n`, `\t`).
    fn string(&mut self, pair: P<'_>) -> Name {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let body = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        let mut text = String::with_capacity(body.len());
        let mut chars = body.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                text.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => text.push('"'),
                Some((_, '\\')) => text.push('\\'),
                Some((_, 'n')) => text.push('\n'),
                Some((_, 't')) => text.push('\t'),
                Some((j, other)) => {
                    let at = span.start as usize + 1 + i;
                    self.push(
                        Diagnostic::new(
                            Code::E0001,
                            format!("unknown escape `\\{}` in a string", other.escape_debug()),
                            Span::new(at, span.start as usize + 1 + j + other.len_utf8()),
                            "unknown escape",
                        )
                        .with_help(r#"the escapes are `\"`, `\\`, `\n` and `\t`"#),
                    );
                    text.push(other);
                }
                None => {}
            }
        }
        Name {
            text: text.into(),
            span,
        }
    }

    /// The names of a name or list pair; E0001 (and `None`) for an empty list.
    fn non_empty_list(&mut self, pair: P<'_>, what: &str) -> Option<Names> {
        let span = self.span(&pair);
        let names = self.names(Pairs::single(pair));
        self.non_empty(names, span, what)
    }

    fn non_empty(&mut self, names: Names, span: Span, what: &str) -> Option<Names> {
        if names.is_empty() {
            self.empty_list(span, what);
            return None;
        }
        Some(names)
    }

    fn empty_list(&mut self, span: Span, what: &str) {
        self.push(
            Diagnostic::new(
                Code::E0001,
                format!("{what} lists nothing"),
                span,
                "an empty list",
            )
            .with_help("name at least one, or remove the statement"),
        );
    }

    fn names(&mut self, pairs: Pairs<'_, Rule>) -> Names {
        let mut names = Names::new();
        for pair in pairs {
            match pair.as_rule() {
                Rule::name_list | Rule::state_list => names.extend(self.names(pair.into_inner())),
                _ => names.push(self.name(pair)),
            }
        }
        names
    }

    // ---- workflows ----------------------------------------------------------------------------

    fn task_decl(&mut self, pair: P<'_>) -> Option<TaskDecl> {
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

    fn link(&mut self, pair: P<'_>) -> Option<Link> {
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

    /// Records a clause of a statement; E0105 (and false) when the statement already has it.
    fn first_time(&mut self, seen: &mut Clauses, clause: &'static str, span: Span) -> bool {
        let Some(&(_, first)) = seen.iter().find(|(c, _)| *c == clause) else {
            seen.push((clause, span));
            return true;
        };
        self.push(
            Diagnostic::new(
                Code::E0105,
                format!("`{clause}` is given twice"),
                span,
                "given again",
            )
            .with_label(first, "first given here")
            .with_help(match clause {
                "when" => "combine the conditions with `and`",
                "on" => "to take any of several events, name them in one `on`: `on go or start`",
                "by" => "one transition names one actor: write a second transition for the other",
                _ => "remove one of them",
            }),
        );
        false
    }

    /// The span of a `when EXPR` clause, from the span of its expression.
    fn when_span(&self, expr: Span) -> Span {
        let before = self
            .text
            .get(..expr.start as usize)
            .unwrap_or("")
            .trim_end();
        match before.strip_suffix("when") {
            Some(rest) => Span::new(rest.len(), expr.end as usize),
            None => expr,
        }
    }

    // ---- machines -----------------------------------------------------------------------------

    fn children_decl(&mut self, pair: P<'_>) -> Option<ChildrenDecl> {
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
    fn name_decl(&mut self, pair: P<'_>) -> Option<NameDecl> {
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

    fn initial_rule(&mut self, pair: P<'_>) -> Option<InitialRule> {
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

    fn view_decl(&mut self, pair: P<'_>) -> Option<ViewDecl> {
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

    fn state_decl(&mut self, pair: P<'_>) -> Option<StateDecl> {
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

    fn transition(&mut self, pair: P<'_>) -> Option<Transition> {
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
    fn event_names(&mut self, clause: P<'_>) -> Vec<Name> {
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

    fn actions(&mut self, block: P<'_>) -> Vec<Action> {
        let mut actions = Vec::new();
        for pair in block.into_inner() {
            if let Some(action) = self.action(pair) {
                actions.push(action);
            }
        }
        actions
    }

    fn action(&mut self, pair: P<'_>) -> Option<Action> {
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

    // ---- scenarios ----------------------------------------------------------------------------

    fn step(&mut self, pair: P<'_>) -> Option<Step> {
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
    fn path(&mut self, pair: P<'_>) -> Option<Path> {
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

    // ---- expressions --------------------------------------------------------------------------

    /// Lowers a flat `expr` pair, applying precedence. `depth` counts enclosing parentheses,
    /// `not`s and filters, bounded by [`MAX_NESTING`].
    fn expr(&mut self, pair: P<'_>, depth: usize) -> Expr {
        let span = self.span(&pair);
        let mut tokens: smallvec::SmallVec<[Token; 8]> = smallvec::SmallVec::new();
        let mut nots: Vec<Span> = Vec::new();
        for child in pair.into_inner() {
            let child_span = self.span(&child);
            let token = match child.as_rule() {
                Rule::not_op => {
                    nots.push(child_span);
                    continue;
                }
                Rule::or_op => Token::Op(Op::Or, child_span),
                Rule::and_op => Token::Op(Op::And, child_span),
                Rule::cmp_op => Token::Op(Op::Cmp(cmp_op(child.as_str())), child_span),
                Rule::add_op => {
                    let op = if child.as_str() == "+" {
                        AddOp::Add
                    } else {
                        AddOp::Sub
                    };
                    Token::Op(Op::Add(op), child_span)
                }
                Rule::in_suffix => {
                    let set = match child.into_inner().next() {
                        Some(list) if list.as_rule() == Rule::value_list => {
                            let list_span = self.span(&list);
                            let set: Vec<Expr> =
                                list.into_inner().map(|a| self.atom(a, depth)).collect();
                            if set.is_empty() {
                                self.empty_list(list_span, "`in`");
                            }
                            set
                        }
                        Some(atom) => vec![self.atom(atom, depth)],
                        None => Vec::new(),
                    };
                    Token::In(set, child_span)
                }
                _ => {
                    // The `not`s before an atom count toward the depth of what is inside it.
                    let atom = self.atom(child, depth + nots.len());
                    Token::Operand(std::mem::take(&mut nots), atom)
                }
            };
            tokens.push(token);
        }
        let mut climb = Climb {
            tokens: tokens.into_iter().peekable(),
            lower: self,
            depth,
        };
        let expr = climb.or();
        // Only `+`/`-` after an `in` list is left: `in` ends a comparison.
        if let Some(extra) = climb.tokens.next() {
            let at = extra.span();
            let operator = self.text.get(at.range()).unwrap_or("this");
            self.push(
                Diagnostic::new(
                    Code::E0001,
                    format!("`{operator}` cannot follow an `in` list"),
                    at,
                    "after the `in` list",
                )
                .with_help(
                    "`x in [a, b]` is a whole comparison; put a sum before `in`, in parentheses",
                ),
            );
            return Expr {
                kind: ExprKind::Error,
                span,
            };
        }
        if expr.kind == ExprKind::Error && expr.span.is_empty() {
            return Expr {
                kind: ExprKind::Error,
                span,
            };
        }
        expr
    }

    fn atom(&mut self, pair: P<'_>, depth: usize) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => {
                if depth + 1 > MAX_NESTING {
                    return self.too_deep(span);
                }
                match pair.into_inner().next() {
                    Some(inner) => {
                        let mut expr = self.expr(inner, depth + 1);
                        expr.span = span;
                        return expr;
                    }
                    None => ExprKind::Error,
                }
            }
            Rule::bool_lit => ExprKind::Bool(pair.as_str() == "true"),
            Rule::int => match self.int(pair.as_str(), span) {
                Some(n) => ExprKind::Int(n),
                None => ExprKind::Error,
            },
            Rule::decimal => match self.decimal(pair.as_str(), span) {
                Some(x) => ExprKind::Decimal(x),
                None => ExprKind::Error,
            },
            Rule::string => ExprKind::Str(self.string(pair).text),
            Rule::state_kw => ExprKind::State,
            Rule::path => match self.path(pair) {
                Some(path) => ExprKind::Path(path),
                None => ExprKind::Error,
            },
            Rule::link_ref => {
                let mut parts = pair.into_inner();
                let (Some(source), Some(target)) = (parts.next(), parts.next()) else {
                    return self.unexpected_expr(Rule::link_ref, span);
                };
                ExprKind::Link {
                    source: self.name(source),
                    target: self.name(target),
                    on_error: parts.next().is_some(),
                }
            }
            Rule::quantifier => {
                let mut parts = pair.into_inner();
                let kind = match parts.next().map(|p| p.as_str()) {
                    Some("any") => QuantKind::Any,
                    Some("all") => QuantKind::All,
                    Some("no") => QuantKind::No,
                    Some(_) => QuantKind::Count,
                    None => return self.unexpected_expr(Rule::quantifier, span),
                };
                let Some(children) = parts.next().map(|p| self.name(p)) else {
                    return self.unexpected_expr(Rule::quantifier, span);
                };
                let mut states = None;
                let mut filter = None;
                for part in parts {
                    let is_in = part.as_rule() == Rule::quant_in;
                    let Some(value) = part.into_inner().next() else {
                        continue;
                    };
                    if is_in {
                        let value_span = self.span(&value);
                        let names = self.names(Pairs::single(value));
                        match self.non_empty(names, value_span, "a quantifier's `in`") {
                            Some(names) => states = Some(names.into_vec()),
                            None => {
                                return Expr {
                                    kind: ExprKind::Error,
                                    span,
                                };
                            }
                        }
                    } else if depth + 1 > MAX_NESTING {
                        return self.too_deep(span);
                    } else {
                        filter = Some(Box::new(self.atom(value, depth + 1)));
                    }
                }
                ExprKind::Quantifier {
                    kind,
                    children,
                    states,
                    filter,
                }
            }
            other => return self.unexpected_expr(other, span),
        };
        Expr { kind, span }
    }

    fn too_deep(&mut self, span: Span) -> Expr {
        self.push(
            Diagnostic::new(
                Code::E0003,
                format!("expression nested more than {MAX_NESTING} levels deep"),
                span,
                "too deep",
            )
            .with_help(
                "split the expression with views, or remove redundant parentheses and `not`s",
            ),
        );
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }

    fn unexpected_expr(&mut self, rule: Rule, span: Span) -> Expr {
        self.unexpected::<()>(rule, span, "an expression");
        Expr {
            kind: ExprKind::Error,
            span,
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

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

/// A number as shown in a message: at most 24 characters.
fn shorten(text: &str) -> String {
    if text.len() <= 24 {
        return text.to_owned();
    }
    format!("{}…", text.get(..20).unwrap_or(text))
}

fn cmp_op(text: &str) -> CmpOp {
    match text {
        "==" => CmpOp::Eq,
        "!=" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" => CmpOp::Le,
        ">" => CmpOp::Gt,
        _ => CmpOp::Ge,
    }
}

// ---- precedence climbing over the flat token row ------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Or,
    And,
    Cmp(CmpOp),
    Add(AddOp),
}

enum Token {
    /// An atom and the `not`s written before it.
    Operand(Vec<Span>, Expr),
    Op(Op, Span),
    /// `in SET`
    In(Vec<Expr>, Span),
}

impl Token {
    fn span(&self) -> Span {
        match self {
            Token::Operand(_, expr) => expr.span,
            Token::Op(_, span) | Token::In(_, span) => *span,
        }
    }
}

/// Levels, loosest first: `or`, `and`, `not` (prefix), comparison / `in`, `+ -`. Each level is a
/// loop over its operator, so a long chain never deepens the recursion.
struct Climb<'l, 'a, I: Iterator<Item = Token>> {
    tokens: std::iter::Peekable<I>,
    lower: &'l mut Lower<'a>,
    depth: usize,
}

impl<I: Iterator<Item = Token>> Climb<'_, '_, I> {
    fn or(&mut self) -> Expr {
        self.logic(LogicOp::Or)
    }

    fn logic(&mut self, op: LogicOp) -> Expr {
        let (token_op, next): (Op, fn(&mut Self) -> Expr) = match op {
            LogicOp::Or => (Op::Or, |c| c.logic(LogicOp::And)),
            LogicOp::And => (Op::And, Self::not),
        };
        let first = next(self);
        let mut operands = vec![first];
        while matches!(self.tokens.peek(), Some(Token::Op(o, _)) if *o == token_op) {
            self.tokens.next();
            operands.push(next(self));
        }
        if operands.len() == 1 {
            return operands.pop().unwrap_or_else(error_expr);
        }
        let span = span_of(&operands);
        Expr {
            kind: ExprKind::Logic(op, operands),
            span,
        }
    }

    fn not(&mut self) -> Expr {
        let nots = match self.tokens.peek_mut() {
            Some(Token::Operand(nots, _)) => std::mem::take(nots),
            _ => Vec::new(),
        };
        let mut expr = self.compare();
        if self.depth + nots.len() > MAX_NESTING {
            let span = nots.first().copied().unwrap_or_default().to(expr.span);
            if expr.kind == ExprKind::Error {
                // Already reported, deeper inside.
                return Expr {
                    kind: ExprKind::Error,
                    span,
                };
            }
            return self.lower.too_deep(span);
        }
        for not in nots.into_iter().rev() {
            let span = not.to(expr.span);
            expr = Expr {
                kind: ExprKind::Not(Box::new(expr)),
                span,
            };
        }
        expr
    }

    fn compare(&mut self) -> Expr {
        let lhs = self.sum();
        let mut result = match self.tokens.peek() {
            Some(Token::Op(Op::Cmp(op), _)) => {
                let op = *op;
                self.tokens.next();
                let rhs = self.sum();
                let span = lhs.span.to(rhs.span);
                Expr {
                    kind: ExprKind::Compare(op, Box::new([lhs, rhs])),
                    span,
                }
            }
            Some(Token::In(..)) => match self.tokens.next() {
                Some(Token::In(set, in_span)) => {
                    let span = lhs.span.to(in_span);
                    Expr {
                        kind: ExprKind::In(Box::new(lhs), set),
                        span,
                    }
                }
                _ => lhs,
            },
            _ => return lhs,
        };
        // `a < b < c`: report once, and read the rest so the expression is still whole.
        let mut chained = false;
        loop {
            match self.tokens.peek() {
                Some(Token::Op(Op::Cmp(_), span)) | Some(Token::In(_, span)) => {
                    let span = *span;
                    if !chained {
                        self.lower.push(
                            Diagnostic::new(
                                Code::E0006,
                                "comparisons cannot be chained",
                                span,
                                "a second comparison",
                            )
                            .with_label(result.span, "this is already a comparison")
                            .with_help("join two comparisons with `and`, or add parentheses"),
                        );
                        chained = true;
                    }
                    if let Some(Token::In(..)) = self.tokens.next() {
                        continue;
                    }
                    let rhs = self.sum();
                    result.span = result.span.to(rhs.span);
                    result.kind = ExprKind::Error;
                }
                _ => return result,
            }
        }
    }

    fn sum(&mut self) -> Expr {
        let first = self.operand();
        let mut rest = Vec::new();
        while let Some(Token::Op(Op::Add(op), _)) = self.tokens.peek() {
            let op = *op;
            self.tokens.next();
            rest.push((op, self.operand()));
        }
        if rest.is_empty() {
            return first;
        }
        let span = rest
            .last()
            .map_or(first.span, |(_, last)| first.span.to(last.span));
        Expr {
            kind: ExprKind::Sum(Box::new(first), rest),
            span,
        }
    }

    /// An atom; `not` is not allowed here (it binds looser than comparisons and `+ -`).
    fn operand(&mut self) -> Expr {
        match self.tokens.next() {
            Some(Token::Operand(nots, expr)) => {
                if let Some(&first) = nots.first() {
                    let negated = self
                        .lower
                        .text
                        .get(first.to(expr.span).range())
                        .unwrap_or("not …");
                    self.lower.push(
                        Diagnostic::new(
                            Code::E0001,
                            "`not` cannot stand here without parentheses",
                            first,
                            "`not` binds looser than comparisons and `+ -`",
                        )
                        .with_help(format!(
                            "write `({negated})`, or move `not` before the comparison"
                        )),
                    );
                    return Expr {
                        kind: ExprKind::Error,
                        span: first.to(expr.span),
                    };
                }
                expr
            }
            Some(other) => {
                let span = other.span();
                self.lower.push(Diagnostic::new(
                    Code::E0007,
                    "internal error: an operator where an operand was expected",
                    span,
                    "wfl could not read this",
                ));
                Expr {
                    kind: ExprKind::Error,
                    span,
                }
            }
            None => error_expr(),
        }
    }
}

fn error_expr() -> Expr {
    Expr {
        kind: ExprKind::Error,
        span: Span::default(),
    }
}

fn span_of(exprs: &[Expr]) -> Span {
    match (exprs.first(), exprs.last()) {
        (Some(first), Some(last)) => first.span.to(last.span),
        _ => Span::default(),
    }
}
