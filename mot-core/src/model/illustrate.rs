//! Pictures of an experience and of each MOT design, as Mermaid and
//! Graphviz DOT text, for docs, notebooks and pages.
//!
//! The experience picture shows the designed journey step by step (nested
//! MOTs as boxes around their children), each MOT's interaction type and
//! MOT Manager, MOTs off the designed path, and the SCO at the end. A design
//! picture shows the plan for producing one SMOTO: its steps in order, the
//! work that performs each, and the SMOTO they lead to.
//!
//! ```
//! let x = mot_core::sample::airline();
//! let mermaid = x.mermaid();
//! assert!(mermaid.starts_with("flowchart LR"));
//! let dot = x.dot();
//! assert!(dot.starts_with("digraph experience {"));
//! let design = x.design_mermaid("bag-drop")?;
//! assert!(design.contains("SMOTO"));
//! # Ok::<(), mot_core::Error>(())
//! ```

use std::fmt::Write as _;

use crate::{Contribution, Error, Experience, Mot};

/// A drawing, independent of the text format.
struct Drawing {
    direction: &'static str,
    nodes: Vec<Node>,
    /// Boxes around nodes: (id, label, member node ids, nested box ids).
    boxes: Vec<Box_>,
    /// Top-level boxes, in order.
    top_boxes: Vec<usize>,
    edges: Vec<Edge>,
}

struct Node {
    id: String,
    label: String,
    shape: Shape,
    class: &'static str,
    /// Index of the box holding it, if any.
    in_box: Option<usize>,
}

struct Box_ {
    id: String,
    label: String,
    class: &'static str,
    nodes: Vec<usize>,
    boxes: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    Box,
    Round,
    Stadium,
    Circle,
}

struct Edge {
    from: String,
    to: String,
    dashed: bool,
}

fn contribution_class(c: Contribution) -> &'static str {
    match c {
        Contribution::Direct => "direct",
        Contribution::Enabling => "enabling",
        Contribution::Nothing => "unaligned",
    }
}

impl Experience {
    fn mot_label(&self, m: &Mot) -> String {
        let owner = m
            .manager
            .as_ref()
            .map(|p| {
                self.person(p.as_str())
                    .map_or(p.as_str(), |p| p.name.as_str())
            })
            .unwrap_or("no MOT Manager");
        let off = if m.position.is_none() {
            " · off path"
        } else {
            ""
        };
        format!("{}\n{} · {}{}", m.name, m.interaction_type, owner, off)
    }

    /// The positioned leaves under MOT `i`, ignoring `i`'s own position.
    fn leaves_under(&self, i: usize, out: &mut Vec<usize>) {
        let positioned: Vec<usize> = self.index().children[i]
            .iter()
            .copied()
            .filter(|&c| self.mots()[c].position.is_some())
            .collect();
        if positioned.is_empty() {
            out.push(i);
        }
        for c in positioned {
            self.leaves_under(c, out);
        }
    }

    fn experience_drawing(&self) -> Drawing {
        let mots = self.mots();
        let mut d = Drawing {
            direction: "LR",
            nodes: Vec::new(),
            boxes: Vec::new(),
            top_boxes: Vec::new(),
            edges: Vec::new(),
        };
        // A box for every MOT with children, a node for every other MOT.
        let mut box_of = vec![None; mots.len()];
        for (i, m) in mots.iter().enumerate() {
            if !self.index().children[i].is_empty() {
                box_of[i] = Some(d.boxes.len());
                d.boxes.push(Box_ {
                    id: format!("m{i}"),
                    label: self.mot_label(m),
                    class: contribution_class(m.contribution),
                    nodes: Vec::new(),
                    boxes: Vec::new(),
                });
            }
        }
        d.nodes.push(Node {
            id: "start".into(),
            label: self.spec().segment.clone(),
            shape: Shape::Circle,
            class: "endpoint",
            in_box: None,
        });
        let order = self
            .index()
            .top
            .iter()
            .copied()
            .chain((0..mots.len()).filter(|&i| self.index().parent[i].is_some()));
        for i in order {
            let parent_box = self.index().parent[i].and_then(|p| box_of[p]);
            match (box_of[i], parent_box) {
                (Some(b), Some(pb)) => d.boxes[pb].boxes.push(b),
                (Some(b), None) => d.top_boxes.push(b),
                (None, _) => {
                    if let Some(pb) = parent_box {
                        d.boxes[pb].nodes.push(d.nodes.len());
                    }
                    d.nodes.push(Node {
                        id: format!("m{i}"),
                        label: self.mot_label(&mots[i]),
                        shape: Shape::Round,
                        class: contribution_class(mots[i].contribution),
                        in_box: parent_box,
                    });
                }
            }
        }
        d.nodes.push(Node {
            id: "sco".into(),
            label: format!("SCO\n{}", self.spec().sco.one_liner),
            shape: Shape::Stadium,
            class: "endpoint",
            in_box: None,
        });
        // The designed journey, then the inner sequence of MOTs off the path.
        let mut chains: Vec<Vec<String>> = Vec::new();
        let main: Vec<String> = std::iter::once("start".to_string())
            .chain(
                self.designed_journey()
                    .iter()
                    .filter_map(|m| self.mot_index(m.id.as_str()))
                    .map(|i| format!("m{i}")),
            )
            .chain(std::iter::once("sco".to_string()))
            .collect();
        chains.push(main);
        for (i, m) in mots.iter().enumerate() {
            if m.position.is_none() {
                let mut leaves = Vec::new();
                self.leaves_under(i, &mut leaves);
                if leaves.len() > 1 {
                    chains.push(leaves.iter().map(|l| format!("m{l}")).collect());
                }
            }
        }
        for chain in chains {
            for pair in chain.windows(2) {
                d.edges.push(Edge {
                    from: pair[0].clone(),
                    to: pair[1].clone(),
                    dashed: false,
                });
            }
        }
        d
    }

    fn design_drawing(&self, id: &str) -> Result<Drawing, Error> {
        let mot = self.mot(id).ok_or_else(|| Error::not_found("mot", id))?;
        let design = mot
            .design
            .as_ref()
            .ok_or_else(|| Error::not_found("design of mot", id))?;
        let mut d = Drawing {
            direction: "TB",
            nodes: Vec::new(),
            boxes: Vec::new(),
            top_boxes: Vec::new(),
            edges: Vec::new(),
        };
        d.nodes.push(Node {
            id: "mot".into(),
            label: self.mot_label(mot),
            shape: Shape::Round,
            class: contribution_class(mot.contribution),
            in_box: None,
        });
        let mut prev = "mot".to_string();
        let mut work_seen: Vec<String> = Vec::new();
        for (k, step) in design.steps.iter().enumerate() {
            let sid = format!("s{k}");
            d.nodes.push(Node {
                id: sid.clone(),
                label: format!("{}. {}", k + 1, step.name),
                shape: Shape::Box,
                class: "step",
                in_box: None,
            });
            d.edges.push(Edge {
                from: prev,
                to: sid.clone(),
                dashed: false,
            });
            for w in &step.work {
                let Some(wi) = self.index().work.get(w.as_str()).copied() else {
                    continue;
                };
                let wid = format!("w{wi}");
                if !work_seen.contains(&wid) {
                    let item = &self.spec().landscape.work[wi];
                    d.nodes.push(Node {
                        id: wid.clone(),
                        label: format!("{}\n{}", item.name, item.kind.as_str()),
                        shape: Shape::Round,
                        class: "work",
                        in_box: None,
                    });
                    work_seen.push(wid.clone());
                }
                d.edges.push(Edge {
                    from: wid,
                    to: sid.clone(),
                    dashed: true,
                });
            }
            prev = sid;
        }
        let target = mot
            .smoto
            .target_rate
            .map(|t| format!(" (target {})", percent(t)))
            .unwrap_or_default();
        d.nodes.push(Node {
            id: "smoto".into(),
            label: format!("SMOTO{target}\n{}", mot.smoto.description),
            shape: Shape::Stadium,
            class: "endpoint",
            in_box: None,
        });
        d.edges.push(Edge {
            from: prev,
            to: "smoto".into(),
            dashed: false,
        });
        Ok(d)
    }

    /// The experience as a Mermaid flowchart: the designed journey from the
    /// customer to the SCO, nested MOTs as subgraphs, each MOT labelled with
    /// its interaction type and MOT Manager; classes `direct`, `enabling`,
    /// `unaligned` style MOTs by declared contribution.
    pub fn mermaid(&self) -> String {
        mermaid(&self.experience_drawing())
    }

    /// The experience as Graphviz DOT (see [`Experience::mermaid`]).
    pub fn dot(&self) -> String {
        dot(&self.experience_drawing(), "experience")
    }

    /// The design of MOT `id` as a Mermaid flowchart: steps in order, the
    /// work performing each (dashed), and the SMOTO they lead to.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::NotFound`](crate::ErrorKind::NotFound) when the MOT does
    /// not exist or has no design.
    pub fn design_mermaid(&self, id: &str) -> Result<String, Error> {
        Ok(mermaid(&self.design_drawing(id)?))
    }

    /// The design of MOT `id` as Graphviz DOT (see
    /// [`Experience::design_mermaid`]).
    ///
    /// # Errors
    ///
    /// As [`Experience::design_mermaid`].
    pub fn design_dot(&self, id: &str) -> Result<String, Error> {
        Ok(dot(&self.design_drawing(id)?, "design"))
    }
}

fn percent(rate: f64) -> String {
    let p = rate * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{}%", p.round())
    } else {
        format!("{p:.1}%")
    }
}

/// Mermaid label text: entity codes for the characters Mermaid would read
/// as syntax, `<br/>` for line breaks.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '&' => out.push_str("#amp;"),
            '\n' => out.push_str("<br/>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A DOT double-quoted string body.
fn dot_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

const MERMAID_CLASSES: &str = "  classDef direct fill:#e8f5e9,stroke:#2e7d32\n  classDef enabling fill:#e3f2fd,stroke:#1565c0\n  classDef unaligned fill:#fafafa,stroke:#9e9e9e,stroke-dasharray:4 3\n  classDef endpoint fill:#fff8e1,stroke:#f9a825\n  classDef step fill:#ffffff,stroke:#455a64\n  classDef work fill:#f3e5f5,stroke:#6a1b9a\n";

fn mermaid(d: &Drawing) -> String {
    let mut s = format!("flowchart {}\n", d.direction);
    let node = |s: &mut String, n: &Node, indent: &str| {
        let label = mermaid_text(&n.label);
        let (open, close) = match n.shape {
            Shape::Box => ("[\"", "\"]"),
            Shape::Round => ("(\"", "\")"),
            Shape::Stadium => ("([\"", "\"])"),
            Shape::Circle => ("((\"", "\"))"),
        };
        let _ = writeln!(s, "{indent}{}{open}{label}{close}:::{}", n.id, n.class);
    };
    fn boxed(
        s: &mut String,
        d: &Drawing,
        b: usize,
        depth: usize,
        node: &dyn Fn(&mut String, &Node, &str),
    ) {
        let indent = "  ".repeat(depth);
        let bx = &d.boxes[b];
        let _ = writeln!(
            s,
            "{indent}subgraph {}[\"{}\"]",
            bx.id,
            mermaid_text(&bx.label)
        );
        let _ = writeln!(s, "{indent}  direction LR");
        for &n in &bx.nodes {
            node(s, &d.nodes[n], &format!("{indent}  "));
        }
        for &inner in &bx.boxes {
            boxed(s, d, inner, depth + 1, node);
        }
        let _ = writeln!(s, "{indent}end");
    }
    for n in d.nodes.iter().filter(|n| n.in_box.is_none()) {
        node(&mut s, n, "  ");
    }
    for &b in &d.top_boxes {
        boxed(&mut s, d, b, 1, &node);
    }
    for e in &d.edges {
        let arrow = if e.dashed { "-.->" } else { "-->" };
        let _ = writeln!(s, "  {} {arrow} {}", e.from, e.to);
    }
    s.push_str(MERMAID_CLASSES);
    for bx in &d.boxes {
        let _ = writeln!(s, "  class {} {}", bx.id, bx.class);
    }
    s
}

fn dot(d: &Drawing, name: &str) -> String {
    let rankdir = if d.direction == "LR" { "LR" } else { "TB" };
    let mut s = format!(
        "digraph {name} {{\n  rankdir={rankdir};\n  node [fontname=\"Helvetica\", fontsize=11];\n  edge [color=\"#546e7a\"];\n"
    );
    let fill = |class: &str| match class {
        "direct" => "#e8f5e9",
        "enabling" => "#e3f2fd",
        "unaligned" => "#fafafa",
        "endpoint" => "#fff8e1",
        "work" => "#f3e5f5",
        _ => "#ffffff",
    };
    let node = |s: &mut String, n: &Node, indent: &str| {
        let shape = match n.shape {
            Shape::Box => "shape=box",
            Shape::Round => "shape=box, style=\"rounded,filled\"",
            Shape::Stadium => "shape=box, style=\"rounded,filled,bold\"",
            Shape::Circle => "shape=circle",
        };
        let filled = if matches!(n.shape, Shape::Box | Shape::Circle) {
            ", style=filled"
        } else {
            ""
        };
        let dashed = if n.class == "unaligned" {
            ", peripheries=1, color=\"#9e9e9e\""
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "{indent}{} [label=\"{}\", {shape}{filled}, fillcolor=\"{}\"{dashed}];",
            n.id,
            dot_text(&n.label),
            fill(n.class)
        );
    };
    fn boxed(
        s: &mut String,
        d: &Drawing,
        b: usize,
        depth: usize,
        node: &dyn Fn(&mut String, &Node, &str),
        fill: &dyn Fn(&str) -> &'static str,
    ) {
        let indent = "  ".repeat(depth);
        let bx = &d.boxes[b];
        let _ = writeln!(s, "{indent}subgraph cluster_{} {{", bx.id);
        let _ = writeln!(
            s,
            "{indent}  label=\"{}\"; style=\"rounded,filled\"; fillcolor=\"{}\";",
            dot_text(&bx.label),
            fill(bx.class)
        );
        for &n in &bx.nodes {
            node(s, &d.nodes[n], &format!("{indent}  "));
        }
        for &inner in &bx.boxes {
            boxed(s, d, inner, depth + 1, node, fill);
        }
        let _ = writeln!(s, "{indent}}}");
    }
    for n in d.nodes.iter().filter(|n| n.in_box.is_none()) {
        node(&mut s, n, "  ");
    }
    for &b in &d.top_boxes {
        boxed(&mut s, d, b, 1, &node, &fill);
    }
    for e in &d.edges {
        let style = if e.dashed { " [style=dashed]" } else { "" };
        let _ = writeln!(s, "  {} -> {}{style};", e.from, e.to);
    }
    s.push_str("}\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            mermaid_text("a \"b\" <c> #1\nx"),
            "a #quot;b#quot; #lt;c#gt; #35;1<br/>x"
        );
        assert_eq!(dot_text("a \"b\" \\ \nx"), "a \\\"b\\\" \\\\ \\nx");
        assert_eq!(percent(0.95), "95%");
        assert_eq!(percent(0.955), "95.5%");
    }

    #[test]
    fn every_mot_is_drawn_once() {
        let x = crate::sample::airline();
        let m = x.mermaid();
        let dot = x.dot();
        for (i, mot) in x.mots().iter().enumerate() {
            let id = format!("m{i}");
            let as_node = m.matches(&format!("  {id}(\"")).count();
            let as_box = m.matches(&format!("subgraph {id}[")).count();
            assert_eq!(as_node + as_box, 1, "{} in\n{m}", mot.id);
            let in_dot = dot.matches(&format!("{id} [label=")).count()
                + dot.matches(&format!("subgraph cluster_{id} ")).count();
            assert_eq!(in_dot, 1, "{}", mot.id);
        }
        // The designed journey runs from the customer to the SCO.
        let journey = x.designed_journey();
        let first = x.mot_index(journey[0].id.as_str()).unwrap();
        assert!(m.contains(&format!("start --> m{first}")));
        let last = x.mot_index(journey[journey.len() - 1].id.as_str()).unwrap();
        assert!(m.contains(&format!("m{last} --> sco")));
        assert!(dot.contains(&format!("m{last} -> sco;")));
    }

    #[test]
    fn nested_call_centre_is_a_box_with_its_sequence() {
        let x = crate::sample::airline();
        let parent = x
            .mots()
            .iter()
            .find(|m| x.children(m.id.as_str()).len() == 4)
            .unwrap();
        let kids: Vec<usize> = x
            .children(parent.id.as_str())
            .iter()
            .map(|c| x.mot_index(c.id.as_str()).unwrap())
            .collect();
        let m = x.mermaid();
        for pair in kids.windows(2) {
            assert!(m.contains(&format!("m{} --> m{}", pair[0], pair[1])), "{m}");
        }
        let types: Vec<String> = x
            .children(parent.id.as_str())
            .iter()
            .map(|c| c.interaction_type.to_string())
            .collect();
        assert_eq!(types, ["PS", "PS", "PP", "SP"]);
    }

    #[test]
    fn design_pictures() {
        let x = crate::sample::airline();
        let with_design: Vec<&Mot> = x.mots().iter().filter(|m| m.design.is_some()).collect();
        assert!(with_design.len() >= 3);
        for mot in with_design {
            let m = x.design_mermaid(mot.id.as_str()).unwrap();
            let steps = mot.design.as_ref().unwrap().steps.len();
            assert_eq!(m.matches(":::step").count(), steps);
            assert!(m.contains(&format!("s{} --> smoto", steps - 1)));
            let d = x.design_dot(mot.id.as_str()).unwrap();
            assert!(d.contains(&format!("s{} -> smoto;", steps - 1)));
        }
        let none = x.mots().iter().find(|m| m.design.is_none()).unwrap();
        let err = x.design_mermaid(none.id.as_str()).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::NotFound);
        assert_eq!(
            x.design_dot("nope").unwrap_err().kind(),
            crate::ErrorKind::NotFound
        );
    }

    #[test]
    fn user_text_cannot_break_out() {
        let mut spec = crate::sample::airline().into_spec();
        spec.mots[0].name = "evil\"]; click x call alert(1) %% \" }".into();
        let x = Experience::new(spec).unwrap();
        let m = x.mermaid();
        assert!(!m.contains("evil\""));
        let dot = x.dot();
        assert!(dot.contains("evil\\\"]"));
    }
}
