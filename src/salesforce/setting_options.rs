//! The options of the settings that are choices, numbers or periods: Setup's labels with the
//! values metadata and SOQL use for them. Split from `settings` so each file stays short.

use crate::salesforce::settings::SettingKey;

pub const PERMITTED_SELF: &str = "All users can self-authorize";
pub const PERMITTED_ADMIN: &str = "Admin approved users are pre-authorized";

/// IP Relaxation option labels as Setup words them: Salesforce Help "Connected App IP Relaxation
/// and Continuous IP Enforcement" (connected_app_continuous_ip, current version; its API 198
/// edition called the third "Relax IP restrictions with second factor"). That the ECA Policies
/// tab shows these same labels is UNCONFIRMED (docs/unconfirmed.md); "Relax IP restrictions" is
/// the label users quote for ECAs (field-facts-2026.md: claude-ai-mcp#171, #626).
pub const IP_RELAXATION: &[&str] = &[
    "Enforce IP restrictions",
    "Enforce IP restrictions, but relax for refresh tokens",
    "Relax IP restrictions for activated devices",
    "Relax IP restrictions",
];

/// Each IP Relaxation label with its `ecaOauthPlcy.ipRelaxationPolicyType` value, which is
/// also what SOQL reads from `ExtlClntAppOauthPlcyCnfg.IpRelaxationPolicyType` (Metadata API
/// ExtlClntAppOauthConfigurablePolicies; reference/eca-setup-and-metadata.md §IP Relaxation).
pub const IP_RELAXATION_VALUES: &[(&str, &str)] = &[
    (IP_RELAXATION[0], "Enforce"),
    (IP_RELAXATION[1], "Enforce_RelaxRefresh"),
    (IP_RELAXATION[2], "Bypass_2factor"),
    (IP_RELAXATION[3], "Bypass"),
];

/// Each Permitted Users label with its `ecaOauthPlcy.permittedUsersPolicyType` value (Metadata
/// API ExtlClntAppOauthConfigurablePolicies).
pub const PERMITTED_USERS_VALUES: &[(&str, &str)] = &[
    (PERMITTED_SELF, "AllSelfAuthorized"),
    (PERMITTED_ADMIN, "AdminApprovedPreAuthorized"),
];

fn option_values(key: SettingKey) -> &'static [(&'static str, &'static str)] {
    match key {
        SettingKey::IpRelaxation => IP_RELAXATION_VALUES,
        SettingKey::PermittedUsers => PERMITTED_USERS_VALUES,
        SettingKey::RefreshTokenPolicy => REFRESH_POLICY_VALUES,
        _ => &[],
    }
}

/// Setup's label for the metadata (or SOQL) value of a choice setting: `Bypass` is
/// "Relax IP restrictions". None for a value the table doesn't know.
pub fn option_label(key: SettingKey, value: &str) -> Option<&'static str> {
    option_values(key)
        .iter()
        .find(|(_, v)| v.eq_ignore_ascii_case(value))
        .map(|(label, _)| *label)
}

/// The metadata value of Setup's option `label` of a choice setting.
pub fn option_value(key: SettingKey, label: &str) -> Option<&'static str> {
    option_values(key)
        .iter()
        .find(|(l, _)| l.eq_ignore_ascii_case(label))
        .map(|(_, value)| *value)
}

/// Refresh token policy labels; only the "specific time" wording is confirmed for ECAs.
pub const REFRESH_POLICY: &[&str] = &[
    "Refresh token is valid until revoked",
    "Immediately expire refresh token",
    "Expire refresh token if not used for n",
    "Expire refresh token after a specific time",
];

/// Each Refresh Token Policy label with its `ecaOauthPlcy.refreshTokenPolicyType` value
/// (Metadata API ExtlClntAppOauthConfigurablePolicies: `Infinite`, `Zero`,
/// `SpecificInactivity`, `SpecificLifetime`; reference/eca-setup-and-metadata.md §1.5).
pub const REFRESH_POLICY_VALUES: &[(&str, &str)] = &[
    (REFRESH_POLICY[0], "Infinite"),
    (REFRESH_POLICY[1], "Zero"),
    (REFRESH_POLICY[2], "SpecificInactivity"),
    (REFRESH_POLICY[3], "SpecificLifetime"),
];

/// The policies that take a period (`refresh-token-validity`).
pub const REFRESH_POLICY_WITH_PERIOD: &[&str] = &[REFRESH_POLICY[2], REFRESH_POLICY[3]];

/// `refreshTokenValidityUnit`'s values (`Hours`, `Days`, `Months`; Metadata API
/// ExtlClntAppOauthConfigurablePolicies), as a recipe spells them.
pub const PERIOD_UNITS: &[&str] = &["hours", "days", "months"];

/// Session Timeout in Minutes (`ecaOauthPlcy.sessionTimeoutInMinutes`, an integer). The
/// metadata reference gives no allowed values; these are the Connected App "Timeout Value"
/// choices (15 minutes to 24 hours), taken as the ECA's too: UNCONFIRMED (docs/unconfirmed.md).
pub const SESSION_TIMEOUT_MINUTES: &[u32] = &[15, 30, 60, 120, 240, 480, 720, 1440];

/// A `"N unit"` period as (N, the metadata unit `Hours`/`Days`/`Months`); None when malformed.
pub fn parse_period(text: &str) -> Option<(u32, &'static str)> {
    let (count, unit) = text.trim().split_once(' ')?;
    let count: u32 = count.parse().ok().filter(|n| *n > 0)?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.strip_suffix('s').unwrap_or(&unit);
    let metadata = match unit {
        "hour" => "Hours",
        "day" => "Days",
        "month" => "Months",
        _ => return None,
    };
    Some((count, metadata))
}

/// How a certificate made in Setup leaves it: its public certificate for the app (the
/// certificate's Download Certificate), or Certificate and Key Management's Export to Keystore,
/// which writes every certificate and private key of the org into one Java keystore (Salesforce
/// Help, "Export and Import Certificates with a Keystore").
pub const CERTIFICATE_EXPORTS: &[&str] = &["Download Certificate", "Export to Keystore"];

/// What an admin must know about a setting's value that Setup doesn't say where it is set.
pub fn caution(key: SettingKey, value: &str) -> Option<&'static str> {
    match (key, value) {
        (SettingKey::CertificateExport, "Export to Keystore") => Some(
            "the keystore holds every certificate and private key of the org, not only this one: hand it only to a system trusted with all of them, and keep its password apart from it",
        ),
        _ => None,
    }
}
