//! What hovering a name shows: its declaration, doc comment, type and domain, a state's
//! transitions; on a diagnostic code (in a suppression comment, say), what `wfl explain` prints.

use crate::diagnostic::{Code, join_listed};
use crate::lsp::document::Document;
use crate::model::*;
use crate::resolve::Def;

/// The Markdown shown for the name or code at byte `offset`.
pub fn hover(doc: &Document, offset: usize) -> Option<(String, crate::source::Span)> {
    if let Some((symbol, span)) = doc.index.at(offset) {
        return Some((describe(doc, doc.index.symbols[symbol].def), span));
    }
    let (word, span) = word_at(doc.text(), offset)?;
    let explanation = Code::lookup(word)?.explanation()?;
    Some((explanation.to_owned(), span))
}

/// The word (letters, digits, `_`) around byte `offset`, and its span.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, crate::source::Span)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word(c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = offset
        + text[offset..]
            .find(|c: char| !is_word(c))
            .unwrap_or(text.len() - offset);
    (start < end).then(|| (&text[start..end], crate::source::Span::new(start, end)))
}

/// A code block of `wfl` followed by the paragraphs of `parts` that are there.
fn markdown(head: &str, parts: &[Option<String>]) -> String {
    let mut out = format!("```wfl\n{head}\n```");
    for part in parts.iter().flatten() {
        out.push_str("\n\n");
        out.push_str(part);
    }
    out
}

/// The first line of the text at `span`, trimmed: a declaration as written.
fn first_line(doc: &Document, span: crate::source::Span) -> String {
    let text = doc.source.slice(span);
    let line = text.lines().next().unwrap_or("").trim();
    line.chars().take(200).collect()
}

fn describe(doc: &Document, def: Def) -> String {
    let p = &doc.program;
    match def {
        Def::Workflow(w) => {
            let w = p.workflow(w);
            markdown(
                &format!("workflow {}", w.name.as_str()),
                &[w.title.clone(), w.doc.clone()],
            )
        }
        Def::Machine(m) => {
            let m = p.machine(m);
            let states = m.states.iter().map(|s| format!("`{}`", s.name.as_str()));
            markdown(
                &format!("machine {}", m.name.as_str()),
                &[
                    m.title.clone(),
                    m.doc.clone(),
                    Some(format!("states: {}", join_listed(states, ", "))),
                ],
            )
        }
        Def::Scenario(i) => {
            let s = &p.scenarios[i];
            let target = match s.target {
                ScenarioTarget::Workflow(w) => p.workflow(w).name.as_str(),
                ScenarioTarget::Machine(m) => p.machine(m).name.as_str(),
            };
            markdown(
                &format!("scenario {:?} for {target}", s.name.as_str()),
                &[s.doc.clone(), Some(format!("{} steps", s.steps.len()))],
            )
        }
        Def::Task(w, t) => task(doc, w, t),
        Def::WorkflowVar(w, v) => var(p, &p.workflow(w).vars[v.index()]),
        Def::MachineVar(m, v) => var(p, &p.machine(m).vars[v.index()]),
        Def::State(m, s) => state(doc, m, s),
        Def::View(m, v) => {
            let view = &p.machine(m).views[v.index()];
            markdown(&first_line(doc, view.span), std::slice::from_ref(&view.doc))
        }
        Def::Children(m, c) => {
            let children = &p.machine(m).children[c.index()];
            let of = p.machine(children.machine).name.as_str();
            markdown(
                &format!("children {}: {of}", children.name.as_str()),
                &[Some(format!("a group of `{of}` instances"))],
            )
        }
        Def::Event(e) => event_or_actor(doc, "event", p.event(e), |t| t.events.contains(&e)),
        Def::Actor(a) => event_or_actor(doc, "actor", p.actor(a), |t| t.actor == Some(a)),
        Def::Member(e, i) => {
            let members = &p.enum_type(e).members;
            let name = members.get(i as usize).map_or("", |m| m.as_str());
            let all = members.iter().map(|m| m.as_str()).collect::<Vec<_>>();
            markdown(
                name,
                &[Some(format!("a member of `{{{}}}`", all.join(", ")))],
            )
        }
    }
}

fn task(doc: &Document, w: WorkflowId, t: TaskId) -> String {
    let workflow = doc.program.workflow(w);
    let task = workflow.task(t);
    let accept = match task.accept {
        Accept::AllValid => "all_valid",
        Accept::AtLeastOne => "at_least_one",
    };
    let names = |ids: Vec<TaskId>| {
        let names = ids
            .into_iter()
            .map(|id| format!("`{}`", workflow.task(id).name.as_str()));
        join_listed(names, ", ")
    };
    let before: Vec<TaskId> = (workflow.links.iter())
        .filter(|l| l.target == t)
        .map(|l| l.source)
        .collect();
    let after: Vec<TaskId> = (workflow.links.iter())
        .filter(|l| l.source == t)
        .map(|l| l.target)
        .collect();
    let mut facts = format!(
        "accept = {accept}, duration = {}, failure_rate = {}",
        task.duration, task.failure_rate
    );
    if !before.is_empty() {
        facts.push_str(&format!("\n\nlinks from {}", names(before)));
    }
    if !after.is_empty() {
        facts.push_str(&format!("\n\nlinks to {}", names(after)));
    }
    markdown(
        &format!(
            "task {} // in workflow {}",
            task.name.as_str(),
            workflow.name.as_str()
        ),
        &[task.doc.clone(), Some(facts)],
    )
}

/// `var name: TYPE = DEFAULT`, with its doc: the type says the domain (`int 0..9`, `{a, b}`).
fn var(p: &Program, var: &Var) -> String {
    markdown(
        &format!(
            "var {}: {} = {}",
            var.name.as_str(),
            type_text(p, var.ty),
            value_text(p, var.default)
        ),
        std::slice::from_ref(&var.doc),
    )
}

pub fn type_text(p: &Program, ty: Type) -> String {
    match ty {
        Type::Bool => "bool".to_owned(),
        Type::Int { .. } if ty == Type::INT => "int".to_owned(),
        Type::Int { min, max } => format!("int {min}..{max}"),
        Type::Enum(e) => {
            let members = p.enum_type(e).members.iter().map(|m| m.as_str());
            format!("{{{}}}", members.collect::<Vec<_>>().join(", "))
        }
        Type::State(m) => format!("state of {}", p.machine(m).name.as_str()),
        Type::TaskState => "task state".to_owned(),
        Type::LinkState => "link state".to_owned(),
        Type::WorkflowState => "workflow state".to_owned(),
    }
}

fn value_text(p: &Program, value: Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Enum(e, i) => (p.enum_type(e).members.get(i as usize))
            .map_or_else(String::new, |m| m.as_str().to_owned()),
        Value::State(m, s) => p.machine(m).state(s).name.as_str().to_owned(),
        Value::TaskState(s) => s.as_str().to_owned(),
        Value::LinkState(s) => s.as_str().to_owned(),
        Value::WorkflowState(s) => s.as_str().to_owned(),
    }
}

/// A state: its kind, doc, and the transitions that leave it and enter it, as written.
fn state(doc: &Document, m: MachineId, s: StateId) -> String {
    let machine = doc.program.machine(m);
    let state = machine.state(s);
    let kind = match state.kind {
        StateKind::Normal => "state",
        StateKind::Transient => "transient state",
        StateKind::Final => "final state",
    };
    let lines = |pick: &dyn Fn(&Transition) -> bool| {
        let found: Vec<String> = (machine.transitions.iter())
            .filter(|t| pick(t))
            .map(|t| format!("- `{}`", first_line(doc, t.span)))
            .collect();
        found
    };
    let leaving = lines(&|t| t.sources.contains(&s));
    let entering = lines(&|t| t.target == Target::State(s));
    let list = |title: &str, found: Vec<String>| {
        (!found.is_empty()).then(|| {
            let shown = found.len().min(crate::diagnostic::MAX_LISTED * 2);
            let mut out = format!("{title}:\n{}", found[..shown].join("\n"));
            if found.len() > shown {
                out.push_str(&format!("\n- … ({} in all)", found.len()));
            }
            out
        })
    };
    let initial = machine
        .initials
        .iter()
        .any(|i| i.target == s)
        .then(|| "an initial state".to_owned());
    markdown(
        &format!(
            "{kind} {} // in machine {}",
            state.name.as_str(),
            machine.name.as_str()
        ),
        &[
            state.doc.clone(),
            initial,
            list("transitions from it", leaving),
            list("transitions to it", entering),
        ],
    )
}

/// An event or actor: the transitions that it takes (or opens), in every machine.
fn event_or_actor(
    doc: &Document,
    kind: &str,
    name: &str,
    takes: impl Fn(&Transition) -> bool,
) -> String {
    let mut lines = Vec::new();
    for machine in &doc.program.machines {
        for t in machine.transitions.iter().filter(|t| takes(t)) {
            lines.push(format!(
                "- `{}` (machine `{}`)",
                first_line(doc, t.span),
                machine.name.as_str()
            ));
        }
    }
    let total = lines.len();
    lines.truncate(crate::diagnostic::MAX_LISTED * 2);
    let mut taken = match total {
        0 => "no transition names it".to_owned(),
        _ => format!("transitions:\n{}", lines.join("\n")),
    };
    if total > lines.len() {
        taken.push_str(&format!("\n- … ({total} in all)"));
    }
    markdown(&format!("{kind} {name}"), &[Some(taken)])
}
