//! `mot`: Moments of Truth dashboards from interaction logs.
//!
//! ```text
//! mot demo                                   # the airline sample, end to end
//! mot dashboard --events E.csv|E.xes[.gz] [--outcomes O.csv] [--experience X.json] [--format table|json|html] [-o FILE]
//! mot validate X.json                        # every problem of an experience
//! mot compare --events E.csv [--outcomes O.csv --experience X.json] --before A..B --after B..C
//! mot ideas --events E.csv --experience X.json   # which ideas earned their keep
//! mot diff OLD.json NEW.json                 # what changed between versions
//! mot versions X1.json X2.json …             # versions in time, unexplained landscape cost
//! mot draw X.json [--dot] [--design MOT]     # Mermaid or DOT pictures
//! mot schema experience|dashboard|comparison|ideas   # the JSON Schemas
//! mot serve --experience X.json --data DIR --tokens FILE   # the live service
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use mot_core::{
    BadRows, Dashboard, Experience, ExperienceSpec, Settings, Tracker, TrackerConfig, sample,
    simulate,
};

mod evolve;
mod serve;

use evolve::{CompareArgs, IdeasArgs};

use mot_core::csv::{EventTable, OutcomeTable};
use mot_core::events::ReadOptions;

#[derive(Parser, Debug)]
#[command(name = "mot", version, about = "Moments of Truth management: dashboards from interaction logs", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the dashboard of an interaction log.
    Dashboard(Box<DashboardArgs>),
    /// Run the bundled airline sample end to end on a generated log.
    ///
    /// The dashboard goes to standard output (or to `-o`); the commands to
    /// try next go to standard error, so that piped output is the dashboard
    /// alone.
    Demo(DemoArgs),
    /// Did a change work? SMOTO, SCO and conformance rates in two time
    /// windows, the change with its intervals.
    Compare(Box<CompareArgs>),
    /// Which implemented ideas earned their keep, and how long ideas take
    /// from submission to implementation.
    Ideas(Box<IdeasArgs>),
    /// Check an experience file and list every problem.
    Validate {
        /// A `mot.experience/1` JSON file.
        experience: PathBuf,
    },
    /// List what changed between two versions of an experience.
    Diff {
        /// The old version.
        old: PathBuf,
        /// The new version.
        new: PathBuf,
        /// Print the changes as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Versions of an experience in the order they took effect
    /// (`effective_from`), with the landscape's cost and the share of it
    /// that serves no MOT.
    Versions {
        /// `mot.experience/1` JSON files, one per version, in any order.
        #[arg(required = true)]
        experiences: Vec<PathBuf>,
        /// Print them as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Draw an experience (or one MOT's design) as Mermaid or Graphviz DOT.
    Draw {
        /// A `mot.experience/1` JSON file.
        experience: PathBuf,
        /// Draw this MOT's design instead of the whole experience.
        #[arg(long)]
        design: Option<String>,
        /// Graphviz DOT instead of Mermaid.
        #[arg(long)]
        dot: bool,
    },
    /// Run the live service: ingest over HTTP, durable, with a live page,
    /// alarms as they fire, and journeys at risk.
    Serve(Box<serve::ServeArgs>),
    /// Print a JSON Schema.
    Schema {
        /// Which one.
        #[arg(value_enum)]
        which: SchemaKind,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum SchemaKind {
    /// `mot.experience/1`.
    Experience,
    /// `mot.dashboard/1`.
    Dashboard,
    /// `mot.comparison/1` (`mot compare`).
    Comparison,
    /// `mot.ideas/1` (`mot ideas`).
    Ideas,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, ValueEnum)]
enum Format {
    /// Plain text for an 80-column terminal.
    #[default]
    Table,
    /// The `mot.dashboard/1` JSON contract.
    Json,
    /// One self-contained HTML report.
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum Preset {
    /// The default column names: `journey_id`, `mot_id`, `timestamp`, `success`.
    Default,
    /// Process-mining column names: `case:concept:name`, `concept:name`, `time:timestamp`.
    Pm4py,
}

#[derive(Args, Debug)]
struct Output {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Trend period: `day`, `week`, or a width such as `6h`, `3600s` [default: day].
    #[arg(long)]
    period: Option<String>,
    /// How many variants to list [default: 10].
    #[arg(long)]
    top_variants: Option<usize>,
}

#[derive(Args, Debug)]
struct DashboardArgs {
    #[command(flatten)]
    log: LogArgs,
    #[command(flatten)]
    out: Output,
}

/// Where the log is and how to read it: shared by every command that reads
/// one.
#[derive(Args, Debug)]
struct LogArgs {
    /// Interactions: a CSV file (one row per interaction; delimiter
    /// detected, see `--delimiter`) or an XES event log (`.xes`, or
    /// gzipped: recognised by its content). XES gives `case:concept:name`,
    /// `concept:name`, `time:timestamp` and `org:resource`; it has no
    /// success flag.
    #[arg(long)]
    events: PathBuf,
    /// Journey outcomes CSV: one row per journey.
    #[arg(long)]
    outcomes: Option<PathBuf>,
    /// The experience the log measures (omit for discovery mode: MOTs come
    /// from the log).
    #[arg(long)]
    experience: Option<PathBuf>,
    /// Column-name preset.
    #[arg(long, value_enum)]
    preset: Option<Preset>,
    /// Journey id column [default: journey_id].
    #[arg(long)]
    journey_col: Option<String>,
    /// MOT id column [default: mot_id].
    #[arg(long)]
    mot_col: Option<String>,
    /// Timestamp column [default: timestamp]: integers in `--time-unit`, or RFC 3339 /
    /// ISO 8601 text with fractions and offsets (no offset = UTC), or text in `--time-format`.
    #[arg(long)]
    time_col: Option<String>,
    /// Success column [default: success, if present]: true/false or 1/0. Without one,
    /// every process figure is computed and every success figure is null.
    #[arg(long)]
    success_col: Option<String>,
    /// Cost column [default: cost, if present].
    #[arg(long)]
    cost_col: Option<String>,
    /// Value column [default: value, if present].
    #[arg(long)]
    value_col: Option<String>,
    /// Producer column [default: producer, if present].
    #[arg(long)]
    producer_col: Option<String>,
    /// Journey id column of the outcomes file [default: the journey column].
    #[arg(long)]
    outcome_journey_col: Option<String>,
    /// SCO column of the outcomes file [default: sco].
    #[arg(long)]
    sco_col: Option<String>,
    /// Value (revenue) column of the outcomes file [default: value, if present].
    #[arg(long)]
    outcome_value_col: Option<String>,
    /// What an integer timestamp means: `s`, `ms`, `us` or `ns` [default: s]. Text
    /// timestamps are read at full precision whatever the unit.
    #[arg(long)]
    time_unit: Option<String>,
    /// A strftime-style format for text timestamps that are not RFC 3339, such as
    /// `%d/%m/%Y %H:%M` for `11/10/2011 11:45` (`%Y %m %d %H %M %S %f %z %b %p …`).
    #[arg(long, value_name = "FORMAT")]
    time_format: Option<String>,
    /// CSV field delimiter: one character or `tab` [default: detected from the header
    /// line among `,` `;` tab `|`].
    #[arg(long)]
    delimiter: Option<String>,
    /// The SCO as a rule over the log, when there is no outcomes file: a journey
    /// produced it when it has an interaction with one of these MOTs (a successful one,
    /// where success is known).
    #[arg(long, value_name = "MOT[,MOT…]", value_delimiter = ',')]
    sco_reached: Vec<String>,
    /// The designed journey ("happy path") to measure every journey against, MOT
    /// ids in order [default: the experience's designed journey; none without one].
    /// Gives the conformance section: conforming share, fitness, missing, repeated
    /// and undesigned steps.
    #[arg(long, value_name = "MOT,MOT…", value_delimiter = ',')]
    designed: Vec<String>,
    /// Do not count distinct journey sequences: `variants.distinct` is null and
    /// no variant is listed. Saves the variant table's memory and time on logs
    /// where most journeys differ.
    #[arg(long)]
    no_variants: bool,
    /// Do not measure durations: each directly-follows edge's `duration` and
    /// the `journey_duration` are null. A large log is read about a quarter faster.
    #[arg(long)]
    no_durations: bool,
    /// The sequential detectors (a Bernoulli CUSUM per MOT with a SMOTO target): the
    /// shift in failure odds to detect [default: 2].
    #[arg(long, value_name = "R")]
    cusum_odds_ratio: Option<f64>,
    /// The detectors' in-control average run length: interactions between false
    /// alarms of an MOT at its target [default: 10000].
    #[arg(long, value_name = "N")]
    cusum_arl0: Option<f64>,
    /// Threads a large log (a million rows or more, sorted by integer journey
    /// id) is read on, in parts merged after: 0 for every thread of the
    /// machine, 1 for one; the figures are the same [default: 0].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Stop at the first bad row instead of counting it.
    #[arg(long)]
    fail_fast: bool,
}

#[derive(Args, Debug)]
struct DemoArgs {
    /// Journeys to simulate.
    #[arg(long, default_value_t = simulate::SAMPLE_JOURNEYS)]
    journeys: usize,
    /// Seed of the simulation.
    #[arg(long, default_value_t = simulate::SAMPLE_SEED)]
    seed: u64,
    /// Also write `experience.json`, `events.csv` and `outcomes.csv` here,
    /// to try `mot dashboard` on.
    #[arg(long)]
    write_inputs: Option<PathBuf>,
    /// Replay the log as a live stream, in time order, and print each alarm of
    /// the MOT detectors the moment it fires — with how long after the planted
    /// incident (bag drop failing from the start of day 90) it came; at the
    /// incident's first alarm, the open journeys least likely to reach the
    /// SCO then.
    #[arg(long)]
    live: bool,
    /// With `--live`: simulated seconds per second of your time (0: as fast as
    /// possible).
    #[arg(long, default_value_t = 7_200.0, value_name = "SECONDS")]
    speed: f64,
    /// With `--live`: the day (1 to 90) the replay starts at in real time; the
    /// days before it are read at full speed, alarms included.
    #[arg(long, default_value_t = 89, value_name = "DAY")]
    from_day: u32,
    #[command(flatten)]
    out: Output,
}

/// Why the command failed: a message for the user.
struct Failure(String);

impl From<mot_core::Error> for Failure {
    fn from(e: mot_core::Error) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), Failure> {
    match command {
        Command::Dashboard(args) => dashboard(*args),
        Command::Demo(args) => demo(args),
        Command::Compare(args) => evolve::compare(*args),
        Command::Ideas(args) => evolve::ideas(*args),
        Command::Serve(args) => serve::run(*args),
        Command::Validate { experience } => {
            let json = read(&experience)?;
            match Experience::from_json(&json) {
                Ok(x) => {
                    println!(
                        "`{}` is valid: {} MOTs, {} people, {} work items, {} ideas",
                        experience.display(),
                        x.mots().len(),
                        x.spec().people.len(),
                        x.spec().landscape.work.len(),
                        x.spec().ideas.len()
                    );
                    Ok(())
                }
                Err(e) => Err(Failure(format!("`{}`: {e}", experience.display()))),
            }
        }
        Command::Diff { old, new, json } => {
            let a = ExperienceSpec::from_json(&read(&old)?)?;
            let b = ExperienceSpec::from_json(&read(&new)?)?;
            let d = mot_core::diff(&a, &b);
            if json {
                println!("{}", serde_json::to_string_pretty(&d).unwrap_or_default());
            } else {
                print!("{d}");
            }
            Ok(())
        }
        Command::Versions { experiences, json } => {
            let mut xs = Vec::with_capacity(experiences.len());
            for p in &experiences {
                xs.push(
                    Experience::from_json(&read(p)?)
                        .map_err(|e| Failure(format!("`{}`: {e}", p.display())))?,
                );
            }
            let refs: Vec<&Experience> = xs.iter().collect();
            let t = mot_core::timeline(&refs);
            if json {
                println!("{}", serde_json::to_string_pretty(&t).unwrap_or_default());
            } else {
                println!(
                    "{:<12} {:<14} {:>5} {:>14} {:>14} {:>11}",
                    "version", "effective from", "MOTs", "landscape", "unexplained", "share"
                );
                for v in &t {
                    println!(
                        "{:<12} {:<14} {:>5} {:>14.2} {:>14.2} {:>10}",
                        v.version.as_deref().unwrap_or("–"),
                        v.effective_from.map_or("–".to_string(), |m| m.to_string()),
                        v.mots,
                        v.landscape_total,
                        v.unexplained,
                        v.unexplained_share
                            .map_or("–".to_string(), |s| format!("{:.2}%", s * 100.0)),
                    );
                }
            }
            Ok(())
        }
        Command::Draw {
            experience,
            design,
            dot,
        } => {
            let x = Experience::from_json(&read(&experience)?)?;
            let text = match (design, dot) {
                (Some(m), false) => x.design_mermaid(&m)?,
                (Some(m), true) => x.design_dot(&m)?,
                (None, false) => x.mermaid(),
                (None, true) => x.dot(),
            };
            print!("{text}");
            Ok(())
        }
        Command::Schema { which } => {
            print!(
                "{}",
                match which {
                    SchemaKind::Experience => mot_core::schema::experience_schema_json(),
                    SchemaKind::Dashboard => mot_core::schema::dashboard_schema_json(),
                    SchemaKind::Comparison => mot_core::schema::comparison_schema_json(),
                    SchemaKind::Ideas => mot_core::schema::ideas_schema_json(),
                }
            );
            Ok(())
        }
    }
}

fn read(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path)
        .map_err(|e| Failure(format!("cannot read `{}`: {e}", path.display())))
}

fn write_output(out: &Output, d: &Dashboard) -> Result<(), Failure> {
    write_text(out.output.as_deref(), &render(out.format, d))
}

/// The output flags that are settings (period, variants listed) into the
/// core's settings.
fn apply_output(out: &Output, settings: &mut Settings) -> Result<(), Failure> {
    if let Some(p) = &out.period {
        settings.period = p.parse()?;
    }
    if let Some(k) = out.top_variants {
        settings.top_variants = k;
    }
    Ok(())
}

fn dashboard(args: DashboardArgs) -> Result<(), Failure> {
    let experience = read_experience(args.log.experience.as_deref())?;
    let mut settings = log_settings(&args.log)?;
    apply_output(&args.out, &mut settings)?;
    let t = track(&args.log, experience.as_ref(), &settings)?;
    let d = Dashboard::build(&t, experience.as_ref(), &settings.dashboard_options())?;
    write_text(args.out.output.as_deref(), &render(args.out.format, &d))
}

/// The experience at `path`, when one is given.
fn read_experience(path: Option<&Path>) -> Result<Option<Experience>, Failure> {
    match path {
        Some(p) => Ok(Some(
            Experience::from_json(&read(p)?)
                .map_err(|e| Failure(format!("`{}`: {e}", p.display())))?,
        )),
        None => Ok(None),
    }
}

/// The core's settings from the log flags; every default is the core's.
fn log_settings(args: &LogArgs) -> Result<Settings, Failure> {
    let mut settings = Settings {
        preset: args.preset.map(|p| {
            match p {
                Preset::Default => "default",
                Preset::Pm4py => "pm4py",
            }
            .to_string()
        }),
        time_format: args.time_format.clone(),
        delimiter: args.delimiter.clone(),
        sco_reached: args.sco_reached.clone(),
        designed: args.designed.clone(),
        ..Settings::default()
    };
    settings.track_variants &= !args.no_variants;
    settings.durations &= !args.no_durations;
    if let Some(r) = args.cusum_odds_ratio {
        settings.cusum.odds_ratio = r;
    }
    if let Some(n) = args.cusum_arl0 {
        settings.cusum.arl0 = n;
    }
    if let Some(n) = args.threads {
        settings.threads = n;
    }
    for (role, column) in [
        ("journey", &args.journey_col),
        ("mot", &args.mot_col),
        ("timestamp", &args.time_col),
        ("success", &args.success_col),
        ("cost", &args.cost_col),
        ("value", &args.value_col),
        ("producer", &args.producer_col),
        ("outcome_journey", &args.outcome_journey_col),
        ("sco", &args.sco_col),
        ("outcome_value", &args.outcome_value_col),
    ] {
        if let Some(column) = column {
            settings.columns.insert(role.to_string(), column.clone());
        }
    }
    if let Some(unit) = &args.time_unit {
        settings.time_unit = unit.parse()?;
    }
    if args.fail_fast {
        settings.bad_rows = BadRows::Fail;
    }
    Ok(settings)
}

/// Reads the log into a fresh tracker. Rejected rows are announced on
/// standard error, whatever the output; a log with no accepted row is an
/// error that shows the first bad row.
fn track(
    args: &LogArgs,
    experience: Option<&Experience>,
    settings: &Settings,
) -> Result<Tracker, Failure> {
    let read_options = settings.read_options()?;
    let config = settings.tracker_config()?;
    let build = |read_options: &ReadOptions, config: TrackerConfig| -> Result<Tracker, Failure> {
        let events = EventTable::read_any(open(&args.events)?, &name(&args.events), read_options)?;
        let outcomes = match &args.outcomes {
            Some(p) => Some(OutcomeTable::read(open(p)?, &name(p), read_options)?),
            None => None,
        };
        let mut t = Tracker::one_shot(experience, config)?;
        t.ingest_table(&events, outcomes.as_ref())?;
        Ok(t)
    };
    let t = build(&read_options, config.clone())?;
    if let Some(summary) = t.rejected().summary() {
        if t.interactions() == 0 {
            // Nothing was accepted: read again, stopping at the first bad
            // row, to show which and why.
            let first = build(
                &ReadOptions {
                    bad_rows: BadRows::Fail,
                    ..read_options.clone()
                },
                TrackerConfig {
                    bad_rows: BadRows::Fail,
                    ..config
                },
            )
            .err()
            .map(|Failure(m)| format!("; the first: {m}"))
            .unwrap_or_default();
            return Err(Failure(format!(
                "no interaction of `{}` was accepted ({summary}){first}",
                args.events.display()
            )));
        }
        eprintln!(
            "warning: {summary} (counted in the report's `rejected`; `--fail-fast` stops at the first)"
        );
    }
    Ok(t)
}

/// A dashboard in `format`.
fn render(format: Format, d: &Dashboard) -> String {
    match format {
        Format::Table => d.to_table(),
        Format::Json => {
            let mut s = d.to_json_pretty();
            s.push('\n');
            s
        }
        Format::Html => d.to_html(),
    }
}

/// Writes `text` to `path` (saying so on standard error), or to standard
/// output.
fn write_text(path: Option<&Path>, text: &str) -> Result<(), Failure> {
    match path {
        Some(path) => {
            std::fs::write(path, text)
                .map_err(|e| Failure(format!("cannot write `{}`: {e}", path.display())))?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn open(path: &Path) -> Result<std::io::BufReader<std::fs::File>, Failure> {
    std::fs::File::open(path)
        .map(std::io::BufReader::new)
        .map_err(|e| Failure(format!("cannot read `{}`: {e}", path.display())))
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

/// `mot demo --live`: the sample log replayed as a stream.
fn live(args: &DemoArgs) -> Result<(), Failure> {
    use std::io::Write as _;
    let x = sample::airline();
    let mut scenario = simulate::airline_scenario(&x, args.journeys, args.seed);
    scenario.interleave = true; // rows in time order, as a stream arrives
    let incident = scenario
        .incident
        .clone()
        .ok_or_else(|| Failure("the sample has no incident".into()))?;
    let incident_at = scenario.start + i64::from(incident.from_day) * 86_400;
    let incident_mot = x.mots()[incident.mot as usize].id.to_string();
    let log = scenario.generate();
    let mut last_row = std::collections::HashMap::new();
    for (i, j) in log.journey.iter().enumerate() {
        last_row.insert(*j, i);
    }
    let outcome: std::collections::HashMap<u64, bool> = log
        .outcome_journey
        .iter()
        .copied()
        .zip(log.outcome_sco.iter().copied())
        .collect();
    let mut t = Tracker::with_config(Some(&x), mot_core::TrackerConfig::default())?;
    let real_time_from = scenario.start + i64::from(args.from_day.saturating_sub(1)) * 86_400;
    let wall = std::time::Instant::now();
    let clock = |ts: i64| {
        mot_core::input::time::format_utc(
            ts * 1_000_000_000,
            mot_core::input::time::Precision::Seconds,
        )
    };
    println!(
        "Replaying {} interactions of {} journeys ({} to {}); from {} at {}× real time.",
        log.len(),
        args.journeys,
        clock(scenario.start),
        clock(
            log.timestamp
                .iter()
                .copied()
                .max()
                .unwrap_or(scenario.start)
        ),
        clock(real_time_from),
        args.speed
    );
    println!(
        "Planted incident: `{incident_mot}` succeeds {:.0}% of the time from {} (target {:.0}%).\n",
        incident.success * 100.0,
        clock(incident_at),
        x.mot(&incident_mot)
            .and_then(|m| m.smoto.target_rate)
            .unwrap_or(0.0)
            * 100.0
    );
    let mut since_incident = 0u64;
    let mut first_incident_alarm = None;
    let mut before: std::collections::BTreeMap<String, u64> = Default::default();
    let mut summarised = false;
    for i in 0..log.len() {
        let ts = log.timestamp[i];
        if args.speed > 0.0 && ts >= real_time_from {
            let due = (ts - real_time_from) as f64 / args.speed;
            let now = wall.elapsed().as_secs_f64();
            if due > now {
                std::thread::sleep(std::time::Duration::from_secs_f64((due - now).min(5.0)));
            }
        }
        let mot = &log.mot_ids[log.mot[i] as usize];
        if ts >= incident_at && *mot == incident_mot {
            since_incident += 1;
        }
        t.record(log.journey[i], mot, ts, log.success[i], None)?;
        if ts >= real_time_from && !summarised {
            summarised = true;
            if !before.is_empty() {
                let list: Vec<String> = before.iter().map(|(m, n)| format!("{m} {n}")).collect();
                println!(
                    "Alarms before {} (read at full speed): {}.\n",
                    clock(real_time_from),
                    list.join(", ")
                );
            }
        }
        for a in t.drain_alarms() {
            if a.timestamp < real_time_from {
                *before.entry(a.mot.clone()).or_default() += 1;
                continue;
            }
            let owner = a
                .owner
                .as_deref()
                .and_then(|o| x.person(o))
                .map_or("no MOT Manager", |p| p.name.as_str());
            let first = a.mot == incident_mot
                && a.timestamp >= incident_at
                && first_incident_alarm.is_none();
            let after = if a.mot == incident_mot && a.timestamp >= incident_at {
                let mins = (a.timestamp - incident_at) / 60;
                first_incident_alarm.get_or_insert((mins, since_incident));
                format!(
                    "  ← {}h{:02} after the incident began, {since_incident} {incident_mot} interactions into it",
                    mins / 60,
                    mins % 60
                )
            } else {
                String::new()
            };
            println!(
                "{}  ALARM {:<22} CUSUM {:.2} ≥ h {:.2}  tell {owner}{after}",
                clock(a.timestamp),
                a.mot,
                a.statistic,
                a.h
            );
            if first {
                // Who to call now: the open journeys least likely to reach the SCO.
                let risky = t.at_risk(1.0, 3);
                if !risky.is_empty() {
                    println!(
                        "    open journeys least likely to reach the SCO now (P(SCO | last interaction)):"
                    );
                }
                for r in risky {
                    let owner = r
                        .owner
                        .as_deref()
                        .and_then(|o| x.person(o))
                        .map_or("no MOT Manager", |p| p.name.as_str());
                    println!(
                        "      journey {:<8} last {} ({}) {:.0}% — {owner}",
                        r.journey,
                        r.mot,
                        if r.failed { "failed" } else { "ok" },
                        r.probability * 100.0
                    );
                }
            }
            let _ = std::io::stdout().flush();
        }
        if last_row[&log.journey[i]] == i {
            let j = log.journey[i];
            t.close_journey(j, outcome.get(&j).copied(), None)?;
        }
    }
    match first_incident_alarm {
        Some((mins, n)) => println!(
            "\nThe incident was caught {}h{:02} after it began, {n} {incident_mot} interactions into it; the daily p-chart waits for the day to close.",
            mins / 60,
            mins % 60
        ),
        None => println!("\nNo alarm on the incident (try more journeys)."),
    }
    println!(
        "\nNext: `mot demo --format html -o report.html` for the report, `mot dashboard --help` for your own log."
    );
    Ok(())
}

fn demo(args: DemoArgs) -> Result<(), Failure> {
    if args.live {
        return live(&args);
    }
    let x = sample::airline();
    let log = simulate::airline_scenario(&x, args.journeys, args.seed).generate();
    if let Some(dir) = &args.write_inputs {
        std::fs::create_dir_all(dir)
            .map_err(|e| Failure(format!("cannot create `{}`: {e}", dir.display())))?;
        let (events, outcomes) = log.to_csv();
        for (name, text) in [
            ("experience.json", x.to_json_pretty()),
            ("events.csv", events),
            ("outcomes.csv", outcomes),
        ] {
            let path = dir.join(name);
            std::fs::write(&path, text)
                .map_err(|e| Failure(format!("cannot write `{}`: {e}", path.display())))?;
        }
        eprintln!(
            "wrote {0}/experience.json, {0}/events.csv, {0}/outcomes.csv; try: mot dashboard --experience {0}/experience.json --events {0}/events.csv --outcomes {0}/outcomes.csv",
            dir.display()
        );
    }
    let mut settings = Settings::default();
    apply_output(&args.out, &mut settings)?;
    let mut tracker = Tracker::with_config(Some(&x), settings.tracker_config()?)?;
    log.ingest_into(&mut tracker)?;
    let d = Dashboard::build(&tracker, Some(&x), &settings.dashboard_options())?;
    write_output(&args.out, &d)?;
    eprint!("{}", demo_next_steps(args.out.format));
    Ok(())
}

/// What to run after `mot demo`: printed on standard error, so that the
/// dashboard on standard output stays the whole of it when piped or
/// redirected (`mot demo > table.txt`, `mot demo --format json | jq`).
fn demo_next_steps(format: Format) -> String {
    let mut s = String::from("\nnext steps:\n");
    if format != Format::Html {
        s.push_str("  mot demo --format html -o report.html   this dashboard as a web page\n");
    }
    s.push_str(
        "  mot demo --write-inputs demo/           the sample's input files, to try out\n\
         \x20 mot dashboard --events your.csv         your own log (MOTs found in the log)\n\
         \x20 mot dashboard --help                    columns, outcomes, an experience\n",
    );
    s
}
