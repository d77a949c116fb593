//! `eca-wizard recipes`, run as a user would run it.

use std::process::Output;

use crate::common::launch;

fn run(args: &[&str]) -> Output {
    launch::fresh().args(args).output().expect("binary runs")
}

#[test]
fn recipes_json_lists_every_recipe_with_its_steps_and_sources() {
    let out = run(&["recipes", "--json"]);
    assert!(out.status.success());
    let recipes: serde_json::Value = serde_json::from_slice::<serde_json::Value>(&out.stdout)
        .expect("one JSON object")["result"]
        .clone();
    let recipes = recipes.as_array().expect("an array");
    assert_eq!(recipes.len(), 13);
    // Hosted MCP recipes name Salesforce's guide and the client's page by URL.
    for recipe in recipes
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("mcp-"))
    {
        assert!(
            recipe["source"]
                .as_str()
                .unwrap()
                .starts_with("https://developer.salesforce.com/")
        );
        let guide = recipe["guide"].as_str().expect("guide");
        assert!(
            guide.split_whitespace().all(|u| u.starts_with("https://")),
            "{guide}"
        );
    }
    let mut sources = Vec::new();
    for recipe in recipes {
        for key in ["id", "title", "source", "flow", "scopes", "steps"] {
            assert!(recipe.get(key).is_some(), "missing {key} in {recipe}");
        }
        let flow = recipe["flow"].as_str().unwrap();
        assert!(
            ["auth-code", "client-credentials", "jwt-bearer"].contains(&flow),
            "{flow}"
        );
        assert!(
            recipe["scopes"]
                .as_array()
                .unwrap()
                .iter()
                .all(|s| s.is_string())
        );
        for step in recipe["steps"].as_array().unwrap() {
            for key in ["id", "title", "kind"] {
                assert!(step[key].is_string(), "step lacks {key}: {step}");
            }
        }
        sources.push(recipe["source"].as_str().unwrap().to_string());
    }
    // Every guide by its public address, never by a file name only this project has.
    for source in sources.iter().filter(|s| *s != "custom") {
        assert!(
            source.starts_with("https://") && !source.ends_with(".txt"),
            "{source}"
        );
    }
}

#[test]
fn one_recipe_as_json_and_as_text() {
    let out = run(&["recipes", "apideck", "--json"]);
    assert!(out.status.success());
    let recipe: serde_json::Value =
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["result"].clone();
    assert_eq!(recipe["id"], "apideck");
    assert_eq!(recipe["refresh_needs_secret"], false);

    let out = run(&["recipes", "apideck"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Require secret for Refresh Token Flow: unchecked"),
        "{text}"
    );
    assert!(
        text.contains(
            "Mirrors: Salesforce guide for creating an OAuth app by Apideck [https://developers.apideck.com/apis/crm/salesforce/configuration]"
        ),
        "{text}"
    );
    assert!(!text.contains(".txt"), "{text}");
    // Settings filled from a field show the real value, the vendor's callback first.
    assert!(!text.contains("<callback_urls>"), "{text}");
    let vendor = text.find("        https://unify.apideck.com/vault/callback\n");
    let loopback = text.find("        http://localhost:7717/callback (the wizard's check");
    assert!(vendor.is_some() && vendor < loopback, "{text}");
    assert!(!text.contains("<app_name>"), "{text}");
}

#[test]
fn the_text_list_names_every_recipe() {
    let out = run(&["recipes"]);
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "apideck",
        "aptedge",
        "service-board-sync",
        "postman-client-credentials",
        "custom",
    ] {
        assert!(text.contains(id), "{id} missing from\n{text}");
    }
}

#[test]
fn an_unknown_recipe_fails_and_lists_the_ids() {
    let out = run(&["recipes", "salesforce-magic"]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("No recipe 'salesforce-magic'") && err.contains("apideck"),
        "{err}"
    );
}

#[test]
fn version_prints_the_package_version() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains(env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn the_wizard_needs_a_terminal_and_says_what_to_use_instead() {
    for args in [&[][..], &["demo"][..]] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("needs a terminal") && err.contains("eca-wizard connect"),
            "{err}"
        );
    }
}

#[test]
fn an_unknown_demo_fault_lists_the_faults() {
    let out = run(&["demo", "--fault", "everything-broken"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("refresh-secret") && err.contains("no-run-as"),
        "{err}"
    );
    // Each fault names the recipes it applies to.
    assert!(
        err.contains("no-run-as (service-board-sync, postman-client-credentials)"),
        "{err}"
    );
    assert!(err.contains("refresh-secret (apideck"), "{err}");
}
