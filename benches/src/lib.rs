//! Workload generators shared by the benchmarks.
//!
//! The experience benchmarks scale the bundled airline sample: [`scaled`]
//! copies its MOTs and landscape `n` times with fresh ids, keeping every
//! reference inside its copy, so validation and landscape queries can be
//! measured at sizes a large company has.

use mot_core::simulate::Log;
use mot_core::{ExperienceSpec, Tracker, TrackerConfig, sample};

/// Streams a journey-grouped log through the row API: `record_index` for
/// every interaction, `close_journey` after each journey's last one. MOTs
/// are known in advance (`discovery_with`), as a stream consumer would.
///
/// # Panics
///
/// If a row is refused, which the generated logs never make happen.
#[allow(clippy::expect_used)]
pub fn stream(log: &Log, config: &TrackerConfig) -> Tracker {
    let mut t = Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), config.clone());
    let n = log.len();
    let mut o = 0;
    for i in 0..n {
        t.record_index(log.journey[i], log.mot[i], log.timestamp[i], log.success[i])
            .expect("generated rows are valid");
        if i + 1 == n || log.journey[i + 1] != log.journey[i] {
            t.close_journey(
                log.journey[i],
                Some(log.outcome_sco[o]),
                Some(log.outcome_value[o]),
            )
            .expect("generated outcomes are valid");
            o += 1;
        }
    }
    t
}

/// Trackers for `k` partitions of a log by journey (`journey % k`), each
/// knowing the log's MOT list, as the workers of a distributed job would.
///
/// # Panics
///
/// If ingestion fails, which the generated logs never make it do.
#[allow(clippy::expect_used)]
pub fn partition(log: &Log, k: u64, config: &TrackerConfig) -> Vec<Tracker> {
    let n = log.len();
    (0..k)
        .map(|p| {
            let rows: Vec<usize> = (0..n).filter(|&i| log.journey[i] % k == p).collect();
            let outs: Vec<usize> = (0..log.outcome_journey.len())
                .filter(|&i| log.outcome_journey[i] % k == p)
                .collect();
            let pick = |v: &[u32]| rows.iter().map(|&i| v[i]).collect::<Vec<_>>();
            let part = Log {
                mot_ids: log.mot_ids.clone(),
                producer_ids: log.producer_ids.clone(),
                journey: rows.iter().map(|&i| log.journey[i]).collect(),
                mot: pick(&log.mot),
                timestamp: rows.iter().map(|&i| log.timestamp[i]).collect(),
                success: rows.iter().map(|&i| log.success[i]).collect(),
                cost: rows.iter().map(|&i| log.cost[i]).collect(),
                producer: if log.producer.is_empty() {
                    Vec::new()
                } else {
                    pick(&log.producer)
                },
                outcome_journey: outs.iter().map(|&i| log.outcome_journey[i]).collect(),
                outcome_sco: outs.iter().map(|&i| log.outcome_sco[i]).collect(),
                outcome_value: outs.iter().map(|&i| log.outcome_value[i]).collect(),
            };
            let mut t =
                Tracker::discovery_with(log.mot_ids.iter().map(String::as_str), config.clone());
            part.ingest_into(&mut t).expect("generated logs ingest");
            t
        })
        .collect()
}

/// The airline sample repeated `n` times (ids suffixed `~k`), as one spec.
pub fn scaled(n: usize) -> ExperienceSpec {
    let base = sample::airline().into_spec();
    let mut out = base.clone();
    out.mots.clear();
    out.ideas.clear();
    out.landscape.work.clear();
    for k in 0..n {
        let sfx = |id: &str| format!("{id}~{k}");
        for m in &base.mots {
            let mut m = m.clone();
            m.id = sfx(m.id.as_str()).into();
            m.parent = m.parent.map(|p| sfx(p.as_str()).into());
            if m.parent.is_none() {
                m.position = m.position.map(|p| p + (k as u32) * 100);
            }
            if let Some(d) = &mut m.design {
                for s in &mut d.steps {
                    s.work = s.work.iter().map(|w| sfx(w.as_str()).into()).collect();
                }
            }
            out.mots.push(m);
        }
        for i in &base.ideas {
            let mut i = i.clone();
            i.id = sfx(i.id.as_str()).into();
            i.mot = sfx(i.mot.as_str()).into();
            out.ideas.push(i);
        }
        for w in &base.landscape.work {
            let mut w = w.clone();
            w.id = sfx(w.id.as_str()).into();
            for l in &mut w.mots {
                l.mot = sfx(l.mot.as_str()).into();
            }
            for l in &mut w.supports {
                l.work = sfx(l.work.as_str()).into();
            }
            out.landscape.work.push(w);
        }
    }
    out
}
