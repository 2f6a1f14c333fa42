// A stand-in for `wfl lsp` in the extension's tests: it writes its arguments to the file named by
// WFL_FAKE_SERVER_LOG, then answers `initialize` (no capabilities), `shutdown` and `exit` over
// standard input and output as a language server does.
"use strict";
const fs = require("fs");

fs.writeFileSync(process.env.WFL_FAKE_SERVER_LOG, JSON.stringify(process.argv.slice(2)));
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
    if (message.method === "initialize") send({ id: message.id, result: { capabilities: {} } });
    else if (message.method === "shutdown") send({ id: message.id, result: null });
    else if (message.method === "exit") process.exit(0);
  }
});
