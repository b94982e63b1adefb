//! The chart attached to a letter (`standing-<driver>.png`): one panel per metric against
//! its own tier bands (reliability, attempted, success, on time, DNR claims), the standing
//! now as a solid line, without the disputed events as a dashed one, and a marker on the
//! day each disputed event started counting.
//!
//! Text is laid out here with ab_glyph (each glyph at its pen position plus its own side
//! bearing, with kerning), not by plotters' ab_glyph backend, which leaves out the side
//! bearings and spaced titles apart ("Standin g").

use crate::charts::{Marker, Metric, Scale, tier_rgb};
use crate::config::Thresholds;
use crate::import::time::Day;
use crate::report::day_text;
use crate::standing::Standing;
use crate::standing::rules::Tier;
use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind};

/// What the chart shows.
pub struct ChartData<'a> {
    pub title: String,
    /// The driver's standing on each day shown.
    pub now: &'a [Standing],
    /// The same days without the disputed events (empty: no dashed line).
    pub without: &'a [Standing],
    pub markers: &'a [Marker],
    pub thresholds: &'a Thresholds,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("no standing in the days shown")]
    NoData,
    #[error("{0}")]
    Draw(String),
}

fn draw_error<E: std::fmt::Display>(e: E) -> ChartError {
    ChartError::Draw(e.to_string())
}

const WIDTH: u32 = 900;
const PANEL_HEIGHT: u32 = 160;
const TITLE_HEIGHT: u32 = 44;
const LEGEND_HEIGHT: u32 = 56;

const LINE: RGBColor = RGBColor(0x20, 0x20, 0x20);
const WITHOUT: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
const MARKER: RGBColor = RGBColor(0xb0, 0x30, 0x60);

/// The chart as PNG bytes.
pub fn chart_png(data: &ChartData) -> Result<Vec<u8>, ChartError> {
    let (first, last) = match (data.now.first(), data.now.last()) {
        (Some(a), Some(b)) => (a.as_of, b.as_of.max(a.as_of + 1)),
        _ => return Err(ChartError::NoData),
    };
    let height = TITLE_HEIGHT + PANEL_HEIGHT * Metric::ALL.len() as u32 + LEGEND_HEIGHT;
    let mut pixels = vec![255u8; (WIDTH * height * 3) as usize];
    {
        let backend = GlyphText(BitMapBackend::with_buffer(&mut pixels, (WIDTH, height)));
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let (top, rest) = root.split_vertically(TITLE_HEIGHT);
        let (panels, legend) = rest.split_vertically(PANEL_HEIGHT * Metric::ALL.len() as u32);
        top.draw_text(&data.title, &("sans-serif", 20).into_font().color(&BLACK), (14, 12)).map_err(draw_error)?;
        for (area, metric) in panels.split_evenly((Metric::ALL.len(), 1)).iter().zip(Metric::ALL) {
            draw_panel(area, metric, data, first, last)?;
        }
        draw_legend(&legend, !data.without.is_empty(), !data.markers.is_empty())?;
        root.present().map_err(draw_error)?;
    }
    let image = image::RgbImage::from_raw(WIDTH, height, pixels).ok_or(ChartError::Draw("wrong buffer size".into()))?;
    let mut png = std::io::Cursor::new(Vec::new());
    image.write_to(&mut png, image::ImageFormat::Png).map_err(draw_error)?;
    Ok(png.into_inner())
}

/// A tier's colour for plotters.
fn tier_color(tier: Tier) -> RGBColor {
    let [r, g, b] = tier_rgb(Some(tier));
    RGBColor(r, g, b)
}

/// One metric's panel: bands, labels of the bands, the two lines and the markers.
fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    metric: Metric,
    data: &ChartData,
    first: Day,
    last: Day,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let (now, without) = (metric.points(data.now), metric.points(data.without));
    let Scale { low, high, bands } = Scale::of(metric, data.thresholds, now.iter().chain(&without).map(|p| p.1));
    let is_rate = metric.is_rate();
    // Narrow ranges (success 96–100 %) get a decimal, so that the labels differ.
    let decimals = if is_rate && high - low < 0.1 { 1 } else { 0 };
    let mut chart = ChartBuilder::on(area)
        .caption(metric.title(), ("sans-serif", 15).into_font().color(&BLACK))
        .margin_left(10)
        .margin_right(78)
        .margin_top(4)
        .margin_bottom(4)
        .x_label_area_size(22)
        .y_label_area_size(56)
        .build_cartesian_2d(first..last, low..high)
        .map_err(draw_error)?;
    let y_labels = if is_rate { 5 } else { (high - low).round() as usize + 1 };
    chart
        .configure_mesh()
        .disable_mesh()
        .x_label_formatter(&|d| day_text(*d))
        .y_label_formatter(&|v| {
            if is_rate { format!("{:.*}%", decimals, v * 100.0) } else { format!("{}", v.round() as i64) }
        })
        .x_labels(6)
        .y_labels(y_labels)
        .label_style(("sans-serif", 12).into_font().color(&RGBColor(0x40, 0x40, 0x40)))
        .draw()
        .map_err(draw_error)?;
    let bands: Vec<_> = bands.into_iter().filter(|band| band.high > band.low).collect();
    chart
        .draw_series(bands.iter().map(|band| {
            Rectangle::new(
                [(first, band.low.max(low)), (last, band.high.min(high))],
                tier_color(band.tier).mix(0.16).filled(),
            )
        }))
        .map_err(draw_error)?;
    // Each band named at the right of the plot, where there is room for a line of text.
    let plot = chart.plotting_area();
    let (_, pixel_top) = plot.map_coordinate(&(last, high));
    let (_, pixel_bottom) = plot.map_coordinate(&(last, low));
    let label_x = plot.get_pixel_range().0.end + 6;
    for band in &bands {
        let (_, y_top) = plot.map_coordinate(&(last, band.high.min(high)));
        let (_, y_bottom) = plot.map_coordinate(&(last, band.low.max(low)));
        if y_bottom - y_top >= 11 && y_top >= pixel_top && y_bottom <= pixel_bottom {
            let style = ("sans-serif", 12)
                .into_font()
                .color(&tier_color(band.tier).mix(1.0))
                .pos(Pos::new(HPos::Left, VPos::Center));
            area.draw_text(
                band.name,
                &style,
                (label_x - area.get_base_pixel().0, (y_top + y_bottom) / 2 - area.get_base_pixel().1),
            )
            .map_err(draw_error)?;
        }
    }
    if !without.is_empty() {
        chart
            .draw_series(DashedLineSeries::new(without, 7, 5, Color::stroke_width(&WITHOUT, 2)))
            .map_err(draw_error)?;
    }
    chart.draw_series(LineSeries::new(now, Color::stroke_width(&LINE, 2))).map_err(draw_error)?;
    let marked = data.markers.iter().filter(|m| m.marks(metric) && (first..=last).contains(&m.day));
    let span = high - low;
    chart
        .draw_series(marked.map(|m| TriangleMarker::new((m.day, low + span * 0.06), 6, MARKER.filled())))
        .map_err(draw_error)?;
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    dashed: bool,
    markers: bool,
) -> Result<(), ChartError>
where
    DB::ErrorType: 'static,
{
    let text = ("sans-serif", 13).into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    let y = 16;
    let mut x = 70;
    area.draw(&PathElement::new(vec![(x, y), (x + 26, y)], Color::stroke_width(&LINE, 2))).map_err(draw_error)?;
    area.draw_text("the standing now", &text, (x + 32, y)).map_err(draw_error)?;
    x += 170;
    if dashed {
        for start in [0, 12] {
            area.draw(&PathElement::new(vec![(x + start, y), (x + start + 8, y)], Color::stroke_width(&WITHOUT, 2)))
                .map_err(draw_error)?;
        }
        area.draw_text("without the disputed events", &text, (x + 32, y)).map_err(draw_error)?;
        x += 250;
    }
    if markers {
        area.draw(&TriangleMarker::new((x + 10, y), 6, MARKER.filled())).map_err(draw_error)?;
        area.draw_text("a disputed event starts to count", &text, (x + 24, y)).map_err(draw_error)?;
    }
    let y = 40;
    let mut x = 70;
    for tier in Tier::ALL_BEST_FIRST {
        area.draw(&Rectangle::new([(x, y - 6), (x + 18, y + 6)], tier_color(tier).mix(0.3).filled()))
            .map_err(draw_error)?;
        area.draw_text(tier.label(), &text, (x + 24, y)).map_err(draw_error)?;
        x += 100;
    }
    area.draw_text("tier bands: Standwatch's estimates (Amazon publishes none)", &text, (x + 10, y))
        .map_err(draw_error)?;
    Ok(())
}

/// egui's own font, already in the binary.
fn font() -> Option<&'static FontRef<'static>> {
    static FONT: std::sync::OnceLock<Option<FontRef<'static>>> = std::sync::OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT).ok()).as_ref()
}

/// The pixels of a line of text at `size` pixels: (x, y, coverage) from the top left of
/// its box, and the box's width and height.
fn glyph_pixels(text: &str, size: f32) -> (Vec<(i32, i32, f32)>, i32, i32) {
    let Some(font) = font() else { return (Vec::new(), 0, 0) };
    let scaled = font.as_scaled(PxScale::from(size));
    let ascent = scaled.ascent();
    let mut pixels = Vec::new();
    let mut caret = 0.0f32;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(before) = previous {
            caret += scaled.kern(before, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(PxScale::from(size), point(caret, ascent));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            outline.draw(|x, y, coverage| {
                pixels.push((bounds.min.x as i32 + x as i32, bounds.min.y as i32 + y as i32, coverage));
            });
        }
        caret += scaled.h_advance(id);
    }
    (pixels, caret.ceil() as i32, (ascent - scaled.descent()).ceil() as i32)
}

/// A bitmap backend whose text is laid out by [`glyph_pixels`].
struct GlyphText<B>(B);

impl<B: DrawingBackend> DrawingBackend for GlyphText<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_path(path, style)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.fill_polygon(vert, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.draw_circle(center, radius, style, fill)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.0.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let (_, width, height) = glyph_pixels(text, style.size() as f32);
        Ok((width.max(0) as u32, height.max(0) as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let (pixels, width, height) = glyph_pixels(text, style.size() as f32);
        let anchor = style.anchor();
        let dx = match anchor.h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match anchor.v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let transform = style.transform();
        let (w, h) = self.0.get_size();
        for (x, y, coverage) in pixels {
            let (x, y) = transform.transform(x + dx, y + dy);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && y >= 0 && (x as u32) < w && (y as u32) < h && coverage > 0.0 {
                let alpha = color.alpha * f64::from(coverage.min(1.0));
                self.0.draw_pixel((x, y), BackendColor { alpha, rgb: color.rgb })?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_advance_by_their_widths_without_gaps() {
        // "Standing": no gap between 'n' and 'g' wider than the gap between the other
        // letters (plotters' own layout drew "Standin g").
        let (pixels, width, _) = glyph_pixels("Standing", 20.0);
        let mut columns: Vec<i32> = pixels.iter().filter(|p| p.2 > 0.3).map(|p| p.0).collect();
        columns.sort_unstable();
        columns.dedup();
        let widest_gap = columns.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0);
        assert!(widest_gap <= 4, "a gap of {widest_gap} px inside the word");
        assert!(width > 60 && width < 90, "{width}");
        let (_, wider, _) = glyph_pixels("Standing, last 90 days", 20.0);
        assert!(wider > width);
    }
}
