//! What Salesforce accepts for the names and addresses an admin types into Setup: the ECA's
//! name and API name, a contact email, a username. Every problem says what to change.

/// API names and labels: Salesforce documents no ECA-specific maximum (UNCONFIRMED,
/// reference/eca-setup-and-metadata.md §3); 80 is the limit of comparable DeveloperName fields.
pub const MAX_NAME_LEN: usize = 80;
/// RFC 5321's limit for a whole address.
const MAX_EMAIL_LEN: usize = 254;

/// A rule of Salesforce's API-name check that the input breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiNameRule {
    Empty,
    TooLong,
    Space,
    Character(char),
    FirstNotLetter,
    TrailingUnderscore,
    DoubleUnderscore,
}

/// An API name that Salesforce would refuse, with a name it would accept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{}", rule_message(.rule), suggestion_message(.suggestion))]
pub struct ApiNameProblem {
    pub rule: ApiNameRule,
    pub suggestion: Option<String>,
}

fn rule_message(rule: &ApiNameRule) -> String {
    match rule {
        ApiNameRule::Empty => "API Name is required".into(),
        ApiNameRule::TooLong => format!("API Name must be at most {MAX_NAME_LEN} characters"),
        ApiNameRule::Space => "API Name can't contain spaces".into(),
        ApiNameRule::Character(c) if c.is_ascii_graphic() => {
            format!("API Name can only use letters, digits and underscores, not '{c}'")
        }
        ApiNameRule::Character(c) => format!(
            "API Name can only use letters, digits and underscores, not U+{:04X}",
            u32::from(*c)
        ),
        ApiNameRule::FirstNotLetter => "API Name must begin with a letter".into(),
        ApiNameRule::TrailingUnderscore => "API Name can't end with an underscore".into(),
        ApiNameRule::DoubleUnderscore => "API Name can't contain two underscores in a row".into(),
    }
}

fn suggestion_message(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map_or_else(String::new, |s| format!("; try {s}"))
}

/// Checks an API name against Salesforce's rules. The suggestion is derived from the name
/// itself, or from `app_name` when the API name is empty.
pub fn check_api_name(api_name: &str, app_name: &str) -> Result<(), ApiNameProblem> {
    let rule = api_name_rule(api_name);
    match rule {
        None => Ok(()),
        Some(rule) => {
            let base = if api_name.trim().is_empty() {
                app_name
            } else {
                api_name
            };
            let suggestion = Some(suggest_api_name(base)).filter(|s| api_name_rule(s).is_none());
            Err(ApiNameProblem { rule, suggestion })
        }
    }
}

fn api_name_rule(name: &str) -> Option<ApiNameRule> {
    if name.is_empty() {
        return Some(ApiNameRule::Empty);
    }
    if name.chars().count() > MAX_NAME_LEN {
        return Some(ApiNameRule::TooLong);
    }
    if name.chars().any(char::is_whitespace) {
        return Some(ApiNameRule::Space);
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(ApiNameRule::Character(c));
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Some(ApiNameRule::FirstNotLetter);
    }
    if name.ends_with('_') {
        return Some(ApiNameRule::TrailingUnderscore);
    }
    if name.contains("__") {
        return Some(ApiNameRule::DoubleUnderscore);
    }
    None
}

/// The API name Setup would propose for an app name, made valid: spaces and punctuation become
/// single underscores, other characters are dropped, and a leading digit gets an `App_` prefix.
pub fn suggest_api_name(app_name: &str) -> String {
    let mut out = String::new();
    for c in app_name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || c.is_ascii_punctuation()) && !out.ends_with('_') {
            out.push('_');
        }
    }
    let mut name = out.trim_matches('_').to_string();
    if name.is_empty() {
        name = "App".to_string();
    } else if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("App_{name}");
    }
    name.truncate(MAX_NAME_LEN);
    name.trim_end_matches('_').to_string()
}

/// The External Client App Name: free text, shown in the manager.
pub fn check_app_name(name: &str) -> Result<(), String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("External Client App Name is required, e.g. 'Acme Sync'".into());
    }
    if trimmed.chars().count() > MAX_NAME_LEN {
        return Err(format!(
            "External Client App Name must be at most {MAX_NAME_LEN} characters (it has {})",
            trimmed.chars().count()
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err("External Client App Name can't contain tabs or line breaks".into());
    }
    Ok(())
}

/// A contact email: one `@`, a dotted domain, no spaces.
pub fn check_email(email: &str) -> Result<(), String> {
    check_address(email, "Contact Email", "you@company.com")
}

/// Salesforce usernames have the form of an email address, though no mailbox need exist.
pub fn check_username(username: &str) -> Result<(), String> {
    check_address(username, "Username", "integration@company.com.prod")
}

fn check_address(value: &str, what: &str, example: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{what} is required, e.g. {example}"));
    }
    if value.len() > MAX_EMAIL_LEN {
        return Err(format!("{what} must be at most {MAX_EMAIL_LEN} characters"));
    }
    if value.chars().any(char::is_whitespace) {
        return Err(format!("{what} can't contain spaces"));
    }
    if !value.is_ascii() {
        return Err(format!(
            "{what} must use plain ASCII letters (no accents or emoji)"
        ));
    }
    let Some((local, domain)) = value.split_once('@') else {
        return Err(format!("{what} needs an @, e.g. {example}"));
    };
    if local.is_empty() {
        return Err(format!("{what} needs a name before the @, e.g. {example}"));
    }
    if domain.contains('@') {
        return Err(format!("{what} can contain only one @"));
    }
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !domain.contains('.') || !labels_ok {
        return Err(format!(
            "{what} needs a domain after the @ such as company.com"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_is_always_valid() {
        for name in [
            "Acme Sync",
            "  ",
            "3rd party",
            "Ünïcode App",
            "a--b__c",
            "x_",
            "中文",
        ] {
            let suggestion = suggest_api_name(name);
            assert_eq!(api_name_rule(&suggestion), None, "{name} -> {suggestion}");
        }
    }
}
