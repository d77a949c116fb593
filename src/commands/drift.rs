//! `eca-wizard status PROFILE --drift`: the live app, read with the admin's session, against
//! the profile's recipe: each drifted setting with its Setup label, live and wanted value and
//! the fix; what a query can't read is named as unchecked. Exit 0 no drift, 3 drift, 1 when
//! the app isn't in the org.

use std::io::Write;

use serde_json::json;

use crate::apply::live;
use crate::salesforce::settings;

pub fn run(
    name: &str,
    target_org: Option<&str>,
    instance_url: Option<&str>,
    json: bool,
) -> anyhow::Result<u8> {
    let mut work = crate::commands::apply::profile_work(name)?;
    let session = crate::commands::apply::profile_session(&mut work, target_org, instance_url)?;
    let crate::commands::apply::ProfileWork { recipe, app, .. } = work;
    let runtime = crate::commands::runtime()?;
    let http = crate::net::client()?;
    let version = crate::metadata::API_VERSION;
    let found = runtime.block_on(live::app(http, &session, version, &app))?;
    let unchecked: Vec<&str> = live::UNCHECKED
        .iter()
        .filter_map(|k| settings::lookup(*k).map(|s| s.label))
        .collect();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let Some(found) = found else {
        if json {
            let result = json!({"profile": name, "app": app, "found": false});
            crate::commands::output::print("status", 1, &result, &[])?;
        } else {
            writeln!(
                out,
                "{app} isn't in the org at {}: it was deleted, renamed, or this is another org (eca-wizard apply creates it).",
                session.instance_url
            )?;
        }
        return Ok(1);
    };
    let drifted = live::drift(recipe, &found);
    let code = if drifted.is_empty() { 0 } else { 3 };
    if json {
        let list: Vec<_> = drifted
            .iter()
            .map(|d| json!({"setting": d.label, "live": d.live, "wanted": d.wanted, "fix": d.fix}))
            .collect();
        let result = json!({"profile": name, "app": app, "found": true, "drift": list, "unchecked": unchecked});
        crate::commands::output::print("status", code, &result, &[])?;
    } else {
        writeln!(
            out,
            "{app} ({}) against the recipe {}:",
            found.id, recipe.id
        )?;
        if drifted.is_empty() {
            writeln!(out, "  no drift in the settings a query can read")?;
        }
        for d in &drifted {
            writeln!(
                out,
                "  DRIFT {}: live {}, wanted {}: {}",
                d.label, d.live, d.wanted, d.fix
            )?;
        }
        writeln!(
            out,
            "  unchecked (a query can't read them): {}",
            unchecked.join("; ")
        )?;
    }
    Ok(code)
}
