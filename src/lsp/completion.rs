//! Completion by context, read from the text before the cursor on its line: the states after
//! `==` in a guard or an `expect`, the members of an enumeration after `var ==`, events after `on`
//! (and `or` in an `on` clause) and `send`, actors after `by`, children groups after `to` and
//! `to one`, a group's states after `GROUP in`, property values after `accept =`, keywords and
//! names at the start of a statement and the keyword that goes on (`initial input var`,
//! `external event`), the names in scope elsewhere.

use lsp_types::{CompletionItem, CompletionItemKind};

use crate::diagnostic::Code;
use crate::lsp::document::Document;
use crate::model::*;
use crate::syntax::{Place, ast, statement_keywords};

/// Besides the statement keywords of the syntax (`syntax::statement_keywords`): a workflow's
/// properties, a task block's, and the words that start a hook or an action in a machine's blocks.
const WORKFLOW_PROPERTIES: &[&str] = &["continue_on_failure", "max_parallel", "start"];
const TASK_PROPERTIES: &[&str] = &["accept", "duration", "failure_rate"];
const MACHINE_BLOCKS: &[&str] = &["on", "set", "send", "raise"];
/// Words that start a machine's declaration before its keyword: `input var`, `initial input var`,
/// `external event`, `internal event`.
const MACHINE_PREFIXES: &[&str] = &["input", "external", "internal"];
/// After the first words of a machine's statement, the keyword that goes on.
const MACHINE_NEXT: &[(&[&str], &[&str])] = &[
    (&["initial"], &["input"]),
    (&["input"], &["var"]),
    (&["initial", "input"], &["var"]),
    (&["external"], &["event"]),
    (&["internal"], &["event"]),
    (&["transient"], &["state"]),
    (&["final"], &["state"]),
];
const EXPRESSION: &[&str] = &[
    "and", "or", "not", "in", "state", "any", "all", "no", "count", "where", "true", "false",
];

/// The completions at byte `offset`.
pub fn complete(doc: &Document, offset: usize) -> Vec<CompletionItem> {
    let text = doc.text();
    let offset = text.floor_char_boundary(offset.min(text.len()));
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    // The word being typed, and what stands before it.
    let typed_len = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .count();
    let head = before[..before.len() - typed_len].trim_end();
    let head = head.strip_suffix('"').unwrap_or(head).trim_end();
    let mut out = Completions::default();
    if let Some(comment) = before.find("//").map(|i| &before[i..]) {
        if comment.contains("wfl:") && comment.contains("allow(") {
            for code in Code::ALL {
                out.add(
                    code.as_str(),
                    CompletionItemKind::CONSTANT,
                    Some(code.name()),
                );
            }
        }
        return out.items;
    }
    let item = doc.item_at(offset);
    let machine = item.and_then(|item| machine_of(doc, item));
    let workflow = item.and_then(|item| workflow_of(doc, item));
    let words: Vec<&str> = head
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let last_word = if head.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_') {
        words.last().copied().unwrap_or("")
    } else {
        ""
    };
    let word_before = |n: usize| words.len().checked_sub(n).map_or("", |i| words[i]);
    let in_machine = matches!(item, Some(ast::Item::Machine(_)));
    let next = MACHINE_NEXT
        .iter()
        .find(|(first, _)| in_machine && head.split_whitespace().eq(first.iter().copied()));
    if let Some((_, next)) = next {
        for keyword in *next {
            out.add(keyword, CompletionItemKind::KEYWORD, None);
        }
    } else if head.ends_with("==") || head.ends_with("!=") {
        let lhs = head[..head.len() - 2].trim_end();
        let lhs_word = lhs
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        members_after_compare(doc, &mut out, machine, workflow, lhs_word);
    } else if (matches!(last_word, "on" | "send" | "raise")
        || (last_word == "or" && in_on_clause(&words)))
        && machine.is_some()
    {
        for event in &doc.program.events {
            out.add(event, CompletionItemKind::EVENT, None);
        }
    } else if last_word == "by" {
        for actor in &doc.program.actors {
            out.add(actor, CompletionItemKind::CONSTANT, Some("actor"));
        }
    } else if let Some(key) = head.strip_suffix('=').map(str::trim_end) {
        property_values(&mut out, key);
    } else if let Some(m) =
        machine.filter(|_| last_word == "to" || (last_word == "one" && word_before(2) == "to"))
    {
        if last_word == "to" && in_machine {
            out.add("parent", CompletionItemKind::KEYWORD, None);
            out.add("one", CompletionItemKind::KEYWORD, None);
        }
        groups(doc, &mut out, m);
    } else if head.ends_with("->") || last_word == "in" {
        // `GROUP in`, as in `send go to one workers in Idle` or `all workers in Done`: the
        // states of the group's machine.
        let group = machine.and_then(|m| group(doc, m, word_before(2)));
        if let Some(m) = group.or(machine) {
            states(doc, &mut out, m);
        }
        if let Some(w) = workflow {
            tasks(doc, &mut out, w);
        }
    } else if head.is_empty() || head.ends_with('{') {
        let in_task_block = head.ends_with('{') && before.trim_start().starts_with("task");
        let (place, extra) = match item {
            _ if in_task_block => (None, TASK_PROPERTIES),
            None => (Some(Place::TopLevel), &[][..]),
            Some(ast::Item::Workflow(_)) => (Some(Place::Workflow), WORKFLOW_PROPERTIES),
            Some(ast::Item::Machine(_)) => (Some(Place::Machine), MACHINE_BLOCKS),
            Some(ast::Item::Scenario(_)) => (Some(Place::Scenario), &[][..]),
        };
        let keywords = place.map_or(&[][..], statement_keywords);
        let prefixes = if place == Some(Place::Machine) {
            MACHINE_PREFIXES
        } else {
            &[]
        };
        for keyword in keywords.iter().chain(prefixes).chain(extra) {
            out.add(keyword, CompletionItemKind::KEYWORD, None);
        }
        if let Some(m) = machine.filter(|_| matches!(item, Some(ast::Item::Machine(_)))) {
            states(doc, &mut out, m);
        }
        if let Some(w) = workflow.filter(|_| matches!(item, Some(ast::Item::Workflow(_)))) {
            tasks(doc, &mut out, w);
        }
    } else {
        names_in_scope(doc, &mut out, machine, workflow);
        for keyword in EXPRESSION {
            out.add(keyword, CompletionItemKind::KEYWORD, None);
        }
    }
    out.items
}

/// Whether the `or` that `words` end with joins the events of an `on` clause (`on go or stop`),
/// not two conditions (`when a or b`): the nearest clause keyword before it is `on`.
fn in_on_clause(words: &[&str]) -> bool {
    (words.iter().rev())
        .find(|w| matches!(**w, "on" | "when" | "by" | "expect" | "set"))
        .is_some_and(|w| *w == "on")
}

/// The machine of `m`'s children group named `name`.
fn group(doc: &Document, m: MachineId, name: &str) -> Option<MachineId> {
    let machine = doc.program.machine(m);
    (machine.children.iter())
        .find(|c| c.name.as_str() == name)
        .map(|c| c.machine)
}

/// The children groups of `m`, which `send … to` and `to one` name.
fn groups(doc: &Document, out: &mut Completions, m: MachineId) {
    for children in &doc.program.machine(m).children {
        out.add(
            children.name.as_str(),
            CompletionItemKind::FIELD,
            Some("children"),
        );
    }
}

#[derive(Default)]
struct Completions {
    items: Vec<CompletionItem>,
}

impl Completions {
    fn add(&mut self, label: &str, kind: CompletionItemKind, detail: Option<&str>) {
        if self.items.iter().any(|i| i.label == label) {
            return;
        }
        self.items.push(CompletionItem {
            label: label.to_owned(),
            kind: Some(kind),
            detail: detail.map(str::to_owned),
            ..CompletionItem::default()
        });
    }
}

/// The name of the workflow or machine whose names are in scope in `item`: itself, or a
/// scenario's target.
fn scope_name(item: &ast::Item) -> &ast::Name {
    match item {
        ast::Item::Machine(ast::Machine { name, .. })
        | ast::Item::Workflow(ast::Workflow { name, .. })
        | ast::Item::Scenario(ast::Scenario { target: name, .. }) => name,
    }
}

fn machine_of(doc: &Document, item: &ast::Item) -> Option<MachineId> {
    let name = &scope_name(item).text;
    let at = doc
        .program
        .machines
        .iter()
        .position(|m| &m.name.text == name);
    at.map(MachineId::from_index)
}

fn workflow_of(doc: &Document, item: &ast::Item) -> Option<WorkflowId> {
    let name = &scope_name(item).text;
    let at = doc
        .program
        .workflows
        .iter()
        .position(|w| &w.name.text == name);
    at.map(WorkflowId::from_index)
}

/// After `LHS ==`: the states of the machine for `state` (or a path to a child), the members of
/// an enumeration variable, a task's or the workflow's states in a workflow scenario.
fn members_after_compare(
    doc: &Document,
    out: &mut Completions,
    machine: Option<MachineId>,
    workflow: Option<WorkflowId>,
    lhs: &str,
) {
    let p = &doc.program;
    if let Some(m) = machine {
        let machine = p.machine(m);
        if let Some(var) = machine.vars.iter().find(|v| v.name.as_str() == lhs) {
            return members(p, out, var.ty);
        }
        // `workers[0] == …`: the child's states.
        let child = (machine.children.iter())
            .find(|c| lhs == c.name.as_str())
            .map(|c| c.machine);
        return states(doc, out, child.unwrap_or(m));
    }
    if let Some(w) = workflow {
        let workflow = p.workflow(w);
        if let Some(var) = workflow.vars.iter().find(|v| v.name.as_str() == lhs) {
            return members(p, out, var.ty);
        }
        let ty = if lhs == "workflow" {
            Type::WorkflowState
        } else if workflow.tasks.iter().any(|t| t.name.as_str() == lhs) {
            Type::TaskState
        } else {
            Type::LinkState
        };
        members(p, out, ty);
    }
}

fn members(p: &Program, out: &mut Completions, ty: Type) {
    match ty {
        Type::Enum(e) => {
            for member in &p.enum_type(e).members {
                out.add(member.as_str(), CompletionItemKind::ENUM_MEMBER, None);
            }
        }
        Type::Bool => {
            out.add("true", CompletionItemKind::KEYWORD, None);
            out.add("false", CompletionItemKind::KEYWORD, None);
        }
        Type::TaskState => TaskState::ALL.iter().for_each(|s| {
            out.add(
                s.as_str(),
                CompletionItemKind::ENUM_MEMBER,
                Some("task state"),
            )
        }),
        Type::LinkState => LinkState::ALL.iter().for_each(|s| {
            out.add(
                s.as_str(),
                CompletionItemKind::ENUM_MEMBER,
                Some("link state"),
            )
        }),
        Type::WorkflowState => WorkflowState::ALL.iter().for_each(|s| {
            out.add(
                s.as_str(),
                CompletionItemKind::ENUM_MEMBER,
                Some("workflow state"),
            )
        }),
        Type::State(m) => {
            for state in &p.machine(m).states {
                out.add(
                    state.name.as_str(),
                    CompletionItemKind::ENUM_MEMBER,
                    Some("state"),
                );
            }
        }
        Type::Int { .. } => {}
    }
}

fn states(doc: &Document, out: &mut Completions, m: MachineId) {
    members(&doc.program, out, Type::State(m));
}

fn tasks(doc: &Document, out: &mut Completions, w: WorkflowId) {
    for task in &doc.program.workflow(w).tasks {
        out.add(
            task.name.as_str(),
            CompletionItemKind::FUNCTION,
            Some("task"),
        );
    }
}

/// The values of a property: `accept =`, `continue_on_failure =`.
fn property_values(out: &mut Completions, key: &str) {
    let key = key
        .rsplit(|c: char| c.is_whitespace() || c == '{')
        .next()
        .unwrap_or("");
    let values: &[&str] = match key {
        "accept" => &["all_valid", "at_least_one"],
        "continue_on_failure" => &["true", "false"],
        _ => &[],
    };
    for value in values {
        out.add(value, CompletionItemKind::VALUE, None);
    }
}

fn names_in_scope(
    doc: &Document,
    out: &mut Completions,
    machine: Option<MachineId>,
    workflow: Option<WorkflowId>,
) {
    let p = &doc.program;
    if let Some(m) = machine {
        let machine = p.machine(m);
        for var in &machine.vars {
            out.add(
                var.name.as_str(),
                CompletionItemKind::VARIABLE,
                Some("variable"),
            );
        }
        for view in &machine.views {
            out.add(
                view.name.as_str(),
                CompletionItemKind::PROPERTY,
                Some("view"),
            );
        }
        groups(doc, out, m);
        states(doc, out, m);
    }
    if let Some(w) = workflow {
        for var in &p.workflow(w).vars {
            out.add(
                var.name.as_str(),
                CompletionItemKind::VARIABLE,
                Some("variable"),
            );
        }
        tasks(doc, out, w);
    }
}
