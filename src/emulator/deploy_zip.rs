//! Reading a REST deploy request (reference/deploy-and-mcp-apis.md §B.1, §B.4): the multipart
//! parts, and the mdapi zip's files as components of the ECA types, read as leaf elements.

use std::collections::BTreeMap;
use std::io::Read;

/// One file of the zip, read as leaf elements.
pub(super) struct Component {
    pub kind: &'static str,
    pub name: String,
    pub file: String,
    pub leaves: BTreeMap<String, String>,
    pub objects: Vec<String>,
}

impl Component {
    /// A leaf holding a comma-separated list (`commaSeparatedPermissionSet`...), as its items.
    pub fn comma_list(&self, leaf: &str) -> Vec<String> {
        self.leaves.get(leaf).map_or_else(Vec::new, |v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect()
        })
    }
}

/// mdapi folders and suffixes of the types an ECA deploy carries (§B.4).
const TYPES: &[(&str, &str, &str)] = &[
    ("externalClientApps/", ".eca", "ExternalClientApplication"),
    (
        "extlClntAppGlobalOauthSets/",
        ".ecaGlblOauth",
        "ExtlClntAppGlobalOauthSettings",
    ),
    (
        "extlClntAppOauthSettings/",
        ".ecaOauth",
        "ExtlClntAppOauthSettings",
    ),
    (
        "extlClntAppOauthPolicies/",
        ".ecaOauthPlcy",
        "ExtlClntAppOauthConfigurablePolicies",
    ),
    (
        "extlClntAppPolicies/",
        ".ecaPlcy",
        "ExtlClntAppConfigurablePolicies",
    ),
    ("permissionsets/", ".permissionset", "PermissionSet"),
    (
        "oauthcustomscopes/",
        ".oauthcustomscope",
        "OauthCustomScope",
    ),
    ("settings/", ".settings", "Settings"),
];

pub(super) struct Part {
    pub name: String,
    pub base64: bool,
    pub body: Vec<u8>,
}

/// The parts of a multipart body: name, whether base64 encoded, and the bytes.
pub(super) fn multipart(body: &[u8], boundary: &str) -> Vec<Part> {
    let delimiter = format!("--{boundary}");
    let mut parts = Vec::new();
    for chunk in split(body, delimiter.as_bytes()).into_iter().skip(1) {
        if chunk.starts_with(b"--") {
            break;
        }
        let chunk = chunk.strip_prefix(b"\r\n").unwrap_or(chunk);
        let Some(at) = find(chunk, b"\r\n\r\n") else {
            continue;
        };
        let headers = String::from_utf8_lossy(&chunk[..at]).to_ascii_lowercase();
        let mut content = &chunk[at + 4..];
        content = content.strip_suffix(b"\r\n").unwrap_or(content);
        // `name="..."` as its own parameter (not the tail of `filename="..."`).
        let name = headers
            .split(';')
            .map(str::trim)
            .find_map(|p| p.strip_prefix("name=\""))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_default()
            .to_string();
        parts.push(Part {
            name,
            base64: headers.contains("content-transfer-encoding: base64"),
            body: content.to_vec(),
        });
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(body: &'a [u8], delimiter: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = body;
    while let Some(at) = find(rest, delimiter) {
        pieces.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    pieces.push(rest);
    pieces
}

/// The ECA components of an mdapi zip (package.xml at the root or in one folder).
pub(super) fn read_zip(bytes: &[u8]) -> Result<Vec<Component>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| "the zip can't be read".to_string())?;
    let mut components = Vec::new();
    let mut has_package = false;
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|_| "the zip can't be read".to_string())?;
        let path = entry
            .name()
            .map_err(|_| "a file name in the zip isn't readable".to_string())?
            .to_string();
        // `singlePackage` zips have the package at the root; others one folder down.
        let relative = match path.split_once('/') {
            Some((_, rest)) if !TYPES.iter().any(|(folder, _, _)| path.starts_with(folder)) => {
                rest.to_string()
            }
            _ => path.clone(),
        };
        if relative == "package.xml" {
            has_package = true;
            continue;
        }
        let Some((folder, suffix, kind)) = TYPES
            .iter()
            .find(|(folder, suffix, _)| relative.starts_with(folder) && relative.ends_with(suffix))
        else {
            continue;
        };
        let mut text = String::new();
        if entry.size() > 1 << 20 || entry.read_to_string(&mut text).is_err() {
            return Err(format!("{relative} can't be read"));
        }
        let name = relative[folder.len()..relative.len() - suffix.len()].to_string();
        let (leaves, objects) = leaves_of(&text).map_err(|e| format!("{relative}: {e}"))?;
        components.push(Component {
            kind,
            name,
            file: relative,
            leaves,
            objects,
        });
    }
    if !has_package {
        return Err(crate::salesforce::deploy_failures::NO_PACKAGE.into());
    }
    Ok(components)
}

fn leaves_of(text: &str) -> Result<(BTreeMap<String, String>, Vec<String>), String> {
    let doc = roxmltree::Document::parse(text).map_err(|e| format!("not valid XML ({e})"))?;
    let mut leaves = BTreeMap::new();
    let mut objects = Vec::new();
    for node in doc.root_element().children().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        if name == "objectPermissions" {
            let object = node
                .children()
                .find(|c| c.has_tag_name("object"))
                .and_then(|c| c.text());
            objects.extend(object.map(str::to_string));
        } else if name == "userPermissions" {
            // Kept as `userPermission:<Name>` beside the objects: only ApiEnabled matters here.
            let granted = node
                .children()
                .find(|c| c.has_tag_name("enabled"))
                .and_then(|c| c.text())
                == Some("true");
            let permission = node
                .children()
                .find(|c| c.has_tag_name("name"))
                .and_then(|c| c.text());
            if let (true, Some(permission)) = (granted, permission) {
                leaves.insert(format!("userPermission:{permission}"), "true".into());
            }
        } else if node.children().all(|c| c.is_text()) {
            leaves.insert(
                name.to_string(),
                node.text().unwrap_or_default().trim().to_string(),
            );
        }
    }
    Ok((leaves, objects))
}
