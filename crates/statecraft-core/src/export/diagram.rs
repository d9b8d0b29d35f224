//! The chosen stack as a graph drawn from its topology — users → front door → compute → the stores
//! that hold its state — written two ways: a mermaid flowchart for the markdown (GitHub, GitLab and
//! most ADR viewers render it) and a plain SVG for the self-contained HTML, which runs no script.

use super::super::knowledge::{ComputeKind, Knowledge, ServiceCategory, Stack, StackTier};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Round,
    Box,
    Store,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Node {
    id: String,
    label: String,
    shape: Shape,
    /// Left to right: users 0, CDN 1, front door 2, compute 3, stores 4.
    column: usize,
    /// Beside the request path (sign-in, DNS, a firewall, keys): drawn in a band below it, so that
    /// no line of the path runs through it.
    side: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct Edge {
    from: String,
    to: String,
    label: Option<String>,
    dashed: bool,
}

/// The stack's services and how requests and state flow between them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StackGraph {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

impl StackGraph {
    pub fn of(k: &Knowledge, stack: &Stack) -> StackGraph {
        let t = &stack.topology;
        let name = |id: &str| {
            k.service(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let category = |id: &str| k.service(id).map(|s| s.category);
        let mut g = StackGraph::default();
        g.node("users", "Users", Shape::Round, 0);

        // CDNs stand before the front door; a static site has only the CDN.
        let cdn = stack
            .services
            .iter()
            .map(|s| s.service.as_str())
            .find(|id| *id != t.front && category(id) == Some(ServiceCategory::Cdn));
        g.node(&t.front, &name(&t.front), Shape::Box, 2);
        match cdn {
            Some(cdn) => {
                g.node(cdn, &name(cdn), Shape::Box, 1);
                g.edge("users", cdn, None, false);
                g.edge(cdn, &t.front, None, false);
            }
            None => g.edge("users", &t.front, None, false),
        }

        // Compute: the stack's compute services as one box ("Amazon ECS on AWS Fargate").
        let compute: Vec<&str> = stack
            .services
            .iter()
            .map(|s| s.service.as_str())
            .filter(|id| *id != t.front && category(id) == Some(ServiceCategory::Compute))
            .collect();
        let caller = match (t.compute, compute.first()) {
            (ComputeKind::None, _) | (_, None) => t.front.clone(),
            (_, Some(first)) => {
                let label = compute.iter().map(|id| name(id)).collect::<Vec<_>>();
                g.node(first, &label.join(" on "), Shape::Box, 3);
                g.edge(&t.front, first, None, false);
                first.to_string()
            }
        };

        g.stores(k, stack, &caller);
        // Other front doors: DNS before everything, beside the path; an ingest endpoint (IoT
        // Core) or a second front door on the path beside the first.
        let tiers_of = |id: &str| {
            k.service(id)
                .and_then(|svc| svc.capabilities.as_ref())
                .map_or_else(Vec::new, |c| c.tiers.clone())
        };
        for s in &stack.services {
            let id = s.service.as_str();
            if id == t.front || category(id) != Some(ServiceCategory::FrontDoor) {
                continue;
            }
            if tiers_of(id).contains(&StackTier::Dns) {
                g.side_node(id, &name(id), Shape::Box, 1);
                g.edge("users", id, Some("resolves names".into()), true);
            } else {
                g.node(id, &name(id), Shape::Box, 2);
                g.edge("users", id, None, false);
                if caller != t.front {
                    g.edge(id, &caller, None, false);
                }
            }
        }
        // Sign-in services sit beside the flow, never between the users and the front door.
        for s in &stack.services {
            if category(&s.service) == Some(ServiceCategory::Auth) {
                g.side_node(&s.service, &name(&s.service), Shape::Box, 1);
                g.edge("users", &s.service, Some("sign-in".into()), true);
            }
        }
        g.controls(k, stack, cdn.unwrap_or(t.front.as_str()), &caller);
        // Every service of the stack is drawn: one no rule above places sits beside the code that
        // uses it (a compute service joined into the compute box is drawn there already).
        for s in &stack.services {
            let id = s.service.as_str();
            if g.nodes.iter().any(|n| n.id == id) || compute.contains(&id) {
                continue;
            }
            g.side_node(id, &name(id), Shape::Box, 4);
            g.edge(&caller, id, None, true);
        }
        g
    }

    /// The stores, labelled with what they hold for this stack, each called by `caller`.
    fn stores(&mut self, k: &Knowledge, stack: &Stack, caller: &str) {
        let t = &stack.topology;
        let name = |id: &str| {
            k.service(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let category = |id: &str| k.service(id).map(|s| s.category);
        let g = self;
        let mut stored: Vec<(String, Vec<&str>)> = Vec::new();
        let mut hold = |id: &Option<String>, what: &'static str| {
            if let Some(id) = id.as_deref().filter(|id| *id != caller && *id != t.front) {
                match stored.iter_mut().find(|(s, _)| s == id) {
                    Some((_, whats)) => whats.push(what),
                    None => stored.push((id.to_string(), vec![what])),
                }
            }
        };
        hold(&t.session_service, "sessions");
        hold(&t.database, "data");
        hold(&t.static_assets, "files");
        for s in &stack.services {
            let other_store = matches!(
                category(&s.service),
                Some(
                    ServiceCategory::SessionStore
                        | ServiceCategory::Database
                        | ServiceCategory::Storage
                        | ServiceCategory::Streaming
                )
            );
            if other_store && s.service != caller && !stored.iter().any(|(id, _)| *id == s.service)
            {
                // a search index, a live channel or a transcoding queue is not the stack's state
                let tiers = k
                    .service(&s.service)
                    .and_then(|svc| svc.capabilities.as_ref())
                    .map_or(&[][..], |c| &c.tiers[..]);
                let what = if tiers.contains(&StackTier::Search) {
                    "searches"
                } else if tiers.contains(&StackTier::Broadcast) {
                    "live channels"
                } else if tiers.contains(&StackTier::Transcode) {
                    "transcoding jobs"
                } else {
                    "state"
                };
                stored.push((s.service.clone(), vec![what]));
            }
        }
        for (id, whats) in &stored {
            g.node(id, &name(id), Shape::Store, 4);
            g.edge(caller, id, Some(whats.join(", ")), false);
        }
    }

    /// Controls beside the flow: a firewall filters what reaches the first HTTP hop (`entry`),
    /// keys and trails serve the code (`caller`) and the stores.
    fn controls(&mut self, k: &Knowledge, stack: &Stack, entry: &str, caller: &str) {
        let name = |id: &str| {
            k.service(id)
                .map_or_else(|| id.to_string(), |s| s.name.clone())
        };
        let category = |id: &str| k.service(id).map(|s| s.category);
        let g = self;
        for s in &stack.services {
            if category(&s.service) != Some(ServiceCategory::Security) {
                continue;
            }
            let tiers = k
                .service(&s.service)
                .and_then(|svc| svc.capabilities.as_ref())
                .map_or(&[][..], |c| &c.tiers[..]);
            if tiers.contains(&StackTier::Firewall) {
                g.side_node(&s.service, &name(&s.service), Shape::Box, 1);
                g.edge(&s.service, entry, Some("filters requests".into()), true);
            } else {
                let what = if tiers.contains(&StackTier::Keys) {
                    "encryption keys"
                } else {
                    "API calls logged"
                };
                g.side_node(&s.service, &name(&s.service), Shape::Box, 4);
                g.edge(caller, &s.service, Some(what.into()), true);
            }
        }
    }

    fn side_node(&mut self, id: &str, label: &str, shape: Shape, column: usize) {
        self.node(id, label, shape, column);
        if let Some(n) = self.nodes.iter_mut().find(|n| n.id == id) {
            n.side = true;
        }
    }

    fn node(&mut self, id: &str, label: &str, shape: Shape, column: usize) {
        if !self.nodes.iter().any(|n| n.id == id) {
            self.nodes.push(Node {
                id: id.to_string(),
                label: label.to_string(),
                shape,
                column,
                side: false,
            });
        }
    }

    fn edge(&mut self, from: &str, to: &str, label: Option<String>, dashed: bool) {
        self.edges.push(Edge {
            from: from.to_string(),
            to: to.to_string(),
            label,
            dashed,
        });
    }

    /// The mermaid source (without the code fence).
    pub fn to_mermaid(&self) -> String {
        let mut lines = vec!["flowchart LR".to_string()];
        for n in &self.nodes {
            let id = mermaid_id(&n.id);
            let label = mermaid_label(&n.label);
            lines.push(match n.shape {
                Shape::Round => format!("  {id}([{label}])"),
                Shape::Box => format!("  {id}[\"{label}\"]"),
                Shape::Store => format!("  {id}[(\"{label}\")]"),
            });
        }
        for e in &self.edges {
            let arrow = if e.dashed { "-.->" } else { "-->" };
            let label = e
                .label
                .as_deref()
                .map(|l| format!("|{}|", mermaid_label(l)))
                .unwrap_or_default();
            lines.push(format!(
                "  {} {arrow}{label} {}",
                mermaid_id(&e.from),
                mermaid_id(&e.to)
            ));
        }
        let mut out = lines.join("\n");
        out.push('\n');
        out
    }

    /// A left-to-right SVG drawing of the same graph.
    pub fn to_svg(&self) -> String {
        const BOX_W: f64 = 170.0;
        const BOX_H: f64 = 54.0;
        const COL_GAP: f64 = 70.0;
        const ROW_GAP: f64 = 24.0;
        const MARGIN: f64 = 20.0;
        let columns: Vec<usize> = {
            let mut c: Vec<usize> = self.nodes.iter().map(|n| n.column).collect();
            c.sort_unstable();
            c.dedup();
            c
        };
        // the request path in a band at the top, what sits beside it in a band below: a line of
        // the path never runs through a box beside it
        let rows = |col: usize, side: bool| {
            self.nodes
                .iter()
                .filter(|n| n.column == col && n.side == side)
                .count()
        };
        let band = |side: bool| columns.iter().map(|&c| rows(c, side)).max().unwrap_or(0);
        let (main_rows, side_rows) = (band(false).max(1), band(true));
        let row_h = BOX_H + ROW_GAP;
        let main_h = main_rows as f64 * row_h - ROW_GAP;
        let height = MARGIN * 2.0 + (main_rows + side_rows) as f64 * row_h - ROW_GAP;
        let width = MARGIN * 2.0 + columns.len() as f64 * (BOX_W + COL_GAP) - COL_GAP;
        // Each node's box: x, y (top left).
        let place = |n: &Node| -> (f64, f64) {
            let col = columns.iter().position(|&c| c == n.column).unwrap_or(0);
            let in_lane: Vec<&Node> = self
                .nodes
                .iter()
                .filter(|m| m.column == n.column && m.side == n.side)
                .collect();
            let row = in_lane.iter().position(|m| m.id == n.id).unwrap_or(0) as f64;
            let top = if n.side {
                MARGIN + main_rows as f64 * row_h
            } else {
                // the path's boxes centred in their band
                MARGIN + (main_h - (in_lane.len() as f64 * row_h - ROW_GAP)) / 2.0
            };
            (MARGIN + col as f64 * (BOX_W + COL_GAP), top + row * row_h)
        };
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"12\">\n<title>The chosen stack</title>\n<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#4b5563\"/></marker></defs>\n"
        );
        for e in &self.edges {
            let (Some(from), Some(to)) = (
                self.nodes.iter().find(|n| n.id == e.from),
                self.nodes.iter().find(|n| n.id == e.to),
            ) else {
                continue;
            };
            let (fx, fy) = place(from);
            let (tx, ty) = place(to);
            let (x1, y1) = (fx + BOX_W, fy + BOX_H / 2.0);
            let (x2, y2) = (tx, ty + BOX_H / 2.0);
            let dash = if e.dashed {
                " stroke-dasharray=\"5 4\""
            } else {
                ""
            };
            s += &format!(
                "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"#4b5563\" stroke-width=\"1.5\"{dash} marker-end=\"url(#arrow)\"/>\n"
            );
            if let Some(label) = &e.label {
                s += &format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#374151\">{}</text>\n",
                    x1 + (x2 - x1) * 0.62,
                    y1 + (y2 - y1) * 0.62 - 5.0,
                    xml(label)
                );
            }
        }
        for n in &self.nodes {
            let (x, y) = place(n);
            let (rx, fill) = match n.shape {
                Shape::Round => (BOX_H / 2.0, "#eef2ff"),
                Shape::Box => (6.0, "#f0f9ff"),
                Shape::Store => (14.0, "#fef3c7"),
            };
            s += &format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{BOX_W:.0}\" height=\"{BOX_H:.0}\" rx=\"{rx:.0}\" fill=\"{fill}\" stroke=\"#4b5563\"/>\n"
            );
            let lines = wrap(&n.label, 24);
            let first = y + BOX_H / 2.0 - (lines.len() as f64 - 1.0) * 7.0 + 4.0;
            for (i, line) in lines.iter().enumerate() {
                s += &format!(
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                    x + BOX_W / 2.0,
                    first + i as f64 * 14.0,
                    xml(line)
                );
            }
        }
        s += "</svg>\n";
        s
    }
}

/// Words on lines of at most `width` characters, three lines at most.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    if lines.len() > 3 {
        lines.truncate(3);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// Mermaid ids are letters, digits and underscores.
fn mermaid_id(service: &str) -> String {
    service
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Text inside `["…"]`: mermaid's entity for a quote, and no line breaks.
fn mermaid_label(text: &str) -> String {
    text.replace('"', "#quot;").replace(['\n', '\r'], " ")
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
