//! The name of each connection check: typed here, written as its wire name, the same string in
//! the CLI's lines, the `--json` output and the screens.

use std::fmt;

use serde::{Serialize, Serializer};

/// Which check a result is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CheckName {
    /// A token came back from the grant.
    Token,
    /// The access token is a JWT (hosted MCP).
    TokenFormat,
    Identity,
    Scopes,
    RefreshToken,
    Refresh,
    RestApi,
    /// One object the recipe reads.
    Object(ObjectCheck),
    McpServer,
    McpCall,
    /// `status`: the refreshed tokens were kept in the profile's store.
    Keep,
}

/// An object check: its wire name `object:<Name>` kept whole, so every name reads as a `&str`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectCheck(String);

const OBJECT_PREFIX: &str = "object:";

impl ObjectCheck {
    /// The object's API name.
    pub fn object(&self) -> &str {
        self.0.get(OBJECT_PREFIX.len()..).unwrap_or_default()
    }
}

impl CheckName {
    /// The check that `object` can be read.
    pub fn object(object: &str) -> CheckName {
        CheckName::Object(ObjectCheck(format!("{OBJECT_PREFIX}{object}")))
    }

    /// The wire name.
    pub fn as_str(&self) -> &str {
        match self {
            CheckName::Token => "token",
            CheckName::TokenFormat => "token_format",
            CheckName::Identity => "identity",
            CheckName::Scopes => "scopes",
            CheckName::RefreshToken => "refresh_token",
            CheckName::Refresh => "refresh",
            CheckName::RestApi => "rest_api",
            CheckName::Object(check) => &check.0,
            CheckName::McpServer => "mcp_server",
            CheckName::McpCall => "mcp_call",
            CheckName::Keep => "keep",
        }
    }
}

impl fmt::Display for CheckName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `pad`: a width in the format (the connect screen's column) applies.
        f.pad(self.as_str())
    }
}

impl Serialize for CheckName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<str> for CheckName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CheckName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_are_the_strings_output_always_had() {
        let names = [
            (CheckName::Token, "token"),
            (CheckName::TokenFormat, "token_format"),
            (CheckName::Identity, "identity"),
            (CheckName::Scopes, "scopes"),
            (CheckName::RefreshToken, "refresh_token"),
            (CheckName::Refresh, "refresh"),
            (CheckName::RestApi, "rest_api"),
            (CheckName::object("Account"), "object:Account"),
            (CheckName::McpServer, "mcp_server"),
            (CheckName::McpCall, "mcp_call"),
            (CheckName::Keep, "keep"),
        ];
        for (name, wire) in names {
            assert_eq!(name.to_string(), wire);
            assert_eq!(serde_json::to_string(&name).unwrap(), format!("\"{wire}\""));
            assert_eq!(name, wire);
        }
        assert_eq!(format!("{:<10}|", CheckName::Scopes), "scopes    |");
        let CheckName::Object(check) = CheckName::object("Case") else {
            panic!("an object check");
        };
        assert_eq!(check.object(), "Case");
    }
}
