//! `eca-wizard version`: what a support request needs about this binary. `--version` stays the
//! one short line clap prints; this is the long form. The values come from build.rs.

use serde::Serialize;

/// The binary's build facts.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BuildInfo {
    pub version: &'static str,
    /// The git commit (12 hex digits), or "unknown" when built without git history.
    pub commit: &'static str,
    /// The Rust target triple, e.g. `x86_64-unknown-linux-musl`.
    pub target: &'static str,
    /// The UTC day of the build (`SOURCE_DATE_EPOCH` when set), `YYYY-MM-DD`.
    pub build_date: String,
}

/// This binary's build facts.
pub fn build_info() -> BuildInfo {
    let epoch = env!("ECA_BUILD_EPOCH").parse::<u64>().unwrap_or(0);
    BuildInfo {
        version: env!("CARGO_PKG_VERSION"),
        commit: env!("ECA_BUILD_COMMIT"),
        target: env!("ECA_BUILD_TARGET"),
        build_date: utc_date(epoch),
    }
}

/// Prints the build facts, as aligned lines or one JSON object.
pub fn run(json: bool) -> anyhow::Result<()> {
    let info = build_info();
    if json {
        println!("{}", serde_json::to_string_pretty(&info)?);
    } else {
        println!("eca-wizard {}", info.version);
        println!("commit      {}", info.commit);
        println!("target      {}", info.target);
        println!("built       {}", info.build_date);
    }
    Ok(())
}

/// Seconds since 1970 as a UTC calendar day (the proleptic Gregorian calendar, by the
/// days-to-civil method: 400-year eras of 146097 days starting on 1 March).
pub fn utc_date(epoch_seconds: u64) -> String {
    let days = epoch_seconds / 86_400;
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted / 146_097;
    let day_of_era = shifted % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153; // 0 = March
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_dates_across_leap_rules() {
        assert_eq!(utc_date(0), "1970-01-01");
        assert_eq!(utc_date(86_399), "1970-01-01");
        assert_eq!(utc_date(86_400), "1970-01-02");
        assert_eq!(utc_date(951_782_400), "2000-02-29"); // a 400-year leap day
        assert_eq!(utc_date(951_868_800), "2000-03-01");
        assert_eq!(utc_date(4_107_456_000), "2100-02-28"); // 2100 is not leap
        assert_eq!(utc_date(4_107_542_400), "2100-03-01");
        assert_eq!(utc_date(1_798_675_200), "2026-12-31");
        assert_eq!(utc_date(1_798_761_600), "2027-01-01");
    }

    #[test]
    fn build_info_is_filled_in() {
        let info = build_info();
        assert_eq!(info.version, env!("CARGO_PKG_VERSION"));
        assert!(!info.target.is_empty() && info.target != "unknown");
        assert!(
            info.commit == "unknown" || info.commit.len() == 12,
            "{}",
            info.commit
        );
    }
}
