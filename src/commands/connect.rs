//! `eca-wizard connect`: connect and verify without the TUI, for consultants and scripts.
//! Progress goes to stderr; `--json` prints one object on stdout; the exit code says how it
//! ended (0 connected, 1 failed, 2 usage, 3 misconfigured, 4 user action, 5 timed out).

use crate::terminal_safe::terminal_safe;
use std::io::{self, BufRead, IsTerminal, Write};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{mpsc, watch};

use crate::cli::ConnectArgs;
use crate::commands::UsageError;
use crate::commands::diagnosis_view::DiagnosisView;
use crate::connect::{self, Browser, Event, Report, Request};
use crate::recipe;
use crate::retry::RetryPolicy;
use crate::salesforce::Flow;
use crate::salesforce::callback::WIZARD_CALLBACK_PATH;
use crate::salesforce::hosts::normalize_login_url;
use crate::secret::Secret;
use crate::verify::{Check, Status};

pub use crate::secret::CLIENT_SECRET_ENV as SECRET_ENV;

pub fn run(args: &ConnectArgs) -> anyhow::Result<u8> {
    let client_secret = read_secret(args)?;
    let runtime = crate::commands::runtime()?;
    let result = run_with(args, client_secret, &runtime);
    // A paste still being read when Ctrl-C came is not waited for.
    runtime.shutdown_background();
    result
}

/// The consumer secret from stdin (`--client-secret-stdin`) or the environment.
fn read_secret(args: &ConnectArgs) -> anyhow::Result<Option<Secret>> {
    let mut stdin_lines = io::stdin().lock().lines();
    let client_secret = if args.client_secret_stdin {
        let line = if io::stdin().is_terminal() {
            crate::commands::prompt::read_masked("Consumer secret: ")?
        } else {
            stdin_lines.next().transpose()?.unwrap_or_default()
        };
        Some(Secret::new(line.trim()))
    } else {
        std::env::var(SECRET_ENV)
            .ok()
            .map(|s| Secret::new(s.trim()))
    }
    .filter(|s| !s.is_empty());
    Ok(client_secret)
}

/// Connects with a secret already in hand (`apply` read it from the org), on `runtime`: the
/// process's one HTTP client keeps its connections on the runtime that opened them, so a caller
/// that already talked to the org passes its own.
pub fn run_with(
    args: &ConnectArgs,
    client_secret: Option<Secret>,
    runtime: &tokio::runtime::Runtime,
) -> anyhow::Result<u8> {
    let recipe = crate::commands::failure::recipe_with_choices(
        args.recipe.as_deref().unwrap_or("custom"),
        &choice_args(args),
    )?;
    if let Some(name) = &args.save {
        crate::profile::check_name(name).map_err(|e| UsageError(format!("--save: {e}")))?;
    }
    // A recipe whose flow is one of its choices takes it from there: `--flow` may only agree.
    if let Some(flow) = args.flow
        && flow != recipe.flow
        && recipe.choices.iter().any(|c| c.id == "flow")
    {
        return Err(UsageError(format!(
            "--flow {} contradicts --choice flow={}: give the flow once (--choice flow=... for this recipe)",
            flow.id(),
            recipe.flow.id()
        ))
        .into());
    }
    let flow = args.flow.unwrap_or(recipe.flow);
    let login_input = match (&args.login_url, &args.target_org) {
        (Some(url), _) => url.clone(),
        (None, Some(alias)) => crate::apply::session::instance_of(alias)
            .map_err(|e| UsageError(format!("--target-org: {e}")))?,
        (None, None) => return Err(UsageError("pass --login-url or --target-org".into()).into()),
    };
    let login =
        normalize_login_url(&login_input).map_err(|e| UsageError(format!("--login-url: {e}")))?;
    for change in &login.changes {
        eprintln!("note: {change} Using {}.", login.host);
    }
    // A flow the host can't serve (client credentials on login.salesforce.com) is refused
    // before anything is sent.
    login
        .host
        .check_flow(flow)
        .map_err(|refused| UsageError(format!("--login-url: {refused}")))?;
    if flow == Flow::ClientCredentials && client_secret.is_none() {
        return Err(UsageError(format!("client credentials needs the consumer secret: set {SECRET_ENV} or pass --client-secret-stdin")).into());
    }
    if args.client_secret_stdin
        && args
            .private_key
            .as_ref()
            .is_some_and(|p| p.as_os_str() == "-")
    {
        return Err(UsageError("stdin can carry the consumer secret or the private key, not both: give --private-key a file".into()).into());
    }
    let jwt = match flow {
        Flow::JwtBearer => {
            let (Some(path), Some(username)) = (&args.private_key, &args.username) else {
                return Err(UsageError(
                    "JWT bearer needs --private-key FILE and --username".into(),
                )
                .into());
            };
            let pem = crate::commands::read_input(path).map_err(|e| {
                UsageError(format!(
                    "can't read the private key {}: {e}",
                    path.display()
                ))
            })?;
            Some((Secret::new(pem), username.clone()))
        }
        _ => None,
    };
    // Input that can never work is refused before the first request: retried, it would pass
    // for propagation for the whole window.
    let client_id = crate::recipe::Validator::ConsumerKey
        .check(&args.client_id, "")
        .map_err(|e| UsageError(format!("--client-id: {e}")))?
        .value;
    if client_id != args.client_id {
        eprintln!("note: removed the spaces around the consumer key");
    }
    let callback_urls = callback_urls(args, recipe, flow)?;
    let mcp_url = mcp_url(args.mcp_url.as_deref(), recipe, &login.host)?;
    // Where the connection will be kept is settled before the login, not after.
    let ready = crate::commands::keep::prepare(args)?;
    let browser = choose_browser(args.no_browser);
    let window = args
        .propagation_window
        .max(u64::from(recipe.propagation_minutes.unwrap_or(0)) * 60);
    let request = Request {
        recipe: recipe.clone(),
        flow,
        login: login.host,
        client_id,
        client_secret,
        callback_urls,
        browser,
        timeout: Duration::from_secs(args.timeout),
        policy: RetryPolicy {
            // A vendor that says its app takes longer to work everywhere is waited for.
            window: Duration::from_secs(window),
            max_wait: Duration::from_secs(args.max_wait.unwrap_or(window.saturating_add(300))),
            ..RetryPolicy::default()
        },
        saved_ago: Duration::ZERO,
        jwt,
        expected_username: args.username.clone(),
        recheck_for: Duration::ZERO,
        retry_now: None,
        mcp_url,
    };
    let report = runtime.block_on(async {
        let (cancel_tx, cancel) = watch::channel(false);
        // SIGTERM and SIGHUP too: after apply put its org setting back, the OS no longer ends
        // the process on them (see `signals`).
        match crate::signals::Terminating::listen() {
            Ok(mut signals) => {
                tokio::spawn(async move {
                    signals.next().await;
                    let _ = cancel_tx.send(true);
                });
            }
            Err(_) => drop(cancel_tx),
        }
        let pastes = (flow == Flow::AuthCode && browser != Browser::Open).then(read_pastes);
        let window = Window {
            started: std::time::Instant::now(),
            length: request.policy.window,
            name_column: name_column(recipe),
        };
        let mut events = |event: Event| print_event(&event, browser, &window);
        connect::connect(&request, &mut events, pastes, cancel).await
    });
    let saved = match (ready, &args.save, report.outcome) {
        (Some(ready), Some(name), connect::Outcome::Connected) => Some(
            crate::commands::keep::keep(ready, name, args, &request, &report),
        ),
        _ => None,
    };
    let save_error = saved.as_ref().and_then(|s| s.as_ref().err());
    let code = match save_error {
        Some(_) => crate::commands::output::exit::FAILED,
        None => report.outcome.exit_code(),
    };
    if args.json {
        let mut json = serde_json::to_value(JsonReport::new(&report, recipe))?;
        json["choices"] = crate::commands::failure::choices_json(recipe);
        json["profile"] = match &saved {
            Some(Ok(_)) => args.save.clone().into(),
            _ => serde_json::Value::Null,
        };
        json["save_error"] = save_error.cloned().into();
        crate::commands::output::print("connect", code, &json, &warnings(&report))?;
    } else {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        write_summary(&mut out, &report, recipe)?;
    }
    if let Some(error) = save_error {
        eprintln!(
            "error: connected, but the profile wasn't saved: {}",
            crate::terminal_safe::terminal_safe(error)
        );
    }
    Ok(code)
}

/// Checks that passed with a reservation (the wrong user, an optional object unreadable): the
/// outcome stays `connected` and the exit code 0, so scripts read these to tell.
fn warnings(report: &Report) -> Vec<crate::commands::output::Warning> {
    report
        .checks
        .iter()
        .filter(|c| c.status == Status::Warning)
        .map(|c| crate::commands::output::Warning::new(c.name.as_str(), c.detail.clone()))
        .collect()
}

/// `$BROWSER` always wins; without it, SSH sessions and machines without a display paste.
fn choose_browser(no_browser: bool) -> Browser {
    if no_browser {
        return Browser::PasteOnly;
    }
    if crate::browser::can_open() {
        Browser::Open
    } else {
        Browser::Paste
    }
}

/// Lines from stdin, as pastes, read on their own thread.
fn read_pastes() -> connect::Pastes {
    let (tx, rx) = mpsc::channel(4);
    std::thread::spawn(move || {
        for line in io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if tx.blocking_send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// The propagation window as `connect` counts it, for the progress lines.
struct Window {
    started: std::time::Instant,
    length: Duration,
    /// The width check names are padded to.
    name_column: usize,
}

fn print_event(event: &Event, browser: Browser, window: &Window) {
    match event {
        Event::Attempt(_) | Event::Login(_) => {}
        Event::Waiting {
            attempt,
            delay,
            diagnosis,
        } => {
            eprintln!(
                "waiting {}s before attempt {attempt}: {} ({})",
                delay.as_secs().max(1),
                terminal_safe(&diagnosis.error),
                diagnosis.kind.id()
            );
            if diagnosis.kind == crate::salesforce::diagnosis::Kind::Propagating {
                let left = window.length.saturating_sub(window.started.elapsed());
                eprintln!(
                    "  a new or edited app can take minutes to work; waiting up to {} more (--propagation-window), Ctrl-C stops",
                    minutes(left)
                );
            }
        }
        Event::Listening { redirect_uri } => eprintln!("listening for the login on {redirect_uri}"),
        Event::AuthorizeUrl(url) => {
            eprintln!("Open this URL to log in:\n\n  {url}\n");
            if browser != Browser::Open && io::stdin().is_terminal() {
                eprintln!(
                    "Then paste the address the browser ends on (or the code, or the error it shows):"
                );
            }
        }
        Event::BrowserOpened => eprintln!("opened your browser; waiting for the login"),
        Event::BrowserFailed(why) => {
            eprintln!("{why}; open the URL yourself, or paste the address the browser ends on")
        }
        Event::CodeReceived => eprintln!("login received; exchanging the code"),
        Event::Check(check) => eprintln!("{}", check_line_in(check, window.name_column)),
    }
}

/// A check as `connect` prints it: one line, whatever its detail holds.
pub fn check_line(check: &Check) -> String {
    check_line_in(check, MIN_NAME_COLUMN)
}

/// The name column's width when nothing longer is expected.
const MIN_NAME_COLUMN: usize = 16;

/// The name column for a recipe: as wide as the longest check name it can report (its object
/// checks), within reason, so every detail starts in the same column.
pub fn name_column(recipe: &recipe::Recipe) -> usize {
    recipe
        .objects()
        .map(|o| "object:".len() + o.object.chars().count())
        .chain(["refresh_token".len(), "mcp_server".len()])
        .max()
        .unwrap_or(0)
        .clamp(MIN_NAME_COLUMN, 40)
}

/// A check on one line, its name padded to `width`.
pub fn check_line_in(check: &Check, width: usize) -> String {
    format!(
        "  {} {:<width$} {}",
        symbol(check.status),
        terminal_safe(check.name.as_str()),
        terminal_safe(&check.detail)
    )
}

fn symbol(status: Status) -> &'static str {
    match status {
        Status::Passed => "ok  ",
        Status::Failed => "FAIL",
        Status::Skipped => "skip",
        Status::Warning => "warn",
    }
}

/// The end of `connect`'s output: "Connected as ..." and its warnings, or the diagnosis.
pub fn write_summary(
    out: &mut dyn Write,
    report: &Report,
    recipe: &recipe::Recipe,
) -> io::Result<()> {
    match &report.diagnosis {
        None => {
            let who = report
                .identity
                .as_ref()
                .map_or("?", |i| i.username.as_str());
            let passed = report
                .checks
                .iter()
                .filter(|c| c.status == Status::Passed)
                .count();
            let warnings = report
                .checks
                .iter()
                .filter(|c| c.status == Status::Warning)
                .count();
            let with = if warnings == 0 {
                String::new()
            } else {
                format!(" with {warnings} warning(s)")
            };
            writeln!(
                out,
                "Connected{with} as {} at {} ({passed} checks passed).",
                terminal_safe(who),
                terminal_safe(report.instance_url.as_deref().unwrap_or("?"))
            )?;
            for warning in report.checks.iter().filter(|c| c.status == Status::Warning) {
                writeln!(
                    out,
                    "warning: {}: {}",
                    terminal_safe(warning.name.as_str()),
                    terminal_safe(&warning.detail)
                )?;
            }
            Ok(())
        }
        Some(_) if report.outcome == connect::Outcome::Cancelled => {
            writeln!(out, "Cancelled; nothing was saved.")
        }
        Some(diagnosis) => DiagnosisView::new(diagnosis, Some(recipe)).write_text(out),
    }
}

/// `--choice` as given; `--flow` answers a recipe's flow choice when `--choice` doesn't.
fn choice_args(args: &ConnectArgs) -> Vec<String> {
    let mut choices = args.choices.clone();
    let answered = choices.iter().any(|c| c.trim_start().starts_with("flow="));
    if let (Some(flow), false) = (args.flow, answered) {
        let has_flow_choice = args
            .recipe
            .as_deref()
            .and_then(|id| recipe::by_id(id).ok())
            .is_some_and(|r| r.choices.iter().any(|c| c.id == "flow"));
        if has_flow_choice {
            choices.insert(0, format!("flow={}", flow.id()));
        }
    }
    choices
}

/// The `--json` object: never a secret.
#[derive(Serialize)]
struct JsonReport<'a> {
    outcome: connect::Outcome,
    checks: &'a [Check],
    diagnosis: Option<DiagnosisView>,
    instance_url: Option<&'a str>,
    username: Option<&'a str>,
    org_id: Option<&'a str>,
    attempts: u32,
}

impl<'a> JsonReport<'a> {
    fn new(report: &'a Report, recipe: &recipe::Recipe) -> Self {
        JsonReport {
            outcome: report.outcome,
            checks: &report.checks,
            diagnosis: report
                .diagnosis
                .as_ref()
                .map(|d| DiagnosisView::new(d, Some(recipe))),
            instance_url: report.instance_url.as_deref(),
            username: report.identity.as_ref().map(|i| i.username.as_str()),
            org_id: report.identity.as_ref().map(|i| i.org_id.as_str()),
            attempts: report.attempts,
        }
    }
}

/// The loopback callbacks to listen on: the recipe's and the given ones, or the one
/// The MCP server to verify against (MCP recipes only): `--mcp-url`, else the recipe's server
/// in the URL form of the login's org. The emulator's MCP host can't be guessed: nothing is
/// sent to api.salesforce.com for a login that went to loopback.
fn mcp_url(
    given: Option<&str>,
    recipe: &recipe::Recipe,
    login: &crate::salesforce::hosts::LoginHost,
) -> Result<Option<String>, UsageError> {
    use crate::salesforce::mcp;
    if !recipe.is_mcp() {
        return Ok(None);
    }
    if let Some(url) = given {
        let parsed =
            mcp::parse_server_url(url).map_err(|e| UsageError(format!("--mcp-url: {e}")))?;
        return Ok(Some(parsed.url()));
    }
    if matches!(login.kind(), crate::salesforce::hosts::HostKind::Loopback) {
        return Err(UsageError(
            "--mcp-url: a login on loopback (the emulator) needs its MCP host's URL; `eca-wizard emulator --print-json` prints it as mcp_url".into(),
        ));
    }
    let server = recipe
        .field_for(crate::recipe::Role::McpServerUrl)
        .and_then(|f| f.default.as_deref())
        .and_then(|url| mcp::parse_server_url(url).ok())
        .map_or_else(|| "platform/sobject-reads".to_string(), |u| u.server);
    let url = mcp::default_url(login.url(), &server);
    eprintln!("note: verifying against the MCP server {url} (--mcp-url to change)");
    Ok(Some(url))
}

/// `--callback-port` names, which must be among them (Salesforce compares `redirect_uri`
/// exactly, so any other port fails as `redirect_uri_mismatch`).
fn callback_urls(
    args: &ConnectArgs,
    recipe: &recipe::Recipe,
    flow: Flow,
) -> Result<Vec<String>, UsageError> {
    for url in &args.callback_urls {
        crate::salesforce::callback::check_callback_url(url)
            .map_err(|e| UsageError(format!("--callback-url: {e}")))?;
    }
    let registered: Vec<String> = recipe
        .default_callback_urls()
        .into_iter()
        .chain(args.callback_urls.iter().cloned())
        .filter(|u| u.starts_with("http://"))
        .collect();
    let Some(port) = args.callback_port else {
        return Ok(registered);
    };
    let wanted = format!("http://localhost:{port}{WIZARD_CALLBACK_PATH}");
    // The registered URL on that port, with its own path, is the one to listen on.
    let listed = registered
        .iter()
        .find(|u| url::Url::parse(u).is_ok_and(|p| p.port() == Some(port)));
    if let Some(url) = listed {
        return Ok(vec![url.clone()]);
    }
    if flow == Flow::AuthCode {
        let ports: Vec<String> = registered
            .iter()
            .filter_map(|u| url::Url::parse(u).ok()?.port().map(|p| p.to_string()))
            .collect();
        return Err(UsageError(format!(
            "--callback-port {port}: {wanted} is not among the app's callback URLs ({}); add it to the app's Callback URL and pass --callback-url {wanted}, or use one of those ports",
            ports.join(", ")
        )));
    }
    Ok(vec![wanted])
}

fn minutes(left: Duration) -> String {
    match left.as_secs() {
        0..60 => format!("{}s", left.as_secs()),
        secs => format!("{} min", secs.div_ceil(60)),
    }
}
