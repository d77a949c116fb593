//! The small words a first-time admin tripped on (issue 26): line numbers that count blank
//! lines, a vendor's own localhost callback not called the wizard's, recipe text without
//! markdown or doubled words, one "quit" per footer, Ctrl-O kept where a step has a page.

use crate::common::driving::*;
use eca_wizard::recipe;
use eca_wizard::salesforce::callback::{check_callback_urls, is_wizard_callback};
use eca_wizard::wizard::{Key, ScreenKind, keys};

#[test]
fn a_callback_error_names_the_line_it_is_on_blank_lines_counted() {
    let error =
        check_callback_urls("https://a.example.com/cb\n\nftp://b.example.com/cb").unwrap_err();
    assert!(error.starts_with("Line 3:"), "{error}");
    let twice =
        check_callback_urls("https://a.example.com/cb\n\n\nhttps://a.example.com/cb").unwrap_err();
    assert!(twice.starts_with("Line 4:"), "{twice}");
}

#[test]
fn only_the_wizards_own_ports_are_marked_as_its_check() {
    assert!(is_wizard_callback("http://localhost:7717/callback"));
    assert!(
        !is_wizard_callback("http://localhost:38000/callback"),
        "Claude Code's own"
    );
    assert!(!is_wizard_callback(
        "https://unify.apideck.com/vault/callback"
    ));
}

#[test]
fn recipe_text_has_no_markdown_emphasis_or_doubled_words() {
    for recipe in recipe::builtin().unwrap() {
        let mut texts = vec![recipe.summary.clone(), recipe.handoff.clone()];
        for step in &recipe.steps {
            texts.extend([step.what.clone(), step.why.clone()]);
            texts.extend(step.guide_note.clone());
        }
        for text in texts {
            let words: Vec<&str> = text.split_whitespace().collect();
            for pair in words.windows(2) {
                assert!(
                    !pair[0].eq_ignore_ascii_case(pair[1])
                        || !pair[0].chars().all(char::is_alphabetic),
                    "{}: \"{} {}\" in {text}",
                    recipe.id,
                    pair[0],
                    pair[1]
                );
            }
            for word in words {
                let bare = word.trim_matches(|c: char| ",.;:()\"".contains(c));
                assert!(
                    !(bare.len() > 2 && bare.starts_with('*') && bare.ends_with('*')),
                    "{}: markdown {bare} in {text}",
                    recipe.id
                );
            }
        }
    }
}

#[test]
fn the_start_footer_says_quit_once_and_a_step_with_a_page_keeps_ctrl_o() {
    let mut m = model();
    resize(&mut m, 80, 24);
    let quits = keys::for_footer(&m)
        .iter()
        .filter(|k| k.short == "quit")
        .count();
    assert_eq!(quits, 1);
    press(&mut m, Key::Esc);
    assert!(m.quit, "esc still quits the start screen");

    let mut m = model();
    resize(&mut m, 80, 24);
    choose(&mut m, "apideck");
    set_org(&mut m, "https://acme.my.salesforce.com");
    for _ in 0..40 {
        let ScreenKind::Step(i) = m.kind() else { break };
        let step = &m.recipe().unwrap().steps[i];
        let open = keys::for_footer(&m)
            .into_iter()
            .find(|k| k.keys.contains(&Key::Ctrl('o')))
            .unwrap();
        assert_eq!(open.keep, step.page.is_some(), "{}", step.id);
        complete_step(&mut m);
        fix_invalid_fields(&mut m);
    }
}
