// A `wfl` from before `wfl lsp`, as the extension's tests need one: clap's answer to an unknown
// subcommand, and exit status 2.
"use strict";
process.stderr.write(`error: unrecognized subcommand '${process.argv[2]}'\n`);
process.exit(2);
