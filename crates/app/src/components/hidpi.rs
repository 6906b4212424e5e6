//! A canvas drawn at the screen's pixel density: the canvas holds `devicePixelRatio` pixels per
//! CSS pixel (sharp text and lines on phones and HiDPI screens), while the figures are laid out
//! in CSS pixels, so their labels, margins and line widths keep the size they have on any screen.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use web_sys::HtmlCanvasElement;

/// The screen's device pixels per CSS pixel (1 where the window does not say).
pub fn pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(1.0)
}

/// The size in CSS pixels of a canvas whose pixels `fit` scaled by [`pixel_ratio`].
pub fn css_size(canvas: &HtmlCanvasElement) -> (u32, u32) {
    let ratio = pixel_ratio();
    let css = |device: u32| (f64::from(device) / ratio).round() as u32;
    (css(canvas.width()), css(canvas.height()))
}

/// Plotters' canvas backend behind a scaling transform: plotters sees the canvas's size in CSS
/// pixels and draws in them; the context scales every stroke, fill and glyph to device pixels.
pub struct Crisp {
    canvas: CanvasBackend,
    css_size: (u32, u32),
}

/// The drawing area over all of `canvas`, in CSS pixels.
pub fn area(canvas: HtmlCanvasElement) -> Option<DrawingArea<Crisp, plotters::coord::Shift>> {
    let ratio = pixel_ratio();
    let css_size = css_size(&canvas);
    let context: web_sys::CanvasRenderingContext2d =
        wasm_bindgen::JsCast::dyn_into(canvas.get_context("2d").ok()??).ok()?;
    context
        .set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0)
        .ok()?;
    let canvas = CanvasBackend::with_canvas_object(canvas)?;
    Some(Crisp { canvas, css_size }.into_drawing_area())
}

type Drawn = Result<(), DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

impl DrawingBackend for Crisp {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.css_size
    }

    fn ensure_prepared(&mut self) -> Drawn {
        self.canvas.ensure_prepared()
    }

    fn present(&mut self) -> Drawn {
        self.canvas.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Drawn {
        self.canvas.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Drawn {
        self.canvas.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.canvas.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Drawn {
        self.canvas.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Drawn {
        self.canvas.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vertices: I,
        style: &S,
    ) -> Drawn {
        self.canvas.fill_polygon(vertices, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Drawn {
        self.canvas.draw_text(text, style, pos)
    }
}
