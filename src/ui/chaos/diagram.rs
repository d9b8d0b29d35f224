//! The Chaos Monkey diagram: users → load balancer → servers A, B, C → shared store, each server a
//! button that destroys (or restarts) it. The boxes keep readable widths: below them the diagram
//! scrolls sideways rather than overlapping.

use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Stroke, Ui, Vec2};

use super::{ChaosUi, USERS};
use crate::domain::sim::chaos::Mode;

/// Where the diagram's boxes go.
struct Layout {
    users: Rect,
    balancer: Rect,
    store: Rect,
    servers: Vec<Rect>,
}

impl Layout {
    /// Users, load balancer, servers and store from left to right in `rect` (`width` wide), the
    /// gaps sharing what is left.
    fn of(rect: Rect, width: f32, servers: usize) -> Layout {
        let scale = (width / 1000.0).clamp(0.0, 1.0);
        let widths = [
            USER_BOX_WIDTH,
            (130.0 * scale).max(LB_BOX_WIDTH),
            (220.0 * scale).max(SERVER_BOX_WIDTH),
            (190.0 * scale).max(STORE_BOX_WIDTH),
        ];
        let gap = ((width - widths.iter().sum::<f32>()) / 3.0).max(MIN_GAP);
        let mut left = rect.left();
        let mut centre_x = [0.0; 4];
        for (i, w) in widths.iter().enumerate() {
            centre_x[i] = left + w / 2.0;
            left += w + gap;
        }
        let middle = |i: usize, height: f32| {
            Rect::from_center_size(
                Pos2::new(centre_x[i], rect.center().y),
                Vec2::new(widths[i], height),
            )
        };
        Layout {
            users: middle(0, 130.0),
            balancer: middle(1, 60.0),
            store: middle(3, 150.0),
            servers: (0..servers)
                .map(|i| {
                    let y = rect.top() + 42.0 + i as f32 * 82.0;
                    Rect::from_center_size(Pos2::new(centre_x[2], y), Vec2::new(widths[2], 70.0))
                })
                .collect(),
        }
    }
}

impl ChaosUi {
    /// Users → load balancer → servers → shared store, each server a button that kills it.
    pub(super) fn diagram_ui(
        &mut self,
        ui: &mut Ui,
        kill: &mut Option<String>,
        restart: &mut Option<String>,
    ) {
        let height = 260.0;
        // below this width the boxes would overlap: the diagram scrolls sideways instead
        let width = ui.available_width().clamp(DIAGRAM_MIN_WIDTH, 1000.0);
        let (rect, _) = ui.allocate_exact_size(Vec2::new(width, height), Sense::hover());
        let visuals = ui.visuals().clone();
        let layout = Layout::of(rect, width, self.demo.servers.len());
        let painter = ui.painter_at(rect);
        self.links_ui(&painter, &layout, &visuals);
        self.users_and_balancer_ui(&painter, &layout, &visuals);
        self.store_ui(&painter, layout.store, &visuals);
        for (i, b) in layout.servers.iter().enumerate() {
            let server = self.demo.servers[i].clone();
            if self.server_ui(ui, &painter, i, *b, &visuals) {
                if server.alive {
                    *kill = Some(server.name.clone());
                } else {
                    *restart = Some(server.name.clone());
                }
            }
        }
    }

    /// The arrows: users to the balancer, the balancer to each server, each server to the store
    /// when sessions live there (faint to a destroyed server).
    fn links_ui(&self, painter: &egui::Painter, layout: &Layout, visuals: &egui::Visuals) {
        let arrow = Stroke::new(1.5, visuals.weak_text_color());
        painter.arrow(
            layout.users.right_center(),
            layout.balancer.left_center() - layout.users.right_center(),
            arrow,
        );
        for (i, b) in layout.servers.iter().enumerate() {
            let alive = self.demo.servers[i].alive;
            let stroke = if alive {
                arrow
            } else {
                Stroke::new(1.0, visuals.weak_text_color().gamma_multiply(0.3))
            };
            painter.line_segment([layout.balancer.right_center(), b.left_center()], stroke);
            if self.demo.mode == Mode::Stateless {
                painter.line_segment([b.right_center(), layout.store.left_center()], stroke);
            }
        }
    }

    /// The users with their carts, and the load balancer.
    fn users_and_balancer_ui(
        &self,
        painter: &egui::Painter,
        layout: &Layout,
        visuals: &egui::Visuals,
    ) {
        let user_box = layout.users;
        boxed(painter, user_box, visuals, visuals.faint_bg_color);
        painter.text(
            user_box.center_top() + Vec2::new(0.0, 8.0),
            Align2::CENTER_TOP,
            "Users",
            FontId::proportional(15.0),
            visuals.strong_text_color(),
        );
        let carts: Vec<String> = (1..=USERS)
            .map(|u| format!("user {u}: cart {}", self.demo.cart(u)))
            .collect();
        painter.text(
            user_box.center_top() + Vec2::new(0.0, 30.0),
            Align2::CENTER_TOP,
            carts.join("\n"),
            FontId::monospace(12.0),
            visuals.text_color(),
        );
        boxed(painter, layout.balancer, visuals, visuals.faint_bg_color);
        painter.text(
            layout.balancer.center(),
            Align2::CENTER_CENTER,
            "Load balancer",
            FontId::proportional(14.0),
            visuals.strong_text_color(),
        );
    }

    /// The shared store, and the sessions it holds when the servers keep none.
    fn store_ui(&self, painter: &egui::Painter, store_box: Rect, visuals: &egui::Visuals) {
        let store_fill = if self.demo.mode == Mode::Stateless {
            Color32::from_rgb(52, 128, 235).gamma_multiply(0.25)
        } else {
            visuals.faint_bg_color
        };
        boxed(painter, store_box, visuals, store_fill);
        painter.text(
            store_box.center_top() + Vec2::new(0.0, 8.0),
            Align2::CENTER_TOP,
            "Shared DB / Redis",
            FontId::proportional(14.0),
            visuals.strong_text_color(),
        );
        let store_text = match self.demo.mode {
            Mode::Stateless => {
                let lines: Vec<String> = self
                    .demo
                    .shared
                    .iter()
                    .map(|(u, c)| format!("user {u}: cart {c}"))
                    .collect();
                if lines.is_empty() {
                    "no sessions yet".to_string()
                } else {
                    lines.join("\n")
                }
            }
            Mode::Stateful => "not used for sessions".to_string(),
        };
        let galley = painter.layout(
            store_text,
            FontId::proportional(12.0),
            visuals.text_color(),
            store_box.width() - 16.0,
        );
        painter.galley(
            store_box.left_top() + Vec2::new(8.0, 30.0),
            galley,
            visuals.text_color(),
        );
    }

    /// Server `i` in box `b`: a button (destroy, or restart a destroyed one) showing what it
    /// holds. Whether it was clicked.
    fn server_ui(
        &self,
        ui: &mut Ui,
        painter: &egui::Painter,
        i: usize,
        b: Rect,
        visuals: &egui::Visuals,
    ) -> bool {
        let server = &self.demo.servers[i];
        let label = format!("Server {}", server.name);
        let response = ui
            .interact(
                b,
                ui.make_persistent_id(("chaos_server", i)),
                Sense::click(),
            )
            .on_hover_text(if server.alive {
                "Click to destroy this server"
            } else {
                "Destroyed; click to restart it empty"
            });
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let fill = if !server.alive {
            Color32::from_rgb(200, 60, 60).gamma_multiply(0.35)
        } else if response.hovered() {
            visuals.widgets.hovered.weak_bg_fill
        } else {
            visuals.extreme_bg_color
        };
        boxed(painter, b, visuals, fill);
        let title = if server.alive {
            label.clone()
        } else {
            format!("{label} — destroyed")
        };
        painter.text(
            b.left_top() + Vec2::new(10.0, 8.0),
            Align2::LEFT_TOP,
            title,
            FontId::proportional(14.0),
            visuals.strong_text_color(),
        );
        let detail = match (self.demo.mode, server.alive) {
            (_, false) => "memory gone".to_string(),
            (Mode::Stateful, true) if server.sessions.is_empty() => {
                format!("{} requests · no session data", server.requests_served)
            }
            (Mode::Stateful, true) => {
                let s: Vec<String> = server
                    .sessions
                    .iter()
                    .map(|(u, c)| format!("u{u}:{c}"))
                    .collect();
                format!(
                    "{} requests · sessions {}",
                    server.requests_served,
                    s.join(" ")
                )
            }
            (Mode::Stateless, true) => {
                format!("{} requests · holds no state", server.requests_served)
            }
        };
        // wrapped inside the box, however narrow the window made it
        let galley = painter.layout(
            detail,
            FontId::proportional(12.0),
            visuals.text_color(),
            b.width() - 20.0,
        );
        painter.galley(
            b.left_top() + Vec2::new(10.0, 30.0),
            galley,
            visuals.text_color(),
        );
        response.clicked()
    }
}

/// The boxes' narrowest widths, and the narrowest gap between them: the diagram is never drawn
/// narrower than they add up to (it scrolls sideways instead).
const USER_BOX_WIDTH: f32 = 132.0;
const LB_BOX_WIDTH: f32 = 100.0;
const SERVER_BOX_WIDTH: f32 = 150.0;
const STORE_BOX_WIDTH: f32 = 140.0;
const MIN_GAP: f32 = 18.0;
const DIAGRAM_MIN_WIDTH: f32 =
    USER_BOX_WIDTH + LB_BOX_WIDTH + SERVER_BOX_WIDTH + STORE_BOX_WIDTH + 3.0 * MIN_GAP;

fn boxed(painter: &egui::Painter, rect: Rect, visuals: &egui::Visuals, fill: Color32) {
    painter.rect(
        rect,
        6.0,
        fill,
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
        egui::StrokeKind::Inside,
    );
}
