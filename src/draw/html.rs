//! The report page of `wfl simulate --format html`: one self-contained HTML file (no network, no
//! external script) with the picture, the run's trace beside it and controls to step through the
//! run — buttons, a slider, the trace's lines and the keyboard — the picture recoloured at each
//! step from the marks `overlay.rs` worked out.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use super::overlay::{self, Marks, Step};
use super::{LegendItem, Mark, Picture, xml_escape};
use crate::model::{MachineId, Program, Workflow};
use crate::sim::machine::World;
use crate::sim::machine_render::MachineNamer;
use crate::sim::render::Namer;
use crate::sim::trace::Event;
use crate::sim::workflow::Outcome;

/// The page of a workflow run: `trace` and `outcome` from the interpreter, `source` the file's
/// text.
pub fn workflow_page(
    program: &Program,
    workflow: &Workflow,
    source: &str,
    trace: &[Event],
    outcome: &Outcome,
) -> String {
    let namer = Namer {
        workflow,
        source,
        vars: &outcome.vars,
        enums: &program.enums,
    };
    let picture = super::workflow(workflow, source);
    let (start, steps) = overlay::workflow_steps(&picture, trace, |e| namer.line(e));
    page(&picture, &start, &steps, &namer.table(outcome))
}

/// The page of a machine run: the picture of machine `m` and the run in `world` (made with its
/// trace); `end` is what is said after the run (the configuration, and the run error if any).
pub fn machine_page(
    program: &Program,
    m: MachineId,
    source: &str,
    world: &World<'_>,
    end: &str,
) -> String {
    let namer = MachineNamer { program, source };
    let picture = super::machine(program, m, source);
    let (start, steps) = overlay::machine_steps(&picture, program, world, m, |e| {
        namer.line(world, e).trim().to_owned()
    });
    page(&picture, &start, &steps, end)
}

/// The marks of the picture's elements by id, as the page's script reads them.
#[derive(Serialize)]
struct JsonMarks {
    nodes: BTreeMap<String, Vec<&'static str>>,
    edges: BTreeMap<String, Vec<&'static str>>,
}

#[derive(Serialize)]
struct JsonSteps {
    start: JsonMarks,
    steps: Vec<JsonMarks>,
}

fn class_names(marks: &[Mark]) -> Vec<&'static str> {
    marks.iter().map(|m| m.style().class).collect()
}

fn json_marks(
    picture: &Picture,
    nodes: impl Iterator<Item = (usize, Vec<Mark>)>,
    edges: impl Iterator<Item = (usize, Vec<Mark>)>,
) -> JsonMarks {
    JsonMarks {
        nodes: nodes
            .filter_map(|(n, marks)| Some((picture.nodes.get(n)?.id.clone(), class_names(&marks))))
            .collect(),
        edges: edges
            .filter_map(|(e, marks)| Some((picture.edges.get(e)?.id.clone(), class_names(&marks))))
            .collect(),
    }
}

/// The page: the picture with every mark the run can give in its legend, the trace, the controls
/// and the script.
fn page(picture: &Picture, start: &Marks, steps: &[Step], end: &str) -> String {
    // The legend lists what the run can show: every mark it gives at some step.
    let mut legend = picture.legend();
    let marks = start.nodes.iter().chain(&start.edges).flatten().chain(
        steps
            .iter()
            .flat_map(|s| s.nodes.iter().chain(&s.edges).flat_map(|(_, m)| m)),
    );
    legend.extend(marks.map(|&m| LegendItem::Mark(m)));
    legend.sort();
    legend.dedup();
    let svg = super::svg::write_with_legend(picture, &legend);
    let data = JsonSteps {
        start: json_marks(
            picture,
            start.nodes.iter().cloned().enumerate(),
            start.edges.iter().cloned().enumerate(),
        ),
        steps: steps
            .iter()
            .map(|s| json_marks(picture, s.nodes.iter().cloned(), s.edges.iter().cloned()))
            .collect(),
    };
    // In a <script> element, `</` would end it.
    let json = serde_json::to_string(&data)
        .unwrap_or_else(|_| "{\"start\":{\"nodes\":{},\"edges\":{}},\"steps\":[]}".to_owned())
        .replace("</", "<\\/");
    let title = xml_escape(&format!("wfl simulate: {}", picture.title));
    let mut trace = String::new();
    for (k, step) in steps.iter().enumerate() {
        let _ = writeln!(
            trace,
            "<li><button type=\"button\" data-step=\"{}\">{}</button></li>",
            k + 1,
            xml_escape(&step.text)
        );
    }
    let n = steps.len();
    format!(
        r##"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
{STYLE}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div id="controls" role="group" aria-label="step through the run">
<button type="button" id="first" aria-label="first step (Home)">&#x25C0;&#x25C0; first</button>
<button type="button" id="prev" aria-label="previous step (left arrow)">&#x25C0; previous</button>
<input type="range" id="slider" min="0" max="{n}" value="{n}" aria-label="step of the run">
<button type="button" id="next" aria-label="next step (right arrow)">next &#x25B6;</button>
<button type="button" id="last" aria-label="last step (End)">last &#x25B6;&#x25B6;</button>
<output id="position" aria-live="polite">step {n} of {n}</output>
<label><input type="checkbox" id="fit" checked> fit the picture to the window</label>
</div>
<p class="keys">Keys: &#x2190; and &#x2192; step back and on, Home and End go to the start and the end; a line of the trace goes to its step; the tooltips say more.</p>
</header>
<main>
<div id="picture" class="fit">
{svg}</div>
<section id="run" aria-label="the run">
<h2>trace</h2>
<ol id="trace" start="0">
<li><button type="button" data-step="0">(before the first step)</button></li>
{trace}</ol>
<h2>at the end</h2>
<pre id="end">{end}</pre>
</section>
</main>
<script type="application/json" id="steps">{json}</script>
<script>
{SCRIPT}
</script>
</body>
</html>
"##,
        end = xml_escape(end.trim_end()),
    )
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:0;color:#111827}\
header{padding:0.5rem 1rem;border-bottom:1px solid #d1d5db;position:sticky;top:0;background:#f9fafb;z-index:1}\
h1{font-size:1.1rem;margin:0.2rem 0}\
h2{font-size:1rem;margin:0.6rem 0 0.3rem}\
#controls{display:flex;gap:0.5rem;align-items:center;flex-wrap:wrap}\
#controls button{font:inherit;padding:0.2rem 0.6rem}\
#slider{flex:1 1 12rem}\
.keys{font-size:0.8rem;color:#4b5563;margin:0.3rem 0}\
main{display:flex;align-items:flex-start}\
#picture{flex:1 1 auto;overflow:auto;padding:0.5rem}\
#run{flex:0 0 34rem;max-width:45vw;padding:0 1rem;max-height:calc(100vh - 7rem);overflow:auto;position:sticky;top:6.5rem}\
#trace{font-family:ui-monospace,monospace;font-size:0.8rem;padding-left:2.5rem}\
#trace button{font:inherit;text-align:left;border:0;background:none;padding:0.1rem 0.2rem;width:100%;cursor:pointer;color:#9ca3af}\
#trace li.done button{color:#111827}\
#trace li.current button{background:#dbeafe;color:#111827;outline:1px solid #1d4ed8}\
#end{font-size:0.8rem;white-space:pre-wrap}\
#picture.fit svg{max-width:100%;height:auto}\
:focus-visible{outline:3px solid #1d4ed8;outline-offset:1px}";

/// Moves the picture to step `k`: the marks before the run, then each step's changes, applied
/// in order (from the start again when going back).
const SCRIPT: &str = r##"(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("steps").textContent);
  var svg = document.querySelector("#picture svg");
  var slider = document.getElementById("slider");
  var position = document.getElementById("position");
  var items = Array.prototype.slice.call(document.querySelectorAll("#trace li"));
  var total = data.steps.length;
  var base = {};
  function element(id) { return svg.getElementById ? svg.getElementById(id) : document.getElementById(id); }
  function setMarks(id, marks) {
    var el = element(id);
    if (!el) { return; }
    if (!(id in base)) {
      base[id] = el.getAttribute("class").split(" ").filter(function (c) { return c.indexOf("m-") !== 0; }).join(" ");
    }
    el.setAttribute("class", [base[id]].concat(marks).join(" "));
  }
  function apply(marks) {
    Object.keys(marks.nodes).forEach(function (id) { setMarks(id, marks.nodes[id]); });
    Object.keys(marks.edges).forEach(function (id) { setMarks(id, marks.edges[id]); });
  }
  var at = -1;
  function show(k, focusLine) {
    k = Math.max(0, Math.min(total, k));
    if (k < at || at < 0) { apply(data.start); at = 0; }
    for (; at < k; at++) { apply(data.steps[at]); }
    slider.value = String(k);
    position.textContent = "step " + k + " of " + total;
    svg.setAttribute("data-step", String(k));
    items.forEach(function (li, i) {
      li.className = i < k ? "done" : (i === k ? "current" : "");
      if (i === k) {
        li.setAttribute("aria-current", "step");
        if (li.scrollIntoView) { li.scrollIntoView({block: "nearest"}); }
        if (focusLine) { li.querySelector("button").focus(); }
      } else {
        li.removeAttribute("aria-current");
      }
    });
  }
  document.getElementById("first").addEventListener("click", function () { show(0); });
  document.getElementById("prev").addEventListener("click", function () { show(at - 1); });
  document.getElementById("next").addEventListener("click", function () { show(at + 1); });
  document.getElementById("last").addEventListener("click", function () { show(total); });
  document.getElementById("fit").addEventListener("change", function (ev) {
    document.getElementById("picture").className = ev.currentTarget.checked ? "fit" : "";
  });
  slider.addEventListener("input", function () { show(parseInt(slider.value, 10)); });
  items.forEach(function (li) {
    li.querySelector("button").addEventListener("click", function (ev) {
      show(parseInt(ev.currentTarget.getAttribute("data-step"), 10));
    });
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.target === slider || ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
    var to = null;
    if (ev.key === "ArrowRight" || ev.key === "ArrowDown") { to = at + 1; }
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") { to = at - 1; }
    else if (ev.key === "Home") { to = 0; }
    else if (ev.key === "End") { to = total; }
    if (to !== null) { ev.preventDefault(); show(to, ev.target.closest && ev.target.closest("#trace") !== null); }
  });
  window.wflShow = show;
  show(total);
})();"##;
