//! Typed state keys of the governance module. Ids are big-endian u64 and times big-endian
//! (seconds offset to unsigned, nanos), so that prefix order is id order and queue order is end
//! time order.

use salus_sdk::{Address, Time};

pub const PARAMS: &[u8] = b"gov/params";
pub const NEXT_PROPOSAL_ID: &[u8] = b"gov/next_id";
pub const CONSTITUTION: &[u8] = b"gov/constitution";
/// A proposal without its messages: what deposits, votes and hooks read and rewrite.
pub const PROPOSAL_PREFIX: &[u8] = b"gov/proposal/";
/// A proposal's messages, written once when it is made (they may be large).
pub const MESSAGES_PREFIX: &[u8] = b"gov/messages/";
/// Proposals in their deposit period, by deposit end time.
pub const INACTIVE_QUEUE: &[u8] = b"gov/inactive/";
/// Proposals in their voting period, by voting end time.
pub const ACTIVE_QUEUE: &[u8] = b"gov/active/";
pub const DEPOSIT_PREFIX: &[u8] = b"gov/deposit/";
pub const VOTE_PREFIX: &[u8] = b"gov/vote/";
/// Index: status, then proposal id.
pub const BY_STATUS: &[u8] = b"gov/by_status/";
/// Index: voter, then proposal id (while the vote exists).
pub const BY_VOTER: &[u8] = b"gov/by_voter/";
/// Index: depositor, then proposal id (while the deposit exists).
pub const BY_DEPOSITOR: &[u8] = b"gov/by_depositor/";

pub fn id_bytes(id: u64) -> [u8; 8] {
    id.to_be_bytes()
}

pub fn proposal(id: u64) -> Vec<u8> {
    [PROPOSAL_PREFIX, &id_bytes(id)].concat()
}

pub fn messages(id: u64) -> Vec<u8> {
    [MESSAGES_PREFIX, &id_bytes(id)].concat()
}

/// A time as 12 bytes that sort as the times do.
pub fn time_bytes(t: Time) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[..8].copy_from_slice(&((t.secs as u64) ^ (1 << 63)).to_be_bytes());
    out[8..].copy_from_slice(&t.nanos.to_be_bytes());
    out
}

pub fn queue_entry(queue: &[u8], end: Time, id: u64) -> Vec<u8> {
    [queue, &time_bytes(end), &id_bytes(id)].concat()
}

/// Every queue entry that ends at or before `t`: the range `[queue, queue_entry(t, u64::MAX)]`.
pub fn queue_until(queue: &[u8], t: Time) -> Vec<u8> {
    [queue_entry(queue, t, u64::MAX).as_slice(), &[0]].concat()
}

/// The proposal id at the end of a queue entry.
pub fn queue_id(key: &[u8]) -> Option<u64> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

pub fn deposits_of(id: u64) -> Vec<u8> {
    [DEPOSIT_PREFIX, &id_bytes(id)].concat()
}

pub fn deposit(id: u64, depositor: &Address) -> Vec<u8> {
    [DEPOSIT_PREFIX, &id_bytes(id), depositor.as_bytes()].concat()
}

pub fn votes_of(id: u64) -> Vec<u8> {
    [VOTE_PREFIX, &id_bytes(id)].concat()
}

pub fn vote(id: u64, voter: &Address) -> Vec<u8> {
    [VOTE_PREFIX, &id_bytes(id), voter.as_bytes()].concat()
}

pub fn by_status_of(status: u8) -> Vec<u8> {
    [BY_STATUS, &[status]].concat()
}

pub fn by_status(status: u8, id: u64) -> Vec<u8> {
    [BY_STATUS, &[status], &id_bytes(id)].concat()
}

pub fn by_voter_of(voter: &Address) -> Vec<u8> {
    [BY_VOTER, voter.as_bytes()].concat()
}

pub fn by_voter(voter: &Address, id: u64) -> Vec<u8> {
    [BY_VOTER, voter.as_bytes(), &id_bytes(id)].concat()
}

pub fn by_depositor_of(depositor: &Address) -> Vec<u8> {
    [BY_DEPOSITOR, depositor.as_bytes()].concat()
}

pub fn by_depositor(depositor: &Address, id: u64) -> Vec<u8> {
    [BY_DEPOSITOR, depositor.as_bytes(), &id_bytes(id)].concat()
}

/// The 20-byte address at `offset` of a key.
pub fn address_at(key: &[u8], offset: usize) -> Option<Address> {
    key.get(offset..offset + 20)?.try_into().ok().map(Address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_entries_sort_by_end_time_then_id_and_the_until_bound_is_inclusive() {
        let t = |secs, nanos| Time { secs, nanos };
        let mut keys = [
            queue_entry(ACTIVE_QUEUE, t(10, 5), 1),
            queue_entry(ACTIVE_QUEUE, t(-3, 0), 9),
            queue_entry(ACTIVE_QUEUE, t(10, 5), 0),
            queue_entry(ACTIVE_QUEUE, t(10, 4), 7),
        ];
        keys.sort();
        let ids: Vec<u64> = keys.iter().map(|k| queue_id(k).unwrap()).collect();
        assert_eq!(ids, vec![9, 7, 0, 1]);
        let bound = queue_until(ACTIVE_QUEUE, t(10, 5));
        assert!(keys.iter().all(|k| k < &bound));
        assert!(queue_entry(ACTIVE_QUEUE, t(10, 6), 0) > bound);
        assert!(queue_entry(ACTIVE_QUEUE, t(11, 0), 0) > bound);
    }
}
