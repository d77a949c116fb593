//! `eca-wizard doctor [--json]`: what a support case needs to know about this machine, and
//! nothing secret: version and target, OS, the keychain and whether it stores, the folders and
//! their modes, which proxy and CA variables are set (names only), `sf --version`, a summary of
//! the profiles, and the clock against Salesforce's (the `Date` header of one request).

use std::io::Write;
use std::path::Path;

use serde::Serialize;
use serde_json::json;

use crate::commands::output::{self, Warning, exit};
use crate::net::SendLogged;

/// Variables whose presence matters to a connection; their values are never read out.
const VARIABLES: [&str; 19] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NODE_EXTRA_CA_CERTS",
    "ECA_WIZARD_HOME",
    "ECA_WIZARD_SECRETS",
    "ECA_WIZARD_LOG",
    "ECA_WIZARD_CLIENT_SECRET",
    "BROWSER",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "SSH_CONNECTION",
];

/// A clock further off than this is worth a warning: JWT bearer assertions carry an expiry,
/// and a skewed clock makes them look expired or not yet valid.
const SKEW_WARNING_SECS: i64 = 60;

#[derive(Serialize)]
struct Folder {
    role: &'static str,
    path: String,
    exists: bool,
    mode: Option<String>,
    owner_only: Option<bool>,
}

pub fn run(login_url: &str, json: bool) -> anyhow::Result<u8> {
    let mut warnings = Vec::new();
    let keychain = crate::profile::keychain().map(|k| k.id());
    if keychain.is_none() {
        warnings.push(Warning::new(
            "no_keychain",
            "no OS keychain stores and returns a value here: `connect --save` needs --secrets-file",
        ));
    } else if keychain == Some("kernel-keyring") {
        warnings.push(Warning::new(
            "keychain_forgets",
            "the kernel keyring forgets its secrets when the machine restarts",
        ));
    }
    let folders = folders();
    for folder in folders.iter().filter(|f| f.owner_only == Some(false)) {
        warnings.push(Warning::new(
            "open_folder",
            format!(
                "{} ({}) is readable by others: chmod 700 it",
                folder.path, folder.role
            ),
        ));
    }
    let clock = clock_skew(login_url);
    if let Some(skew) = clock.get("skew_secs").and_then(serde_json::Value::as_i64)
        && skew.abs() > SKEW_WARNING_SECS
    {
        warnings.push(Warning::new(
            "clock_skew",
            format!("this clock is {skew}s off Salesforce's: JWT bearer sign-ins may be refused"),
        ));
    }
    let report = json!({
        "version": env!("CARGO_PKG_VERSION"),
        "target": format!("{}-{}", std::env::consts::ARCH, std::env::consts::OS),
        "os": os_name(),
        "keychain": {"chosen": keychain, "stores": keychain.is_some()},
        "folders": folders,
        "environment": VARIABLES.iter().filter(|v| std::env::var_os(v).is_some_and(|x| !x.is_empty())).collect::<Vec<_>>(),
        "sf": sf_version(),
        "profiles": profiles(),
        "clock": clock,
    });
    if json {
        output::print("doctor", exit::OK, &report, &warnings)?;
    } else {
        write_text(&report, &warnings)?;
    }
    Ok(exit::OK)
}

fn write_text(report: &serde_json::Value, warnings: &[Warning]) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let safe = |v: &serde_json::Value| crate::terminal_safe::terminal_safe(&v.to_string());
    for key in [
        "version",
        "target",
        "os",
        "keychain",
        "folders",
        "environment",
        "sf",
        "profiles",
        "clock",
    ] {
        writeln!(out, "{key:<12} {}", safe(&report[key]))?;
    }
    for warning in warnings {
        writeln!(
            out,
            "warning: {}",
            crate::terminal_safe::terminal_safe(&warning.message)
        )?;
    }
    Ok(())
}

fn os_name() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_string())
        });
    pretty.unwrap_or_else(|| std::env::consts::OS.to_string())
}

fn folders() -> Vec<Folder> {
    let mut list = Vec::new();
    if let Ok(profiles) = crate::profile::profiles_dir() {
        if let Some(home) = profiles.parent() {
            list.push(folder("home", home));
        }
        list.push(folder("profiles", &profiles));
    }
    if let Some(recipes) = crate::recipe::local_dir() {
        list.push(folder("recipes", &recipes));
    }
    list
}

fn folder(role: &'static str, path: &Path) -> Folder {
    let meta = std::fs::metadata(path).ok();
    #[cfg(unix)]
    let mode = meta
        .as_ref()
        .map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()) & 0o777);
    #[cfg(not(unix))]
    let mode: Option<u32> = None;
    Folder {
        role,
        path: path.display().to_string(),
        exists: meta.is_some(),
        mode: mode.map(|m| format!("{m:03o}")),
        owner_only: mode.map(|m| m & 0o077 == 0),
    }
}

/// `sf --version`'s first line, or null when the Salesforce CLI isn't there.
fn sf_version() -> Option<String> {
    let output = std::process::Command::new("sf")
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.lines()
        .next()
        .map(|l| crate::terminal_safe::terminal_safe(l.trim()))
}

fn profiles() -> serde_json::Value {
    let Ok(dir) = crate::profile::profiles_dir() else {
        return json!(null);
    };
    let names = crate::profile::list(&dir).unwrap_or_default();
    let loaded: Vec<_> = names
        .iter()
        .filter_map(|n| crate::profile::load(&dir, n).ok())
        .collect();
    let verified_ok = loaded
        .iter()
        .filter(|p| p.last_verified.as_ref().is_some_and(|v| v.ok))
        .count();
    json!({
        "count": names.len(),
        "unreadable": names.len() - loaded.len(),
        "last_verified_ok": verified_ok,
        "in_file": loaded.iter().filter(|p| matches!(p.secrets, crate::profile::SecretStore::File(_))).count(),
    })
}

/// Salesforce's clock from the `Date` header of one unauthenticated request, against ours.
fn clock_skew(login_url: &str) -> serde_json::Value {
    let asked = async {
        let http = crate::net::client().map_err(|e| e.to_string())?;
        let url = format!(
            "{}/services/oauth2/authorize",
            login_url.trim_end_matches('/')
        );
        let response = http
            .head(url)
            .send_logged()
            .await
            .map_err(|e| crate::transport::Transport::of(&e).code().to_string())?;
        response
            .headers()
            .get("date")
            .and_then(|d| d.to_str().ok())
            .and_then(crate::clock::parse_http_date)
            .ok_or_else(|| "no Date header".to_string())
    };
    let theirs = crate::commands::runtime()
        .map_err(|e| e.to_string())
        .and_then(|runtime| runtime.block_on(asked));
    let ours = crate::clock::now_ms() / 1000;
    match theirs {
        Ok(theirs) => {
            json!({"against": login_url, "skew_secs": i64::try_from(ours).unwrap_or(0) - i64::try_from(theirs).unwrap_or(0)})
        }
        Err(why) => json!({"against": login_url, "error": why}),
    }
}
