// A stand-in for `wfl lsp` in the tests of the editor configurations: it answers `initialize` (no
// capabilities), `shutdown` and `exit` over standard input and output as a language server does,
// and keeps, in the JSON file named by WFL_FAKE_SERVER_LOG, its arguments, the methods it received
// and the language id of each document opened.
"use strict";
const fs = require("fs");

// `wfl lsp --help`, which the VS Code extension runs first to see that the command exists.
if (process.argv.includes("--help")) {
  process.stdout.write("Usage: wfl lsp\n");
  process.exit(0);
}
const record = { args: process.argv.slice(2), received: [], languageIds: [] };
/** Rewrites the record whole (a temporary file renamed over it), so a reader never sees half. */
const save = () => {
  const file = process.env.WFL_FAKE_SERVER_LOG;
  fs.writeFileSync(`${file}.new`, JSON.stringify(record));
  fs.renameSync(`${file}.new`, file);
};
save();
let buffer = Buffer.alloc(0);
const send = (message) => {
  const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }));
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
};
process.stdin.on("data", (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const headerEnd = buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0) return;
    const length = Number(/Content-Length: (\d+)/i.exec(buffer.slice(0, headerEnd).toString())[1]);
    if (buffer.length < headerEnd + 4 + length) return;
    const message = JSON.parse(buffer.slice(headerEnd + 4, headerEnd + 4 + length).toString());
    buffer = buffer.slice(headerEnd + 4 + length);
    record.received.push(message.method);
    if (message.method === "textDocument/didOpen") record.languageIds.push(message.params.textDocument.languageId);
    save();
    if (message.method === "initialize") send({ id: message.id, result: { capabilities: {} } });
    else if (message.method === "shutdown") send({ id: message.id, result: null });
    else if (message.method === "exit") process.exit(0);
  }
});
