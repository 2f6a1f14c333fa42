// A stand-in for the `vscode` module, which only exists inside VS Code: enough of its API for the
// extension (and vscode-languageclient, which reads some of it when it loads) to run in Node, and
// a record of what the extension asked of it.
"use strict";
const Module = require("module");

/** Makes `require("vscode")` return a new stub; returns the stub, whose `calls` record the uses. */
function installVscodeStub({ settings = {}, workspaceFolder } = {}) {
  const calls = { errors: [], commands: new Map(), watchers: [], output: [] };
  const disposable = { dispose() {} };
  const event = () => disposable;
  // Anything the extension does not use: a callable object whose members are stubs too.
  const anything = () =>
    new Proxy(function () {}, {
      get: (_, key) =>
        key === "then" ? undefined : key === Symbol.toPrimitive ? () => "" : anything(),
      apply: () => anything(),
      construct: () => anything(),
    });
  const vscode = {
    calls,
    version: "1.82.0",
    workspace: {
      workspaceFolders: workspaceFolder
        ? [{ uri: { scheme: "file", fsPath: workspaceFolder }, name: "root", index: 0 }]
        : undefined,
      getConfiguration: (section) => ({
        get: (key, fallback) => {
          const value = settings[`${section}.${key}`];
          return value === undefined ? fallback : value;
        },
      }),
      onDidChangeConfiguration: event,
      createFileSystemWatcher: (glob) => {
        calls.watchers.push(glob);
        return { ...disposable, onDidCreate: event, onDidChange: event, onDidDelete: event };
      },
    },
    window: {
      createOutputChannel: (name) => ({
        name,
        appendLine: (line) => calls.output.push(line),
        append: () => {},
        show: () => {},
        dispose: () => {},
      }),
      showErrorMessage: (message, ...actions) => {
        calls.errors.push({ message, actions });
        return Promise.resolve(undefined);
      },
    },
    commands: {
      registerCommand: (name, handler) => {
        calls.commands.set(name, handler);
        return disposable;
      },
      executeCommand: () => Promise.resolve(),
    },
  };
  const withFallback = (target) =>
    new Proxy(target, { get: (t, key) => (key in t ? t[key] : anything()) });
  const stub = withFallback({
    ...vscode,
    workspace: withFallback(vscode.workspace),
    window: withFallback(vscode.window),
    commands: withFallback(vscode.commands),
  });
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "vscode" ? stub : load.call(this, request, ...rest);
  };
  return vscode;
}

module.exports = { installVscodeStub };
