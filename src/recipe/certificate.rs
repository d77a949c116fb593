//! A certificate made in Setup: some JWT guides have the admin create a self-signed certificate
//! in Certificate and Key Management (Salesforce Help, "Generate a Self-Signed Certificate")
//! and download it for the app, or export it to a keystore for the client that signs. The
//! step is the admin's (apply doesn't make certificates), so the rule keeps it coherent.

use crate::recipe::check::{Findings, at};
use crate::recipe::model::{Recipe, SettingValue, StepKind};
use crate::salesforce::Flow;
use crate::salesforce::settings::SettingKey;

const CERTIFICATE_KEYS: [SettingKey; 2] =
    [SettingKey::CertificateLabel, SettingKey::CertificateExport];

/// A certificate step goes with JWT bearer and names the certificate's label; the certificate
/// settings sit on that step.
pub(crate) fn check_setup_certificate(recipe: &Recipe, findings: &mut Findings) {
    for (i, step) in recipe.steps.iter().enumerate() {
        let is_certificate = step.kind == StepKind::Certificate;
        for (j, setting) in step.settings.iter().enumerate() {
            if CERTIFICATE_KEYS.contains(&setting.key) && !is_certificate {
                at(
                    findings,
                    format!("steps.{i}.settings.{j}.key"),
                    format!(
                        "setting '{}' belongs on a certificate step (Certificate and Key Management)",
                        setting.key.id()
                    ),
                );
            }
        }
        if !is_certificate {
            continue;
        }
        if recipe.flow != Flow::JwtBearer {
            at(
                findings,
                format!("steps.{i}.kind"),
                format!(
                    "a certificate step is for the JWT bearer flow, and this recipe's flow is {}; give the step `when = \"flow=jwt-bearer\"` or remove it",
                    recipe.flow.id()
                ),
            );
        }
        let label = step
            .settings
            .iter()
            .find(|s| s.key == SettingKey::CertificateLabel);
        let blank = matches!(label.and_then(|s| s.value.as_ref()), Some(SettingValue::Text(t)) if t.trim().is_empty());
        if label.is_none() || blank {
            at(
                findings,
                format!("steps.{i}.settings"),
                "a certificate step names the certificate: a certificate-label setting with the guide's label",
            );
        }
    }
}
