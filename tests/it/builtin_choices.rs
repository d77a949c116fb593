//! Built-in recipes whose guide offers a choice: `sf-cli-ci`'s DX guide signs the CLI in with
//! `sf org login jwt` (the default, as its format 1 file was) or `sf org login web`.

use eca_wizard::recipe::{self, Role, answers};
use eca_wizard::salesforce::Flow;

#[test]
fn the_cli_recipe_offers_jwt_bearer_or_the_web_login() {
    let loaded = recipe::builtin_by_id("sf-cli-ci").unwrap();
    assert_eq!(loaded.format, 2);
    assert_eq!(loaded.flow, Flow::JwtBearer, "the default is unchanged");
    let web = answers::variant(loaded, &[("flow".into(), "auth-code".into())]);
    assert_eq!(web.flow, Flow::AuthCode);
    let ids: Vec<&str> = web.steps.iter().map(|s| s.id.as_str()).collect();
    for jwt_only in ["permissions", "flows", "policies", "connect"] {
        assert!(!ids.contains(&jwt_only), "{ids:?}");
    }
    assert!(ids.contains(&"connect-web"), "{ids:?}");
    assert!(web.field_for(Role::ConsumerSecret).is_some());
    assert!(web.field_for(Role::Certificate).is_none());
    assert!(loaded.field_for(Role::ConsumerSecret).is_none());
}
