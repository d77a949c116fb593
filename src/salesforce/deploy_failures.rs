//! What a Metadata API deploy says when it refuses a component of an External Client App
//! project, where those words come from, and what to do. The emulator answers these texts;
//! apply matches them to put a fix under a refused component. One table, [`HINTS`], holds each
//! text with its source; a text nobody has published is matched loosely and marked UNCONFIRMED.

use crate::salesforce::objects::{Access, access_for};

/// How a hint recognises a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// The problem contains these words (compared without regard to case).
    Contains(&'static str),
    /// A permission set's problem that names an object without object permissions: the
    /// wording is UNCONFIRMED, so the object decides, not the words around it.
    ObjectWithoutPermissions,
}

/// One known failure: how to recognise it, the fix, and where the text comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub pattern: Pattern,
    pub fix: &'static str,
    pub source: &'static str,
}

/// A Run As user (`clientCredentialsFlowUser`) the org doesn't have.
pub const RUN_AS_USER: &str = "Enter a valid execution user for the OAuth client credentials flow.";

/// A deploy zip without `package.xml` at its root (with `singlePackage`).
pub const NO_PACKAGE: &str = "No package.xml found";

/// The policies name a Run As user the org doesn't have.
pub const RUN_AS_HINT: Hint = Hint {
    pattern: Pattern::Contains("valid execution user for the OAuth client credentials flow"),
    fix: "the Run As user must exist and be active before the deploy: create the integration user first (Setup > Users > New User), or name an existing active user as Run As",
    source: "observed: `sf project deploy validate` of an ExtlClntAppOauthConfigurablePolicies whose clientCredentialsFlowUser names a user the sandbox doesn't have: \"Error in <policies> - Enter a valid execution user for the OAuth client credentials flow.\" (a public project's deploy verification checklist, 2026); Setup shows the same sentence when saving such a Run As",
};

/// The known failures, most specific first.
pub const HINTS: &[Hint] = &[
    RUN_AS_HINT,
    Hint {
        pattern: Pattern::Contains("ExternalClientApplicationId duplicates value"),
        fix: "the app already has this settings or policies component under another member name (Setup names them <App>_glbloauth, <App>_oauth, <App>_oauthPlcy and <App>_plcy, a package <App>_oauth_defaultPolicy): use the name the message gives (--policy-names for the policies)",
        source: "observed: \"duplicate value found: ExternalClientApplicationId duplicates value on Data_Vault_Connected_App_oauthPlcy\" deploying policies under another name to an app that had them (a public Salesforce integration's source comment, 2026-07-14); field-facts-2026.md \"Metadata that deploys\" (Infisical PR #6326, sfdx-hardis). Salesforce's generic DUPLICATE_VALUE form ends \"duplicates value on record with id: <id>\"; which ending a deploy gives is UNCONFIRMED, the match covers both",
    },
    Hint {
        pattern: Pattern::Contains("distribution state PACKAGED"),
        fix: "remove <oauthLink> from the .ecaOauth file: a retrieve added this link to the source org's app (eca-wizard metadata --check finds such values)",
        source: "observed: a retrieved project deployed to another org \"fails with 'couldn't update your OAuth link … doesn't have distribution state PACKAGED.'\" and stripping <oauthLink> fixes it (a public workshop's ECA README, 2026); sfdx-hardis externalClientAppUtils.ts strips <oauthLink> before deploying satellites. The words between the two quoted parts are UNCONFIRMED",
    },
    Hint {
        pattern: Pattern::Contains("no ExternalClientApplication named"),
        fix: "the app must exist first: deploy its .eca file before or with this one, and make externalClientApplication name it exactly",
        source: "Salesforce's wording for a reference to a missing component, \"In field: field - no CustomField named Account.test__c found\" (observed in deploy results; sfdx-hardis deploy tip custom-field-not-found); its form for externalClientApplication is UNCONFIRMED",
    },
    Hint {
        pattern: Pattern::ObjectWithoutPermissions,
        fix: "that object has no object permissions: remove it from the permission set (eca-wizard metadata --check names such objects)",
        source: "field-facts-2026.md \"Metadata that deploys\" (Object Reference ObjectPermissions; jetstream#1715): such a permission set fails to deploy. The problem's wording is UNCONFIRMED; the emulator gives the text observed for an object a permission set's objectPermissions names and the org lacks, \"In field: object - no CustomObject named GitHubWorkflowRun__c found\" (componentType PermissionSet, public deploy results)",
    },
    Hint {
        pattern: Pattern::Contains(NO_PACKAGE),
        fix: "the zip needs package.xml at its root",
        source: "observed: \"Deployment error: No package.xml found\" when singlePackage is on and package.xml is not at the zip's root (Salesforce Inspector Reloaded troubleshooting docs)",
    },
];

/// The hint for a refused component of this metadata type, if the problem is a known one.
pub fn hint(kind: &str, problem: &str) -> Option<&'static Hint> {
    let lower = problem.to_lowercase();
    HINTS.iter().find(|h| match h.pattern {
        Pattern::Contains(words) => lower.contains(&words.to_lowercase()),
        Pattern::ObjectWithoutPermissions => {
            kind == "PermissionSet"
                && problem
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|word| matches!(access_for(word), Access::Other(_)))
        }
    })
}

/// Another member name for a component type the app already has one of.
pub fn duplicate_member(existing: &str) -> String {
    format!("duplicate value found: ExternalClientApplicationId duplicates value on {existing}")
}

/// A satellite whose `externalClientApplication` names no app.
pub fn unknown_app(app: &str) -> String {
    format!("In field: externalClientApplication - no ExternalClientApplication named {app} found")
}

/// A deploy of an installed app's own settings (its header, OAuth or global settings): they
/// are the package's. Salesforce's wording for a change to an installed managed component is
/// "Cannot modify managed object" (UNCONFIRMED for External Client Apps, docs/unconfirmed.md).
pub fn installed(app: &str) -> String {
    format!(
        "Cannot modify managed object: {app} was installed from a package; only its policies can be changed in this org"
    )
}

/// An `oauthLink` to another org's app (UNCONFIRMED between the quoted parts, see [`HINTS`]).
pub fn oauth_link(app: &str) -> String {
    format!(
        "We couldn't update your OAuth link because {app} doesn't have distribution state PACKAGED."
    )
}

/// A permission set naming an object without object permissions: the words of an unknown
/// object (UNCONFIRMED for these objects, see [`HINTS`]).
pub fn object_without_permissions(object: &str) -> String {
    format!("In field: object - no CustomObject named {object} found")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_text_the_emulator_gives_has_its_hint() {
        let cases = [
            (
                "ExtlClntAppOauthConfigurablePolicies",
                RUN_AS_USER.to_string(),
            ),
            (
                "ExtlClntAppGlobalOauthSettings",
                duplicate_member("A_glbloauth"),
            ),
            ("ExtlClntAppOauthSettings", oauth_link("A")),
            ("ExtlClntAppOauthSettings", unknown_app("A")),
            ("PermissionSet", object_without_permissions("CaseComment")),
            ("Package", NO_PACKAGE.to_string()),
        ];
        for (n, (kind, problem)) in cases.iter().enumerate() {
            assert_eq!(hint(kind, problem), Some(&HINTS[n]), "{problem}");
        }
        // The generic DUPLICATE_VALUE ending and other casing match too.
        let generic = "duplicate value found: ExternalClientApplicationId duplicates value on record with id: 0xY000000000001";
        assert_eq!(
            hint("ExtlClntAppGlobalOauthSettings", generic),
            Some(&HINTS[1])
        );
        // An object with permissions, or another component type, is no object hint.
        assert_eq!(
            hint("PermissionSet", "Unknown user permission: ApiOnlyUser"),
            None
        );
        assert_eq!(
            hint("Profile", &object_without_permissions("CaseComment")),
            None
        );
    }
}
