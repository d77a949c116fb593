//! The sObjects the emulator knows: enough of each to describe it and to read a sample row.
//! Key prefixes are Salesforce's; the fields are a small, real subset.

use serde_json::{Map, Value, json};

use crate::emulator::ids;
use crate::emulator::org::{Org, User};

pub struct SObject {
    pub name: &'static str,
    pub label: &'static str,
    pub plural: &'static str,
    pub prefix: &'static str,
    /// (API name, type) pairs; `Id` is always first.
    pub fields: &'static [(&'static str, &'static str)],
}

macro_rules! sobject {
    ($name:literal, $label:literal, $plural:literal, $prefix:literal, [$(($f:literal, $t:literal)),*]) => {
        SObject { name: $name, label: $label, plural: $plural, prefix: $prefix,
            fields: &[("Id", "id"), $(($f, $t)),*, ("CreatedDate", "datetime")] }
    };
}

pub const SOBJECTS: &[SObject] = &[
    sobject!(
        "Account",
        "Account",
        "Accounts",
        "001",
        [("Name", "string"), ("Industry", "picklist")]
    ),
    sobject!(
        "Contact",
        "Contact",
        "Contacts",
        "003",
        [
            ("FirstName", "string"),
            ("LastName", "string"),
            ("Email", "email"),
            ("AccountId", "reference")
        ]
    ),
    sobject!(
        "Lead",
        "Lead",
        "Leads",
        "00Q",
        [
            ("Name", "string"),
            ("Company", "string"),
            ("Status", "picklist")
        ]
    ),
    sobject!(
        "Opportunity",
        "Opportunity",
        "Opportunities",
        "006",
        [
            ("Name", "string"),
            ("StageName", "picklist"),
            ("Amount", "currency")
        ]
    ),
    sobject!(
        "Case",
        "Case",
        "Cases",
        "500",
        [
            ("CaseNumber", "string"),
            ("Subject", "string"),
            ("Status", "picklist"),
            ("AccountId", "reference")
        ]
    ),
    sobject!(
        "CaseComment",
        "Case Comment",
        "Case Comments",
        "00a",
        [("ParentId", "reference"), ("CommentBody", "textarea")]
    ),
    sobject!(
        "FeedItem",
        "Feed Item",
        "Feed Items",
        "0D5",
        [("ParentId", "reference"), ("Body", "textarea")]
    ),
    sobject!(
        "CaseHistory",
        "Case History",
        "Case History",
        "017",
        [("CaseId", "reference"), ("Field", "picklist")]
    ),
    sobject!(
        "CaseTeamMember",
        "Case Team Member",
        "Case Team Members",
        "0B6",
        [("ParentId", "reference"), ("MemberId", "reference")]
    ),
    sobject!(
        "EmailMessage",
        "Email Message",
        "Email Messages",
        "02s",
        [("ParentId", "reference"), ("Subject", "string")]
    ),
    sobject!(
        "Attachment",
        "Attachment",
        "Attachments",
        "00P",
        [("Name", "string"), ("ParentId", "reference")]
    ),
    sobject!(
        "ContentDocument",
        "Content Document",
        "Content Documents",
        "069",
        [("Title", "string")]
    ),
    sobject!(
        "ContentVersion",
        "Content Version",
        "Content Versions",
        "068",
        [("Title", "string"), ("VersionNumber", "string")]
    ),
    sobject!(
        "User",
        "User",
        "Users",
        "005",
        [
            ("Username", "string"),
            ("Name", "string"),
            ("Email", "email"),
            ("IsActive", "boolean")
        ]
    ),
    sobject!(
        "Knowledge__kav",
        "Knowledge",
        "Knowledge",
        "ka0",
        [("Title", "string"), ("UrlName", "string")]
    ),
    sobject!(
        "Organization",
        "Organization",
        "Organizations",
        "00D",
        [
            ("Name", "string"),
            ("InstanceName", "string"),
            ("IsSandbox", "boolean"),
            ("TrialExpirationDate", "datetime"),
            ("NamespacePrefix", "string"),
            ("OrganizationType", "picklist")
        ]
    ),
];

/// Objects every user can read regardless of object permissions.
const ALWAYS_READABLE: &[&str] = &["User", "Organization"];

pub fn find(name: &str) -> Option<&'static SObject> {
    SOBJECTS.iter().find(|o| o.name.eq_ignore_ascii_case(name))
}

pub fn can_read(user: &User, object: &SObject) -> bool {
    ALWAYS_READABLE.contains(&object.name) || user.objects.get(object.name).is_some_and(|a| a.read)
}

impl SObject {
    pub fn field(&self, name: &str) -> Option<&'static str> {
        self.fields
            .iter()
            .find(|(f, _)| f.eq_ignore_ascii_case(name))
            .map(|(f, _)| *f)
    }

    pub fn describe(&self, user: &User, version: &str) -> Value {
        let access = user.objects.get(self.name).copied().unwrap_or_default();
        let base = format!("/services/data/v{version}/sobjects/{}", self.name);
        let fields: Vec<Value> = self
            .fields
            .iter()
            .map(|(name, kind)| {
                json!({"name": name, "label": name, "type": kind, "nillable": *name != "Id",
                       "createable": *name != "Id", "updateable": *name != "Id"})
            })
            .collect();
        json!({
            "name": self.name, "label": self.label, "labelPlural": self.plural,
            "keyPrefix": self.prefix, "custom": self.name.contains("__"), "customSetting": false,
            "queryable": true, "retrieveable": true, "searchable": true, "layoutable": true,
            "createable": access.create, "updateable": access.edit, "deletable": access.delete,
            "replicateable": true, "triggerable": true, "undeletable": access.delete,
            "mergeable": false, "activateable": false, "deprecatedAndHidden": false,
            "feedEnabled": false, "mruEnabled": true, "hasSubtypes": false, "isSubtype": false,
            "urls": {"sobject": base, "describe": format!("{base}/describe"),
                     "rowTemplate": format!("{base}/{{ID}}")},
            "fields": fields, "childRelationships": [], "recordTypeInfos": [],
        })
    }

    /// The records of this object: the org's users and organization, or one sample row.
    pub fn rows(&self, org: &Org) -> Vec<Map<String, Value>> {
        match self.name {
            "User" => org.users.iter().map(user_row).collect(),
            "Organization" => vec![organization_row(org)],
            _ => vec![self.sample_row()],
        }
    }

    fn sample_row(&self) -> Map<String, Value> {
        let mut row = Map::new();
        for (name, kind) in self.fields {
            let value = match (*name, *kind) {
                ("Id", _) => ids::to_18(&format!("{}5g0000000001", self.prefix)).into(),
                ("CaseNumber", _) => "00001001".into(),
                (_, "boolean") => false.into(),
                (_, "currency") => 1000.0.into(),
                (_, "datetime") => "2026-01-15T09:30:00.000+0000".into(),
                (_, "reference") => Value::Null,
                (_, "email") => "sample@example.com".into(),
                (field, _) => format!("Sample {} {field}", self.label).into(),
            };
            row.insert((*name).to_string(), value);
        }
        row
    }
}

fn user_row(user: &User) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("Id".into(), user.id.clone().into());
    row.insert("Username".into(), user.username.clone().into());
    row.insert(
        "Name".into(),
        format!("{} {}", user.first_name, user.last_name)
            .trim()
            .into(),
    );
    row.insert("Email".into(), user.email.clone().into());
    row.insert("IsActive".into(), user.active.into());
    row.insert("CreatedDate".into(), "2026-01-01T00:00:00.000+0000".into());
    row
}

fn organization_row(org: &Org) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("Id".into(), org.org_id.clone().into());
    row.insert("Name".into(), org.my_domain.clone().into());
    row.insert("InstanceName".into(), "EMU1".into());
    row.insert("IsSandbox".into(), org.org_type.is_sandbox().into());
    row.insert("TrialExpirationDate".into(), Value::Null);
    row.insert("NamespacePrefix".into(), Value::Null);
    row.insert("OrganizationType".into(), org.org_type.edition().into());
    row.insert("CreatedDate".into(), "2026-01-01T00:00:00.000+0000".into());
    row
}
