//! FHIR `date`, `dateTime` and `instant` to block time and back.
//!
//! Accepted: a full date (`2025-06-30`, UTC, the day's start; as a period's end, through that
//! day: the next day's start) and a full dateTime with seconds and a zone (`Z` or `+hh:mm`), up
//! to nanoseconds. A dateTime end is the instant the period stops (the chain's ends are
//! exclusive). Years alone, year-months and dateTimes without a zone are refused: they name no
//! instant.

use salus_sdk::time::Time;

use super::{FhirError, Result};

const DAY: i64 = 86_400;

fn digits(s: &str, len: usize) -> Option<i64> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) => 29,
        2 => 28,
        _ => 31,
    }
}

/// (year, month, day) to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` to days since the epoch.
fn date_days(s: &str) -> Option<i64> {
    let mut p = s.split('-');
    let (y, m, d) = (digits(p.next()?, 4)?, digits(p.next()?, 2)?, digits(p.next()?, 2)?);
    if p.next().is_some() || y == 0 || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// A full dateTime with zone, or None.
fn datetime(s: &str) -> Option<Time> {
    let (date, rest) = s.split_once('T')?;
    let days = date_days(date)?;
    let (clock, offset) = if let Some(c) = rest.strip_suffix('Z') {
        (c, 0)
    } else {
        let at = rest.rfind(['+', '-'])?;
        let (c, z) = rest.split_at(at);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let (hh, mm) = z.get(1..)?.split_once(':')?;
        let (hh, mm) = (digits(hh, 2)?, digits(mm, 2)?);
        if hh > 14 || mm > 59 || (hh == 14 && mm > 0) {
            return None;
        }
        (c, sign * (hh * 3600 + mm * 60))
    };
    let (hms, frac) = match clock.split_once('.') {
        Some((h, f)) if !f.is_empty() && f.len() <= 9 && f.bytes().all(|b| b.is_ascii_digit()) => (h, f),
        Some(_) => return None,
        None => (clock, ""),
    };
    let mut t = hms.split(':');
    let (h, m, sec) = (digits(t.next()?, 2)?, digits(t.next()?, 2)?, digits(t.next()?, 2)?);
    if t.next().is_some() || h > 23 || m > 59 || sec > 59 {
        return None;
    }
    let nanos: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
    Some(Time { secs: days * DAY + h * 3600 + m * 60 + sec - offset, nanos })
}

fn parse(path: &str, s: &str, end: bool) -> Result<Time> {
    if s.len() == 10 {
        if let Some(days) = date_days(s) {
            return Ok(Time { secs: (days + i64::from(end)) * DAY, nanos: 0 });
        }
    } else if let Some(t) = datetime(s) {
        return Ok(t);
    }
    Err(FhirError::new(
        path,
        format!(
            "`{s}` is not a date the chain can take: give a full date (2025-06-30, UTC; as an end, through that day) or a dateTime with seconds and zone (2025-06-30T08:00:00Z, 2025-06-30T10:00:00+02:00); years and months alone are too vague"
        ),
    ))
}

/// A period's start (or any point in time).
pub fn parse_period_start(path: &str, s: &str) -> Result<Time> {
    parse(path, s, false)
}

/// A period's end: a date means through that day.
pub fn parse_period_end(path: &str, s: &str) -> Result<Time> {
    parse(path, s, true)
}

fn in_range(path: &str, t: Time) -> Result<(i64, i64, i64, i64)> {
    let days = t.secs.div_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    if !(1..=9999).contains(&y) {
        return Err(FhirError::new(path, format!("the time {} s is outside FHIR's years 0001 to 9999", t.secs)));
    }
    Ok((y, m, d, t.secs.rem_euclid(DAY)))
}

/// A FHIR dateTime / instant in UTC, with the fraction only if there is one.
pub fn format_datetime(path: &str, t: Time) -> Result<String> {
    let (y, m, d, rem) = in_range(path, t)?;
    let mut s = format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, (rem / 60) % 60, rem % 60);
    if t.nanos > 0 {
        let frac = format!("{:09}", t.nanos.min(999_999_999));
        s.push('.');
        s.push_str(frac.trim_end_matches('0'));
    }
    s.push('Z');
    Ok(s)
}

/// A FHIR date (UTC).
pub fn format_date(path: &str, t: Time) -> Result<String> {
    let (y, m, d, _) = in_range(path, t)?;
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_datetimes_parse_to_utc_and_print_back() {
        let t = parse_period_start("p", "2025-06-30").unwrap();
        assert_eq!(format_datetime("p", t).unwrap(), "2025-06-30T00:00:00Z");
        let end = parse_period_end("p", "2025-06-30").unwrap();
        assert_eq!(format_datetime("p", end).unwrap(), "2025-07-01T00:00:00Z");
        let z = parse_period_start("p", "2025-06-30T10:00:00+02:00").unwrap();
        assert_eq!(format_datetime("p", z).unwrap(), "2025-06-30T08:00:00Z");
        let neg = parse_period_start("p", "2025-06-30T22:30:00-05:00").unwrap();
        assert_eq!(format_datetime("p", neg).unwrap(), "2025-07-01T03:30:00Z");
        let frac = parse_period_start("p", "2024-02-29T23:59:59.25Z").unwrap();
        assert_eq!(frac.nanos, 250_000_000);
        assert_eq!(format_datetime("p", frac).unwrap(), "2024-02-29T23:59:59.25Z");
        assert_eq!(format_date("p", frac).unwrap(), "2024-02-29");
        let old = parse_period_start("p", "1964-01-01").unwrap();
        assert!(old.secs < 0);
        assert_eq!(format_date("p", old).unwrap(), "1964-01-01");
        for t in [Time { secs: 1_750_000_000, nanos: 1 }, Time { secs: -86_401, nanos: 999_999_999 }] {
            assert_eq!(parse_period_start("p", &format_datetime("p", t).unwrap()).unwrap(), t);
        }
    }

    #[test]
    fn vague_or_invalid_dates_are_refused() {
        for s in [
            "2025",
            "2025-06",
            "2025-06-31",
            "2023-02-29",
            "2025-06-30T08:00:00",
            "2025-06-30T08:00Z",
            "2025-06-30T24:00:00Z",
            "2025-06-30T08:00:00+15:00",
            "2025-06-30T08:00:00.Z",
            "2025-06-30T08:00:00.1234567891Z",
            "0000-01-01",
            "+2025-06-30",
            "2025-6-30",
            "",
        ] {
            let e = parse_period_start("Consent.period.start", s).unwrap_err();
            assert_eq!(e.path, "Consent.period.start", "{s}");
        }
        assert!(format_datetime("p", Time { secs: i64::MAX, nanos: 0 }).is_err());
    }
}
