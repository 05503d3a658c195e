//! A tour of the experience framework on the bundled airline sample, or on
//! your own `mot.experience/1` file.
//!
//! ```text
//! cargo run -p mot-core --example airline                    # the sample
//! cargo run -p mot-core --example airline -- my.json         # your file
//! cargo run -p mot-core --example airline -- --mermaid       # the picture
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

use mot_core::{Experience, Role, diff, sample};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mermaid = args.iter().any(|a| a == "--mermaid");
    let file = args.iter().find(|a| !a.starts_with("--"));
    let x = match file {
        None => sample::airline(),
        Some(path) => {
            let json = match std::fs::read_to_string(path) {
                Ok(j) => j,
                Err(e) => {
                    eprintln!("error: cannot read `{path}`: {e}");
                    return ExitCode::FAILURE;
                }
            };
            match Experience::from_json(&json) {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    if mermaid {
        print!("{}", x.mermaid());
        return ExitCode::SUCCESS;
    }
    tour(&x, file.is_none());
    ExitCode::SUCCESS
}

fn tour(x: &Experience, is_sample: bool) {
    let s = x.spec();
    let name_of = |id: Option<&mot_core::PersonId>| {
        id.and_then(|p| x.person(p.as_str()))
            .map_or("(no MOT Manager)".to_string(), |p| p.name.clone())
    };
    println!("{} — for the {}", s.name, s.segment);
    println!("SCO: {}", s.sco.one_liner);
    println!("Experience Manager: {}", name_of(Some(&s.manager)));
    println!(
        "{} MOTs, {} people ({} MOT Managers, {} Experience Producers), {} work items, {} ideas",
        s.mots.len(),
        s.people.len(),
        x.people_in(Role::MotManager).len(),
        x.people_in(Role::ExperienceProducer).len(),
        s.landscape.work.len(),
        s.ideas.len()
    );
    if let Some(share) = x.ownership_share() {
        println!("MOTs with a MOT Manager: {:.0}%", share * 100.0);
    }

    println!("\nThe designed journey, step by step:");
    for (k, m) in x.designed_journey().iter().enumerate() {
        let within = x
            .ancestors(m.id.as_str())
            .first()
            .map(|p| format!(" (in {})", p.name))
            .unwrap_or_default();
        println!(
            "  {:>2}. {} {:<28} {}{}",
            k + 1,
            m.interaction_type,
            m.name,
            name_of(m.manager.as_ref()),
            within
        );
    }
    let off: Vec<&str> = x
        .top_level()
        .into_iter()
        .filter(|m| m.position.is_none())
        .map(|m| m.name.as_str())
        .collect();
    if !off.is_empty() {
        println!("  off the designed path: {}", off.join(", "));
    }
    for m in x
        .mots()
        .iter()
        .filter(|m| !x.children(m.id.as_str()).is_empty())
    {
        let seq: Vec<String> = x
            .children(m.id.as_str())
            .iter()
            .map(|c| c.interaction_type.to_string())
            .collect();
        println!("  nested: {} = {}", m.name, seq.join(", "));
    }

    println!("\nThe Customer Performance Landscape:");
    // The system that serves the most MOTs.
    let busiest = s
        .landscape
        .work
        .iter()
        .filter(|w| w.kind == mot_core::WorkKind::System)
        .filter_map(|w| Some((w, x.trace(w.id.as_str()).ok()?)))
        .max_by_key(|(_, t)| t.mots.len());
    if let Some((w, trace)) = busiest {
        let mots: Vec<&str> = trace.mots.iter().map(|m| m.mot.as_str()).collect();
        println!("  {} serves: {}", w.name, mots.join(", "));
        let f = x
            .failure_impact(w.id.as_str())
            .unwrap_or_else(|e| panic!("{e}"));
        println!(
            "  if it fails: {} MOTs at risk, {}/{} designed steps ({:.0}%), SCO at risk: {}",
            f.at_risk.len(),
            f.journey_steps_at_risk,
            f.journey_steps,
            f.journey_share.unwrap_or(0.0) * 100.0,
            f.sco_at_risk
        );
    }
    let unexplained: Vec<&str> = x
        .unexplained_work()
        .iter()
        .map(|w| w.name.as_str())
        .collect();
    println!(
        "  unexplained work (serves no MOT): {}",
        if unexplained.is_empty() {
            "none".to_string()
        } else {
            unexplained.join(", ")
        }
    );
    let costs = x.cost_rollup();
    let cur = s.currency.as_deref().unwrap_or("");
    println!(
        "  work cost {:.0} {cur}: {:.0} explained by MOTs, {:.0} unexplained",
        costs.total, costs.allocated, costs.unexplained
    );
    let mut top = costs.mots.clone();
    top.sort_by(|a, b| b.own.total_cmp(&a.own));
    for c in top.iter().take(3) {
        println!("    {:<24} {:>12.0} {cur}", c.mot, c.own);
    }

    if is_sample {
        println!("\nA broken copy reports every problem at once:");
        let mut broken = s.clone();
        broken.mots[0].manager = Some("nobody".into());
        broken.mots[2].smoto.target_rate = Some(1.2);
        broken.landscape.work[1].cost = Some(-10.0);
        if let Err(e) = Experience::new(broken) {
            println!("  {}", e.to_string().replace('\n', "\n  "));
        }
        println!();
        print!("{}", diff(s, sample::airline_next().spec()));
    }
}
