//! Callback URLs: what Salesforce will redirect to after a login, and the loopback URLs the
//! wizard registers so it can prove the connection itself.

/// The whole Callback URL box is limited to 2000 characters (reference §1.4).
pub const MAX_CALLBACK_FIELD_LEN: usize = 2000;

/// Loopback callbacks the wizard listens on, first free port wins. Three, because Salesforce
/// matches `redirect_uri` exactly and a port may be busy on the admin's machine.
pub const WIZARD_CALLBACK_PORTS: [u16; 3] = [7717, 7718, 7719];
pub const WIZARD_CALLBACK_PATH: &str = "/callback";

/// The wizard's own callback URLs, in the order it tries to bind them.
pub fn wizard_callback_urls() -> Vec<String> {
    WIZARD_CALLBACK_PORTS
        .iter()
        .map(|port| format!("http://localhost:{port}{WIZARD_CALLBACK_PATH}"))
        .collect()
}

/// One callback URL: https anywhere, or http on a loopback host only.
pub fn check_callback_url(url: &str) -> Result<(), String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("Enter a callback URL, e.g. https://app.example.com/oauth/callback".into());
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("A callback URL can't contain spaces; put each URL on its own line".into());
    }
    if !url.is_ascii() {
        return Err("A callback URL must be plain ASCII; percent-encode other characters".into());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Err(format!(
            "'{}' needs https://, e.g. https://{}",
            clip(url),
            clip(url)
        ));
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    if authority.is_empty() {
        return Err("The callback URL has no host".into());
    }
    if authority.contains('@') {
        return Err("Remove the user name and password from the callback URL".into());
    }
    if url.contains(['<', '>']) {
        return Err(format!(
            "Replace the <placeholder> in {} with your own value",
            clip(url)
        ));
    }
    if rest.contains('#') {
        return Err("A callback URL can't contain a #fragment (OAuth forbids it)".into());
    }
    let host = host_of(authority);
    match scheme.to_ascii_lowercase().as_str() {
        "https" => Ok(()),
        "http" if is_loopback_host(host) => Ok(()),
        "http" => Err(format!(
            "Use https:// for {host}; plain http is only allowed on localhost, 127.0.0.1 or [::1]"
        )),
        // A desktop client's own scheme (RFC 8252 §7.1): Salesforce's hosted MCP guide
        // registers cursor://anysphere.cursor-mcp/oauth/callback for Cursor.
        other if is_private_scheme(other) => Ok(()),
        other => Err(format!(
            "'{other}://' is not supported here; use https://, http:// on localhost, or a desktop app's own scheme such as cursor://"
        )),
    }
}

/// A scheme an installed app registers for itself; schemes browsers give other meanings to
/// (scripts, files, data) never are.
fn is_private_scheme(scheme: &str) -> bool {
    const BROWSER_SCHEMES: &[&str] = &[
        "javascript",
        "data",
        "file",
        "vbscript",
        "blob",
        "about",
        "ftp",
        "ws",
        "wss",
        "mailto",
        "chrome",
        "view-source",
    ];
    scheme.starts_with(|c: char| c.is_ascii_lowercase())
        && scheme
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
        && !BROWSER_SCHEMES.contains(&scheme)
}

/// The Callback URL box: one URL per line, no duplicates, within Salesforce's length limit.
pub fn check_callback_urls(text: &str) -> Result<Vec<String>, String> {
    // Each URL with the line it is on, counting blank lines, so "Line 3" is the third line.
    let numbered: Vec<(usize, &str)> = text
        .lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    let urls: Vec<String> = numbered.iter().map(|(_, l)| l.to_string()).collect();
    if urls.is_empty() {
        return Err("Enter at least one callback URL (one per line)".into());
    }
    let joined_len = urls
        .iter()
        .map(|u| u.len() + 1)
        .sum::<usize>()
        .saturating_sub(1);
    if joined_len > MAX_CALLBACK_FIELD_LEN {
        return Err(format!(
            "The Callback URL box holds at most {MAX_CALLBACK_FIELD_LEN} characters; these take {joined_len}"
        ));
    }
    for (i, (line, url)) in numbered.iter().enumerate() {
        check_callback_url(url).map_err(|e| format!("Line {line}: {e}"))?;
        if urls[..i].iter().any(|u| u == url) {
            return Err(format!("Line {line}: {} is listed twice", clip(url)));
        }
    }
    Ok(urls)
}

fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority
            .split_once(']')
            .map_or(authority, |(h, _)| &authority[..h.len() + 1]);
    }
    authority.rsplit_once(':').map_or(authority, |(h, _)| h)
}

/// Whether a callback URL is one of the wizard's own (a loopback URL on one of its ports), not
/// a local tool's such as Claude Code's.
pub fn is_wizard_callback(url: &str) -> bool {
    is_loopback_url(url)
        && WIZARD_CALLBACK_PORTS
            .iter()
            .any(|port| url.contains(&format!(":{port}{WIZARD_CALLBACK_PATH}")))
}

/// Whether a callback URL points at this machine (the wizard's own check, or a local tool).
pub fn is_loopback_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    is_loopback_host(host_of(authority))
}

fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "localhost" || host == "127.0.0.1" || host == "[::1]"
}

fn clip(text: &str) -> String {
    text.chars().take(60).collect()
}
