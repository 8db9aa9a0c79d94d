//! The ABCI 2.0 (CometBFT v0.38) service. tower-abci's split service gives the app one owner and
//! feeds it consensus, mempool and snapshot requests in priority order; the node answers the info
//! connection (Info, Query, Echo) apart, from committed storage (`super::info`).

use std::future::{ready, Ready};
use std::task::{Context, Poll};

use salus_sdk::Event;
use tendermint::abci::{response, types::ExecTxResult, Code, Event as AbciEvent, EventAttributeIndexExt};
use tendermint::v0_38::abci::{Request, Response};
use tower::Service;
use tower_abci::BoxError;

use salus_staking::{BlockInfo, Misbehavior, ValidatorUpdate, VoteInfo};

use super::pipeline::TxOutcome;
use super::query::NodeInfoCache;
use super::{App, QueryHandle};

pub struct AbciService {
    pub app: App,
    pub index: EventIndex,
    pub queries: QueryHandle,
    pub node_info: NodeInfoCache,
    pub app_version: String,
}

/// Which event attributes CometBFT should index (node-local: the index flag is not part of the
/// results hash, so validators may differ).
#[derive(Clone, Debug, Default)]
pub struct EventIndex {
    /// `type.key` entries; `None` indexes everything.
    only: Option<std::collections::BTreeSet<String>>,
}

impl EventIndex {
    /// From app.toml's `index-events`: empty means all.
    pub fn new(entries: &[String]) -> Self {
        Self { only: (!entries.is_empty()).then(|| entries.iter().cloned().collect()) }
    }

    fn indexes(&self, kind: &str, key: &str) -> bool {
        self.only.as_ref().is_none_or(|set| set.contains(&format!("{kind}.{key}")))
    }

    pub fn to_abci_event(&self, e: &Event) -> AbciEvent {
        AbciEvent::new(
            e.kind.clone(),
            e.attributes.iter().map(|(k, v)| {
                let attr = (k.clone(), v.clone());
                if self.indexes(&e.kind, k) {
                    attr.index()
                } else {
                    attr.no_index()
                }
            }),
        )
    }
}

pub fn to_proto_event(e: &Event) -> salus_proto::tendermint_proto::abci::Event {
    salus_proto::tendermint_proto::abci::Event {
        r#type: e.kind.clone(),
        attributes: e
            .attributes
            .iter()
            .map(|(k, v)| salus_proto::tendermint_proto::abci::EventAttribute {
                key: k.clone(),
                value: v.clone(),
                index: true,
            })
            .collect(),
    }
}

fn exec_result(o: &TxOutcome, index: &EventIndex) -> ExecTxResult {
    ExecTxResult {
        code: Code::from(o.code),
        data: Default::default(),
        log: o.log.clone(),
        info: String::new(),
        gas_wanted: o.gas_wanted.min(i64::MAX as u64) as i64,
        gas_used: o.gas_used.min(i64::MAX as u64) as i64,
        events: o.events.iter().map(|e| index.to_abci_event(e)).collect(),
        codespace: o.codespace.to_string(),
    }
}

/// The last commit's votes and the evidence of misbehaviour, for the staking hooks.
fn block_info(fb: &tendermint::abci::request::FinalizeBlock) -> BlockInfo {
    BlockInfo {
        next_validators_hash: fb.next_validators_hash.as_bytes().to_vec(),
        votes: fb
            .decided_last_commit
            .votes
            .iter()
            .map(|v| VoteInfo {
                cons_address: v.validator.address,
                power: v.validator.power.value(),
                signed: v.sig_info.is_signed(),
            })
            .collect(),
        misbehavior: fb
            .misbehavior
            .iter()
            .map(|m| {
                let (secs, nanos) = super::unix_parts(m.time);
                Misbehavior {
                    cons_address: m.validator.address,
                    height: m.height.value(),
                    time: salus_staking::types::Time { secs, nanos },
                    power: m.validator.power.value(),
                }
            })
            .collect(),
    }
}

fn validator_update(u: &ValidatorUpdate) -> Result<tendermint::validator::Update, BoxError> {
    Ok(tendermint::validator::Update {
        pub_key: tendermint::PublicKey::from_raw_ed25519(&u.pubkey).ok_or("invalid ed25519 consensus key")?,
        power: u.power.try_into()?,
    })
}

impl AbciService {
    fn handle(&mut self, req: Request) -> Result<Response, BoxError> {
        Ok(match req {
            Request::Echo(e) => Response::Echo(response::Echo { message: e.message }),
            Request::Flush => Response::Flush,
            // The node serves these on the info connection (`super::info::InfoService`); they are
            // answered here too, from the same committed storage, for anything that sends them
            // to the App.
            Request::Info(_) => Response::Info(super::info::info_response(&self.queries, &self.app_version)?),
            Request::InitChain(ic) => {
                let params = comet_params(&ic.consensus_params);
                let g = self.app.init_chain(
                    &ic.chain_id,
                    ic.initial_height.value(),
                    ic.time,
                    &ic.app_state_bytes,
                    params,
                )?;
                if g.validator_updates.is_empty() {
                    return Err("genesis has no validators: create one with `salusd genesis gentx <key> <amount>` \
                                and `salusd genesis collect-gentxs` before the first start"
                        .into());
                }
                tracing::info!(
                    chain_id = %ic.chain_id,
                    app_hash = %hex::encode_upper(g.app_hash),
                    validators = g.validator_updates.len(),
                    "genesis committed"
                );
                Response::InitChain(response::InitChain {
                    consensus_params: None,
                    validators: g.validator_updates.iter().map(validator_update).collect::<Result<_, _>>()?,
                    app_hash: g.app_hash.to_vec().try_into()?,
                })
            }
            Request::Query(q) => Response::Query(super::info::query_response(&self.queries, &self.node_info, q)),
            Request::CheckTx(c) => {
                let recheck = matches!(c.kind, tendermint::abci::request::CheckTxKind::Recheck);
                let o = self.app.check_tx(&c.tx, recheck);
                Response::CheckTx(response::CheckTx {
                    code: Code::from(o.code),
                    log: o.log.clone(),
                    gas_wanted: o.gas_wanted.min(i64::MAX as u64) as i64,
                    gas_used: o.gas_used.min(i64::MAX as u64) as i64,
                    codespace: o.codespace.to_string(),
                    events: o.events.iter().map(|e| self.index.to_abci_event(e)).collect(),
                    ..Default::default()
                })
            }
            Request::PrepareProposal(p) => {
                let txs = super::proposal::prepare(p.txs, p.max_tx_bytes, self.app.limits(), self.app.block_limits());
                Response::PrepareProposal(response::PrepareProposal { txs })
            }
            Request::ProcessProposal(p) => {
                match super::proposal::process(&p.txs, self.app.limits(), self.app.block_limits()) {
                    Ok(()) => Response::ProcessProposal(response::ProcessProposal::Accept),
                    Err(why) => {
                        tracing::warn!(height = p.height.value(), %why, "rejecting a proposed block");
                        Response::ProcessProposal(response::ProcessProposal::Reject)
                    }
                }
            }
            Request::ExtendVote(_) => Response::ExtendVote(response::ExtendVote { vote_extension: Default::default() }),
            Request::VerifyVoteExtension(_) => Response::VerifyVoteExtension(response::VerifyVoteExtension::Accept),
            Request::FinalizeBlock(fb) => {
                let height = fb.height.value();
                let info = block_info(&fb);
                let f = self.app.finalize_block(height, fb.time, &fb.txs, &info)?;
                Response::FinalizeBlock(response::FinalizeBlock {
                    events: f.events.iter().map(|e| self.index.to_abci_event(e)).collect(),
                    tx_results: f.outcomes.iter().map(|o| exec_result(o, &self.index)).collect(),
                    validator_updates: f.validator_updates.iter().map(validator_update).collect::<Result<_, _>>()?,
                    consensus_param_updates: f.consensus_updates.as_ref().map(tendermint_params).transpose()?,
                    app_hash: f.app_hash.to_vec().try_into()?,
                })
            }
            Request::Commit => {
                let height = self.app.commit()?;
                tracing::debug!(height, "committed");
                Response::Commit(response::Commit { data: Default::default(), retain_height: 0u32.into() })
            }
            Request::ListSnapshots => Response::ListSnapshots(Default::default()),
            Request::OfferSnapshot(_) => Response::OfferSnapshot(response::OfferSnapshot::Reject),
            Request::LoadSnapshotChunk(_) => Response::LoadSnapshotChunk(Default::default()),
            Request::ApplySnapshotChunk(_) => Response::ApplySnapshotChunk(response::ApplySnapshotChunk {
                result: response::ApplySnapshotChunkResult::Abort,
                refetch_chunks: Vec::new(),
                reject_senders: Vec::new(),
            }),
        })
    }
}

impl Service<Request> for AbciService {
    type Response = Response;
    type Error = BoxError;
    type Future = Ready<Result<Response, BoxError>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let result = self.handle(req);
        if let Err(e) = &result {
            tracing::error!(error = %e, "ABCI request failed; the node stops rather than diverge");
        }
        ready(result)
    }
}

/// CometBFT's params as InitChain gives them, in the form the chain keeps.
fn comet_params(p: &tendermint::consensus::Params) -> salus_consensus::CometParams {
    let age = p.evidence.max_age_duration.0;
    salus_consensus::CometParams {
        block_max_bytes: i64::try_from(p.block.max_bytes).unwrap_or(i64::MAX),
        block_max_gas: p.block.max_gas,
        evidence_max_age_num_blocks: i64::try_from(p.evidence.max_age_num_blocks).unwrap_or(i64::MAX),
        evidence_max_age_secs: i64::try_from(age.as_secs()).unwrap_or(i64::MAX),
        evidence_max_age_nanos: age.subsec_nanos() as i32,
        evidence_max_bytes: p.evidence.max_bytes,
        pub_key_types: p.validator.pub_key_types.iter().map(|a| a.to_string().to_lowercase()).collect(),
        vote_extensions_enable_height: p.abci.vote_extensions_enable_height.map_or(0, |h| h.value() as i64),
    }
}

/// An update for FinalizeBlock's `consensus_param_updates` (the whole params, as validated).
fn tendermint_params(p: &salus_consensus::CometParams) -> Result<tendermint::consensus::Params, BoxError> {
    let raw = p.to_proto();
    Ok(tendermint::consensus::Params::try_from(raw)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finalize_block_votes_and_evidence_reach_the_staking_hooks() {
        use tendermint::abci::types::{
            BlockSignatureInfo, CommitInfo, Misbehavior as CometMisbehavior, MisbehaviorKind, Validator,
            VoteInfo as CometVote,
        };
        use tendermint::block::BlockIdFlag;
        let validator = |b: u8, power: u32| Validator { address: [b; 20], power: power.into() };
        let time = tendermint::Time::from_unix_timestamp(1_800_000_000, 5).unwrap();
        let fb = tendermint::abci::request::FinalizeBlock {
            txs: Vec::new(),
            decided_last_commit: CommitInfo {
                round: 0u8.into(),
                votes: vec![
                    CometVote { validator: validator(1, 10), sig_info: BlockSignatureInfo::Flag(BlockIdFlag::Commit) },
                    CometVote { validator: validator(2, 20), sig_info: BlockSignatureInfo::Flag(BlockIdFlag::Absent) },
                    CometVote { validator: validator(3, 30), sig_info: BlockSignatureInfo::Flag(BlockIdFlag::Nil) },
                ],
            },
            misbehavior: vec![CometMisbehavior {
                kind: MisbehaviorKind::DuplicateVote,
                validator: validator(2, 20),
                height: 7u32.into(),
                time,
                total_voting_power: 60u32.into(),
            }],
            hash: Default::default(),
            height: 9u32.into(),
            time,
            next_validators_hash: Default::default(),
            proposer_address: tendermint::account::Id::new([1; 20]),
        };
        let info = block_info(&fb);
        let votes: Vec<_> = info.votes.iter().map(|v| (v.cons_address[0], v.power, v.signed)).collect();
        assert_eq!(votes, vec![(1, 10, true), (2, 20, false), (3, 30, true)], "a nil vote is still a signature");
        assert_eq!(info.misbehavior.len(), 1);
        let m = &info.misbehavior[0];
        assert_eq!((m.cons_address, m.height, m.power), ([2; 20], 7, 20));
        assert_eq!((m.time.secs, m.time.nanos), (1_800_000_000, 5));
    }

    #[test]
    fn only_the_listed_attributes_are_indexed_and_an_empty_list_indexes_all() {
        let e = Event::new("transfer").attr("recipient", "a").attr("amount", "1usalus");
        let flags =
            |idx: &EventIndex| -> Vec<bool> { idx.to_abci_event(&e).attributes.iter().map(|a| a.index()).collect() };
        assert_eq!(flags(&EventIndex::new(&["transfer.recipient".into()])), vec![true, false]);
        assert_eq!(flags(&EventIndex::new(&[])), vec![true, true]);
    }
}
