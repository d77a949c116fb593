//! `eca-wizard emulator` without `--print-json` says everything needed to use its login page:
//! the username and the emulator's own made-up password (issue 26: the password was hidden).

use std::io::{BufRead, BufReader};
use std::process::Stdio;

#[test]
fn the_banner_names_the_demo_password() {
    let mut command = crate::common::launch::fresh();
    let mut child = command
        .args(["emulator", "--propagation-delay", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 || line.contains("Ctrl-C") {
            break;
        }
        lines.push(line);
    }
    let _ = child.kill();
    let _ = child.wait();
    let banner = lines.concat();
    let password = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("password:"))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no password line:\n{banner}"));
    assert_eq!(
        password,
        eca_wizard::emulator::org::DEMO_PASSWORD,
        "{banner}"
    );
}
