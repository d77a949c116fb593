//! Deploys the emulator refuses as Salesforce does, in Salesforce's words, and the fix apply puts
//! under each: a second settings or policies component under another member name, a retrieved
//! `oauthLink`, a satellite of an app the org doesn't have, an object without object
//! permissions (texts and sources: `salesforce::deploy_failures`).

use std::time::Duration;

use crate::common::*;
use eca_wizard::apply::{deploy, package, session};
use eca_wizard::emulator::Emulator;
use eca_wizard::emulator::org::{DEMO_APP, DEMO_INTEGRATION_USER};
use eca_wizard::metadata::{self, File, Options, PolicyNames};
use eca_wizard::recipe;
use eca_wizard::salesforce::deploy_failures as texts;

fn files(name: &str, policies: PolicyNames) -> Vec<File> {
    let recipe = recipe::builtin_by_id("service-board-sync").unwrap();
    let options = Options {
        name: Some(name.into()),
        contact_email: Some("admin@acme.example".into()),
        run_as: Some(DEMO_INTEGRATION_USER.into()),
        callback_urls: vec!["https://sync.example.com/oauth/callback".into()],
        policy_names: policies,
        ..Options::default()
    };
    metadata::generate(recipe, &options).unwrap()
}

/// The file whose path ends with `suffix`.
fn file<'a>(files: &'a mut [File], suffix: &str) -> &'a mut File {
    files.iter_mut().find(|f| f.path.ends_with(suffix)).unwrap()
}

async fn run(emulator: &Emulator, files: &[File]) -> deploy::Deployed {
    let token = admin_token(emulator).await;
    let session = session::from_token(emulator.my_domain_url(), &token).unwrap();
    deploy::deploy(
        client(),
        &session,
        "66.0",
        package::mdapi_zip(files).unwrap(),
        false,
        Duration::from_millis(10),
        &mut |_| {},
    )
    .await
    .unwrap()
}

/// The one refused component, its problem and the fix apply shows.
fn refused(deployed: &deploy::Deployed) -> (&str, &str, &'static str) {
    assert!(!deployed.success, "{deployed:?}");
    let [failure] = deployed.failures.as_slice() else {
        panic!("one failure: {deployed:?}")
    };
    let fix = failure.fix().expect("a known failure has a fix");
    (failure.file.as_str(), failure.problem.as_str(), fix)
}

#[tokio::test]
async fn an_app_made_in_setup_takes_setups_names_and_refuses_others() {
    let emulator = start();
    // The generated names are Setup's: the deploy updates the app made in Setup.
    let deployed = run(&emulator, &files(DEMO_APP, PolicyNames::Setup)).await;
    assert!(deployed.success, "{deployed:?}");
    assert!(
        deployed
            .changed
            .iter()
            .any(|f| f == &format!("extlClntAppGlobalOauthSets/{DEMO_APP}_glbloauth.ecaGlblOauth")),
        "{deployed:?}"
    );

    // The old generator's `_glbl`: a second global settings record for the same app.
    let mut glbl = files(DEMO_APP, PolicyNames::Setup);
    let global = file(&mut glbl, ".ecaGlblOauth-meta.xml");
    global.path = global.path.replace("_glbloauth.", "_glbl.");
    let deployed = run(&emulator, &glbl).await;
    let (file, problem, fix) = refused(&deployed);
    assert_eq!(
        file,
        format!("extlClntAppGlobalOauthSets/{DEMO_APP}_glbl.ecaGlblOauth")
    );
    assert_eq!(
        problem,
        format!(
            "duplicate value found: ExternalClientApplicationId duplicates value on {DEMO_APP}_glbloauth"
        )
    );
    assert!(fix.contains("<App>_glbloauth"), "{fix}");

    // The policies as a package names them: the same refusal, the same way.
    let deployed = run(&emulator, &files(DEMO_APP, PolicyNames::Packaged)).await;
    assert_eq!(deployed.failures.len(), 2, "{deployed:?}");
    for (failure, setup) in deployed.failures.iter().zip(["_oauthPlcy", "_plcy"]) {
        assert_eq!(
            failure.problem,
            texts::duplicate_member(&format!("{DEMO_APP}{setup}")),
            "{failure:?}"
        );
        assert!(failure.fix().is_some_and(|f| f.contains("--policy-names")));
    }
    let app = emulator.app(DEMO_APP).unwrap();
    assert_eq!(
        app.member("ExtlClntAppGlobalOauthSettings"),
        Some(format!("{DEMO_APP}_glbloauth")),
        "a failed deploy changes nothing"
    );
}

#[tokio::test]
async fn an_app_a_deploy_made_keeps_the_names_it_was_deployed_with() {
    let emulator = start();
    let deployed = run(&emulator, &files("SBS_Pkg", PolicyNames::Packaged)).await;
    assert!(deployed.success, "{deployed:?}");
    let again = run(&emulator, &files("SBS_Pkg", PolicyNames::Packaged)).await;
    assert!(again.success, "the same names again: {again:?}");
    let renamed = run(&emulator, &files("SBS_Pkg", PolicyNames::Setup)).await;
    let problems: Vec<&str> = renamed
        .failures
        .iter()
        .map(|f| f.problem.as_str())
        .collect();
    assert_eq!(
        problems,
        [
            texts::duplicate_member("SBS_Pkg_oauth_defaultPolicy"),
            texts::duplicate_member("SBS_Pkg_defaultPolicy"),
        ]
    );
}

#[tokio::test]
async fn a_retrieved_oauth_link_is_refused_with_the_fix() {
    let emulator = start();
    let mut project = files("SBS_Linked", PolicyNames::Setup);
    let oauth = file(&mut project, ".ecaOauth-meta.xml");
    oauth.contents = oauth.contents.replace(
        "</ExtlClntAppOauthSettings>",
        "    <oauthLink>00D5g000004Xyz1:8885g0000000001</oauthLink>\n</ExtlClntAppOauthSettings>",
    );
    let deployed = run(&emulator, &project).await;
    let (file, problem, fix) = refused(&deployed);
    assert_eq!(file, "extlClntAppOauthSettings/SBS_Linked_oauth.ecaOauth");
    assert_eq!(problem, texts::oauth_link("SBS_Linked"));
    assert!(problem.contains("doesn't have distribution state PACKAGED"));
    assert!(fix.contains("<oauthLink>"), "{fix}");
    assert!(emulator.app("SBS_Linked").is_none(), "rolled back");
}

#[tokio::test]
async fn satellites_of_an_app_the_org_lacks_are_refused_with_the_fix() {
    let emulator = start();
    let mut project = files("SBS_Orphan", PolicyNames::Setup);
    project.retain(|f| !f.path.ends_with(".eca-meta.xml"));
    let deployed = run(&emulator, &project).await;
    assert_eq!(deployed.failures.len(), 4, "{deployed:?}");
    for failure in &deployed.failures {
        assert_eq!(failure.problem, texts::unknown_app("SBS_Orphan"));
        assert!(failure.fix().is_some_and(|f| f.contains(".eca file")));
    }
}

#[tokio::test]
async fn an_object_without_object_permissions_is_refused_with_the_fix() {
    let emulator = start();
    let mut project = files("SBS_Comments", PolicyNames::Setup);
    let set = file(&mut project, ".permissionset-meta.xml");
    set.contents = set.contents.replace(
        "</PermissionSet>",
        "    <objectPermissions>\n        <allowRead>true</allowRead>\n        <object>CaseComment</object>\n    </objectPermissions>\n</PermissionSet>",
    );
    let deployed = run(&emulator, &project).await;
    let (file, problem, fix) = refused(&deployed);
    assert!(file.starts_with("permissionsets/"), "{file}");
    assert_eq!(problem, texts::object_without_permissions("CaseComment"));
    assert!(fix.contains("no object permissions"), "{fix}");
}
