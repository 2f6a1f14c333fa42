//! Machines: the signature (states, variables, children, view names) first, so every expression
//! anywhere can refer to any machine; then the bodies (initial rules, transitions, hooks, views).

use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use super::events::Place;
use super::expr::Scope;
use super::{DeclKind, EXPRESSION_KEYWORDS, Extras, Listed, MachineName, MachineNames, Resolver};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast;

impl Resolver {
    pub(super) fn machine_signature(&mut self, m: &ast::Machine) {
        let id = MachineId::from_index(self.program.machines.len());
        self.program.machines.push(Machine {
            name: m.name.clone(),
            title: m.title.as_ref().map(|t| t.as_str().to_owned()),
            doc: m.doc.as_ref().map(|d| d.text.clone()),
            vars: Vec::new(),
            children: Vec::new(),
            events: None,
            actors: None,
            origins: Vec::new(),
            states: Vec::new(),
            initials: Vec::new(),
            transitions: Vec::new(),
            views: Vec::new(),
            span: m.span,
        });
        self.machine_names.push(MachineNames::default());

        // Each state's first declaration, whether that declaration has hooks, and where the name
        // is in it (declaration, name).
        let mut state_spans: FxHashMap<SmolStr, (Span, bool, (usize, usize))> =
            FxHashMap::default();
        for (d, decl) in m.states.iter().enumerate() {
            for (i, name) in decl.names.iter().enumerate() {
                if self.reserved(
                    "state",
                    name,
                    &["history", "initial"],
                    "is a keyword of transitions",
                ) || self.reserved(
                    "state",
                    name,
                    EXPRESSION_KEYWORDS,
                    "is a keyword in expressions, where states are compared",
                ) {
                    self.machine_names[id.index()]
                        .rejected_states
                        .insert(name.text.clone());
                    continue;
                }
                if let Some(&(first, first_hooks, (fd, fi))) = state_spans.get(name.as_str()) {
                    let has = [first_hooks, !decl.hooks.is_empty()];
                    if has.contains(&true) {
                        let earlier = &m.states[fd];
                        let lists = [
                            Listed::new(&earlier.names, fi, earlier.span),
                            Listed::new(&decl.names, i, decl.span),
                        ];
                        self.declared_twice_for_extras(
                            name,
                            first,
                            has,
                            Extras::STATE_HOOKS,
                            lists,
                        );
                    } else {
                        self.duplicate("state", name, first);
                    }
                    continue;
                }
                state_spans.insert(
                    name.text.clone(),
                    (name.span, !decl.hooks.is_empty(), (d, i)),
                );
                let machine = &mut self.program.machines[id.index()];
                let s = StateId::from_index(machine.states.len());
                machine.states.push(State {
                    name: name.clone(),
                    doc: decl.doc.as_ref().map(|d| d.text.clone()),
                    kind: decl.kind,
                    on_enter: Vec::new(),
                    on_exit: Vec::new(),
                });
                self.machine_names[id.index()]
                    .states
                    .insert(name.text.clone(), s);
            }
        }

        let mut name_spans: FxHashMap<SmolStr, Span> = FxHashMap::default();
        for decl in &m.vars {
            let var = self.var(decl);
            if self.declare_machine_name(id, &decl.name, &mut name_spans, "variable") {
                let machine = &mut self.program.machines[id.index()];
                let v = VarId::from_index(machine.vars.len());
                machine.vars.push(var);
                self.machine_names[id.index()]
                    .names
                    .insert(decl.name.text.clone(), MachineName::Var(v));
            }
        }
        for decl in &m.children {
            let declared =
                self.declare_machine_name(id, &decl.name, &mut name_spans, "children declaration")
                    && !self.reserved(
                        "children declaration",
                        &decl.name,
                        &["parent"],
                        "is where `send … to parent` goes",
                    );
            let Some(child) = self.machine_ref(&decl.machine) else {
                self.machine_names[id.index()]
                    .rejected
                    .insert(decl.name.as_str(), DeclKind::Children);
                continue;
            };
            if !declared {
                self.machine_names[id.index()]
                    .rejected
                    .insert(decl.name.as_str(), DeclKind::Children);
            } else {
                let machine = &mut self.program.machines[id.index()];
                let c = ChildrenId::from_index(machine.children.len());
                machine.children.push(Children {
                    name: decl.name.clone(),
                    machine: child,
                    span: decl.span,
                });
                self.machine_names[id.index()]
                    .names
                    .insert(decl.name.text.clone(), MachineName::Children(c));
            }
        }
        for decl in &m.views {
            if self.declare_machine_name(id, &decl.name, &mut name_spans, "view") {
                let machine = &mut self.program.machines[id.index()];
                let v = ViewId::from_index(machine.views.len());
                machine.views.push(View {
                    name: decl.name.clone(),
                    doc: decl.doc.as_ref().map(|d| d.text.clone()),
                    // Replaced by the resolved body in `machine_body`.
                    expr: Expr {
                        kind: ExprKind::Const(Value::Bool(false)),
                        ty: Type::Bool,
                        span: decl.expr.span,
                    },
                    span: decl.span,
                });
                self.machine_names[id.index()]
                    .names
                    .insert(decl.name.text.clone(), MachineName::View(v));
            }
        }
        self.declare_events_and_actors(id, m);
    }

    fn declare_machine_name(
        &mut self,
        m: MachineId,
        name: &Name,
        spans: &mut FxHashMap<SmolStr, Span>,
        kind: &str,
    ) -> bool {
        let declared = self.check_machine_name(m, name, spans, kind);
        if !declared {
            self.machine_names[m.index()]
                .rejected
                .insert(name.as_str(), DeclKind::of(kind));
        }
        declared
    }

    fn check_machine_name(
        &mut self,
        m: MachineId,
        name: &Name,
        spans: &mut FxHashMap<SmolStr, Span>,
        kind: &str,
    ) -> bool {
        if self.reserved(
            kind,
            name,
            EXPRESSION_KEYWORDS,
            "is a keyword in expressions",
        ) {
            return false;
        }
        if let Some(&first) = spans.get(name.as_str()) {
            let first_kind = match self.machine_names[m.index()].names.get(name.as_str()) {
                Some(MachineName::Var(_)) => "variable",
                Some(MachineName::View(_)) => "view",
                Some(MachineName::Children(_)) => "children declaration",
                None => kind,
            };
            let owner = format!("machine `{}`", self.program.machine(m).name.as_str());
            self.defined_twice(
                name.as_str(),
                &owner,
                (first, first_kind),
                (name.span, kind),
                "variables, views and children of a machine share one namespace",
            );
            return false;
        }
        spans.insert(name.text.clone(), name.span);
        true
    }

    pub(super) fn machine_body(&mut self, id: MachineId, m: &ast::Machine) {
        let scope = Scope::Machine(id);
        let mut initials = Vec::new();
        for rule in &m.initials {
            let target = self.state_ref(id, &rule.target);
            if let Some(at) = rule.guard.as_ref().and_then(own_state) {
                self.push(
                    Diagnostic::new(
                        Code::E0201,
                        "`state` cannot be used in an `initial` guard",
                        at,
                        "the instance has no state yet",
                    )
                    .with_note(
                        "`initial` rules choose the first state; they run before there is one",
                    ),
                );
                continue;
            }
            let guard = match &rule.guard {
                Some(g) => match self.bool_expr(scope, g, "an `initial` guard") {
                    Some(g) => Some(g),
                    None => continue,
                },
                None => None,
            };
            if let Some(target) = target {
                initials.push(Initial {
                    target,
                    guard,
                    span: rule.span,
                });
            }
        }

        let mut transitions = Vec::new();
        for t in &m.transitions {
            if let Some(transition) = self.transition(id, t) {
                transitions.push(transition);
            }
        }

        let mut enter: Vec<(StateId, Vec<Action>)> = Vec::new();
        let mut exit: Vec<(StateId, Vec<Action>)> = Vec::new();
        for decl in &m.states {
            let size: usize = (decl.hooks.iter().flat_map(|h| &h.actions))
                .map(ast::Action::size)
                .sum();
            let states = decl.names.len();
            let copies = states.saturating_sub(1).saturating_mul(size);
            let stands_for = || format!("{states} states, each with its own copy of the hooks");
            let names = match (decl.names.first(), decl.names.last()) {
                (Some(first), Some(last)) => first.span.to(last.span),
                _ => decl.span,
            };
            if !decl.hooks.is_empty() && !self.copy(copies, names, stands_for) {
                continue;
            }
            for hook in &decl.hooks {
                let actions = self.actions(id, &hook.actions);
                for name in &decl.names {
                    let Some(&s) = self.machine_names[id.index()].states.get(name.as_str()) else {
                        continue;
                    };
                    let list = match hook.kind {
                        HookKind::Enter => &mut enter,
                        HookKind::Exit => &mut exit,
                    };
                    list.push((s, actions.clone()));
                }
            }
        }

        let mut views = Vec::new();
        for decl in &m.views {
            if let Some(&MachineName::View(v)) =
                self.machine_names[id.index()].names.get(decl.name.as_str())
                && let Some(expr) = self.bool_expr(scope, &decl.expr, "a view")
            {
                views.push((v, expr));
            }
        }

        let machine = &mut self.program.machines[id.index()];
        machine.initials = initials;
        machine.transitions = transitions;
        for (s, actions) in enter {
            machine.states[s.index()].on_enter.extend(actions);
        }
        for (s, actions) in exit {
            machine.states[s.index()].on_exit.extend(actions);
        }
        for (v, expr) in views {
            machine.views[v.index()].expr = expr;
        }
        self.view_cycles(id);
        self.initial_views_of_state(id);
    }

    fn transition(&mut self, m: MachineId, t: &ast::Transition) -> Option<Transition> {
        let (sources, source_spans, any_source) = match &t.sources {
            ast::Sources::Any(span) => {
                let machine = self.program.machine(m);
                let sources: Vec<StateId> = machine
                    .state_ids()
                    .filter(|&s| machine.state(s).kind != StateKind::Final)
                    .collect();
                let n = sources.len();
                let stands_for = || format!("a transition from each of {n} states");
                if !self.copy(n.saturating_sub(1), *span, stands_for) {
                    return None;
                }
                let spans = vec![*span; sources.len()];
                (Some(sources), spans, true)
            }
            ast::Sources::List(names) => {
                let spans = names.iter().map(|n| n.span).collect();
                (self.state_refs(m, names), spans, false)
            }
        };
        let (target, target_span) = match &t.target {
            ast::Target::History(span) => (Some(Target::History), *span),
            ast::Target::State(name) => (self.state_ref(m, name).map(Target::State), name.span),
        };
        let events = self.transition_events(m, t);
        // Each source state lists the transition under each of its events (in the interpreter
        // and the explorer): `*` with many events stands for their product.
        let sources_n = sources.as_ref().map_or(0, Vec::len);
        let k = t.events.len();
        let listed = sources_n.saturating_mul(k.saturating_sub(1));
        let stands_for = || {
            format!("a transition listed under each of {k} events in each of {sources_n} states")
        };
        if !self.copy(listed, t.span, stands_for) {
            return None;
        }
        let actor = match &t.actor {
            Some(a) => self.actor_for(m, a, Place::Transition).map(Some),
            None => Some(None),
        };
        let guard = match &t.guard {
            Some(g) => Some(self.bool_expr(Scope::Machine(m), g, "a transition guard")?),
            None => None,
        };
        let actions = self.actions(m, &t.actions);
        Some(Transition {
            sources: sources?,
            any_source,
            source_spans,
            target: target?,
            target_span,
            events: events?,
            actor: actor?,
            guard,
            actions,
            doc: t.doc.as_ref().map(|d| d.text.clone()),
            span: t.span,
        })
    }

    /// The events of transition `t` of machine `m` (none for an event-less one), each checked
    /// against the events `m` declares; `None` when one is not among them (E0106, reported for
    /// each). The one place that reads a transition's events.
    fn transition_events(&mut self, m: MachineId, t: &ast::Transition) -> Option<Vec<EventId>> {
        let mut events = Vec::with_capacity(t.events.len());
        let mut known = true;
        for e in &t.events {
            match self.event_for(m, e, Place::Transition) {
                Some(id) => events.push(id),
                None => known = false,
            }
        }
        known.then_some(events)
    }

    fn actions(&mut self, m: MachineId, actions: &[ast::Action]) -> Vec<Action> {
        let mut out = Vec::with_capacity(actions.len());
        for action in actions {
            let kind = match &action.kind {
                ast::ActionKind::Set { var, value } => {
                    let Some((v, ty)) = self.var_ref(m, var) else {
                        continue;
                    };
                    let Some(value) = self.expr(Scope::Machine(m), value, Some(ty)) else {
                        continue;
                    };
                    let what = format!("the value of `{}`", var.as_str());
                    let Some(value) = self.expect_type(value, ty, &what) else {
                        continue;
                    };
                    // A constant outside the variable's range could never be stored.
                    if let (ExprKind::Const(Value::Int(n)), Type::Int { min, max }) =
                        (&value.kind, ty)
                        && (*n < min || *n > max)
                    {
                        let declared = self.program.machine(m).vars[v.index()].span;
                        self.push(
                            Diagnostic::new(
                                Code::E0302,
                                format!(
                                    "`{n}` is outside `{min}..{max}`, the range of `{}`",
                                    var.as_str()
                                ),
                                value.span,
                                "out of range",
                            )
                            .with_label(declared, "the range is declared here"),
                        );
                        continue;
                    }
                    ActionKind::Set { var: v, value }
                }
                ast::ActionKind::Send { event, target } => {
                    let (event, target) = match target {
                        ast::SendTarget::Parent(_) => {
                            (self.event_for_parents(m, event), SendTarget::Parent)
                        }
                        ast::SendTarget::Children { name, states } => {
                            let Some((children, states)) = self.send_group(m, name, states) else {
                                continue;
                            };
                            let event = self.event_for_group(m, children, event, name);
                            (event, SendTarget::Children { children, states })
                        }
                        ast::SendTarget::One { name, states } => {
                            let Some((children, states)) = self.send_group(m, name, states) else {
                                continue;
                            };
                            let event = self.event_for_group(m, children, event, name);
                            (event, SendTarget::One { children, states })
                        }
                        ast::SendTarget::Index { name, index } => {
                            let children = self.children_ref(m, name);
                            let Some(index) = self.child_index(m, index) else {
                                continue;
                            };
                            let Some(children) = children else {
                                continue;
                            };
                            let event = self.event_for_group(m, children, event, name);
                            (event, SendTarget::Index { children, index })
                        }
                    };
                    let Some(event) = event else {
                        continue;
                    };
                    ActionKind::Send { event, target }
                }
                ast::ActionKind::Raise { event } => {
                    let Some(event) = self.event_for(m, event, Place::Own) else {
                        continue;
                    };
                    ActionKind::Raise { event }
                }
            };
            out.push(Action {
                kind,
                span: action.span,
            });
        }
        out
    }

    /// The group of a `send … to [one] GROUP [in STATES]` and its states, named in the group's
    /// machine.
    fn send_group(
        &mut self,
        m: MachineId,
        name: &Name,
        states: &Option<Vec<Name>>,
    ) -> Option<(ChildrenId, Option<Vec<StateId>>)> {
        let c = self.children_ref(m, name)?;
        let child = self.program.machine(m).children[c.index()].machine;
        let states = match states {
            Some(names) => Some(self.state_refs(child, names)?),
            None => None,
        };
        Some((c, states))
    }

    /// The event of a send to group `children` of machine `m` (or to one child of it), checked
    /// against the events the group's machine declares.
    fn event_for_group(
        &mut self,
        m: MachineId,
        children: ChildrenId,
        event: &Name,
        group: &Name,
    ) -> Option<EventId> {
        let child = self.program.machine(m).children[children.index()].machine;
        self.event_for(child, event, Place::Children(group))
    }

    /// The index of `send … to GROUP[INDEX]`: an `int` expression in the sender's scope; a
    /// constant below zero names no child (E0302).
    fn child_index(&mut self, m: MachineId, index: &ast::Expr) -> Option<Expr> {
        let value = self.expr(Scope::Machine(m), index, Some(Type::INT))?;
        let value = self.expect_type(value, Type::INT, "the index of a child")?;
        if let ExprKind::Const(Value::Int(n)) = value.kind
            && n < 0
        {
            self.push(
                Diagnostic::new(
                    Code::E0302,
                    format!("`{n}` is not the index of a child"),
                    value.span,
                    "below zero",
                )
                .with_note("children are numbered from 0, in the order they are spawned"),
            );
            return None;
        }
        Some(value)
    }

    /// Variable `name` of machine `m` and its type.
    pub(super) fn var_ref(&mut self, m: MachineId, name: &Name) -> Option<(VarId, Type)> {
        let machine = self.program.machine(m);
        let names = &self.machine_names[m.index()];
        match names.names.get(name.as_str()) {
            Some(&MachineName::Var(v)) => {
                let ty = machine.vars[v.index()].ty;
                self.refer(name.span, super::Def::MachineVar(m, v));
                Some((v, ty))
            }
            _ if names.rejected.any(name.as_str(), &[DeclKind::Var]) => None,
            Some(other) => {
                let (what, note) = match other {
                    MachineName::View(_) => (
                        "a view",
                        "a view is computed from variables and states: set those instead",
                    ),
                    _ => (
                        "a group of children",
                        "children are instances with variables of their own",
                    ),
                };
                self.push(
                    Diagnostic::new(
                        Code::E0103,
                        format!("`{}` is {what}, not a variable", name.as_str()),
                        name.span,
                        "only variables can be set",
                    )
                    .with_note(note),
                );
                None
            }
            None => {
                let close = self
                    .suggest
                    .did_you_mean(name.as_str(), machine.vars.iter().map(|v| v.name.as_str()));
                let diagnostic = Diagnostic::new(
                    Code::E0101,
                    format!(
                        "machine `{}` has no variable `{}`",
                        machine.name.as_str(),
                        name.as_str()
                    ),
                    name.span,
                    "unknown variable",
                )
                .with_suggestion(close);
                self.push(diagnostic);
                None
            }
        }
    }

    /// E0407 for every cycle of views defined through each other.
    fn view_cycles(&mut self, m: MachineId) {
        let machine = self.program.machine(m);
        let mut edges = Vec::new();
        for (v, view) in machine.views.iter().enumerate() {
            view.expr.walk_scope(&mut |e| {
                if let ExprKind::View(used) = e.kind {
                    edges.push((v, used.index()));
                }
            });
        }
        let graph = crate::graph::Graph::new(
            machine.views.len(),
            edges
                .iter()
                .enumerate()
                .map(|(i, &(from, to))| (from, to, i)),
        );
        let mut diagnostics = Vec::new();
        for cycle in graph.cycles() {
            let views: Vec<usize> = cycle
                .iter()
                .filter_map(|&e| edges.get(e).map(|&(from, _)| from))
                .collect();
            let Some(&first) = views.first() else {
                continue;
            };
            let mut names: Vec<&str> = views
                .iter()
                .map(|&v| machine.views[v].name.as_str())
                .collect();
            names.push(machine.views[first].name.as_str());
            let message = if views.len() == 1 {
                format!("view `{}` is defined in terms of itself", names[0])
            } else {
                format!(
                    "views are defined in terms of each other: `{}`",
                    names.join(" -> ")
                )
            };
            let mut diagnostic = Diagnostic::new(
                Code::E0407,
                message,
                machine.views[first].name.span,
                "this view depends on itself",
            );
            for &v in views.iter().skip(1) {
                diagnostic = diagnostic.with_label(machine.views[v].name.span, "part of the cycle");
            }
            diagnostics
                .push(
                    diagnostic
                        .with_note("a view in a cycle has no value to start from: computing it needs its own value")
                        .with_help(if views.len() == 1 {
                            "define it from variables, states and other views"
                        } else {
                            "define one of them from variables and states only"
                        }),
                );
        }
        self.diagnostics.extend(diagnostics);
    }
}

impl Resolver {
    /// E0201 for an `initial` guard that reads the instance's own state through a view.
    fn initial_views_of_state(&mut self, m: MachineId) {
        let machine = self.program.machine(m);
        if machine.initials.iter().all(|i| i.guard.is_none()) {
            return;
        }
        let reads = views_reading_state(machine);
        let mut findings = Vec::new();
        for initial in &machine.initials {
            let Some(guard) = &initial.guard else {
                continue;
            };
            let mut views = Vec::new();
            guard.walk_scope(&mut |e| {
                if let ExprKind::View(v) = e.kind {
                    views.push((v.index(), e.span));
                }
            });
            if let Some(&(v, span)) = views.iter().find(|&&(v, _)| reads[v]) {
                findings.push(
                    Diagnostic::new(
                        Code::E0201,
                        format!(
                            "view `{}` reads `state`, which an `initial` guard cannot",
                            machine.views[v].name.as_str()
                        ),
                        span,
                        "the instance has no state yet",
                    )
                    .with_label(
                        machine.views[v].span,
                        "this view reads the instance's state",
                    )
                    .with_note(
                        "`initial` rules choose the first state; they run before there is one",
                    ),
                );
            }
        }
        self.diagnostics.extend(findings);
    }
}

/// Which views read `state`, directly or through the views they use. Without recursion: a chain of
/// views may be as long as the file. (Views in a cycle are E0407; here they read `state` when one
/// of them does.)
fn views_reading_state(machine: &Machine) -> Vec<bool> {
    let mut reads = vec![false; machine.views.len()];
    // `users[u]`: the views whose definitions use view `u`.
    let mut users: Vec<Vec<usize>> = vec![Vec::new(); machine.views.len()];
    for (v, view) in machine.views.iter().enumerate() {
        view.expr.walk_scope(&mut |e| match e.kind {
            ExprKind::State => reads[v] = true,
            ExprKind::View(u) => {
                if let Some(list) = users.get_mut(u.index()) {
                    list.push(v);
                }
            }
            _ => {}
        });
    }
    let mut pending: Vec<usize> = (0..reads.len()).filter(|&v| reads[v]).collect();
    while let Some(u) = pending.pop() {
        for &v in &users[u] {
            if !reads[v] {
                reads[v] = true;
                pending.push(v);
            }
        }
    }
    reads
}

/// Where `e` reads the instance's own `state` (not a child's, inside a quantifier's filter).
fn own_state(e: &ast::Expr) -> Option<Span> {
    use ast::ExprKind as K;
    match &e.kind {
        K::State => Some(e.span),
        K::Not(inner) => own_state(inner),
        K::Logic(_, operands) => operands.iter().find_map(own_state),
        K::Compare(_, operands) => operands.iter().find_map(own_state),
        K::In(lhs, set) => own_state(lhs).or_else(|| set.iter().find_map(own_state)),
        K::Sum(first, rest) => {
            own_state(first).or_else(|| rest.iter().find_map(|(_, e)| own_state(e)))
        }
        K::Bool(_)
        | K::Int(_)
        | K::Decimal(_)
        | K::Str(_)
        | K::Path(_)
        | K::Quantifier { .. }
        | K::Link { .. }
        | K::Error => None,
    }
}
