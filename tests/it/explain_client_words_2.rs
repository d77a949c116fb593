//! `explain` reads the words of more clients around a Salesforce failure, as their sources write
//! them (assets/catalogue/clients.toml, second part): Airbyte's Salesforce source, the force CLI,
//! tap-salesforce, the Mobile SDK for Android, nforce, force-rest-api and salesforce-bulk. Each
//! message is the client's template filled with plausible values; where a client wraps
//! Salesforce's own answer, Salesforce's code leads.

use eca_wizard::commands::explain::{NOTHING_FOUND, explain};
use eca_wizard::salesforce::diagnosis::Kind;

use crate::explain_client_words::reads;

#[test]
fn airbyte_salesforce_source_messages() {
    reads(
        "Config error: The authentication to SalesForce has expired. Re-authenticate to restore access to SalesForce.",
        "airbyte_refresh_token_expired",
        Kind::UserAction,
        "authenticate with Salesforce again",
    );
    reads(
        "Salesforce rejected the JWT assertion. Check that the Private Key matches the certificate uploaded to the connected app's \"Use digital signatures\" setting, and that the Client ID is that app's Consumer Key.",
        "airbyte_jwt_assertion_rejected",
        Kind::Misconfigured,
        "certificate",
    );
    reads(
        "Salesforce rejected the JWT assertion audience. Set the Sandbox option to match the org you are connecting to: sandboxes authenticate against test.salesforce.com, production orgs against login.salesforce.com.",
        "airbyte_jwt_audience",
        Kind::Misconfigured,
        "Sandbox option",
    );
    reads(
        "Salesforce does not recognize the configured Username. Enter the exact Salesforce username the connector should authenticate as.",
        "airbyte_jwt_unknown_user",
        Kind::Misconfigured,
        "exact Salesforce username",
    );
    reads(
        "The configured Username is not authorized for the connected app. Set the app's OAuth policy to \"Admin approved users are pre-authorized\" and assign the user through a permission set or profile.",
        "airbyte_jwt_user_not_approved",
        Kind::Misconfigured,
        "pre-authorized",
    );
    reads(
        "Unable to sync 'FeedItem'. Grant the authenticated user the \"View All Data\" permission.",
        "airbyte_view_all_data",
        Kind::Misconfigured,
        "View All",
    );
    reads(
        "Salesforce API key has reached its 24h limit. Replication will resume after the limit window elapses.",
        "airbyte_bulk_daily_limit",
        Kind::Transient,
        "System Overview",
    );
}

#[test]
fn airbytes_login_wrapper_gives_way_to_salesforces_answer() {
    reads(
        "Salesforce login error: {\"error\":\"invalid_grant\",\"error_description\":\"authentication failure\"}",
        "invalid_grant",
        Kind::UserAction,
        "password",
    );
    // Without an answer the wrapper itself is read.
    reads(
        "Salesforce login error: b''",
        "airbyte_login_error",
        Kind::Misconfigured,
        "authenticate the source again",
    );
}

#[test]
fn force_cli_messages() {
    for text in [
        "ERROR: Failed to refresh session.  Please run `force login`.",
        "Unable to refresh.  Please run `force login`.",
        "authorization expired, please run `force login`",
        "Please login before running this command.",
    ] {
        reads(
            text,
            "force_cli_session_expired",
            Kind::UserAction,
            "force login",
        );
    }
    reads(
        "Getting a 405 error. If you are using the my domain feature and the instance flag, please check that your url matches the url on the My Domain setup page in your org.",
        "force_cli_soap_405",
        Kind::Misconfigured,
        "my.salesforce.com",
    );
    reads(
        "Unable to query scratch orgs.  You must be logged into a Dev Hub org.",
        "force_cli_dev_hub_required",
        Kind::UserAction,
        "Dev Hub",
    );
    reads(
        "Error: authorization failed: expired_token",
        "force_cli_device_code_expired",
        Kind::UserAction,
        "--device-flow",
    );
}

#[test]
fn tap_salesforce_quota_guards() {
    reads(
        "TapSalesforceQuotaExceededException: Salesforce has reported 14512/15000 (96.75%) total REST quota used across all Salesforce Applications. Terminating replication to not continue past configured percentage of 80.0% total quota.",
        "tap_total_quota_reached",
        Kind::Transient,
        "System Overview",
    );
    reads(
        "TapSalesforceQuotaExceededException: This replication job has made 3751 REST requests (25.01% of total quota). Terminating replication due to allotted quota of 25.0% per replication.",
        "tap_run_quota_reached",
        Kind::Misconfigured,
        "quota_percent_per_run",
    );
    // The tap's own Bulk refusal carries Salesforce's code, which leads.
    reads(
        "TapSalesforceBulkAPIDisabledException: This client does not have Bulk API permissions, received \"API_DISABLED_FOR_ORG\" error code",
        "API_DISABLED_FOR_ORG",
        Kind::Misconfigured,
        "API Enabled",
    );
}

#[test]
fn mobile_sdk_messages() {
    reads(
        "Your access token has been revoked by the administrator. You will now be logged out.",
        "msdk_token_revoked",
        Kind::UserAction,
        "OAuth Usage",
    );
    reads(
        "Error: Authentication only allowed from managed device.",
        "msdk_managed_device_only",
        Kind::Misconfigured,
        "MDM",
    );
}

#[test]
fn nforce_force_rest_api_and_salesforce_bulk_messages() {
    reads(
        "Error: invalid or missing redirectUri\n    at new Connection (node_modules/nforce/index.js:77:11)",
        "nforce_redirect_uri_missing",
        Kind::Misconfigured,
        "callback URL",
    );
    reads(
        "Error: Non-JSON response from Salesforce",
        "html_response_from_org",
        Kind::Misconfigured,
        "My Domain",
    );
    reads(
        "com.force.api.AuthException: Auth.oauthLoginPasswordFlow failed: {\"error\":\"invalid_client_id\",\"error_description\":\"client identifier invalid\"}",
        "invalid_client_id",
        Kind::Propagating,
        "10 minutes",
    );
    reads(
        "com.force.api.AuthException: soapLoginPasswordFlow failed",
        "force_rest_api_login_failed",
        Kind::UserAction,
        "security token",
    );
    reads(
        "java.lang.IllegalStateException: clientSecret cannot be null",
        "force_rest_api_config_missing",
        Kind::Misconfigured,
        "consumer secret",
    );
    reads(
        "RuntimeError: Must supply either sessionId/instance_url or username/password",
        "salesforce_bulk_no_credentials",
        Kind::Misconfigured,
        "sessionId",
    );
}

#[test]
fn a_word_of_these_phrases_alone_is_not_read() {
    // Each sentence shares words with a phrase above (login, quota, revoked, managed device,
    // Dev Hub, View All Data, expired token) but not the phrase.
    for text in [
        "Please login to the portal with your badge before the meeting.",
        "The team used most of its storage quota across all applications this month.",
        "Her badge was revoked by the administrator after she left.",
        "Only a managed device can join the office Wi-Fi.",
        "We set up a Dev Hub style page for the developers' documentation.",
        "The report shows all data the team collected in June.",
        "The gift card token expired before the shop opened.",
        "Re-authenticate with the VPN when the laptop wakes.",
    ] {
        let d = explain(text);
        assert_eq!(d.error, NOTHING_FOUND, "{text}: {d:?}");
    }
}
