//! `eca-wizard metadata --check DIR`: finds what would make a DX project of an External Client App
//! fail to deploy or deploy wrong, without an org. The same rules the generator follows (see
//! field-facts-2026.md, "Metadata that deploys"), plus a recipe's settings when one is given.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::recipe::Recipe;
use crate::salesforce::Flow;
use crate::salesforce::objects::{self, Access};
use crate::salesforce::settings::{self, SettingKey};

use super::{GLOBAL_SETTINGS_FOLDER, Options, PolicyNames, generate};

/// One finding: the file, the element, and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: String,
    pub element: String,
    pub fix: String,
    /// A warning doesn't fail the check (it depends on how the app was made).
    pub warning: bool,
}

/// The metadata types of an ECA project, by source suffix.
const TYPES: &[(&str, &str)] = &[
    (".eca-meta.xml", "ExternalClientApplication"),
    (".ecaGlblOauth-meta.xml", "ExtlClntAppGlobalOauthSettings"),
    (".ecaOauth-meta.xml", "ExtlClntAppOauthSettings"),
    (
        ".ecaOauthPlcy-meta.xml",
        "ExtlClntAppOauthConfigurablePolicies",
    ),
    (".ecaPlcy-meta.xml", "ExtlClntAppConfigurablePolicies"),
    (".permissionset-meta.xml", "PermissionSet"),
];

/// One source file of the project: its type, member name, path and leaf elements.
struct Component {
    kind: &'static str,
    name: String,
    path: String,
    leaves: BTreeMap<String, String>,
    /// The objects of `objectPermissions` (permission sets).
    objects: Vec<String>,
}

/// Every problem in the project at `dir`; `Err` only when the folder can't be read.
pub fn check(dir: &Path, recipe: Option<&Recipe>) -> anyhow::Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let mut found = |file: &str, element: &str, fix: String, warning: bool| {
        problems.push(Problem {
            file: file.into(),
            element: element.into(),
            fix,
            warning,
        });
    };
    let components = read_components(dir)?;
    if !components
        .iter()
        .any(|c| c.kind == "ExternalClientApplication")
    {
        found(
            "force-app",
            "ExternalClientApplication",
            "no *.eca-meta.xml found: is this the project's root folder?".into(),
            false,
        );
    }
    check_manifest(dir, &components, &mut found);
    check_ignores(dir, &mut found);
    let apps: Vec<&str> = components
        .iter()
        .filter(|c| c.kind == "ExternalClientApplication")
        .map(|c| c.name.as_str())
        .collect();
    for c in &components {
        check_component(c, &apps, recipe, &mut found);
    }
    if let Some(recipe) = recipe {
        check_recipe(&components, recipe, &mut found);
    }
    Ok(problems)
}

fn read_components(dir: &Path) -> anyhow::Result<Vec<Component>> {
    let mut files = Vec::new();
    walk(&dir.join("force-app"), &mut files)?;
    let mut components = Vec::new();
    for path in files {
        let file_name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let Some((suffix, kind)) = TYPES.iter().find(|(s, _)| file_name.ends_with(s)) else {
            continue;
        };
        let text = std::fs::read_to_string(&path)?;
        let relative = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        let (leaves, objects) = match roxmltree::Document::parse(&text) {
            Ok(doc) => read_leaves(&doc),
            Err(e) => {
                anyhow::bail!("{relative}: not XML that parses ({e})");
            }
        };
        components.push(Component {
            kind,
            name: file_name.trim_end_matches(suffix).to_string(),
            path: relative,
            leaves,
            objects,
        });
    }
    Ok(components)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        // Symlinks are not followed: a project is plain files.
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

fn read_leaves(doc: &roxmltree::Document) -> (BTreeMap<String, String>, Vec<String>) {
    let mut leaves = BTreeMap::new();
    let mut objects = Vec::new();
    for node in doc.root_element().children().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if name == "objectPermissions" {
            let object = node
                .children()
                .find(|c| c.has_tag_name("object"))
                .and_then(|c| c.text());
            objects.extend(object.map(str::to_string));
        } else if node.children().all(|c| c.is_text()) {
            leaves.insert(
                name.to_string(),
                node.text().unwrap_or_default().trim().to_string(),
            );
        }
    }
    (leaves, objects)
}

type Found<'a> = dyn FnMut(&str, &str, String, bool) + 'a;

/// Org-bound values a retrieve writes, by the type whose file holds them, with the fix. Sources:
/// field-facts-2026.md "Org-bound fields"; sfdx-hardis `externalClientAppUtils.ts`
/// (`deployExternalClientApps` strips `<orgScopedExternalApp>` from the app's file and
/// `<oauthLink>` from the `.ecaOauth` files, "org-specific and breaks deployment on fresh
/// orgs"); a retrieved project deployed to another org failed on `oauthLink` with "couldn't
/// update your OAuth link ... doesn't have distribution state PACKAGED" (public workshop README,
/// 2026). The consumer key and secret sit in the global settings (Metadata API
/// `meta_extlclntappglobaloauthsettings`).
const ORG_BOUND: &[(&str, &str, &str)] = &[
    (
        "ExtlClntAppGlobalOauthSettings",
        "consumerKey",
        "remove it: a retrieve added this org-bound value; it must not be committed or deployed to another org",
    ),
    (
        "ExtlClntAppGlobalOauthSettings",
        "consumerSecret",
        "remove it: a retrieve added this org-bound value; it must not be committed or deployed to another org",
    ),
    (
        "ExtlClntAppOauthSettings",
        "oauthLink",
        "remove it: a retrieve added this link to the source org's app; deployed to another org it fails (\"couldn't update your OAuth link ... doesn't have distribution state PACKAGED\")",
    ),
    (
        "ExternalClientApplication",
        "orgScopedExternalApp",
        "remove it: a retrieve added the source org's id (<org id>:<App>); it breaks a deploy to another org",
    ),
];

fn check_manifest(dir: &Path, components: &[Component], found: &mut Found) {
    const MANIFEST: &str = "manifest/package.xml";
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        found(
            MANIFEST,
            "Package",
            "missing: deploy with --source-dir force-app, or write the manifest".into(),
            true,
        );
        return;
    };
    let Ok(doc) = roxmltree::Document::parse(&text) else {
        found(
            MANIFEST,
            "Package",
            "not XML that parses: regenerate it".into(),
            false,
        );
        return;
    };
    for types in doc.descendants().filter(|n| n.has_tag_name("types")) {
        let kind = types
            .children()
            .find(|c| c.has_tag_name("name"))
            .and_then(|c| c.text())
            .unwrap_or_default();
        for member in types
            .children()
            .filter(|c| c.has_tag_name("members"))
            .filter_map(|c| c.text())
        {
            let present = member == "*"
                || components
                    .iter()
                    .any(|c| c.kind == kind && c.name == member);
            if !present && TYPES.iter().any(|(_, t)| *t == kind) {
                found(
                    MANIFEST,
                    &format!("{kind} {member}"),
                    "named in package.xml, but there is no source file for it: a deploy with --manifest fails (\"named in package.xml, but was not found\"); add the file or remove the member".into(),
                    false,
                );
            }
        }
    }
}

fn check_ignores(dir: &Path, found: &mut Found) {
    let lines = |name: &str| -> Vec<String> {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_default()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect()
    };
    for line in lines(".forceignore") {
        if line.contains(GLOBAL_SETTINGS_FOLDER) || line.contains("ecaGlblOauth") {
            found(".forceignore", &line, "remove this line: the global OAuth settings must deploy (force-ignored, a manifest deploy fails and a source deploy makes an app without callbacks, flows or security toggles); keep them out of git with .gitignore instead".into(), false);
        }
    }
    if !lines(".gitignore")
        .iter()
        .any(|l| l.contains(GLOBAL_SETTINGS_FOLDER) || l.contains("ecaGlblOauth"))
    {
        found(
            ".gitignore",
            GLOBAL_SETTINGS_FOLDER,
            format!(
                "add **/{GLOBAL_SETTINGS_FOLDER}/: Salesforce says the global OAuth settings must not be added to source control"
            ),
            false,
        );
    }
}

fn check_component(c: &Component, apps: &[&str], recipe: Option<&Recipe>, found: &mut Found) {
    let file = c.path.as_str();
    if c.kind != "ExternalClientApplication" && c.kind != "PermissionSet" {
        match c.leaves.get("externalClientApplication") {
            Some(app) if apps.contains(&app.as_str()) => {}
            Some(app) => found(
                file,
                "externalClientApplication",
                format!(
                    "names {app}, which is not an app of this project: Salesforce links the file to its app by this name, so set it to {}",
                    apps.join(" or ")
                ),
                false,
            ),
            None => found(
                file,
                "externalClientApplication",
                "missing: add the app's API name, which links this file to its app".into(),
                false,
            ),
        }
    }
    for (_, element, fix) in ORG_BOUND
        .iter()
        .filter(|(kind, element, _)| *kind == c.kind && c.leaves.contains_key(*element))
    {
        found(file, element, fix.to_string(), false);
    }
    match c.kind {
        "ExtlClntAppGlobalOauthSettings"
            if recipe.is_some_and(|r| r.flow == Flow::JwtBearer)
                && !c.leaves.contains_key("certificate") =>
        {
            found(file, "certificate", "missing: without the certificate the app has JWT bearer off; add the PEM certificate of the signing key (metadata --certificate FILE)".into(), false);
        }
        "ExtlClntAppOauthConfigurablePolicies" => {
            let on = c
                .leaves
                .get("isClientCredentialsFlowEnabled")
                .is_some_and(|v| v == "true");
            if on && !c.leaves.contains_key("clientCredentialsFlowUser") {
                found(file, "clientCredentialsFlowUser", "missing: client credentials is on in the policies and needs a Run As user (\"no client credentials user enabled\"); add the integration user's username".into(), false);
            }
            if c.name.ends_with("_oauth_defaultPolicy") {
                found(
                    file,
                    "fullName",
                    format!(
                        "named as a package installs it; an app created in Setup has {}, and deploying another name to it fails with \"duplicate value found\" (generate with --policy-names setup)",
                        c.name.replace("_oauth_defaultPolicy", "_oauthPlcy")
                    ),
                    true,
                );
            }
        }
        "ExtlClntAppConfigurablePolicies" if c.name.ends_with("_defaultPolicy") => {
            found(
                file,
                "fullName",
                format!(
                    "named as a package installs it; an app created in Setup has {}_plcy (generate with --policy-names setup)",
                    c.name.trim_end_matches("_defaultPolicy")
                ),
                true,
            );
        }
        "PermissionSet" => {
            for object in &c.objects {
                if let Access::Other(how) = objects::access_for(object) {
                    found(
                        file,
                        &format!("objectPermissions {object}"),
                        format!(
                            "remove it: {object} has no object permissions, so the deploy fails; {how}"
                        ),
                        false,
                    );
                }
            }
        }
        _ => {}
    }
}

/// The recipe's settings, as the generator writes them, against the project's.
fn check_recipe(components: &[Component], recipe: &Recipe, found: &mut Found) {
    let leaf = |kind: &str, element: &str| {
        components
            .iter()
            .find(|c| c.kind == kind)
            .and_then(|c| c.leaves.get(element).cloned())
    };
    let Some(app) = components
        .iter()
        .find(|c| c.kind == "ExternalClientApplication")
    else {
        return;
    };
    let options = Options {
        name: Some(app.name.clone()),
        callback_urls: leaf("ExtlClntAppGlobalOauthSettings", "callbackUrl")
            .map(|u| {
                u.lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        run_as: Some(
            leaf(
                "ExtlClntAppOauthConfigurablePolicies",
                "clientCredentialsFlowUser",
            )
            .unwrap_or_else(|| "run-as@example.com".into()),
        ),
        certificate: leaf("ExtlClntAppGlobalOauthSettings", "certificate"),
        without_jwt_certificate: true,
        forced_on: Vec::new(),
        policy_names: PolicyNames::Setup,
        ..Options::default()
    };
    let Ok(expected) = generate(recipe, &options) else {
        return;
    };
    for (suffix, kind) in TYPES.iter().filter(|(_, k)| k.starts_with("ExtlClntApp")) {
        let Some(file) = expected.iter().find(|f| f.path.ends_with(suffix)) else {
            continue;
        };
        let Ok(doc) = roxmltree::Document::parse(&file.contents) else {
            continue;
        };
        let (wanted, _) = read_leaves(&doc);
        let Some(actual) = components.iter().find(|c| c.kind == *kind) else {
            continue;
        };
        for (element, value) in &wanted {
            let Some(label) = governing_setting(suffix, element) else {
                continue;
            };
            let have = actual.leaves.get(element);
            if have.map(|h| normalise(h)) != Some(normalise(value)) {
                let have = have.map_or("missing".to_string(), |h| format!("{h:?}"));
                found(
                    &actual.path,
                    element,
                    format!(
                        "is {have}; the {} recipe sets {value:?} (Setup: {label})",
                        recipe.id
                    ),
                    false,
                );
            }
        }
    }
}

/// The Setup label of the setting an element stores, for elements a recipe decides.
fn governing_setting(suffix: &str, element: &str) -> Option<&'static str> {
    // Values that come from the project itself, or that other checks cover.
    const OWN: &[&str] = &[
        "callbackUrl",
        "certificate",
        "clientCredentialsFlowUser",
        "commaSeparatedPermissionSet",
    ];
    if OWN.contains(&element) {
        return None;
    }
    if element == "ipRelaxationPolicyType" {
        return settings::lookup(SettingKey::IpRelaxation).map(|s| s.label);
    }
    let file = suffix.trim_start_matches('.').trim_end_matches("-meta.xml");
    SettingKey::ALL
        .iter()
        .filter_map(|k| settings::lookup(*k))
        .find_map(|s| {
            let field = s.metadata?.split_once('.')?;
            (field.0 == file && field.1.split(' ').next() == Some(element)).then_some(s.label)
        })
}

fn normalise(value: &str) -> String {
    let mut parts: Vec<&str> = value.split([',', ' ']).filter(|p| !p.is_empty()).collect();
    parts.sort_unstable();
    parts.join(",")
}
