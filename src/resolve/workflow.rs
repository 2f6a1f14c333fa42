//! Workflows: variables, tasks and their properties, links and their conditions.

use rustc_hash::FxHashMap;
use smol_str::SmolStr;

use super::expr::Scope;
use super::{DeclKind, EXPRESSION_KEYWORDS, Extras, Listed, Resolver, WorkflowName, WorkflowNames};
use crate::diagnostic::{Code, Diagnostic, join_listed};
use crate::model::*;
use crate::source::Span;
use crate::syntax::ast::{self, LiteralKind};

/// The properties a workflow accepts.
const WORKFLOW_PROPERTIES: &[&str] = &["continue_on_failure", "max_parallel", "start"];
/// The properties a task accepts.
const TASK_PROPERTIES: &[&str] = &["accept", "duration", "failure_rate"];
const ACCEPT_MODES: &[&str] = &["all_valid", "at_least_one"];

impl Resolver {
    pub(super) fn workflow(&mut self, w: &ast::Workflow) {
        let id = WorkflowId::from_index(self.program.workflows.len());
        self.program.workflows.push(Workflow {
            name: w.name.clone(),
            title: w.title.as_ref().map(|t| t.as_str().to_owned()),
            doc: w.doc.as_ref().map(|d| d.text.clone()),
            continue_on_failure: false,
            max_parallel: None,
            start: None,
            vars: Vec::new(),
            tasks: Vec::new(),
            links: Vec::new(),
            span: w.span,
        });
        let declared = w.vars.len() + w.tasks.iter().map(|t| t.names.len()).sum::<usize>();
        let mut names = WorkflowNames::default();
        names.names.reserve(declared);
        names.links.reserve(w.links.len());
        self.workflow_names.push(names);
        let mut first_span: FxHashMap<SmolStr, Span> = FxHashMap::default();
        first_span.reserve(declared);

        for decl in &w.vars {
            let var = self.var(decl);
            if self.declare_workflow_name(id, &decl.name, &mut first_span, "variable") {
                let workflow = &mut self.program.workflows[id.index()];
                let v = VarId::from_index(workflow.vars.len());
                workflow.vars.push(var);
                self.workflow_names[id.index()]
                    .names
                    .insert(decl.name.text.clone(), WorkflowName::Var(v));
            }
        }
        // Each task's first declaration: whether it has properties, and where the name is in it
        // (declaration, name).
        let mut with_properties: FxHashMap<&str, (bool, (usize, usize))> = FxHashMap::default();
        for (d, decl) in w.tasks.iter().enumerate() {
            let (accept, duration, failure_rate) = self.task_properties(&decl.properties);
            let has_properties = !decl.properties.is_empty();
            for (i, name) in decl.names.iter().enumerate() {
                if let Some(&(first_has, (fd, fi))) = with_properties.get(name.as_str())
                    && (first_has || has_properties)
                    && let Some(&first) = first_span.get(name.as_str())
                {
                    let earlier = &w.tasks[fd];
                    let lists = [
                        Listed::new(&earlier.names, fi, earlier.span),
                        Listed::new(&decl.names, i, decl.span),
                    ];
                    let has = [first_has, has_properties];
                    self.declared_twice_for_extras(
                        name,
                        first,
                        has,
                        Extras::TASK_PROPERTIES,
                        lists,
                    );
                    continue;
                }
                if !self.declare_workflow_name(id, name, &mut first_span, "task") {
                    continue;
                }
                with_properties.insert(name.as_str(), (has_properties, (d, i)));
                let workflow = &mut self.program.workflows[id.index()];
                let t = TaskId::from_index(workflow.tasks.len());
                workflow.tasks.push(Task {
                    name: name.clone(),
                    doc: decl.doc.as_ref().map(|d| d.text.clone()),
                    accept,
                    duration,
                    failure_rate,
                    decl_span: decl.span,
                });
                self.workflow_names[id.index()]
                    .names
                    .insert(name.text.clone(), WorkflowName::Task(t));
            }
        }
        self.workflow_properties(id, &w.properties);
        for link in &w.links {
            self.link(id, link);
        }
    }

    /// Adds `name` to the workflow's namespace; false (after reporting) when it cannot be.
    fn declare_workflow_name(
        &mut self,
        w: WorkflowId,
        name: &Name,
        first_span: &mut FxHashMap<SmolStr, Span>,
        kind: &str,
    ) -> bool {
        let declared = self.check_workflow_name(w, name, first_span, kind);
        if !declared {
            self.workflow_names[w.index()]
                .rejected
                .insert(name.as_str(), DeclKind::of(kind));
        }
        declared
    }

    fn check_workflow_name(
        &mut self,
        w: WorkflowId,
        name: &Name,
        first_span: &mut FxHashMap<SmolStr, Span>,
        kind: &str,
    ) -> bool {
        if self.reserved(
            kind,
            name,
            &["workflow"],
            "means the run's own state in scenarios",
        ) {
            return false;
        }
        if self.reserved(
            kind,
            name,
            EXPRESSION_KEYWORDS,
            "is a keyword in expressions",
        ) {
            return false;
        }
        if let Some(&first) = first_span.get(name.as_str()) {
            let first_kind = match self.workflow_names[w.index()].names.get(name.as_str()) {
                Some(WorkflowName::Var(_)) => "variable",
                _ => "task",
            };
            let owner = format!("workflow `{}`", self.program.workflow(w).name.as_str());
            self.defined_twice(
                name.as_str(),
                &owner,
                (first, first_kind),
                (name.span, kind),
                "tasks and variables of a workflow share one namespace",
            );
            return false;
        }
        first_span.insert(name.text.clone(), name.span);
        true
    }

    fn workflow_properties(&mut self, w: WorkflowId, properties: &[ast::Property]) {
        let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
        for property in properties {
            let key = property.key.as_str();
            if !self.known_property(property, WORKFLOW_PROPERTIES, "workflows", &mut seen) {
                continue;
            }
            match key {
                "continue_on_failure" => {
                    if let Some(b) = self.bool_property(property) {
                        self.program.workflows[w.index()].continue_on_failure = b;
                    }
                }
                "max_parallel" => {
                    if let Some(n) = self.count_property(property) {
                        self.program.workflows[w.index()].max_parallel = Some(n);
                    }
                }
                _ => {
                    let names: Vec<Name> = match &property.value.kind {
                        LiteralKind::List(names) => names.clone(),
                        LiteralKind::Ident(name) => vec![Name {
                            text: name.clone(),
                            span: property.value.span,
                        }],
                        other => {
                            self.property_type(
                                property,
                                "a task or a list of tasks `[a, b]`",
                                other,
                            );
                            continue;
                        }
                    };
                    if names.is_empty() {
                        self.push(
                            Diagnostic::new(
                                Code::E0300,
                                "`start` lists no task",
                                property.value.span,
                                "empty list",
                            )
                            .with_help("name at least one task, or remove `start` to start from every task with no incoming link"),
                        );
                        continue;
                    }
                    let tasks: Vec<Option<TaskId>> =
                        names.iter().map(|n| self.task_ref(w, n)).collect();
                    if let Some(tasks) = tasks.into_iter().collect::<Option<Vec<_>>>() {
                        self.program.workflows[w.index()].start = Some((tasks, property.span));
                    }
                }
            }
        }
    }

    /// The accept mode, duration and failure rate a task declaration sets.
    fn task_properties(&mut self, properties: &[ast::Property]) -> (Accept, u32, f64) {
        let mut accept = Accept::AllValid;
        let mut duration = 1;
        let mut failure_rate = 0.0;
        let mut seen: FxHashMap<&str, Span> = FxHashMap::default();
        for property in properties {
            if !self.known_property(property, TASK_PROPERTIES, "tasks", &mut seen) {
                continue;
            }
            match property.key.as_str() {
                "accept" => match &property.value.kind {
                    LiteralKind::Ident(mode) if &**mode == "all_valid" => accept = Accept::AllValid,
                    LiteralKind::Ident(mode) if &**mode == "at_least_one" => {
                        accept = Accept::AtLeastOne
                    }
                    LiteralKind::Ident(mode) => {
                        let diagnostic = Diagnostic::new(
                            Code::E0300,
                            format!("`{mode}` is not an accept mode"),
                            property.value.span,
                            "expected `all_valid` or `at_least_one`",
                        )
                        .with_suggestion(accept_synonym(mode).or_else(|| {
                            self.suggest
                                .did_you_mean(mode, ACCEPT_MODES.iter().copied())
                        }));
                        self.push(diagnostic);
                    }
                    other => self.property_type(property, "`all_valid` or `at_least_one`", other),
                },
                "duration" => {
                    if let Some(n) = self.count_property(property) {
                        duration = n;
                    }
                }
                _ => match property.value.kind {
                    LiteralKind::Decimal(x) if (0.0..=1.0).contains(&x) => failure_rate = x,
                    LiteralKind::Int(n @ (0 | 1)) => failure_rate = n as f64,
                    LiteralKind::Decimal(_) | LiteralKind::Int(_) => self.push(
                        Diagnostic::new(
                            Code::E0300,
                            "`failure_rate` must lie between 0 and 1",
                            property.value.span,
                            "outside 0..1",
                        )
                        .with_note(
                            "it is the chance that the task fails in a random run: 0.05 means 5%",
                        ),
                    ),
                    ref other => self.property_type(property, "a number between 0 and 1", other),
                },
            }
        }
        (accept, duration, failure_rate)
    }

    /// E0102 for an unknown key, E0105 for a repeated one; true when the property is usable.
    fn known_property<'p>(
        &mut self,
        property: &'p ast::Property,
        known: &[&str],
        owner: &str,
        seen: &mut FxHashMap<&'p str, Span>,
    ) -> bool {
        let key = property.key.as_str();
        if !known.contains(&key) {
            let list: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            let diagnostic = Diagnostic::new(
                Code::E0102,
                format!("unknown property `{key}`"),
                property.key.span,
                format!("{owner} have no property `{key}`"),
            )
            .with_note(format!("{owner} have the properties {}", list.join(", ")))
            .with_suggestion(self.suggest.did_you_mean(key, known.iter().copied()));
            self.push(diagnostic);
            return false;
        }
        if let Some(&first) = seen.get(key) {
            self.push(
                Diagnostic::new(
                    Code::E0105,
                    format!("property `{key}` is set twice"),
                    property.span,
                    "set again here",
                )
                .with_label(first, "first set here")
                .with_help("remove one of them")
                .with_fix("remove this one", property.span, ""),
            );
            return false;
        }
        seen.insert(key, property.span);
        true
    }

    fn bool_property(&mut self, property: &ast::Property) -> Option<bool> {
        match &property.value.kind {
            LiteralKind::Bool(b) => Some(*b),
            other => {
                self.property_type(property, "`true` or `false`", other);
                None
            }
        }
    }

    /// A positive count (`duration`, `max_parallel`).
    fn count_property(&mut self, property: &ast::Property) -> Option<u32> {
        match property.value.kind {
            LiteralKind::Int(n) => match u32::try_from(n) {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    self.push(Diagnostic::new(
                        Code::E0300,
                        format!(
                            "`{}` must be a whole number from 1 to {}",
                            property.key.as_str(),
                            u32::MAX
                        ),
                        property.value.span,
                        format!("`{n}` is {}", if n < 1 { "too small" } else { "too large" }),
                    ));
                    None
                }
            },
            ref other => {
                self.property_type(property, "a whole number of at least 1", other);
                None
            }
        }
    }

    fn property_type(&mut self, property: &ast::Property, expected: &str, found: &LiteralKind) {
        self.push(Diagnostic::new(
            Code::E0300,
            format!("`{}` must be {expected}", property.key.as_str()),
            property.value.span,
            format!("this is {}", super::vars::literal_words(found)),
        ));
    }

    /// One model link per (source, target) pair the statement stands for.
    fn link(&mut self, w: WorkflowId, link: &ast::Link) {
        let sources: smallvec::SmallVec<[Option<TaskId>; 1]> =
            link.sources.iter().map(|n| self.task_ref(w, n)).collect();
        let targets: smallvec::SmallVec<[Option<TaskId>; 1]> =
            link.targets.iter().map(|n| self.task_ref(w, n)).collect();
        let pairs = sources.len().saturating_mul(targets.len());
        let each = 1 + link.condition.as_ref().map_or(0, ast::Expr::size);
        let stands_for = || match link.condition {
            Some(_) => format!("{pairs} links, each with its own copy of the condition"),
            None => format!("{pairs} links"),
        };
        let copies = pairs.saturating_sub(1).saturating_mul(each);
        let ends = match (link.sources.first(), link.targets.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => link.span,
        };
        if !self.copy(copies, ends, stands_for) {
            return;
        }
        // A condition that does not resolve has been reported; the link is still declared, so
        // that the scenarios which name it find it (one mistake, one error). A program with
        // errors is never checked further nor run, so the missing condition changes nothing.
        let mut condition = link
            .condition
            .as_ref()
            .and_then(|c| self.bool_expr(Scope::Workflow(w), c, "a link condition"));
        let kind = if link.on_error.is_some() {
            LinkKind::Error
        } else {
            LinkKind::Normal
        };
        // The pairs this statement repeats, and where the first of them was declared: one
        // finding for the statement, however many pairs its lists repeat.
        let mut twice: Vec<String> = Vec::new();
        let mut first_declared = None;
        let mut pairs_left = sources.len() * targets.len();
        for (source, source_name) in sources.iter().zip(&link.sources) {
            for (target, target_name) in targets.iter().zip(&link.targets) {
                pairs_left -= 1;
                let (Some(source), Some(target)) = (*source, *target) else {
                    continue;
                };
                let key = (source, target, kind);
                if let Some(&first) = self.workflow_names[w.index()].links.get(&key) {
                    first_declared.get_or_insert(self.program.workflow(w).link(first).span);
                    twice.push(format!(
                        "`{} -> {}`",
                        source_name.as_str(),
                        target_name.as_str()
                    ));
                    continue;
                }
                let workflow = &mut self.program.workflows[w.index()];
                let id = LinkId::from_index(workflow.links.len());
                workflow.links.push(Link {
                    source,
                    target,
                    kind,
                    // Each pair its own copy; the last one takes the original.
                    condition: if pairs_left == 0 {
                        condition.take()
                    } else {
                        condition.clone()
                    },
                    span: link.span,
                    source_span: source_name.span,
                    target_span: target_name.span,
                });
                self.workflow_names[w.index()].links.insert(key, id);
            }
        }
        if let Some(first) = first_declared {
            let kind = if kind == LinkKind::Error {
                "error link"
            } else {
                "link"
            };
            let message = match twice.as_slice() {
                [one] => format!("{kind} {one} is declared twice"),
                _ => format!(
                    "{kind}s {} are declared twice",
                    join_listed(twice.iter(), ", ")
                ),
            };
            self.push(
                Diagnostic::new(Code::E0405, message, link.span, "declared again here")
                    .with_label(first, "first declared here")
                    .with_help(
                        "keep one link; to require several conditions, join them with `and`",
                    ),
            );
        }
    }
}

/// The accept mode other tools' words for it mean: `any` (BPMN's inclusive join reads so) is
/// `at_least_one`, `all` is `all_valid`.
fn accept_synonym(word: &str) -> Option<&'static str> {
    match word {
        "any" | "one" | "either" | "some" | "or" | "first" => Some("at_least_one"),
        "all" | "every" | "each" | "both" | "and" | "all_ok" | "all_accepted" => Some("all_valid"),
        _ => None,
    }
}
