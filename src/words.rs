//! Counted nouns in messages: "1 line", "2 lines", never "(1 lines)".

/// `n` and the noun, singular for one (nouns here take a plain "s").
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn one_is_singular_and_others_plural() {
        assert_eq!(count(1, "line"), "1 line");
        assert_eq!(count(0, "line"), "0 lines");
        assert_eq!(count(3, "other possible cause"), "3 other possible causes");
    }
}
