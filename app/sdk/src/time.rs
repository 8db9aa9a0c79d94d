//! Block time: the header's, never the wall clock.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::context::BlockCtx;
use crate::state::{StateRead, StateReadExt};

/// Where the node keeps the time of the block being executed, then committed (written first in
/// every FinalizeBlock), so that queries can answer "now" on block time.
pub const BLOCK_TIME_KEY: &[u8] = b"node/block_time";

/// The time of the last block written to `state` (0 before the first).
pub fn stored_block_time(state: &(impl StateRead + ?Sized)) -> Time {
    let (secs, nanos): (i64, u32) = state.get(BLOCK_TIME_KEY).ok().flatten().unwrap_or((0, 0));
    Time { secs, nanos }
}

/// A point in block time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub struct Time {
    pub secs: i64,
    pub nanos: u32,
}

impl Time {
    pub fn of(ctx: &BlockCtx) -> Time {
        Time { secs: ctx.time_secs, nanos: ctx.time_nanos }
    }

    pub fn plus_secs(self, secs: u64) -> Time {
        Time { secs: self.secs.saturating_add(secs.min(i64::MAX as u64) as i64), nanos: self.nanos }
    }

    pub fn to_proto(self) -> salus_proto::tendermint_proto::google::protobuf::Timestamp {
        salus_proto::tendermint_proto::google::protobuf::Timestamp { seconds: self.secs, nanos: self.nanos as i32 }
    }

    /// Reads what [`Time::rfc3339`] writes (`YYYY-MM-DDTHH:MM:SS[.fraction]Z` or `+00:00`).
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        parse_rfc3339(s)
    }

    /// RFC 3339, for events and CLI output.
    pub fn rfc3339(self) -> String {
        let days = self.secs.div_euclid(86_400);
        let rem = self.secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:09}Z", rem / 3600, (rem / 60) % 60, rem % 60, self.nanos)
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` (or `+00:00`), up to nanoseconds: a four-digit year, a day
/// that exists in its month, no sign anywhere. Anything else is `None`, never a panic.
pub fn parse_rfc3339(s: &str) -> Option<Time> {
    let s = s.strip_suffix('Z').or_else(|| s.strip_suffix("+00:00"))?;
    let (date, time) = s.split_once(['T', 't'])?;
    let digits = |part: &str, len: usize| -> Option<u32> {
        (part.len() == len && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse().ok())?
    };
    let mut d = date.split('-');
    // Four digits, or more for the far future a saturated time reaches (what `rfc3339` writes).
    let year = d.next()?;
    if year.len() < 4 || year.len() > 12 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let y: u64 = year.parse().ok()?;
    let (m, day) = (digits(d.next()?, 2)?, digits(d.next()?, 2)?);
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut t = hms.split(':');
    let (hh, mm, ss) = (digits(t.next()?, 2)?, digits(t.next()?, 2)?, digits(t.next()?, 2)?);
    if d.next().is_some() || t.next().is_some() {
        return None;
    }
    if !(1..=12).contains(&m) || day == 0 || day > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    if frac.len() > 9 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let nanos: u32 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
    // A year of at most 12 digits keeps days * 86400 within i128; the result must fit i64.
    let days = days_from_civil(y as i64, m, day) as i128;
    let secs = i64::try_from(days * 86_400 + i128::from(hh * 3600 + mm * 60 + ss)).ok()?;
    Some(Time { secs, nanos })
}

fn days_in_month(y: u64, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        _ => 31,
    }
}

/// (year, month, day) to days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_rfc3339() {
        for t in [
            Time { secs: 0, nanos: 0 },
            Time { secs: 1_800_000_123, nanos: 456 },
            Time { secs: 253_402_300_799, nanos: 0 },
            Time { secs: 951_782_400, nanos: 999_999_999 },
            Time { secs: 0, nanos: 0 }.plus_secs(1_000_000_000_000),
            Time { secs: i64::MAX, nanos: 999_999_999 },
        ] {
            assert_eq!(Time::parse_rfc3339(&t.rfc3339()), Some(t), "{}", t.rfc3339());
        }
        assert_eq!(
            Time::parse_rfc3339("2027-01-15T08:00:00Z").map(|t| t.rfc3339()).as_deref(),
            Some("2027-01-15T08:00:00.000000000Z")
        );
        assert_eq!(Time::parse_rfc3339("2027-01-15T08:00:00.5Z").unwrap().nanos, 500_000_000);
        assert_eq!(Time::parse_rfc3339("2027-13-15T08:00:00Z"), None);
        assert_eq!(
            Time::parse_rfc3339("2028-02-29T00:00:00Z").map(|t| t.rfc3339()).as_deref(),
            Some("2028-02-29T00:00:00.000000000Z")
        );
        for bad in [
            "2027-02-30T00:00:00Z",
            "2027-02-29T00:00:00Z",
            "2027-04-31T00:00:00Z",
            "2027-01-15T-9223372036854775808:00:00Z",
            "2027-01-15T-1:00:00Z",
            "99999999999999999-01-15T08:00:00Z",
            "999999999999-12-31T23:59:59Z",
            "027-01-15T08:00:00Z",
            "+2027-01-15T08:00:00Z",
            "2027-01-15T24:00:00Z",
            "2027-01-15T08:00:00.1234567890Z",
            "2027-01-15T08:00:00",
            "2027-01-15T08:00:00:00Z",
            "yesterday",
            "",
        ] {
            assert_eq!(Time::parse_rfc3339(bad), None, "{bad}");
        }
    }
}
