// Tokenises `.wfl` text with the libraries VS Code uses: vscode-textmate reading
// syntaxes/wfl.tmLanguage.json, with the Oniguruma regular expressions of vscode-oniguruma.
// `node test/tokenize.js FILE…` prints each token with its scopes (to look at the grammar's work).
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const GRAMMAR = path.join(__dirname, "..", "..", "syntaxes", "wfl.tmLanguage.json");

let loaded;
/** The grammar, loaded once. */
function loadGrammar() {
  if (!loaded) {
    const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
    const onigLib = oniguruma.loadWASM(wasm).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    const registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (scopeName) =>
        scopeName === "source.wfl"
          ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR, "utf8"), GRAMMAR)
          : null,
    });
    loaded = registry.loadGrammar("source.wfl");
  }
  return loaded;
}

/**
 * The tokens of `text`, line by line, as VS Code would make them: `lines[i]` is a list of
 * `{ text, scopes }`. `depth` is the depth of the rule stack after the last line (1: back at the
 * top level, outside every item); `stoppedEarly` is set when a line took too long.
 */
function tokenize(grammar, text) {
  let stack = vsctm.INITIAL;
  const lines = [];
  let stoppedEarly = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    const result = grammar.tokenizeLine(line, stack, 1000);
    stoppedEarly ||= result.stoppedEarly;
    lines.push(
      result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes })),
    );
    stack = result.ruleStack;
  }
  return { lines, depth: stack.depth, stoppedEarly };
}

module.exports = { loadGrammar, tokenize };

if (require.main === module) {
  loadGrammar().then((grammar) => {
    for (const file of process.argv.slice(2)) {
      const { lines, depth } = tokenize(grammar, fs.readFileSync(file, "utf8"));
      lines.forEach((tokens, i) => {
        console.log(`${i + 1}:`);
        for (const t of tokens) {
          console.log(`  ${JSON.stringify(t.text)}  ${t.scopes.slice(1).join(" ")}`);
        }
      });
      console.log(`${file}: ends at depth ${depth}`);
    }
  });
}
