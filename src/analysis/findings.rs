//! Semantic findings on workflows (W0400–W0404), each with a witness: a scenario that the
//! interpreter has replayed and that shows the finding.

use super::bdd::{Budget, TooBig};
use super::workflow::{Incomplete, Inputs, Symbolic};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{
    Accept, LinkId, LinkKind, LinkState, Program, TaskId, TaskState, Workflow, WorkflowId,
    WorkflowState,
};
use crate::sim::workflow::{Compiled, Inputs as RunInputs, Outcome};

/// Adds the semantic findings of every workflow of `program` to `out`, each workflow's analysis
/// within `budget`. A workflow the analysis cannot make exact (see `Incomplete`) gets none, no
/// finding is ever a guess, but a note (N0408) that says why. A workflow the interpreter cannot
/// compile, which the resolver should have made impossible, is an internal error (E0007): the
/// analysis would otherwise be left out without a word.
pub fn check(program: &Program, budget: Budget, out: &mut Vec<Diagnostic>) {
    let compiled = match crate::sim::compile(program) {
        Ok(compiled) => compiled,
        Err(internal) => {
            out.push(*internal);
            return;
        }
    };
    // The steps are shared among the workflows of the file, each an equal share of what the
    // ones before it left (many small hard workflows would otherwise cost a whole bound each);
    // the bytes are each one's, as its tables are freed before the next.
    let mut steps_left = budget.steps;
    let workflows = compiled.len();
    for (w, compiled) in compiled.iter().enumerate() {
        let id = WorkflowId::from_index(w);
        let share = Budget {
            steps: steps_left / (workflows - w) as u64,
            ..budget
        };
        // An analysis that runs out of room mid-way reports nothing rather than a part.
        let mut used = 0;
        let found = Symbolic::new(program, id, share).and_then(|mut s| {
            let found = workflow_findings(&mut s, compiled);
            used = s.bdds.steps();
            found
        });
        steps_left = steps_left.saturating_sub(used);
        match found {
            Ok(found) => out.extend(found),
            Err(why) => out.push(not_analysed(program.workflow(id), &why)),
        }
    }
}

/// N0408: what the analysis of `w` could not do, and what the user still has.
/// Whether the task `t`, which never runs, waits for all of its incoming links (`all_valid`) when
/// each of them is ACCEPTED in some run: then `at_least_one` is most likely what was meant (two
/// branches that exclude each other, joined again). The number of links, when so.
fn one_link_would_do(
    w: &Workflow,
    s: &mut Symbolic<'_>,
    t: TaskId,
) -> Result<Option<usize>, Incomplete> {
    if w.tasks[t.index()].accept != Accept::AllValid {
        return Ok(None);
    }
    let incoming: Vec<usize> = (0..w.links.len())
        .filter(|&l| w.links[l].target == t)
        .collect();
    if incoming.len() < 2 {
        return Ok(None);
    }
    for &l in &incoming {
        let Some(fns) = s.links[l] else {
            return Ok(None);
        };
        if !s.possible(fns.accepted)? {
            return Ok(None);
        }
    }
    Ok(Some(incoming.len()))
}

fn not_analysed(w: &Workflow, why: &Incomplete) -> Diagnostic {
    let help = match why {
        // What makes such a condition analysable: small ranges, or constants.
        Incomplete::Condition { .. } => &format!(
            "give the integer variables of this condition ranges with at most {} combinations of their values (`var a: int 0..63` and `var b: int 0..63`), or compare each with constants only (`a > 1 and b < 2`); or run scenarios (`wfl test`) and random runs (`wfl simulate --runs N`)",
            super::domain::MAX_COMBINATIONS
        ),
        Incomplete::NotSplittable(_) => {
            "give the variables smaller ranges, or compare them with fewer constants; or run scenarios (`wfl test`) and random runs (`wfl simulate --runs N`)"
        }
        Incomplete::TooManyTasks(_) | Incomplete::Internal => {
            "split the workflow into smaller ones; or run scenarios (`wfl test`) and random runs (`wfl simulate --runs N`)"
        }
        Incomplete::TooBig(TooBig::Memory | TooBig::Steps) => {
            "give it more room with `wfl check --max-memory MB`; or split the workflow into smaller ones; or run scenarios (`wfl test`) and random runs (`wfl simulate --runs N`)"
        }
    };
    let diagnostic = Diagnostic::new(
        Code::N0408,
        format!(
            "workflow `{}` is not analysed: {}",
            w.name.as_str(),
            why.why()
        ),
        w.name.span,
        "not analysed",
    );
    let diagnostic = match why {
        Incomplete::Condition { at, .. } => diagnostic.with_label(*at, "this condition"),
        _ => diagnostic,
    };
    diagnostic
        .with_note("W0400–W0404 are not reported for it: the analysis reports nothing rather than a guess; the structural checks still ran")
        .with_help(help)
}

fn workflow_findings(
    s: &mut Symbolic<'_>,
    compiled: &Compiled,
) -> Result<Vec<Diagnostic>, Incomplete> {
    let w = s.workflow;
    // Whether each task runs in some run (a NOT_RUN task never does).
    let mut runs = vec![false; w.tasks.len()];
    for (t, runs) in runs.iter_mut().enumerate() {
        if let Some(fns) = s.tasks[t] {
            *runs = s.possible(fns.processed)?;
        }
    }
    // Each with the link it says is never ACCEPTED (W0402, W0403).
    let mut link_findings = Vec::new();
    for l in 0..w.links.len() {
        let Some(fns) = s.links[l] else { continue };
        let link = &w.links[l];
        let text = link_text(s, LinkId::from_index(l));
        if link.condition.is_some() && s.possible(fns.evaluated)? {
            let when_false = s.bdds.and_not(fns.evaluated, fns.condition)?;
            let when_true = s.bdds.and(fns.evaluated, fns.condition)?;
            let condition_span = link.condition.as_ref().map_or(link.span, |c| c.span);
            if !s.possible(when_false)? {
                let mut d = Diagnostic::new(
                    Code::W0401,
                    format!("the condition of `{text}` always holds"),
                    condition_span,
                    "true in every run that reads it",
                )
                .with_label(link.span, "this link");
                if let Some(inputs) = s.witness(fns.evaluated)? {
                    let claim = |o: &Outcome| {
                        (o.links[l] == Some(LinkState::ACCEPTED))
                            .then(|| format!("link {text} == ACCEPTED"))
                    };
                    d = with_witness(
                        d,
                        s,
                        compiled,
                        &inputs,
                        &format!("the condition of `{text}` holds"),
                        claim,
                    )?;
                }
                link_findings.push((
                    None,
                    d.with_help("remove the condition, or fix it if it should sometimes be false"),
                ));
            } else if link.kind == LinkKind::Normal && !s.possible(when_true)? {
                let mut d = Diagnostic::new(
                    Code::W0402,
                    format!("the condition of `{text}` never holds"),
                    condition_span,
                    "false in every run that reads it",
                )
                .with_label(link.span, "so this link is never ACCEPTED");
                if let Some(inputs) = s.witness(fns.evaluated)? {
                    let claim = |o: &Outcome| {
                        (o.links[l] == Some(LinkState::REJECTED))
                            .then(|| format!("link {text} == REJECTED"))
                    };
                    d = with_witness(
                        d,
                        s,
                        compiled,
                        &inputs,
                        &format!("the condition of `{text}` fails"),
                        claim,
                    )?;
                }
                link_findings.push((
                    Some(l),
                    d.with_help("fix the condition, or remove the link"),
                ));
            }
        }
        if link.kind == LinkKind::Error && w.continue_on_failure {
            let source = s.tasks[link.source.index()];
            let source_runs = match source {
                Some(src) => s.possible(src.processed)?,
                None => false,
            };
            if source_runs && !s.possible(fns.accepted)? && link.condition.is_some() {
                // (Without a condition an error link is ACCEPTED whenever its source fails.)
                let mut d = Diagnostic::new(
                    Code::W0403,
                    format!("error link `{text}` is never ACCEPTED"),
                    link.span,
                    "its condition never holds when its source fails",
                );
                if let Some(src) = source
                    && let Some(inputs) = s.witness(src.failed)?
                {
                    let claim = |o: &Outcome| {
                        let state = o.links[l].filter(|&st| st != LinkState::ACCEPTED)?;
                        Some(format!("link {text} == {}", state.as_str()))
                    };
                    d = with_witness(
                        d,
                        s,
                        compiled,
                        &inputs,
                        &format!("`{text}` when its source fails"),
                        claim,
                    )?;
                }
                link_findings.push((
                    Some(l),
                    d.with_help("fix the condition, or remove the link"),
                ));
            }
        }
    }
    let mut dead = vec![false; w.links.len()];
    for &(l, _) in &link_findings {
        if let Some(l) = l {
            dead[l] = true;
        }
    }
    let mut out = Vec::new();
    // Tasks that only error links lead to, in a workflow that stops at its first failure.
    let mut halted = Vec::new();
    for t in 0..w.tasks.len() {
        let Some(fns) = s.tasks[t] else { continue };
        if s.possible(fns.processed)? {
            continue;
        }
        // Fed only by error links in a workflow that stops at the first failure: W0404 says why.
        let only_error_links = w
            .links
            .iter()
            .enumerate()
            .filter(|(l, link)| link.target.index() == t && s.links[*l].is_some())
            .all(|(_, link)| link.kind == LinkKind::Error);
        if !w.continue_on_failure && only_error_links {
            halted.push(TaskId::from_index(t));
            continue;
        }
        if explained(w, s, &runs, &dead, TaskId::from_index(t)) {
            continue;
        }
        let task = &w.tasks[t];
        let mut d = Diagnostic::new(
            Code::W0400,
            format!("task `{}` never runs", task.name.as_str()),
            task.name.span,
            "every run skips it",
        )
        .with_note("whatever the variables' values and whichever tasks fail, its incoming links never let it run");
        let after = consequences(
            w,
            s,
            &runs,
            &dead,
            outgoing_targets(w, s, TaskId::from_index(t)),
        );
        if !after.is_empty() {
            d = d.with_note(format!(
                "so {} never {} either: {} on it",
                names(w, &after),
                if after.len() == 1 { "runs" } else { "run" },
                if after.len() == 1 {
                    "it waits"
                } else {
                    "they wait"
                },
            ));
        }
        let skipped = s.bdds.not(fns.processed)?;
        if let Some(inputs) = s.witness(skipped)? {
            let claim = |o: &Outcome| {
                let state = o.tasks[t];
                matches!(state, TaskState::SKIPPED | TaskState::SKIPPED_FAILURE)
                    .then(|| format!("{} == {}", task.name.as_str(), state.as_str()))
            };
            d = with_witness(
                d,
                s,
                compiled,
                &inputs,
                &format!("`{}` is skipped", task.name.as_str()),
                claim,
            )?;
        }
        let help = match one_link_would_do(w, s, TaskId::from_index(t))? {
            Some(n) => format!(
                "its {n} incoming links are each ACCEPTED in some run but never all in the same \
                 run, and its accept mode, `all_valid`, waits for all of them: if one is enough, \
                 give `{}` the property `accept = at_least_one`",
                task.name.as_str()
            ),
            None => "check the conditions and accept mode of its incoming links, or remove it"
                .to_owned(),
        };
        out.push(d.with_help(help));
    }
    for (dead_link, mut d) in link_findings {
        if let Some(l) = dead_link {
            let after = consequences(w, s, &runs, &dead, vec![w.links[l].target]);
            if !after.is_empty() {
                // Before the witness, as on a task's finding.
                let witness = d.notes.len() - usize::from(has_witness(&d));
                d.notes.insert(
                    witness,
                    format!(
                        "so {} never {}: {} on this link",
                        names(w, &after),
                        if after.len() == 1 { "runs" } else { "run" },
                        if after.len() == 1 {
                            "it waits"
                        } else {
                            "they wait"
                        },
                    ),
                );
            }
        }
        out.push(d);
    }
    if !w.continue_on_failure {
        let error_links: Vec<usize> = (0..w.links.len())
            .filter(|&l| w.links[l].kind == LinkKind::Error && s.links[l].is_some())
            .collect();
        if let Some(&first) = error_links.first() {
            let text = link_text(s, LinkId::from_index(first));
            let mut d = Diagnostic::new(
                Code::W0404,
                format!(
                    "workflow `{}` stops at the first failure, so its error links never fire",
                    w.name.as_str()
                ),
                w.links[first].span,
                "never ACCEPTED",
            );
            for &l in error_links.iter().skip(1) {
                d = d.with_label(w.links[l].span, "never ACCEPTED either");
            }
            d = d.with_note(
                "with `continue_on_failure = false` (the default) nothing is evaluated after a task fails",
            );
            let next = halted
                .iter()
                .flat_map(|&t| outgoing_targets(w, s, t))
                .collect();
            let mut after = consequences(w, s, &runs, &dead, next);
            after.extend(&halted);
            after.sort_unstable();
            after.dedup();
            if !after.is_empty() {
                d = d.with_note(format!(
                    "so {} never {}",
                    names(w, &after),
                    if after.len() == 1 { "runs" } else { "run" },
                ));
            }
            let source = w.links[first].source;
            if let Some(src) = s.tasks[source.index()]
                && let Some(inputs) = s.witness(src.processed)?
            {
                let inputs = Inputs {
                    vars: inputs.vars,
                    fail: vec![source],
                };
                let claim = |o: &Outcome| {
                    (o.links[first] != Some(LinkState::ACCEPTED)
                        && o.workflow == WorkflowState::FINISHED_FAILURE)
                        .then(|| {
                            format!("link {text} != ACCEPTED and workflow == FINISHED_FAILURE")
                        })
                };
                d = with_witness(
                    d,
                    s,
                    compiled,
                    &inputs,
                    &format!("`{}` fails", w.tasks[source.index()].name.as_str()),
                    claim,
                )?;
            }
            out.push(
                d.with_help("set `continue_on_failure = true` to let error links handle failures"),
            );
        }
    }
    Ok(out)
}

/// Whether task `t`, which never runs, never runs only because of what other findings report: a
/// task it waits on never runs, or an incoming link is never ACCEPTED by its own finding (`dead`).
/// An `all_valid` task needs one such link, an `at_least_one` task needs all of them to be so.
/// Its finding would repeat theirs, so it has none: theirs name it.
fn explained(w: &Workflow, s: &Symbolic<'_>, runs: &[bool], dead: &[bool], t: TaskId) -> bool {
    let mut incoming = (0..w.links.len())
        .filter(|&l| w.links[l].target == t && s.links[l].is_some())
        .map(|l| dead[l] || !runs[w.links[l].source.index()]);
    match w.task(t).accept {
        Accept::AllValid => incoming.any(|never| never),
        Accept::AtLeastOne => incoming.all(|never| never),
    }
}

/// The targets of the active links that leave `t`.
fn outgoing_targets(w: &Workflow, s: &Symbolic<'_>, t: TaskId) -> Vec<TaskId> {
    (0..w.links.len())
        .filter(|&l| w.links[l].source == t && s.links[l].is_some())
        .map(|l| w.links[l].target)
        .collect()
}

/// The tasks that never run only because of a finding (see [`explained`]), found from `start`
/// (the tasks right after what the finding is about) and onwards, in declaration order.
fn consequences(
    w: &Workflow,
    s: &Symbolic<'_>,
    runs: &[bool],
    dead: &[bool],
    start: Vec<TaskId>,
) -> Vec<TaskId> {
    let mut seen = vec![false; w.tasks.len()];
    let mut stack = start;
    while let Some(t) = stack.pop() {
        if seen[t.index()] || runs[t.index()] || !explained(w, s, runs, dead, t) {
            continue;
        }
        seen[t.index()] = true;
        stack.extend(outgoing_targets(w, s, t));
    }
    (0..w.tasks.len())
        .filter(|&t| seen[t])
        .map(TaskId::from_index)
        .collect()
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
fn names(w: &Workflow, tasks: &[TaskId]) -> String {
    let quoted: Vec<String> = tasks
        .iter()
        .map(|&t| format!("`{}`", w.task(t).name.as_str()))
        .collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `a -> b`, `a -> b on error`.
pub fn link_text(s: &Symbolic<'_>, l: LinkId) -> String {
    let w = s.workflow;
    let link = w.link(l);
    let on_error = if link.kind == LinkKind::Error {
        " on error"
    } else {
        ""
    };
    format!(
        "{} -> {}{on_error}",
        w.task(link.source).name.as_str(),
        w.task(link.target).name.as_str()
    )
}

/// How the note with a witness starts.
const WITNESS_NOTE: &str = "a run that shows it (paste it into the file and run `wfl test`):";

/// Whether `d`'s last note is its witness.
fn has_witness(d: &Diagnostic) -> bool {
    d.notes.last().is_some_and(|n| n.starts_with(WITNESS_NOTE))
}

/// Replays `inputs` and, when the run shows what `claim` says it shows, adds the witness scenario
/// as a note. (A witness the run does not confirm would be a bug in the analysis; it is left out
/// rather than shown wrong, and a note says so.)
fn with_witness(
    d: Diagnostic,
    s: &mut Symbolic<'_>,
    compiled: &Compiled,
    inputs: &Inputs,
    title: &str,
    claim: impl Fn(&Outcome) -> Option<String>,
) -> Result<Diagnostic, Incomplete> {
    // A run takes about a step per task and link: counted, so that many findings on a large
    // workflow stay within the analysis's bound on work.
    let w = s.workflow;
    s.bdds.charge((w.tasks.len() + w.links.len()) as u64)?;
    let run = RunInputs {
        vars: inputs.vars.clone(),
        fail: inputs.fail.clone(),
        ..RunInputs::default()
    };
    let outcome = compiled.run(&run, &[], None);
    Ok(match claim(&outcome) {
        Some(expect) => {
            let text = scenario_text(s, inputs, title, &expect);
            d.with_note(format!("{WITNESS_NOTE}\n{text}"))
        }
        None => d.with_note(
            "no run is shown for it: the run wfl found did not show it when replayed (a bug in wfl; please report it with this file)",
        ),
    })
}

/// A scenario block giving `inputs` and expecting `expect`.
pub fn scenario_text(s: &Symbolic<'_>, inputs: &Inputs, title: &str, expect: &str) -> String {
    let w = s.workflow;
    let mut text = format!(
        "scenario \"witness: {}\" for {} {{\n",
        title.replace('\\', "\\\\").replace('"', "\\\""),
        w.name.as_str()
    );
    for &(var, value) in &inputs.vars {
        text.push_str(&format!(
            "  set {} = {}\n",
            w.vars[var.index()].name.as_str(),
            s.value_text(var, value)
        ));
    }
    if !inputs.fail.is_empty() {
        let names: Vec<&str> = inputs
            .fail
            .iter()
            .map(|t: &TaskId| w.task(*t).name.as_str())
            .collect();
        text.push_str(&format!("  fail {}\n", names.join(", ")));
    }
    text.push_str(&format!("  expect {expect}\n}}"));
    text
}
