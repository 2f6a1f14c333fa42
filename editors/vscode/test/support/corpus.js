// The repository's own `.wfl` texts, for the tests that tokenise everything: the examples, the
// conformance cases, the test fixtures and the ```wfl blocks of the specs and the README. Each
// text says whether it parses (`parses`): a fixture whose `// expect:` line or a block whose
// `expect=` lists a lexical or syntax error (E0001–E0007) does not, and may leave the grammar in
// the middle of an item, as it leaves an editor.
"use strict";
const fs = require("fs");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..", "..", "..");
const SYNTAX_ERROR = /\bE000[0-9]\b/;

/** Every `*.wfl` file below `dir`, sorted. */
function wflFiles(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith(".wfl")) found.push(p);
    }
  };
  walk(dir);
  return found.sort();
}

const rel = (p) => path.relative(ROOT, p);

/** The examples: every one of them parses. */
function examples() {
  return wflFiles(path.join(ROOT, "examples")).map((file) => ({
    name: rel(file),
    text: fs.readFileSync(file, "utf8"),
    parses: true,
  }));
}

/**
 * The test files that say what they expect: fixtures with a `// expect:` first line, and the
 * conformance cases (which have none and parse).
 */
function fixtures() {
  const out = [];
  for (const file of wflFiles(path.join(ROOT, "tests"))) {
    const text = fs.readFileSync(file, "utf8");
    const expect = /^\/\/ expect:(.*)/.exec(text);
    if (expect) {
      out.push({ name: rel(file), text, parses: !SYNTAX_ERROR.test(expect[1]) });
    } else if (rel(file).startsWith(path.join("tests", "conformance"))) {
      out.push({ name: rel(file), text, parses: true });
    }
  }
  return out;
}

/** The ```wfl blocks of specs/*.md and README.md (not the `wfl fragment` ones). */
function specBlocks() {
  const out = [];
  const docs = fs
    .readdirSync(path.join(ROOT, "specs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => path.join(ROOT, "specs", f))
    .concat([path.join(ROOT, "README.md")]);
  for (const doc of docs) {
    const lines = fs.readFileSync(doc, "utf8").split("\n");
    for (let i = 0; i < lines.length; i++) {
      const open = /^```wfl(\s.*)?$/.exec(lines[i]);
      if (!open) continue;
      const info = open[1] || "";
      const start = i + 1;
      let end = start;
      while (end < lines.length && !/^```\s*$/.test(lines[end])) end++;
      if (!/\bfragment\b/.test(info)) {
        out.push({
          name: `${rel(doc)}:${start + 1}`,
          text: lines.slice(start, end).join("\n"),
          parses: !SYNTAX_ERROR.test(info),
        });
      }
      i = end;
    }
  }
  return out;
}

module.exports = { ROOT, examples, fixtures, specBlocks };
