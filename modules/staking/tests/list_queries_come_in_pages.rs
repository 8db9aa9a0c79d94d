//! The list queries answer a page at a time with Cosmos pagination, over a real store with more
//! entries than one page: following next_key, forward or in reverse, reaches every entry exactly
//! once, with deleted entries (tombstones in the versioned store) left out.

use prost::Message;
use salus_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_sdk::{Address, BlockCtx, Coin, Coins, Overlay, SdkCode};
use salus_staking::bonding::apply_validator_set;
use salus_staking::types::{CommissionRates, Description};
use salus_staking::{handler, query, Dec, StakingMsg, StakingRead};
use salus_store::{Snapshot, Storage};
use salus_token::TestFunds;

const VALIDATORS: u16 = 250;
const DELEGATORS: u16 = 250;

fn ctx(height: u64) -> BlockCtx {
    BlockCtx {
        chain_id: "t".into(),
        height,
        time_secs: 1_800_000_000 + height as i64,
        time_nanos: 0,
        header: Default::default(),
    }
}

fn addr(kind: u8, i: u16) -> Address {
    let mut b = [kind; 20];
    b[1..3].copy_from_slice(&i.to_be_bytes());
    Address(b)
}

fn usalus(n: u128) -> Coin {
    Coin::new(n, "usalus")
}

/// 250 validators (the first 100 bonded), 250 delegators to the first validator; at version 2
/// every fifth delegator has undelegated everything, so its delegation is deleted again.
fn chain() -> (tempfile::TempDir, Storage) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(storage.prepare(0, &Default::default()).unwrap()).unwrap();
    let base = storage.snapshot(0);
    let mut state = Overlay::new(&base);
    for i in 0..VALIDATORS {
        let op = addr(1, i);
        state.fund(&op, &Coins::new(vec![usalus(50_000_000)]).unwrap()).unwrap();
        let mut seed = [9u8; 32];
        seed[..2].copy_from_slice(&i.to_be_bytes());
        let create = StakingMsg::CreateValidator {
            operator: op,
            pubkey: ed25519_consensus::SigningKey::from(seed).verification_key().to_bytes(),
            description: Description { moniker: format!("v{i}"), ..Default::default() },
            commission: CommissionRates {
                rate: Dec::percent(10),
                max_rate: Dec::percent(20),
                max_change_rate: Dec::percent(1),
            },
            min_self_delegation: 1,
            value: usalus(1_000_000 + u128::from(i) * 1000),
        };
        handler::execute(&mut state, &ctx(1), &create).unwrap();
    }
    for i in 0..DELEGATORS {
        let del = addr(2, i);
        state.fund(&del, &Coins::new(vec![usalus(5_000_000)]).unwrap()).unwrap();
        let delegate = StakingMsg::Delegate { delegator: del, validator: addr(1, 0), amount: usalus(1_000_000) };
        handler::execute(&mut state, &ctx(1), &delegate).unwrap();
    }
    apply_validator_set(&mut state, &ctx(1)).unwrap();
    let (writes, _) = state.into_parts();
    storage.commit(storage.prepare(1, &writes).unwrap()).unwrap();

    let base = storage.snapshot(1);
    let mut state = Overlay::new(&base);
    for i in (0..DELEGATORS).step_by(5) {
        let undelegate =
            StakingMsg::Undelegate { delegator: addr(2, i), validator: addr(1, 0), amount: usalus(1_000_000) };
        handler::execute(&mut state, &ctx(2), &undelegate).unwrap();
    }
    let (writes, _) = state.into_parts();
    storage.commit(storage.prepare(2, &writes).unwrap()).unwrap();
    (dir, storage)
}

fn ask<Resp: Message + Default>(snap: &Snapshot, path: &str, req: impl Message) -> Result<Resp, salus_sdk::Error> {
    let bytes = query::handle(snap, path, &req.encode_to_vec()).expect("a staking path")?;
    Ok(Resp::decode(bytes.as_slice()).unwrap())
}

/// Every page from the first, following next_key; each page's names and the page count.
fn follow(
    limit: u64,
    reverse: bool,
    mut page: impl FnMut(PageRequest) -> (Vec<String>, PageResponse),
) -> (Vec<String>, usize) {
    let (mut seen, mut pages, mut key) = (Vec::new(), 0, Vec::new());
    loop {
        let (names, resp) = page(PageRequest { key, limit, reverse, ..Default::default() });
        assert!(names.len() as u64 <= limit);
        seen.extend(names);
        pages += 1;
        if resp.next_key.is_empty() {
            return (seen, pages);
        }
        key = resp.next_key;
    }
}

fn validators_page(snap: &Snapshot, pagination: PageRequest, status: &str) -> (Vec<String>, PageResponse) {
    let req = staking::QueryValidatorsRequest { status: status.into(), pagination: Some(pagination) };
    let r: staking::QueryValidatorsResponse = ask(snap, "/cosmos.staking.v1beta1.Query/Validators", req).unwrap();
    (r.validators.into_iter().map(|v| v.operator_address).collect(), r.pagination.unwrap())
}

#[test]
fn validators_page_through_every_validator_once_forward_and_in_reverse() {
    let (_d, storage) = chain();
    let snap = storage.snapshot(2);
    let mut all: Vec<String> = (0..VALIDATORS).map(|i| addr(1, i).to_valoper()).collect();
    all.sort_by_key(|v| Address::parse_valoper("v", v).unwrap().0);
    for limit in [1, 7, 100, 250, 1000] {
        let (seen, pages) = follow(limit, false, |p| validators_page(&snap, p, ""));
        assert_eq!(seen, all, "limit {limit}");
        assert_eq!(pages, (250usize).div_ceil(limit as usize).max(1));
        let (mut back, _) = follow(limit, true, |p| validators_page(&snap, p, ""));
        back.reverse();
        assert_eq!(back, all, "limit {limit} reverse");
    }

    // A request without pagination gets the first 100 and where to go on; total only if asked.
    let req = staking::QueryValidatorsRequest::default();
    let r: staking::QueryValidatorsResponse = ask(&snap, "/cosmos.staking.v1beta1.Query/Validators", req).unwrap();
    assert_eq!(r.validators.len(), 100);
    let page = r.pagination.unwrap();
    assert_eq!((page.next_key, page.total), (addr(1, 100).as_bytes().to_vec(), 0));
    let counted = PageRequest { offset: 240, count_total: true, ..Default::default() };
    let (names, page) = validators_page(&snap, counted, "");
    assert_eq!((names, page.total, page.next_key.is_empty()), (all[240..].to_vec(), 250, true));

    // By status: 100 bonded, the rest unbonded; pages count validators of that status.
    let bonded: Vec<String> = snap
        .validators()
        .unwrap()
        .into_iter()
        .filter(|v| v.status == salus_staking::types::BondStatus::Bonded)
        .map(|v| v.operator.to_valoper())
        .collect();
    assert_eq!(bonded.len(), 100);
    let (seen, pages) = follow(30, false, |p| validators_page(&snap, p, "BOND_STATUS_BONDED"));
    assert_eq!((seen, pages), (bonded, 4));
    let (seen, _) = follow(64, true, |p| validators_page(&snap, p, "BOND_STATUS_UNBONDED"));
    assert_eq!(seen.len(), 150);
    let bad = staking::QueryValidatorsRequest { status: "BONDED".into(), pagination: None };
    let err = ask::<staking::QueryValidatorsResponse>(&snap, "/cosmos.staking.v1beta1.Query/Validators", bad);
    assert!(err.unwrap_err().is(SdkCode::InvalidRequest));
}

#[test]
fn delegations_to_a_validator_page_without_the_deleted_ones() {
    let (_d, storage) = chain();
    let snap = storage.snapshot(2);
    let op = addr(1, 0).to_valoper();
    // The operator's self-delegation and the 200 delegators left.
    let mut live: Vec<String> = (0..DELEGATORS).filter(|i| i % 5 != 0).map(|i| addr(2, i).to_string()).collect();
    live.push(addr(1, 0).to_string());
    live.sort_by_key(|a| Address::parse("a", a).unwrap().0);
    assert_eq!(snap.delegations_to(&addr(1, 0)).unwrap().len(), live.len());
    let page = |p: PageRequest| {
        let req = staking::QueryValidatorDelegationsRequest { validator_addr: op.clone(), pagination: Some(p) };
        let r: staking::QueryValidatorDelegationsResponse =
            ask(&snap, "/cosmos.staking.v1beta1.Query/ValidatorDelegations", req).unwrap();
        let names = r.delegation_responses.into_iter().map(|d| d.delegation.unwrap().delegator_address).collect();
        (names, r.pagination.unwrap())
    };
    for (limit, reverse) in [(9, false), (9, true), (201, false), (100, true)] {
        let (mut seen, _) = follow(limit, reverse, page);
        if reverse {
            seen.reverse();
        }
        assert_eq!(seen, live, "limit {limit}, reverse {reverse}");
    }
    // At version 1 every delegator was still there.
    let old = snap_delegators(&storage.snapshot(1), &op);
    assert_eq!(old.len(), usize::from(DELEGATORS) + 1);

    // An offset page, counted.
    let req = staking::QueryValidatorDelegationsRequest {
        validator_addr: op.clone(),
        pagination: Some(PageRequest { offset: 195, limit: 10, count_total: true, ..Default::default() }),
    };
    let r: staking::QueryValidatorDelegationsResponse =
        ask(&snap, "/cosmos.staking.v1beta1.Query/ValidatorDelegations", req).unwrap();
    assert_eq!(r.delegation_responses.len(), 6);
    assert_eq!(r.pagination.unwrap(), PageResponse { next_key: Vec::new(), total: 201 });

    // A key and an offset together are refused, as Cosmos refuses them.
    let both = staking::QueryValidatorDelegationsRequest {
        validator_addr: op,
        pagination: Some(PageRequest { key: vec![2], offset: 1, ..Default::default() }),
    };
    let err = ask::<staking::QueryValidatorDelegationsResponse>(
        &snap,
        "/cosmos.staking.v1beta1.Query/ValidatorDelegations",
        both,
    )
    .unwrap_err();
    assert!(err.is(SdkCode::InvalidRequest), "{}", err.message);
    assert!(err.message.contains("either offset or key is expected, got both"));
}

fn snap_delegators(snap: &Snapshot, op: &str) -> Vec<String> {
    let page = |p: PageRequest| {
        let req = staking::QueryValidatorDelegationsRequest { validator_addr: op.to_string(), pagination: Some(p) };
        let r: staking::QueryValidatorDelegationsResponse =
            ask(snap, "/cosmos.staking.v1beta1.Query/ValidatorDelegations", req).unwrap();
        let names = r.delegation_responses.into_iter().map(|d| d.delegation.unwrap().delegator_address).collect();
        (names, r.pagination.unwrap())
    };
    follow(1000, false, page).0
}

#[test]
fn signing_infos_and_a_delegators_lists_come_in_pages() {
    let (_d, storage) = chain();
    let snap = storage.snapshot(2);
    let every: Vec<String> = snap
        .signing_infos()
        .unwrap()
        .iter()
        .map(|s| Address(s.cons_address).to_bech32(salus_sdk::address::VALCONS_PREFIX))
        .collect();
    assert_eq!(every.len(), 100, "one per validator ever bonded");
    let page = |p: PageRequest| {
        let req = slashing::QuerySigningInfosRequest { pagination: Some(p) };
        let r: slashing::QuerySigningInfosResponse =
            ask(&snap, "/cosmos.slashing.v1beta1.Query/SigningInfos", req).unwrap();
        (r.info.into_iter().map(|i| i.address).collect(), r.pagination.unwrap())
    };
    assert_eq!(follow(33, false, page), (every.clone(), 4));
    let (mut back, _) = follow(8, true, page);
    back.reverse();
    assert_eq!(back, every);

    // A delegator with one delegation and one unbonding delegation.
    let del = addr(2, 5).to_string();
    let req = staking::QueryDelegatorUnbondingDelegationsRequest { delegator_addr: del.clone(), pagination: None };
    let r: staking::QueryDelegatorUnbondingDelegationsResponse =
        ask(&snap, "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations", req).unwrap();
    assert_eq!(r.unbonding_responses.len(), 1);
    assert!(r.pagination.unwrap().next_key.is_empty());
    let req = staking::QueryDelegatorDelegationsRequest { delegator_addr: del, pagination: None };
    let r: staking::QueryDelegatorDelegationsResponse =
        ask(&snap, "/cosmos.staking.v1beta1.Query/DelegatorDelegations", req).unwrap();
    assert!(r.delegation_responses.is_empty(), "all of it was undelegated");

    // The validator's unbonding delegations: one per fifth delegator, in pages.
    let op = addr(1, 0).to_valoper();
    let page = |p: PageRequest| {
        let req =
            staking::QueryValidatorUnbondingDelegationsRequest { validator_addr: op.clone(), pagination: Some(p) };
        let r: staking::QueryValidatorUnbondingDelegationsResponse =
            ask(&snap, "/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations", req).unwrap();
        (r.unbonding_responses.into_iter().map(|u| u.delegator_address).collect(), r.pagination.unwrap())
    };
    let expected: Vec<String> = (0..DELEGATORS).step_by(5).map(|i| addr(2, i).to_string()).collect();
    assert_eq!(follow(7, false, page).0, expected);
}

/// The CLI's flags make the request, and its JSON prints the pagination as Cosmos CLIs do.
#[test]
fn the_cli_pages_with_cosmos_flags_and_prints_next_key() {
    use base64::Engine;
    use clap::Parser;
    use salus_staking::cli::{QueryCmd, StakingQueryCmd};

    #[derive(Parser)]
    struct Cli {
        #[command(subcommand)]
        cmd: StakingQueryCmd,
    }
    let (_d, storage) = chain();
    let snap = storage.snapshot(2);
    let run = |args: &[&str]| -> serde_json::Value {
        let cli = Cli::try_parse_from([&["staking"], args].concat()).unwrap();
        let req = QueryCmd::Staking(&cli.cmd).request().unwrap();
        let bytes = query::handle(&snap, req.path, &req.data).unwrap().unwrap();
        QueryCmd::Staking(&cli.cmd).response_json(&bytes).unwrap()
    };
    let first = run(&["validators", "--limit", "3"]);
    assert_eq!(first["validators"].as_array().unwrap().len(), 3);
    let next = first["pagination"]["next_key"].as_str().unwrap().to_string();
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(&next).unwrap(), addr(1, 3).as_bytes());
    assert_eq!(first["pagination"]["total"], "0");
    let second = run(&["validators", "--limit", "3", "--page-key", &next]);
    assert_eq!(second["validators"][0]["operatorAddress"], addr(1, 3).to_valoper());
    let last = run(&["validators", "--page", "84", "--limit", "3", "--count-total"]);
    assert_eq!(last["validators"].as_array().unwrap().len(), 1, "250 = 83 * 3 + 1");
    assert_eq!(last["pagination"], serde_json::json!({ "next_key": null, "total": "250" }));
    let newest = run(&["delegations-to", &addr(1, 0).to_valoper(), "--limit", "1", "--reverse"]);
    let top = newest["delegationResponses"][0]["delegation"]["delegatorAddress"].as_str().unwrap();
    assert_eq!(top, addr(2, DELEGATORS - 1).to_string());
    assert!(Cli::try_parse_from(["staking", "validators", "--offset", "1", "--page-key", "AA=="]).is_err());
}
