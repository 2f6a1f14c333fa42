// The TextMate grammar of `.wfl` files, written as JavaScript so that the regular expressions
// can share their pieces (a name, a state name, the start of a statement) instead of repeating
// them escaped in JSON. `node grammar.js` writes syntaxes/wfl.tmLanguage.json, the file VS Code
// reads (and syntaxes/wfl.markdown.tmLanguage.json, for ```wfl blocks in Markdown);
// test/grammar.test.js fails when those files are not what this one produces.
//
// How it follows grammar/wfl.pest (the syntax) and specs/language.md (the reference):
// - Keywords are contextual (section 1.10): a word is scoped as a keyword only where the pest
//   grammar reads it as one. Items, their bodies and the statements of each body are begin/end
//   regions, and each statement's keyword is recognised only at the start of a statement and
//   with what must follow it (`event` starts a declaration only when a name follows it, so
//   `event -> actor on go` is a transition between two states).
// - A statement ends at a newline, a `;` or the `}` of its block (section 1.2); it goes on past a
//   newline only inside brackets, parentheses and braces (nested regions) and after `and` / `or`
//   (a continuation region that ends at the next line's first token), as section 1.3 says.
// - Names are scoped by what they name where the syntax says it (the tasks of a link, the states
//   of a transition, the event of `on`, the children group of a quantifier); a bare name in an
//   expression is only `variable.other.wfl`, since what it names is decided by resolution.
// - Comments: `//`, `/* … */` (not nested), `///` doc comments (a line of its own, exactly three
//   slashes), and `// wfl: allow(CODES) reason` suppression comments (a line of their own), with
//   the diagnostic codes inside them scoped too.
"use strict";

const IDENT = "[A-Za-z_][A-Za-z0-9_]*";
/** `FAILED.PREPARE`: a state name, one name for all its dots. */
const DOTTED = `${IDENT}(?:\\.${IDENT})*`;
const STRING = '"(?:[^"\\\\]|\\\\.)*"';
/** A state name: an identifier, a dotted name or a string. */
const STATE = `(?:${DOTTED}|${STRING})`;
/** The words an expression reads as its own (pest's `reserved`). */
const RESERVED = "(?:and|or|not|in|where|true|false)\\b";
/** The start of a statement: a line's first token, or the token after a `;`, a `{` or a block comment. */
const START = "(?:^|(?<=[;{]|\\*/))[ \\t]*";
/**
 * A line that starts an item at its first column. Every region that a closing token ends (a body,
 * a block, a list, parentheses) ends there too, as the parser starts again at such a line when a
 * `}` is missing: so one unclosed block does not take the rest of the file with it.
 */
const NEXT_ITEM = `(?=^(?:workflow|machine|scenario)[ \\t]+[A-Za-z_"])`;
/** `close` (a regular expression), or the start of the next item. */
const closedBy = (close) => `${close}|${NEXT_ITEM}`;
/** A statement ends at a `;`, at the `}` of its block, or at the end of its line. */
const END = closedBy("(?=[;}])|$");
/** `on NAME` or `by NAME`: a clause of a transition or a link, never part of an expression. */
const CLAUSE = `\\b(?:on|by)[ \\t]+(?!${RESERVED})[A-Za-z_]`;
/** A quantifier's word followed by its group: `count workers` (pest's `quantifier`). */
const QUANTIFIER = `\\b(?:any|all|no|count)[ \\t]+(?!${RESERVED})(?!${CLAUSE})${IDENT}\\b`;

const scope = {
  workflowName: "entity.name.type.workflow.wfl",
  machineName: "entity.name.type.machine.wfl",
  itemRef: "entity.name.type.wfl",
  scenarioName: "entity.name.function.scenario.wfl",
  task: "entity.name.function.task.wfl",
  event: "entity.name.function.event.wfl",
  view: "entity.name.function.view.wfl",
  state: "variable.other.enummember.state.wfl",
  member: "variable.other.enummember.wfl",
  variable: "variable.other.wfl",
  children: "variable.other.children.wfl",
  actor: "variable.parameter.actor.wfl",
  property: "support.type.property-name.wfl",
  propertyValue: "constant.other.property-value.wfl",
  string: "string.quoted.double.wfl",
  arrow: "keyword.operator.arrow.wfl",
  assignment: "keyword.operator.assignment.wfl",
  comma: "punctuation.separator.comma.wfl",
  code: "constant.other.diagnostic-code.wfl",
};
const storage = (word) => `storage.type.${word}.wfl`;
const control = (word) => `keyword.control.${word}.wfl`;

/** Scopes for the numbered groups of a regular expression: `captures({1: "a", 2: "b"})`. */
function captures(names) {
  const out = {};
  for (const [group, name] of Object.entries(names)) {
    out[group] = typeof name === "string" ? { name } : name;
  }
  return out;
}

/** A capture that is a state name: a string keeps its escapes scoped. */
const stateCapture = { name: scope.state, patterns: [{ include: "#string-escapes" }] };

/** A region from `begin` to the end of its statement. */
function statement(begin, beginCaptures, patterns) {
  return { begin, beginCaptures: captures(beginCaptures), end: END, patterns };
}

/**
 * A region from `open` to `close` (regular expressions), which may span lines: the two are scoped
 * `punctuation.section.KIND.begin` and `.end`.
 */
function enclosed(open, close, kind, patterns) {
  return {
    begin: open,
    beginCaptures: captures({ 0: `punctuation.section.${kind}.begin.wfl` }),
    end: closedBy(close),
    endCaptures: captures({ 0: `punctuation.section.${kind}.end.wfl` }),
    patterns,
  };
}

/** A bracketed list `[ … ]`, its names scoped by `nameRule`. */
const list = (nameRule) =>
  enclosed("\\[", "\\]", "brackets", [{ include: "#comments" }, { include: "#comma" }, nameRule]);

/**
 * A block `{ … }` of `statements` separated by newlines or `;`: an item's body, a task's
 * properties, a state's hooks, actions.
 */
const block = (statements) =>
  enclosed("\\{", "\\}", "block", [
    { include: "#comments" },
    { include: "#semicolon" },
    ...statements,
    { include: "#fallback" },
  ]);

/** `-> TARGET`: the arrow and the state (or `history`) of a transition or an `initial` rule. */
const arrowToState = {
  match: `(->)(?:[ \\t]*(?:(history)(?![\\w.])|(${DOTTED})|(${STRING})))?`,
  captures: captures({
    1: scope.arrow,
    2: "constant.language.history.wfl",
    3: scope.state,
    4: { name: `${scope.string} ${scope.state}`, patterns: [{ include: "#string-escapes" }] },
  }),
};

const grammar = {
  $schema: "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
  name: "wfl",
  scopeName: "source.wfl",
  fileTypes: ["wfl"],
  patterns: [
    { include: "#comments" },
    { include: "#workflow" },
    { include: "#machine" },
    { include: "#scenario" },
  ],
  repository: {
    // ---------------------------------------------------------------------------------------
    // Comments

    comments: {
      patterns: [
        { include: "#suppression-comment" },
        { include: "#doc-comment" },
        { include: "#line-comment" },
        { include: "#block-comment" },
      ],
    },
    // `// wfl: allow(W0201, unused_variable) reason` on a line of its own (specs/diagnostics.md,
    // W0002): after code it is no suppression (W0003), and is scoped as a plain comment.
    "suppression-comment": {
      begin: "^([ \\t]*)((//)(?!/)[ \\t]*(wfl:))",
      beginCaptures: captures({
        2: "comment.line.double-slash.suppression.wfl",
        3: "punctuation.definition.comment.wfl",
        4: "keyword.other.directive.wfl",
      }),
      contentName: "comment.line.double-slash.suppression.wfl",
      end: "$",
      patterns: [
        {
          begin: "\\G[ \\t]*(allow)[ \\t]*(\\()",
          beginCaptures: captures({
            1: "keyword.other.directive.allow.wfl",
            2: "punctuation.section.parens.begin.wfl",
          }),
          end: "(\\))|$",
          endCaptures: captures({ 1: "punctuation.section.parens.end.wfl" }),
          patterns: [
            { include: "#diagnostic-code" },
            { match: "\\b[a-z][a-z0-9_]*\\b", name: "constant.other.rule-name.wfl" },
            { include: "#comma" },
          ],
        },
      ],
    },
    // `///` as the first non-blank characters of a line, and not four slashes (section 1.5).
    "doc-comment": {
      begin: "^([ \\t]*)(///)(?!/)",
      beginCaptures: captures({
        2: "comment.line.documentation.wfl punctuation.definition.comment.wfl",
      }),
      contentName: "comment.line.documentation.wfl",
      end: "$",
      patterns: [
        { include: "#diagnostic-code" },
        { match: "`[^`]*`", name: "markup.inline.raw.wfl" },
      ],
    },
    "line-comment": {
      begin: "//",
      beginCaptures: captures({ 0: "punctuation.definition.comment.wfl" }),
      name: "comment.line.double-slash.wfl",
      end: "$",
      patterns: [{ include: "#diagnostic-code" }],
    },
    // Block comments do not nest: the first `*/` closes one (section 1.4).
    "block-comment": {
      begin: "/\\*",
      beginCaptures: captures({ 0: "punctuation.definition.comment.begin.wfl" }),
      end: "\\*/",
      endCaptures: captures({ 0: "punctuation.definition.comment.end.wfl" }),
      name: "comment.block.wfl",
      patterns: [{ include: "#diagnostic-code" }],
    },
    "diagnostic-code": { match: "\\b[EWN][0-9]{4}\\b", name: scope.code },

    // ---------------------------------------------------------------------------------------
    // Items: a head, then a body in braces (the `{` may be on a later line).

    workflow: {
      begin: `\\b(workflow)\\b(?:[ \\t]+(${IDENT}))?(?:[ \\t]+(${STRING}))?`,
      beginCaptures: captures({
        1: storage("workflow"),
        2: scope.workflowName,
        3: { name: scope.string, patterns: [{ include: "#string-escapes" }] },
      }),
      end: `(?<=\\})|(?=^[ \\t]*(?:workflow|machine|scenario)\\b)`,
      patterns: [{ include: "#comments" }, { include: "#strings" }, { include: "#workflow-body" }],
    },
    machine: {
      begin: `\\b(machine)\\b(?:[ \\t]+(${IDENT}))?(?:[ \\t]+(${STRING}))?`,
      beginCaptures: captures({
        1: storage("machine"),
        2: scope.machineName,
        3: { name: scope.string, patterns: [{ include: "#string-escapes" }] },
      }),
      end: `(?<=\\})|(?=^[ \\t]*(?:workflow|machine|scenario)\\b)`,
      patterns: [{ include: "#comments" }, { include: "#strings" }, { include: "#machine-body" }],
    },
    scenario: {
      begin: `\\b(scenario)\\b(?:[ \\t]+(?:(${STRING})|(?!for\\b)(${IDENT})))?(?:[ \\t]+(for)\\b(?:[ \\t]+(${IDENT}))?)?`,
      beginCaptures: captures({
        1: storage("scenario"),
        2: { name: scope.string, patterns: [{ include: "#string-escapes" }] },
        3: scope.scenarioName,
        4: control("for"),
        5: scope.itemRef,
      }),
      end: `(?<=\\})|(?=^[ \\t]*(?:workflow|machine|scenario)\\b)`,
      patterns: [{ include: "#comments" }, { include: "#strings" }, { include: "#scenario-body" }],
    },

    // ---------------------------------------------------------------------------------------
    // Workflows (section 4)

    "workflow-body": block([
      { include: "#var-declaration" },
      { include: "#task-declaration" },
      { include: "#start-property" },
      { include: "#property" },
      { include: "#link" },
    ]),
    "task-declaration": statement(`${START}(task)(?=[ \\t]+[A-Za-z_])`, { 1: storage("task") }, [
      { include: "#comments" },
      { include: "#comma" },
      { include: "#property-block" },
      { match: `\\b${IDENT}\\b`, name: scope.task },
    ]),
    "property-block": block([{ include: "#property" }]),
    // `start = extract` or `start = [a, b]`: the value names tasks.
    "start-property": statement(
      `${START}(start)[ \\t]*(=)(?!=)`,
      { 1: scope.property, 2: scope.assignment },
      [
        { include: "#comments" },
        list({ match: `\\b${IDENT}\\b`, name: scope.task }),
        { match: `\\b${IDENT}\\b`, name: scope.task },
        { include: "#fallback" },
      ],
    ),
    // `NAME = VALUE`: workflow and task properties.
    property: statement(`${START}(${IDENT})[ \\t]*(=)(?!=)`, { 1: scope.property, 2: scope.assignment }, [
      { include: "#comments" },
      { include: "#literals" },
      list({ match: `\\b${IDENT}\\b`, name: scope.propertyValue }),
      { match: `\\b${IDENT}\\b`, name: scope.propertyValue },
      { include: "#fallback" },
    ]),
    // `SOURCES -> TARGETS [on error] [when EXPR]`: every name of the endpoints is a task.
    link: {
      patterns: [
        statement(`${START}(${IDENT})(?=[ \\t]*->)`, { 1: scope.task }, [{ include: "#link-rest" }]),
        statement(`${START}(?=\\[)`, {}, [{ include: "#link-rest" }]),
      ],
    },
    "link-rest": {
      patterns: [
        { include: "#comments" },
        list({ match: `\\b${IDENT}\\b`, name: scope.task }),
        {
          match: `(->)(?:[ \\t]*(${IDENT})\\b)?`,
          captures: captures({ 1: scope.arrow, 2: scope.task }),
        },
        {
          match: "\\b(on)[ \\t]+(error)\\b",
          captures: captures({ 1: control("on"), 2: control("error") }),
        },
        { include: "#when-clause" },
        { include: "#fallback" },
      ],
    },

    // ---------------------------------------------------------------------------------------
    // Variables (section 3), in workflows and machines

    "var-declaration": statement(
      // `initial input var` and `input var` (section 5.10): a machine's inputs.
      `${START}(?:(initial)[ \\t]+)?(?:(input)[ \\t]+)?(var)[ \\t]+(${IDENT})`,
      {
        1: "storage.modifier.initial.wfl",
        2: "storage.modifier.input.wfl",
        3: storage("var"),
        4: scope.variable,
      },
      [
        { include: "#comments" },
        { match: ":", name: "punctuation.separator.colon.wfl" },
        { match: "\\b(?:bool|int)\\b", name: "support.type.primitive.wfl" },
        { match: "\\.\\.", name: "keyword.operator.range.wfl" },
        // `{full, delta}`: an enumeration, whose braces may span lines.
        enclosed("\\{", "\\}", "braces", [
          { include: "#comments" },
          { include: "#comma" },
          { match: `\\b${IDENT}\\b`, name: scope.member },
        ]),
        { match: "=(?!=)", name: scope.assignment },
        { include: "#literals" },
        // The default of an enumeration is one of its members.
        { match: `\\b${IDENT}\\b`, name: scope.member },
        { include: "#fallback" },
      ],
    ),

    // ---------------------------------------------------------------------------------------
    // Machines (section 5)

    "machine-body": block([
      { include: "#var-declaration" },
      { include: "#children-declaration" },
      { include: "#event-declaration" },
      { include: "#actor-declaration" },
      { include: "#initial-rule" },
      { include: "#state-declaration" },
      { include: "#view-declaration" },
      { include: "#transition" },
    ]),
    "children-declaration": {
      match: `${START}(children)[ \\t]+(${IDENT})(?:[ \\t]*(:)(?:[ \\t]*(${IDENT}))?)?`,
      captures: captures({
        1: storage("children"),
        2: scope.children,
        3: "punctuation.separator.colon.wfl",
        4: scope.machineName,
      }),
    },
    // `event` and `actor` start a declaration only when a name follows them (section 5.9).
    // `external event` and `internal event` say where the events come from (section 5.9).
    "event-declaration": statement(
      `${START}(?:(external|internal)[ \\t]+)?(event)(?=[ \\t]+[A-Za-z_])`,
      { 1: "storage.modifier.origin.wfl", 2: storage("event") },
      [
        { include: "#comments" },
        { include: "#comma" },
        { match: `\\b${IDENT}\\b`, name: scope.event },
      ],
    ),
    "actor-declaration": statement(`${START}(actor)(?=[ \\t]+[A-Za-z_])`, { 1: storage("actor") }, [
      { include: "#comments" },
      { include: "#comma" },
      { match: `\\b${IDENT}\\b`, name: scope.actor },
    ]),
    "initial-rule": statement(`${START}(initial)(?=[ \\t]*->)`, { 1: control("initial") }, [
      { include: "#comments" },
      arrowToState,
      { include: "#when-clause" },
      { include: "#fallback" },
    ]),
    // `[transient | final] state A, B [{ on enter { … } on exit { … } }]`
    "state-declaration": statement(
      `${START}(?:(transient|final)[ \\t]+)?(state)(?=[ \\t]+[A-Za-z_"])`,
      { 1: "storage.modifier.$1.wfl", 2: storage("state") },
      [
        { include: "#comments" },
        { include: "#comma" },
        // The hooks: `on enter { … }`, `on exit { … }`.
        block([
          {
            match: "\\b(on)[ \\t]+(enter|exit)\\b",
            captures: captures({ 1: control("on"), 2: "keyword.control.$2.wfl" }),
          },
          { include: "#action-block" },
        ]),
        { include: "#state-name" },
      ],
    ),
    "view-declaration": statement(
      `${START}(view)[ \\t]+(${IDENT})(?:[ \\t]*(=)(?!=))?`,
      { 1: storage("view"), 2: scope.view, 3: scope.assignment },
      [{ include: "#expression" }],
    ),
    // `SOURCES -> TARGET [on EVENT [or EVENT…]] [when EXPR] [by ACTOR] [{ ACTIONS }]`
    transition: {
      patterns: [
        statement(
          `${START}(?:(\\*)|(${DOTTED})|(${STRING}))(?=[ \\t]*->)`,
          {
            1: "constant.language.wildcard.wfl",
            2: scope.state,
            3: { name: `${scope.string} ${scope.state}`, patterns: [{ include: "#string-escapes" }] },
          },
          [{ include: "#transition-rest" }],
        ),
        statement(`${START}(?=\\[)`, {}, [{ include: "#transition-rest" }]),
      ],
    },
    "transition-rest": {
      patterns: [
        { include: "#comments" },
        list({ include: "#state-name" }),
        arrowToState,
        { include: "#on-clause" },
        { include: "#when-clause" },
        { include: "#by-clause" },
        { include: "#action-block" },
        { include: "#fallback" },
      ],
    },
    // `on go or start`: the events that take a transition; a line may end after an `or`.
    "on-clause": {
      begin: `\\b(on)[ \\t]+(${IDENT})\\b`,
      beginCaptures: captures({ 1: control("on"), 2: scope.event }),
      end: "(?![ \\t]*\\bor\\b)",
      patterns: [
        {
          begin: "\\b(or)\\b(?=[ \\t]*(?:$|//|/\\*))",
          beginCaptures: captures({ 1: "keyword.operator.logical.wfl" }),
          end: `${NEXT_ITEM}|\\b(${IDENT})\\b`,
          endCaptures: captures({ 1: scope.event }),
          patterns: [{ include: "#comments" }],
        },
        {
          match: `\\b(or)[ \\t]+(${IDENT})\\b`,
          captures: captures({ 1: "keyword.operator.logical.wfl", 2: scope.event }),
        },
      ],
    },
    "by-clause": {
      match: `\\b(by)[ \\t]+(${IDENT})\\b`,
      captures: captures({ 1: control("by"), 2: scope.actor }),
    },
    // `when EXPR`: ends where the statement does, or at a clause that follows the expression.
    "when-clause": {
      begin: "\\b(when)\\b",
      beginCaptures: captures({ 1: control("when") }),
      end: closedBy(`(?=${CLAUSE})|(?=[{;}])|$`),
      patterns: [{ include: "#expression" }],
    },
    // The actions of a transition or a hook (section 5.5).
    "action-block": block([
      statement(
        `${START}(set)[ \\t]+(${IDENT})(?:[ \\t]*(=)(?!=))?`,
        { 1: control("set"), 2: scope.variable, 3: scope.assignment },
        [{ include: "#expression" }],
      ),
      statement(
        `${START}(send)[ \\t]+(${IDENT})(?:[ \\t]+(to)\\b)?`,
        { 1: control("send"), 2: scope.event, 3: control("to") },
        [
          { include: "#comments" },
          {
            match: `\\b(in)[ \\t]+(${STATE})`,
            captures: captures({ 1: "keyword.operator.in.wfl", 2: stateCapture }),
          },
          {
            begin: "\\b(in)[ \\t]*(?=\\[)",
            beginCaptures: captures({ 1: "keyword.operator.in.wfl" }),
            end: closedBy("(?<=\\])"),
            patterns: [list({ include: "#state-name" })],
          },
          // `one` is the keyword only when a group other than `in` follows it.
          {
            match: `\\b(one)[ \\t]+(?!in\\b)(${IDENT})\\b`,
            captures: captures({ 1: control("one"), 2: scope.children }),
          },
          { match: "\\bparent\\b(?![\\w.])", name: "variable.language.parent.wfl" },
          { include: "#index" },
          { match: `\\b${IDENT}\\b`, name: scope.children },
          { include: "#fallback" },
        ],
      ),
      {
        match: `${START}(raise)[ \\t]+(${IDENT})\\b`,
        captures: captures({ 1: control("raise"), 2: scope.event }),
      },
    ]),
    "state-name": {
      patterns: [
        { match: `\\b${DOTTED}\\b`, name: scope.state },
        {
          begin: '"',
          beginCaptures: captures({ 0: "punctuation.definition.string.begin.wfl" }),
          end: '"|$',
          endCaptures: captures({ 0: "punctuation.definition.string.end.wfl" }),
          name: `${scope.string} ${scope.state}`,
          patterns: [{ include: "#string-escapes" }],
        },
      ],
    },

    // ---------------------------------------------------------------------------------------
    // Scenarios (section 6)

    "scenario-body": block([
      // `set PATH = VALUE`: the value is a constant, so a name in it is a member.
      statement(
        `${START}(set)[ \\t]+([A-Za-z_][\\w.\\[\\]]*)(?:[ \\t]*(=)(?!=))?`,
        { 1: control("set"), 2: { patterns: [{ include: "#path" }] }, 3: scope.assignment },
        [
          { include: "#comments" },
          { include: "#literals" },
          { match: `\\b${DOTTED}\\b`, name: scope.member },
          { include: "#fallback" },
        ],
      ),
      statement(`${START}(fail)(?=[ \\t]+[A-Za-z_\\[])`, { 1: control("fail") }, [
        { include: "#task-names" },
      ]),
      statement(`${START}(start)[ \\t]+(from)\\b`, { 1: control("start"), 2: control("from") }, [
        { include: "#task-names" },
      ]),
      {
        match: `${START}(duration)[ \\t]+(${IDENT})\\b(?:[ \\t]*(=)(?!=))?`,
        captures: captures({ 1: control("duration"), 2: scope.task, 3: scope.assignment }),
      },
      {
        match: `${START}(stop|kill)[ \\t]+(at)\\b`,
        captures: captures({ 1: "keyword.control.$1.wfl", 2: control("at") }),
      },
      {
        match: `${START}(spawn)[ \\t]+([A-Za-z_][\\w.\\[\\]]*)(?:[ \\t]*(\\*))?`,
        captures: captures({
          1: control("spawn"),
          2: { patterns: [{ include: "#path-of-groups" }] },
          3: "keyword.operator.arithmetic.wfl",
        }),
      },
      statement(`${START}(send)[ \\t]+(${IDENT})\\b`, { 1: control("send"), 2: scope.event }, [
        { include: "#comments" },
        {
          match: "\\b(to)[ \\t]+([A-Za-z_][\\w.\\[\\]]*)",
          captures: captures({ 1: control("to"), 2: { patterns: [{ include: "#path-of-groups" }] } }),
        },
        { include: "#by-clause" },
        { include: "#fallback" },
      ]),
      statement(`${START}(expect)\\b`, { 1: control("expect") }, [{ include: "#expression" }]),
    ]),
    "task-names": {
      patterns: [
        { include: "#comments" },
        { include: "#comma" },
        list({ match: `\\b${IDENT}\\b`, name: scope.task }),
        { match: `\\b${IDENT}\\b`, name: scope.task },
        { include: "#fallback" },
      ],
    },
    // `workers[1].kind`: the segments with an index are children groups; the last is a variable.
    path: {
      patterns: [
        { match: `\\b${IDENT}(?=\\[)`, name: scope.children },
        { include: "#path-punctuation" },
        { match: `\\b${IDENT}\\b`, name: scope.variable },
      ],
    },
    // `subcrews[0].workers` in `spawn` and `send … to`: every segment is a children group.
    "path-of-groups": {
      patterns: [{ include: "#path-punctuation" }, { match: `\\b${IDENT}\\b`, name: scope.children }],
    },
    "path-punctuation": {
      patterns: [
        { match: "\\[", name: "punctuation.section.brackets.begin.wfl" },
        { match: "\\]", name: "punctuation.section.brackets.end.wfl" },
        { match: "[0-9]+", name: "constant.numeric.integer.wfl" },
        { match: "\\.", name: "punctuation.accessor.wfl" },
      ],
    },

    // ---------------------------------------------------------------------------------------
    // Expressions (section 7)

    expression: {
      patterns: [
        { include: "#comments" },
        { include: "#strings" },
        enclosed("\\(", "\\)", "parens", [{ include: "#expression" }]),
        { include: "#quantifier" },
        {
          // `link a -> b [on error]`: the state of a link, in workflow scenarios.
          match: `\\b(link)[ \\t]+(${IDENT})[ \\t]*(->)[ \\t]*(${IDENT})\\b(?:[ \\t]+(on)[ \\t]+(error)\\b)?`,
          captures: captures({
            1: "keyword.other.link.wfl",
            2: scope.task,
            3: scope.arrow,
            4: scope.task,
            5: control("on"),
            6: control("error"),
          }),
        },
        {
          // `state == READY`: the other side of the instance's state is one of its states.
          match: `\\b(state)[ \\t]*(==|!=)[ \\t]*(?!${RESERVED})(?!${QUANTIFIER})(${STATE})`,
          captures: captures({
            1: "variable.language.state.wfl",
            2: "keyword.operator.comparison.wfl",
            3: stateCapture,
          }),
        },
        { match: "\\bstate\\b(?![.\\[])", name: "variable.language.state.wfl" },
        {
          // `workers[0] == Busy`: a child compared with one of its machine's states.
          match: `(?<=\\])[ \\t]*(==|!=)[ \\t]*(?!${RESERVED})(?!${QUANTIFIER})(${STATE})`,
          captures: captures({ 1: "keyword.operator.comparison.wfl", 2: stateCapture }),
        },
        { include: "#in-values" },
        { include: "#continuation" },
        { match: "\\b(?:and|or|not)\\b", name: "keyword.operator.logical.wfl" },
        { match: "\\bwhere\\b", name: "keyword.operator.where.wfl" },
        { include: "#literals" },
        { include: "#index" },
        { include: "#operators" },
        { match: `\\b${IDENT}(?=\\[)`, name: scope.children },
        // `FAILED.PREPARE`: a dotted name is a state (or member) name, never a variable.
        { match: `(?<![\\w.])${IDENT}(?:\\.${IDENT})+\\b`, name: scope.member },
        { match: `\\b${IDENT}\\b`, name: scope.variable },
        { include: "#punctuation" },
      ],
    },
    // `any workers in [Idle, Busy]`: the group, then the states of the child machine.
    quantifier: {
      begin: `\\b(any|all|no|count)[ \\t]+(?!${RESERVED})(?!${CLAUSE})(${IDENT})\\b`,
      beginCaptures: captures({ 1: "keyword.operator.quantifier.wfl", 2: scope.children }),
      // Right after the group, unless an `in` follows it.
      end: "(?!\\G[ \\t]+in\\b)",
      patterns: [
        {
          match: `\\G[ \\t]+(in)[ \\t]+(${STATE})`,
          captures: captures({ 1: "keyword.operator.in.wfl", 2: stateCapture }),
        },
        {
          begin: "\\G[ \\t]+(in)[ \\t]*(?=\\[)",
          beginCaptures: captures({ 1: "keyword.operator.in.wfl" }),
          end: closedBy("(?<=\\])"),
          patterns: [list({ include: "#state-name" })],
        },
      ],
    },
    // `x in [a, b]` and `x in a`: the values are constants, so their names are members or states.
    "in-values": {
      patterns: [
        {
          begin: "\\b(in)[ \\t]*(\\[)",
          beginCaptures: captures({
            1: "keyword.operator.in.wfl",
            2: "punctuation.section.brackets.begin.wfl",
          }),
          end: closedBy("\\]"),
          endCaptures: captures({ 0: "punctuation.section.brackets.end.wfl" }),
          patterns: [
            { include: "#comments" },
            { include: "#comma" },
            { include: "#literals" },
            { include: "#strings" },
            { match: `\\b${DOTTED}\\b`, name: scope.member },
          ],
        },
        {
          match: `\\b(in)[ \\t]+(?!${RESERVED})(?!${QUANTIFIER})(?!link[ \\t]+[A-Za-z_])(${DOTTED})\\b`,
          captures: captures({ 1: "keyword.operator.in.wfl", 2: scope.member }),
        },
        { match: "\\bin\\b", name: "keyword.operator.in.wfl" },
      ],
    },
    // `and` / `or` at the end of a line: the expression goes on at the next line's first token.
    continuation: {
      begin: "\\b(and|or)\\b(?=[ \\t]*(?:$|//|/\\*))",
      beginCaptures: captures({ 1: "keyword.operator.logical.wfl" }),
      end: "(?=[^ \\t\\n])",
      applyEndPatternLast: 1,
      patterns: [{ include: "#comments" }],
    },
    // `workers[i]`: an index, an expression of its own.
    index: enclosed("(?<=[A-Za-z0-9_])\\[", "\\]", "brackets", [{ include: "#expression" }]),

    // ---------------------------------------------------------------------------------------
    // Tokens

    literals: {
      patterns: [
        { match: "\\b(?:true|false)\\b", name: "constant.language.boolean.wfl" },
        { include: "#numbers" },
        { include: "#strings" },
      ],
    },
    numbers: {
      patterns: [
        { match: "(?<![\\w])-?[0-9]+\\.[0-9]+(?!\\w)", name: "constant.numeric.decimal.wfl" },
        { match: "(?<![\\w])-?[0-9]+(?!\\w)(?!\\.[0-9])", name: "constant.numeric.integer.wfl" },
      ],
    },
    strings: {
      begin: '"',
      beginCaptures: captures({ 0: "punctuation.definition.string.begin.wfl" }),
      end: '"|$',
      endCaptures: captures({ 0: "punctuation.definition.string.end.wfl" }),
      name: scope.string,
      patterns: [{ include: "#string-escapes" }],
    },
    // `\"`, `\\`, `\n` and `\t`; any other escape is a syntax error (section 1.8).
    "string-escapes": {
      patterns: [
        { match: '\\\\["\\\\nt]', name: "constant.character.escape.wfl" },
        { match: "\\\\.", name: "invalid.illegal.escape.wfl" },
      ],
    },
    operators: {
      patterns: [
        { match: "->", name: scope.arrow },
        { match: "==|!=|<=|>=|<|>", name: "keyword.operator.comparison.wfl" },
        { match: "=", name: scope.assignment },
        { match: "[+\\-*]", name: "keyword.operator.arithmetic.wfl" },
        { match: "\\.\\.", name: "keyword.operator.range.wfl" },
      ],
    },
    punctuation: {
      patterns: [
        { include: "#comma" },
        { include: "#semicolon" },
        { match: ":", name: "punctuation.separator.colon.wfl" },
        { match: "\\.", name: "punctuation.accessor.wfl" },
      ],
    },
    comma: { match: ",", name: scope.comma },
    semicolon: { match: ";", name: "punctuation.terminator.statement.wfl" },
    // What a statement that the rules above do not read (a mistake, or one being typed) still
    // shows: its literals, operators and punctuation, and no keyword.
    fallback: {
      patterns: [{ include: "#literals" }, { include: "#operators" }, { include: "#punctuation" }],
    },
  },
};

/**
 * ```wfl code blocks in Markdown (the specs are full of them): injected into VS Code's Markdown
 * grammar, a fence whose info string starts with `wfl` (`wfl expect=E0101`, `wfl fragment`) is
 * tokenised with the grammar above until its closing fence, as VS Code does for the languages it
 * knows.
 */
const markdownInjection = {
  scopeName: "markdown.wfl.codeblock",
  injectionSelector: "L:text.html.markdown",
  patterns: [{ include: "#wfl-code-block" }],
  repository: {
    "wfl-code-block": {
      begin: "(^|\\G)(\\s*)(`{3,}|~{3,})\\s*(?i:(wfl)((?:\\s+|:|,|\\{|\\?)[^`]*)?$)",
      beginCaptures: captures({
        3: "punctuation.definition.markdown",
        4: "fenced_code.block.language.markdown",
        5: "fenced_code.block.language.attributes.markdown",
      }),
      end: "(^|\\G)(\\2|\\s{0,3})(\\3)\\s*$",
      endCaptures: captures({ 3: "punctuation.definition.markdown" }),
      name: "markup.fenced_code.block.markdown",
      patterns: [
        {
          begin: "(^|\\G)(\\s*)(.*)",
          while: "(^|\\G)(?!\\s*([`~]{3,})\\s*$)",
          contentName: "meta.embedded.block.wfl",
          patterns: [{ include: "source.wfl" }],
        },
      ],
    },
  },
};

/** The files VS Code reads, by their path in this package. */
const outputs = {
  "syntaxes/wfl.tmLanguage.json": grammar,
  "syntaxes/wfl.markdown.tmLanguage.json": markdownInjection,
};

module.exports = { grammar, markdownInjection, outputs, scope };

if (require.main === module) {
  const fs = require("fs");
  const path = require("path");
  for (const [file, content] of Object.entries(outputs)) {
    fs.writeFileSync(path.join(__dirname, file), JSON.stringify(content, null, 2) + "\n");
    console.log(`wrote ${file}`);
  }
}
