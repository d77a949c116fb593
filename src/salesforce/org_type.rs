//! The kinds of org and what differs between them, in one table: the emulator plays an org of
//! a kind by it, the product decides what to send by it. A new fact of this kind is one column.

use serde::{Deserialize, Serialize};

use crate::salesforce::hosts::{PRODUCTION_LOGIN, SANDBOX_LOGIN};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum OrgType {
    Production,
    Sandbox,
    /// A Developer Edition org: what the demo plays.
    #[default]
    Developer,
    /// A scratch org made from a Dev Hub.
    Scratch,
}

/// What an org of one kind is and refuses.
struct Facts {
    kind: OrgType,
    /// `Organization.IsSandbox`.
    is_sandbox: bool,
    /// `Organization.OrganizationType` (a sandbox and a scratch org report their source's).
    edition: &'static str,
    /// The JWT bearer audience Salesforce documents for it ("OAuth 2.0 JWT Bearer Flow for
    /// Server-to-Server Integration": login.salesforce.com, test.salesforce.com for a sandbox).
    jwt_audience: &'static str,
    /// The My Domain partition in its host (`acme--uat.sandbox.my.salesforce.com`;
    /// reference/salesforce-oauth.md, hosts).
    partition: Option<&'static str>,
    /// Refuses a deploy that says `testLevel: NoTestRun` ("INVALID_OPERATION: testLevel of
    /// NoTestRun cannot be used in production organizations"; field-facts-2026.md).
    refuses_no_test_run: bool,
}

const FACTS: [Facts; 4] = [
    Facts {
        kind: OrgType::Production,
        is_sandbox: false,
        edition: "Enterprise Edition",
        jwt_audience: PRODUCTION_LOGIN,
        partition: None,
        refuses_no_test_run: true,
    },
    Facts {
        kind: OrgType::Sandbox,
        is_sandbox: true,
        edition: "Enterprise Edition",
        jwt_audience: SANDBOX_LOGIN,
        partition: Some("sandbox"),
        refuses_no_test_run: false,
    },
    Facts {
        kind: OrgType::Developer,
        is_sandbox: false,
        edition: "Developer Edition",
        jwt_audience: PRODUCTION_LOGIN,
        partition: Some("develop"),
        refuses_no_test_run: false,
    },
    // Scratch orgs sign in through test.salesforce.com (Salesforce DX Developer Guide,
    // "Authorize a Scratch Org"; UNCONFIRMED for the JWT audience, docs/unconfirmed.md).
    Facts {
        kind: OrgType::Scratch,
        is_sandbox: true,
        edition: "Developer Edition",
        jwt_audience: SANDBOX_LOGIN,
        partition: Some("scratch"),
        refuses_no_test_run: false,
    },
];

impl OrgType {
    fn facts(self) -> &'static Facts {
        FACTS.iter().find(|f| f.kind == self).unwrap_or(&FACTS[0])
    }

    /// The kind a My Domain host's partition names (`sandbox`, `scratch`, `develop`); None
    /// when it doesn't tell (a production My Domain has no partition, and neither do custom
    /// domains or the emulator).
    pub fn of_partition(partition: &str) -> Option<OrgType> {
        FACTS
            .iter()
            .find(|f| f.partition == Some(partition))
            .map(|f| f.kind)
    }

    pub fn is_sandbox(self) -> bool {
        self.facts().is_sandbox
    }

    pub fn edition(self) -> &'static str {
        self.facts().edition
    }

    pub fn jwt_audience(self) -> &'static str {
        self.facts().jwt_audience
    }

    /// Why a deploy with this `testLevel` is refused. Without a test level and without Apex,
    /// no tests run (Metadata API Developer Guide, "Running Tests in a Deployment").
    pub fn refuses_test_level(self, test_level: Option<&str>) -> Option<&'static str> {
        (self.facts().refuses_no_test_run && test_level == Some("NoTestRun"))
            .then_some("testLevel of NoTestRun cannot be used in production organizations")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_row() {
        for kind in [
            OrgType::Production,
            OrgType::Sandbox,
            OrgType::Developer,
            OrgType::Scratch,
        ] {
            assert_eq!(kind.facts().kind, kind);
        }
        assert_eq!(OrgType::of_partition("sandbox"), Some(OrgType::Sandbox));
        assert_eq!(OrgType::of_partition("elsewhere"), None);
        assert!(
            OrgType::Production
                .refuses_test_level(Some("NoTestRun"))
                .is_some()
        );
        assert!(OrgType::Production.refuses_test_level(None).is_none());
        assert!(
            OrgType::Sandbox
                .refuses_test_level(Some("NoTestRun"))
                .is_none()
        );
    }
}
