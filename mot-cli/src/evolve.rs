//! The commands of the method's Evolve step: `mot compare` (did a change
//! work? before/after windows, `mot.comparison/1`) and `mot ideas` (which
//! implemented ideas earned their keep, `mot.ideas/1`).

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::{Failure, Format, LogArgs, log_settings, read_experience, track, write_text};

#[derive(Args, Debug)]
#[command(after_long_help = "\
Windows are half-open and in UTC: `2026-01-01..2026-02-01` is January 2026 \
(dates are midnight UTC; RFC 3339 timestamps are read too). An interaction \
counts in the window of its timestamp; a journey in the window of its first \
interaction (SCO: journeys with a known outcome; conformance: closed journeys).

Two intervals for every change (after − before, in rate points):
  ci_low/ci_high                  Newcombe hybrid score: read it once, after the
                                  after-window has ended.
  always_valid_low/_high          mixture SPRT (normal mixture N(0, τ²)): stays
                                  valid however often you look, e.g. every day
                                  while the after-window fills. Wider.
Choose --tau2 before looking at the data: the square of the smallest change
you care about (0.0025 = 5 points, 0.0001 = 1 point).

Without --before/--after, an experience with `effective_from` is compared
around that date: --window-days before it and after it.

Examples:
  mot compare --events events.csv --outcomes outcomes.csv --experience x.json \\
      --before 2026-08-01..2026-09-01 --after 2026-09-01..2026-10-01
  mot compare --events events.csv --experience x-2026.2.json --format html -o change.html")]
pub(crate) struct CompareArgs {
    #[command(flatten)]
    log: LogArgs,
    /// The window before the change: `FROM..TO` (UTC, `TO` excluded).
    #[arg(long, value_name = "FROM..TO")]
    before: Option<mot_core::Window>,
    /// The window after the change: `FROM..TO`.
    #[arg(long, value_name = "FROM..TO")]
    after: Option<mot_core::Window>,
    /// Without --before/--after: days on each side of the experience's
    /// `effective_from`.
    #[arg(long, default_value_t = 28, value_name = "DAYS")]
    window_days: u32,
    #[command(flatten)]
    intervals: Intervals,
    /// Output format: a table, the `mot.comparison/1` JSON, or an HTML page.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// The intervals' options, shared by `mot compare` and `mot ideas`.
#[derive(Args, Debug)]
pub(crate) struct Intervals {
    /// 1 − the confidence of the intervals.
    #[arg(long, default_value_t = 0.05)]
    alpha: f64,
    /// The always-valid interval's mixture variance (see `mot compare --help`).
    #[arg(long, default_value_t = mot_core::comparison::DEFAULT_TAU2)]
    tau2: f64,
}

#[derive(Args, Debug)]
#[command(after_long_help = "\
Each implemented idea with an `implemented_at` date is measured on its MOT: \
the SMOTO rate in --window-days before the day of the change and after it \
(that day itself left out), the change with its Newcombe interval. The surest \
gain comes first. Cycle time is implemented_at − submitted_at.

Example:
  mot ideas --events events.csv --experience x.json --window-days 14")]
pub(crate) struct IdeasArgs {
    #[command(flatten)]
    log: LogArgs,
    /// Days in each window.
    #[arg(long, default_value_t = 28, value_name = "DAYS")]
    window_days: u32,
    #[command(flatten)]
    intervals: Intervals,
    /// Output format: a table or the `mot.ideas/1` JSON.
    #[arg(long, value_enum, default_value_t = TextFormat::Table)]
    format: TextFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, ValueEnum)]
pub(crate) enum TextFormat {
    /// Plain text for an 80-column terminal.
    #[default]
    Table,
    /// JSON.
    Json,
}

/// `mot compare`.
pub(crate) fn compare(args: CompareArgs) -> Result<(), Failure> {
    let experience = read_experience(args.log.experience.as_deref())?;
    let (before, after) = match (args.before, args.after) {
        (Some(b), Some(a)) => (b, a),
        (None, None) => {
            let at = experience
                .as_ref()
                .and_then(|x| x.spec().effective_from)
                .ok_or_else(|| {
                    Failure(
                        "give `--before FROM..TO` and `--after FROM..TO`, or an `--experience` whose `effective_from` says when it took effect".into(),
                    )
                })?;
            let width = i64::from(args.window_days) * 86_400;
            let t = at.seconds();
            (
                mot_core::Window::new(t - width, t)?,
                mot_core::Window::new(t, t + width)?,
            )
        }
        _ => {
            return Err(Failure(
                "give both `--before` and `--after`, or neither".into(),
            ));
        }
    };
    let mut settings = log_settings(&args.log)?;
    // Windows are made of whole periods.
    settings.period = mot_core::Window::fitting_period(&[before, after]);
    let t = track(&args.log, experience.as_ref(), &settings)?;
    let options = mot_core::CompareOptions {
        alpha: args.intervals.alpha,
        tau2: args.intervals.tau2,
    };
    let c = mot_core::Comparison::build(&t, experience.as_ref(), before, after, &options)?;
    let text = match args.format {
        Format::Table => c.to_table(),
        Format::Json => c.to_json_pretty() + "\n",
        Format::Html => c.to_html(),
    };
    write_text(args.output.as_deref(), &text)
}

/// `mot ideas`.
pub(crate) fn ideas(args: IdeasArgs) -> Result<(), Failure> {
    let Some(experience) = read_experience(args.log.experience.as_deref())? else {
        return Err(Failure(
            "`mot ideas` needs `--experience`: the ideas are in it".into(),
        ));
    };
    let settings = log_settings(&args.log)?;
    let t = track(&args.log, Some(&experience), &settings)?;
    let options = mot_core::comparison::IdeasOptions {
        window_days: args.window_days,
        alpha: args.intervals.alpha,
        tau2: args.intervals.tau2,
    };
    let r = mot_core::comparison::IdeaReport::build(&t, &experience, &options)?;
    let text = match args.format {
        TextFormat::Table => r.to_table(),
        TextFormat::Json => r.to_json_pretty() + "\n",
    };
    write_text(args.output.as_deref(), &text)
}
