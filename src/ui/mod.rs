//! Drawing the wizard: a pure function of the model. Every screen has a title bar, its body,
//! a footer with the keys that work there, and optional overlays (help, quit, toast).

mod chrome;
mod connect;
mod screens;
mod step;
mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};

pub use theme::Theme;

use crate::wizard::{Model, Screen};

/// Below this the wizard asks for a bigger terminal instead of drawing a cramped screen.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

pub fn render(model: &Model, frame: &mut Frame) {
    let theme = Theme::new(model.color);
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        chrome::too_small(frame, area, &theme);
        return;
    }
    let [title, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(5),
        Constraint::Length(1),
    ])
    .areas(area);
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
