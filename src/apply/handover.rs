//! The end of apply: the new app's key (and secret, when the org lets it be read) read back,
//! to connect with; or what the admin copies from Setup by hand.

use crate::apply::event::{ApplyEvent, SecretEvent, Tell};
use crate::apply::request::{ApplyRequest, Connection};
use crate::apply::run::{Applied, Ask, Work};
use crate::apply::session::Session;
use crate::metadata;
use crate::recipe::Recipe;
use crate::salesforce::Flow;
use crate::secret::Secret;

/// The new app's credentials, to connect with; or what to copy from Setup by hand.
pub(super) async fn read_credentials(
    http: &reqwest::Client,
    args: &ApplyRequest,
    session: &Session,
    work: &Work,
    changed: bool,
    ask: &mut Ask<'_>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<Applied> {
    let (recipe, app) = (work.recipe, work.app.as_str());
    let copy_by_hand = |key: Option<String>, tell: &mut Tell<'_>| -> anyhow::Result<Applied> {
        tell(ApplyEvent::CopyByHand {
            recipe: recipe.id.clone(),
            instance_url: session.instance_url.clone(),
        })?;
        Ok(Applied::CopyByHand { key, changed })
    };
    let jwt = recipe.flow == Flow::JwtBearer;
    let (key, secret) = if jwt {
        // JWT bearer needs only the key (no secret) and the admin's private key.
        let (Some(_), Some(_)) = (&args.private_key, &work.options.run_as) else {
            return copy_by_hand(None, tell);
        };
        match crate::apply::credentials::read(http, session, &args.api_version, app).await? {
            crate::apply::credentials::Read::Both { key, .. }
            | crate::apply::credentials::Read::KeyOnly { key } => (key, None),
        }
    } else {
        let (key, secret) = credentials(http, session, args, recipe, app, ask, tell).await?;
        if secret.is_none() && recipe.needs_secret() {
            return copy_by_hand(Some(key), tell);
        }
        (key, secret)
    };
    tell(ApplyEvent::CredentialsRead {
        app: app.to_string(),
        secret: secret.is_some(),
        jwt,
    })?;
    let connect = Box::new(connect_args(args, recipe, &work.options, session, app, key));
    Ok(Applied::Connect {
        connect,
        secret,
        changed,
    })
}

/// The key and, when it could be read, the secret of the new app. When the org doesn't allow
/// reading secrets, the setting that does is read first and turned on only when it is off and
/// the admin agrees, then put back as it was (`secret_setting`).
async fn credentials(
    http: &reqwest::Client,
    session: &Session,
    args: &ApplyRequest,
    recipe: &Recipe,
    app: &str,
    ask: &mut Ask<'_>,
    tell: &mut Tell<'_>,
) -> anyhow::Result<(String, Option<Secret>)> {
    use crate::apply::credentials::{Read, read};
    use crate::apply::secret_setting;
    let needs_secret = recipe.needs_secret();
    let version = args.api_version.as_str();
    let key = match read(http, session, version, app).await? {
        Read::Both { key, secret } => return Ok((key, Some(secret))),
        Read::KeyOnly { key } if !needs_secret => return Ok((key, None)),
        Read::KeyOnly { key } => key,
    };
    match secret_setting::read(http, session, version).await {
        Ok(false) => {}
        Ok(true) => {
            tell(ApplyEvent::Secret(SecretEvent::OnButUnread {
                key: key.clone(),
            }))?;
            return Ok((key, None));
        }
        Err(e) => {
            tell(ApplyEvent::Secret(SecretEvent::SettingUnread {
                error: format!("{e:#}"),
                key: key.clone(),
            }))?;
            return Ok((key, None));
        }
    }
    tell(ApplyEvent::Secret(SecretEvent::Off))?;
    let question = "Turn it on to read the new app's secret, and off again right after?";
    if !(args.allow_secret_access || ask(question)?) {
        tell(ApplyEvent::Secret(SecretEvent::LeftOff {
            key: key.clone(),
        }))?;
        return Ok((key, None));
    }
    let window = secret_setting::while_on(
        http,
        session,
        version,
        &mut |event| tell(ApplyEvent::Secret(event)),
        read(http, session, version, app),
    )
    .await?;
    if let Some(signal) = window.signal {
        return Err(crate::commands::Interrupted(signal).into());
    }
    match window.result.transpose()? {
        Some(Read::Both { key, secret }) => Ok((key, Some(secret))),
        Some(Read::KeyOnly { key }) => {
            tell(ApplyEvent::Secret(SecretEvent::StillUnread))?;
            Ok((key, None))
        }
        None => Ok((key, None)),
    }
}

/// What to connect to the new app with.
fn connect_args(
    args: &ApplyRequest,
    recipe: &'static Recipe,
    options: &metadata::Options,
    session: &Session,
    app: &str,
    key: String,
) -> Connection {
    Connection {
        login_url: session.instance_url.clone(),
        client_id: key,
        recipe,
        callback_urls: options.callback_urls.clone(),
        username: options.run_as.clone(),
        private_key: args.private_key.clone(),
        save: args.save.clone(),
        api_name: app.to_string(),
        secrets_file: args.secrets_file,
        target_org: session.target.clone(),
    }
}
