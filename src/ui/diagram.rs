//! A stack drawn as a diagram of its services: users on the left, the front door, the compute, and
//! the stores that hold state on the right, with arrows for the requests between them.

use egui::{Align2, Color32, FontId, Pos2, Rect, Role, Sense, Stroke, Ui, Vec2, WidgetInfo};

use crate::domain::knowledge::{Knowledge, ServiceCategory, StackTier};
use crate::domain::rules::StackService;

/// The smallest box: on a narrow window the diagram keeps this and scrolls sideways.
const BOX: Vec2 = Vec2::new(178.0, 60.0);
/// The widest box: past it, a wide window leaves the rest of the row empty.
const BOX_MAX_WIDTH: f32 = 250.0;
const COLUMN_GAP: f32 = 58.0;
const ROW_GAP: f32 = 14.0;

struct Node {
    name: String,
    role: String,
    /// Why the advice put it in the stack, for the hover text (empty when not explained).
    why: String,
    holds_state: bool,
    /// A control beside the flow (a firewall, keys, an audit trail): drawn without arrows, since
    /// requests do not pass through it as through a tier.
    beside: bool,
    column: usize,
    rect: Rect,
}

/// The lane a service is drawn in, left to right as a request travels: users (0), the CDN (1), the
/// front doors (2), compute (3), the stores and the controls beside the flow (4). Empty lanes are
/// left out when drawing, so a stack without a CDN starts at its front door.
fn lane_of(category: ServiceCategory) -> usize {
    match category {
        ServiceCategory::Cdn => 1,
        ServiceCategory::FrontDoor => 2,
        ServiceCategory::Compute => 3,
        ServiceCategory::Auth
        | ServiceCategory::SessionStore
        | ServiceCategory::Database
        | ServiceCategory::Storage
        | ServiceCategory::Streaming
        | ServiceCategory::Security => 4,
    }
}

/// Draws the stack `stack_id`; a stack the knowledge does not know draws nothing. `explained`, the
/// advice's services, gives each box's hover its "why this service". `room` is the width the
/// diagram may fill: its boxes widen into it (up to a limit), so that long names stay readable.
pub fn stack_diagram(
    ui: &mut Ui,
    k: &Knowledge,
    stack_id: &str,
    explained: &[StackService],
    room: f32,
) {
    let Some(stack) = k.stack(stack_id) else {
        return;
    };
    let mut nodes = nodes_of(k, stack, explained);
    let (columns, rows) = into_columns(&mut nodes);
    let gaps = (columns.max(1) - 1) as f32 * COLUMN_GAP;
    let box_size = Vec2::new(
        ((room - gaps) / columns.max(1) as f32).clamp(BOX.x, BOX_MAX_WIDTH),
        BOX.y,
    );
    let height = rows as f32 * (box_size.y + ROW_GAP) + 8.0;
    let width = columns as f32 * box_size.x + gaps;
    let (response, painter) = ui.allocate_painter(Vec2::new(width, height), Sense::hover());
    place(&mut nodes, columns, response.rect.min, height, box_size);
    let visuals = ui.visuals().clone();
    links(&painter, &nodes, &visuals);
    for (i, node) in nodes.iter().enumerate() {
        node_ui(ui, &painter, node, response.id.with(i), &visuals);
    }
    ui.horizontal(|ui| {
        legend_swatch(ui, state_fill(&visuals), "holds state");
        legend_swatch(ui, stateless_fill(&visuals), "stateless");
    });
}

/// The users, then a node per service of the stack in its lane, with why the service is there.
fn nodes_of(
    k: &Knowledge,
    stack: &crate::domain::knowledge::Stack,
    explained: &[StackService],
) -> Vec<Node> {
    let mut nodes: Vec<Node> = vec![Node {
        name: "Users".into(),
        role: "browsers and apps".into(),
        why: String::new(),
        holds_state: false,
        beside: false,
        column: 0,
        rect: Rect::NOTHING,
    }];
    for ss in &stack.services {
        // sign-in, a firewall, keys and an audit trail sit beside the flow: requests do not pass
        // through them as through a tier
        // and so does DNS, which only resolves the name; an accelerator in the DNS tier carries the
        // traffic itself, at the edge like a CDN
        let (name, column, holds_state, beside) = match k.service(&ss.service) {
            Some(s) => {
                let caps = s.capabilities.as_ref();
                let names_only = caps.is_some_and(|c| c.protocols == ["dns"]);
                let edge = caps.is_some_and(|c| c.tiers.contains(&StackTier::Dns)) && !names_only;
                let lane = if names_only {
                    4
                } else if edge {
                    1
                } else {
                    lane_of(s.category)
                };
                let beside = names_only
                    || matches!(
                        s.category,
                        ServiceCategory::Security | ServiceCategory::Auth
                    );
                (s.name.clone(), lane, s.holds_state, beside)
            }
            None => (ss.service.clone(), 3, false, false),
        };
        let explanation = explained.iter().find(|e| e.id == ss.service);
        // a companion (ECS, which Fargate runs under) is drawn beside its service: requests do
        // not pass through it on their way to the stores
        let beside = beside || explanation.is_some_and(|e| e.companion);
        let why = explanation
            .map(|e| {
                if e.because.is_empty() {
                    e.why.clone()
                } else {
                    format!("{}\nBecause of: {}", e.why, e.because.join(", "))
                }
            })
            .unwrap_or_default();
        nodes.push(Node {
            name,
            why,
            role: ss.role.clone(),
            holds_state,
            beside,
            column,
            rect: Rect::NOTHING,
        });
    }
    nodes
}

/// Turns the lanes in use into the columns, in order: how many columns, and the most boxes in one.
fn into_columns(nodes: &mut [Node]) -> (usize, usize) {
    let mut lanes: Vec<usize> = nodes.iter().map(|n| n.column).collect();
    lanes.sort_unstable();
    lanes.dedup();
    for n in nodes.iter_mut() {
        n.column = lanes.iter().position(|&l| l == n.column).unwrap_or(0);
    }
    let columns = lanes.len();
    let rows = (0..columns)
        .map(|c| nodes.iter().filter(|n| n.column == c).count())
        .max()
        .unwrap_or(1)
        .max(1);
    (columns, rows)
}

/// Each column's boxes, centred on the diagram's height.
fn place(nodes: &mut [Node], columns: usize, origin: Pos2, height: f32, size: Vec2) {
    for c in 0..columns {
        let in_column: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].column == c).collect();
        let column_height = in_column.len() as f32 * (size.y + ROW_GAP) - ROW_GAP;
        let top = origin.y + (height - column_height) / 2.0;
        for (row, &i) in in_column.iter().enumerate() {
            let min = Pos2::new(
                origin.x + c as f32 * (size.x + COLUMN_GAP),
                top + row as f32 * (size.y + ROW_GAP),
            );
            nodes[i].rect = Rect::from_min_size(min, size);
        }
    }
}

/// An arrow from each box to each box of the next column (none to what sits beside the flow).
fn links(painter: &egui::Painter, nodes: &[Node], visuals: &egui::Visuals) {
    let arrow = Stroke::new(1.5, visuals.weak_text_color());
    for (a, from) in nodes.iter().enumerate() {
        for (b, to) in nodes.iter().enumerate() {
            if a == b || from.beside || to.beside {
                continue;
            }
            // each tier hands requests to the next one in use
            let linked = to.column == from.column + 1;
            if linked {
                let start = from.rect.right_center();
                let end = to.rect.left_center();
                arrow_to(painter, start, end - Vec2::new(2.0, 0.0), arrow);
            }
        }
    }
}

/// A line with a head of a fixed size: egui's own arrow scales its head with the line, so a long
/// slanted link (a compute box fanning out to seven stores) wore heads that read as stray lines.
fn arrow_to(painter: &egui::Painter, from: Pos2, to: Pos2, stroke: Stroke) {
    const HEAD: f32 = 9.0;
    painter.line_segment([from, to], stroke);
    let back = (from - to).normalized() * HEAD;
    let turn = |v: Vec2, angle: f32| {
        let (sin, cos) = angle.sin_cos();
        Vec2::new(v.x * cos - v.y * sin, v.x * sin + v.y * cos)
    };
    painter.line_segment([to, to + turn(back, 0.45)], stroke);
    painter.line_segment([to, to + turn(back, -0.45)], stroke);
}

fn state_fill(visuals: &egui::Visuals) -> Color32 {
    blend(
        visuals.extreme_bg_color,
        Color32::from_rgb(230, 126, 34),
        0.22,
    )
}

fn stateless_fill(visuals: &egui::Visuals) -> Color32 {
    blend(
        visuals.extreme_bg_color,
        Color32::from_rgb(52, 128, 235),
        0.18,
    )
}

/// One box: its service's name and role, coloured by whether it holds state, named for a screen
/// reader and explained on hover.
fn node_ui(
    ui: &mut Ui,
    painter: &egui::Painter,
    node: &Node,
    id: egui::Id,
    visuals: &egui::Visuals,
) {
    let fill = match node.column {
        0 => visuals.faint_bg_color,
        _ if node.holds_state => state_fill(visuals),
        _ => stateless_fill(visuals),
    };
    painter.rect(
        node.rect,
        6.0,
        fill,
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
        egui::StrokeKind::Inside,
    );
    let room = node.rect.width() - 12.0;
    // a long service name ("Amazon API Gateway (HTTP API)") is set smaller to stay on one line;
    // one still too long ("Players connect straight to their game session") takes two lines, and
    // only past two is it cut (the whole name on hover)
    let natural = painter
        .layout_no_wrap(
            node.name.clone(),
            FontId::proportional(13.5),
            visuals.strong_text_color(),
        )
        .size()
        .x;
    let size = if natural > room {
        (13.5 * room / natural).max(12.0)
    } else {
        13.5
    };
    let font = FontId::proportional(size);
    let one_line = painter
        .layout_no_wrap(node.name.clone(), font.clone(), Color32::WHITE)
        .size()
        .x
        <= room;
    let name = if one_line {
        node.name.clone()
    } else {
        two_lines(painter, &node.name, font.clone(), room)
    };
    let mut job = egui::text::LayoutJob::simple(name, font, visuals.strong_text_color(), room);
    job.halign = egui::Align::Center;
    let galley = painter.layout_job(job);
    painter.galley(
        node.rect.center_top() + Vec2::new(0.0, 6.0),
        galley,
        visuals.strong_text_color(),
    );
    // the role as much as the box holds (the whole of it on hover)
    let role_font = FontId::proportional(11.0);
    let role = clip_to(painter, &node.role, role_font.clone(), room);
    painter.text(
        node.rect.center_bottom() - Vec2::new(0.0, 8.0),
        Align2::CENTER_BOTTOM,
        role,
        role_font,
        visuals.weak_text_color(),
    );
    // each box is reachable by a screen reader, named by its service and role
    let hover = ui.interact(node.rect, id, Sense::hover());
    let alt = format!(
        "{}: {}{}",
        node.name,
        node.role,
        if node.holds_state {
            " (holds state)"
        } else {
            ""
        }
    );
    hover.widget_info(|| WidgetInfo::labeled(Role::Image, true, &alt));
    if node.why.is_empty() {
        hover.on_hover_text(alt);
    } else {
        hover.on_hover_text(format!("{}\n\nWhy this service: {}", alt, node.why));
    }
}

fn legend_swatch(ui: &mut Ui, color: Color32, text: &str) {
    let (rect, _) = ui.allocate_exact_size(Vec2::new(14.0, 14.0), Sense::hover());
    ui.painter().rect_filled(rect, 3.0, color);
    ui.label(egui::RichText::new(text).small());
}

fn blend(base: Color32, tint: Color32, amount: f32) -> Color32 {
    let mix = |a: u8, b: u8| (a as f32 * (1.0 - amount) + b as f32 * amount).round() as u8;
    Color32::from_rgb(
        mix(base.r(), tint.r()),
        mix(base.g(), tint.g()),
        mix(base.b(), tint.b()),
    )
}

/// `text` wrapped at `width` points in `font`, cut with an ellipsis when it needs more than two
/// lines.
fn two_lines(painter: &egui::Painter, text: &str, font: FontId, width: f32) -> String {
    let lines = |t: &str| {
        painter
            .layout(t.to_string(), font.clone(), Color32::WHITE, width)
            .rows
            .len()
    };
    let mut n = text.chars().count();
    let mut shown = text.to_string();
    while n > 4 && lines(&shown) > 2 {
        n -= 1;
        shown = clip(text, n);
    }
    shown
}

/// `text` cut with an ellipsis to fit `width` points in `font`.
fn clip_to(painter: &egui::Painter, text: &str, font: FontId, width: f32) -> String {
    let fits = |t: &str| {
        painter
            .layout_no_wrap(t.to_string(), font.clone(), Color32::WHITE)
            .size()
            .x
            <= width
    };
    let mut n = text.chars().count();
    let mut shown = text.to_string();
    while n > 4 && !fits(&shown) {
        n -= 1;
        shown = clip(text, n);
    }
    shown
}

fn clip(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        text.to_string()
    } else {
        format!(
            "{}…",
            text.chars().take(n - 1).collect::<String>().trim_end()
        )
    }
}
