//! `connect`'s check lines keep their details in one column, whatever the check's name
//! (issue 26: a long object name pushed its detail out of line).

use eca_wizard::commands::connect::check_line;
use eca_wizard::verify::Check;

#[test]
fn details_start_in_the_same_column_for_long_and_short_names() {
    let short = check_line(&Check::passed("token", "token obtained"));
    let long = check_line(&Check::passed("object:OpportunityLineItem", "can be read"));
    let column = |line: &str, detail: &str| {
        line.lines()
            .find_map(|l| l.find(detail))
            .unwrap_or_else(|| panic!("{detail} not in {line}"))
    };
    assert_eq!(
        column(&short, "token obtained"),
        column(&long, "can be read"),
        "{short}\n{long}"
    );
    assert!(long.contains("object:OpportunityLineItem"));
}
