//! Drawing the wizard: a pure function of the model. Every screen has a title bar, its body,
//! a footer with the keys that work there, and optional overlays (help, quit, toast).

mod chrome;
mod connect;
pub(crate) mod field;
pub mod pane;
mod screens;
mod step;
mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};

pub use theme::Theme;

use crate::wizard::{Model, Screen};

/// Below this the wizard asks for a bigger terminal instead of drawing a cramped screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// The body's area: everything but the title and the footer (taller while a toast wraps).
fn body_of(model: &Model, area: Rect) -> Rect {
    Rect {
        y: area.y + 1,
        height: area
            .height
            .saturating_sub(1 + chrome::footer_height(model, area.width)),
        ..area
    }
}

/// How far the current screen's text can scroll at the model's terminal size: the core keeps
/// its scroll offset within this, so scrolling back up never has to undo an overshoot.
pub fn max_scroll(model: &Model) -> u16 {
    let (width, height) = model.size;
    let body = body_of(model, Rect::new(0, 0, width, height));
    let theme = Theme::new(false);
    match model.screen {
        Screen::Step(index) => step::max_scroll(model, index, body),
        Screen::Review => pane::max_scroll(&screens::review_lines(model, &theme), body),
        Screen::Status => pane::max_scroll(&connect::status_lines(model, &theme), body),
        Screen::Done => pane::max_scroll(&screens::done_lines(model, &theme), body),
        Screen::Start | Screen::Org | Screen::Connect => 0,
    }
}

pub fn render(model: &Model, frame: &mut Frame) {
    let theme = Theme::new(model.color);
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        chrome::too_small(frame, area, &theme);
        return;
    }
    let [title, _, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(chrome::footer_height(model, area.width)),
    ])
    .areas(area);
    let body = body_of(model, area);
    chrome::title(model, frame, title, &theme);
    match model.screen {
        Screen::Start => screens::start(model, frame, body, &theme),
        Screen::Org => screens::org(model, frame, body, &theme),
        Screen::Step(index) => step::render(model, index, frame, body, &theme),
        Screen::Review => screens::review(model, frame, body, &theme),
        Screen::Connect => connect::connect(model, frame, body, &theme),
        Screen::Status => connect::status(model, frame, body, &theme),
        Screen::Done => screens::done(model, frame, body, &theme),
    }
    chrome::footer(model, frame, footer, &theme);
    chrome::overlays(model, frame, area, &theme);
}
