//! Workload generators shared by the benchmarks.
//!
//! The experience benchmarks scale the bundled airline sample: [`scaled`]
//! copies its MOTs and landscape `n` times with fresh ids, keeping every
//! reference inside its copy, so validation and landscape queries can be
//! measured at sizes a large company has.

use mot_core::{ExperienceSpec, sample};

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
