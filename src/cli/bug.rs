//! Bugs in wfl: a panic anywhere, on any thread, ends the process with one line that says it is
//! a bug and what to report, and exit status 101.

use std::io::Write;
use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicBool, Ordering};

use super::args::{DebugPanicArgs, PanicSite};
use super::parallel;
use crate::diagnostic::render::line_text;
use crate::sim::random;

/// Exit status: a bug in wfl (as Rust's own for a panic).
pub const EXIT_BUG: u8 = 101;

/// Installs the hook that reports a panic as a bug in wfl and ends the process.
///
/// The process ends in the hook, on the panicking thread: a worker's panic cannot then be lost
/// with its thread, nor followed by output that looks complete. With `RUST_BACKTRACE` set, the
/// backtrace follows the line.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        static REPORTED: AtomicBool = AtomicBool::new(false);
        if REPORTED.swap(true, Ordering::SeqCst) {
            // Another thread is reporting its panic and ending the process.
            loop {
                std::thread::park();
            }
        }
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{}", report(info));
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            let _ = writeln!(stderr, "{backtrace}");
        }
        let _ = stderr.flush();
        std::process::exit(i32::from(EXIT_BUG));
    }));
}

/// The one line a panic prints.
fn report(info: &PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let place = info.location().map_or(String::new(), |l| {
        format!(" at {}:{}:{}", l.file(), l.line(), l.column())
    });
    let repository = env!("CARGO_PKG_REPOSITORY").trim_end_matches('/');
    let tracker = if repository.is_empty() {
        "the wfl issue tracker".to_owned()
    } else {
        format!("{repository}/issues")
    };
    format!(
        "error: internal error: wfl {} panicked{place}: {}. This is a bug in wfl, not in your \
         files: please report it to {tracker}, with this line, the command line and the files \
         it read",
        env!("CARGO_PKG_VERSION"),
        line_text(message)
    )
}

/// `wfl debug-panic SITE` (hidden): a panic on purpose, where a bug could be, so that the tests
/// see it reported. Returns only when the panic was lost (exit status 0 then, which fails them).
pub fn debug_panic(args: &DebugPanicArgs) -> u8 {
    let panic_at = |i: u64| assert!(i != 3, "a panic asked for by `wfl debug-panic` (item {i})");
    match args.site {
        PanicSite::Main => panic_at(3),
        PanicSite::CheckWorker => parallel::ordered((0..8).collect(), 2, panic_at, |()| {}),
        PanicSite::RandomWorker => {
            random::in_batches(8, 4, |runs| runs.for_each(panic_at));
        }
    }
    super::EXIT_CLEAN
}
