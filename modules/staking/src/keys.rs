//! Typed state keys. Addresses are fixed 20 bytes and times big-endian, so byte order is the order
//! that iteration needs (one delegator's delegations together; queues by completion time).

use salus_sdk::Address;

use crate::types::Time;

pub const VALIDATOR_PREFIX: &[u8] = b"staking/validator/";
pub const BY_CONS_PREFIX: &[u8] = b"staking/by_cons/";
pub const LAST_POWER_PREFIX: &[u8] = b"staking/last_power/";
/// Validators that could be in the set (unjailed, with power), highest power first, then by
/// operator: the set is read from the front of this index, whatever the number of validators.
pub const BY_POWER_PREFIX: &[u8] = b"staking/by_power/";
/// Indexes read only at the latest height, every block: the store keeps no history of their
/// deleted keys, which every read of them would otherwise step over.
pub const HISTORY_FREE_PREFIXES: &[&[u8]] = &[BY_POWER_PREFIX, LAST_POWER_PREFIX];
pub const DELEGATION_PREFIX: &[u8] = b"staking/delegation/";
pub const DELEGATION_BY_VAL_PREFIX: &[u8] = b"staking/delegation_by_val/";
pub const UNBONDING_PREFIX: &[u8] = b"staking/unbonding/";
pub const UNBONDING_BY_VAL_PREFIX: &[u8] = b"staking/unbonding_by_val/";
pub const UNBONDING_QUEUE: &[u8] = b"staking/unbonding_queue/";
pub const REDELEGATION_PREFIX: &[u8] = b"staking/redelegation/";
pub const REDELEGATION_BY_SRC_PREFIX: &[u8] = b"staking/redelegation_by_src/";
pub const REDELEGATION_QUEUE: &[u8] = b"staking/redelegation_queue/";
pub const VALIDATOR_QUEUE: &[u8] = b"staking/validator_queue/";
pub const HISTORICAL_PREFIX: &[u8] = b"staking/historical/";
pub const STAKING_PARAMS: &[u8] = b"staking/params";
/// Per queue, the time up to which it has been processed: reads start there.
pub const QUEUE_HEAD_PREFIX: &[u8] = b"staking/queue_head/";

pub const SIGNING_INFO_PREFIX: &[u8] = b"slashing/signing_info/";
pub const MISSED_PREFIX: &[u8] = b"slashing/missed/";
pub const SLASHING_PARAMS: &[u8] = b"slashing/params";

pub const REWARDS_PREFIX: &[u8] = b"distribution/validator/";
pub const REWARD_START_PREFIX: &[u8] = b"distribution/start/";
pub const COMMUNITY_POOL: &[u8] = b"distribution/community_pool";
pub const WITHDRAW_ADDRESS_PREFIX: &[u8] = b"distribution/withdraw_address/";
pub const DISTRIBUTION_PARAMS: &[u8] = b"distribution/params";

pub fn queue_head(queue: &[u8]) -> Vec<u8> {
    [QUEUE_HEAD_PREFIX, queue].concat()
}

/// The first key of a queue at time `t` (every key at `t` or later sorts at or after it).
pub fn queue_from(queue: &[u8], t: Time) -> Vec<u8> {
    [queue, &time(t)].concat()
}

fn time(t: Time) -> [u8; 12] {
    let mut out = [0u8; 12];
    out[..8].copy_from_slice(&(t.secs.max(0) as u64).to_be_bytes());
    out[8..].copy_from_slice(&t.nanos.to_be_bytes());
    out
}

/// The addresses after a queue key's time.
pub fn queue_addresses(key: &[u8], prefix: &[u8]) -> Vec<Address> {
    let rest = &key[prefix.len() + 12..];
    rest.chunks_exact(20).map(|c| Address(c.try_into().expect("chunks of 20"))).collect()
}

pub fn validator(op: &Address) -> Vec<u8> {
    [VALIDATOR_PREFIX, op.as_bytes()].concat()
}

pub fn by_power(power: u64, op: &Address) -> Vec<u8> {
    [BY_POWER_PREFIX, &(u64::MAX - power).to_be_bytes(), op.as_bytes()].concat()
}

pub use salus_sdk::pagination::prefix_end;

/// The operator a power-index key names.
pub fn by_power_operator(key: &[u8]) -> Option<Address> {
    key.get(BY_POWER_PREFIX.len() + 8..)?.try_into().ok().map(Address)
}

pub fn by_cons(cons: &[u8; 20]) -> Vec<u8> {
    [BY_CONS_PREFIX, cons.as_slice()].concat()
}

pub fn last_power(op: &Address) -> Vec<u8> {
    [LAST_POWER_PREFIX, op.as_bytes()].concat()
}

pub fn delegation(del: &Address, val: &Address) -> Vec<u8> {
    [DELEGATION_PREFIX, del.as_bytes(), val.as_bytes()].concat()
}

pub fn delegations_of(del: &Address) -> Vec<u8> {
    [DELEGATION_PREFIX, del.as_bytes()].concat()
}

pub fn delegation_by_val(val: &Address, del: &Address) -> Vec<u8> {
    [DELEGATION_BY_VAL_PREFIX, val.as_bytes(), del.as_bytes()].concat()
}

pub fn delegations_to(val: &Address) -> Vec<u8> {
    [DELEGATION_BY_VAL_PREFIX, val.as_bytes()].concat()
}

pub fn unbonding(del: &Address, val: &Address) -> Vec<u8> {
    [UNBONDING_PREFIX, del.as_bytes(), val.as_bytes()].concat()
}

pub fn unbondings_of(del: &Address) -> Vec<u8> {
    [UNBONDING_PREFIX, del.as_bytes()].concat()
}

pub fn unbonding_by_val(val: &Address, del: &Address) -> Vec<u8> {
    [UNBONDING_BY_VAL_PREFIX, val.as_bytes(), del.as_bytes()].concat()
}

pub fn unbondings_from(val: &Address) -> Vec<u8> {
    [UNBONDING_BY_VAL_PREFIX, val.as_bytes()].concat()
}

pub fn unbonding_queue(t: Time, del: &Address, val: &Address) -> Vec<u8> {
    [UNBONDING_QUEUE, &time(t), del.as_bytes(), val.as_bytes()].concat()
}

pub fn redelegation(del: &Address, src: &Address, dst: &Address) -> Vec<u8> {
    [REDELEGATION_PREFIX, del.as_bytes(), src.as_bytes(), dst.as_bytes()].concat()
}

pub fn redelegations_of(del: &Address) -> Vec<u8> {
    [REDELEGATION_PREFIX, del.as_bytes()].concat()
}

pub fn redelegation_by_src(src: &Address, del: &Address, dst: &Address) -> Vec<u8> {
    [REDELEGATION_BY_SRC_PREFIX, src.as_bytes(), del.as_bytes(), dst.as_bytes()].concat()
}

pub fn redelegations_from(src: &Address) -> Vec<u8> {
    [REDELEGATION_BY_SRC_PREFIX, src.as_bytes()].concat()
}

pub fn redelegation_queue(t: Time, del: &Address, src: &Address, dst: &Address) -> Vec<u8> {
    [REDELEGATION_QUEUE, &time(t), del.as_bytes(), src.as_bytes(), dst.as_bytes()].concat()
}

pub fn validator_queue(t: Time, op: &Address) -> Vec<u8> {
    [VALIDATOR_QUEUE, &time(t), op.as_bytes()].concat()
}

pub fn historical(height: u64) -> Vec<u8> {
    [HISTORICAL_PREFIX, &height.to_be_bytes()].concat()
}

pub fn signing_info(cons: &[u8; 20]) -> Vec<u8> {
    [SIGNING_INFO_PREFIX, cons.as_slice()].concat()
}

pub fn missed(cons: &[u8; 20], index: u64) -> Vec<u8> {
    [MISSED_PREFIX, cons.as_slice(), &index.to_be_bytes()].concat()
}

pub fn missed_of(cons: &[u8; 20]) -> Vec<u8> {
    [MISSED_PREFIX, cons.as_slice()].concat()
}

pub fn rewards(val: &Address) -> Vec<u8> {
    [REWARDS_PREFIX, val.as_bytes()].concat()
}

pub fn withdraw_address(del: &Address) -> Vec<u8> {
    [WITHDRAW_ADDRESS_PREFIX, del.as_bytes()].concat()
}

pub fn reward_start(del: &Address, val: &Address) -> Vec<u8> {
    [REWARD_START_PREFIX, del.as_bytes(), val.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queue_keys_sort_by_time_and_parse_back() {
        let (a, b) = (Address([1; 20]), Address([2; 20]));
        let early = Time { secs: 100, nanos: 5 };
        let late = Time { secs: 256, nanos: 0 };
        let mut keys = [unbonding_queue(late, &a, &b), unbonding_queue(early, &b, &a)];
        keys.sort();
        assert_eq!(keys[0], unbonding_queue(early, &b, &a));
        assert!(
            keys[0] >= queue_from(UNBONDING_QUEUE, early)
                && keys[1] < queue_from(UNBONDING_QUEUE, Time { secs: 257, nanos: 0 })
        );
        assert_eq!(queue_addresses(&keys[0], UNBONDING_QUEUE), vec![b, a]);
        assert!(historical(9) < historical(256));
        assert!(delegation(&a, &b).starts_with(&delegations_of(&a)));
        assert!(missed(&[3; 20], 1) < missed(&[3; 20], 256));
    }

    #[test]
    fn the_power_index_puts_the_most_power_first_then_the_lower_operator() {
        let (a, b) = (Address([1; 20]), Address([2; 20]));
        let mut keys = [by_power(5, &a), by_power(300, &b), by_power(300, &a), by_power(u64::MAX, &b)];
        keys.sort();
        assert_eq!(keys, [by_power(u64::MAX, &b), by_power(300, &a), by_power(300, &b), by_power(5, &a)]);
        assert_eq!(by_power_operator(&keys[2]), Some(b));
        assert!(keys.iter().all(|k| k.as_slice() < prefix_end(BY_POWER_PREFIX).as_slice()));
        assert_eq!(prefix_end(b"ab\xff"), b"ac".to_vec());
    }
}
