//! Connecting and its outcome: the connect screen (URL, paste box, countdown), the live
//! status of the checks, and the jump from a diagnosis to the step that fixes it.

use crate::connect::{Event, Outcome};
use crate::recipe::{Role, SettingValue};
use crate::salesforce::diagnosis::Target;
use crate::wizard::fields::FieldInput;
use crate::wizard::keys::{self, Action};
use crate::wizard::model::{ConnectView, Model, PemSource, StepMark};
use crate::wizard::msg::{Cmd, ConnectSpec, Key, Summary};
use crate::wizard::screen::{
    ConnectFocus, ConnectScreen, Fix, Pane, Screen, ScreenKind, StatusScreen,
};
use crate::wizard::update::{setup, show, toast};

/// Starts a connect from the setup's answers, or says which step still needs an answer.
pub fn start(model: &mut Model, after_fix: bool) -> Vec<Cmd> {
    let Some(setup) = model.setup.as_ref() else {
        return Vec::new();
    };
    let recipe = setup.recipe;
    let (Some(login_url), Some(client_id)) = (
        setup.login_url.clone(),
        setup.answer_for(Role::ConsumerKey).map(String::from),
    ) else {
        let credentials = recipe
            .steps
            .iter()
            .position(|s| s.kind == crate::recipe::StepKind::Credentials)
            .unwrap_or(0);
        setup::enter_step(model, credentials);
        let what = if recipe.flow == crate::salesforce::Flow::JwtBearer {
            "Paste the consumer key first."
        } else {
            "Paste the consumer key and secret first."
        };
        return toast(model, what);
    };
    let mut run = model.connect.run;
    let spec = ConnectSpec {
        run: run.start(),
        open_browser: model.environment.browser_available,
        recipe_id: recipe.id.clone(),
        choices: recipe.selection.clone(),
        login_url,
        client_id,
        client_secret: setup
            .secret_for(Role::ConsumerSecret)
            .filter(|s| !s.is_empty())
            .cloned(),
        expected_username: setup
            .answer_for(Role::IntegrationUsername)
            .map(String::from),
        app_saved_at_ms: setup.app_saved_at_ms,
        private_key: setup
            .answer_for(Role::PrivateKey)
            .map(|answer| PemSource::of(answer, model.demo.is_some())),
        mcp_url: setup.answer_for(Role::McpServerUrl).map(String::from),
        after_fix,
        save_as: model
            .demo
            .is_none()
            .then(|| profile_name(recipe, setup.login_url.as_deref().unwrap_or_default())),
        app_callback_urls: setup
            .answer_for(Role::CallbackUrls)
            .map(|u| u.split_whitespace().map(String::from).collect())
            .unwrap_or_default(),
        api_name: setup.answer_for(Role::ApiName).map(String::from),
        app_name: setup.answer_for(Role::AppName).map(String::from),
        target_org: model
            .cli_login
            .as_ref()
            .filter(|_| setup.by_apply && model.demo.is_none())
            .map(|login| login.target.clone()),
    };
    model.connect = ConnectView {
        run,
        running: true,
        ..ConnectView::default()
    };
    show(model, connect_screen());
    vec![Cmd::Connect(Box::new(spec))]
}

/// The connect screen as it opens: the paste box empty and not focused.
fn connect_screen() -> Screen {
    Screen::Connect(ConnectScreen {
        paste: FieldInput::plain(
            "Paste",
            "the address the browser ended on, the code, or the error it showed",
            None,
            "",
        ),
        ..ConnectScreen::default()
    })
}

/// A profile name from the recipe and the org: `apideck-acme`, `custom-production`.
fn profile_name(recipe: &crate::recipe::Recipe, login_url: &str) -> String {
    let host = login_url.split("://").nth(1).unwrap_or(login_url);
    let org = match host.split('.').next().unwrap_or("org") {
        "login" => "production",
        "test" => "sandbox",
        first => first,
    };
    let org: String = org
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{}-{}", recipe.id, org).chars().take(64).collect()
}

pub fn event(model: &mut Model, event: Event, at_ms: u64) -> Vec<Cmd> {
    model.now_ms = model.now_ms.max(at_ms);
    // MCP clients sign each person in as themselves: there is no integration user.
    let who = if model.recipe().is_some_and(|r| r.is_mcp()) {
        "a user of the MCP client"
    } else {
        "the integration user"
    };
    let on_status = model.kind() == ScreenKind::Status;
    let view = &mut model.connect;
    match event {
        Event::Attempt(n) => {
            view.attempt = n;
            view.waiting = None;
        }
        Event::Login(n) => view.logins = n,
        Event::Waiting {
            attempt,
            delay,
            diagnosis,
        } => {
            // A re-check after a fix reports every check again.
            if on_status {
                view.checks.clear();
            }
            let until = at_ms + u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
            view.waiting = Some((until, attempt, diagnosis));
        }
        Event::Listening { redirect_uri } => view.redirect_uri = Some(redirect_uri),
        Event::AuthorizeUrl(url) => {
            view.url = Some(url);
            view.waiting = None;
            // A second sign-in in the same run (a fix changed what the token carries): back to
            // the connect screen, where the URL, the paste box and terminal sign-in are.
            let again = on_status;
            view.note = Some(if again {
                "Sign in once more: the token must be issued after your change took effect.".into()
            } else {
                format!("Log in as {who} and allow access.")
            });
            if again {
                view.checks.clear();
                show(model, connect_screen());
            }
        }
        Event::BrowserOpened => {
            view.note = Some(format!(
                "Your browser is open: log in as {who} and allow access."
            ))
        }
        Event::BrowserFailed(why) => {
            view.note = Some(format!(
                "{why}. Open the URL yourself, then paste the address you end up on."
            ))
        }
        Event::CodeReceived => view.note = Some("Login received; getting the token.".into()),
        Event::Check(check) => {
            view.checks.push(check);
            if !on_status {
                show(model, Screen::Status(StatusScreen::default()));
            }
        }
    }
    Vec::new()
}

pub fn finished(model: &mut Model, summary: Summary) -> Vec<Cmd> {
    model.connect.running = false;
    model.connect.waiting = None;
    model.connect.checks = summary.checks.clone();
    if model.kind() != ScreenKind::Status {
        show(model, Screen::Status(StatusScreen::default()));
    }
    let fix_step = summary.diagnosis.as_ref().and_then(|d| {
        let recipe = model.recipe()?;
        let target = d.target.as_ref()?;
        let step = recipe.step_for_target(target)?;
        recipe.steps.iter().position(|s| s.id == step.id)
    });
    if let (Some(index), Some(setup)) = (fix_step, model.setup.as_mut()) {
        setup.marks[index] = StepMark::NeedsFix;
    }
    let connected = summary.outcome == Outcome::Connected;
    let warnings = summary.warnings().count();
    model.connect.summary = Some(summary);
    let mut cmds = Vec::new();
    if let Some(setup) = model.setup.as_ref() {
        cmds.push(Cmd::SaveProgress(
            setup.saved(fix_step.unwrap_or(setup.recipe.steps.len() - 1)),
        ));
    }
    // With a CLI login, the live app is read too: what drifted from the recipe shows beside
    // the checks (a failed check's cause among it, often).
    model.connect.drift = None;
    if let (Some(login), Some(setup)) = (&model.cli_login, &model.setup)
        && let Some(api_name) = setup.answer_for(Role::ApiName)
    {
        cmds.push(Cmd::CheckDrift {
            run: model.connect.run.id(),
            recipe: setup.recipe.id.clone(),
            choices: setup.recipe.selection.clone(),
            api_name: api_name.to_string(),
            target: login.target.clone(),
        });
    }
    if connected && warnings > 0 {
        cmds.extend(toast(
            model,
            format!(
                "Connected, with {}: see the checks.",
                crate::words::count(warnings, "warning")
            ),
        ));
    } else if connected {
        cmds.extend(toast(model, "Connected and verified."));
    }
    cmds
}

/// The connect and status screens' actions.
pub fn act(model: &mut Model, action: Action) -> Vec<Cmd> {
    let browser = model.recipe().is_none_or(|r| r.flow.uses_browser());
    // Only the browser flow has a URL to copy, open or answer with a paste.
    let url = model.connect.url.clone().filter(|_| browser);
    match action {
        Action::Cancel => {
            model.connect.running = false;
            show(model, Screen::Review(Pane::default()));
            vec![Cmd::CancelConnect]
        }
        Action::CopyUrl => match url {
            Some(url) => {
                let mut cmds = vec![Cmd::Copy(url)];
                cmds.extend(toast(model, "Copied the login URL (OSC 52)."));
                cmds
            }
            None => Vec::new(),
        },
        Action::OpenBrowser => url.map(|u| vec![Cmd::OpenUrl(u)]).unwrap_or_default(),
        Action::RetryNow => vec![Cmd::RetryNow],
        Action::FocusPaste => {
            set_paste_focus(model, ConnectFocus::PasteBox);
            Vec::new()
        }
        Action::LeavePaste => {
            set_paste_focus(model, ConnectFocus::Screen);
            Vec::new()
        }
        Action::SubmitPaste => submit_paste(model),
        Action::SignInHere => match (url, model.demo.as_ref()) {
            (Some(url), Some(demo)) => vec![Cmd::DemoSignIn {
                url,
                username: demo.browser_username.clone(),
            }],
            _ => Vec::new(),
        },
        Action::Finish => {
            show(model, Screen::Done(Pane::default()));
            model
                .setup
                .as_ref()
                .map(|s| vec![Cmd::ClearProgress(s.saved(0).key())])
                .unwrap_or_default()
        }
        Action::Fix => {
            if let Some(index) = keys::fix_step(model) {
                enter_fix(model, index);
            }
            Vec::new()
        }
        Action::OtherCauses => {
            if let Screen::Status(status) = &mut model.screen {
                status.show_causes = !status.show_causes;
            }
            Vec::new()
        }
        Action::CheckAgain => start(model, false),
        Action::ToReview => {
            show(model, Screen::Review(Pane::default()));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn set_paste_focus(model: &mut Model, focus: ConnectFocus) {
    if let Screen::Connect(screen) = &mut model.screen {
        screen.focus = focus;
    }
}

fn submit_paste(model: &mut Model) -> Vec<Cmd> {
    let Screen::Connect(screen) = &mut model.screen else {
        return Vec::new();
    };
    let text = screen.paste.value().trim().to_string();
    if text.is_empty() {
        screen.paste_error = Some("Paste the address the browser ended on first.".into());
        return Vec::new();
    }
    // A paste that can't be an address or a code is said at once, and stays to be corrected.
    if let Err(wrong) = crate::oauth::callback::check_paste_shape(&text) {
        screen.paste_error = Some(wrong.to_string());
        return Vec::new();
    }
    screen.paste.set("");
    screen.paste_error = None;
    screen.focus = ConnectFocus::Screen;
    vec![Cmd::Paste(text)]
}

/// A key typed into the paste box.
pub fn type_key(model: &mut Model, key: Key) {
    if let Screen::Connect(screen) = &mut model.screen {
        screen.paste.key(key);
    }
}

pub fn paste(model: &mut Model, text: &str) {
    if let Screen::Connect(screen) = &mut model.screen {
        screen.focus = ConnectFocus::PasteBox;
        screen.paste.paste(text);
    }
}

/// Opens the step that fixes the diagnosis in fix mode: its edit path, the setting at fault
/// marked with what it is and what it should be, the focus on the field at fault.
fn enter_fix(model: &mut Model, index: usize) {
    setup::enter_step(model, index);
    let Some(diagnosis) = model
        .connect
        .summary
        .as_ref()
        .and_then(|s| s.diagnosis.clone())
    else {
        return;
    };
    let setting = match &diagnosis.target {
        Some(Target::Setting(key)) => Some(*key),
        _ => None,
    };
    let wanted = diagnosis.value.clone().or_else(|| {
        let value = model.recipe()?.setting_value(setting?)?;
        Some(value.to_string())
    });
    // A checkbox the fix sets one way is the other way now.
    let words = SettingValue::checkbox_words;
    let wrong = wanted.as_deref().map(|wanted| match wanted {
        w if w == words(true) => format!("now ☐ {}", words(false)),
        w if w == words(false) => format!("now ☑ {}", words(true)),
        _ => "now something else".to_string(),
    });
    // The field to change gets the focus: the secret for a wrong secret.
    let role = match &diagnosis.target {
        Some(Target::ConsumerSecret) => Some(Role::ConsumerSecret),
        Some(Target::Credentials) => Some(Role::ConsumerKey),
        Some(Target::IntegrationUser) => Some(Role::IntegrationUsername),
        _ => None,
    };
    let field = role.and_then(|role| model.recipe()?.field_id(role));
    let Screen::Step(step) = &mut model.screen else {
        return;
    };
    if let Some(i) = field.and_then(|id| {
        step.form
            .inputs
            .iter()
            .position(|input| input.field_id.as_deref() == Some(id))
    }) {
        step.form.focus = i;
    }
    step.fix = Some(Fix {
        message: diagnosis.message.clone(),
        setting,
        wrong,
    });
    if diagnosis.error == crate::connect::NO_FREE_PORT
        && let Some(port) = model.connect.spare_port
    {
        add_spare_callback(step, port);
    }
}

/// Every callback port was taken: the free one goes into the Callback URL field, focused, and
/// the fix says to add the same line in Setup (the app must list it before a login can use it).
fn add_spare_callback(step: &mut crate::wizard::StepScreen, port: u16) {
    let url = format!("http://localhost:{port}/callback");
    let Some(i) = step
        .form
        .inputs
        .iter()
        .position(|input| input.validator == Some(crate::recipe::Validator::CallbackUrls))
    else {
        return;
    };
    let input = &mut step.form.inputs[i];
    if !input.value().split_whitespace().any(|u| u == url) {
        let value = format!("{} {url}", input.value().trim());
        input.set(value.trim());
    }
    step.form.focus = i;
    if let Some(fix) = step.fix.as_mut() {
        fix.message = format!(
            "Every callback port of the app is taken on this machine, so the wizard added {url} (free now) to the field. Add the same line to the app's Callback URL in Setup and save, then press enter here."
        );
    }
}
