//! What a paste tells besides its error: the host, the flow and grant, a My Domain audience, a
//! sandbox sent to login.salesforce.com, a proxy, an OAuth path, the tool, the app's age. Each
//! reader is bounded, so any paste costs linear time.

use crate::salesforce::Flow;

use super::{MAX_HOST, cap};

/// What the paste tells about where it came from, beyond the error itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Hints {
    pub host: Option<HostHint>,
    pub flow: Option<Flow>,
    /// The failing request was a refresh (`grant_type=refresh_token`).
    pub refresh: bool,
    /// The username-password flow (`grant_type=password`).
    pub password: bool,
    /// A hosted MCP server or client was involved.
    pub mcp: bool,
    /// The paste shows a JWT audience that is a My Domain (`audience=https://x.my.salesforce.com`
    /// as the Salesforce CLI reports it, or an `"aud"` claim).
    pub my_domain_audience: bool,
    /// A sandbox (the word, a sandbox My Domain, or a user name with a sandbox suffix) sent to
    /// login.salesforce.com.
    pub sandbox_on_login: bool,
    /// A proxy is named.
    pub proxy: bool,
    /// The failing address is an OAuth endpoint.
    pub oauth_path: bool,
    /// A client tool the paste names.
    pub tool: Option<&'static str>,
    /// What the paste says of the app's age: `Some(true)` new (minutes old), `Some(false)` old.
    pub new_app: Option<bool>,
    /// A Lightning address is named.
    pub lightning_host: bool,
    /// An instance host (`na1.salesforce.com`) is named.
    pub instance_host: bool,
    /// A SOAP API call is shown: its address (`/services/Soap/`), or a SOAP client's own words
    /// for its failure (PHP's `SoapClient`/`SoapFault`, Java's `SOAPFaultException`). Every
    /// call there is a POST, and the client takes its login host from the WSDL.
    pub soap_path: bool,
    /// An identity endpoint (`/services/oauth2/userinfo`, an identity URL `/id/00D...`) is named.
    pub identity_path: bool,
    /// A data call (`/services/data/`) sent to login.salesforce.com or test.salesforce.com.
    pub data_on_login_host: bool,
    /// An Apex callout through a Named Credential (`callout:NAME/...`): Salesforce itself holds
    /// the token and logs in.
    pub named_credential: bool,
    /// A gRPC call (the Pub/Sub API): its status names or the Pub/Sub host.
    pub grpc: bool,
    /// A stack trace of the client's own code (a JavaScript, Java, Python, Ruby or .NET trace, an
    /// extension's script): the client program is in the loop, whatever its name.
    pub client_trace: bool,
}

/// The Salesforce host named in the paste, when there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostHint {
    Login,
    Test,
    MyDomain,
}

/// The host, flow and grant the paste mentions.
pub fn hints(text: &str) -> Hints {
    let lower = cap(text).to_ascii_lowercase();
    let has = |needle: &str| lower.contains(needle);
    let host = if has(".my.salesforce.com") || has(".my.salesforce.mil") {
        Some(HostHint::MyDomain)
    } else if has("test.salesforce.com") {
        Some(HostHint::Test)
    } else if has("login.salesforce.com") {
        Some(HostHint::Login)
    } else {
        None
    };
    // The Salesforce CLI names its flows in its commands (`force:auth:jwt:grant`, `org login
    // web`) and options (`--jwt-key-file`).
    let flow = if [
        "jwt-bearer",
        "jwt bearer",
        "login jwt",
        "jwt_bearer",
        "jwt:grant",
        "jwt-key-file",
        "jwtkeyfile",
    ]
    .iter()
    .any(|n| has(n))
    {
        Some(Flow::JwtBearer)
    } else if has("client_credentials") || has("client credentials") {
        Some(Flow::ClientCredentials)
    } else if [
        "authorization_code",
        "code_verifier",
        "/authorize",
        "login web",
        "web:login",
        "web login",
    ]
    .iter()
    .any(|n| has(n))
    {
        Some(Flow::AuthCode)
    } else {
        None
    };
    Hints {
        host,
        flow,
        refresh: [
            "grant_type=refresh_token",
            "refresh_token grant",
            "refreshing",
            "token refresh",
            "refresh failed",
            "failed to refresh",
            "unable to refresh",
            "could not refresh",
            "couldn't refresh",
            "\"grant_type\":\"refresh_token\"",
        ]
        .iter()
        .any(|n| has(n)),
        password: [
            "grant_type=password",
            "username-password",
            "usernamepassword",
            "password flow",
            "username_password",
            "\"grant_type\":\"password\"",
            // Only a password login takes a security token; a JDBC connection is usually set
            // up with a username and password (a heuristic: no consent page is shown).
            "security token",
            "jdbc",
            // SQL tools that reach Salesforce only through a JDBC driver.
            "dbeaver",
            "datagrip",
            "squirrel sql",
        ]
        .iter()
        .any(|n| has(n)),
        mcp: has("mcp"),
        my_domain_audience: my_domain_audience(&lower),
        sandbox_on_login: has("login.salesforce.com")
            && (has("sandbox") || sandbox_user_name(&lower)),
        proxy: ["proxy", "zscaler", "tunneling socket"]
            .iter()
            .any(|n| has(n)),
        oauth_path: has("/services/oauth2/"),
        tool: TOOLS
            .iter()
            .find(|(needles, _)| needles.iter().any(|n| has(n)))
            .map(|(_, name)| *name),
        new_app: app_age(&lower),
        lightning_host: has(".lightning.force.com") || has(".lightning.com"),
        instance_host: instance_host(&lower),
        soap_path: ["/services/soap/", "soapclient", "soapfault"]
            .iter()
            .any(|n| has(n)),
        identity_path: has("/services/oauth2/userinfo") || has("/id/00d"),
        data_on_login_host: has("login.salesforce.com/services/data")
            || has("test.salesforce.com/services/data"),
        client_trace: CLIENT_TRACES.iter().any(|n| has(n)),
        named_credential: has("callout:"),
        grpc: ["grpc", "pubsub", "14 unavailable"].iter().any(|n| has(n)),
    }
}

/// What a client program's stack trace looks like (lower case).
const CLIENT_TRACES: &[&str] = &[
    "traceback (most recent call last)",
    "\n    at ",
    "\n\tat ",
    "chrome-extension://",
    "node_modules/",
    ".py\", line ",
    ".java:",
    ".rb:",
    ".cs:line ",
];

/// An instance host (`na1.salesforce.com`, `cs10.salesforce.com`, `eu5.salesforce.com`): letters
/// then digits right before `.salesforce.com`. Only the first few mentions are read.
fn instance_host(lower: &str) -> bool {
    lower
        .match_indices(".salesforce.com")
        .take(32)
        .any(|(at, _)| {
            let label: Vec<u8> = lower.as_bytes()[..at]
                .iter()
                .rev()
                .take(12)
                .take_while(|b| b.is_ascii_alphanumeric())
                .copied()
                .collect();
            let digits = label.iter().take_while(|b| b.is_ascii_digit()).count();
            let letters = label.len() - digits;
            digits > 0
                && (2..=3).contains(&letters)
                && label[digits..].iter().all(u8::is_ascii_alphabetic)
                && lower.as_bytes().get(at.wrapping_sub(label.len() + 1)) != Some(&b'.')
        })
}

/// Client tools by the words that name them (lower case), and the name said back.
const TOOLS: &[(&[&str], &str)] = &[
    // Before the names they contain ("dataloader", "sfdx").
    (&["dataloader.io"], "dataloader.io"),
    (&["sfdx-hardis"], "sfdx-hardis"),
    (&["data loader", "dataloader"], "Data Loader"),
    (&["mulesoft", "org.mule", "mule-"], "MuleSoft"),
    (
        &["simple_salesforce", "simple-salesforce"],
        "simple-salesforce",
    ),
    (&["jsforce"], "jsforce"),
    (&["restforce"], "restforce"),
    (
        &[
            "sfdx",
            "sf org login",
            "salesforce cli",
            "@salesforce/core",
            // sfdx-core's own error names and messages, which only the CLI prints.
            "authcodeexchangeerror",
            "authenticating with auth code due to",
            "authenticating with jwt config due to",
            "error running force:",
            "error running auth:",
        ],
        "the Salesforce CLI",
    ),
    (&["n8n"], "n8n"),
    (&["workbench"], "Workbench"),
    (&["informatica"], "Informatica"),
    (&["talend"], "Talend"),
    (&["boomi"], "Boomi"),
    (&["fivetran"], "Fivetran"),
    (&["airbyte"], "Airbyte"),
    (&["tableau"], "Tableau"),
    (&["power bi", "powerbi"], "Power BI"),
    (&["node-red"], "Node-RED"),
    (
        &["illuminated cloud", "illuminatedcloud"],
        "Illuminated Cloud",
    ),
    (
        &["salesforce inspector", "salesforce-inspector"],
        "Salesforce Inspector",
    ),
    (&["cumulusci"], "CumulusCI"),
    (&["pipedream"], "Pipedream"),
    (&["zapier"], "Zapier"),
    (&["postman"], "Postman"),
    (&["nforce"], "nforce"),
    (
        &["force.com-toolkit", "forcedotcom toolkit"],
        "Force.com Toolkit for .NET",
    ),
    (
        &["mobile sdk", "mobilesdk", "salesforcemobilesdk"],
        "the Mobile SDK",
    ),
    (
        &["vs code", "vscode", "salesforcedx-vscode"],
        "Salesforce Extensions for VS Code",
    ),
    // Integration platforms and client libraries that threads about Salesforce logins name.
    (&["tap-salesforce", "singer-io"], "tap-salesforce"),
    (&["meltano"], "Meltano"),
    (&["hightouch"], "Hightouch"),
    (&["workato"], "Workato"),
    (&["celigo"], "Celigo"),
    (&["jitterbit"], "Jitterbit"),
    (&["power automate", "logic apps"], "Power Automate"),
    (&["azure data factory", "datafactory"], "Azure Data Factory"),
    (&["heroku connect"], "Heroku Connect"),
    (&["copado"], "Copado"),
    (&["gearset"], "Gearset"),
    (&["jetstream"], "Jetstream"),
    (&["nango"], "Nango"),
    (&["appsmith"], "Appsmith"),
    (&["retool"], "Retool"),
    (&["salesforcer"], "salesforcer"),
    (&["salesforcesharp"], "SalesforceSharp"),
    (&["phpforce"], "phpforce"),
    (&["omniauth"], "OmniAuth"),
    (&["mavensmate"], "MavensMate"),
];

/// A user name with a sandbox suffix (`admin@acme.com.uat`): a domain whose last label follows
/// a common top-level one. Only the first few `@` are read.
fn sandbox_user_name(lower: &str) -> bool {
    const TOP: &[&str] = &[
        "com", "org", "net", "io", "co", "edu", "gov", "de", "fr", "uk",
    ];
    lower.match_indices('@').take(16).any(|(at, _)| {
        let domain: String = lower[at + 1..]
            .chars()
            .take(MAX_HOST)
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
            .collect();
        let labels: Vec<&str> = domain.trim_end_matches('.').split('.').collect();
        labels.len() >= 3
            && TOP.contains(&labels[labels.len() - 2])
            && !TOP.contains(&labels[labels.len() - 1])
            && !labels[labels.len() - 1].is_empty()
    })
}

/// What the paste says of the app's age, when it says anything.
fn app_age(lower: &str) -> Option<bool> {
    const NEW: &[&str] = &[
        "just created",
        "newly created",
        "just saved",
        "minutes ago",
        "brand new app",
        "right after creating",
    ];
    const OLD: &[&str] = &[
        "worked for months",
        "was working",
        "worked fine",
        "has been working",
        "stopped working",
        "suddenly",
    ];
    if NEW.iter().any(|n| lower.contains(n)) {
        Some(true)
    } else if OLD.iter().any(|n| lower.contains(n)) {
        Some(false)
    } else {
        None
    }
}

/// Whether an audience named in the (lowercased) paste is a My Domain host.
fn my_domain_audience(lower: &str) -> bool {
    ["audience=", "\"aud\":", "\"aud\" :", "aud="]
        .iter()
        // A real paste names an audience a few times: the first 64 of each key are read.
        .flat_map(|key| {
            lower
                .match_indices(key)
                .take(64)
                .map(move |(i, _)| i + key.len())
        })
        .any(|start| {
            // A host name is at most 253 characters: the value is read no further, so a paste
            // of `aud=aud=aud=...` stays linear.
            let value: String = lower[start..]
                .chars()
                .take(MAX_HOST)
                .skip_while(|c| matches!(c, ' ' | '"' | '\''))
                .take_while(|c| !c.is_whitespace() && !"\"',]}".contains(*c))
                .collect();
            value.contains(".my.salesforce.com")
        })
}
