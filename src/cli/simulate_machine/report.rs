//! What `wfl simulate --machine` prints of a run: each step in words, or the JSON report.

use super::*;

pub(super) struct Report<'a> {
    pub(super) namer: &'a MachineNamer<'a>,
    pub(super) source: &'a Source,
    pub(super) machine: MachineId,
    /// Trace events already printed.
    pub(super) shown: usize,
}

/// The JSON of a machine run (schema in specs/cli.md).
#[derive(Serialize)]
struct JsonRun {
    version: u32,
    machine: String,
    trace: Vec<JsonStep>,
    configuration: Vec<JsonInstance>,
    /// The run error that ended the run early, if any.
    error: Option<JsonDiagnostic>,
}

#[derive(Serialize)]
struct JsonStep {
    /// `initial`, `step`, `ignored`, `set`, `sent`, `no_parent` or `unsent`.
    kind: &'static str,
    /// The instance it happened to (`sent`: the receiver).
    instance: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    event: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    var: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<String>,
    /// The line `wfl simulate` prints for it.
    text: String,
}

impl Report<'_> {
    fn json_step(&self, world: &World<'_>, e: &Event) -> JsonStep {
        let p = self.namer.program;
        let machine = |i: u32| {
            world
                .instances
                .get(i as usize)
                .map_or(MachineId(0), |x| x.machine)
        };
        let name = |list: &[String], i: usize| list.get(i).cloned();
        let mut step = JsonStep {
            kind: kind(e),
            instance: self.namer.path(world, MachineNamer::instance_of(e)),
            from: None,
            to: None,
            event: None,
            actor: None,
            var: None,
            value: None,
            text: self.namer.line(world, e),
        };
        match *e {
            Event::Initial {
                instance, state, ..
            } => {
                step.to = Some(self.namer.state(machine(instance), state).to_owned());
            }
            Event::Step {
                instance,
                from,
                to,
                event,
                actor,
                ..
            } => {
                step.from = Some(self.namer.state(machine(instance), from).to_owned());
                step.to = Some(self.namer.state(machine(instance), to).to_owned());
                step.event = event.and_then(|ev| name(&p.events, ev.index()));
                step.actor = actor.and_then(|a| name(&p.actors, a.index()));
            }
            Event::Ignored {
                instance,
                state,
                event,
                actor,
            } => {
                step.from = Some(self.namer.state(machine(instance), state).to_owned());
                step.event = name(&p.events, event.index());
                step.actor = actor.and_then(|a| name(&p.actors, a.index()));
            }
            Event::Set {
                instance,
                var,
                value,
            } => {
                step.var = Some(self.namer.var(machine(instance), var).to_owned());
                step.value = Some(self.namer.value(machine(instance), var, value));
            }
            Event::Sent { from, event, .. } => {
                step.from = Some(self.namer.path(world, from));
                step.event = name(&p.events, event.index());
            }
            Event::NoParent { event, .. } | Event::Unsent { event, .. } => {
                step.event = name(&p.events, event.index());
            }
        }
        step
    }

    /// Prints the steps not shown yet; a very long run (a livelock makes 10 000 steps) is shown
    /// by its first and last steps.
    pub(super) fn new_steps(&mut self, out: &mut impl Write, world: &World<'_>) -> io::Result<()> {
        const HEAD: usize = 100;
        const TAIL: usize = 20;
        let trace = world.trace.as_deref().unwrap_or(&[]);
        let new = trace.len().saturating_sub(self.shown);
        for (k, event) in trace.iter().enumerate().skip(self.shown) {
            let from_start = k - self.shown;
            if new > HEAD + TAIL && from_start >= HEAD && from_start < new - TAIL {
                if from_start == HEAD {
                    let hidden = new - HEAD - TAIL;
                    writeln!(
                        out,
                        "      … {hidden} steps not shown (`--format json` has them all)"
                    )?;
                }
                continue;
            }
            writeln!(out, "{:>5}  {}", k + 1, self.namer.line(world, event))?;
        }
        self.shown = trace.len();
        Ok(())
    }

    /// Prints the run (human or JSON) and returns the exit status.
    pub(super) fn finish(
        &mut self,
        args: &SimulateArgs,
        out: &mut impl Write,
        world: &World<'_>,
        error: Option<(&RunError, Span)>,
    ) -> io::Result<u8> {
        let diagnostic = error.map(|(e, span)| {
            let mut d = self.namer.error(world, e, span);
            d.primary.message = "in this simulation".to_owned();
            d
        });
        let code = if diagnostic.is_some() {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        };
        match args.format {
            SimulateFormat::Html => {
                let mut end = self.namer.configuration(world);
                if let Some(d) = &diagnostic {
                    end.push_str(&format!("\n{}: {}\n", d.code.as_str(), d.message));
                }
                let page = crate::draw::html::machine_page(
                    self.namer.program,
                    self.machine,
                    self.namer.source,
                    world,
                    &end,
                );
                out.write_all(page.as_bytes())?;
            }
            SimulateFormat::Json => {
                let trace = world.trace.as_deref().unwrap_or(&[]);
                let run = JsonRun {
                    version: 1,
                    machine: self
                        .namer
                        .program
                        .machine(self.machine)
                        .name
                        .as_str()
                        .to_owned(),
                    trace: trace.iter().map(|e| self.json_step(world, e)).collect(),
                    configuration: self.namer.json_configuration(world),
                    error: diagnostic
                        .as_ref()
                        .map(|d| JsonDiagnostic::new(self.source, d)),
                };
                write_json(out, &run)?;
            }
            SimulateFormat::Human => {
                writeln!(
                    out,
                    "machine `{}`",
                    self.namer.program.machine(self.machine).name.as_str()
                )?;
                self.new_steps(out, world)?;
                writeln!(out)?;
                writeln!(out, "configuration:")?;
                write!(out, "{}", self.namer.configuration(world))?;
                if let Some(d) = &diagnostic {
                    writeln!(out)?;
                    write_diagnostic(out, self.source, d)?;
                }
            }
        }
        Ok(code)
    }
}

fn kind(event: &Event) -> &'static str {
    match event {
        Event::Initial { .. } => "initial",
        Event::Step { .. } => "step",
        Event::Ignored { .. } => "ignored",
        Event::Set { .. } => "set",
        Event::Sent { .. } => "sent",
        Event::NoParent { .. } => "no_parent",
        Event::Unsent { .. } => "unsent",
    }
}
