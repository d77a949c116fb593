//! The integration user's license, profile and permission set license
//! (reference/deploy-and-mcp-apis.md §D; help `platform.integration_user`).

/// The profile of the Salesforce Integration user license.
pub const INTEGRATION_PROFILE: &str = "Minimum Access - API Only Integrations";
/// Its permission set license ("Salesforce API Integration"), by DeveloperName.
pub const INTEGRATION_PSL: &str = "SalesforceAPIIntegrationPsl";
