//! Shell integration, generated from the clap definitions so it can't drift from them:
//! completion scripts and the manual page.

use std::io::Write;

use clap::CommandFactory;

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<()> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "eca-wizard", &mut out);
    // Recipe ids and profile names change with the machine: asked for when completing.
    match shell {
        clap_complete::Shell::Bash => out.extend_from_slice(BASH_NAMES.as_bytes()),
        clap_complete::Shell::Fish => out.extend_from_slice(FISH_NAMES.as_bytes()),
        _ => {}
    }
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

/// `eca-wizard __complete recipes|profiles`: the names, one a line, for the scripts above.
pub fn names(kind: &str) -> anyhow::Result<()> {
    let names: Vec<String> = match kind {
        "recipes" => crate::recipe::known()?
            .iter()
            .map(|r| r.id.clone())
            .collect(),
        _ => crate::profile::list(&crate::profile::profiles_dir()?)?,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for name in names {
        writeln!(out, "{name}")?;
    }
    Ok(())
}

/// Bash: recipe ids after --recipe and --from, profile names as the first word after the
/// commands that take one; clap's completion for everything else.
const BASH_NAMES: &str = r#"
_eca_wizard_names() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    case "$prev" in
        --recipe|--from)
            COMPREPLY=($(compgen -W "$(eca-wizard __complete recipes 2>/dev/null)" -- "$cur"))
            return 0 ;;
    esac
    if [[ $COMP_CWORD -eq 2 && "$cur" != -* ]]; then
        case "${COMP_WORDS[1]}" in
            status|export|logout|token|rotate)
                COMPREPLY=($(compgen -W "$(eca-wizard __complete profiles 2>/dev/null)" -- "$cur"))
                return 0 ;;
            recipes)
                COMPREPLY=($(compgen -W "show new check schema $(eca-wizard __complete recipes 2>/dev/null)" -- "$cur"))
                return 0 ;;
        esac
    fi
    _eca-wizard "$@"
}
complete -F _eca_wizard_names -o bashdefault -o default eca-wizard
"#;

const FISH_NAMES: &str = r#"
complete -c eca-wizard -l recipe -x -a '(eca-wizard __complete recipes 2>/dev/null)'
complete -c eca-wizard -n '__fish_seen_subcommand_from status export logout token rotate' -x -a '(eca-wizard __complete profiles 2>/dev/null)'
"#;

/// The manual page of eca-wizard, or of one subcommand (`eca-wizard-SUB(1)`, which the main
/// page's SUBCOMMANDS section names), each with EXIT STATUS, ENVIRONMENT and FILES.
pub fn manpage(sub: Option<&str>) -> anyhow::Result<()> {
    // No page for clap's own `help` subcommand, so none is named.
    let top = Cli::command().disable_help_subcommand(true);
    let command = match sub {
        None => top,
        Some(name) => {
            let found = top.find_subcommand(name).cloned().ok_or_else(|| {
                crate::commands::UsageError(format!(
                    "no subcommand '{name}'; `eca-wizard --help` lists them"
                ))
            })?;
            found
                .display_name(format!("eca-wizard-{name}"))
                .bin_name(format!("eca-wizard {name}"))
        }
    };
    let man = clap_mangen::Man::new(command.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if command.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if command.has_subcommands() {
        man.render_subcommands_section(&mut out)?;
    }
    out.extend_from_slice(SECTIONS_HEAD.as_bytes());
    for (code, meaning) in crate::commands::output::exit::TABLE {
        out.extend_from_slice(format!(".TP\n{code}\n{}\n", roff(meaning)).as_bytes());
    }
    out.extend_from_slice(SECTIONS_TAIL.as_bytes());
    // Only the top command has a version (clap_mangen unwraps it).
    if command.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    std::io::stdout().lock().write_all(&out)?;
    Ok(())
}

/// Text as roff reads it: backslashes doubled, a leading dot or quote escaped.
fn roff(text: &str) -> String {
    let text = text.replace('\\', "\\\\").replace('-', "\\-");
    match text.chars().next() {
        Some('.' | '\'') => format!("\\&{text}"),
        _ => text,
    }
}

const SECTIONS_HEAD: &str = ".SH \"EXIT STATUS\"\n";

const SECTIONS_TAIL: &str = r#".SH ENVIRONMENT
.TP
ECA_WIZARD_HOME
Where profiles, the secrets file and your recipes live (default: the platform's config and data folders).
.TP
ECA_WIZARD_SECRETS=file
Consent to keep secrets in an owner\-only file instead of the OS keychain (as \-\-secrets\-file).
.TP
ECA_WIZARD_CLIENT_SECRET
The consumer secret for connect, instead of \-\-client\-secret\-stdin.
.TP
ECA_WIZARD_LOG=debug
One log line per request on stderr (as \-\-debug); never a value.
.TP
HTTPS_PROXY, HTTP_PROXY, NO_PROXY
The proxy every request goes through, and the hosts that bypass it.
.TP
BROWSER
The browser to open for the login.
.SH FILES
.TP
ECA_WIZARD_HOME/profiles/NAME.toml
One owner\-only file per saved connection; never a secret.
.TP
ECA_WIZARD_HOME/secrets.toml
The secrets, owner\-only, only with your consent; otherwise they are in the OS keychain.
.TP
recipes/ID.toml in the data folder
Your own recipes, listed with the built\-in ones.
"#;

/// A value as a POSIX shell (or a .env file) reads it back: the one POSIX quoting
/// (`shell_quote::posix`), whatever the platform the file is read on.
pub fn quote(value: &str) -> String {
    crate::shell_quote::posix(value)
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoting_keeps_plain_values_and_wraps_the_rest() {
        assert_eq!(super::quote("/tmp/a.toml"), "/tmp/a.toml");
        assert_eq!(
            super::quote("/Users/Ann Lee/x.toml"),
            "'/Users/Ann Lee/x.toml'"
        );
        assert_eq!(super::quote("it's"), "'it'\\''s'");
        assert_eq!(super::quote(""), "''");
    }
}
