//! What the command line does around a long exploration (`wfl check`, `wfl explore`): a progress
//! line on standard error once it has taken a second, and an end to it on Ctrl-C or at
//! `--max-time`, after which the explorations cut short report what they found, marked
//! incomplete (specs/cli.md, "Bounds of the exploration").

use std::io::IsTerminal;
use std::sync::Once;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::analysis::machine::{INTERRUPTED, STORED};

/// How long an exploration runs before the progress line shows.
const QUIET_FOR: Duration = Duration::from_secs(1);

/// How often the progress line and the clock are looked at.
const TICK: Duration = Duration::from_millis(50);

/// What stopped the explorations before their end, if anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interruption {
    CtrlC,
    MaxTime(Duration),
}

/// Runs `work` (which explores machines) on a thread of its own, with a progress line on standard
/// error when `progress` allows it and standard error is a terminal, and stops the explorations
/// on Ctrl-C or once `max_time` has passed. A second Ctrl-C ends the process at once (status
/// 130). What stopped the explorations, if anything, is said on standard error and returned.
pub fn watched<T: Send>(
    progress: bool,
    max_time: Option<Duration>,
    work: impl FnOnce() -> T + Send,
) -> (T, Option<Interruption>) {
    install_ctrl_c();
    let start = Instant::now();
    let stored_before = STORED.load(Ordering::Relaxed);
    let mut timed_out = false;
    let result = std::thread::scope(|scope| {
        let worker = scope.spawn(work);
        let mut bar: Option<indicatif::ProgressBar> = None;
        while !worker.is_finished() {
            std::thread::sleep(TICK);
            let elapsed = start.elapsed();
            if let Some(limit) = max_time
                && elapsed >= limit
                && !timed_out
            {
                timed_out = true;
                INTERRUPTED.store(true, Ordering::Relaxed);
            }
            if bar.is_none() && progress && elapsed >= QUIET_FOR && std::io::stderr().is_terminal()
            {
                bar = Some(progress_bar(elapsed));
            }
            if let Some(bar) = &bar {
                let stored = STORED.load(Ordering::Relaxed) - stored_before;
                bar.set_message(format!("{stored} configurations explored"));
            }
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        // A panic in the work is a bug in wfl: it goes on as one.
        worker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let interruption = match (timed_out, INTERRUPTED.load(Ordering::Relaxed)) {
        (true, _) => max_time.map(Interruption::MaxTime),
        (false, true) => Some(Interruption::CtrlC),
        (false, false) => None,
    };
    if let Some(why) = interruption {
        let why = match why {
            Interruption::CtrlC => "interrupted (Ctrl-C)".to_owned(),
            Interruption::MaxTime(limit) => format!("stopped at `--max-time {}`", show(limit)),
        };
        super::output::warning(&format!(
            "the exploration was {why}: the machines it did not finish are reported as explored in part"
        ));
    }
    (result, interruption)
}

/// A spinner with the time since the exploration started and the configurations explored so far.
fn progress_bar(elapsed: Duration) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner().with_elapsed(elapsed);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
        bar.set_style(style);
    }
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Ctrl-C stops the explorations (once per process); a second one ends the process.
fn install_ctrl_c() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Without a handler, Ctrl-C ends the process as it always does: nothing is lost but the
        // partial result.
        let _ = ctrlc::set_handler(|| {
            if INTERRUPTED.swap(true, Ordering::Relaxed) {
                std::process::exit(130);
            }
        });
    });
}

/// `--max-time`: a number with a unit (`ms`, `s`, `m`, `h`), such as `30s` or `1.5m`; a bare
/// number is seconds.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let seconds_per_unit = match unit.trim() {
        "" | "s" => 1.0,
        "ms" => 0.001,
        "m" | "min" => 60.0,
        "h" => 3600.0,
        other => {
            return Err(format!(
                "unknown unit `{other}`: write a duration such as `500ms`, `30s`, `2m` or `1h`"
            ));
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration: write one such as `30s` or `2m`"))?;
    Duration::try_from_secs_f64(value * seconds_per_unit)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("`{text}` is not a duration above zero"))
}

/// A duration as `--max-time` takes it.
fn show(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_read_with_their_units() {
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("1.5m"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5 days").is_err());
        assert!(parse_duration("-1s").is_err());
    }
}
