// The scopes the grammar gives to small cases of every construct of the language
// (specs/language.md), and to the words that are keywords in one place and names in another.
// Run with `node --test` (scripts/check-editor runs it).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const path = require("path");
const { loadGrammar, tokenize } = require("./support/tokenize");
const { outputs, scope } = require("../grammar");

const KEYWORD_LIKE = /^(?:keyword|storage|constant\.language|variable\.language|support\.type)\./;

/**
 * Checks the scopes of `text`'s tokens. `expected` lists `[TOKEN, SPEC…]` in the order the tokens
 * appear (tokens not listed are skipped); each SPEC is a scope the token must have, or `!PREFIX`
 * for scopes it must not have (`!keyword` for none that is keyword-like).
 */
async function check(text, expected) {
  const grammar = await loadGrammar();
  const { lines } = tokenize(grammar, text);
  const tokens = lines.flat().filter((t) => t.text.trim() !== "");
  const listing = () =>
    tokens.map((t) => `  ${JSON.stringify(t.text)} ${t.scopes.slice(1).join(" ")}`).join("\n");
  let at = 0;
  for (const [want, ...specs] of expected) {
    while (at < tokens.length && tokens[at].text.trim() !== want) at++;
    assert.ok(at < tokens.length, `no token ${JSON.stringify(want)} in order; the tokens:\n${listing()}`);
    const { scopes } = tokens[at];
    for (const spec of specs) {
      if (spec === "!keyword") {
        const bad = scopes.filter((s) => KEYWORD_LIKE.test(s));
        assert.deepEqual(bad, [], `${JSON.stringify(want)} is scoped as a keyword: ${scopes.join(" ")}`);
      } else if (spec.startsWith("!")) {
        const bad = scopes.filter((s) => s.startsWith(spec.slice(1)));
        assert.deepEqual(bad, [], `${JSON.stringify(want)} has ${spec.slice(1)}: ${scopes.join(" ")}`);
      } else {
        assert.ok(
          scopes.includes(spec),
          `${JSON.stringify(want)} lacks ${spec}: it has ${scopes.slice(1).join(" ")}\nthe tokens:\n${listing()}`,
        );
      }
    }
    at++;
  }
}

const kw = {
  storage: (w) => `storage.type.${w}.wfl`,
  control: (w) => `keyword.control.${w}.wfl`,
  logical: "keyword.operator.logical.wfl",
  in: "keyword.operator.in.wfl",
  quantifier: "keyword.operator.quantifier.wfl",
  comparison: "keyword.operator.comparison.wfl",
  arithmetic: "keyword.operator.arithmetic.wfl",
  int: "constant.numeric.integer.wfl",
  decimal: "constant.numeric.decimal.wfl",
  bool: "constant.language.boolean.wfl",
};

test("syntaxes/ holds what grammar.js writes (run `node grammar.js`)", () => {
  for (const [file, content] of Object.entries(outputs)) {
    const written = fs.readFileSync(path.join(__dirname, "..", file), "utf8");
    assert.equal(written, JSON.stringify(content, null, 2) + "\n", file);
  }
});

test("a workflow: properties, variables, tasks and links", () =>
  check(
    `/// Nightly.
workflow nightly "Nightly load" {
  continue_on_failure = true
  max_parallel = 2
  start = [extract]
  var rows: int 0..1000 = -3
  var mode: {full, delta} = delta
  task extract, load { duration = 3; failure_rate = 0.05 }
  task report { accept = at_least_one }
  extract -> load when rows > 0 and mode == full
  [extract, load] -> report on error
  load -> report when rows > 1000 on error
}`,
    [
      ["///", "comment.line.documentation.wfl"],
      ["workflow", kw.storage("workflow")],
      ["nightly", scope.workflowName],
      ['"Nightly load"', scope.string],
      ["continue_on_failure", scope.property],
      ["=", scope.assignment],
      ["true", kw.bool],
      ["max_parallel", scope.property],
      ["2", kw.int],
      ["start", scope.property],
      ["extract", scope.task],
      ["var", kw.storage("var")],
      ["rows", scope.variable],
      ["int", "support.type.primitive.wfl"],
      ["0", kw.int],
      ["..", "keyword.operator.range.wfl"],
      ["1000", kw.int],
      ["-3", kw.int],
      ["mode", scope.variable],
      ["full", scope.member],
      ["delta", scope.member],
      ["delta", scope.member],
      ["task", kw.storage("task")],
      ["extract", scope.task],
      ["load", scope.task],
      ["duration", scope.property],
      ["3", kw.int],
      [";", "punctuation.terminator.statement.wfl"],
      ["failure_rate", scope.property],
      ["0.05", kw.decimal],
      ["report", scope.task],
      ["accept", scope.property],
      ["at_least_one", scope.propertyValue],
      ["extract", scope.task],
      ["->", scope.arrow],
      ["load", scope.task],
      ["when", kw.control("when")],
      ["rows", scope.variable],
      [">", kw.comparison],
      ["and", kw.logical],
      ["mode", scope.variable],
      ["==", kw.comparison],
      ["full", scope.variable],
      ["[", "punctuation.section.brackets.begin.wfl"],
      ["extract", scope.task],
      ["load", scope.task],
      ["report", scope.task],
      ["on", kw.control("on")],
      ["error", kw.control("error")],
      ["load", scope.task],
      ["report", scope.task],
      ["when", kw.control("when")],
      ["1000", kw.int],
      ["on", kw.control("on")],
      ["error", kw.control("error")],
      ["}", "punctuation.section.block.end.wfl"],
    ],
  ));

test("a machine: declarations, rules, hooks, transitions, actions and views", () =>
  check(
    `machine activity "Activity" {
  event start, complete
  actor user
  var kind: {automatic, manual}
  children workers: worker
  initial -> WORKING when kind == automatic
  state READY, WORKING, FAILED.PREPARE
  transient state LAUNCHING
  final state COMPLETED, "NOT USED"
  state Stopping {
    on enter { send stop to workers in Busy }
    on exit { set count = count + 1; raise done }
  }
  READY -> WORKING on start or resume by user { send go to one workers in [Idle, Busy] }
  [READY, WORKING] -> "NOT USED" on scope_end
  * -> FAILED.PREPARE on crash
  FAILED.PREPARE -> history on retry
  WORKING -> COMPLETED when all workers in Done where (not heavy) and count workers > 1
  WORKING -> WORKING on ping { send ping to workers[count - 1]; send up to parent }
  view in_progress = state == WORKING or state in [READY, LAUNCHING]
}`,
    [
      ["machine", kw.storage("machine")],
      ["activity", scope.machineName],
      ['"Activity"', scope.string],
      ["event", kw.storage("event")],
      ["start", scope.event],
      ["complete", scope.event],
      ["actor", kw.storage("actor")],
      ["user", scope.actor],
      ["var", kw.storage("var")],
      ["kind", scope.variable],
      ["automatic", scope.member],
      ["children", kw.storage("children")],
      ["workers", scope.children],
      ["worker", scope.machineName],
      ["initial", kw.control("initial")],
      ["->", scope.arrow],
      ["WORKING", scope.state],
      ["when", kw.control("when")],
      ["kind", scope.variable],
      ["state", kw.storage("state")],
      ["READY", scope.state],
      ["FAILED.PREPARE", scope.state],
      ["transient", "storage.modifier.transient.wfl"],
      ["state", kw.storage("state")],
      ["LAUNCHING", scope.state],
      ["final", "storage.modifier.final.wfl"],
      ["COMPLETED", scope.state],
      ["NOT USED", scope.state, scope.string],
      ["Stopping", scope.state],
      ["{", "punctuation.section.block.begin.wfl"],
      ["on", kw.control("on")],
      ["enter", kw.control("enter")],
      ["send", kw.control("send")],
      ["stop", scope.event],
      ["to", kw.control("to")],
      ["workers", scope.children],
      ["in", kw.in],
      ["Busy", scope.state],
      ["exit", kw.control("exit")],
      ["set", kw.control("set")],
      ["count", scope.variable],
      ["=", scope.assignment],
      ["count", scope.variable],
      ["+", kw.arithmetic],
      ["1", kw.int],
      ["raise", kw.control("raise")],
      ["done", scope.event],
      ["READY", scope.state],
      ["WORKING", scope.state],
      ["on", kw.control("on")],
      ["start", scope.event],
      ["or", kw.logical],
      ["resume", scope.event],
      ["by", kw.control("by")],
      ["user", scope.actor],
      ["send", kw.control("send")],
      ["go", scope.event],
      ["one", kw.control("one")],
      ["workers", scope.children],
      ["Idle", scope.state],
      ["Busy", scope.state],
      ["READY", scope.state],
      ["WORKING", scope.state],
      ['"NOT USED"', scope.state],
      ["scope_end", scope.event],
      ["*", "constant.language.wildcard.wfl"],
      ["FAILED.PREPARE", scope.state],
      ["crash", scope.event],
      ["FAILED.PREPARE", scope.state],
      ["history", "constant.language.history.wfl"],
      ["retry", scope.event],
      ["COMPLETED", scope.state],
      ["all", kw.quantifier],
      ["workers", scope.children],
      ["in", kw.in],
      ["Done", scope.state],
      ["where", "keyword.operator.where.wfl"],
      ["(", "punctuation.section.parens.begin.wfl"],
      ["not", kw.logical],
      ["heavy", scope.variable],
      ["count", kw.quantifier],
      ["workers", scope.children],
      [">", kw.comparison],
      ["ping", scope.event],
      ["ping", scope.event],
      ["workers", scope.children],
      ["[", "punctuation.section.brackets.begin.wfl"],
      ["count", scope.variable],
      ["-", kw.arithmetic],
      ["]", "punctuation.section.brackets.end.wfl"],
      ["up", scope.event],
      ["parent", "variable.language.parent.wfl"],
      ["view", kw.storage("view")],
      ["in_progress", scope.view],
      ["state", "variable.language.state.wfl"],
      ["WORKING", scope.state],
      ["or", kw.logical],
      ["state", "variable.language.state.wfl"],
      ["in", kw.in],
      ["READY", scope.member],
      ["}", "punctuation.section.block.end.wfl"],
    ],
  ));

test("scenarios of a workflow and of a machine", () =>
  check(
    `scenario "validation fails" for nightly {
  set rows = 10
  set mode = full
  duration extract = 2
  fail validate, load
  fail [report]
  start from validate
  stop at 1
  kill at 3
  expect link validate -> report on error == ACCEPTED
  expect workflow == FINISHED_OK and extract in [FINISHED_OK, SKIPPED]
}
scenario two_workers for crew {
  spawn workers * 2
  spawn subcrews[0].workers * 1
  set workers[1].kind = manual
  send go to workers[1] by operator
  expect workers[0] == Running and workers[0].busy
  expect count workers in Running == 1
  expect subcrews[0] == FAILED.PREPARE
}`,
    [
      ["scenario", kw.storage("scenario")],
      ['"validation fails"', scope.string],
      ["for", kw.control("for")],
      ["nightly", scope.itemRef],
      ["set", kw.control("set")],
      ["rows", scope.variable],
      ["10", kw.int],
      ["mode", scope.variable],
      ["full", scope.member],
      ["duration", kw.control("duration")],
      ["extract", scope.task],
      ["2", kw.int],
      ["fail", kw.control("fail")],
      ["validate", scope.task],
      ["load", scope.task],
      ["report", scope.task],
      ["start", kw.control("start")],
      ["from", kw.control("from")],
      ["validate", scope.task],
      ["stop", kw.control("stop")],
      ["at", kw.control("at")],
      ["1", kw.int],
      ["kill", kw.control("kill")],
      ["at", kw.control("at")],
      ["expect", kw.control("expect")],
      ["link", "keyword.other.link.wfl"],
      ["validate", scope.task],
      ["->", scope.arrow],
      ["report", scope.task],
      ["on", kw.control("on")],
      ["error", kw.control("error")],
      ["==", kw.comparison],
      ["ACCEPTED", scope.variable],
      ["workflow", scope.variable, "!keyword"],
      ["extract", scope.variable],
      ["in", kw.in],
      ["FINISHED_OK", scope.member],
      ["SKIPPED", scope.member],
      ["two_workers", scope.scenarioName],
      ["crew", scope.itemRef],
      ["spawn", kw.control("spawn")],
      ["workers", scope.children],
      ["*", kw.arithmetic],
      ["subcrews", scope.children],
      ["0", kw.int],
      ["workers", scope.children],
      ["set", kw.control("set")],
      ["workers", scope.children],
      ["kind", scope.variable],
      ["manual", scope.member],
      ["send", kw.control("send")],
      ["go", scope.event],
      ["to", kw.control("to")],
      ["workers", scope.children],
      ["by", kw.control("by")],
      ["operator", scope.actor],
      ["expect", kw.control("expect")],
      ["workers", scope.children],
      ["Running", scope.state],
      ["busy", scope.variable],
      ["count", kw.quantifier],
      ["Running", scope.state],
      ["subcrews", scope.children],
      ["FAILED.PREPARE", scope.state],
    ],
  ));

test("keywords are keywords only where the grammar reads them so (specs/language.md 1.10, 8.3)", () =>
  check(
    `machine m {
  var mode: {history, on}
  state event, actor, any
  initial -> event
  event -> actor on go
  actor -> any when 1 > count on go
  any -> any on tick when mode == on
  any -> any on go { send go to one in Idle }
}
workflow machine {
  task start, link, state_x
  start -> link
}`,
    [
      ["history", scope.member, "!keyword"],
      ["on", scope.member, "!keyword"],
      ["state", kw.storage("state")],
      ["event", scope.state, "!keyword"],
      ["actor", scope.state, "!keyword"],
      ["any", scope.state, "!keyword"],
      ["event", scope.state, "!keyword"],
      ["event", scope.state, "!keyword"],
      ["actor", scope.state, "!keyword"],
      ["go", scope.event],
      ["actor", scope.state, "!keyword"],
      ["any", scope.state, "!keyword"],
      ["count", scope.variable, "!keyword"],
      ["on", kw.control("on")],
      ["go", scope.event],
      ["any", scope.state],
      ["on", kw.control("on")],
      ["tick", scope.event],
      ["mode", scope.variable],
      ["on", scope.variable, "!keyword"],
      ["one", scope.children, "!keyword"],
      ["in", kw.in],
      ["Idle", scope.state],
      ["workflow", kw.storage("workflow")],
      ["machine", scope.workflowName, "!keyword"],
      ["start", scope.task, "!keyword"],
      ["link", scope.task, "!keyword"],
      ["start", scope.task, "!keyword"],
      ["link", scope.task, "!keyword"],
    ],
  ));

test("statements go on after `and`, `or` and inside brackets, and only there (section 1.3)", () =>
  check(
    `workflow continued
{
  var ready: bool
  task extract, clean, load
  [
    extract,
    clean,        // a trailing comma
  ] -> load when ready and
                 rows > 0
  task after
}
machine w {
  var x: bool
  initial -> A
  A -> A on go or
    stop when x or
    (x and
     x)
  state A
}`,
    [
      ["{", "punctuation.section.block.begin.wfl"],
      ["var", kw.storage("var")],
      ["extract", scope.task],
      ["clean", scope.task],
      ["]", "punctuation.section.brackets.end.wfl"],
      ["load", scope.task],
      ["and", kw.logical],
      ["rows", scope.variable],
      [">", kw.comparison],
      ["task", kw.storage("task")],
      ["after", scope.task],
      ["or", kw.logical],
      ["stop", scope.event, "!keyword"],
      ["when", kw.control("when")],
      ["(", "punctuation.section.parens.begin.wfl"],
      ["x", scope.variable],
      [")", "punctuation.section.parens.end.wfl"],
      ["state", kw.storage("state")],
      ["A", scope.state],
    ],
  ));

test("statements separated by `;`, and several items on one line (section 1.2)", () =>
  check(
    `workflow compact { task a; task b;; a -> b } machine m { state S; initial -> S }`,
    [
      ["workflow", kw.storage("workflow")],
      ["task", kw.storage("task")],
      ["a", scope.task],
      ["task", kw.storage("task")],
      ["b", scope.task],
      ["a", scope.task],
      ["->", scope.arrow],
      ["b", scope.task],
      ["}", "punctuation.section.block.end.wfl"],
      ["machine", kw.storage("machine")],
      ["m", scope.machineName],
      ["state", kw.storage("state")],
      ["S", scope.state],
      ["initial", kw.control("initial")],
      ["S", scope.state],
    ],
  ));

test("comments: line, block, doc and suppression comments, and the codes in them", () =>
  check(
    `// wfl: allow(N0417) the whole machine
machine m {
  // wfl: allow(W0201, unused_variable) the state is left by an operator
  state A // wfl: allow(W0100) after code: not a suppression
  /// Doc with \`code\` and W0100.
  //// four slashes: a plain comment
  state B /// after code: a plain comment
  /* a block E0001
     over lines */ initial -> A
}`,
    [
      ["//", "comment.line.double-slash.suppression.wfl", "punctuation.definition.comment.wfl"],
      ["wfl:", "keyword.other.directive.wfl"],
      ["allow", "keyword.other.directive.allow.wfl"],
      ["N0417", scope.code],
      ["the whole machine", "comment.line.double-slash.suppression.wfl"],
      ["machine", kw.storage("machine")],
      ["//", "comment.line.double-slash.suppression.wfl"],
      ["(", "punctuation.section.parens.begin.wfl"],
      ["W0201", scope.code, "comment.line.double-slash.suppression.wfl"],
      [",", "punctuation.separator.comma.wfl"],
      ["unused_variable", "constant.other.rule-name.wfl"],
      [")", "punctuation.section.parens.end.wfl"],
      ["the state is left by an operator", "comment.line.double-slash.suppression.wfl"],
      ["state", kw.storage("state")],
      ["//", "comment.line.double-slash.wfl", "!comment.line.double-slash.suppression"],
      ["W0100", scope.code, "!comment.line.double-slash.suppression"],
      ["///", "comment.line.documentation.wfl"],
      ["`code`", "markup.inline.raw.wfl", "comment.line.documentation.wfl"],
      ["W0100", scope.code, "comment.line.documentation.wfl"],
      ["//", "comment.line.double-slash.wfl", "!comment.line.documentation"],
      ["B", scope.state],
      ["//", "comment.line.double-slash.wfl", "!comment.line.documentation"],
      ["/*", "comment.block.wfl"],
      ["E0001", scope.code, "comment.block.wfl"],
      ["*/", "comment.block.wfl"],
      ["initial", kw.control("initial")],
      ["A", scope.state],
    ],
  ));

test("strings, escapes and numbers (section 1.8)", () =>
  check(
    `workflow titled "Quote \\"this\\" \\\\ and a\\ttab" {
  var limit: int -5..5 = -3
  task a { failure_rate = 1.5 }
  a -> b when limit-3 != -6
}
machine bad { state "bad \\q" }`,
    [
      ["\\\"", "constant.character.escape.wfl", scope.string],
      ["\\\\", "constant.character.escape.wfl"],
      ["\\t", "constant.character.escape.wfl"],
      ["-5", kw.int],
      ["..", "keyword.operator.range.wfl"],
      ["5", kw.int],
      ["-3", kw.int],
      ["1.5", kw.decimal],
      ["limit", scope.variable],
      ["-", kw.arithmetic],
      ["3", kw.int],
      ["!=", kw.comparison],
      ["-6", kw.int],
      ["\\q", "invalid.illegal.escape.wfl"],
    ],
  ));

test("`on` and `by` followed by a name are clauses, even after a quantifier's word (section 7.8)", () =>
  check(
    `machine crew {
  children on: worker
  children by: worker
  var count: int
  state any, B
  initial -> any
  any -> B on go when count on in Idle > count { send go to on }
  B -> any on back when state == any by user
  B -> any on stop when (all by) by admin
  history.saved -> wait.in on x
}`,
    [
      ["on", scope.children],
      ["by", scope.children],
      ["count", scope.variable],
      ["count", kw.quantifier],
      ["on", scope.children, "!keyword"],
      ["in", kw.in],
      ["Idle", scope.state],
      ["count", scope.variable],
      ["on", scope.children],
      ["any", scope.state, "!keyword"],
      ["by", kw.control("by")],
      ["user", scope.actor],
      ["all", kw.quantifier],
      ["by", scope.children, "!keyword"],
      [")", "punctuation.section.parens.end.wfl"],
      ["by", kw.control("by")],
      ["admin", scope.actor],
      ["history.saved", scope.state, "!keyword"],
      ["wait.in", scope.state, "!keyword"],
      ["x", scope.event],
    ],
  ));

test("a body left open ends at the next item that starts a line, as the parser recovers", () =>
  check(
    `machine broken {
  state A
  A -> A on go {
workflow next {
  task a
}
machine open_list {
  [A, B -> A on go or
scenario s for m {
  expect (x and
machine m {
  state A
}`,
    [
      ["machine", kw.storage("machine")],
      ["workflow", kw.storage("workflow")],
      ["next", scope.workflowName],
      ["task", kw.storage("task")],
      ["a", scope.task],
      ["}", "punctuation.section.block.end.wfl"],
      ["open_list", scope.machineName],
      ["scenario", kw.storage("scenario")],
      ["s", scope.scenarioName],
      ["expect", kw.control("expect")],
      ["machine", kw.storage("machine")],
      ["state", kw.storage("state")],
      ["A", scope.state],
    ],
  ));
