//! The text of each export format. Masked secrets are absent here (`None`), never a mask.

use serde_json::json;

use super::Values;

pub fn render(format: &str, v: &Values<'_>) -> anyhow::Result<String> {
    Ok(match format {
        "env" => env(v),
        "json" => format!("{}\n", json_doc(v)),
        "sfdx-url" => sfdx_url(v),
        "postman" => format!("{}\n", serde_json::to_string_pretty(&postman(v))?),
        "sf-jwt" => sf_jwt(v),
        "mcp" => mcp(v)?,
        other => anyhow::bail!("unknown format {other}"),
    })
}

/// `SF_*` lines for a .env file or `export $(...)`; a masked secret is a comment.
fn env(v: &Values<'_>) -> String {
    let p = v.profile;
    let lines: [(&str, Option<&str>, &str); 6] = [
        ("SF_LOGIN_URL", Some(&p.login_url), ""),
        ("SF_INSTANCE_URL", Some(&v.instance), ""),
        ("SF_CLIENT_ID", Some(&p.client_id), ""),
        (
            "SF_CLIENT_SECRET",
            v.client_secret.as_deref(),
            "client_secret",
        ),
        (
            "SF_REFRESH_TOKEN",
            v.refresh_token.as_deref(),
            "refresh_token",
        ),
        ("SF_USERNAME", p.username.as_deref(), ""),
    ];
    let mut text = String::new();
    for (key, value, secret) in lines {
        match value {
            Some(value) => {
                text.push_str(&format!("{key}={}\n", crate::commands::shell::quote(value)));
            }
            None if v.masked.contains(&secret) => {
                text.push_str(&format!("# {key} is left out: add --reveal to write it\n"));
            }
            None => {}
        }
    }
    text
}

fn json_doc(v: &Values<'_>) -> serde_json::Value {
    let p = v.profile;
    json!({
        "login_url": p.login_url, "instance_url": v.instance, "client_id": p.client_id,
        "client_secret": v.client_secret, "refresh_token": v.refresh_token,
        "username": p.username, "masked": v.masked,
    })
}

/// `force://CLIENT_ID:CLIENT_SECRET:REFRESH_TOKEN@HOST` for `sf org login sfdx-url`; on a
/// terminal without --reveal the secrets show as a mask, for reading only.
fn sfdx_url(v: &Values<'_>) -> String {
    let host = v
        .instance
        .split_once("://")
        .map_or(v.instance.as_str(), |(_, rest)| rest)
        .trim_end_matches('/');
    // Stars only for what --reveal would show; a secret the app doesn't use stays empty, as
    // the Salesforce CLI writes it for a public client (`force://ID::TOKEN@HOST`).
    let shown = |value: &Option<String>, label: &str| match value {
        Some(value) => value.clone(),
        None if v.masked.contains(&label) => "********".into(),
        None => String::new(),
    };
    format!(
        "force://{}:{}:{}@{host}\n",
        v.profile.client_id,
        shown(&v.client_secret, "client_secret"),
        shown(&v.refresh_token, "refresh_token")
    )
}

/// A Postman environment (File > Import): the connection's values as variables, the secrets
/// of type `secret` and empty when masked.
fn postman(v: &Values<'_>) -> serde_json::Value {
    let p = v.profile;
    let var = |key: &str, value: Option<&str>, secret: bool| json!({"key": key, "value": value.unwrap_or_default(), "type": if secret { "secret" } else { "default" }, "enabled": true});
    let token_url = format!("{}/services/oauth2/token", v.instance.trim_end_matches('/'));
    json!({
        "name": format!("Salesforce {}", p.name),
        "values": [
            var("login_url", Some(&p.login_url), false),
            var("instance_url", Some(&v.instance), false),
            var("token_url", Some(&token_url), false),
            var("client_id", Some(&p.client_id), false),
            var("client_secret", v.client_secret.as_deref(), true),
            var("refresh_token", v.refresh_token.as_deref(), true),
            var("username", p.username.as_deref(), false),
        ],
        "_postman_variable_scope": "environment",
    })
}

/// The `sf org login jwt` command with the profile's values (the key stays a path).
fn sf_jwt(v: &Values<'_>) -> String {
    let p = v.profile;
    let q = crate::commands::shell::quote;
    format!(
        "sf org login jwt --client-id {} --jwt-key-file {} --username {} --instance-url {} --alias {}\n",
        q(&p.client_id),
        q(p.private_key_path.as_deref().unwrap_or("server.key")),
        q(p.username.as_deref().unwrap_or("USERNAME")),
        q(&v.instance),
        q(&p.name)
    )
}

/// The MCP client's configuration for the profile's MCP recipe: Cursor's mcp.json entry,
/// Claude Code's `claude mcp add` line, else the recipe's hand-off with the values filled in.
fn mcp(v: &Values<'_>) -> anyhow::Result<String> {
    let p = v.profile;
    let url = p.mcp_url.as_deref().unwrap_or_default();
    let port = p
        .callback_urls
        .iter()
        .filter_map(|u| url::Url::parse(u).ok())
        .find(|u| u.host_str() == Some("localhost"))
        .and_then(|u| u.port());
    Ok(match p.recipe.as_str() {
        // The recipe's hand-off: "url" and "auth": {"CLIENT_ID": ...} in mcp.json.
        "mcp-cursor" => format!(
            "{}\n",
            serde_json::to_string_pretty(
                &json!({"mcpServers": {"salesforce": {"url": url, "auth": {"CLIENT_ID": p.client_id}}}})
            )?
        ),
        "mcp-claude-code" => format!(
            "claude mcp add --transport http --client-id {} --callback-port {} salesforce {}\n",
            p.client_id,
            port.map_or("PORT".into(), |p| p.to_string()),
            crate::commands::shell::quote(url)
        ),
        _ => {
            let recipe = match v.recipe {
                Some(recipe) => recipe,
                None => crate::commands::failure::recipe_by_id(&p.recipe)?,
            };
            let filled = recipe
                .handoff
                .replace("CONSUMER_KEY", &p.client_id)
                .replace("the MCP server URL", url)
                .replace("MCP_SERVER_URL", url);
            format!(
                "Consumer Key: {}\nMCP server URL: {url}\n\n{filled}\n",
                p.client_id
            )
        }
    })
}
