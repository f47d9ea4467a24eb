//! Spreadsheet downloads (CSV) as French spreadsheet software opens them:
//! semicolons, a UTF-8 byte-order mark, and no cell it would run as a
//! formula.

use crate::base::error::AppError;

/// A cell a spreadsheet would read as a formula gets a leading quote.
pub fn neutralise(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The file: `headings`, then one line per row (`what` names it in the
/// logs should writing fail).
pub fn write<const N: usize>(
    what: &str,
    headings: [&str; N],
    rows: impl IntoIterator<Item = [String; N]>,
) -> Result<Vec<u8>, AppError> {
    let headings = headings.map(str::to_owned);
    write_rows(what, &headings, rows)
}

/// [`write`] for rows whose width is known at run time.
pub fn write_rows<R: AsRef<[String]>>(
    what: &str,
    headings: &[String],
    rows: impl IntoIterator<Item = R>,
) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        // Files of several tables have rows of several widths.
        .flexible(true)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let failed = |error: csv::Error| {
        tracing::error!(%error, what, "writing a CSV");
        AppError::Internal
    };
    writer.write_record(headings).map_err(failed)?;
    for row in rows {
        writer
            .write_record(row.as_ref().iter().map(|cell| neutralise(cell)))
            .map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|error| failed(error.into_error().into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (cell, written) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+33 6", "'+33 6"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("Soudeuse", "Soudeuse"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), written, "{cell}");
        }
    }

    #[test]
    fn files_open_in_french_spreadsheets() {
        let file = write("test", ["a", "b"], [["=1".to_owned(), "x;y".to_owned()]]).unwrap();
        assert_eq!(
            String::from_utf8(file).unwrap(),
            "\u{feff}a;b\n'=1;\"x;y\"\n"
        );
    }
}
