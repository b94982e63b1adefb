//! One colour per tier, used by every screen, and the small widgets built on them.

use crate::standing::rules::{Tier, tier_label};
use eframe::egui::{self, Color32, RichText};

pub fn tier_color(tier: Option<Tier>) -> Color32 {
    match tier {
        Some(Tier::Fantastic) => Color32::from_rgb(0x2f, 0x80, 0xd0),
        Some(Tier::Great) => Color32::from_rgb(0x2e, 0x9d, 0x5b),
        Some(Tier::Fair) => Color32::from_rgb(0xd9, 0x9a, 0x06),
        Some(Tier::AtRisk) => Color32::from_rgb(0xd4, 0x3f, 0x3a),
        None => Color32::from_rgb(0x8a, 0x8f, 0x98),
    }
}

/// A filled, rounded label with the tier's colour.
pub fn tier_chip(ui: &mut egui::Ui, tier: Option<Tier>) -> egui::Response {
    let text = RichText::new(tier_label(tier)).color(Color32::WHITE).strong();
    egui::Frame::new()
        .fill(tier_color(tier))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| ui.label(text))
        .inner
}

/// A tier-coloured sparkline of the overall tier per day (higher is better).
pub fn sparkline(ui: &mut egui::Ui, days: &[Option<Tier>]) -> egui::Response {
    let size = egui::vec2(84.0, 16.0);
    let (rect, response) = ui.allocate_exact_size(size, egui::Sense::hover());
    if days.is_empty() || !ui.is_rect_visible(rect) {
        return response;
    }
    let painter = ui.painter_at(rect);
    let step = rect.width() / days.len().max(1) as f32;
    let y = |t: Tier| rect.bottom() - 2.0 - (t as usize as f32) * (rect.height() - 4.0) / 3.0;
    let mut previous: Option<egui::Pos2> = None;
    for (i, tier) in days.iter().enumerate() {
        let Some(t) = tier else {
            previous = None;
            continue;
        };
        let point = egui::pos2(rect.left() + step * (i as f32 + 0.5), y(*t));
        if let Some(p) = previous {
            painter.line_segment([p, point], egui::Stroke::new(1.5, tier_color(Some(*t))));
        }
        previous = Some(point);
    }
    if let Some(p) = previous {
        painter.circle_filled(p, 2.0, tier_color(*days.last().unwrap_or(&None)));
    }
    response
}

/// Text explaining each metric's rule, for tooltips on column and chart names.
pub fn metric_help(metric: &str) -> &'static str {
    match metric {
        "reliability" => {
            "On-time rate over the last 20 counted blocks. A block is on time when the driver checked in \
             no later than 5 minutes after the start and did not cancel. Cancelling 45+ minutes ahead \
             does not count at all."
        }
        "attempted" => "Packages delivered or attempted ÷ packages, over the last 500 packages.",
        "success" => "Packages delivered ÷ packages, over the last 500 packages.",
        "on_time" => "Packages delivered or attempted by their deadline ÷ packages, over the last 500.",
        "dnr" => "Customer 'delivered, not received' claims among the last 500 packages.",
        "quality" => "The worst of the attempted, success, on-time and DNR tiers.",
        "overall" => "The worst of reliability and delivery quality.",
        "headroom" => "How many more misses (late blocks, or packages not attempted) lower the tier.",
        "to_next" => "How many more on-time blocks, or clean packages, raise the tier.",
        "lag" => "Standing on a day counts events at least 2 days old.",
        _ => "",
    }
}
