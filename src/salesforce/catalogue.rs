//! Salesforce's documented error codes beyond the OAuth table: the API's ExceptionCode and
//! StatusCode lists, Login History's statuses, REST and HTTP answers, hosted MCP errors and
//! transport failures by family. The rows are data (`assets/catalogue/errors.toml`), each with
//! its source; every other code of Salesforce's lists comes from `codes.toml` by family
//! (`codes`). `diagnosis` answers any code found here with its meaning and usual fix, ranked by
//! what the paste shows; the extractor reads these codes, and no others, in running text.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::salesforce::diagnosis::Kind;

pub mod codes;

const DATA: &str = include_str!("../../assets/catalogue/errors.toml");
/// Clients' own words around a Salesforce failure, read from their sources.
const CLIENTS: &str = include_str!("../../assets/catalogue/clients.toml");

/// One documented error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub code: String,
    /// Which of Salesforce's lists it comes from (`ExceptionCode`, `LOGIN_STATUS`, ...).
    pub list: String,
    /// Sentences that stand for the error without its code.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// What Salesforce documents it means.
    pub meaning: String,
    pub source: String,
    /// The check that tells the causes apart.
    #[serde(default)]
    pub tell: Option<String>,
    /// Its phrases are generic client words: used only where nothing more telling is found.
    #[serde(default)]
    pub weak: bool,
    /// Its phrases are other software's words too (a browser's CORS refusal, a proxy's error):
    /// read only where the paste shows Salesforce.
    #[serde(default)]
    pub shared: bool,
    pub cause: Vec<EntryCause>,
    /// The family a listed code was given (`codes.toml`): its meaning and fix are our reading.
    #[serde(skip)]
    pub family: Option<String>,
}

impl Entry {
    /// Whether the meaning is Salesforce's words (its lists, pages and faults) rather than ours
    /// for a client's message or a network failure, which Salesforce doesn't document, or our
    /// reading of a listed code by its family.
    pub fn documented_by_salesforce(&self) -> bool {
        self.family.is_none()
            && !matches!(
                self.list.as_str(),
                "transport"
                    | "client message"
                    | "OAuth (RFC 6749)"
                    | "OAuth (RFC 6750)"
                    | "OpenID Connect"
            )
    }
}

/// One cause of a documented error and its usual fix.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryCause {
    pub kind: Kind,
    pub target: Place,
    pub fix: String,
    /// What in a paste makes this cause the likely one.
    #[serde(default)]
    pub evidence: Option<Evidence>,
}

/// Where a catalogue fix is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Place {
    User,
    LoginUrl,
    Client,
    Credentials,
    Secret,
    Mcp,
    ApiEnabled,
    Scopes,
    ObjectAccess,
    None,
}

/// Evidence a paste can carry beyond the error itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Evidence {
    Password,
    Jwt,
    ClientCredentials,
    AuthCode,
    Refresh,
    /// The request went to login.salesforce.com or test.salesforce.com.
    LoginHost,
    /// A sandbox (its user name or My Domain) was sent to login.salesforce.com.
    SandboxOnLogin,
    /// The failing address is an OAuth endpoint (`/services/oauth2/...`).
    OauthPath,
    /// A proxy is named.
    Proxy,
    /// A known client tool is named.
    Tool,
    /// A Lightning address (`*.lightning.force.com`) is named.
    LightningHost,
    /// An instance host (`na1.salesforce.com`, `cs10.salesforce.com`) is named.
    InstanceHost,
    /// A SOAP API address (`/services/Soap/`) is named.
    SoapPath,
    /// An identity endpoint (`/services/oauth2/userinfo`, `/id/00D...`) is named.
    IdentityPath,
}

#[derive(Deserialize)]
struct File {
    error: Vec<Entry>,
}

/// Every row: the hand-written ones, then the listed codes they lack. The data is compiled in
/// and checked by the tests; were it unreadable, the table would be empty rather than the
/// program stopped.
pub fn all() -> &'static [Entry] {
    static ALL: OnceLock<Vec<Entry>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut rows = parse(DATA).unwrap_or_default();
        rows.extend(parse(CLIENTS).unwrap_or_default());
        if let Ok(file) = codes::parse(codes::DATA) {
            let listed = codes::entries(&file, &rows);
            rows.extend(listed);
        }
        rows
    })
}

fn parse(text: &str) -> Result<Vec<Entry>, toml::de::Error> {
    toml::from_str::<File>(text).map(|f| f.error)
}

/// The row of a code, whatever its case.
pub fn find(code: &str) -> Option<&'static Entry> {
    all().iter().find(|e| e.code.eq_ignore_ascii_case(code))
}

/// Whether a code's row is only our reading of a listed code (its family's fix), not a row
/// written for it.
pub fn is_family(code: &str) -> bool {
    find(code).is_some_and(|e| e.family.is_some())
}

/// Whether a code stands only for generic client words.
pub fn is_weak(code: &str) -> bool {
    find(code).is_some_and(|e| e.weak)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_parses_and_every_row_is_complete() {
        let mut rows = parse(DATA).unwrap();
        assert!(rows.len() >= 60, "{} rows", rows.len());
        let clients = parse(CLIENTS).unwrap();
        assert!(
            clients.iter().all(|r| r.list == "client message"),
            "clients.toml holds clients' words only"
        );
        rows.extend(clients);
        for row in &rows {
            assert!(!row.cause.is_empty(), "{}: a cause", row.code);
            assert!(
                !row.meaning.is_empty() && !row.source.is_empty(),
                "{}",
                row.code
            );
            for cause in &row.cause {
                assert_ne!(cause.kind, Kind::Unknown, "{}", row.code);
                assert!(
                    cause.fix.len() > 20,
                    "{}: a fix that says what to do",
                    row.code
                );
            }
        }
        let mut codes: Vec<String> = rows.iter().map(|r| r.code.to_lowercase()).collect();
        codes.sort_unstable();
        let before = codes.len();
        codes.dedup();
        assert_eq!(before, codes.len(), "codes are unique across both files");
    }

    #[test]
    fn a_row_with_a_typo_is_refused() {
        let bad = "[[error]]\ncode = \"X\"\nlist = \"l\"\nmeaning = \"m\"\nsource = \"s\"\n[[error.cause]]\nkind = \"misconfigured\"\ntarget = \"user\"\nfixx = \"f\"\n";
        assert!(parse(bad).is_err());
    }
}
