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

#[cfg(test)]
mod tests {
    use super::french_date;

    #[test]
    fn dates_in_french() {
        assert_eq!(french_date("2026-08-01"), "1 août 2026");
        assert_eq!(french_date("2026-12-25"), "25 décembre 2026");
        assert_eq!(french_date("n/a"), "n/a");
    }
}
