//! The project for an app installed from a package: only what a subscriber org may deploy for
//! it, the OAuth policies (named as a package installs them, `<App>_oauth_defaultPolicy`) and
//! the integration user's permission set. The app, its OAuth settings and its global settings
//! are the vendor's, carried by the package: Salesforce Help "OAuth Plugin Enablement with
//! Metadata API" (settings files are the developer's, policies files the subscriber's);
//! reference/eca-setup-and-metadata.md §4.10 ("Policies are never packaged").

use super::xml::{Node, document, text};
use super::{API_VERSION, File, MetadataError, Names, Options, PolicyNames, Project, SOURCE};
use crate::recipe::Recipe;
use crate::recipe::package::Package;
use crate::salesforce::Flow;
use crate::salesforce::naming::check_api_name;
use crate::salesforce::settings::SettingKey;

/// Every file of the project for the installed app.
pub(super) fn generate(
    recipe: &Recipe,
    options: &Options,
    package: &Package,
) -> Result<Vec<File>, MetadataError> {
    let app = package.app.as_str();
    let permission_set = super::permission_set_name(options, app);
    check_api_name(&permission_set, &permission_set).map_err(|e| {
        MetadataError::BadName(e.to_string().replace("API Name", "Permission set name"))
    })?;
    let client_credentials = recipe.flow == Flow::ClientCredentials
        || recipe.is_checked(SettingKey::PolicyClientCredentials);
    if client_credentials && options.run_as.is_none() {
        return Err(MetadataError::NoRunAs(recipe.id.clone()));
    }
    let names = Names::new(app, PolicyNames::Packaged);
    let label = package.name.as_str();
    let p = Project {
        recipe,
        options,
        app,
        label,
        permission_set: &permission_set,
        settings_client_credentials: false,
        client_credentials,
        callbacks: &[],
    };
    Ok(vec![
        File {
            path: "sfdx-project.json".into(),
            contents: super::project_json(unprefixed(app)),
        },
        File {
            path: "manifest/package.xml".into(),
            contents: package_xml(&names, &permission_set),
        },
        File {
            path: format!(
                "{SOURCE}/extlClntAppOauthPolicies/{}.ecaOauthPlcy-meta.xml",
                names.oauth_policy
            ),
            contents: p.oauth_policies(),
        },
        File {
            path: format!("{SOURCE}/permissionsets/{permission_set}.permissionset-meta.xml"),
            contents: p.permission_set(),
        },
        File {
            path: "README.md".into(),
            contents: readme(package, &names, &permission_set),
        },
    ])
}

/// The app's name without its namespace prefix (`acme__Sync` -> `Sync`), for the names this
/// project makes in the subscriber's own namespace.
fn unprefixed(app: &str) -> &str {
    app.rsplit("__").next().unwrap_or(app)
}

fn package_xml(names: &Names, permission_set: &str) -> String {
    let types = [
        (
            names.oauth_policy.as_str(),
            "ExtlClntAppOauthConfigurablePolicies",
        ),
        (permission_set, "PermissionSet"),
    ];
    let mut children: Vec<Node> = types
        .iter()
        .map(|(member, name)| {
            Node::Nested("types", vec![text("members", *member), text("name", *name)])
        })
        .collect();
    children.push(text("version", API_VERSION));
    document("Package", &children)
}

fn readme(package: &Package, names: &Names, permission_set: &str) -> String {
    format!(
        "# {name}: policies for the installed app\n\n\
         {publisher} ships the External Client App `{app}` in the package {name} (version \
         `{id}`). Install the package first (`eca-wizard apply` does, or the install link \
         `/packaging/installPackage.apexp?p0={id}` on your My Domain), then deploy this project:\n\n\
         ```sh\nsf project deploy start --manifest manifest/package.xml --target-org <alias>\n```\n\n\
         It holds only what your org may deploy for an installed app:\n\n\
         - `{policy}`: the app's OAuth policies (Permitted Users, Run As, IP Relaxation, refresh \
           tokens), named as a package installs them.\n\
         - `{permission_set}`: the integration user's permission set, yours to assign.\n\n\
         Nothing else, on purpose: the app itself, its OAuth settings (scopes) and its global \
         OAuth settings (callbacks, flows, security, the consumer key) are {publisher}'s, \
         carried by the package and the same in every org that installs it. Your org can't \
         deploy them; to change one, ask {publisher} for a new package version.\n",
        name = package.name,
        publisher = package.publisher,
        app = package.app,
        id = package.version_id,
        policy = names.oauth_policy,
    )
}
