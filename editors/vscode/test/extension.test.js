// The extension in Node, with a stand-in for the `vscode` module (test/support/vscode-stub.js):
// it loads with the real vscode-languageclient, its package.json names files that exist and
// settings and commands it uses, it finds the `wfl` program as the settings say, it reports a
// missing one, and it starts `wfl lsp` (a stand-in server) and stops it.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const os = require("os");
const path = require("path");
const { installVscodeStub } = require("./support/vscode-stub");

// The extension's directory: this package, or (WFL_EXTENSION_DIR) the `extension/` directory of
// a packaged .vsix, so that scripts/check-editor can run these tests on what vsce packaged.
const PACKAGE_DIR = path.resolve(process.env.WFL_EXTENSION_DIR || path.join(__dirname, ".."));
const manifest = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "package.json"), "utf8"));

/** A fresh directory under the system's temporary one, removed when the test ends. */
function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfl-vscode-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An executable file `dir/name` that runs `script` with Node. */
function program(dir, name, script) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`);
  fs.chmodSync(file, 0o755);
  return file;
}

/** Runs `body` with `process.env.PATH` set to `value`. */
async function withPath(value, body) {
  const saved = process.env.PATH;
  process.env.PATH = value;
  try {
    return await body();
  } finally {
    process.env.PATH = saved;
  }
}

const vscode = installVscodeStub();
const extension = require(path.join(PACKAGE_DIR, "extension"));

test("extension.js loads with vscode-languageclient and exports activate and deactivate", () => {
  assert.equal(typeof extension.activate, "function");
  assert.equal(typeof extension.deactivate, "function");
});

test("package.json names files that exist, and the settings and commands the extension uses", () => {
  assert.ok(fs.existsSync(path.join(PACKAGE_DIR, manifest.main)), manifest.main);
  const [language] = manifest.contributes.languages;
  assert.deepEqual(language.extensions, [".wfl"]);
  assert.deepEqual(manifest.activationEvents, [`onLanguage:${language.id}`]);
  const configuration = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, language.configuration), "utf8"));
  assert.equal(configuration.comments.lineComment, "//");
  const [grammar, markdown] = manifest.contributes.grammars;
  assert.equal(grammar.language, language.id);
  for (const { path: file, scopeName } of [grammar, markdown]) {
    const tm = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, file), "utf8"));
    assert.equal(tm.scopeName, scopeName, file);
  }
  assert.deepEqual(markdown.injectTo, ["text.html.markdown"]);
  assert.deepEqual(Object.values(markdown.embeddedLanguages), [language.id]);
  const settings = Object.keys(manifest.contributes.configuration.properties);
  assert.deepEqual(settings.sort(), ["wfl.server.path", "wfl.trace.server"]);
  assert.equal(manifest.contributes.configuration.properties["wfl.server.path"].default, "wfl");
  const source = fs.readFileSync(path.join(PACKAGE_DIR, manifest.main), "utf8");
  // vscode-languageclient reads `<client id>.trace.server` itself.
  assert.match(source, /new LanguageClient\("wfl",/);
  assert.match(source, /getConfiguration\("wfl"\)\.get\("server\.path"/);
  assert.equal(manifest.version, cargoVersion(), "the package's version is the crate's");
});

/** The version in the repository's Cargo.toml. */
function cargoVersion() {
  const cargo = fs.readFileSync(path.join(__dirname, "..", "..", "..", "Cargo.toml"), "utf8");
  return /^version = "([^"]+)"/m.exec(cargo)[1];
}

test("language-configuration.json indents inside blocks and lists and continues doc comments", () => {
  const config = JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, "language-configuration.json"), "utf8"));
  const increase = new RegExp(config.indentationRules.increaseIndentPattern);
  const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
  for (const line of ["machine door {", "  state A {   // hooks", "  [", "  Open -> Open when ("]) {
    assert.ok(increase.test(line), line);
  }
  for (const line of ["  task a", "  a -> b when x", "  task a { duration = 2 }", "workflow w {} /* c"]) {
    assert.ok(!increase.test(line), line);
  }
  assert.ok(decrease.test("  }") && decrease.test("]") && !decrease.test("  a -> b"));
  const [doc] = config.onEnterRules;
  assert.ok(new RegExp(doc.beforeText).test("  /// Docs") && !new RegExp(doc.beforeText).test("  //// no"));
  const word = new RegExp(`^(?:${config.wordPattern})$`);
  assert.ok(word.test("FAILED.PREPARE") && word.test("rows") && word.test("-3") && !word.test("a b"));
});

test("findServer looks a bare name up on the PATH, and reads a path as one", (t) => {
  const dir = tempDir(t);
  const wfl = program(dir, "wfl", "/dev/null");
  fs.writeFileSync(path.join(dir, "not-executable"), "");
  const empty = tempDir(t);
  const env = { PATH: [empty, dir].join(path.delimiter) };
  assert.deepEqual(extension.findServer("wfl", env, undefined, "linux"), { path: wfl });
  assert.deepEqual(extension.findServer("  ", env, undefined, "linux"), { path: wfl }, "empty: the default");
  assert.deepEqual(extension.findServer(wfl, {}, undefined, "linux"), { path: wfl });
  assert.deepEqual(extension.findServer("./wfl", {}, dir, "linux"), { path: wfl }, "relative to the workspace");
  const missing = extension.findServer("wfl", { PATH: empty }, undefined, "linux");
  assert.match(missing.message, /no "wfl" on the PATH/);
  assert.match(missing.message, /"wfl\.server\.path"/);
  assert.match(missing.message, /cargo install --path \./);
  const notRunnable = extension.findServer(path.join(dir, "not-executable"), {}, undefined, "linux");
  assert.match(notRunnable.message, /is not a program that can be run/);
  assert.match(extension.findServer("~/no/such/wfl", {}, undefined, "linux").message, new RegExp(os.homedir()));
});

test("without a wfl program, activation says how to get one and starts nothing", async (t) => {
  const empty = tempDir(t);
  const context = { subscriptions: [] };
  await withPath(empty, () => extension.activate(context));
  assert.equal(vscode.calls.errors.length, 1);
  const [{ message, actions }] = vscode.calls.errors;
  assert.match(message, /no "wfl" on the PATH/);
  assert.deepEqual(actions, ["Open Settings"]);
  assert.deepEqual(vscode.calls.watchers, [], "no client was made");
  const declared = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual([...vscode.calls.commands.keys()], declared);
  await extension.deactivate();
  vscode.calls.errors.length = 0;
});

test("with a wfl program, the restart command starts `wfl lsp` and deactivation stops it", async (t) => {
  const dir = tempDir(t);
  const log = path.join(dir, "server.json");
  program(dir, "wfl", path.join(__dirname, "support", "fake-server.js"));
  process.env.WFL_FAKE_SERVER_LOG = log;
  // A failed assertion must not leave the server running (the test would never end).
  t.after(() => extension.deactivate());
  await withPath(dir, () => vscode.calls.commands.get("wfl.restartServer")());
  assert.deepEqual(vscode.calls.errors, []);
  const received = () => JSON.parse(fs.readFileSync(log, "utf8")).received;
  assert.deepEqual(JSON.parse(fs.readFileSync(log, "utf8")).args, ["lsp"], "the server's arguments");
  // Notifications are sent without waiting for the server to read them: wait for it to.
  await until(() => received().includes("initialized"));
  assert.deepEqual(received(), ["initialize", "initialized"]);
  assert.deepEqual(vscode.calls.watchers, ["**/wfl.toml"]);
  await extension.deactivate();
  await until(() => received().includes("exit"));
  assert.deepEqual(received(), ["initialize", "initialized", "shutdown", "exit"]);
});

/** Waits until `condition()` holds, for 20 seconds at most (a loaded machine is slow to start a process). */
async function until(condition) {
  for (let i = 0; i < 200 && !condition(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test("a wfl without the lsp command: the extension says so, and starts no client", async (t) => {
  const dir = tempDir(t);
  program(dir, "wfl", path.join(__dirname, "support", "old-wfl.js"));
  t.after(() => extension.deactivate());
  vscode.calls.errors.length = 0;
  await withPath(dir, () => vscode.calls.commands.get("wfl.restartServer")());
  await until(() => vscode.calls.errors.length > 0);
  const [{ message, actions }] = vscode.calls.errors;
  assert.match(message, /lsp --help` failed \(error: unrecognized subcommand 'lsp'\)/);
  assert.match(message, /older than its `lsp` command/);
  assert.match(message, /"wfl\.server\.path"/);
  assert.deepEqual(actions, ["Open Settings"]);
  assert.equal(vscode.calls.errors.length, 1, "one message, not the client's connection errors too");
});
