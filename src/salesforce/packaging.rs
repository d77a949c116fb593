//! What a subscriber org does with an External Client App a vendor ships in a package: the
//! package version id it installs, the install link, and which of the app's settings are the
//! subscriber's to change.
//!
//! Sources: Salesforce Help "OAuth Plugin Enablement with Metadata API"
//! (xcloud.meta_enable_oauth_plugin.htm): settings files are "configured by the external client
//! app developer", policies files "by the external client app subscriber", and a change to the
//! global settings "affects all instances where the external client app is deployed";
//! reference/eca-setup-and-metadata.md §4.10 ("Policies are never packaged. The subscriber admin
//! owns them"); Tooling API `PackageInstallRequest` (API 41.0+), whose
//! `SubscriberPackageVersionKey` is the "04t" id; install links of the form
//! `https://login.salesforce.com/packaging/installPackage.apexp?p0=04t...` published by package
//! vendors (e.g. SFDO-Community/GrassrootsSurveySalesforcePackage release notes).

use crate::salesforce::settings::{self, SettingKey};

/// The key prefix of a subscriber package version (Tooling API `SubscriberPackageVersion`;
/// `sf package install --package` "ID (starts with 04t)").
pub const VERSION_PREFIX: &str = "04t";

/// The path of Setup's package installer; `p0` takes the version id.
pub const INSTALL_PATH: &str = "/packaging/installPackage.apexp?p0=";

/// A package version id: `04t` then 12 (15 in all) or 15 (18 in all) letters and digits, the
/// 18-character form with its case checksum right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageVersionId(String);

impl PackageVersionId {
    /// Checks the form; the error says what is wrong in words an admin can act on.
    pub fn parse(text: &str) -> Result<PackageVersionId, String> {
        let text = text.trim();
        if !text.starts_with(VERSION_PREFIX) {
            return Err(format!(
                "'{text}' is not a package version id: those start with {VERSION_PREFIX} (the install link's p0=...)"
            ));
        }
        if !(text.len() == 15 || text.len() == 18)
            || !text.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(format!(
                "'{text}' is not a package version id: it has 15 or 18 letters and digits"
            ));
        }
        if text.len() == 18 && text[15..] != checksum(&text[..15]) {
            return Err(format!(
                "'{text}' is not a package version id: its last three characters don't match the first fifteen (a letter's case changed?); copy it again from the install link"
            ));
        }
        Ok(PackageVersionId(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 18-character form, which the Tooling API answers with.
    pub fn long(&self) -> String {
        if self.0.len() == 18 {
            self.0.clone()
        } else {
            format!("{}{}", self.0, checksum(&self.0))
        }
    }

    /// Whether two ids name the same version (15 and 18 character forms compare equal).
    pub fn same(&self, other: &str) -> bool {
        PackageVersionId::parse(other).is_ok_and(|o| o.long() == self.long())
    }
}

/// The three characters Salesforce appends to a 15-character id: for each five characters, the
/// positions of the upper-case letters as a 5-bit number, spelled A-Z then 0-5.
fn checksum(id15: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    id15.as_bytes()
        .chunks(5)
        .map(|chunk| {
            let bits = chunk
                .iter()
                .enumerate()
                .filter(|(_, b)| b.is_ascii_uppercase())
                .fold(0usize, |acc, (i, _)| acc | (1 << i));
            char::from(ALPHABET[bits])
        })
        .collect()
}

/// The install link in the admin's own org: the My Domain URL, Setup's installer, the id.
/// Vendors publish it on login.salesforce.com or test.salesforce.com; the My Domain form skips
/// the extra sign-in (that it takes the same path there is UNCONFIRMED, docs/unconfirmed.md).
pub fn install_url(my_domain_url: &str, id: &PackageVersionId) -> String {
    format!(
        "{}{INSTALL_PATH}{}",
        my_domain_url.trim_end_matches('/'),
        id.as_str()
    )
}

/// Whether a subscriber org's admin sets this on an installed app (or in their own org): the
/// policies, the integration user and its permission set, org-wide settings. What the vendor's
/// app carries (its name, callbacks, scopes, flows, security toggles) is the developer's.
pub fn subscriber_may_set(key: SettingKey) -> bool {
    let Some(info) = settings::lookup(key) else {
        return false;
    };
    let developer = ["eca.", "ecaOauth.", "ecaGlblOauth."];
    let packaged = info
        .metadata
        .is_some_and(|m| developer.iter().any(|d| m.starts_with(d)));
    let app_page = ["New External Client App", "API (Enable OAuth Settings)"]
        .iter()
        .any(|s| info.section.starts_with(s));
    !packaged && !app_page
}

/// The subscriber's own setting that does what a developer-side one would, when there is one:
/// what "did you mean" offers.
pub fn subscriber_equivalent(key: SettingKey) -> Option<SettingKey> {
    match key {
        SettingKey::EnableClientCredentials => Some(SettingKey::PolicyClientCredentials),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_ids_in_both_lengths_with_their_checksum() {
        // From a vendor's published install link (GrassrootsSurveySalesforcePackage 0.4.0.5).
        let long = PackageVersionId::parse("04t6g000008joioAAA").unwrap();
        assert_eq!(long.long(), "04t6g000008joioAAA");
        let short = PackageVersionId::parse("04t6g000008joio").unwrap();
        assert_eq!(short.long(), "04t6g000008joioAAA");
        assert!(short.same("04t6g000008joioAAA"));
        // sf package install's own example.
        assert!(PackageVersionId::parse("04t6A0000004eytQAA").is_ok());
        assert!(PackageVersionId::parse("04t6g000008joioAAB").is_err());
        assert!(PackageVersionId::parse("0Ho6g000008joioAAA").is_err());
        assert!(PackageVersionId::parse("04t6g000008jo").is_err());
        assert!(PackageVersionId::parse("04t6g000008jo-oAAA").is_err());
    }

    #[test]
    fn subscribers_set_policies_not_the_developers_settings() {
        for key in [
            SettingKey::PermittedUsers,
            SettingKey::SelectedPermissionSets,
            SettingKey::SelectedProfiles,
            SettingKey::IpRelaxation,
            SettingKey::RefreshTokenPolicy,
            SettingKey::RunAsUser,
            SettingKey::PolicyClientCredentials,
            SettingKey::ApiEnabled,
        ] {
            assert!(subscriber_may_set(key), "{key:?}");
        }
        for key in [
            SettingKey::CallbackUrl,
            SettingKey::OauthScopes,
            SettingKey::RequirePkce,
            SettingKey::EnableClientCredentials,
            SettingKey::EnableTokenExchange,
            SettingKey::AppName,
            SettingKey::AccessTokenParameter,
        ] {
            assert!(!subscriber_may_set(key), "{key:?}");
        }
    }

    #[test]
    fn the_install_link_is_on_the_orgs_my_domain() {
        let id = PackageVersionId::parse("04t6g000008joioAAA").unwrap();
        assert_eq!(
            install_url("https://acme.my.salesforce.com/", &id),
            "https://acme.my.salesforce.com/packaging/installPackage.apexp?p0=04t6g000008joioAAA"
        );
    }
}
