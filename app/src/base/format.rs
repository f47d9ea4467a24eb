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

/// "2026-12-10T14:30" → "jeudi 10 décembre 2026 à 14 h 30".
pub fn french_datetime(local: &str) -> String {
    const DAYS: [&str; 7] = [
        "dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi",
    ];
    // Sakamoto's day of the week: both sides render without a date library.
    const SHIFT: [i64; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let Some((date, time)) = local.split_once('T') else {
        return local.to_owned();
    };
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next())
    else {
        return local.to_owned();
    };
    let (Some((h, min)), Some(shift)) = (
        time.get(..5).and_then(|t| t.split_once(':')),
        usize::try_from(m - 1).ok().and_then(|i| SHIFT.get(i)),
    ) else {
        return local.to_owned();
    };
    let year = if m < 3 { y - 1 } else { y };
    let day = (year + year / 4 - year / 100 + year / 400 + shift + d).rem_euclid(7);
    let minutes = if min == "00" {
        String::new()
    } else {
        format!(" {min}")
    };
    let hour = h.trim_start_matches('0');
    let hour = if hour.is_empty() { "0" } else { hour };
    format!(
        "{} {} à {hour}\u{a0}h{minutes}",
        DAYS[day as usize],
        french_date(date)
    )
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
    use super::{french_date, french_datetime, new_ones, price_label, thousands};

    #[test]
    fn date_and_time_read_the_french_way() {
        assert_eq!(
            french_datetime("2026-12-10T14:30"),
            "jeudi 10 décembre 2026 à 14\u{a0}h 30"
        );
        assert_eq!(
            french_datetime("2027-01-04T09:00"),
            "lundi 4 janvier 2027 à 9\u{a0}h"
        );
        assert_eq!(
            french_datetime("2024-02-29T00:05"),
            "jeudi 29 février 2024 à 0\u{a0}h 05"
        );
        assert_eq!(french_datetime("pas une date"), "pas une date");
    }

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
