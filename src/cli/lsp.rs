//! `wfl lsp`: the language server (`crate::lsp`) on standard input and output.

use super::{EXIT_CLEAN, EXIT_USAGE, output};

pub fn run() -> u8 {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    let served = crate::lsp::run(&connection);
    // The writer thread ends once every sender is gone.
    drop(connection);
    let joined = io_threads.join();
    match (served, joined) {
        (Ok(()), Ok(())) => EXIT_CLEAN,
        (Err(err), _) => {
            output::error(&format!("wfl lsp: {err}"));
            EXIT_USAGE
        }
        (_, Err(err)) => {
            output::error(&format!("wfl lsp: {err}"));
            EXIT_USAGE
        }
    }
}
