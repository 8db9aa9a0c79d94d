//! The invariants hold on a real store after staking operations, and each one fails when the
//! state it guards is broken.

use salus_sdk::{Address, BlockCtx, Coin, Coins, Overlay, StateWrite};
use salus_staking::bonding::apply_validator_set;
use salus_staking::state::{bonded_pool, distribution_account};
use salus_staking::types::{CommissionRates, Delegation, Description};
use salus_staking::{handler, invariants, Dec, StakingMsg, StakingRead, StakingWrite, VotingPower};
use salus_store::Storage;
use salus_token::TestFunds;

fn ctx(height: u64) -> BlockCtx {
    BlockCtx {
        chain_id: "t".into(),
        height,
        time_secs: 1_800_000_000 + height as i64,
        time_nanos: 0,
        header: Default::default(),
    }
}

fn coins(n: u128) -> Coins {
    Coins::new(vec![Coin::new(n, "usalus")]).unwrap()
}

fn staked(state: &mut impl StateWrite, op: Address, delegator: Address) {
    state.fund(&op, &coins(50_000_000)).unwrap();
    state.fund(&delegator, &coins(50_000_000)).unwrap();
    let create = StakingMsg::CreateValidator {
        operator: op,
        pubkey: ed25519_consensus::SigningKey::from([7; 32]).verification_key().to_bytes(),
        description: Description { moniker: "v".into(), ..Default::default() },
        commission: CommissionRates {
            rate: Dec::percent(10),
            max_rate: Dec::percent(20),
            max_change_rate: Dec::percent(1),
        },
        min_self_delegation: 1,
        value: Coin::new(20_000_000, "usalus"),
    };
    handler::execute(state, &ctx(1), &create).unwrap();
    let delegate = StakingMsg::Delegate { delegator, validator: op, amount: Coin::new(7_000_000, "usalus") };
    handler::execute(state, &ctx(1), &delegate).unwrap();
    apply_validator_set(state, &ctx(1)).unwrap();
}

#[test]
fn invariants_hold_and_each_fails_on_the_state_it_guards() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(storage.prepare(0, &Default::default()).unwrap()).unwrap();
    let snap = storage.snapshot(0);
    let (op, delegator) = (Address([1; 20]), Address([2; 20]));
    let mut state = Overlay::new(&snap);
    staked(&mut state, op, delegator);
    invariants::check(&state).unwrap();
    assert_eq!(state.validator(&op).unwrap().unwrap().tokens, 27_000_000);

    // The bonded pool holding one token too many.
    let mut broken = Overlay::new(&state);
    broken.fund(&bonded_pool(), &coins(1)).unwrap();
    assert!(invariants::check(&broken).unwrap_err().message.contains("bonded pool"));

    // A delegation claiming shares the validator never issued.
    let mut broken = Overlay::new(&state);
    broken.set_delegation(&Delegation { delegator, validator: op, shares: Dec::from_int(8_000_000) }).unwrap();
    assert!(invariants::check(&broken).unwrap_err().message.contains("shares"));

    // Rewards owed that the distribution account does not hold.
    let mut broken = Overlay::new(&state);
    broken.fund(&distribution_account(), &coins(5)).unwrap();
    assert!(invariants::check(&broken).unwrap_err().message.contains("distribution account"));
}

#[test]
fn the_voting_power_view_sees_the_bonded_set_and_a_voters_delegations() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(storage.prepare(0, &Default::default()).unwrap()).unwrap();
    let snap = storage.snapshot(0);
    let (op, delegator) = (Address([1; 20]), Address([2; 20]));
    let mut state = Overlay::new(&snap);
    assert_eq!(state.total_bonded_tokens().unwrap(), 0);
    assert!(state.bonded_validators().unwrap().is_empty());
    staked(&mut state, op, delegator);
    assert_eq!(state.total_bonded_tokens().unwrap(), 27_000_000);
    let set = state.bonded_validators().unwrap();
    assert_eq!(set.len(), 1);
    assert_eq!((set[0].operator, set[0].tokens), (op, 27_000_000));
    let mine = state.voter_delegations(&delegator).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].validator, mine[0].shares), (op, Dec::from_int(7_000_000)));
    assert!(state.voter_delegations(&Address([3; 20])).unwrap().is_empty());
}
