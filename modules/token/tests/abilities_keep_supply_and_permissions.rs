//! The token module's abilities on a real store: mint and burn only where the module account
//! holds the permission, escrow and release move exactly what they say, and fee payment names
//! the fix when the payer is short.

use salus_sdk::{Address, Coin, Coins, ModuleAccount, Overlay, Permission, SdkCode};
use salus_store::Storage;
use salus_token::{Escrow, FeePay, MintBurn, TokenError, TokenRead, FEE_COLLECTOR};

const MINTER: ModuleAccount = ModuleAccount::new("minter", &[Permission::Minter]);
const BURNER: ModuleAccount = ModuleAccount::new("burner", &[Permission::Burner]);
const PLAIN: ModuleAccount = ModuleAccount::new("plain", &[]);

fn coins(n: u128) -> Coins {
    Coins::new(vec![Coin::new(n, "usalus")]).unwrap()
}

#[test]
fn mint_and_burn_need_the_permission_and_move_the_supply() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let base = storage.snapshot(0);
    let mut state = Overlay::new(&base);

    state.mint(&MINTER, &coins(100)).unwrap();
    assert_eq!(state.supply("usalus").unwrap(), 100);
    assert_eq!(state.balance(&MINTER.address(), "usalus").unwrap(), 100);

    for refused in [state.mint(&PLAIN, &coins(1)), state.mint(&BURNER, &coins(1))] {
        let e = refused.unwrap_err();
        assert_eq!((e.codespace, e.code), ("token", TokenError::NoPermission as u32), "{}", e.message);
        assert!(e.message.contains("Minter"), "{}", e.message);
    }
    assert_eq!(state.supply("usalus").unwrap(), 100, "a refused mint creates nothing");

    let user = Address([9; 20]);
    state.release(&MINTER, &user, &coins(40)).unwrap();
    state.escrow(&user, &BURNER, &coins(30)).unwrap();
    assert_eq!(state.balance(&user, "usalus").unwrap(), 10);
    let e = state.burn(&MINTER, &coins(1)).unwrap_err();
    assert_eq!(e.code, TokenError::NoPermission as u32);
    state.burn(&BURNER, &coins(30)).unwrap();
    assert_eq!(state.supply("usalus").unwrap(), 70);
    assert_eq!(state.balance(&BURNER.address(), "usalus").unwrap(), 0);

    let e = state.escrow(&user, &PLAIN, &coins(11)).unwrap_err();
    assert!(e.is(SdkCode::InsufficientFunds), "{e}");
    assert_eq!(state.balance(&user, "usalus").unwrap(), 10, "a refused escrow moves nothing");
}

#[test]
fn a_fee_goes_to_the_fee_collector_and_a_short_payer_is_told_why() {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let base = storage.snapshot(0);
    let mut state = Overlay::new(&base);
    let payer = Address([3; 20]);
    state.mint(&MINTER, &coins(50)).unwrap();
    state.release(&MINTER, &payer, &coins(50)).unwrap();

    state.pay_fee(&payer, &coins(20)).unwrap();
    state.pay_fee(&payer, &Coins::default()).unwrap();
    assert_eq!(state.balance(&FEE_COLLECTOR.address(), "usalus").unwrap(), 20);
    let e = state.pay_fee(&payer, &coins(31)).unwrap_err();
    assert!(e.is(SdkCode::InsufficientFunds));
    assert!(e.message.ends_with("insufficient funds to pay the fee"), "{}", e.message);
    assert_eq!(state.balance(&payer, "usalus").unwrap(), 30);
}
