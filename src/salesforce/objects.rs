//! Which objects a permission set can grant access to with `objectPermissions`. Only objects in
//! the org's `ObjectPermissions.SobjectType` picklist have object permissions; naming any other
//! one makes the permission set fail to deploy. Facts: field-facts-2026.md "Metadata that
//! deploys" (Object Reference, ObjectPermissions; jetstream#1715).

/// Standard objects with object permissions (the ones our recipes and their guides name).
/// Custom objects (`__c`) and Knowledge article types (`__kav`) have them too.
const WITH_PERMISSIONS: &[&str] = &[
    "Account",
    "Asset",
    "Campaign",
    "Case",
    "Contact",
    "Contract",
    "Lead",
    "Opportunity",
    "Order",
    "Pricebook2",
    "Product2",
];

/// Objects without object permissions, and what grants access to them instead.
const WITHOUT_PERMISSIONS: &[(&str, &str)] = &[
    ("Attachment", "access follows the record it is attached to"),
    ("CaseComment", "access follows the parent Case"),
    (
        "CaseHistory",
        "access follows the parent Case (and field history tracking)",
    ),
    ("CaseTeamMember", "access follows the parent Case"),
    (
        "ContentDocument",
        "access follows file sharing: the library or the records the file is linked to",
    ),
    (
        "ContentVersion",
        "access follows file sharing: the library or the records the file is linked to",
    ),
    // "probably" in the field facts: UNCONFIRMED.
    ("EmailMessage", "access follows the parent Case or record"),
    ("FeedItem", "access follows the record the post is on"),
    (
        "User",
        "access follows the org's user sharing (View All Users grants every user)",
    ),
];

/// How a permission set grants read access to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// `objectPermissions` for the object.
    ObjectPermission,
    /// Something else; the text says what.
    Other(&'static str),
    /// Not known to have object permissions: written as asked, flagged for review.
    Unknown,
}

pub fn access_for(object: &str) -> Access {
    if WITH_PERMISSIONS.contains(&object) || object.ends_with("__c") || object.ends_with("__kav") {
        return Access::ObjectPermission;
    }
    match WITHOUT_PERMISSIONS.iter().find(|(name, _)| *name == object) {
        Some((_, how)) => Access::Other(how),
        None => Access::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_objects_the_field_found_without_permissions_are_refused() {
        for object in [
            "CaseComment",
            "CaseHistory",
            "CaseTeamMember",
            "FeedItem",
            "Attachment",
            "ContentDocument",
            "ContentVersion",
            "User",
            "EmailMessage",
        ] {
            assert!(matches!(access_for(object), Access::Other(_)), "{object}");
        }
        for object in ["Account", "Case", "Invoice__c", "Knowledge__kav"] {
            assert_eq!(access_for(object), Access::ObjectPermission, "{object}");
        }
        assert_eq!(access_for("Shipment"), Access::Unknown);
    }
}
