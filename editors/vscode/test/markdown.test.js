// ```wfl code blocks in Markdown: the injection grammar (syntaxes/wfl.markdown.tmLanguage.json)
// tokenises their contents with the wfl grammar, and nothing outside them.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { loadGrammar, tokenize } = require("./support/tokenize");
const { ROOT } = require("./support/corpus");

const EMBEDDED = "meta.embedded.block.wfl";

test("a ```wfl block is wfl up to its closing fence, and the text around it is not", async () => {
  const markdown = await loadGrammar("text.html.markdown");
  const { lines } = tokenize(
    markdown,
    ["A workflow:", "", "```wfl expect=E0101", "workflow w {", "  task a", "}", "```", "task b"].join("\n"),
  );
  const scopesOf = (line, text) => lines[line].find((t) => t.text.trim() === text).scopes;
  assert.ok(scopesOf(2, "wfl").includes("fenced_code.block.language.markdown"));
  assert.ok(scopesOf(3, "workflow").includes("storage.type.workflow.wfl"));
  assert.ok(scopesOf(4, "a").includes("entity.name.function.task.wfl"));
  assert.ok(scopesOf(4, "a").includes(EMBEDDED));
  assert.ok(scopesOf(5, "}").includes("punctuation.section.block.end.wfl"));
  assert.ok(!scopesOf(7, "task b").some((s) => s.endsWith(".wfl")), "after the block");
});

test("in the specs and the README, exactly the lines of ```wfl blocks are wfl", async () => {
  const markdown = await loadGrammar("text.html.markdown");
  const docs = fs
    .readdirSync(path.join(ROOT, "specs"))
    .map((f) => path.join("specs", f))
    .concat(["README.md"])
    .filter((f) => f.endsWith(".md"));
  let blockLines = 0;
  for (const doc of docs) {
    const text = fs.readFileSync(path.join(ROOT, doc), "utf8");
    const { lines } = tokenize(markdown, text);
    let inside = false;
    text.split("\n").forEach((line, i) => {
      const closing = inside && /^```\s*$/.test(line);
      const opening = !inside && /^```wfl(\s.*)?$/.test(line);
      const tokens = lines[i].filter((t) => t.text.trim() !== "");
      if (inside && !closing) {
        blockLines++;
        for (const t of tokens) {
          assert.ok(t.scopes.includes(EMBEDDED), `${doc}:${i + 1}: ${JSON.stringify(t.text)} is not wfl`);
        }
      } else {
        for (const t of tokens) {
          assert.ok(!t.scopes.includes(EMBEDDED), `${doc}:${i + 1}: ${JSON.stringify(t.text)} is wfl`);
        }
      }
      if (opening) inside = true;
      if (closing) inside = false;
    });
  }
  assert.ok(blockLines > 1000, `only ${blockLines} lines in wfl blocks`);
});
