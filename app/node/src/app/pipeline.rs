//! The transaction pipeline, in the Cosmos ante order: decode -> validate_basic -> size and memo
//! limits -> timeout height -> fee >= min gas price (CheckTx only: it is validator-local) -> gas
//! limit -> deduct fee -> set pubkey -> verify signatures -> check and bump sequence -> execute
//! messages in an overlay -> events.
//!
//! If the ante steps fail, nothing the tx did is kept. If a message fails, its writes and events
//! are dropped, but the fee and the sequence bump stick, as Cosmos wallets and Hermes expect.

use salus_sdk::auth::{AuthRead, AuthWrite};
use salus_sdk::state::apply;
use salus_sdk::tx::{self, DecodedTx};
use salus_sdk::{Address, BlockCtx, Coins, Error, Event, GasMeter, Msg, Overlay, SdkCode, StateWrite};
use salus_token::FeePay;

use super::modules::{AppMsg, AppRouter};
use super::params::TxLimits;
use super::sigcache::SigCache;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A new tx offered to the mempool: all checks, min gas price included.
    Check,
    /// A mempool tx re-checked after a block: signatures were verified already.
    Recheck,
    /// Executed in a block.
    Deliver,
    /// Gas estimation: signatures are not verified and may be empty.
    Simulate,
}

/// What a tx did, as ABCI reports it.
#[derive(Clone, Debug, Default)]
pub struct TxOutcome {
    pub code: u32,
    pub codespace: &'static str,
    pub log: String,
    pub gas_wanted: u64,
    pub gas_used: u64,
    pub events: Vec<Event>,
}

/// The most bytes of a refused tx's log: CometBFT stores and serves every log, and a log that
/// echoes a large tx's contents helps nobody.
pub const MAX_LOG_BYTES: usize = 1024;

/// `message`, cut at a character boundary to at most [`MAX_LOG_BYTES`].
pub fn short_log(message: &str) -> String {
    if message.len() <= MAX_LOG_BYTES {
        return message.to_string();
    }
    let mut end = MAX_LOG_BYTES - 40;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    format!("{} ... ({} bytes cut)", &message[..end], message.len() - end)
}

impl TxOutcome {
    fn failed(err: &Error, gas_wanted: u64, gas_used: u64, events: Vec<Event>) -> Self {
        Self { code: err.code, codespace: err.codespace, log: short_log(&err.message), gas_wanted, gas_used, events }
    }

    pub fn is_ok(&self) -> bool {
        self.code == 0
    }
}

/// Everything about a tx that does not depend on state.
struct Stateless {
    tx: DecodedTx,
    msgs: Vec<AppMsg>,
    signers: Vec<Address>,
    fee: Coins,
    gas_limit: u64,
}

/// The gas every tx pays for its bytes, charged first in the ante steps.
fn size_gas(size: usize) -> u64 {
    salus_sdk::gas::GasCosts::default().tx_size_per_byte.saturating_mul(size as u64)
}

/// Everything that does not read state, cheapest first: each step is linear in the tx's bytes, and
/// message validation (the only step whose cost depends on what the messages hold) runs last,
/// after the message count, the signature count and the gas for the tx's size are known to pass.
fn stateless_checks(bytes: &[u8], limits: &TxLimits, height: u64, mode: Mode) -> Result<Stateless, Error> {
    let auth = &limits.auth;
    if bytes.len() as u64 > auth.max_tx_bytes {
        return Err(Error::sdk(
            SdkCode::TxTooLarge,
            format!("tx is {} bytes; the limit is {}", bytes.len(), auth.max_tx_bytes),
        ));
    }
    let tx = tx::decode(bytes)?;
    let count = tx.body.messages.len() as u64;
    if count == 0 {
        return Err(Error::sdk(SdkCode::InvalidRequest, "tx has no messages: add at least one"));
    }
    if count > auth.max_msgs_per_tx {
        return Err(Error::sdk(
            SdkCode::InvalidRequest,
            format!("tx has {count} messages; the limit is {}: split it into several txs", auth.max_msgs_per_tx),
        ));
    }
    let memo_chars = tx.body.memo.chars().count() as u64;
    if memo_chars > auth.max_memo_characters {
        return Err(Error::sdk(
            SdkCode::MemoTooLarge,
            format!(
                "maximum number of characters is {} but received {memo_chars} characters",
                auth.max_memo_characters
            ),
        ));
    }
    if tx.body.timeout_height > 0 && height > tx.body.timeout_height {
        return Err(Error::sdk(
            SdkCode::TxTimeoutHeight,
            format!("block height: {height}, timeout height: {}: the tx timed out; sign it again with a later --timeout-height", tx.body.timeout_height),
        ));
    }
    tx::check_sign_mode(&tx.auth_info, mode == Mode::Simulate)?;
    let fee_proto = tx.auth_info.fee.clone().unwrap_or_default();
    let gas_limit = fee_proto.gas_limit;
    if mode != Mode::Simulate {
        if gas_limit == 0 {
            return Err(Error::sdk(SdkCode::InvalidGasLimit, "gas limit is 0: set --gas (or --gas auto)"));
        }
        if gas_limit > auth.max_gas_per_tx {
            return Err(Error::sdk(
                SdkCode::InvalidGasLimit,
                format!("gas limit {gas_limit} exceeds the maximum of {} per tx", auth.max_gas_per_tx),
            ));
        }
        // The ante steps charge this first; refusing here spares the work below.
        let for_size = size_gas(tx.size);
        if gas_limit < for_size {
            return Err(Error::sdk(
                SdkCode::OutOfGas,
                format!("out of gas in location: txSize; gasWanted: {gas_limit}, gasUsed: {for_size}: raise --gas"),
            ));
        }
    }
    let msgs = tx.body.messages.iter().map(|m| AppMsg::decode(m, &limits.decode)).collect::<Result<Vec<_>, _>>()?;
    // Signers, in first-appearance order, as Cosmos SDK collects them.
    let mut signers: Vec<Address> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for m in &msgs {
        for s in m.signers() {
            if seen.insert(s) {
                signers.push(s);
            }
        }
    }
    if tx.auth_info.signer_infos.len() != signers.len() {
        return Err(Error::sdk(
            SdkCode::Unauthorized,
            format!("wrong number of signers; expected {}, got {}", signers.len(), tx.auth_info.signer_infos.len()),
        ));
    }
    if tx.signatures.len() != signers.len() {
        let code = if tx.signatures.is_empty() { SdkCode::NoSignatures } else { SdkCode::Unauthorized };
        return Err(Error::sdk(code, format!("expected {} signatures, got {}", signers.len(), tx.signatures.len())));
    }
    let fee = Coins::from_proto(&fee_proto.amount)
        .map_err(|e| Error::sdk(SdkCode::InsufficientFee, format!("invalid fee: {}", e.message)))?;
    if !fee_proto.granter.is_empty() {
        return Err(Error::sdk(SdkCode::NotSupported, "fee grants are not supported: remove fee.granter"));
    }
    if !fee_proto.payer.is_empty() {
        let payer = Address::parse("fee.payer", &fee_proto.payer)?;
        if !signers.contains(&payer) {
            return Err(Error::sdk(SdkCode::Unauthorized, format!("fee payer {payer} must sign the tx")));
        }
    }
    for m in &msgs {
        m.validate_basic()?;
    }
    Ok(Stateless { tx, msgs, signers, fee, gas_limit })
}

/// The fee a validator asks for `gas_limit` at its minimum gas prices: ceil(price * gas).
fn check_min_fee(fee: &Coins, gas_limit: u64, limits: &TxLimits) -> Result<(), Error> {
    if limits.min_gas_prices.is_empty() {
        return Ok(());
    }
    let mut required = Vec::new();
    for price in &limits.min_gas_prices {
        let need = price.fee_for(gas_limit);
        if need == 0 || fee.amount_of(&price.denom) >= need {
            return Ok(());
        }
        required.push(format!("{need}{}", price.denom));
    }
    Err(Error::sdk(
        SdkCode::InsufficientFee,
        format!("insufficient fees; got: {fee} required: {}: raise --fees or --gas-prices", required.join(" or ")),
    ))
}

/// The gas left in the block being executed (FinalizeBlock only), as Cosmos' block gas meter.
#[derive(Clone, Copy, Debug)]
pub struct BlockGas {
    pub limit: u64,
    pub used: u64,
}

/// Runs one tx against `state`; on return `state` holds what the tx keeps. In a block with a gas
/// limit, `block_gas` counts what each tx uses; a tx that would go past the limit is refused
/// before it runs (an honest proposer's block never holds one: ProcessProposal checks).
pub fn run_tx(
    state: &mut impl StateWrite,
    bytes: &[u8],
    mode: Mode,
    block: &BlockCtx,
    limits: &TxLimits,
    sigs: &mut SigCache,
    block_gas: Option<&mut BlockGas>,
) -> TxOutcome {
    let s = match stateless_checks(bytes, limits, block.height, mode) {
        Ok(s) => s,
        Err(e) => return TxOutcome::failed(&e, 0, 0, Vec::new()),
    };
    if let Some(b) = block_gas {
        if b.used.saturating_add(s.gas_limit) > b.limit {
            let e = Error::sdk(
                SdkCode::OutOfGas,
                format!("no block gas left to run tx: {} of {} used, the tx wants {}", b.used, b.limit, s.gas_limit),
            );
            return TxOutcome::failed(&e, s.gas_limit, 0, Vec::new());
        }
        let wanted = s.gas_limit;
        let outcome = run_checked(state, s, mode, block, limits, sigs);
        // What a tx used up to its limit, as Cosmos' GasConsumedToLimit: the one charge that took a
        // tx past its limit must not eat the block's gas that later txs were budgeted.
        b.used = b.used.saturating_add(outcome.gas_used.min(wanted));
        return outcome;
    }
    run_checked(state, s, mode, block, limits, sigs)
}

fn run_checked(
    state: &mut impl StateWrite,
    s: Stateless,
    mode: Mode,
    block: &BlockCtx,
    limits: &TxLimits,
    sigs: &mut SigCache,
) -> TxOutcome {
    if mode == Mode::Check {
        if let Err(e) = check_min_fee(&s.fee, s.gas_limit, limits) {
            return TxOutcome::failed(&e, s.gas_limit, 0, Vec::new());
        }
    }
    // Simulation has no gas limit of its own: it gets the most any tx may use.
    let gas = GasMeter::new(if mode == Mode::Simulate { limits.auth.max_gas_per_tx } else { s.gas_limit });
    let report_wanted = s.gas_limit;

    // Ante: in its own overlay, kept only if every step passes.
    let (ante_writes, ante_events) = {
        let mut ante = Overlay::metered(&*state, &gas);
        if let Err(e) = ante_steps(&mut ante, &s, &gas, mode, block, sigs) {
            return TxOutcome::failed(&e, report_wanted, gas.used(), Vec::new());
        }
        ante.into_parts()
    };
    if let Err(e) = apply(state, ante_writes, ante_events.clone()) {
        return TxOutcome::failed(&e, report_wanted, gas.used(), Vec::new());
    }

    // Messages: all or nothing, each in an overlay of its own.
    let result = {
        let mut msgs = Overlay::metered(&*state, &gas);
        let mut outcome = Ok(());
        for (i, m) in s.msgs.iter().enumerate() {
            let sender = m.signers().first().copied();
            let mut one = Overlay::metered(&msgs, &gas);
            let mut message = Event::new("message").attr("action", m.type_url());
            if let Some(sender) = sender {
                message = message.attr("sender", sender);
            }
            one.emit(message.attr("module", m.module()).attr("msg_index", i));
            match m.execute(&mut one, block, &AppRouter::new(&limits.decode)) {
                Ok(()) => {
                    let (w, ev) = one.into_parts();
                    if let Err(e) = apply(&mut msgs, w, ev) {
                        outcome = Err(e);
                        break;
                    }
                }
                Err(e) => {
                    outcome = Err(Error {
                        message: format!("failed to execute message; message index: {i}: {}", e.message),
                        ..e
                    });
                    break;
                }
            }
        }
        outcome.map(|()| msgs.into_parts())
    };
    match result {
        Ok((writes, events)) => {
            if let Err(e) = apply(state, writes, events.clone()) {
                return TxOutcome::failed(&e, report_wanted, gas.used(), ante_events);
            }
            let mut all = ante_events;
            all.extend(events);
            TxOutcome { gas_wanted: report_wanted, gas_used: gas.used(), events: all, ..Default::default() }
        }
        Err(e) => TxOutcome::failed(&e, report_wanted, gas.used(), ante_events),
    }
}

fn ante_steps(
    state: &mut Overlay<'_>,
    s: &Stateless,
    gas: &GasMeter,
    mode: Mode,
    block: &BlockCtx,
    sigs: &mut SigCache,
) -> Result<(), Error> {
    gas.consume(gas.costs.tx_size_per_byte * s.tx.size as u64, "txSize")?;

    let fee_payer = match s.tx.auth_info.fee.as_ref().map(|f| f.payer.as_str()).filter(|p| !p.is_empty()) {
        Some(p) => Address::parse("fee.payer", p)?,
        None => s.signers[0],
    };
    if state.account(&fee_payer)?.is_none() {
        return Err(Error::sdk(
            SdkCode::UnknownAddress,
            format!("fee payer address: {fee_payer} does not exist: fund it first"),
        ));
    }
    state.pay_fee(&fee_payer, &s.fee)?;
    state.emit(Event::new("tx").attr("fee", &s.fee).attr("fee_payer", fee_payer));

    // Resolve every signer's account and key and check sequences before verifying anything.
    let mut signers = Vec::with_capacity(s.signers.len());
    for (i, (signer, info)) in s.signers.iter().zip(&s.tx.auth_info.signer_infos).enumerate() {
        let account = state.account(signer)?.ok_or_else(|| {
            Error::sdk(
                SdkCode::UnknownAddress,
                format!("account {signer} does not exist: it must receive funds before it can sign"),
            )
        })?;
        let pubkey = signer_pubkey(i, signer, account.pubkey.as_deref(), info.public_key.as_ref())?;
        gas.consume(gas.costs.secp256k1_verify, "ante verify: secp256k1")?;
        if info.sequence != account.sequence {
            return Err(Error::sdk(
                SdkCode::WrongSequence,
                format!(
                    "account sequence mismatch, expected {}, got {}: incorrect account sequence",
                    account.sequence, info.sequence
                ),
            ));
        }
        signers.push((account, pubkey));
    }

    // A signature's validity depends on the bytes and on each signer's account number and key:
    // all of them key the cache, so a hit means this exact verification passed before.
    // Gentxs are signed before accounts are numbered: at genesis every signature binds account
    // number 0, as in Cosmos SDK.
    let number_of = |a: &salus_sdk::auth::Account| if block.height == 0 { 0 } else { a.number };
    let verified_key = SigCache::key(&s.tx.hash, signers.iter().map(|(a, pk)| (number_of(a), pk.as_slice())));
    let skip_verify = matches!(mode, Mode::Simulate | Mode::Recheck) || sigs.contains(&verified_key);
    if !skip_verify {
        for (i, (account, pubkey)) in signers.iter().enumerate() {
            let sign_bytes =
                tx::sign_doc_bytes(&s.tx.body_bytes, &s.tx.auth_info_bytes, &block.chain_id, number_of(account));
            tx::verify_secp256k1(pubkey, &sign_bytes, &s.tx.signatures[i]).map_err(|e| {
                Error::sdk(
                    SdkCode::Unauthorized,
                    format!(
                        "{}; account number {}, sequence {}, chain-id {}",
                        e.message,
                        number_of(account),
                        account.sequence,
                        block.chain_id
                    ),
                )
            })?;
        }
    }
    for (mut account, pubkey) in signers {
        state.emit(Event::new("tx").attr("acc_seq", format!("{}/{}", account.address, account.sequence)));
        account.pubkey = Some(pubkey);
        // Saturating: no account reaches it (a genesis may not carry more than 2^63).
        account.sequence = account.sequence.saturating_add(1);
        state.set_account(&account)?;
    }
    if mode == Mode::Check {
        sigs.insert(verified_key);
    }
    Ok(())
}

/// The key a signer signs with: the one on chain, or (first use) the one in its signer info,
/// which must hash to the signer's address.
fn signer_pubkey(
    i: usize,
    signer: &Address,
    stored: Option<&[u8]>,
    given: Option<&salus_proto::Any>,
) -> Result<Vec<u8>, Error> {
    match (stored, given) {
        (Some(stored), Some(given)) => {
            let given = tx::secp256k1_pubkey(given)?;
            if given != stored {
                return Err(Error::sdk(
                    SdkCode::InvalidPubKey,
                    format!("signer {i}: public key does not match the one {signer} signed with before"),
                ));
            }
            Ok(given)
        }
        (Some(stored), None) => Ok(stored.to_vec()),
        (None, Some(given)) => {
            let given = tx::secp256k1_pubkey(given)?;
            if Address::from_secp256k1_pubkey(&given) != *signer {
                return Err(Error::sdk(
                    SdkCode::InvalidPubKey,
                    format!("signer {i}: public key does not belong to {signer}"),
                ));
            }
            Ok(given)
        }
        (None, None) => Err(Error::sdk(
            SdkCode::InvalidPubKey,
            format!("signer {i}: {signer} has no public key on chain: include it in signer_infos"),
        )),
    }
}
