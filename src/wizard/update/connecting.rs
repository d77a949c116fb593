//! Connecting and its outcome: the connect screen (URL, paste box, countdown), the live
//! status of the checks, and the jump from a diagnosis to the step that fixes it.

use crate::connect::{Event, Outcome};
use crate::recipe::{Role, SettingValue};
use crate::salesforce::diagnosis::Target;
use crate::wizard::fields::FieldInput;
use crate::wizard::keys;
use crate::wizard::model::{ConnectView, Fix, Model, Screen, StepMark};
use crate::wizard::msg::{Cmd, ConnectSpec, Key, Summary};
use crate::wizard::update::{scroll, setup, toast};

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
    let run = model.connect.run + 1;
    let spec = ConnectSpec {
        run,
        open_browser: model.browser_available,
        recipe_id: recipe.id.clone(),
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
        private_key_path: setup.answer_for(Role::PrivateKey).map(String::from),
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
        paste: FieldInput::plain(
            "Paste",
            "the address the browser ended on, the code, or the error it showed",
            None,
            "",
        ),
        ..ConnectView::default()
    };
    model.checks.clear();
    model.summary = None;
    model.focus = 0;
    model.inputs.clear();
    model.screen = Screen::Connect;
    vec![Cmd::Connect(Box::new(spec))]
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

/// Whether a message of `run` belongs to the connect that is running now.
pub fn is_current(model: &Model, run: u64) -> bool {
    model.connect.running && model.connect.run == run
}

pub fn event(model: &mut Model, event: Event, at_ms: u64) -> Vec<Cmd> {
    model.now_ms = model.now_ms.max(at_ms);
    // MCP clients sign each person in as themselves: there is no integration user.
    let who = if model.recipe().is_some_and(|r| r.is_mcp()) {
        "a user of the MCP client"
    } else {
        "the integration user"
    };
    let view = &mut model.connect;
    match event {
        Event::Attempt(n) => {
            view.attempt = n;
            view.waiting = None;
        }
        Event::Waiting {
            attempt,
            delay,
            diagnosis,
        } => {
            // A re-check after a fix reports every check again.
            if model.screen == Screen::Status {
                model.checks.clear();
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
            let again = model.screen == Screen::Status;
            view.note = Some(if again {
                "Sign in once more: the token must be issued after your change took effect.".into()
            } else {
                format!("Log in as {who} and allow access.")
            });
            if again {
                model.checks.clear();
                model.screen = Screen::Connect;
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
            model.checks.push(check);
            model.screen = Screen::Status;
        }
    }
    Vec::new()
}

pub fn finished(model: &mut Model, summary: Summary) -> Vec<Cmd> {
    model.connect.running = false;
    model.connect.waiting = None;
    model.checks = summary.checks.clone();
    model.screen = Screen::Status;
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
    model.summary = Some(summary);
    let mut cmds = Vec::new();
    if let Some(setup) = model.setup.as_ref() {
        cmds.push(Cmd::SaveProgress(
            setup.saved(fix_step.unwrap_or(setup.recipe.steps.len() - 1)),
        ));
    }
    // With a CLI login, the live app is read too: what drifted from the recipe shows beside
    // the checks (a failed check's cause among it, often).
    model.drift = None;
    if let (Some(login), Some(setup)) = (&model.cli_login, &model.setup)
        && let Some(api_name) = setup.answer_for(Role::ApiName)
    {
        cmds.push(Cmd::CheckDrift {
            run: model.connect.run,
            recipe: setup.recipe.id.clone(),
            api_name: api_name.to_string(),
            target: login.target.clone(),
        });
    }
    if connected && warnings > 0 {
        cmds.extend(toast(
            model,
            format!("Connected, with {warnings} warning(s): see the checks."),
        ));
    } else if connected {
        cmds.extend(toast(model, "Connected and verified."));
    }
    cmds
}

pub fn connect_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    if model.focus == 1 {
        return paste_box_key(model, key);
    }
    let browser = model.recipe().is_none_or(|r| r.flow.uses_browser());
    // Only the browser flow has a URL to copy, open or answer with a paste.
    let url = model.connect.url.clone().filter(|_| browser);
    match key {
        Key::Esc => {
            model.connect.running = false;
            model.screen = Screen::Review;
            vec![Cmd::CancelConnect]
        }
        Key::Char('c') => match url {
            Some(url) => {
                let mut cmds = vec![Cmd::Copy(url)];
                cmds.extend(toast(model, "Copied the login URL (OSC 52)."));
                cmds
            }
            None => Vec::new(),
        },
        Key::Char('o') => url.map(|u| vec![Cmd::OpenUrl(u)]).unwrap_or_default(),
        Key::Char('r') if model.connect.waiting.is_some() => vec![Cmd::RetryNow],
        Key::Char('p') | Key::Tab if url.is_some() => {
            model.focus = 1;
            Vec::new()
        }
        Key::Char('s') if model.demo.as_ref().is_some_and(|d| d.terminal_sign_in) => {
            match (url, model.demo.as_ref()) {
                (Some(url), Some(demo)) => vec![Cmd::DemoSignIn {
                    url,
                    username: demo.browser_username.clone(),
                }],
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn paste_box_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    match key {
        Key::Esc | Key::Tab => {
            model.focus = 0;
            Vec::new()
        }
        Key::Enter => {
            let text = model.connect.paste.value().trim().to_string();
            if text.is_empty() {
                model.connect.paste_error =
                    Some("Paste the address the browser ended on first.".into());
                return Vec::new();
            }
            model.connect.paste.set("");
            model.connect.paste_error = None;
            model.focus = 0;
            vec![Cmd::Paste(text)]
        }
        key => {
            model.connect.paste.key(key);
            Vec::new()
        }
    }
}

pub fn paste(model: &mut Model, text: &str) {
    model.focus = 1;
    model.connect.paste.paste(text);
}

pub fn status_key(model: &mut Model, key: Key) -> Vec<Cmd> {
    let (connected, others) = (model.connected(), model.has_other_causes());
    let running = model.connect.running;
    match key {
        Key::Enter if connected && !running => {
            model.screen = Screen::Done;
            model
                .setup
                .as_ref()
                .map(|s| vec![Cmd::ClearProgress(s.saved(0).key())])
                .unwrap_or_default()
        }
        Key::Char('f') | Key::Enter if !connected && !running => match keys::fix_step(model) {
            Some(index) => {
                enter_fix(model, index);
                Vec::new()
            }
            None => Vec::new(),
        },
        Key::Char('o') if !connected && !running && others => {
            model.connect.show_causes = !model.connect.show_causes;
            Vec::new()
        }
        Key::Char('r') if !running => start(model, false),
        Key::Esc if running => {
            model.connect.running = false;
            model.screen = Screen::Review;
            vec![Cmd::CancelConnect]
        }
        Key::Esc => {
            model.screen = Screen::Review;
            Vec::new()
        }
        key => {
            scroll(model, key);
            Vec::new()
        }
    }
}

/// Opens the step that fixes the diagnosis in fix mode: its edit path, the setting at fault
/// marked with what it is and what it should be, the focus on the field at fault.
fn enter_fix(model: &mut Model, index: usize) {
    setup::enter_step(model, index);
    let Some(diagnosis) = model.summary.as_ref().and_then(|s| s.diagnosis.clone()) else {
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
    if let Some(i) = role
        .and_then(|role| model.recipe()?.field_id(role))
        .and_then(|id| {
            model
                .inputs
                .iter()
                .position(|input| input.field_id.as_deref() == Some(id))
        })
    {
        model.focus = i;
    }
    model.fix = Some(Fix {
        step: index,
        message: diagnosis.message.clone(),
        setting,
        wrong,
    });
}
