//! Drawing the wizard: a pure function of the model. Every screen has a title bar, its body,
//! a footer with the keys that work there, and optional overlays (help, quit, toast).

mod chrome;
mod connect;
pub(crate) mod field;
pub mod pane;
mod screens;
mod step;
mod step_extras;
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
    let body = body_of(model, terminal_area(model));
    let theme = Theme::new(false);
    match &model.screen {
        Screen::Step(step) => step::max_scroll(model, step, body),
        Screen::Review(_) => pane::max_scroll(&screens::review_lines(model, &theme), body),
        Screen::Status(_) => pane::max_scroll(&connect::status_lines(model, &theme), body),
        Screen::Done(_) => pane::max_scroll(&screens::done_lines(model, &theme), body),
        Screen::Start | Screen::Org(_) | Screen::Connect(_) => 0,
    }
}

/// What the core needs to know of the layout, measured for the model as it is: the runtime
/// sends it back as `Msg::Layout` after each frame when it changed.
pub fn layout(model: &Model) -> crate::wizard::Msg {
    // A page is the body less the pane's border rows.
    let page = body_of(model, terminal_area(model))
        .height
        .saturating_sub(2);
    crate::wizard::Msg::Layout {
        page,
        max_scroll: max_scroll(model),
    }
}

fn terminal_area(model: &Model) -> Rect {
    Rect::new(0, 0, model.viewport.width, model.viewport.height)
}

pub fn render(model: &Model, frame: &mut Frame) {
    let theme = Theme::new(model.environment.color);
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
    match &model.screen {
        Screen::Start => screens::start(model, frame, body, &theme),
        Screen::Org(form) => screens::org(form, model.demo.is_some(), frame, body, &theme),
        Screen::Step(step) => step::render(model, step, frame, body, &theme),
        Screen::Review(pane) => screens::review(model, *pane, frame, body, &theme),
        Screen::Connect(screen) => connect::connect(model, screen, frame, body, &theme),
        Screen::Status(status) => connect::status(model, *status, frame, body, &theme),
        Screen::Done(pane) => screens::done(model, *pane, frame, body, &theme),
    }
    chrome::footer(model, frame, footer, &theme);
    chrome::overlays(model, frame, area, &theme);
}
