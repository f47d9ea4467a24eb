//! French formats shared by pages on both sides (server and browser give
//! the same output, so hydration matches).

/// "2026-12-01" → "1 décembre 2026".
pub fn french_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let mut parts = iso.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return iso.to_owned();
    };
    let month = m
        .parse::<usize>()
        .ok()
        .and_then(|m| MONTHS.get(m.wrapping_sub(1)));
    match (month, d.get(..2).and_then(|d| d.parse::<u32>().ok())) {
        (Some(month), Some(day)) => format!("{day} {month} {y}"),
        _ => iso.to_owned(),
    }
}

/// The label of `value` in one of the lists above, or the value itself.
pub fn label_of(list: &[(&'static str, &'static str)], value: &str) -> String {
    list.iter()
        .find(|(v, _)| *v == value)
        .map_or_else(|| value.to_owned(), |(_, l)| (*l).to_owned())
}

/// "1 250 €", "Gratuit".
pub fn price_label(cents: i32) -> String {
    if cents == 0 {
        return "Gratuit".to_owned();
    }
    format!("{}\u{a0}€", thousands(i64::from(cents / 100)))
}

/// "12 345": digits grouped by three with a narrow no-break space, the
/// French way.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut grouped = String::from(if n < 0 { "-" } else { "" });
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(ch);
    }
    grouped
}

/// The first `max` characters of a text, cut at a word, with "…" if cut.
pub fn truncate_words(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// " (1 nouvelle)", " (3 nouvelles)", after a count of requests; nothing
/// without new ones.
pub fn new_ones(n: i64) -> String {
    match n {
        ..=0 => String::new(),
        1 => " (1 nouvelle)".to_owned(),
        n => format!(" ({n} nouvelles)"),
    }
}

#[cfg(test)]
mod tests {
    use super::{french_date, new_ones, price_label, thousands};

    #[test]
    fn new_ones_agree_with_their_number() {
        assert_eq!(new_ones(0), "");
        assert_eq!(new_ones(1), " (1 nouvelle)");
        assert_eq!(new_ones(4), " (4 nouvelles)");
    }

    #[test]
    fn numbers_grouped_by_three() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1\u{202f}000");
        assert_eq!(thousands(-1_234_567), "-1\u{202f}234\u{202f}567");
        assert_eq!(price_label(125_000), "1\u{202f}250\u{a0}€");
    }

    #[test]
    fn dates_in_french() {
        assert_eq!(french_date("2026-08-01"), "1 août 2026");
        assert_eq!(french_date("2026-12-25"), "25 décembre 2026");
        assert_eq!(french_date("n/a"), "n/a");
    }
}
