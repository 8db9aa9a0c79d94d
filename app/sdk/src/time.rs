//! Block time: the header's, never the wall clock.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::context::BlockCtx;

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
