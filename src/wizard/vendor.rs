//! A format-2 recipe's vendor steps and Connected App notes as the checklist shows them: each
//! vendor field with its value taken from the app (the consumer key, the user...) or the org
//! (My Domain, Production or Sandbox), so the admin copies what the vendor's form asks for.
//! Vendor steps come after the app's credentials, where guides put them; the notes for a guide
//! written for a Connected App come on the first step (they name no step of their own).

use crate::recipe::format2::VendorStep;
use crate::recipe::{Recipe, Role, StepKind};
use crate::salesforce::hosts::{HostKind, normalize_login_url};
use crate::wizard::model::Model;
use crate::wizard::typed::Typed;

/// A vendor field's value as far as the wizard knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VendorValue {
    Known(String),
    /// A secret: shown masked unless revealed.
    Secret(String),
    /// Not known yet: what it will be.
    Later(String),
}

/// The step of the checklist that shows the vendor steps: the one with the credentials, else
/// the connect step, else the last.
pub fn vendor_step_index(recipe: &Recipe) -> Option<usize> {
    if recipe.vendor_steps.is_empty() {
        return None;
    }
    let at = |kind| recipe.steps.iter().position(|s| s.kind == kind);
    at(StepKind::Credentials)
        .or_else(|| at(StepKind::Connect))
        .or_else(|| recipe.steps.len().checked_sub(1))
}

impl Model {
    /// The vendor steps with their fields' values, on the step that shows them (none
    /// elsewhere).
    pub fn vendor_steps(&self, index: usize) -> Vec<(&VendorStep, Vec<(String, VendorValue)>)> {
        let Some(recipe) = self.recipe() else {
            return Vec::new();
        };
        if vendor_step_index(recipe) != Some(index) {
            return Vec::new();
        }
        recipe
            .vendor_steps
            .iter()
            .map(|step| {
                let fields = step
                    .fields
                    .iter()
                    .map(|f| (f.label.clone(), self.vendor_value(f)))
                    .collect();
                (step, fields)
            })
            .collect()
    }

    fn vendor_value(&self, field: &crate::recipe::format2::VendorField) -> VendorValue {
        if let Some(value) = &field.value {
            return VendorValue::Known(value.clone());
        }
        let from = field.from.as_deref().unwrap_or_default();
        match Role::ALL.iter().find(|r| r.id() == from) {
            Some(role) => self.role_value(*role),
            None => self.org_value(from),
        }
    }

    /// A field's value by role: as typed on this screen or confirmed; a secret from memory.
    fn role_value(&self, role: Role) -> VendorValue {
        let later = || VendorValue::Later(format!("the {}", role.id().replace('-', " ")));
        let Some(setup) = self.setup.as_ref() else {
            return later();
        };
        let Some(field) = setup.recipe.field_for(role) else {
            return later();
        };
        if field.secret {
            let on_show = self.screen.form().and_then(|form| {
                form.inputs
                    .iter()
                    .find(|i| i.field_id.as_deref() == Some(&field.id))
                    .map(|i| i.value().to_string())
            });
            let held = setup.secrets.get(&field.id).map(|s| s.expose().to_string());
            return match on_show.or(held).filter(|s| !s.is_empty()) {
                Some(secret) => VendorValue::Secret(secret),
                None => later(),
            };
        }
        let typed = Typed::new(setup, self.screen.form());
        typed
            .field(&field.id)
            .map_or_else(later, VendorValue::Known)
    }

    /// A value the org gives (`format2::ORG_SOURCES`): from the login URL, or the instance URL
    /// the last token came with.
    fn org_value(&self, from: &str) -> VendorValue {
        let login = self
            .setup
            .as_ref()
            .and_then(|s| s.login_url.as_deref())
            .and_then(|url| normalize_login_url(url).ok())
            .map(|n| n.host);
        let instance = self
            .connect
            .summary
            .as_ref()
            .and_then(|s| s.instance_url.clone());
        let my_domain = login
            .as_ref()
            .filter(|h| matches!(h.kind(), HostKind::MyDomain { .. }))
            .map(|h| h.url().to_string())
            .or_else(|| instance.clone());
        let value = match from {
            "my-domain-url" => my_domain,
            "my-domain-host" => my_domain.as_deref().map(|url| host_of(url).to_string()),
            "my-domain-name" => my_domain.as_deref().and_then(my_domain_name),
            "instance-url" => instance,
            "org-type" => login.as_ref().map(|h| org_type(h.kind())),
            _ => None,
        };
        value.map_or_else(
            || VendorValue::Later(format!("the org's {}", from.replace('-', " "))),
            VendorValue::Known,
        )
    }
}

/// `acme.my.salesforce.com` of `https://acme.my.salesforce.com` (a My Domain URL has no path).
fn host_of(url: &str) -> &str {
    let host = url.split_once("://").map_or(url, |(_, h)| h);
    host.trim_end_matches('/')
}

/// `acme` of `https://acme.my.salesforce.com` (and of `acme--uat.sandbox.my...`: the whole
/// first label, as Setup > My Domain shows it).
fn my_domain_name(url: &str) -> Option<String> {
    let name = host_of(url).split('.').next()?;
    (!name.is_empty()).then(|| name.to_string())
}

/// Production or Sandbox, as a vendor's environment menu says it. A sandbox's My Domain has a
/// `sandbox` partition (Salesforce Help "My Domain URL Formats"); scratch and Developer Edition
/// orgs count as Production: UNCONFIRMED (docs/unconfirmed.md).
fn org_type(kind: &HostKind) -> String {
    let sandbox = match kind {
        HostKind::Sandbox => true,
        HostKind::MyDomain { partition, .. } => partition.as_deref() == Some("sandbox"),
        HostKind::Production | HostKind::Loopback => false,
    };
    if sandbox { "Sandbox" } else { "Production" }.to_string()
}
