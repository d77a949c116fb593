//! Field validators, named in recipes (`validator = "api-name"`). Each is pure: it reads the
//! text and answers with the value to keep (maybe normalised, with notes on what changed) or a
//! message that says what to fix. Messages never repeat a secret.

use serde::{Deserialize, Serialize};

use crate::salesforce::{callback, hosts, naming};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Validator {
    /// Any non-empty single line.
    Text,
    AppName,
    ApiName,
    Email,
    Username,
    /// The Callback URL box: several URLs, one per line.
    CallbackUrls,
    /// Production / sandbox / My Domain; any pasted Salesforce URL is normalised.
    LoginUrl,
    ConsumerKey,
    ConsumerSecret,
    /// A permission set's API name (same character rules as other API names).
    PermissionSetName,
    /// An https URL such as a vendor's site (trusted domains, logo).
    HttpsUrl,
    /// A path to a local file; existence is checked when it is used.
    FilePath,
    /// A PEM X.509 certificate file (read and checked when the step is confirmed).
    CertificateFile,
    /// A PEM RSA private key file, PKCS#8 or PKCS#1 (read and checked when the step is
    /// confirmed; never uploaded anywhere).
    PrivateKeyFile,
    /// A hosted MCP server URL (api.salesforce.com/platform/mcp/v1/...).
    McpServerUrl,
}

impl Validator {
    pub const ALL: [Validator; 15] = [
        Validator::Text,
        Validator::AppName,
        Validator::ApiName,
        Validator::Email,
        Validator::Username,
        Validator::CallbackUrls,
        Validator::LoginUrl,
        Validator::ConsumerKey,
        Validator::ConsumerSecret,
        Validator::PermissionSetName,
        Validator::HttpsUrl,
        Validator::FilePath,
        Validator::CertificateFile,
        Validator::PrivateKeyFile,
        Validator::McpServerUrl,
    ];

    /// The name recipes use for this validator.
    pub fn id(self) -> &'static str {
        match self {
            Validator::Text => "text",
            Validator::AppName => "app-name",
            Validator::ApiName => "api-name",
            Validator::Email => "email",
            Validator::Username => "username",
            Validator::CallbackUrls => "callback-urls",
            Validator::LoginUrl => "login-url",
            Validator::ConsumerKey => "consumer-key",
            Validator::ConsumerSecret => "consumer-secret",
            Validator::PermissionSetName => "permission-set-name",
            Validator::HttpsUrl => "https-url",
            Validator::FilePath => "file-path",
            Validator::CertificateFile => "certificate-file",
            Validator::PrivateKeyFile => "private-key-file",
            Validator::McpServerUrl => "mcp-server-url",
        }
    }

    /// What a file field must hold; the runtime reads it (the core does no I/O).
    pub fn file_kind(self) -> Option<crate::jwt::PemKind> {
        match self {
            Validator::CertificateFile => Some(crate::jwt::PemKind::Certificate),
            Validator::PrivateKeyFile => Some(crate::jwt::PemKind::PrivateKey),
            _ => None,
        }
    }
}

/// A value a validator accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub value: String,
    /// What was changed on the way, for the user to see.
    pub notes: Vec<String>,
}

/// Longest single-line value any field takes; longer input is a paste gone wrong.
const MAX_LINE: usize = 4096;
/// Consumer keys and secrets are under 256 characters (keys are about 85).
const MAX_CREDENTIAL: usize = 256;

impl Validator {
    /// Checks `input`. `app_name` is the answer to the app-name field, used to suggest an API
    /// name.
    pub fn check(self, input: &str, app_name: &str) -> Result<Accepted, String> {
        let kept = |value: &str| {
            Ok(Accepted {
                value: value.to_string(),
                notes: Vec::new(),
            })
        };
        if self != Validator::CallbackUrls && input.trim().chars().count() > MAX_LINE {
            return Err(format!(
                "That is {} characters long; this field takes a single short value",
                input.chars().count()
            ));
        }
        match self {
            Validator::Text => {
                let text = input.trim();
                if text.is_empty() {
                    return Err("This field is required".into());
                }
                if text.chars().any(char::is_control) {
                    return Err("Enter a single line without tabs or control characters".into());
                }
                kept(text)
            }
            Validator::AppName => naming::check_app_name(input).and_then(|()| kept(input.trim())),
            Validator::ApiName => naming::check_api_name(input, app_name)
                .map_err(|e| e.to_string())
                .and_then(|()| kept(input)),
            Validator::PermissionSetName => naming::check_api_name(input, input)
                .map_err(|e| e.to_string().replace("API Name", "Permission set API name"))
                .and_then(|()| kept(input)),
            Validator::Email => naming::check_email(input).and_then(|()| kept(input.trim())),
            Validator::Username => naming::check_username(input).and_then(|()| kept(input.trim())),
            Validator::CallbackUrls => callback::check_callback_urls(input).map(|urls| Accepted {
                value: urls.join("\n"),
                notes: Vec::new(),
            }),
            Validator::LoginUrl => hosts::normalize_login_url(input)
                .map(|n| Accepted {
                    value: n.host.url().to_string(),
                    notes: n.changes,
                })
                .map_err(|e| e.to_string()),
            Validator::ConsumerKey => check_credential(input, "Consumer Key").map(Into::into),
            Validator::ConsumerSecret => check_credential(input, "Consumer Secret").map(Into::into),
            Validator::HttpsUrl => check_https_url(input).and_then(|()| kept(input.trim())),
            Validator::McpServerUrl => {
                crate::salesforce::mcp::parse_server_url(input).map(|url| url.url().into())
            }
            Validator::FilePath | Validator::CertificateFile | Validator::PrivateKeyFile => {
                let path = input.trim();
                if path.is_empty() {
                    return Err("Enter the path to the file".into());
                }
                if path.chars().any(char::is_control) {
                    return Err("The path contains control characters; type it again".into());
                }
                kept(path)
            }
        }
    }
}

impl From<String> for Accepted {
    fn from(value: String) -> Self {
        Accepted {
            value,
            notes: Vec::new(),
        }
    }
}

/// Keys and secrets are copied with a button; what goes wrong is a missed character, a pasted
/// label, or a space. The message names the problem without echoing the value.
fn check_credential(input: &str, what: &str) -> Result<String, String> {
    let value = input.trim();
    if value.is_empty() {
        return Err(format!(
            "Paste the {what} (Settings tab > OAuth Settings > Consumer Key and Secret > Copy)"
        ));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(format!(
            "The {what} can't contain spaces or line breaks; copy it again with the Copy button"
        ));
    }
    if !value.chars().all(|c| c.is_ascii_graphic()) {
        return Err(format!(
            "The {what} contains characters Salesforce never uses; copy it again"
        ));
    }
    // What a cut-off display or a shortened copy leaves (UNCONFIRMED: no public source gives the
    // key's exact length, so only the visible signs of truncation are refused).
    if value.ends_with("...") || value.ends_with('…') {
        return Err(format!(
            "That {what} looks cut off (it ends in ...); copy it again with the Copy button"
        ));
    }
    if value.len() < 8 {
        return Err(format!(
            "That is too short for a {what}; copy the whole value"
        ));
    }
    if value.len() > MAX_CREDENTIAL {
        return Err(format!(
            "That is too long for a {what}; copy only the value"
        ));
    }
    Ok(value.to_string())
}

fn check_https_url(input: &str) -> Result<(), String> {
    let url = input.trim();
    let Some(rest) = url.strip_prefix("https://") else {
        return Err("Enter a full https:// address, e.g. https://app.example.com".into());
    };
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    if host.is_empty() || !host.contains('.') || url.chars().any(char::is_whitespace) {
        return Err(
            "Enter a full https:// address with a host, e.g. https://app.example.com".into(),
        );
    }
    Ok(())
}
