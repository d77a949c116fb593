//! `eca-wizard metadata`: the recipe's External Client App as a deployable DX project.

use std::io::Write;

use crate::cli::MetadataArgs;
use crate::commands::UsageError;
use crate::metadata::{self, Options};
use crate::recipe;
use crate::salesforce::callback::check_callback_url;
use crate::salesforce::naming::{check_email, check_username};

pub fn run(args: &MetadataArgs) -> anyhow::Result<()> {
    let recipe = recipe::builtin_by_id(&args.recipe).map_err(|e| UsageError(e.to_string()))?;
    for url in &args.callback_urls {
        check_callback_url(url).map_err(|e| UsageError(format!("--callback-url: {e}")))?;
    }
    if let Some(email) = &args.contact_email {
        check_email(email).map_err(|e| UsageError(format!("--contact-email: {e}")))?;
    }
    if let Some(user) = &args.run_as {
        check_username(user).map_err(|e| UsageError(format!("--run-as: {e}")))?;
    }
    let certificate = match &args.certificate {
        Some(path) => {
            let pem = std::fs::read_to_string(path).map_err(|e| {
                UsageError(format!(
                    "can't read the certificate {}: {e}",
                    path.display()
                ))
            })?;
            crate::jwt::certificate_public_key(&pem)
                .map_err(|e| UsageError(format!("{}: {e}", path.display())))?;
            Some(pem)
        }
        None => None,
    };
    let profile = match &args.from {
        Some(name) => {
            let dir = crate::profile::profiles_dir()?;
            Some(crate::profile::load(&dir, name).map_err(|e| UsageError(format!("--from: {e}")))?)
        }
        None => None,
    };
    let callback_urls = match (&profile, args.callback_urls.is_empty()) {
        (Some(profile), true) => profile.callback_urls.clone(),
        _ => args.callback_urls.clone(),
    };
    let run_as = args
        .run_as
        .clone()
        .or_else(|| profile.as_ref().and_then(|p| p.username.clone()));
    let options = Options {
        name: args.name.clone(),
        label: args.label.clone(),
        contact_email: args.contact_email.clone(),
        callback_urls,
        run_as,
        permission_set: args.permission_set.clone(),
        certificate,
        policy_names: args.policy_names,
        include_optional: args.include_optional,
        without_jwt_certificate: args.no_jwt_certificate,
    };
    let files = metadata::generate(recipe, &options).map_err(|e| UsageError(e.to_string()))?;
    if !args.force
        && let Some(existing) = files.iter().find(|f| args.out.join(&f.path).exists())
    {
        return Err(UsageError(format!(
            "{} already exists; pass --force to overwrite, or choose another --out",
            args.out.join(&existing.path).display()
        ))
        .into());
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in &files {
        let path = args.out.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &file.contents)?;
        writeln!(out, "wrote {}", path.display())?;
    }
    writeln!(
        out,
        "\nDeploy: see {}",
        args.out.join("README.md").display()
    )?;
    Ok(())
}
