// The Chromium half of scripts/check-pictures: `node check-pictures.cjs OUT SCREENS MERMAID_JS`.
// - every OUT/*.mmd renders with Mermaid (MERMAID_JS, loaded from the file) into an SVG with a
//   node for each of the flowchart's;
// - every OUT/*.svg (wfl's, not Graphviz's) loads as an SVG document, and its nodes do not overlap;
// - every OUT/page_*.html loads without an error or a request to anything but itself, its nodes
//   do not overlap, and its screenshot is saved in SCREENS;
// - OUT/run.html steps through the run of OUT/run.json: from the start, each step (the → key)
//   fills the task the trace event names with its state's colour, and colours the link.
"use strict";
const fs = require("fs");
const path = require("path");
const { chromium } = require("playwright-core");

const [out, screens, mermaidJs] = process.argv.slice(2);
const failures = [];
const fail = (what) => {
  failures.push(what);
  console.error("FAILED: " + what);
};

/// The boxes of the picture's nodes that overlap, as "a and b".
const overlapsIn = (page) =>
  page.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll("svg g.node[id] > .shape")).map((s) => {
      const r = s.getBoundingClientRect();
      return { id: s.parentNode.id, r };
    });
    const found = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) {
          found.push(boxes[i].id + " and " + boxes[j].id);
        }
      }
    }
    return { nodes: boxes.length, found };
  });

// The fill each task state gives (src/draw/mod.rs, Mark::style), as Chromium computes it.
const TASK_FILL = {
  WAITING: "rgb(255, 255, 255)",
  IN_QUEUE: "rgb(254, 240, 138)",
  RUNNING: "rgb(147, 197, 253)",
  FINISHED_OK: "rgb(134, 239, 172)",
  FINISHED_FAILURE: "rgb(252, 165, 165)",
  SKIPPED: "rgb(209, 213, 219)",
  SKIPPED_FAILURE: "rgb(253, 186, 116)",
  UNKNOWN: "rgb(216, 180, 254)",
  NOT_RUN: "rgb(243, 244, 246)",
};
const LINK_STROKE = {
  ACCEPTED: "rgb(21, 128, 61)",
  REJECTED: "rgb(156, 163, 175)",
  SKIPPED: "rgb(156, 163, 175)",
  SKIPPED_FAILURE: "rgb(234, 88, 12)",
};

(async () => {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu"],
  });
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  const outside = [];
  context.on("request", (request) => {
    if (!request.url().startsWith("file://")) outside.push(request.url());
  });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

  const files = fs.readdirSync(out).sort();
  let svgs = 0;
  for (const f of files.filter((f) => f.endsWith(".svg") && !f.endsWith(".graphviz.svg"))) {
    await page.goto("file://" + path.join(out, f));
    const root = await page.evaluate(() => document.documentElement.tagName);
    if (root !== "svg") fail(`${f}: Chromium did not load it as SVG (root ${root})`);
    const { nodes, found } = await overlapsIn(page);
    if (nodes === 0) fail(`${f}: no node drawn`);
    if (found.length) fail(`${f}: nodes overlap: ${found.join(", ")}`);
    svgs++;
  }
  console.log(`Chromium loaded ${svgs} SVG pictures, no nodes overlapping`);

  // Mermaid, as GitHub runs it: each flowchart parsed and rendered, nothing reported as an error.
  fs.writeFileSync(
    path.join(out, "mermaid.html"),
    `<!DOCTYPE html><html><head><meta charset="utf-8"><script src="file://${mermaidJs}"></script></head><body></body></html>`
  );
  await page.goto("file://" + path.join(out, "mermaid.html"));
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict" }));
  let charts = 0;
  for (const f of files.filter((f) => f.endsWith(".mmd"))) {
    const text = fs.readFileSync(path.join(out, f), "utf8");
    const result = await page.evaluate(async (text) => {
      try {
        const { svg } = await window.mermaid.render("chart" + Math.floor(Math.random() * 1e9), text);
        // As a page shows it (its labels are HTML: `<br>` is not XML).
        const holder = document.createElement("div");
        holder.innerHTML = svg;
        return { nodes: holder.querySelectorAll("g.node").length, error: svg.includes("Syntax error") ? "syntax error" : null };
      } catch (e) {
        return { nodes: 0, error: String(e && e.message ? e.message : e) };
      }
    }, text);
    const declared = (text.match(/^ {2,4}[A-Za-z][A-Za-z0-9_]*(\[|\(|\{)/gm) || []).length;
    if (result.error) fail(`${f}: Mermaid: ${result.error}`);
    else if (result.nodes < declared) fail(`${f}: Mermaid drew ${result.nodes} nodes of ${declared}`);
    charts++;
  }
  console.log(`Mermaid rendered ${charts} flowcharts`);

  let pages = 0;
  for (const f of files.filter((f) => f.startsWith("page_") && f.endsWith(".html"))) {
    errors.length = 0;
    await page.goto("file://" + path.join(out, f));
    const { nodes, found } = await overlapsIn(page);
    if (nodes === 0) fail(`${f}: no node drawn`);
    if (found.length) fail(`${f}: nodes overlap: ${found.join(", ")}`);
    if (errors.length) fail(`${f}: script errors: ${errors.join("; ")}`);
    await page.screenshot({ path: path.join(screens, f.replace(/\.html$/, ".png")), fullPage: true });
    pages++;
  }
  console.log(`Chromium opened ${pages} report pages (screenshots taken), no nodes overlapping`);

  // Step through the data-pipeline run with the keyboard.
  const run = JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8"));
  errors.length = 0;
  await page.goto("file://" + path.join(out, "run.html"));
  const total = await page.evaluate(
    () => JSON.parse(document.getElementById("steps").textContent).steps.length
  );
  if (total !== run.trace.length) fail(`run.html has ${total} steps, the trace ${run.trace.length} events`);
  // Task and link names to ids, from the DOT ids wfl gives: tasks in order, links in order.
  const names = await page.evaluate(() =>
    Array.from(document.querySelectorAll("svg g.node.task[id]")).map((g) => [g.id, g.querySelector("text").textContent])
  );
  const taskId = Object.fromEntries(names.map(([id, name]) => [name, id]));
  await page.keyboard.press("Home");
  const fillOf = (id) =>
    page.evaluate((id) => getComputedStyle(document.getElementById(id).querySelector(".shape")).fill, id);
  const strokeOf = (id) =>
    page.evaluate((id) => getComputedStyle(document.getElementById(id).querySelector("path")).stroke, id);
  for (const [name, id] of Object.entries(taskId)) {
    if ((await fillOf(id)) !== TASK_FILL.WAITING) fail(`at the start, ${name} is not WAITING's colour`);
  }
  // The links of the JSON trace are named `a -> b`; the page's edges are l0, l1, … in link order,
  // the order of the DOT output's edge statements.
  const dot = fs.readFileSync(path.join(out, "sales_pipeline_0.dot"), "utf8");
  const linkByName = {};
  for (const m of dot.matchAll(/^  (t\d+) -> (t\d+) \[id="(l\d+)"(.*)\];$/gm)) {
    const from = names.find(([id]) => id === m[1])[1];
    const to = names.find(([id]) => id === m[2])[1];
    const error = m[4].includes('label="on error') ? " on error" : "";
    linkByName[`${from} -> ${to}${error}`] = m[3];
  }
  let checked = 0;
  for (let k = 0; k < run.trace.length; k++) {
    await page.keyboard.press("ArrowRight");
    const event = run.trace[k];
    const shown = await page.evaluate(() => document.getElementById("position").textContent);
    if (shown !== `step ${k + 1} of ${run.trace.length}`) fail(`after ${k + 1} presses the page says "${shown}"`);
    if (event.kind === "task") {
      const fill = await fillOf(taskId[event.name]);
      if (fill !== TASK_FILL[event.to]) fail(`step ${k + 1}: ${event.name} should be ${event.to} (${TASK_FILL[event.to]}), is ${fill}`);
      checked++;
    } else if (event.kind === "link") {
      const id = linkByName[event.name];
      if (!id) { fail(`step ${k + 1}: no edge for link ${event.name}`); continue; }
      const stroke = await strokeOf(id);
      if (stroke !== LINK_STROKE[event.to]) fail(`step ${k + 1}: link ${event.name} should be ${event.to} (${LINK_STROKE[event.to]}), is ${stroke}`);
      checked++;
    }
  }
  // Back to the start with the slider's neighbour buttons, then the end state again.
  await page.click("#first");
  if ((await fillOf(taskId["extract_customers"])) !== TASK_FILL.WAITING) fail("`first` does not go back to the start");
  await page.click("#last");
  if ((await fillOf(taskId["extract_customers"])) !== TASK_FILL.FINISHED_FAILURE) fail("`last` does not show the end");
  if (errors.length) fail(`run.html: script errors: ${errors.join("; ")}`);
  await page.keyboard.press("Home");
  await page.screenshot({ path: path.join(screens, "run_start.png"), fullPage: true });
  console.log(`stepped through the data-pipeline run: ${run.trace.length} steps, ${checked} colours checked against the trace`);

  if (outside.length) fail(`requests outside the files: ${outside.join(", ")}`);
  await browser.close();
  if (failures.length) {
    console.error(`${failures.length} failed`);
    process.exit(1);
  }
  console.log("all pictures checked");
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
