// The grammar over every `.wfl` text of the repository: the examples, the test fixtures and the
// ```wfl blocks of the specs (test/corpus.js). A text that parses must leave the grammar back at
// the top level (every item, block and list it opened closed again: the braces were matched
// the way the language matches them) with no token scoped invalid; every text, even a broken
// one, is tokenised without a line giving up. And every keyword of grammar/wfl.pest must be
// scoped as one somewhere, so that a keyword added to the language is not forgotten here.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { loadGrammar, tokenize } = require("./support/tokenize");
const corpus = require("./support/corpus");

const KEYWORD_LIKE = /^(?:keyword|storage|constant\.language|variable\.language|support\.type)\./;

/** What is wrong with the tokens of a text that parses, as a list of sentences. */
function problems({ lines, depth, stoppedEarly }, parses) {
  const found = [];
  if (stoppedEarly) found.push("a line took too long and was left unscoped");
  if (!parses) return found;
  if (depth !== 1) found.push(`the grammar ends ${depth - 1} region(s) deep instead of at the top level`);
  lines.forEach((tokens, i) => {
    for (const t of tokens) {
      if (t.scopes.some((s) => s.startsWith("invalid"))) {
        found.push(`line ${i + 1}: ${JSON.stringify(t.text)} is scoped ${t.scopes.join(" ")}`);
      }
    }
  });
  return found;
}

test("the examples: every token outside blanks has a scope, and the items close", async () => {
  const grammar = await loadGrammar();
  const items = corpus.examples();
  assert.ok(items.length >= 5, "the examples were not found");
  for (const { name, text, parses } of items) {
    const result = tokenize(grammar, text);
    assert.deepEqual(problems(result, parses), [], name);
    result.lines.forEach((tokens, i) => {
      for (const t of tokens) {
        if (t.text.trim() !== "") {
          assert.ok(t.scopes.length > 1, `${name}:${i + 1}: ${JSON.stringify(t.text)} has no scope`);
        }
      }
    });
  }
});

test("the examples: statements start with their keyword, and comments have their kind", async () => {
  const grammar = await loadGrammar();
  const STATEMENT = /^\s*(workflow|machine|scenario|var|task|children|event|actor|initial|transient|final|state|view|set|send|raise|fail|duration|spawn|expect)\s+(?!->)/;
  let statements = 0;
  for (const { name, text } of corpus.examples()) {
    const { lines } = tokenize(grammar, text);
    text.split("\n").forEach((line, i) => {
      const first = lines[i].find((t) => t.text.trim() !== "");
      const where = `${name}:${i + 1}: ${JSON.stringify(line.trim())}`;
      if (STATEMENT.test(line)) {
        statements++;
        assert.ok(first.scopes.some((s) => KEYWORD_LIKE.test(s)), `${where} does not start with a keyword`);
      } else if (/^\s*\/\/\/(?!\/)/.test(line)) {
        assert.ok(first.scopes.includes("comment.line.documentation.wfl"), `${where}: not a doc comment`);
      } else if (/^\s*\/\/\s*wfl:/.test(line)) {
        assert.ok(first.scopes.includes("comment.line.double-slash.suppression.wfl"), `${where}: not a suppression`);
      } else if (/^\s*\/\//.test(line)) {
        assert.ok(first.scopes.includes("comment.line.double-slash.wfl"), `${where}: not a comment`);
      }
    });
  }
  assert.ok(statements > 500, `only ${statements} statements were found`);
});

test("the test fixtures and the specs' wfl blocks that parse leave the grammar at the top level", async () => {
  const grammar = await loadGrammar();
  const items = [...corpus.fixtures(), ...corpus.specBlocks()];
  assert.ok(items.filter((i) => i.parses).length > 300, "fewer texts than expected were found");
  const failures = [];
  for (const { name, text, parses } of items) {
    for (const problem of problems(tokenize(grammar, text), parses)) failures.push(`${name}: ${problem}`);
  }
  assert.deepEqual(failures, []);
});

test("every keyword of grammar/wfl.pest is scoped as a keyword somewhere", async () => {
  const grammar = await loadGrammar();
  const pest = fs.readFileSync(path.join(corpus.ROOT, "grammar", "wfl.pest"), "utf8");
  const code = pest.replace(/\/\/.*$/gm, "");
  const keywords = new Set([...code.matchAll(/"([a-z]+)"/g)].map((m) => m[1]));
  assert.ok(keywords.has("workflow") && keywords.has("where"), "the pest grammar was not read");
  const seen = new Set();
  const texts = [...corpus.examples(), ...corpus.fixtures(), ...corpus.specBlocks()];
  for (const { text } of texts) {
    for (const tokens of tokenize(grammar, text).lines) {
      for (const t of tokens) {
        if (t.scopes.some((s) => KEYWORD_LIKE.test(s))) seen.add(t.text.trim());
      }
    }
  }
  const missing = [...keywords].filter((k) => !seen.has(k)).sort();
  assert.deepEqual(missing, [], "keywords of the language that the grammar never scopes as keywords");
});
