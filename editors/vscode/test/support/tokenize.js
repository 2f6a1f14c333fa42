// Tokenises text with the libraries VS Code uses: vscode-textmate reading this package's grammars
// (syntaxes/), with the Oniguruma regular expressions of vscode-oniguruma.
// `node test/support/tokenize.js FILE…` prints each token of .wfl files with its scopes.
"use strict";
const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const SYNTAXES = path.join(__dirname, "..", "..", "syntaxes");
/** The grammars by scope name: this package's, and a bare host for the Markdown injection. */
const GRAMMARS = {
  "source.wfl": path.join(SYNTAXES, "wfl.tmLanguage.json"),
  "markdown.wfl.codeblock": path.join(SYNTAXES, "wfl.markdown.tmLanguage.json"),
};
// VS Code's Markdown grammar is not a package of its own: the injection is tested in a host
// grammar that scopes nothing, so every scope in a ```wfl block comes from the injection.
const MARKDOWN_HOST = { scopeName: "text.html.markdown", patterns: [] };

let registry;
/** A grammar of this package (`source.wfl`) or the Markdown host, loaded once. */
function loadGrammar(scopeName = "source.wfl") {
  if (!registry) {
    const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
    const onigLib = oniguruma.loadWASM(wasm).then(() => ({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }));
    registry = new vsctm.Registry({
      onigLib,
      loadGrammar: async (name) => {
        if (name === MARKDOWN_HOST.scopeName) return MARKDOWN_HOST;
        const file = GRAMMARS[name];
        return file ? vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null;
      },
      getInjections: (name) => (name === MARKDOWN_HOST.scopeName ? ["markdown.wfl.codeblock"] : undefined),
    });
  }
  return registry.loadGrammar(scopeName);
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
