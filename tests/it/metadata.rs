//! The generated DX project: well-formed XML, Salesforce's folders, suffixes, element names and
//! enum values, and for each recipe the settings its integration needs.

use crate::common::{launch, temp};
use std::collections::HashMap;

use eca_wizard::emulator::org::DEMO_JWT_CERTIFICATE;
use eca_wizard::metadata::{File, MetadataError, Options, PolicyNames, generate};
use eca_wizard::recipe;

fn options() -> Options {
    Options {
        run_as: Some("integration@acme.example".into()),
        contact_email: Some("admin@acme.example".into()),
        callback_urls: vec!["https://app.example.com/callback".into()],
        certificate: Some(DEMO_JWT_CERTIFICATE.into()),
        policy_names: PolicyNames::Setup,
        include_optional: false,
        without_jwt_certificate: false,
        forced_on: Vec::new(),
        ..Options::default()
    }
}

fn project(recipe_id: &str) -> Vec<File> {
    generate(recipe::builtin_by_id(recipe_id).unwrap(), &options()).unwrap()
}

/// The text of every leaf element of the file whose path ends with `suffix`.
fn values(files: &[File], suffix: &str) -> HashMap<String, String> {
    let file = files
        .iter()
        .find(|f| f.path.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix}"));
    let doc = roxmltree::Document::parse(&file.contents).unwrap();
    doc.descendants()
        .filter(|n| n.is_element() && n.children().all(|c| c.is_text()))
        .map(|n| {
            (
                n.tag_name().name().to_string(),
                n.text().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_recipe_generates_well_formed_files_in_salesforce_folders() {
    let suffixes = [
        (
            "externalClientApps/",
            ".eca-meta.xml",
            "ExternalClientApplication",
        ),
        (
            "extlClntAppGlobalOauthSets/",
            ".ecaGlblOauth-meta.xml",
            "ExtlClntAppGlobalOauthSettings",
        ),
        (
            "extlClntAppOauthSettings/",
            ".ecaOauth-meta.xml",
            "ExtlClntAppOauthSettings",
        ),
        (
            "extlClntAppOauthPolicies/",
            ".ecaOauthPlcy-meta.xml",
            "ExtlClntAppOauthConfigurablePolicies",
        ),
        (
            "extlClntAppPolicies/",
            ".ecaPlcy-meta.xml",
            "ExtlClntAppConfigurablePolicies",
        ),
        (
            "permissionsets/",
            ".permissionset-meta.xml",
            "PermissionSet",
        ),
    ];
    for recipe in recipe::builtin().unwrap() {
        let files = generate(recipe, &options()).unwrap();
        for (folder, suffix, root) in suffixes {
            let file = files
                .iter()
                .find(|f| f.path.contains(folder) && f.path.ends_with(suffix))
                .unwrap_or_else(|| panic!("{}: no {folder}*{suffix}", recipe.id));
            assert!(
                file.path.starts_with("force-app/main/default/"),
                "{}",
                file.path
            );
            let doc = roxmltree::Document::parse(&file.contents)
                .unwrap_or_else(|e| panic!("{}: {e}", file.path));
            assert_eq!(doc.root_element().tag_name().name(), root);
            assert_eq!(
                doc.root_element().tag_name().namespace(),
                Some("http://soap.sforce.com/2006/04/metadata")
            );
            assert!(
                !file.contents.contains("consumerSecret") && !file.contents.contains("consumerKey")
            );
        }
        let manifest = files
            .iter()
            .find(|f| f.path == "manifest/package.xml")
            .unwrap();
        let doc = roxmltree::Document::parse(&manifest.contents).unwrap();
        let members: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("members"))
            .map(|n| n.text().unwrap())
            .collect();
        assert_eq!(members.len(), 6);
        // Every member in the manifest has its file.
        for member in members {
            assert!(
                files
                    .iter()
                    .any(|f| f.path.contains(&format!("/{member}."))),
                "{}: no file for {member}",
                recipe.id
            );
        }
        let project: serde_json::Value = serde_json::from_str(
            &files
                .iter()
                .find(|f| f.path == "sfdx-project.json")
                .unwrap()
                .contents,
        )
        .unwrap();
        assert_eq!(project["sourceApiVersion"], "66.0");
        let ignore = files.iter().find(|f| f.path == ".gitignore").unwrap();
        assert!(ignore.contents.contains("extlClntAppGlobalOauthSets"));
        // Force-ignored, the global settings never reach the org (forcedotcom/cli#1672).
        let force = files.iter().find(|f| f.path == ".forceignore").unwrap();
        assert!(
            !force
                .contents
                .lines()
                .any(|l| !l.starts_with('#') && l.contains("extlClntApp")),
            "{}",
            force.contents
        );
    }
}

#[test]
fn apideck_refreshes_without_the_secret_keeps_pkce_and_no_rotation() {
    let files = project("apideck");
    let global = values(&files, ".ecaGlblOauth-meta.xml");
    assert_eq!(global["isSecretRequiredForRefreshToken"], "false");
    assert_eq!(global["isPkceRequired"], "true");
    assert_eq!(global["isRefreshTokenRotationEnabled"], "false");
    assert_eq!(
        global["isConsumerSecretOptional"], "false",
        "the web server flow still requires the secret"
    );
    assert_eq!(global["isIntrospectAllTokens"], "true");
    assert_eq!(
        global["isCodeCredFlowEnabled"], "false",
        "headless login, which Apideck doesn't use"
    );
    assert_eq!(global["isClientCredentialsFlowEnabled"], "false");
    assert_eq!(
        values(&files, ".ecaOauth-meta.xml")["commaSeparatedOauthScopes"],
        "Api, OpenID, RefreshToken"
    );
    let policies = values(&files, ".ecaOauthPlcy-meta.xml");
    assert_eq!(policies["permittedUsersPolicyType"], "AllSelfAuthorized");
    assert_eq!(policies["ipRelaxationPolicyType"], "Enforce");
    assert!(!policies.contains_key("clientCredentialsFlowUser"));
}

#[test]
fn client_credentials_recipes_name_the_run_as_user() {
    let files = project("service-board-sync");
    let global = values(&files, ".ecaGlblOauth-meta.xml");
    assert_eq!(global["isClientCredentialsFlowEnabled"], "true");
    assert_eq!(global["isPkceRequired"], "false");
    assert_eq!(global["isSecretRequiredForRefreshToken"], "true");
    let policies = values(&files, ".ecaOauthPlcy-meta.xml");
    assert_eq!(
        policies["clientCredentialsFlowUser"],
        "integration@acme.example"
    );
    assert_eq!(policies["isClientCredentialsFlowEnabled"], "true");
    assert_eq!(
        policies["ipRelaxationPolicyType"], "Bypass",
        "the guide relaxes IP restrictions"
    );
    assert_eq!(
        values(&files, ".ecaOauth-meta.xml")["commaSeparatedOauthScopes"],
        "Api, Basic"
    );

    let postman = project("postman-client-credentials");
    assert_eq!(
        values(&postman, ".ecaGlblOauth-meta.xml")["isRefreshTokenRotationEnabled"],
        "true"
    );

    let refused = generate(
        recipe::builtin_by_id("service-board-sync").unwrap(),
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(refused, MetadataError::NoRunAs(_)));
    assert!(refused.to_string().contains("--run-as"));
}

#[test]
fn jwt_bearer_is_admin_approved_with_the_certificate() {
    let files = project("lightning-out");
    let global = values(&files, ".ecaGlblOauth-meta.xml");
    assert!(global["certificate"].starts_with("-----BEGIN CERTIFICATE-----"));
    let policies = values(&files, ".ecaOauthPlcy-meta.xml");
    assert_eq!(
        policies["permittedUsersPolicyType"],
        "AdminApprovedPreAuthorized"
    );
    assert_eq!(
        policies["commaSeparatedPermissionSet"],
        "Lightning_Out_Client_Integration"
    );
    assert_eq!(
        values(&files, ".ecaOauth-meta.xml")["commaSeparatedOauthScopes"],
        "Api, Web, Lightning"
    );
}

fn permission_set_objects(files: &[File]) -> Vec<String> {
    let file = files
        .iter()
        .find(|f| f.path.ends_with(".permissionset-meta.xml"))
        .unwrap();
    let doc = roxmltree::Document::parse(&file.contents).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("object"))
        .map(|n| n.text().unwrap().to_string())
        .collect()
}

#[test]
fn the_permission_set_names_only_objects_with_object_permissions() {
    // Objects without object permissions make the deploy fail (field facts; jetstream#1715).
    let files = project("aptedge");
    let objects = permission_set_objects(&files);
    for object in ["Case", "Contact", "Account"] {
        assert!(
            objects.iter().any(|o| o == object),
            "{object} missing: {objects:?}"
        );
    }
    for object in [
        "CaseComment",
        "CaseHistory",
        "CaseTeamMember",
        "FeedItem",
        "Attachment",
        "ContentDocument",
        "ContentVersion",
        "User",
        "EmailMessage",
        "Knowledge__kav",
    ] {
        assert!(
            !objects.iter().any(|o| o == object),
            "{object} is in the permission set"
        );
    }
    // The README says what grants access instead, and how to add the optional ones.
    let readme = &files
        .iter()
        .find(|f| f.path == "README.md")
        .unwrap()
        .contents;
    assert!(readme.contains("`CaseComment`: not in the permission set (it has no object permissions): access follows the parent Case"), "{readme}");
    assert!(
        readme.contains("`Knowledge__kav`: optional, left out"),
        "{readme}"
    );
    let with_optional = generate(
        recipe::builtin_by_id("aptedge").unwrap(),
        &Options {
            include_optional: true,
            ..options()
        },
    )
    .unwrap();
    assert!(
        permission_set_objects(&with_optional)
            .iter()
            .any(|o| o == "Knowledge__kav")
    );
}

#[test]
fn aptedge_ticks_client_credentials_on_the_settings_tab_only() {
    let recipe = recipe::builtin_by_id("aptedge").unwrap();
    let files = generate(
        recipe,
        &Options {
            run_as: None,
            ..options()
        },
    )
    .unwrap();
    assert_eq!(
        values(&files, ".ecaGlblOauth-meta.xml")["isClientCredentialsFlowEnabled"],
        "true"
    );
    let policies = values(&files, ".ecaOauthPlcy-meta.xml");
    assert_eq!(policies["isClientCredentialsFlowEnabled"], "false");
    assert!(
        !policies.contains_key("clientCredentialsFlowUser"),
        "{policies:?}"
    );
}

#[test]
fn jwt_bearer_needs_the_certificate_or_says_it_is_left_out() {
    let recipe = recipe::builtin_by_id("lightning-out").unwrap();
    let refused = generate(
        recipe,
        &Options {
            certificate: None,
            ..options()
        },
    )
    .unwrap_err();
    assert!(matches!(refused, MetadataError::NoCertificate(_)));
    assert!(
        refused.to_string().contains("--certificate FILE"),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("--no-jwt-certificate"),
        "{refused}"
    );
    let on_purpose = Options {
        certificate: None,
        without_jwt_certificate: true,
        forced_on: Vec::new(),
        ..options()
    };
    let files = generate(recipe, &on_purpose).unwrap();
    assert!(!values(&files, ".ecaGlblOauth-meta.xml").contains_key("certificate"));
}

#[test]
fn the_permission_set_grants_api_enabled_and_read_only_access() {
    let files = project("aptedge");
    let file = files
        .iter()
        .find(|f| f.path.ends_with(".permissionset-meta.xml"))
        .unwrap();
    let doc = roxmltree::Document::parse(&file.contents).unwrap();
    let read_only = doc
        .descendants()
        .filter(|n| n.has_tag_name("objectPermissions"))
        .all(|p| {
            let get = |tag: &str| {
                p.children()
                    .find(|c| c.has_tag_name(tag))
                    .and_then(|c| c.text())
                    .unwrap()
            };
            get("allowRead") == "true"
                && get("allowEdit") == "false"
                && get("allowDelete") == "false"
        });
    assert!(read_only);
    assert!(file.contents.contains("<name>ApiEnabled</name>"));
    let custom = project("custom");
    assert_eq!(
        values(&custom, ".ecaOauthPlcy-meta.xml")["refreshTokenValidityPeriod"],
        "90"
    );
}

#[test]
fn the_command_writes_the_project_and_refuses_to_overwrite() {
    let out = temp::folder("metadata");
    let run = |extra: &[&str]| {
        launch::wizard(&out)
            .args(["metadata", "--recipe", "apideck", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = run(&[]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        out.join("force-app/main/default/externalClientApps/Apideck.eca-meta.xml")
            .is_file()
    );
    let again = run(&[]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    assert!(run(&["--force"]).status.success());
    let bad = run(&["--force", "--callback-url", "http://example.com/cb"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn policies_are_named_as_setup_names_them_unless_packaged() {
    let recipe = recipe::builtin_by_id("apideck").unwrap();
    let paths = |policy_names| -> Vec<String> {
        let options = Options {
            policy_names,
            ..options()
        };
        generate(recipe, &options)
            .unwrap()
            .into_iter()
            .map(|f| f.path)
            .collect()
    };
    let setup = paths(PolicyNames::Setup);
    let name = |suffix: &str, paths: &[String]| {
        paths
            .iter()
            .find(|p| p.ends_with(suffix))
            .map(|p| {
                p.rsplit('/')
                    .next()
                    .unwrap()
                    .trim_end_matches(suffix)
                    .to_string()
            })
            .unwrap()
    };
    let app = name(".eca-meta.xml", &setup);
    assert_eq!(
        name(".ecaOauthPlcy-meta.xml", &setup),
        format!("{app}_oauthPlcy")
    );
    assert_eq!(name(".ecaPlcy-meta.xml", &setup), format!("{app}_plcy"));
    let packaged = paths(PolicyNames::Packaged);
    assert_eq!(
        name(".ecaOauthPlcy-meta.xml", &packaged),
        format!("{app}_oauth_defaultPolicy")
    );
    assert_eq!(
        name(".ecaPlcy-meta.xml", &packaged),
        format!("{app}_defaultPolicy")
    );
}

#[test]
fn the_readme_names_the_integration_user_the_flow_needs() {
    let readme = |id: &str| {
        let files = generate(recipe::builtin_by_id(id).unwrap(), &options()).unwrap();
        files
            .into_iter()
            .find(|f| f.path == "README.md")
            .unwrap()
            .contents
    };
    // An API-only user can't sign in in a browser (KB 000003819): wrong for the code flow.
    let code = readme("apideck");
    assert!(code.contains("can sign in in a browser"), "{code}");
    assert!(code.contains("not the API-only"), "{code}");
    for id in ["service-board-sync", "lightning-out"] {
        let direct = readme(id);
        assert!(
            direct.contains("Minimum Access - API Only Integrations"),
            "{id}: {direct}"
        );
    }
    // Permission set and user before the app whose policies name the Run As user.
    let order = [
        "PermissionSet:",
        "assign permset",
        "--manifest manifest/package.xml",
    ];
    let at: Vec<usize> = order.iter().map(|s| code.find(s).unwrap()).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{code}");
    assert!(code.contains("deliberately not in `.forceignore`"));
}
