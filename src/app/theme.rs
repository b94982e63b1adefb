//! One colour per tier, used by every screen, and the small widgets built on them. Text
//! and badges take a shade of the tier's colour that reads on the theme's backgrounds
//! (WCAG AA: text 4.5:1, badges 3:1; measured by the tests below).

use crate::standing::rules::{Tier, tier_label};
use eframe::egui::{self, Color32, RichText};

/// egui's theme with every text colour at WCAG AA (4.5:1) on the backgrounds text sits
/// on: brighter body text in dark mode so that secondary ("weak") text can be a step below
/// it and still read; warnings, errors and links darker in light mode (egui's orange, red
/// and light blue are 2.8:1 to 3.8:1 on its light panels). Measured by the tests below.
pub fn visuals(dark: bool) -> egui::Visuals {
    let mut v = if dark { egui::Visuals::dark() } else { egui::Visuals::light() };
    if dark {
        v.widgets.noninteractive.fg_stroke.color = Color32::from_gray(190);
        v.weak_text_color = Some(Color32::from_gray(145));
        v.error_fg_color = Color32::from_rgb(0xff, 0x6b, 0x6b);
    } else {
        v.weak_text_color = Some(Color32::from_gray(100));
        v.warn_fg_color = Color32::from_rgb(0xa1, 0x4a, 0x00);
        v.error_fg_color = Color32::from_rgb(0xc0, 0x1c, 0x1c);
        v.hyperlink_color = Color32::from_rgb(0x0a, 0x5f, 0xb4);
    }
    v
}

/// Installs [`visuals`] for both themes.
pub fn install_visuals(ctx: &egui::Context) {
    ctx.set_visuals_of(egui::Theme::Dark, visuals(true));
    ctx.set_visuals_of(egui::Theme::Light, visuals(false));
}

/// The tier's hue, for lines, bands and fills (charts, sparklines).
pub fn tier_color(tier: Option<Tier>) -> Color32 {
    let [r, g, b] = crate::charts::tier_rgb(tier);
    Color32::from_rgb(r, g, b)
}

/// The tier's colour for text: darker on a light theme, lighter on a dark one.
pub fn tier_text_color(tier: Option<Tier>, visuals: &egui::Visuals) -> Color32 {
    let rgb = if visuals.dark_mode {
        match tier {
            Some(Tier::Fantastic) => [0x6c, 0xb0, 0xf5],
            Some(Tier::Great) => [0x5c, 0xc9, 0x8a],
            Some(Tier::Fair) => [0xf0, 0xb4, 0x29],
            Some(Tier::AtRisk) => [0xff, 0x7b, 0x72],
            None => [0xa0, 0xa6, 0xad],
        }
    } else {
        match tier {
            Some(Tier::Fantastic) => [0x1c, 0x5f, 0xa8],
            Some(Tier::Great) => [0x1e, 0x7a, 0x43],
            Some(Tier::Fair) => [0x8a, 0x5d, 0x00],
            Some(Tier::AtRisk) => [0xb3, 0x26, 0x1e],
            None => [0x5f, 0x63, 0x68],
        }
    };
    Color32::from_rgb(rgb[0], rgb[1], rgb[2])
}

/// A tier badge's fill and text colours.
pub fn tier_badge_colors(tier: Option<Tier>, visuals: &egui::Visuals) -> (Color32, Color32) {
    if visuals.dark_mode {
        match tier {
            Some(Tier::Fantastic) => (Color32::from_rgb(0x1f, 0x6f, 0xc0), Color32::WHITE),
            Some(Tier::Great) => (Color32::from_rgb(0x1e, 0x7f, 0x46), Color32::WHITE),
            Some(Tier::Fair) => (Color32::from_rgb(0xf0, 0xb4, 0x29), Color32::from_rgb(0x1a, 0x1a, 0x1a)),
            Some(Tier::AtRisk) => (Color32::from_rgb(0xcc, 0x3b, 0x31), Color32::WHITE),
            None => (Color32::from_rgb(0x6b, 0x70, 0x78), Color32::WHITE),
        }
    } else {
        (tier_text_color(tier, visuals), Color32::WHITE)
    }
}

/// A filled, rounded label with the tier's colour.
pub fn tier_chip(ui: &mut egui::Ui, tier: Option<Tier>) -> egui::Response {
    let (fill, text_color) = tier_badge_colors(tier, ui.visuals());
    let text = RichText::new(tier_label(tier)).color(text_color).strong();
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| ui.label(text))
        .inner
}

/// A scorecard tier's badge, in its colour's tier (`*` after a tier Standwatch computed).
pub fn dsp_chip(ui: &mut egui::Ui, tier: Option<crate::scorecard::Tiered>) -> egui::Response {
    let colour = tier.map(|t| crate::charts::dsp_colour(t.tier));
    let (fill, text_color) = tier_badge_colors(colour, ui.visuals());
    let name = tier
        .map_or_else(|| "No tier".to_string(), |t| format!("{}{}", t.tier.label(), if t.computed { "*" } else { "" }));
    egui::Frame::new()
        .fill(fill)
        .corner_radius(4.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| ui.label(RichText::new(name).color(text_color).strong()))
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

pub use crate::explain::capitalised;

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
        "headroom" => "How many more misses (late blocks, packages not attempted, or DNR claims) lower the tier.",
        "to_next" => "How many more on-time blocks, or clean packages, raise the tier.",
        "lag" => "Standing on a day counts events at least 2 days old.",
        "forecast" => {
            "The next day the overall tier changes if the driver keeps their pace of the last 28 days \
             with clean work only: old defects leave the windows (▲ up, ▼ down; within 60 days)."
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2 contrast ratio of two colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let channel = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 { v / 12.92 } else { ((v + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    const TIERS: [Option<Tier>; 5] =
        [Some(Tier::Fantastic), Some(Tier::Great), Some(Tier::Fair), Some(Tier::AtRisk), None];

    /// The backgrounds text is drawn on: panels, windows, text fields, striped rows.
    fn backgrounds(visuals: &egui::Visuals) -> Vec<Color32> {
        let (panel, faint) = (visuals.panel_fill, visuals.faint_bg_color);
        let striped = Color32::from_rgb(
            panel.r().saturating_add(faint.r()),
            panel.g().saturating_add(faint.g()),
            panel.b().saturating_add(faint.b()),
        );
        // The faint colour is an additive overlay (alpha 0), not a background of its own.
        vec![panel, visuals.window_fill, visuals.extreme_bg_color, striped]
    }

    #[test]
    fn every_text_colour_of_the_theme_meets_wcag_aa() {
        for visuals in [visuals(false), visuals(true)] {
            let texts = [
                ("body", visuals.text_color()),
                ("secondary", visuals.weak_text_color()),
                ("strong", visuals.strong_text_color()),
                ("warning", visuals.warn_fg_color),
                ("error", visuals.error_fg_color),
                ("link", visuals.hyperlink_color),
            ];
            for (name, text) in texts {
                for bg in backgrounds(&visuals) {
                    let ratio = contrast(text, bg);
                    assert!(ratio >= 4.5, "{name} text {text:?} on {bg:?} (dark {}): {ratio:.2}", visuals.dark_mode);
                }
            }
            // Secondary text stays a step below body text.
            assert_ne!(visuals.weak_text_color(), visuals.text_color());
        }
    }

    #[test]
    fn tier_text_and_badges_meet_wcag_aa_on_both_themes() {
        for visuals in [visuals(false), visuals(true)] {
            let backgrounds = backgrounds(&visuals);
            for tier in TIERS {
                let text = tier_text_color(tier, &visuals);
                for bg in backgrounds.iter().copied() {
                    let ratio = contrast(text, bg);
                    assert!(
                        ratio >= 4.5,
                        "{} text on {bg:?} (dark {}): {ratio:.2}",
                        tier_label(tier),
                        visuals.dark_mode
                    );
                }
                let (fill, label) = tier_badge_colors(tier, &visuals);
                let ratio = contrast(label, fill);
                assert!(ratio >= 4.5, "{} badge text (dark {}): {ratio:.2}", tier_label(tier), visuals.dark_mode);
                for bg in backgrounds.iter().copied() {
                    let ratio = contrast(fill, bg);
                    assert!(
                        ratio >= 3.0,
                        "{} badge on {bg:?} (dark {}): {ratio:.2}",
                        tier_label(tier),
                        visuals.dark_mode
                    );
                }
            }
            // Text on a selected row is the theme's strong text, not the tier colour.
            let ratio = contrast(visuals.strong_text_color(), visuals.selection.bg_fill);
            assert!(ratio >= 4.5, "selected row text (dark {}): {ratio:.2}", visuals.dark_mode);
        }
    }
}
