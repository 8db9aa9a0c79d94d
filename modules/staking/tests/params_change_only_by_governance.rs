//! Staking's, slashing's and distribution's params change only by governance, and so does the
//! community pool: each module's Cosmos `MsgUpdateParams` and distribution's
//! `MsgCommunityPoolSpend` name the governance module's account as authority and signer; any
//! other authority is refused with nothing written; invalid params are refused as genesis refuses
//! them, Cosmos params that cannot map are refused at decoding; and what is stored binds from the
//! next message or block on.
//!
//! No key controls the governance account, so these run through each module's `execute` on an
//! overlay of a test chain's committed state, with the block hooks called on the same overlay.

use salus_proto::cosmos::distribution::v1beta1 as distr;
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_proto::tendermint_proto::google::protobuf::Duration;
use salus_proto::Any;
use salus_sdk::module::VoteInfo;
use salus_sdk::module::{governance_authority, NoRouter};
use salus_sdk::state::apply;
use salus_sdk::{Address, BlockCtx, BlockInfo, Coins, Error, Event, Module, Msg, Overlay, SdkCode};
use salus_staking::params::{CosmosDistributionParams, DistributionParams, SlashingParams, StakingParams};
use salus_staking::{
    hooks, invariants, Dec, DistributionError, DistributionModule, SlashingModule, StakingError, StakingModule,
    StakingMsg, StakingRead,
};
use salus_testkit::*;
use salus_token::TokenRead;

const MILLION: u128 = 1_000_000;

/// The context of the block after the chain's last one (blocks are one second apart).
fn next_block(chain: &TestChain) -> BlockCtx {
    let height = chain.height + 1;
    BlockCtx {
        chain_id: CHAIN_ID.into(),
        height,
        time_secs: 1_800_000_000 + height as i64,
        time_nanos: 0,
        header: Default::default(),
    }
}

/// Runs `msg` through module `M`'s `execute` (no `validate_basic`: the handler must check on its
/// own) in an overlay of `state`, kept only if it succeeds; a refusal must leave no write and no
/// event.
fn run<M: Module<Msg = StakingMsg>>(
    state: &mut Overlay,
    ctx: &BlockCtx,
    msg: &StakingMsg,
) -> Result<Vec<Event>, Error> {
    let mut one = Overlay::new(&*state);
    let result = M::execute(&mut one, ctx, &NoRouter, msg);
    let (writes, events) = one.into_parts();
    if let Err(e) = result {
        assert!(writes.is_empty(), "a refused {} wrote {} keys", msg.type_url(), writes.len());
        assert!(events.is_empty(), "a refused {} emitted {events:?}", msg.type_url());
        return Err(e);
    }
    apply(state, writes, events.clone()).unwrap();
    Ok(events)
}

fn gov() -> Address {
    governance_authority()
}

fn update_staking(authority: Address, params: StakingParams) -> StakingMsg {
    StakingMsg::UpdateStakingParams { authority, params }
}

fn update_slashing(authority: Address, params: SlashingParams) -> StakingMsg {
    StakingMsg::UpdateSlashingParams { authority, params }
}

fn update_distribution(authority: Address, community_tax: Dec, withdraw_addr_enabled: bool) -> StakingMsg {
    StakingMsg::UpdateDistributionParams {
        authority,
        params: CosmosDistributionParams { community_tax, withdraw_addr_enabled },
    }
}

fn spend(authority: Address, recipient: Address, amount: &str) -> StakingMsg {
    StakingMsg::CommunityPoolSpend { authority, recipient, amount: amount.parse().unwrap() }
}

fn code(e: &Error) -> (&str, u32) {
    (e.codespace, e.code)
}

fn three_validators() -> Vec<GenesisValidator> {
    vec![
        GenesisValidator::new(11, 300 * MILLION),
        GenesisValidator::new(12, 200 * MILLION),
        GenesisValidator::new(13, 100 * MILLION),
    ]
}

#[test]
fn every_update_names_the_governance_account_is_routed_by_its_module_and_round_trips() {
    let alice = key(1).address;
    let cases: Vec<(StakingMsg, Vec<String>, &str, &str)> = vec![
        (
            update_staking(gov(), StakingParams::default()),
            StakingModule::type_urls(),
            "/cosmos.staking.v1beta1.MsgUpdateParams",
            "staking",
        ),
        (
            update_slashing(gov(), SlashingParams::default()),
            SlashingModule::type_urls(),
            "/cosmos.slashing.v1beta1.MsgUpdateParams",
            "slashing",
        ),
        (
            update_distribution(gov(), Dec::percent(3), false),
            DistributionModule::type_urls(),
            "/cosmos.distribution.v1beta1.MsgUpdateParams",
            "distribution",
        ),
        (
            spend(gov(), alice, "5usalus"),
            DistributionModule::type_urls(),
            "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend",
            "distribution",
        ),
    ];
    for (msg, urls, url, module) in cases {
        assert_eq!(msg.type_url(), url);
        assert!(urls.contains(&msg.type_url()), "{url} is routed by {module}");
        assert_eq!(msg.module(), module);
        assert_eq!(msg.signers(), vec![gov()], "{url}");
        assert_eq!(msg.authority(), Some(gov()), "{url}");
        msg.validate_basic().unwrap();
        let any = msg.to_any();
        assert_eq!(any.type_url, url);
        assert_eq!(StakingMsg::decode(&any).unwrap(), msg, "{url} round-trips");
    }
    let delegate = StakingMsg::Delegate { delegator: alice, validator: alice, amount: usalus(1) };
    assert_eq!(delegate.authority(), None, "a user's message names no authority");

    // The params Cosmos clients send map exactly, inflation aside.
    assert_eq!(StakingParams::from_proto(&StakingParams::default().to_proto()).unwrap(), StakingParams::default());
    assert_eq!(SlashingParams::from_proto(&SlashingParams::default().to_proto()).unwrap(), SlashingParams::default());
    let distribution = CosmosDistributionParams::of(&DistributionParams::default());
    assert_eq!(CosmosDistributionParams::from_proto(&distribution.to_proto()).unwrap(), distribution);
}

#[test]
fn cosmos_params_that_cannot_map_are_refused_at_decoding() {
    let cosmos_staking = StakingParams::default().to_proto();
    let staking_any = |p: Option<staking::Params>| {
        salus_proto::to_any(&staking::MsgUpdateParams { authority: gov().to_string(), params: p })
    };
    let refused = |any: Any, words: &str| {
        let e = StakingMsg::decode(&any).unwrap_err();
        assert!(e.message.contains(words), "{} must say `{words}`: {}", any.type_url, e.message);
        e
    };
    let e = refused(staking_any(None), "params is missing");
    assert!(e.is(SdkCode::InvalidRequest));
    for (unbonding_time, words) in [
        (None, "unbonding_time is missing"),
        (Some(Duration { seconds: -5, nanos: 0 }), "unbonding_time is negative"),
        (Some(Duration { seconds: 5, nanos: 500 }), "whole seconds"),
    ] {
        let p = staking::Params { unbonding_time, ..cosmos_staking.clone() };
        assert!(refused(staking_any(Some(p)), words).is(SdkCode::InvalidRequest));
    }
    let p = staking::Params { min_commission_rate: String::new(), ..cosmos_staking.clone() };
    refused(staking_any(Some(p)), "min_commission_rate is empty");
    let p = staking::Params { min_commission_rate: "-1".into(), ..cosmos_staking.clone() };
    refused(staking_any(Some(p)), "min_commission_rate");
    let wrong = salus_proto::to_any(&staking::MsgUpdateParams {
        authority: "cosmos1notsalus".into(),
        params: Some(cosmos_staking.clone()),
    });
    assert!(StakingMsg::decode(&wrong).unwrap_err().is(SdkCode::InvalidAddress));

    let cosmos_slashing = SlashingParams::default().to_proto();
    let slashing_any = |p: slashing::Params| {
        salus_proto::to_any(&slashing::MsgUpdateParams { authority: gov().to_string(), params: Some(p) })
    };
    // What cosmjs sends: the atomics' UTF-8, e.g. 0.5 as b"500000000000000000".
    let cosmjs = slashing::Params { min_signed_per_window: b"500000000000000000".to_vec(), ..cosmos_slashing.clone() };
    let StakingMsg::UpdateSlashingParams { params, .. } = StakingMsg::decode(&slashing_any(cosmjs)).unwrap() else {
        panic!("a slashing update")
    };
    assert_eq!(params.min_signed_per_window, Dec::percent(50));
    refused(slashing_any(slashing::Params { signed_blocks_window: -1, ..cosmos_slashing.clone() }), "negative");
    refused(slashing_any(slashing::Params { min_signed_per_window: vec![0xff], ..cosmos_slashing.clone() }), "UTF-8");
    refused(
        slashing_any(slashing::Params { slash_fraction_downtime: Vec::new(), ..cosmos_slashing.clone() }),
        "slash_fraction_downtime is empty",
    );
    refused(
        slashing_any(slashing::Params {
            downtime_jail_duration: Some(Duration { seconds: 0, nanos: 1 }),
            ..cosmos_slashing.clone()
        }),
        "whole seconds",
    );

    let cosmos_distribution = CosmosDistributionParams::of(&DistributionParams::default()).to_proto();
    let distribution_any = |p: distr::Params| {
        salus_proto::to_any(&distr::MsgUpdateParams { authority: gov().to_string(), params: Some(p) })
    };
    #[allow(deprecated)]
    let proposer_reward =
        distr::Params { base_proposer_reward: "10000000000000000".into(), ..cosmos_distribution.clone() };
    refused(distribution_any(proposer_reward), "no proposer reward");
    #[allow(deprecated)]
    let empty_rewards = distr::Params {
        base_proposer_reward: String::new(),
        bonus_proposer_reward: String::new(),
        ..cosmos_distribution.clone()
    };
    StakingMsg::decode(&distribution_any(empty_rewards)).expect("empty proposer rewards are zero");
    refused(
        distribution_any(distr::Params { community_tax: String::new(), ..cosmos_distribution }),
        "community_tax is empty",
    );
}

#[test]
fn an_authority_other_than_governance_is_refused_and_changes_nothing() {
    let chain = TestChain::with_genesis(&staking_genesis(
        &[(&key(1), 1_000 * MILLION)],
        &three_validators(),
        serde_json::json!({}),
    ));
    let snap = chain.snapshot();
    let mut state = Overlay::new(&snap);
    let ctx = next_block(&chain);
    let alice = key(1).address;
    let lowered = StakingParams { max_validators: 1, ..StakingParams::default() };
    for who in [alice, Address::module("distribution"), Address::module("bonded_tokens_pool")] {
        let refusals = [
            run::<StakingModule>(&mut state, &ctx, &update_staking(who, lowered.clone())),
            run::<SlashingModule>(&mut state, &ctx, &update_slashing(who, SlashingParams::default())),
            run::<DistributionModule>(&mut state, &ctx, &update_distribution(who, Dec::percent(50), false)),
            run::<DistributionModule>(&mut state, &ctx, &spend(who, alice, "1usalus")),
        ];
        for e in refusals.into_iter().map(Result::unwrap_err) {
            assert!(e.is(SdkCode::Unauthorized), "{e}");
            assert!(e.message.contains("invalid authority") && e.message.contains(&who.to_string()), "{}", e.message);
        }
    }
    let (writes, _) = state.into_parts();
    assert!(writes.is_empty());
}

#[test]
fn invalid_params_are_refused_as_genesis_refuses_them() {
    let chain = TestChain::new();
    let snap = chain.snapshot();
    let mut state = Overlay::new(&snap);
    let ctx = next_block(&chain);
    let stakings = [
        StakingParams { max_validators: 0, ..StakingParams::default() },
        StakingParams { max_validators: 1001, ..StakingParams::default() },
        StakingParams { unbonding_time_secs: 0, ..StakingParams::default() },
        StakingParams { min_commission_rate: Dec::percent(101), ..StakingParams::default() },
        StakingParams { bond_denom: "x".into(), ..StakingParams::default() },
    ];
    for p in stakings {
        let genesis = salus_staking::genesis::StakingGenesis { params: p.clone(), ..Default::default() };
        let by_genesis = StakingModule::validate_genesis(&genesis).unwrap_err();
        let msg = update_staking(gov(), p);
        assert_eq!(code(&msg.validate_basic().unwrap_err()), code(&by_genesis));
        assert_eq!(code(&run::<StakingModule>(&mut state, &ctx, &msg).unwrap_err()), code(&by_genesis));
    }
    let slashings = [
        SlashingParams { signed_blocks_window: 0, ..SlashingParams::default() },
        SlashingParams { min_signed_per_window: Dec::percent(101), ..SlashingParams::default() },
        SlashingParams { slash_fraction_double_sign: Dec::percent(101), ..SlashingParams::default() },
    ];
    for p in slashings {
        let genesis = salus_staking::genesis::SlashingGenesis { params: p.clone(), ..Default::default() };
        let by_genesis = SlashingModule::validate_genesis(&genesis).unwrap_err();
        let msg = update_slashing(gov(), p);
        assert_eq!(code(&msg.validate_basic().unwrap_err()), code(&by_genesis));
        assert_eq!(code(&run::<SlashingModule>(&mut state, &ctx, &msg).unwrap_err()), code(&by_genesis));
    }
    let genesis = salus_staking::genesis::DistributionGenesis {
        params: DistributionParams { community_tax: Dec::percent(101), ..DistributionParams::default() },
        ..Default::default()
    };
    let by_genesis = DistributionModule::validate_genesis(&genesis).unwrap_err();
    let msg = update_distribution(gov(), Dec::percent(101), true);
    assert_eq!(code(&msg.validate_basic().unwrap_err()), code(&by_genesis));
    assert_eq!(code(&run::<DistributionModule>(&mut state, &ctx, &msg).unwrap_err()), code(&by_genesis));
    let empty = StakingMsg::CommunityPoolSpend { authority: gov(), recipient: key(1).address, amount: Coins::empty() };
    assert_eq!(code(&empty.validate_basic().unwrap_err()), ("staking", StakingError::BadAmount as u32));

    assert_eq!(state.staking_params().unwrap(), StakingParams::default());
    assert_eq!(state.slashing_params().unwrap(), SlashingParams::default());
    assert_eq!(state.distribution_params().unwrap(), DistributionParams::default());
}

#[test]
fn a_lower_max_validators_takes_the_smallest_validator_out_at_the_next_end_block() {
    let vals = three_validators();
    let chain = TestChain::with_genesis(&staking_genesis(&[], &vals, serde_json::json!({})));
    let snap = chain.snapshot();
    let ctx = next_block(&chain);
    let smallest = vals[2].consensus.verification_key().to_bytes();

    // Unchanged, the next end block changes nothing.
    let mut unchanged = Overlay::new(&snap);
    assert!(hooks::end_block(&mut unchanged, &ctx).unwrap().is_empty());

    let mut state = Overlay::new(&snap);
    let lowered = StakingParams { max_validators: 2, ..StakingParams::default() };
    let events = run::<StakingModule>(&mut state, &ctx, &update_staking(gov(), lowered.clone())).unwrap();
    let e = events.iter().find(|e| e.kind == "update_params").expect("an update_params event");
    assert_eq!((e.get("module"), e.get("max_validators")), (Some("staking"), Some("2")));
    assert_eq!(state.staking_params().unwrap(), lowered);
    let updates = hooks::end_block(&mut state, &ctx).unwrap();
    assert_eq!(updates.len(), 1, "{updates:?}");
    assert_eq!((updates[0].pubkey, updates[0].power), (smallest, 0), "the smallest leaves the set");
    assert_eq!(state.last_powers().unwrap().len(), 2);
    invariants::check(&state).unwrap();
}

#[test]
fn the_bond_denom_cannot_change() {
    let chain = TestChain::new();
    let snap = chain.snapshot();
    let mut state = Overlay::new(&snap);
    let other = StakingParams { bond_denom: "uother".into(), ..StakingParams::default() };
    update_staking(gov(), other.clone()).validate_basic().expect("a valid denom");
    let e = run::<StakingModule>(&mut state, &next_block(&chain), &update_staking(gov(), other)).unwrap_err();
    assert_eq!(code(&e), ("staking", StakingError::BadDenom as u32), "{}", e.message);
    assert!(e.message.contains("cannot change from usalus to uother"), "{}", e.message);
    assert_eq!(state.staking_params().unwrap().bond_denom, "usalus");
}

#[test]
fn a_raised_min_commission_rate_lifts_the_validators_below_it() {
    // Genesis validators charge 10% (at most 20%).
    let vals = three_validators();
    let chain = TestChain::with_genesis(&staking_genesis(&[], &vals, serde_json::json!({})));
    let snap = chain.snapshot();
    let ctx = next_block(&chain);
    let mut state = Overlay::new(&snap);
    let raised = StakingParams { min_commission_rate: Dec::percent(25), ..StakingParams::default() };
    run::<StakingModule>(&mut state, &ctx, &update_staking(gov(), raised)).unwrap();
    for v in &vals {
        let v = state.validator(&v.operator.address).unwrap().unwrap();
        assert_eq!((v.commission.rate, v.commission.max_rate), (Dec::percent(25), Dec::percent(25)));
        assert_eq!(v.commission_update_time.secs, ctx.time_secs, "it counts as the day's change");
    }
    invariants::check(&state).unwrap();

    // A lower minimum changes no validator.
    let lowered = StakingParams { min_commission_rate: Dec::percent(5), ..StakingParams::default() };
    run::<StakingModule>(&mut state, &ctx, &update_staking(gov(), lowered)).unwrap();
    let v = state.validator(&vals[0].operator.address).unwrap().unwrap();
    assert_eq!(v.commission.rate, Dec::percent(25));
}

#[test]
fn fewer_historical_entries_prune_every_older_record_at_the_next_end_block() {
    let mut chain = TestChain::with_genesis(&staking_genesis(&[], &three_validators(), serde_json::json!({})));
    chain.blocks(6);
    let snap = chain.snapshot();
    let ctx = next_block(&chain);
    let mut state = Overlay::new(&snap);
    let recorded: Vec<u64> = (1..=chain.height).filter(|h| state.historical(*h).unwrap().is_some()).collect();
    assert_eq!(recorded, (1..=chain.height).collect::<Vec<_>>(), "every block is on record");

    let two = StakingParams { historical_entries: 2, ..StakingParams::default() };
    run::<StakingModule>(&mut state, &ctx, &update_staking(gov(), two)).unwrap();
    hooks::end_block(&mut state, &ctx).unwrap();
    let kept: Vec<u64> = (0..=ctx.height).filter(|h| state.historical(*h).unwrap().is_some()).collect();
    assert_eq!(kept, vec![ctx.height - 1, ctx.height]);
}

#[test]
fn a_smaller_signing_window_drops_the_misses_beyond_it_and_binds_the_next_block() {
    let vals = three_validators();
    let params = serde_json::json!({
        "slashing": { "params": { "signed_blocks_window": 100, "min_signed_per_window": "0.5",
            "downtime_jail_duration_secs": 60, "slash_fraction_double_sign": "0.05", "slash_fraction_downtime": "0.01" } }
    });
    let mut chain = TestChain::with_genesis(&staking_genesis(&[], &vals, params));
    let silent = &vals[2];
    let cons = silent.cons_address();
    chain.absent.insert(cons);
    chain.blocks(30);
    let before = chain.signing_info(&cons);
    assert!(before.missed_blocks_counter >= 25, "{before:?}");
    assert!(!chain.validator(&silent.operator.address).jailed, "30 misses of a 100-block window are tolerated");

    let snap = chain.snapshot();
    let ctx = next_block(&chain);
    let missed_vote = BlockInfo {
        votes: vals
            .iter()
            .map(|v| VoteInfo {
                cons_address: v.cons_address(),
                power: chain.comet_power(&v.cons_address()),
                signed: v.cons_address() != cons,
            })
            .collect(),
        misbehavior: Vec::new(),
        next_validators_hash: Vec::new(),
    };
    // Under the old window, one more miss is still tolerated.
    let mut unchanged = Overlay::new(&snap);
    SlashingModule::begin_block(&mut unchanged, &ctx, &missed_vote).unwrap();
    assert!(!unchanged.validator(&silent.operator.address).unwrap().unwrap().jailed);

    let mut state = Overlay::new(&snap);
    let ten = SlashingParams { signed_blocks_window: 10, ..SlashingParams::default() };
    let events = run::<SlashingModule>(&mut state, &ctx, &update_slashing(gov(), ten.clone())).unwrap();
    assert!(events.iter().any(|e| e.kind == "update_params" && e.get("signed_blocks_window") == Some("10")));
    assert_eq!(state.slashing_params().unwrap(), ten);
    let after = state.signing_info(&cons).unwrap().unwrap();
    let marked: Vec<u64> =
        state.all_missed().unwrap().into_iter().filter(|(c, _)| *c == cons).map(|(_, i)| i).collect();
    assert!(marked.iter().all(|i| *i < 10), "{marked:?}");
    assert_eq!(after.missed_blocks_counter, marked.len() as u64, "the count is what the bitmap marks");
    assert!(after.missed_blocks_counter <= 10);

    // An export of it is a valid genesis (its missed blocks inside the window, counted exactly).
    let exported = SlashingModule::export_genesis(&state).unwrap();
    SlashingModule::validate_genesis(&exported).expect("the export validates");

    // The next block judges liveness over the new window: far more than half of it missed.
    SlashingModule::begin_block(&mut state, &ctx, &missed_vote).unwrap();
    assert!(state.validator(&silent.operator.address).unwrap().unwrap().jailed, "jailed under the new window");
}

#[test]
fn distribution_updates_keep_inflation_and_bind_the_withdraw_address() {
    let params = serde_json::json!({
        "distribution": { "params": { "community_tax": "0.02", "inflation_rate": "0.10",
            "blocks_per_year": 1000, "withdraw_addr_enabled": true } }
    });
    let chain = TestChain::with_genesis(&staking_genesis(&[(&key(1), 1_000 * MILLION)], &three_validators(), params));
    let snap = chain.snapshot();
    let ctx = next_block(&chain);
    let mut state = Overlay::new(&snap);
    let alice = key(1).address;
    let set_withdraw = StakingMsg::SetWithdrawAddress { delegator: alice, withdraw_address: key(2).address };

    let events =
        run::<DistributionModule>(&mut state, &ctx, &update_distribution(gov(), Dec::percent(50), false)).unwrap();
    assert!(events.iter().any(|e| e.kind == "update_params" && e.get("module") == Some("distribution")));
    let stored = state.distribution_params().unwrap();
    assert_eq!((stored.community_tax, stored.withdraw_addr_enabled), (Dec::percent(50), false));
    assert_eq!((stored.inflation_rate, stored.blocks_per_year), (Dec::percent(10), 1000), "inflation keeps its value");
    let e = run::<DistributionModule>(&mut state, &ctx, &set_withdraw).unwrap_err();
    assert_eq!(code(&e), ("distribution", DistributionError::SetWithdrawAddrDisabled as u32));

    run::<DistributionModule>(&mut state, &ctx, &update_distribution(gov(), Dec::percent(2), true)).unwrap();
    run::<DistributionModule>(&mut state, &ctx, &set_withdraw).unwrap();
    assert_eq!(state.withdraw_address(&alice).unwrap(), key(2).address);
}

#[test]
fn a_community_pool_spend_pays_from_the_pool_and_refuses_more_than_it_holds() {
    let (alice, bob) = (key(1), key(2));
    let mut chain = TestChain::with_genesis(&staking_genesis(
        &[(&alice, 1_000 * MILLION), (&bob, 1_000 * MILLION)],
        &three_validators(),
        serde_json::json!({}),
    ));
    let fund = StakingMsg::FundCommunityPool { depositor: alice.address, amount: "1000usalus".parse().unwrap() };
    assert_code(&chain.exec(&alice, fund.to_any()), "", 0);
    chain.blocks(2);
    let snap = chain.snapshot();
    let ctx = next_block(&chain);
    let mut state = Overlay::new(&snap);
    let pool = state.community_pool().unwrap().amount_of("usalus");
    let whole = pool.truncate();
    assert!(whole >= 1000, "the pool holds the funds and some tax: {pool}");
    let distribution = Address::module("distribution");
    let (bob_before, account_before) =
        (state.balance(&bob.address, "usalus").unwrap(), state.balance(&distribution, "usalus").unwrap());

    let amount = whole - 100;
    let events =
        run::<DistributionModule>(&mut state, &ctx, &spend(gov(), bob.address, &format!("{amount}usalus"))).unwrap();
    let e = events.iter().find(|e| e.kind == "community_pool_spend").expect("a community_pool_spend event");
    assert_eq!(e.get("recipient"), Some(bob.address.to_string().as_str()));
    assert_eq!(state.balance(&bob.address, "usalus").unwrap(), bob_before + amount);
    assert_eq!(state.balance(&distribution, "usalus").unwrap(), account_before - amount);
    let left = state.community_pool().unwrap();
    assert_eq!(left.amount_of("usalus"), pool.checked_sub(Dec::from_int(amount)).unwrap());
    invariants::check(&state).expect("the distribution account still holds exactly what it owes");

    // 100 and a fraction are left: 101 is more than the pool holds, and so is any other denom.
    for over in ["101usalus", "1uother"] {
        let e = run::<DistributionModule>(&mut state, &ctx, &spend(gov(), bob.address, over)).unwrap_err();
        assert_eq!(code(&e), ("distribution", DistributionError::BadDistribution as u32), "{}", e.message);
        assert!(e.message.contains("the community pool holds"), "{}", e.message);
    }
    assert_eq!(state.community_pool().unwrap(), left, "a refused spend moves nothing");
    run::<DistributionModule>(&mut state, &ctx, &spend(gov(), bob.address, "100usalus"))
        .expect("exactly what is whole");
    assert!(state.community_pool().unwrap().amount_of("usalus") < Dec::ONE);

    // A module account cannot receive from the pool, as Cosmos refuses.
    let mut refill = Overlay::new(&snap);
    for blocked in [salus_token::fee_collector(), distribution, Address::module("bonded_tokens_pool")] {
        let e = run::<DistributionModule>(&mut refill, &ctx, &spend(gov(), blocked, "1usalus")).unwrap_err();
        assert!(e.is(SdkCode::Unauthorized) && e.message.contains("module account"), "{e}");
    }
    assert_eq!(refill.community_pool().unwrap(), snap.community_pool().unwrap());
}
