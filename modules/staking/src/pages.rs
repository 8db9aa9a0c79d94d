//! Pages of the lists that queries return (validators, delegations, unbondings, redelegations,
//! signing infos), read with [`salus_sdk::pagination`] so that a page costs its offset and limit,
//! never the whole list. Block hooks and invariants keep the whole-list reads of
//! [`crate::state::StakingRead`].
//!
//! `next_key` is relative to the list's prefix: the operator address for validators, the
//! validator (or delegator) address for a delegator's (or validator's) delegations and
//! unbondings, and so on.

use borsh::BorshDeserialize;
use salus_proto::cosmos::base::query::v1beta1::PageResponse;
use salus_sdk::pagination::{paginate, paginate_filtered, Page};
use salus_sdk::{Address, Error, SdkCode, StateRead};

use crate::keys;
use crate::state::StakingRead;
use crate::types::{BondStatus, Delegation, Redelegation, SigningInfo, UnbondingDelegation, Validator};

/// One page of a list, and the response that goes with it.
pub type Paged<T> = (Vec<T>, PageResponse);

fn decode_all<T: BorshDeserialize>(page: Vec<(Vec<u8>, Vec<u8>)>) -> Result<Vec<T>, Error> {
    page.iter().map(|(_, v)| borsh::from_slice(v).map_err(Error::internal)).collect()
}

fn addr_at(key: &[u8], offset: usize) -> Result<Address, Error> {
    key.get(offset..offset + 20)
        .and_then(|b| b.try_into().ok())
        .map(Address)
        .ok_or_else(|| Error::internal("malformed staking index key"))
}

/// Which redelegations to list: by delegator (optionally of one source and one destination), or
/// by source validator (optionally to one destination).
#[derive(Clone, Copy, Debug)]
pub struct RedelegationFilter<'a> {
    pub delegator: Option<&'a Address>,
    pub src: Option<&'a Address>,
    pub dst: Option<&'a Address>,
}

pub trait StakingPages: StateRead {
    /// Validators by operator address, of one status only if `status` is given (the page then
    /// counts validators of that status).
    fn validators_page(&self, page: &Page, status: Option<BondStatus>) -> Result<Paged<Validator>, Error> {
        let (found, resp) = match status {
            None => paginate(self, keys::VALIDATOR_PREFIX, page)?,
            Some(status) => paginate_filtered(self, keys::VALIDATOR_PREFIX, page, |_, v| {
                Ok(borsh::from_slice::<Validator>(v).map_err(Error::internal)?.status == status)
            })?,
        };
        Ok((decode_all(found)?, resp))
    }

    /// A delegator's delegations, by validator.
    fn delegations_of_page(&self, del: &Address, page: &Page) -> Result<Paged<Delegation>, Error> {
        let (found, resp) = paginate(self, &keys::delegations_of(del), page)?;
        Ok((decode_all(found)?, resp))
    }

    /// The delegations to a validator, by delegator (through the by-validator index).
    fn delegations_to_page(&self, val: &Address, page: &Page) -> Result<Paged<Delegation>, Error> {
        let prefix = keys::delegations_to(val);
        let (found, resp) = paginate(self, &prefix, page)?;
        let mut out = Vec::with_capacity(found.len());
        for (k, _) in found {
            if let Some(d) = self.delegation(&addr_at(&k, prefix.len())?, val)? {
                out.push(d);
            }
        }
        Ok((out, resp))
    }

    /// A delegator's unbonding delegations, by validator.
    fn unbondings_of_page(&self, del: &Address, page: &Page) -> Result<Paged<UnbondingDelegation>, Error> {
        let (found, resp) = paginate(self, &keys::unbondings_of(del), page)?;
        Ok((decode_all(found)?, resp))
    }

    /// The unbonding delegations from a validator, by delegator (through the by-validator index).
    fn unbondings_from_page(&self, val: &Address, page: &Page) -> Result<Paged<UnbondingDelegation>, Error> {
        let prefix = keys::unbondings_from(val);
        let (found, resp) = paginate(self, &prefix, page)?;
        let mut out = Vec::with_capacity(found.len());
        for (k, _) in found {
            if let Some(u) = self.unbonding(&addr_at(&k, prefix.len())?, val)? {
                out.push(u);
            }
        }
        Ok((out, resp))
    }

    /// Redelegations: a delegator's (narrowed to a source and a destination by key prefix where
    /// given), or, without a delegator, a source validator's (through the by-source index).
    fn redelegations_page(&self, which: RedelegationFilter, page: &Page) -> Result<Paged<Redelegation>, Error> {
        let RedelegationFilter { delegator, src, dst } = which;
        if let Some(del) = delegator {
            // Keys are delegator | source | destination.
            let mut prefix = keys::redelegations_of(del);
            if let Some(src) = src {
                prefix.extend_from_slice(src.as_bytes());
                if let Some(dst) = dst {
                    prefix.extend_from_slice(dst.as_bytes());
                }
            }
            let dst_at = keys::REDELEGATION_PREFIX.len() + 40;
            let (found, resp) = match (src, dst) {
                (None, Some(dst)) => paginate_filtered(self, &prefix, page, |k, _| {
                    Ok(k.get(dst_at..dst_at + 20) == Some(dst.as_bytes()))
                })?,
                _ => paginate(self, &prefix, page)?,
            };
            return Ok((decode_all(found)?, resp));
        }
        let src =
            src.ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, "give delegator_addr, src_validator_addr or both"))?;
        // Index keys are source | delegator | destination.
        let prefix = keys::redelegations_from(src);
        let dst_at = prefix.len() + 20;
        let (found, resp) = match dst {
            Some(dst) => {
                paginate_filtered(self, &prefix, page, |k, _| Ok(k.get(dst_at..dst_at + 20) == Some(dst.as_bytes())))?
            }
            None => paginate(self, &prefix, page)?,
        };
        let mut out = Vec::with_capacity(found.len());
        for (k, _) in found {
            let (del, to) = (addr_at(&k, prefix.len())?, addr_at(&k, dst_at)?);
            if let Some(r) = self.redelegation(&del, src, &to)? {
                out.push(r);
            }
        }
        Ok((out, resp))
    }

    /// Signing infos, by consensus address.
    fn signing_infos_page(&self, page: &Page) -> Result<Paged<SigningInfo>, Error> {
        let (found, resp) = paginate(self, keys::SIGNING_INFO_PREFIX, page)?;
        Ok((decode_all(found)?, resp))
    }
}
impl<S: StateRead + ?Sized> StakingPages for S {}
