// The wfl extension: starts `wfl lsp` (a language server over standard input and output) for the
// `.wfl` files of the window, through vscode-languageclient. Highlighting (the TextMate grammar)
// and the language configuration are declared in package.json and need none of this: without a
// `wfl` program, an error says how to get one and the rest keeps working.
//
// Plain JavaScript (CommonJS), so that the package needs no build step: what is in the repository
// is what VS Code loads.
"use strict";
const { execFile } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

/** The client of the running server, if one was started. */
let client;
/** Where the server's standard error and the traces go. */
let output;

/**
 * The program `setting` names (`wfl.server.path`), as an absolute path, or why there is none.
 * A bare name is looked up in the directories of `env.PATH` (with the `PATHEXT` extensions on
 * Windows); a path may start with `~/`, and a relative one is taken from `workspaceRoot`.
 * Returns `{ path }` or `{ message }`.
 */
function findServer(setting, env, workspaceRoot, platform = process.platform) {
  const name = (setting || "").trim() || "wfl";
  const home = os.homedir();
  const expanded = name === "~" || name.startsWith("~/") ? path.join(home, name.slice(1)) : name;
  const windows = platform === "win32";
  const extensions = windows
    ? ["", ...(env.PATHEXT || ".COM;.EXE;.BAT;.CMD").split(";").filter(Boolean)]
    : [""];
  const runnable = (file) => extensions.map((ext) => file + ext).find((f) => isExecutable(f, windows));
  if (expanded.includes("/") || (windows && expanded.includes("\\"))) {
    const file = path.resolve(workspaceRoot || process.cwd(), expanded);
    const found = runnable(file);
    if (found) return { path: found };
    return {
      message: `The wfl language server could not be started: "wfl.server.path" is "${name}", and ${file} is not a program that can be run. Set "wfl.server.path" to the wfl program (or to "wfl" to use the one on the PATH). Highlighting works without it.`,
    };
  }
  for (const dir of (env.PATH || env.Path || "").split(path.delimiter)) {
    if (!dir) continue;
    const found = runnable(path.join(dir, expanded));
    if (found) return { path: found };
  }
  return {
    message: `The wfl language server could not be started: there is no "${expanded}" on the PATH. Install wfl (\`cargo install --path .\` in its repository) or set "wfl.server.path" to the wfl program. Highlighting works without it.`,
  };
}

/** Whether `file` is a regular file this user may run. */
function isExecutable(file, windows) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (!windows) fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the program at `file` has the `lsp` command: `wfl lsp --help` succeeds. A wfl from before
 * the language server exits with status 2 and "unrecognized subcommand"; starting it as a server
 * would only show the client's connection errors. Resolves to `undefined` or to why not.
 */
function checkLspCommand(file) {
  return new Promise((resolve) => {
    execFile(file, ["lsp", "--help"], { timeout: 10000 }, (error, _stdout, stderr) => {
      if (!error) return resolve(undefined);
      const said = String(stderr || error.message).trim().split("\n")[0];
      resolve(
        `The wfl language server could not be started: \`${file} lsp --help\` failed (${said}). A wfl older than its \`lsp\` command cannot serve files: install a newer one (\`cargo install --path .\` in its repository), or set "wfl.server.path" to it.`,
      );
    });
  });
}

/** The first workspace folder's directory, if it is on disk. */
function workspaceRoot() {
  const folder = (vscode.workspace.workspaceFolders || [])[0];
  return folder && folder.uri.scheme === "file" ? folder.uri.fsPath : undefined;
}

/** Offers to open the setting that names the server, after `message`. */
function reportMissingServer(message) {
  vscode.window.showErrorMessage(message, "Open Settings").then((choice) => {
    if (choice === "Open Settings") {
      vscode.commands.executeCommand("workbench.action.openSettings", "wfl.server.path");
    }
  });
}

/** Starts `wfl lsp` with the program the settings name, unless it cannot be found. */
async function startServer() {
  const setting = vscode.workspace.getConfiguration("wfl").get("server.path", "wfl");
  const found = findServer(setting, process.env, workspaceRoot());
  const problem = found.path ? await checkLspCommand(found.path) : found.message;
  if (problem) {
    output.appendLine(problem);
    reportMissingServer(problem);
    return;
  }
  const serverOptions = { command: found.path, args: ["lsp"] };
  const clientOptions = {
    documentSelector: [
      { scheme: "file", language: "wfl" },
      { scheme: "untitled", language: "wfl" },
    ],
    outputChannel: output,
    // `wfl.toml` sets the level of each warning for the files below it.
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher("**/wfl.toml") },
  };
  client = new LanguageClient("wfl", "wfl language server", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    // The client has said why in its output; a client that failed to start has nothing to stop.
    client = undefined;
    const reason = error && error.message ? error.message : String(error);
    const message = `\`${found.path} lsp\` did not start: ${reason}. Its output, "wfl language server", has what it said.`;
    output.appendLine(message);
    reportMissingServer(message);
  }
}

/** Stops the server, if one runs. */
async function stopServer() {
  const running = client;
  client = undefined;
  if (running) {
    try {
      await running.stop();
    } catch {
      // A server that already exited has nothing left to stop.
    }
  }
}

async function restartServer() {
  await stopServer();
  await startServer();
}

/** Called by VS Code when the first `.wfl` file opens. */
function activate(context) {
  output = vscode.window.createOutputChannel("wfl language server");
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand("wfl.restartServer", restartServer),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration("wfl.server.path")) restartServer();
    }),
  );
  return startServer();
}

function deactivate() {
  return stopServer();
}

module.exports = { activate, deactivate, findServer };
