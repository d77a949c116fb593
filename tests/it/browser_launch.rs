//! The browser launcher: a `$BROWSER` program that isn't there is named, with what to do; a
//! launcher that exits is reaped at once (no defunct child until the wizard quits).

#[cfg(target_os = "linux")]
fn defunct_children() -> usize {
    let me = std::process::id().to_string();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("stat")).ok())
        .filter(|stat| {
            // pid (comm) state ppid ...: the fields after the last ')'.
            let rest: Vec<&str> = stat
                .rsplit_once(')')
                .map_or("", |(_, r)| r)
                .split_whitespace()
                .collect();
            rest.first() == Some(&"Z") && rest.get(1) == Some(&me.as_str())
        })
        .count()
}

#[cfg(target_os = "linux")]
#[test]
fn a_missing_browser_is_named_and_a_launcher_is_reaped() {
    let error = eca_wizard::browser::open_with(
        Some("eca-wizard-no-such-browser".into()),
        "http://localhost:1/x",
    )
    .unwrap_err();
    let said = error.to_string();
    assert!(
        said.contains("eca-wizard-no-such-browser") && said.contains("$BROWSER"),
        "{said}"
    );
    assert!(!said.contains("entity not found"), "{said}");

    eca_wizard::browser::open_with(Some("true".into()), "http://localhost:1/x").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while defunct_children() > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(defunct_children(), 0, "the launcher is left defunct");
}
