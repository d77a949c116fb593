//! Where an admin changes a setting of an app that already exists: what a fix needs, which is
//! not the creation path a first-time step shows ("New External Client App > ... > Create").
//! Sources: help "Configure a JWT Bearer Flow" (xcloud.configure_oauth_jwt_flow_external_client_apps)
//! and reference/eca-setup-and-metadata.md §1.1: External Client App Manager > the row's actions
//! dropdown > Edit Settings (OAuth Settings: App Settings, Flow Enablement, Security) or Edit
//! Policies (help xcloud.preauth_user_app_access_through_eca; seeds 001-003 open the app, Policies
//! tab, Edit); §1.6 for the Consumer Key and Secret button. Seed 004's own fix goes through App
//! Manager > the app > Edit > Security; both routes reach the same page. The Save button's label
//! is what every seed says, not confirmed from a screenshot (UNCONFIRMED).

use crate::recipe::StepKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditPath {
    path_start: &'static [&'static str],
    /// The section of the page that holds the step's settings.
    section: Option<&'static str>,
    /// What to do there, in a sentence.
    pub note: &'static str,
}

const fn settings(section: &'static str) -> EditPath {
    EditPath {
        path_start: &[
            "Setup",
            "External Client App Manager",
            "the app's ▾ menu",
            "Edit Settings",
        ],
        section: Some(section),
        note: "Change only the setting marked → below, then Save.",
    }
}

const POLICIES: EditPath = EditPath {
    path_start: &[
        "Setup",
        "External Client App Manager",
        "the app's ▾ menu",
        "Edit Policies",
    ],
    section: None,
    note: "Or open the app, Policies tab, Edit. Change only the setting marked → below, then Save.",
};

/// What Setup asks before it shows the Consumer Key and Secret: the Verify Your Identity page,
/// with a code sent by email (reference/eca-setup-and-metadata.md §1.6).
pub const IDENTITY_CHECK: &str =
    "Setup emails you a code first (Verify Your Identity): enter it, click Verify.";

const CREDENTIALS: EditPath = EditPath {
    section: None,
    path_start: &[
        "Setup",
        "External Client App Manager",
        "the app",
        "Settings",
        "OAuth Settings",
        "Consumer Key and Secret",
    ],
    note: "Salesforce emails a code first; then Copy the key and the secret again and paste them below.",
};

const USER: EditPath = EditPath {
    section: None,
    path_start: &["Setup", "Users", "Users", "the integration user", "Edit"],
    note: "Change what is marked, then Save.",
};

impl EditPath {
    /// The breadcrumb, down to the section.
    pub fn path(&self) -> Vec<&'static str> {
        let mut path = self.path_start.to_vec();
        path.extend(self.section);
        path
    }
}

/// The edit path for a step of this kind, or None where the step's own path already is one
/// (permission sets, org settings, trusted domains are edited where they were set).
pub fn for_step(kind: StepKind) -> Option<EditPath> {
    match kind {
        StepKind::BasicInfo => Some(settings("Basic Information")),
        StepKind::OauthSettings => Some(settings("OAuth Settings › App Settings")),
        StepKind::Flows => Some(settings("OAuth Settings › Flow Enablement")),
        StepKind::Security => Some(settings("OAuth Settings › Security")),
        StepKind::Policies => Some(POLICIES),
        StepKind::Credentials => Some(CREDENTIALS),
        StepKind::IntegrationUser => Some(USER),
        StepKind::Permissions
        | StepKind::OrgSettings
        | StepKind::InstallPackage
        | StepKind::Certificate
        | StepKind::TrustedDomains
        | StepKind::McpServers
        | StepKind::Connect => None,
    }
}
