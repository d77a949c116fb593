//! What apply did, as it happens: typed events for the caller, and (in `Display`) the one place
//! that puts each into the words the CLI prints and the wizard shows, line for line.

use std::fmt;
use std::io::{self, Write};

use crate::apply::deploy::ComponentFailure;
use crate::apply::live::Drift;
use crate::apply::secret_setting::LABEL;
use crate::terminal_safe::terminal_safe;

/// Where apply's events go: the CLI writes their words, the wizard sends them to the core.
pub type Tell<'a> = dyn FnMut(ApplyEvent) -> io::Result<()> + Send + 'a;

/// Where the secret setting's events go (apply's and rotate's).
pub type TellSecret<'a> = dyn FnMut(SecretEvent) -> io::Result<()> + Send + 'a;

/// Tells each event to `out` as its words, a line each (the CLI's way).
pub fn write_to<E: fmt::Display>(
    out: &mut (dyn Write + Send),
) -> impl FnMut(E) -> io::Result<()> + Send + '_ {
    move |event| writeln!(out, "{event}")
}

/// One thing apply did or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplyEvent {
    /// Said once about the session (an old CLI, a stale token).
    SessionNote(String),
    /// The org keeps Require PKCE on for every app (the org setting's label): so does the app.
    PkceForced {
        setting: &'static str,
    },
    /// Whether the org requires PKCE for every app couldn't be read.
    PkceUnread {
        error: String,
    },
    Plan(Plan),
    /// The settings that decide who gets a token and how, as the deploy sets them (callbacks,
    /// scopes, flows, PKCE, the secrets required, permitted users, IP relaxation).
    Security(Vec<crate::metadata::summary::Line>),
    /// A shared recipe file sends sign-ins to callbacks outside this machine and its guide's
    /// domain: listed before the deploy asks (or, on a dry run, says it will ask).
    DoubtfulCallbacks {
        origin: String,
        domain: String,
        urls: Vec<String>,
        dry_run: bool,
    },
    /// The app isn't in the org: the deploy creates it.
    AppAbsent {
        app: String,
    },
    /// The app is in the org: the settings a query reads that the deploy changes, and those it
    /// can't read.
    AppPresent {
        app: String,
        id: String,
        drift: Vec<Drift>,
        unread: Vec<&'static str>,
    },
    /// The integration user apply creates (or would, on a dry run).
    UserPlanned {
        username: String,
        permission_set: String,
        dry_run: bool,
    },
    UserCreated {
        username: String,
        id: String,
    },
    /// A deploy's status as it polls; `check`: the check-only deploy before the real one.
    DeployStatus {
        check: bool,
        status: String,
    },
    /// The check-only deploy found nothing to change: nothing deployed.
    Unchanged {
        check: String,
    },
    /// The check-only deploy didn't say what changes: everything deploys.
    ChangesUnknown,
    /// What the check-only deploy says changes.
    Changes(Vec<String>),
    /// The user created before a deploy that failed (or was refused) stays.
    UserStays {
        username: String,
        id: String,
        refused: bool,
    },
    /// A dry run with a new user: only the policies naming it failed.
    ValidatedOnceUserExists {
        app: String,
    },
    /// The org refused the metadata: the deploy, then each failure.
    Refused {
        id: String,
        status: String,
    },
    Failure(ComponentFailure),
    RolledBack {
        recipe: String,
    },
    DeployError(String),
    NothingChanged,
    /// A dry run validated: `changes` is None for a new app.
    Validated {
        app: String,
        components: usize,
        changes: Option<Vec<String>>,
    },
    Deployed {
        app: String,
        components: usize,
        id: String,
    },
    PermissionSetAssigned {
        permission_set: String,
        who: String,
    },
    PermissionSetHeld {
        permission_set: String,
        who: String,
    },
    /// The credentials were read: connecting follows.
    CredentialsRead {
        app: String,
        secret: bool,
        jwt: bool,
    },
    /// The credentials are the admin's to copy from Setup.
    CopyByHand {
        recipe: String,
        instance_url: String,
    },
    Secret(SecretEvent),
    /// Installing the vendor's package (`[package]` recipes).
    Package(crate::apply::install::PackageEvent),
}

/// The org setting that lets secrets be read over REST, as apply and rotate meet it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretEvent {
    /// The setting is on, yet the secret couldn't be read.
    OnButUnread {
        key: String,
    },
    /// The setting couldn't be read either, so it is left alone.
    SettingUnread {
        error: String,
        key: String,
    },
    /// The setting is off.
    Off,
    /// The admin kept it off.
    LeftOff {
        key: String,
    },
    StillUnread,
    TurnedOn,
    TurnOnRefused,
    TurnOnFailed {
        error: String,
    },
    /// Put back off, as it was.
    Restored,
    NotRestored {
        error: Option<String>,
    },
    /// A terminating signal arrived: the run stops once the setting is back.
    Stopping {
        signal: &'static str,
    },
}

/// What apply will do: the org and session, the components, the checklist steps left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub instance_url: String,
    /// The session's user, when known.
    pub username: Option<String>,
    pub session_source: String,
    pub dry_run: bool,
    pub recipe_title: String,
    pub components: Vec<String>,
    /// The checklist steps apply doesn't do.
    pub manual: Vec<String>,
}

/// The words of `ApplyEvent::DoubtfulCallbacks`.
fn doubtful_callbacks(
    f: &mut fmt::Formatter<'_>,
    origin: &str,
    domain: &str,
    urls: &[String],
    dry_run: bool,
) -> fmt::Result {
    writeln!(
        f,
        "The recipe file {} sends sign-ins to callbacks outside this machine and its guide's domain {}:",
        terminal_safe(origin),
        terminal_safe(domain)
    )?;
    for url in urls {
        writeln!(f, "  {}", terminal_safe(url))?;
    }
    writeln!(
        f,
        "  Salesforce sends each authorization code there; deploy them only if you trust them."
    )?;
    if dry_run {
        writeln!(f, "  (apply will ask before it deploys them)")?;
    }
    Ok(())
}

impl fmt::Display for ApplyEvent {
    // One arm per event, the words side by side (a table more than a function): over 80 lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ApplyEvent as E;
        match self {
            E::SessionNote(note) => write!(f, "note: {note}"),
            E::Package(event) => event.fmt(f),
            E::PkceForced { setting } => write!(
                f,
                "The org keeps Require PKCE on for every app ({setting}), so the app gets it on although the recipe leaves it off; its client must send PKCE."
            ),
            E::PkceUnread { error } => write!(
                f,
                "note: couldn't tell whether the org requires PKCE for every app ({error}); deploying the recipe's setting."
            ),
            E::Plan(plan) => plan.fmt(f),
            E::Security(lines) => {
                writeln!(f, "Security settings the deploy sets:")?;
                for line in lines {
                    writeln!(f, "  {}: {}", line.label, terminal_safe(&line.value))?;
                }
                Ok(())
            }
            E::DoubtfulCallbacks {
                origin,
                domain,
                urls,
                dry_run,
            } => doubtful_callbacks(f, origin, domain, urls, *dry_run),
            E::AppAbsent { app } => write!(f, "{app} isn't in the org: the deploy creates it."),
            E::AppPresent {
                app,
                id,
                drift,
                unread,
            } => app_present(f, app, id, drift, unread),
            E::UserPlanned {
                username,
                permission_set,
                dry_run,
            } => write!(
                f,
                "{} the integration user {username} (Salesforce Integration license, {}, the Salesforce API Integration permission set license, then {permission_set}).",
                if *dry_run { "Would create" } else { "Creates" },
                crate::salesforce::licenses::INTEGRATION_PROFILE
            ),
            E::UserCreated { username, id } => {
                write!(f, "Created the integration user {username} ({id}).")
            }
            E::DeployStatus { check, status } => {
                write!(f, "  {}: {status}", if *check { "check" } else { "deploy" })
            }
            E::Unchanged { check } => write!(
                f,
                "\nNo change: the org holds every component as the recipe deploys it (check-only deploy {check}); nothing deployed."
            ),
            E::ChangesUnknown => write!(
                f,
                "  The check didn't say each component is unchanged: deploying them all."
            ),
            E::Changes(changed) => write!(f, "  Changes: {}", changed.join(", ")),
            E::UserStays {
                username,
                id,
                refused,
            } => write!(
                f,
                "The integration user {username} ({id}) was created before the deploy{} and stays: apply again with --run-as {username}, or deactivate it in Setup > Users.",
                if *refused { "" } else { " failed" }
            ),
            E::ValidatedOnceUserExists { app } => write!(
                f,
                "\nValidated: the deploy of {app} would succeed once the integration user exists (only the policies naming it failed). Nothing in the org changed."
            ),
            E::Refused { id, status } => {
                write!(f, "\nThe org refused the metadata (deploy {id}, {status}):")
            }
            E::Failure(failure) => {
                write!(
                    f,
                    "  FAIL {} ({}): {}",
                    failure.file, failure.kind, failure.problem
                )?;
                match failure.fix() {
                    Some(fix) => write!(f, "\n       fix: {fix}"),
                    None => Ok(()),
                }
            }
            E::RolledBack { recipe } => write!(
                f,
                "The deploy rolled back. `eca-wizard metadata --recipe {recipe} --check DIR` checks a project without an org."
            ),
            E::DeployError(error) => write!(f, "  deploy error: {error}"),
            E::NothingChanged => write!(f, "Nothing in the org changed."),
            E::Validated {
                app,
                components,
                changes,
            } => {
                let changes = match changes {
                None => String::new(),
                Some(changed) if changed.is_empty() => {
                    " and change nothing: the org holds every component as the recipe deploys it"
                        .into()
                }
                Some(changed) => format!(" and change {}", changed.join(", ")),
            };
                write!(
                    f,
                    "\nValidated: the deploy of {app} would succeed ({components} components){changes}. Nothing in the org changed."
                )
            }
            E::Deployed {
                app,
                components,
                id,
            } => write!(
                f,
                "\nDeployed {app} ({components} components, deploy {id})."
            ),
            E::PermissionSetAssigned {
                permission_set,
                who,
            } => write!(f, "Assigned {permission_set} to {who}."),
            E::PermissionSetHeld {
                permission_set,
                who,
            } => write!(f, "{who} has {permission_set} already."),
            E::CredentialsRead { app, jwt: true, .. } => write!(
                f,
                "Read the consumer key of {app}; connecting with JWT bearer."
            ),
            E::CredentialsRead { app, secret, .. } => {
                let what = if *secret { " and secret" } else { "" };
                write!(f, "Read the consumer key{what} of {app}; connecting.")
            }
            E::CopyByHand {
                recipe,
                instance_url,
            } => write!(
                f,
                "A new or changed app takes about 10 minutes (users report up to 30) to work everywhere.\nNext: copy the Consumer Key (and Secret) from External Client App Manager > the app > Settings > OAuth Settings > Consumer Key and Secret, then:\n  eca-wizard connect --recipe {recipe} --login-url {instance_url} --client-id CONSUMER_KEY"
            ),
            E::Secret(event) => event.fmt(f),
        }
    }
}

/// The app found in the org: what the deploy changes, and what a query can't tell.
fn app_present(
    f: &mut fmt::Formatter<'_>,
    app: &str,
    id: &str,
    drift: &[Drift],
    unread: &[&str],
) -> fmt::Result {
    write!(
        f,
        "{app} is in the org already ({id}): the deploy updates it."
    )?;
    if drift.is_empty() {
        write!(f, "\n  No change in the settings a query can read.")?;
    }
    for d in drift {
        write!(f, "\n  changes {}: {} -> {}", d.label, d.live, d.wanted)?;
    }
    write!(
        f,
        "\n  A query can't read (a check-only deploy tells whether they change): {}",
        unread.join("; ")
    )
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let who = self.username.as_deref().unwrap_or("the token's user");
        writeln!(
            f,
            "Org:     {} as {}",
            self.instance_url,
            terminal_safe(who)
        )?;
        writeln!(f, "Session: {}", self.session_source)?;
        let verb = if self.dry_run {
            "Would deploy"
        } else {
            "Deploys"
        };
        write!(f, "{verb} for {}:", self.recipe_title)?;
        for path in &self.components {
            write!(f, "\n  {path}")?;
        }
        if !self.manual.is_empty() {
            write!(
                f,
                "\nNot done by apply (the checklist's steps): {}",
                self.manual.join("; ")
            )?;
        }
        Ok(())
    }
}

impl fmt::Display for SecretEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SecretEvent as S;
        match self {
            S::OnButUnread { key } => write!(
                f,
                "{LABEL} is on, yet the secret couldn't be read: your user may lack the View Client Secret permission. The key is {key}."
            ),
            S::SettingUnread { error, key } => write!(
                f,
                "The secret couldn't be read, and neither could {LABEL} ({error}), so it is left as it is. The key is {key}."
            ),
            S::Off => write!(
                f,
                "The org doesn't allow reading consumer secrets over the REST API ({LABEL}, in External Client App Settings: off)."
            ),
            S::LeftOff { key } => write!(f, "Left that setting off. The key is {key}."),
            S::StillUnread => write!(
                f,
                "The secret still couldn't be read (your user may lack View Client Secret)."
            ),
            S::TurnedOn => write!(f, "Turned on {LABEL}."),
            S::TurnOnRefused => write!(f, "Salesforce refused to turn on {LABEL}."),
            S::TurnOnFailed { error } => write!(f, "Turning on {LABEL} failed: {error}"),
            S::Restored => write!(f, "Turned {LABEL} off again, as it was."),
            S::NotRestored { error } => write!(
                f,
                "Couldn't turn {LABEL} off again{}: it may still be on, letting every app's secret be read over REST. Turn it off in Setup > External Client App Settings; the next eca-wizard apply, rotate or status tries again.",
                error
                    .as_ref()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
            S::Stopping { signal } => write!(
                f,
                "{signal}: stopping once {LABEL} is back as it was (a moment)."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(event: ApplyEvent) -> String {
        let mut out = Vec::new();
        write_to(&mut out)(event).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn several_lines_come_out_as_apply_always_printed_them() {
        let plan = Plan {
            instance_url: "https://acme.my.salesforce.com".into(),
            username: None,
            session_source: "the Salesforce CLI's login acme".into(),
            dry_run: true,
            recipe_title: "AptEdge".into(),
            components: vec!["externalClientApps/A.eca".into()],
            manual: vec!["Create the user".into(), "Grant access".into()],
        };
        assert_eq!(
            words(ApplyEvent::Plan(plan)),
            "Org:     https://acme.my.salesforce.com as the token's user\nSession: the Salesforce CLI's login acme\nWould deploy for AptEdge:\n  externalClientApps/A.eca\nNot done by apply (the checklist's steps): Create the user; Grant access\n"
        );
        let present = ApplyEvent::AppPresent {
            app: "A".into(),
            id: "0xA".into(),
            drift: Vec::new(),
            unread: vec!["One", "Two"],
        };
        assert_eq!(
            words(present),
            "A is in the org already (0xA): the deploy updates it.\n  No change in the settings a query can read.\n  A query can't read (a check-only deploy tells whether they change): One; Two\n"
        );
        let validated = |changes| ApplyEvent::Validated {
            app: "A".into(),
            components: 6,
            changes,
        };
        assert_eq!(
            words(validated(Some(vec!["a".into(), "b".into()]))),
            "\nValidated: the deploy of A would succeed (6 components) and change a, b. Nothing in the org changed.\n"
        );
        assert_eq!(
            words(validated(None)),
            "\nValidated: the deploy of A would succeed (6 components). Nothing in the org changed.\n"
        );
        assert_eq!(
            words(ApplyEvent::DeployStatus {
                check: true,
                status: "Pending".into()
            }),
            "  check: Pending\n"
        );
        assert!(
            words(ApplyEvent::CopyByHand {
                recipe: "r".into(),
                instance_url: "https://x".into()
            })
            .ends_with(
                "then:\n  eca-wizard connect --recipe r --login-url https://x --client-id CONSUMER_KEY\n"
            )
        );
        assert_eq!(
            words(ApplyEvent::Secret(SecretEvent::Stopping {
                signal: "SIGINT"
            })),
            format!("SIGINT: stopping once {LABEL} is back as it was (a moment).\n")
        );
    }
}
