//! The built-in recipes load and are sound, and the loader refuses broken ones.

use std::collections::HashSet;

use eca_wizard::recipe::{self, ApplyUser, Check, StepKind};
use eca_wizard::salesforce::Flow;
use eca_wizard::salesforce::callback::wizard_callback_urls;
use eca_wizard::salesforce::settings::{self, SettingKey};
use eca_wizard::salesforce::setup_pages::SetupPage;

/// The five seed guides, by the public address each recipe cites.
const GUIDES: [&str; 5] = [
    "https://support.aptedge.io/hc/en-us/articles/47423203948180-Salesforce-API-Connection",
    "https://support.ptc.com/help/servicemaxcore/en/articles/service_board/sb-creating-external-client-app.html",
    "https://www.brfconsulting.com/post/how-to-integrate-api-with-salesforce-safely-and-easily-using-new-external-client-apps",
    "https://developer.salesforce.com/docs/platform/accsdk/guide/acc-sdk-setup-auth-external.html",
    "https://developers.apideck.com/apis/crm/salesforce/configuration",
];

/// The hosted MCP clients with a recipe of their own (field-facts "Hosted MCP").
const MCP_CLIENTS: [&str; 6] = [
    "mcp-claude",
    "mcp-claude-code",
    "mcp-cursor",
    "mcp-chatgpt",
    "mcp-postman",
    "mcp-any-client",
];

#[test]
fn the_recipes_cover_the_five_guides_the_mcp_clients_the_cli_and_custom() {
    let recipes = recipe::builtin().expect("built-in recipes load");
    assert_eq!(recipes.len(), 13);
    let sources: HashSet<&str> = recipes.iter().map(|r| r.source.as_str()).collect();
    for guide in GUIDES {
        assert!(sources.contains(guide), "no recipe mirrors {guide}");
    }
    for id in MCP_CLIENTS.into_iter().chain(["sf-cli-ci", "custom"]) {
        assert!(recipes.iter().any(|r| r.id == id), "no recipe {id}");
    }
    let mcp: Vec<&str> = recipes
        .iter()
        .filter(|r| r.is_mcp())
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(mcp, MCP_CLIENTS);
}

#[test]
fn mcp_recipes_set_what_the_hosted_mcp_guide_asks_and_name_their_pages() {
    for id in MCP_CLIENTS {
        let recipe = recipe::builtin_by_id(id).unwrap();
        assert_eq!(recipe.flow, Flow::AuthCode);
        assert_eq!(recipe.scopes, ["mcp_api", "refresh_token"], "{id}");
        for key in [SettingKey::NamedUserJwt, SettingKey::RequirePkce] {
            assert!(recipe.is_checked(key), "{id}: {key:?}");
        }
        // Public clients: no secret anywhere.
        assert!(
            !recipe.is_checked(SettingKey::RequireSecretWebServer),
            "{id}"
        );
        assert!(!recipe.refresh_needs_secret(), "{id}");
        for url in recipe
            .guide
            .split_whitespace()
            .chain([recipe.source.as_str()])
        {
            assert!(url.starts_with("https://"), "{id}: {url}");
        }
        assert!(recipe.source.contains("hosted-mcp-servers"), "{id}");
        for check in [Check::TokenFormat, Check::McpServer, Check::McpCall] {
            assert!(recipe.verifies(check), "{id}: {check:?}");
        }
        assert!(
            !recipe.verifies(Check::RestApi),
            "{id}: MCP clients don't call REST"
        );
    }
    let claude = recipe::builtin_by_id("mcp-claude").unwrap();
    assert!(
        claude
            .callback_urls
            .contains(&"https://claude.ai/api/mcp/auth_callback".to_string())
    );
    let cursor = recipe::builtin_by_id("mcp-cursor").unwrap();
    assert_eq!(
        cursor.callback_urls,
        ["cursor://anysphere.cursor-mcp/oauth/callback"]
    );
    let chatgpt = recipe::builtin_by_id("mcp-chatgpt").unwrap();
    assert!(
        chatgpt.callback_urls.is_empty(),
        "ChatGPT shows its own callback to copy"
    );
    let ci = recipe::builtin_by_id("sf-cli-ci").unwrap();
    assert_eq!(ci.flow, Flow::JwtBearer);
    assert_eq!(
        ci.setting_value(SettingKey::PermittedUsers),
        Some(&recipe::SettingValue::Text(
            settings::PERMITTED_ADMIN.into()
        ))
    );
}

#[test]
fn a_recipe_that_breaks_the_hosted_mcp_rules_is_refused_with_the_reason() {
    let text = recipe::file_text(recipe::builtin_by_id("mcp-claude").unwrap()).unwrap();
    for (from, to, says) in [
        (
            r#"["mcp_api", "refresh_token"]"#,
            r#"["mcp_api", "refresh_token", "api"]"#,
            "opaque",
        ),
        (
            "key = \"named-user-jwt\"\nvalue = true",
            "key = \"named-user-jwt\"\nvalue = false",
            "named-user-jwt",
        ),
        (
            r#""mcp-server", "mcp-call"]"#,
            r#""mcp-server"]"#,
            "no step verifies mcp-call",
        ),
        (
            "kind = \"mcp-servers\"",
            "kind = \"credentials\"",
            "mcp-servers",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let broken = text
            .replace(from, to)
            .replace("id = \"mcp-claude\"", "id = \"mine\"");
        let error = recipe::parse("mine.toml", &broken).unwrap_err().to_string();
        assert!(error.contains(says), "{from} -> {error}");
    }
}

/// A guide is cited by its public address, never by a file name only this project has; the
/// copy the project keeps is named in a comment and is there.
#[test]
fn recipes_cite_their_guides_by_public_url() {
    for recipe in recipe::builtin()
        .unwrap()
        .iter()
        .filter(|r| r.id != "custom")
    {
        assert!(
            recipe.source.starts_with("https://") && !recipe.source.contains(".txt"),
            "{} cites {}",
            recipe.id,
            recipe.source
        );
    }
    let seeds = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        return; // shared/ sits beside the project on developer machines, not in the package
    }
    for recipe in recipe::builtin().unwrap() {
        let text = recipe::file_text(recipe).unwrap();
        if let Some(seed) = text
            .lines()
            .find_map(|l| l.strip_prefix("# The guide as the project keeps it: shared seeds "))
        {
            let seed = seed.trim_end_matches('.');
            assert!(
                seeds.join(seed).is_file(),
                "{} names a missing seed {seed}",
                recipe.id
            );
        }
    }
}

#[test]
fn every_recipe_has_the_setup_sequence() {
    for recipe in recipe::builtin().unwrap() {
        let kinds: Vec<StepKind> = recipe.steps.iter().map(|s| s.kind).collect();
        // An MCP client's users sign in as themselves: no integration user to create.
        let user_steps: &[StepKind] = if recipe.is_mcp() {
            &[StepKind::McpServers]
        } else {
            &[StepKind::IntegrationUser, StepKind::Permissions]
        };
        for kind in user_steps.iter().copied().chain([
            StepKind::BasicInfo,
            StepKind::OauthSettings,
            StepKind::Flows,
            StepKind::Security,
            StepKind::Credentials,
            StepKind::Connect,
        ]) {
            assert!(
                kinds.contains(&kind),
                "{} lacks a {} step",
                recipe.id,
                kind.id()
            );
        }
        assert!(
            kinds.windows(2).all(|w| w[0] <= w[1]),
            "{} steps out of Setup order",
            recipe.id
        );
        assert!(
            recipe.fields().any(|f| f.id == "consumer_key"),
            "{}",
            recipe.id
        );
        assert!(
            recipe.fields().any(|f| f.id == "login_url"),
            "{}",
            recipe.id
        );
        for field in recipe.fields().filter(|f| f.id == "consumer_secret") {
            assert!(
                field.secret,
                "{}: the consumer secret must be masked",
                recipe.id
            );
        }
    }
}

#[test]
fn guides_keep_their_own_security_choices() {
    let apideck = recipe::builtin_by_id("apideck").unwrap();
    assert!(
        !apideck.refresh_needs_secret(),
        "Apideck refreshes without the secret"
    );
    assert!(apideck.is_checked(SettingKey::RequirePkce));
    assert!(apideck.expects_refresh_token());
    let why = apideck
        .step_for_setting(SettingKey::RequireSecretRefresh)
        .unwrap();
    assert_eq!(why.kind, StepKind::Security);

    let aptedge = recipe::builtin_by_id("aptedge").unwrap();
    assert!(aptedge.refresh_needs_secret());
    assert!(!aptedge.is_checked(SettingKey::RequirePkce));
    assert!(aptedge.objects().any(|o| o.object == "CaseComment"));
    assert!(
        aptedge
            .objects()
            .any(|o| o.object == "Knowledge__kav" && o.optional)
    );

    let sbs = recipe::builtin_by_id("service-board-sync").unwrap();
    assert_eq!(sbs.flow, Flow::ClientCredentials);
    assert!(!sbs.expects_refresh_token());
    assert_eq!(
        sbs.step_for_setting(SettingKey::RunAsUser).unwrap().kind,
        StepKind::Policies
    );

    let postman = recipe::builtin_by_id("postman-client-credentials").unwrap();
    assert!(postman.is_checked(SettingKey::RefreshTokenRotation));
    assert_eq!(
        postman.expected_scopes(),
        ["api", "openid"],
        "full is not granted to CC tokens"
    );

    let jwt = recipe::builtin_by_id("lightning-out").unwrap();
    assert_eq!(jwt.flow, Flow::JwtBearer);
    assert!(jwt.steps.iter().any(|s| s.kind == StepKind::TrustedDomains));
}

/// Lightning Out 2.0 trusts the host on three Setup pages (Salesforce Help "Set Up
/// Authentication for Lightning Out 2.0"), not on CSP Trusted Sites alone, and doesn't support
/// client credentials ("doesn't provide user context").
#[test]
fn lightning_out_names_its_three_setup_pages_and_no_client_credentials() {
    let recipe = recipe::builtin_by_id("lightning-out").unwrap();
    let pages: Vec<SetupPage> = recipe
        .steps
        .iter()
        .filter(|s| s.kind == StepKind::TrustedDomains)
        .filter_map(|s| s.page)
        .collect();
    assert_eq!(
        pages,
        [
            SetupPage::SessionSettings,
            SetupPage::Cors,
            SetupPage::TrustedUrls
        ]
    );
    let paths: Vec<&str> = pages.iter().map(|p| p.lightning_path()).collect();
    assert_eq!(
        paths,
        [
            "/lightning/setup/SecuritySession/home",
            "/lightning/setup/CorsWhitelistEntries/home",
            "/lightning/setup/SecurityCspTrustedSite/home"
        ]
    );
    assert!(recipe.steps.iter().any(|s| {
        s.setup_path
            .iter()
            .any(|p| p == "Trusted Domains for Inline Frames")
    }));
    assert_eq!(
        recipe.setting_value(SettingKey::IframeType),
        Some(&recipe::SettingValue::Text("Lightning Out".into()))
    );
    let flows = recipe
        .steps
        .iter()
        .find(|s| s.kind == StepKind::Flows)
        .unwrap();
    let note = flows.guide_note.as_deref().unwrap_or_default();
    assert!(note.contains("doesn't provide user context"), "{note}");
    // A local recipe written for the old page name still loads: it is Trusted URLs.
    let old: SetupPage = serde_json::from_str("\"trusted-domains\"").unwrap();
    assert_eq!(old, SetupPage::TrustedUrls);
}

#[test]
fn auth_code_recipes_register_the_wizard_callbacks() {
    for recipe in recipe::builtin().unwrap() {
        let urls = recipe.default_callback_urls();
        let has_wizard = wizard_callback_urls().iter().all(|u| urls.contains(u));
        assert_eq!(has_wizard, recipe.flow == Flow::AuthCode, "{}", recipe.id);
        if recipe.flow == Flow::AuthCode {
            let checks: HashSet<Check> = recipe
                .steps
                .iter()
                .flat_map(|s| s.verifies.iter().copied())
                .collect();
            assert!(checks.contains(&Check::Refresh), "{}", recipe.id);
        }
    }
}

#[test]
fn every_setting_key_has_a_catalogue_entry() {
    for key in SettingKey::ALL {
        let info = settings::lookup(*key).unwrap_or_else(|| panic!("{key:?} has no entry"));
        assert!(!info.label.is_empty() && !info.section.is_empty());
    }
}

#[test]
fn unknown_builtin_id_lists_the_choices() {
    let error = recipe::builtin_by_id("nope").unwrap_err().to_string();
    assert!(
        error.contains("apideck") && error.contains("custom"),
        "{error}"
    );
}

// ---- the loader refuses broken recipes -------------------------------------------------------

fn apideck_text() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/recipes/apideck.toml"
    ))
    .unwrap()
}

fn refused(text: &str) -> String {
    match recipe::parse("broken.toml", text) {
        Ok(_) => panic!("a broken recipe was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_unmodified_recipe_parses() {
    assert!(recipe::parse("apideck.toml", &apideck_text()).is_ok());
}

#[test]
fn unknown_validator_is_refused() {
    let text = apideck_text().replacen("validator = \"email\"", "validator = \"e-mail\"", 1);
    let error = refused(&text);
    assert!(
        error.contains("e-mail") && error.contains("broken.toml"),
        "{error}"
    );
}

#[test]
fn unknown_scope_is_refused() {
    let text = apideck_text().replacen(
        "\"openid\", \"refresh_token\"",
        "\"openid\", \"refresh\"",
        1,
    );
    let said = refused(&text);
    assert!(
        said.contains("'refresh' is not a scope; did you mean 'refresh_token'?"),
        "{said}"
    );
}

#[test]
fn unknown_step_kind_is_refused() {
    let text = apideck_text().replacen("kind = \"flows\"", "kind = \"flow-enablement\"", 1);
    assert!(refused(&text).contains("flow-enablement"));
}

#[test]
fn duplicate_step_id_is_refused() {
    let text = apideck_text().replacen("id = \"flows\"", "id = \"security\"", 1);
    assert!(refused(&text).contains("step id 'security' is used twice"));
}

#[test]
fn duplicate_field_id_is_refused() {
    let text = apideck_text().replacen("id = \"api_name\"", "id = \"app_name\"", 1);
    assert!(refused(&text).contains("field id 'app_name' is used twice"));
}

#[test]
fn unknown_setting_key_and_wrong_value_types_are_refused() {
    let text = apideck_text().replacen("key = \"require-pkce\"", "key = \"require-pkse\"", 1);
    assert!(refused(&text).contains("require-pkse"));
    let text = apideck_text().replacen("value = \"Local\"", "value = \"Global\"", 1);
    assert!(refused(&text).contains("no option 'Global'"));
    let text = apideck_text().replacen(
        "key = \"require-pkce\"\nvalue = true",
        "key = \"require-pkce\"\nvalue = \"yes\"",
        1,
    );
    assert!(refused(&text).contains("checkbox"));
}

#[test]
fn steps_out_of_setup_order_are_refused() {
    let text = apideck_text().replacen("kind = \"integration-user\"", "kind = \"security\"", 1);
    assert!(refused(&text).contains("Setup's order"));
}

#[test]
fn object_permission_dependencies_are_enforced() {
    let text = apideck_text().replacen(
        "{ object = \"Account\", access = [\"read\"] }",
        "{ object = \"Account\", access = [\"edit\"] }",
        1,
    );
    assert!(refused(&text).contains("edit needs read"));
}

#[test]
fn a_dangling_field_reference_is_refused() {
    let text = apideck_text().replacen(
        "from_field = \"contact_email\"",
        "from_field = \"email\"",
        1,
    );
    assert!(refused(&text).contains("reads field 'email'"));
}

#[test]
fn unknown_keys_are_refused() {
    let text =
        apideck_text().replacen("flow = \"auth-code\"", "flow = \"auth-code\"\nflows = 1", 1);
    assert!(refused(&text).contains("flows"));
}

#[test]
fn client_credentials_without_run_as_is_refused() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/recipes/service-board-sync.toml"
    ))
    .unwrap()
    .replacen(
        "[[steps.settings]]\nkey = \"run-as-user\"\nfrom_field = \"integration_username\"\n",
        "",
        1,
    );
    assert!(refused(&text).contains("run-as-user"));
}

#[test]
fn each_flow_names_the_integration_user_it_needs() {
    // An API-only user can't sign in in a browser (field facts: KB 000003819), so only client
    // credentials may use the Salesforce Integration license; the code flow needs a user who can.
    for recipe in recipe::builtin().unwrap() {
        let Some(step) = recipe
            .steps
            .iter()
            .find(|s| s.kind == StepKind::IntegrationUser)
        else {
            continue;
        };
        let license = recipe
            .setting_value(SettingKey::UserLicense)
            .map(|v| format!("{v:?}"));
        match recipe.flow {
            Flow::AuthCode => {
                assert!(
                    step.what.contains("sign in"),
                    "{}: {}",
                    recipe.id,
                    step.what
                );
                assert!(
                    license
                        .as_deref()
                        .is_none_or(|l| !l.contains("Salesforce Integration")),
                    "{}: {license:?}",
                    recipe.id
                );
            }
            Flow::ClientCredentials => {
                assert!(
                    license
                        .as_deref()
                        .is_some_and(|l| l.contains("Salesforce Integration")),
                    "{}",
                    recipe.id
                );
                assert!(
                    step.what.contains("Minimum Access - API Only Integrations"),
                    "{}",
                    recipe.id
                );
            }
            // Lightning Out signs in the named users it embeds, not one integration user.
            Flow::JwtBearer => {}
        }
    }
}

/// What apply does and leaves: the deploy's steps are its own; org-wide settings, trusted
/// domains, MCP activation and an existing user's permissions stay with the admin.
#[test]
fn apply_does_the_deployed_steps_and_leaves_the_rest_to_the_admin() {
    for recipe in recipe::builtin().unwrap() {
        for (i, step) in recipe.steps.iter().enumerate() {
            let does = recipe.done_by_apply(i, ApplyUser::Unknown, false);
            match step.kind {
                StepKind::BasicInfo
                | StepKind::OauthSettings
                | StepKind::Flows
                | StepKind::Security
                | StepKind::Policies
                | StepKind::InstallPackage => assert!(does, "{} {}", recipe.id, step.title),
                StepKind::OrgSettings
                | StepKind::Certificate
                | StepKind::TrustedDomains
                | StepKind::McpServers
                | StepKind::Connect
                | StepKind::IntegrationUser
                | StepKind::Permissions => assert!(!does, "{} {}", recipe.id, step.title),
                StepKind::Credentials => {
                    assert_eq!(does, recipe.flow != Flow::JwtBearer, "{}", recipe.id);
                    assert!(
                        recipe.done_by_apply(i, ApplyUser::Unknown, true),
                        "with the private key"
                    );
                }
            }
            if step.kind == StepKind::Permissions {
                assert!(
                    recipe.done_by_apply(i, ApplyUser::Existing, false),
                    "assigned"
                );
            }
            if matches!(step.kind, StepKind::IntegrationUser | StepKind::Permissions) {
                assert!(
                    recipe.done_by_apply(i, ApplyUser::Creates, false),
                    "a user apply creates"
                );
            }
        }
    }
    // An org-wide setting stays with the admin even when apply creates the user. No built-in
    // recipe has one now (Apideck's guide's org switch was for a flow it doesn't use), so a
    // recipe is written with one.
    let text = recipe::file_text(recipe::builtin_by_id("custom").unwrap())
        .unwrap()
        .replacen(
            "[[steps]]\nid = \"basic-info\"",
            "[[steps]]\nid = \"org-oauth\"\ntitle = \"Org-wide OAuth settings\"\nkind = \"org-settings\"\nsetup_path = [\"Setup\", \"Identity\", \"OAuth and OpenID Connect Settings\"]\nwhat = \"Turn the switch on.\"\nwhy = \"The app's checkbox needs it.\"\n\n[[steps.settings]]\nkey = \"org-code-credentials\"\nvalue = true\n\n[[steps]]\nid = \"basic-info\"",
            1,
        );
    let with_org = recipe::parse("org.toml", &text).unwrap();
    let org = with_org
        .steps
        .iter()
        .position(|s| s.kind == StepKind::OrgSettings)
        .unwrap();
    assert!(!with_org.done_by_apply(org, ApplyUser::Creates, true));
}

/// Facts the field has moved past (field-facts-2026.md): Setup's node for External Client App
/// Settings, the mcp_api scope's label, the Security checkbox the hosted MCP guide deselects,
/// the standard MCP servers beyond the sObject ones, and sf-cli-ci's connected-app note.
#[test]
fn the_2026_names_are_the_ones_setup_shows() {
    assert_eq!(
        SetupPage::ExternalClientAppSettings.lightning_path(),
        "/lightning/setup/ExternalClientApplicationSettings/home"
    );
    let mcp = eca_wizard::salesforce::scopes::find("mcp_api").unwrap();
    assert_eq!(mcp.label, "Access MCP servers (mcp_api)");
    let parameter = settings::lookup(SettingKey::AccessTokenParameter).unwrap();
    assert_eq!(
        parameter.label,
        "Issue access tokens in access_token parameter"
    );
    assert_eq!(
        parameter.metadata, None,
        "no known metadata field: not deployed"
    );
    for server in [
        "platform/metadata-experts",
        "platform/salesforce-api-context",
    ] {
        assert!(
            eca_wizard::salesforce::mcp::standard_server(server).is_some(),
            "{server}"
        );
    }
    let ci = recipe::builtin_by_id("sf-cli-ci").unwrap();
    assert!(ci.steps.iter().any(|s| {
        s.guide_note.as_deref().is_some_and(|n| {
            n.contains("Salesforce Support case")
                && n.contains("Approve Uninstalled Connected Apps")
        })
    }));
}
