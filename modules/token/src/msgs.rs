//! The token module's messages as domain types, decoded from the Cosmos bank protos, and the
//! governance-only params update (`salus.token.v1.MsgUpdateParams`: bank's params differ).

use salus_proto::cosmos::bank::v1beta1::{Input, MsgMultiSend, MsgSend, Output};
use salus_proto::salus::token::v1 as pb;
use salus_proto::Any;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Coins, Error, Msg, SdkCode};

use crate::error::TokenError;
use crate::params::Params;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenMsg {
    Send {
        from: Address,
        to: Address,
        amount: Coins,
    },
    MultiSend {
        inputs: Vec<(Address, Coins)>,
        outputs: Vec<(Address, Coins)>,
    },
    /// Governance only: `authority` must be the governance module's account.
    UpdateParams {
        authority: Address,
        params: Params,
    },
}

fn check_denoms(params: &Params, n: usize) -> Result<(), Error> {
    if n > params.max_denoms_per_transfer as usize {
        return Err(TokenError::TooManyDenoms.with(format!(
            "a coin list holds {n} denoms; the limit is {}: send fewer denoms per transfer",
            params.max_denoms_per_transfer
        )));
    }
    Ok(())
}

impl TokenMsg {
    /// The type URLs this module routes.
    pub fn type_urls() -> Vec<String> {
        vec![type_url::<MsgSend>(), type_url::<MsgMultiSend>(), type_url::<pb::MsgUpdateParams>()]
    }

    /// Decodes an `Any` whose type URL is one of [`Self::type_urls`], refusing a transfer over
    /// the size caps in `params` before any address or amount in it is parsed (a params update
    /// is not held to them).
    pub fn decode(any: &Any, params: &Params) -> Result<Self, Error> {
        match any.type_url.as_str() {
            u if is_type::<MsgSend>(u) => {
                let m = decode_any::<MsgSend>(any)?;
                check_denoms(params, m.amount.len())?;
                Ok(TokenMsg::Send {
                    from: Address::parse("from_address", &m.from_address)?,
                    to: Address::parse("to_address", &m.to_address)?,
                    amount: Coins::from_proto(&m.amount)?,
                })
            }
            u if is_type::<MsgMultiSend>(u) => {
                let m = decode_any::<MsgMultiSend>(any)?;
                if m.outputs.len() > params.max_multi_send_outputs as usize {
                    return Err(TokenError::TooManyOutputs.with(format!(
                        "multi-send has {} outputs; the limit is {}: split it into several txs",
                        m.outputs.len(),
                        params.max_multi_send_outputs
                    )));
                }
                for n in m.inputs.iter().map(|i| i.coins.len()).chain(m.outputs.iter().map(|o| o.coins.len())) {
                    check_denoms(params, n)?;
                }
                let side = |field: &str, list: Vec<(String, Vec<_>)>| -> Result<Vec<(Address, Coins)>, Error> {
                    list.into_iter().map(|(a, c)| Ok((Address::parse(field, &a)?, Coins::from_proto(&c)?))).collect()
                };
                Ok(TokenMsg::MultiSend {
                    inputs: side("inputs.address", m.inputs.into_iter().map(|i| (i.address, i.coins)).collect())?,
                    outputs: side("outputs.address", m.outputs.into_iter().map(|o| (o.address, o.coins)).collect())?,
                })
            }
            u if is_type::<pb::MsgUpdateParams>(u) => {
                let m = decode_any::<pb::MsgUpdateParams>(any)?;
                let p = m
                    .params
                    .ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, "params is missing: give every token param"))?;
                Ok(TokenMsg::UpdateParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: Params::from_proto(&p),
                })
            }
            other => Err(Error::sdk(SdkCode::UnknownRequest, format!("the token module does not handle {other}"))),
        }
    }

    pub fn to_any(&self) -> Any {
        match self {
            TokenMsg::Send { from, to, amount } => salus_proto::to_any(&MsgSend {
                from_address: from.to_string(),
                to_address: to.to_string(),
                amount: amount.to_proto(),
            }),
            TokenMsg::MultiSend { inputs, outputs } => salus_proto::to_any(&MsgMultiSend {
                inputs: inputs.iter().map(|(a, c)| Input { address: a.to_string(), coins: c.to_proto() }).collect(),
                outputs: outputs.iter().map(|(a, c)| Output { address: a.to_string(), coins: c.to_proto() }).collect(),
            }),
            TokenMsg::UpdateParams { authority, params } => salus_proto::to_any(&pb::MsgUpdateParams {
                authority: authority.to_string(),
                params: Some(params.to_proto()),
            }),
        }
    }
}

impl Msg for TokenMsg {
    fn type_url(&self) -> String {
        match self {
            TokenMsg::Send { .. } => type_url::<MsgSend>(),
            TokenMsg::MultiSend { .. } => type_url::<MsgMultiSend>(),
            TokenMsg::UpdateParams { .. } => type_url::<pb::MsgUpdateParams>(),
        }
    }

    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            TokenMsg::Send { amount, .. } => {
                if amount.is_empty() {
                    return Err(Error::sdk(
                        SdkCode::InvalidCoins,
                        "amount is empty: send at least one coin, e.g. 100usalus",
                    ));
                }
                Ok(())
            }
            TokenMsg::MultiSend { inputs, outputs } => {
                if inputs.is_empty() {
                    return Err(TokenError::NoInputs.with("multi-send has no inputs"));
                }
                if inputs.len() > 1 {
                    return Err(TokenError::MultipleInputs.with("multi-send takes exactly one input, as in Cosmos SDK"));
                }
                if outputs.is_empty() {
                    return Err(TokenError::NoOutputs.with("multi-send has no outputs"));
                }
                if let Some(i) = inputs.iter().position(|(_, c)| c.is_empty()) {
                    return Err(Error::sdk(SdkCode::InvalidCoins, format!("input {i} has no coins")));
                }
                if let Some(i) = outputs.iter().position(|(_, c)| c.is_empty()) {
                    return Err(Error::sdk(SdkCode::InvalidCoins, format!("output {i} has no coins")));
                }
                // Linear in the number of coins, whatever their denoms.
                let total_in = Coins::checked_sum(inputs.iter().map(|(_, c)| c))?;
                let total_out = Coins::checked_sum(outputs.iter().map(|(_, c)| c))?;
                if let Some((denom, had, paid)) = total_in.first_difference(&total_out) {
                    return Err(TokenError::InputOutputMismatch.with(format!(
                        "inputs and outputs must add up to the same coins: {denom} is {had} in and {paid} out \
                         ({} input denoms, {} output denoms over {} outputs)",
                        total_in.len(),
                        total_out.len(),
                        outputs.len()
                    )));
                }
                Ok(())
            }
            // As genesis checks them.
            TokenMsg::UpdateParams { params, .. } => params.validate(),
        }
    }

    fn signers(&self) -> Vec<Address> {
        match self {
            TokenMsg::Send { from, .. } => vec![*from],
            TokenMsg::MultiSend { inputs, .. } => inputs.iter().map(|(a, _)| *a).collect(),
            TokenMsg::UpdateParams { authority, .. } => vec![*authority],
        }
    }

    fn authority(&self) -> Option<Address> {
        match self {
            TokenMsg::UpdateParams { authority, .. } => Some(*authority),
            TokenMsg::Send { .. } | TokenMsg::MultiSend { .. } => None,
        }
    }
}
