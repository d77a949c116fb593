//! `connect`'s check lines keep their details in one column, whatever the check's name
//! (issue 26: a long object name pushed its detail out of line).

use eca_wizard::commands::connect::{check_line_in, name_column};
use eca_wizard::recipe;
use eca_wizard::verify::{Check, CheckName};

#[test]
fn details_start_in_the_same_column_for_every_check_a_recipe_reports() {
    for recipe in recipe::builtin().unwrap() {
        let width = name_column(recipe);
        let mut names = vec![CheckName::Token, CheckName::RefreshToken];
        names.extend(recipe.objects().map(|o| CheckName::object(&o.object)));
        let columns: Vec<usize> = names
            .iter()
            .map(|name| {
                let line = check_line_in(&Check::passed(name.clone(), "DETAIL"), width);
                assert_eq!(line.lines().count(), 1, "{line}");
                line.find("DETAIL").unwrap()
            })
            .collect();
        assert!(
            columns.windows(2).all(|w| w[0] == w[1]),
            "{}: {names:?} -> {columns:?}",
            recipe.id
        );
    }
}
