//! The app gives some dates as its pages show them, the French way and in
//! Paris time ("05/12/2026 14:30"); the API answers ISO 8601 on every route: days as
//! `YYYY-MM-DD`, instants in UTC (RFC 3339). Paris follows the European
//! rule: summer time (UTC+2) from 01:00 UTC on the last Sunday of March to
//! 01:00 UTC on the last Sunday of October, UTC+1 otherwise.

use app::base::error::AppError;
use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeDelta};

/// A date the app wrote that is not in its format: a bug, loud.
fn unreadable(text: &str) -> AppError {
    tracing::error!(text, "public API: a date the app gave cannot be read");
    AppError::Internal
}

/// "05/12/2026" (or the day of "05/12/2026 14:30") → "2026-12-05".
pub fn day(french: &str) -> Result<String, AppError> {
    let date = french.get(..10).unwrap_or(french);
    NaiveDate::parse_from_str(date, "%d/%m/%Y")
        .map(|date| date.format("%Y-%m-%d").to_string())
        .map_err(|_| unreadable(french))
}

/// "05/12/2026 14:30", Paris time → "2026-12-05T13:30:00Z".
pub fn instant(french: &str) -> Result<String, AppError> {
    NaiveDateTime::parse_from_str(french, "%d/%m/%Y %H:%M")
        .map(utc)
        .map_err(|_| unreadable(french))
}

/// "2026-12-10T14:30" (an interview's start), Paris time → UTC.
pub fn local_instant(local: &str) -> Result<String, AppError> {
    NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M")
        .map(utc)
        .map_err(|_| unreadable(local))
}

/// Paris time `local` in UTC, RFC 3339. Of the hour that comes twice in
/// October, the first; the hour skipped in March cannot come from the app.
fn utc(local: NaiveDateTime) -> String {
    let summer = local - TimeDelta::hours(2);
    let at = if summer_time(summer) {
        summer
    } else {
        local - TimeDelta::hours(1)
    };
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Whether Paris keeps summer time at the UTC instant `at`.
fn summer_time(at: NaiveDateTime) -> bool {
    let switch = |month| last_sunday(at.year(), month).and_hms_opt(1, 0, 0);
    match (switch(3), switch(10)) {
        (Some(starts), Some(ends)) => starts <= at && at < ends,
        _ => false,
    }
}

/// The last Sunday of `month` (March or October: 31 days).
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
    last - TimeDelta::days(i64::from(last.weekday().num_days_from_sunday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_times_become_utc_across_both_switches() {
        assert_eq!(
            instant("05/12/2026 14:30").ok().as_deref(),
            Some("2026-12-05T13:30:00Z")
        );
        assert_eq!(
            instant("05/07/2026 14:30").ok().as_deref(),
            Some("2026-07-05T12:30:00Z")
        );
        // 29 March 2026: 02:00 became 03:00.
        assert_eq!(
            instant("29/03/2026 01:30").ok().as_deref(),
            Some("2026-03-29T00:30:00Z")
        );
        assert_eq!(
            instant("29/03/2026 03:30").ok().as_deref(),
            Some("2026-03-29T01:30:00Z")
        );
        // 25 October 2026: 03:00 became 02:00 again.
        assert_eq!(
            instant("25/10/2026 01:30").ok().as_deref(),
            Some("2026-10-24T23:30:00Z")
        );
        assert_eq!(
            instant("25/10/2026 03:30").ok().as_deref(),
            Some("2026-10-25T02:30:00Z")
        );
        assert_eq!(
            local_instant("2026-12-10T14:30").ok().as_deref(),
            Some("2026-12-10T13:30:00Z")
        );
        assert_eq!(day("05/12/2026 14:30").ok().as_deref(), Some("2026-12-05"));
        assert_eq!(day("31/01/2027").ok().as_deref(), Some("2027-01-31"));
        assert!(instant("2026-12-05").is_err());
        assert!(day("32/01/2027").is_err());
    }
}
