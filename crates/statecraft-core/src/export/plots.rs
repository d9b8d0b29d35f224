//! The record's plots as plain SVG text: line charts with labelled axes, a legend and marked
//! crossover points. Written by hand because the charts are simple and the output must be byte-for-
//! byte the same for the same numbers (every coordinate is printed with one decimal).

/// One line of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// A marked value: a vertical line where two cost curves cross, or a horizontal one at a target.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub at: f64,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    /// A logarithmic x axis (traffic spans decades).
    pub log_x: bool,
    /// A logarithmic y axis (costs from a few dollars to hundreds of thousands).
    pub log_y: bool,
    pub series: Vec<Series>,
    /// Vertical lines at x values.
    pub markers: Vec<Marker>,
    /// Horizontal lines at y values.
    pub y_markers: Vec<Marker>,
}

const WIDTH: f64 = 760.0;
/// The plot area's height; the legend below it adds a line per series.
const PLOT_HEIGHT: f64 = 330.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 30.0;
const TOP: f64 = 48.0;
/// Tick labels and the x axis' title under the plot area.
const BELOW: f64 = 62.0;
const LEGEND_LINE: f64 = 20.0;
/// Colour-blind-safe (Okabe–Ito).
const COLOURS: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
];

impl Chart {
    /// The chart as a standalone SVG document.
    pub fn to_svg(&self) -> String {
        let scale = Scale::of(self);
        let legend_top = TOP + PLOT_HEIGHT + BELOW;
        let height = legend_top + self.series.len() as f64 * LEGEND_LINE + 10.0;
        let mut s = self.head_svg(height);
        s += &self.grid_svg(&scale);
        s += &self.markers_svg(&scale);
        s += &self.lines_svg(&scale);
        s += &self.legend_svg(legend_top);
        s += "</svg>\n";
        s
    }

    /// A point the axes can show (positive on a logarithmic one).
    fn finite(&self, (x, y): &(f64, f64)) -> bool {
        x.is_finite() && y.is_finite() && (!self.log_x || *x > 0.0) && (!self.log_y || *y > 0.0)
    }

    /// The image's opening, its background and the title on the width of the image: one line, or
    /// two smaller ones, never clipped.
    fn head_svg(&self, height: f64) -> String {
        let mut s = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height}\" viewBox=\"0 0 {WIDTH} {height}\" font-family=\"system-ui, -apple-system, 'Segoe UI', sans-serif\" font-size=\"12\">\n"
        );
        s += &format!("<title>{}</title>\n", xml(&self.title));
        s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
        let (title, size) = title_lines(&self.title);
        let first_y = if title.len() == 1 { 28.0 } else { 19.0 };
        for (i, line) in title.iter().enumerate() {
            s += &format!(
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"{size}\" font-weight=\"600\">{}</text>\n",
                WIDTH / 2.0,
                first_y + i as f64 * 17.0,
                xml(line)
            );
        }
        s
    }

    /// The grid, its tick labels, the frame and the axes' labels.
    fn grid_svg(&self, scale: &Scale) -> String {
        let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, PLOT_HEIGHT);
        let mut s = String::new();
        for &t in &scale.y_ticks {
            let y = scale.sy(t);
            s += &format!(
                "<line x1=\"{LEFT:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e5e7eb\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
                LEFT + plot_w,
                LEFT - 8.0,
                y + 4.0,
                xml(&tick_label(t))
            );
        }
        for &t in scale
            .x_ticks
            .iter()
            .filter(|t| **t >= scale.x_lo && **t <= scale.x_hi)
        {
            let x = scale.sx(t);
            s += &format!(
                "<line x1=\"{x:.1}\" y1=\"{TOP:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e5e7eb\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
                TOP + plot_h,
                TOP + plot_h + 18.0,
                xml(&tick_label(t))
            );
        }
        s += &format!(
            "<rect x=\"{LEFT:.1}\" y=\"{TOP:.1}\" width=\"{plot_w:.1}\" height=\"{plot_h:.1}\" fill=\"none\" stroke=\"#6b7280\"/>\n"
        );
        s += &format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            LEFT + plot_w / 2.0,
            TOP + plot_h + 44.0,
            xml(&self.x_label)
        );
        s += &format!(
            "<text transform=\"translate(18 {:.1}) rotate(-90)\" text-anchor=\"middle\">{}</text>\n",
            TOP + plot_h / 2.0,
            xml(&self.y_label)
        );
        s
    }

    /// The markers, under the lines.
    fn markers_svg(&self, scale: &Scale) -> String {
        let (plot_w, plot_h) = (WIDTH - LEFT - RIGHT, PLOT_HEIGHT);
        let mut s = String::new();
        for m in self.y_markers.iter().filter(|m| m.at.is_finite()) {
            let y = scale.sy(m.at);
            s += &format!(
                "<line x1=\"{LEFT:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#b91c1c\" stroke-dasharray=\"6 4\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" fill=\"#b91c1c\">{}</text>\n",
                LEFT + plot_w,
                LEFT + plot_w - 4.0,
                y - 4.0,
                xml(&m.label)
            );
        }
        for (i, m) in self.markers.iter().filter(|m| m.at.is_finite()).enumerate() {
            let x = scale.sx(m.at);
            // a label past the middle reads leftwards from its line, so the frame never cuts it;
            // each marker's label on its own line, so two close markers' labels never overlap
            let (label_x, anchor) = if x > LEFT + plot_w * 0.6 {
                (x - 4.0, "end")
            } else {
                (x + 4.0, "start")
            };
            s += &format!(
                "<line x1=\"{x:.1}\" y1=\"{TOP:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#374151\" stroke-dasharray=\"5 4\"/>\n<text x=\"{label_x:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"#374151\">{}</text>\n",
                TOP + plot_h,
                TOP + 14.0 + 14.0 * i as f64,
                xml(&m.label)
            );
        }
        s
    }

    /// The lines: the first series wide and solid underneath, the others narrower and dashed on
    /// top of it, so that a series equal to another still shows.
    fn lines_svg(&self, scale: &Scale) -> String {
        let mut s = String::new();
        for (i, series) in self.series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let pts: Vec<String> = series
                .points
                .iter()
                .filter(|p| self.finite(p))
                .map(|&(x, y)| format!("{:.1} {:.1}", scale.sx(x), scale.sy(y)))
                .collect();
            if !pts.is_empty() {
                s += &format!(
                    "<path fill=\"none\" stroke=\"{colour}\" stroke-width=\"{}\"{} stroke-linejoin=\"round\" d=\"M {}\"/>\n",
                    if i == 0 { "4" } else { "2" },
                    dash(i),
                    pts.join(" L ")
                );
            }
        }
        s
    }

    /// A line of the legend per series, below the plot.
    fn legend_svg(&self, legend_top: f64) -> String {
        let mut s = String::new();
        for (i, series) in self.series.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let ly = legend_top + i as f64 * LEGEND_LINE;
            s += &format!(
                "<line x1=\"{LEFT:.1}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{colour}\" stroke-width=\"3\"{}/>\n<text x=\"{:.1}\" y=\"{:.1}\">{}</text>\n",
                LEFT + 22.0,
                dash(i),
                LEFT + 30.0,
                ly + 4.0,
                xml(&shorten(&series.name, 90))
            );
        }
        s
    }
}

/// Where a chart's values land in the image: the axes' ranges and ticks.
struct Scale {
    log_x: bool,
    log_y: bool,
    x_lo: f64,
    x_hi: f64,
    y_bottom: f64,
    y_top: f64,
    x_ticks: Vec<f64>,
    y_ticks: Vec<f64>,
}

impl Scale {
    fn of(chart: &Chart) -> Scale {
        let points: Vec<(f64, f64)> = chart
            .series
            .iter()
            .flat_map(|s| s.points.iter().copied())
            .filter(|p| chart.finite(p))
            .collect();
        // the markers (the team's peak, a crossover) inside the range: a marker outside it would
        // sit on the frame with its label cut
        let (x_min, x_max) = bounds(
            points.iter().map(|p| p.0).chain(
                chart
                    .markers
                    .iter()
                    .map(|m| m.at)
                    .filter(|v| v.is_finite() && (!chart.log_x || *v > 0.0)),
            ),
        );
        let (y_min, y_max) = bounds(
            points.iter().map(|p| p.1).chain(
                chart
                    .y_markers
                    .iter()
                    .map(|m| m.at)
                    .filter(|v| v.is_finite()),
            ),
        );
        let y_ticks = if chart.log_y {
            log_ticks(y_min, y_max)
        } else {
            nice_ticks(0.0, y_max.max(f64::MIN_POSITIVE))
        };
        let y_top = y_ticks
            .last()
            .copied()
            .unwrap_or(1.0)
            .max(f64::MIN_POSITIVE);
        let y_bottom = if chart.log_y {
            y_ticks
                .first()
                .copied()
                .unwrap_or(1.0)
                .max(f64::MIN_POSITIVE)
        } else {
            0.0
        };
        let x_ticks = if chart.log_x {
            log_ticks(x_min, x_max)
        } else {
            nice_ticks(x_min.min(0.0), x_max)
        };
        let (x_lo, x_hi) = if chart.log_x {
            (x_min, x_max.max(x_min * 10.0))
        } else {
            (
                x_ticks.first().copied().unwrap_or(0.0),
                x_ticks.last().copied().unwrap_or(1.0),
            )
        };
        Scale {
            log_x: chart.log_x,
            log_y: chart.log_y,
            x_lo,
            x_hi,
            y_bottom,
            y_top,
            x_ticks,
            y_ticks,
        }
    }

    fn sx(&self, x: f64) -> f64 {
        let (x_lo, x_hi) = (self.x_lo, self.x_hi);
        let t = if self.log_x {
            (x.max(f64::MIN_POSITIVE).ln() - x_lo.ln()) / (x_hi.ln() - x_lo.ln()).max(1e-12)
        } else {
            (x - x_lo) / (x_hi - x_lo).max(1e-12)
        };
        LEFT + t.clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT)
    }

    fn sy(&self, y: f64) -> f64 {
        let (y_bottom, y_top) = (self.y_bottom, self.y_top);
        let t = if self.log_y {
            (y.max(f64::MIN_POSITIVE).ln() - y_bottom.ln())
                / (y_top.ln() - y_bottom.ln()).max(1e-12)
        } else {
            y / y_top
        };
        TOP + PLOT_HEIGHT - t.clamp(0.0, 1.0) * PLOT_HEIGHT
    }
}

/// The dash pattern of series `i`: the first is solid, the others each their own.
fn dash(i: usize) -> &'static str {
    const DASHES: [&str; 4] = [
        " stroke-dasharray=\"9 5\"",
        " stroke-dasharray=\"3 3\"",
        " stroke-dasharray=\"12 4 3 4\"",
        " stroke-dasharray=\"6 2\"",
    ];
    if i == 0 {
        ""
    } else {
        DASHES[(i - 1) % DASHES.len()]
    }
}

/// A 16-pixel bold character is at most this wide on average (system-ui): a title is fitted to the
/// image's width with it.
const TITLE_CHAR_W: f64 = 9.0;

/// The title and its font size: one 16-pixel line when it fits the image's width, else 14 pixels
/// (a little narrower per character) on one line or two, the second ending in "…" if even that is
/// too long.
fn title_lines(title: &str) -> (Vec<String>, u32) {
    let one = ((WIDTH - 20.0) / TITLE_CHAR_W) as usize;
    if title.chars().count() <= one {
        return (vec![title.to_string()], 16);
    }
    let per_line = ((WIDTH - 20.0) / (TITLE_CHAR_W * 14.0 / 16.0)) as usize;
    let mut lines = vec![String::new(), String::new()];
    let mut line = 0;
    for word in title.split_whitespace() {
        let len = lines[line].chars().count();
        let fits = len == 0 || len + 1 + word.chars().count() <= per_line;
        if !fits && line == 0 {
            line = 1;
        }
        let current = &mut lines[line];
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if lines[1].chars().count() > per_line {
        let cut: String = lines[1].chars().take(per_line.saturating_sub(1)).collect();
        lines[1] = format!("{}…", cut.trim_end());
    }
    lines.retain(|l| !l.is_empty());
    (lines, 14)
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || !hi.is_finite() {
        return (1.0, 10.0);
    }
    if hi <= lo {
        hi = lo + lo.abs().max(1.0);
    }
    (lo, hi)
}

/// Round numbers (1, 2 or 5 times a power of ten) from `lo` up to at least `hi`.
fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let raw = span / 5.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(magnitude * 10.0);
    let start = (lo / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    while ticks.len() < 50 {
        ticks.push(t);
        if t >= hi {
            break;
        }
        t = start + step * ticks.len() as f64;
    }
    ticks
}

/// Powers of ten covering `lo..hi`.
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let first = lo.max(f64::MIN_POSITIVE).log10().floor() as i32;
    let last = hi.max(f64::MIN_POSITIVE).log10().ceil() as i32;
    (first..=last.min(first + 30))
        .map(|e| 10f64.powi(e))
        .collect()
}

/// `1500` → `1.5k`, `2000000` → `2M`, `0.25` → `0.25`.
fn tick_label(v: f64) -> String {
    let a = v.abs();
    let (n, suffix) = if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = if n.fract().abs() < 1e-9 {
        format!("{}", n.round() as i64)
    } else {
        let s = format!("{n:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    format!("{text}{suffix}")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart() -> Chart {
        Chart {
            title: "Cost versus traffic".into(),
            x_label: "Peak requests/s".into(),
            y_label: "USD per month".into(),
            log_x: true,
            log_y: false,
            series: vec![
                Series {
                    name: "Lambda".into(),
                    points: vec![(10.0, 5.0), (1000.0, 500.0), (10000.0, 5000.0)],
                },
                Series {
                    name: "EC2 <fleet>".into(),
                    points: vec![(10.0, 300.0), (1000.0, 600.0), (10000.0, 2400.0)],
                },
            ],
            markers: vec![Marker {
                at: 4000.0,
                label: "crossover at 4,000 requests/s".into(),
            }],
            y_markers: vec![Marker {
                at: 1000.0,
                label: "budget".into(),
            }],
        }
    }

    #[test]
    fn a_chart_is_a_deterministic_svg_document() {
        let svg = chart().to_svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        assert_eq!(svg.matches("<path").count(), 2);
        assert!(svg.contains("EC2 &lt;fleet&gt;"));
        assert!(svg.contains("stroke-dasharray"));
        assert_eq!(svg, chart().to_svg());
    }

    #[test]
    fn empty_or_broken_numbers_do_not_panic() {
        let mut c = chart();
        c.series[0].points = vec![(f64::NAN, 1.0), (0.0, f64::INFINITY)];
        c.series[1].points.clear();
        let svg = c.to_svg();
        assert!(svg.ends_with("</svg>\n"));
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(
            nice_ticks(0.0, 4300.0),
            [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]
        );
        assert_eq!(
            log_ticks(12.0, 20000.0),
            [10.0, 100.0, 1000.0, 10000.0, 100000.0]
        );
        assert_eq!(tick_label(1500.0), "1.5k");
        assert_eq!(tick_label(2_000_000.0), "2M");
    }
}
