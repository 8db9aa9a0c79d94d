//! What Salus checks of an IBC message before ibc-rs sees it. ibc-rs 0.57 stores a client state
//! without validating it, panics on a header of height 0 or with a chain id it cannot parse, and
//! computes with a client's trust level and proof specs in plain arithmetic: so every header and
//! client state a message carries is bounded here, in decode, where CheckTx and ProcessProposal
//! refuse the tx too.

use ibc::core::host::types::identifiers::ChainId;
use ibc_proto::google::protobuf::Any;
use ibc_proto::ibc::core::client::v1 as client;
use ibc_proto::ibc::core::connection::v1 as connection;
use ibc_proto::ibc::lightclients::tendermint::v1::{ClientState, Header, Misbehaviour};
use prost::{Message, Name};
use salus_sdk::Error;

use crate::error::IbcError;

/// The most validators (in each of a header's two sets) and commit signatures a header may
/// carry: verification costs one ed25519 check each, and CheckTx runs it.
pub const MAX_HEADER_VALIDATORS: usize = 1_024;
/// The largest trust-level denominator: a fraction's products must stay far from overflow.
pub const MAX_TRUST_DENOMINATOR: u64 = 1 << 20;
/// Bounds on a client's proof specs (ICS-23 inner nodes): IAVL's and JMT's are far below them.
pub const MAX_CHILD_ORDER: usize = 16;
pub const MAX_CHILD_SIZE: i32 = 64;
pub const MAX_PREFIX_LENGTH: i32 = 4_096;

fn invalid(what: impl Into<String>) -> Error {
    IbcError::InvalidMsg.with(what.into())
}

fn decode<M: Message + Default>(any: &Any, what: &str) -> Result<M, Error> {
    M::decode(any.value.as_slice()).map_err(|e| invalid(format!("{what} does not decode: {e}")))
}

/// Checks the headers and client states `any` carries; returns the signatures and validators of
/// its headers, which the message is charged for before they are verified.
#[allow(deprecated)] // MsgSubmitMisbehaviour, and ConnOpenTry/Ack's client_state: ibc-go v8 still sends them
pub fn check(any: &Any) -> Result<u64, Error> {
    let url = any.type_url.as_str();
    if url == client::MsgCreateClient::type_url() {
        let m: client::MsgCreateClient = decode(any, "MsgCreateClient")?;
        check_client_state(m.client_state.as_ref())?;
        Ok(0)
    } else if url == client::MsgUpdateClient::type_url() {
        let m: client::MsgUpdateClient = decode(any, "MsgUpdateClient")?;
        client_message(m.client_message.as_ref())
    } else if url == client::MsgSubmitMisbehaviour::type_url() {
        let m: client::MsgSubmitMisbehaviour = decode(any, "MsgSubmitMisbehaviour")?;
        client_message(m.misbehaviour.as_ref())
    } else if url == client::MsgUpgradeClient::type_url() {
        let m: client::MsgUpgradeClient = decode(any, "MsgUpgradeClient")?;
        check_client_state(m.client_state.as_ref())?;
        Ok(0)
    } else if url == connection::MsgConnectionOpenTry::type_url() {
        let m: connection::MsgConnectionOpenTry = decode(any, "MsgConnectionOpenTry")?;
        check_client_state(m.client_state.as_ref())?;
        Ok(0)
    } else if url == connection::MsgConnectionOpenAck::type_url() {
        let m: connection::MsgConnectionOpenAck = decode(any, "MsgConnectionOpenAck")?;
        check_client_state(m.client_state.as_ref())?;
        Ok(0)
    } else {
        Ok(0)
    }
}

/// An update's header, or a misbehaviour's two.
fn client_message(any: Option<&Any>) -> Result<u64, Error> {
    let any = any.ok_or_else(|| invalid("the message carries no header"))?;
    if any.type_url == Header::type_url() {
        check_header(&decode(any, "the header")?)
    } else if any.type_url == Misbehaviour::type_url() {
        let m: Misbehaviour = decode(any, "the misbehaviour")?;
        let one = check_header(m.header_1.as_ref().ok_or_else(|| invalid("the misbehaviour has no first header"))?)?;
        let two = check_header(m.header_2.as_ref().ok_or_else(|| invalid("the misbehaviour has no second header"))?)?;
        Ok(one + two)
    } else {
        Err(invalid(format!("{}: Salus knows 07-tendermint headers only", any.type_url)))
    }
}

fn check_header(h: &Header) -> Result<u64, Error> {
    let signed = h.signed_header.as_ref().ok_or_else(|| invalid("the header has no signed header"))?;
    let header = signed.header.as_ref().ok_or_else(|| invalid("the signed header has no header"))?;
    let commit = signed.commit.as_ref().ok_or_else(|| invalid("the signed header has no commit"))?;
    if header.height <= 0 || commit.height != header.height {
        return Err(invalid("a header's height must be positive and its commit's the same"));
    }
    ChainId::new(&header.chain_id).map_err(|e| invalid(format!("the header's chain id `{}`: {e}", header.chain_id)))?;
    if h.trusted_height.as_ref().is_none_or(|t| t.revision_height == 0) {
        return Err(invalid("the header's trusted height must be positive"));
    }
    let validators = h.validator_set.as_ref().map_or(0, |v| v.validators.len());
    let trusted = h.trusted_validators.as_ref().map_or(0, |v| v.validators.len());
    let signatures = commit.signatures.len();
    if validators.max(trusted).max(signatures) > MAX_HEADER_VALIDATORS {
        return Err(invalid(format!(
            "a header carries at most {MAX_HEADER_VALIDATORS} validators in each set and as many signatures"
        )));
    }
    Ok((validators + trusted + signatures) as u64)
}

fn check_client_state(any: Option<&Any>) -> Result<(), Error> {
    let any = any.ok_or_else(|| invalid("the message carries no client state"))?;
    if any.type_url != ClientState::type_url() {
        return Err(invalid(format!("{}: Salus knows 07-tendermint clients only", any.type_url)));
    }
    let cs: ClientState = decode(any, "the client state")?;
    let trust = cs.trust_level.as_ref().ok_or_else(|| invalid("the client state has no trust level"))?;
    let (n, d) = (trust.numerator, trust.denominator);
    if n == 0 || d > MAX_TRUST_DENOMINATOR || n >= d || 3 * n < d {
        return Err(invalid(format!(
            "trust level {n}/{d}: it must lie in [1/3, 1) with a denominator of at most {MAX_TRUST_DENOMINATOR}"
        )));
    }
    if cs.proof_specs.is_empty() || cs.proof_specs.len() > 4 {
        return Err(invalid("a client state has one to four proof specs"));
    }
    for spec in &cs.proof_specs {
        let inner = spec.inner_spec.as_ref().ok_or_else(|| invalid("a proof spec has no inner spec"))?;
        let fits = !inner.child_order.is_empty()
            && inner.child_order.len() <= MAX_CHILD_ORDER
            && (1..=MAX_CHILD_SIZE).contains(&inner.child_size)
            && (0..=MAX_PREFIX_LENGTH).contains(&inner.min_prefix_length)
            && (inner.min_prefix_length..=MAX_PREFIX_LENGTH).contains(&inner.max_prefix_length)
            && inner.child_order.iter().all(|c| usize::try_from(*c).is_ok_and(|c| c < inner.child_order.len()));
        let leaf = spec.leaf_spec.as_ref().ok_or_else(|| invalid("a proof spec has no leaf spec"))?;
        if !fits
            || leaf.prefix.len() > MAX_PREFIX_LENGTH as usize
            || !(0..=256).contains(&spec.max_depth)
            || spec.min_depth < 0
        {
            return Err(invalid(format!(
                "a proof spec out of bounds: 1 to {MAX_CHILD_ORDER} children of 1 to {MAX_CHILD_SIZE} bytes, prefixes of at most {MAX_PREFIX_LENGTH} bytes"
            )));
        }
    }
    Ok(())
}
