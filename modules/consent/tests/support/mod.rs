//! A chain with a patient, its guardian, a hospital (custodian), a clinic and a stranger, all
//! DIDs; helpers to anchor records, write consents and ask for access as those DIDs.
#![allow(dead_code)]

use prost::Message;
use salus_did::Did;
use salus_node::app::pipeline::TxOutcome;
use salus_proto::salus::consent::v1 as pb;
use salus_proto::salus::records::v1 as rpb;
use salus_records::CommitmentKey;
use salus_testkit::*;

pub const LOINC: &str = "http://loinc.org";
/// An HIV test code: the kind of code that must never be readable on chain.
pub const HIV_TEST: &str = "75622-1";
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

pub struct World {
    pub chain: TestChain,
    pub payer: Key,
    pub patient: DidActor,
    pub guardian: DidActor,
    pub hospital: DidActor,
    pub clinic: DidActor,
    pub stranger: DidActor,
    pub key: CommitmentKey,
    /// Every event of every tx run and block made through the World's helpers.
    pub seen: Vec<salus_sdk::Event>,
}

impl World {
    pub fn new() -> Self {
        Self::on(TestChain::new())
    }

    pub fn on(mut chain: TestChain) -> Self {
        let payer = key(1);
        let guardian = DidActor::new(11);
        let patient = DidActor::new(10);
        let hospital = DidActor::new(12);
        let clinic = DidActor::new(13);
        let stranger = DidActor::new(14);
        let mut seen = Vec::new();
        let creates = [(&guardian, vec![]), (&patient, vec![&guardian.did])]
            .into_iter()
            .chain([&hospital, &clinic, &stranger].map(|d| (d, vec![])));
        for (d, controllers) in creates {
            let out = chain.exec(&payer, d.create_msg(&payer, &controllers));
            assert!(out.is_ok(), "creating {}: {out:?}", d.did);
            seen.extend(out.events.into_iter().chain(chain.block_events.iter().cloned()));
        }
        World { chain, payer, patient, guardian, hospital, clinic, stranger, key: CommitmentKey([7; 32]), seen }
    }

    pub fn now_secs(&self) -> i64 {
        1_800_000_000 + self.chain.height as i64
    }

    /// Anchors a record of the patient held by the hospital, with the given category and labels.
    pub fn anchor(&mut self, category: (&str, &str), confidentiality: &[&str], sensitivity: &[(&str, &str)]) -> u64 {
        let content = self.content(category, confidentiality, sensitivity);
        self.anchor_content(content)
    }

    /// A record's content with its category and sensitivity labels committed under the patient's
    /// key (the locator is `vault://hospital/objects/1f3a`; change it to tell records apart).
    pub fn content(
        &self,
        category: (&str, &str),
        confidentiality: &[&str],
        sensitivity: &[(&str, &str)],
    ) -> rpb::RecordContent {
        rpb::RecordContent {
            content_hash: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy".into(),
            size: 2048,
            locator: "vault://hospital/objects/1f3a".into(),
            encryption: Some(rpb::Encryption { algorithm: "AES-256-GCM".into(), key_id: "dek-1".into() }),
            category_commitments: vec![self.key.commit(category.0, category.1).0.to_vec()],
            confidentiality: confidentiality.iter().map(|c| c.to_string()).collect(),
            sensitivity_commitments: sensitivity.iter().map(|(s, c)| self.key.commit(s, c).0.to_vec()).collect(),
        }
    }

    /// Anchors a record of the patient held by the hospital with this content; returns its id.
    pub fn anchor_content(&mut self, content: rpb::RecordContent) -> u64 {
        let msg = rpb::MsgAnchorRecord {
            signer: self.payer.address.to_string(),
            actor: None,
            owner: self.patient.did.to_string(),
            custodian: self.hospital.did.to_string(),
            content: Some(content),
        };
        let out = self.exec_as(Who::Patient, msg, |m| &mut m.actor);
        assert!(out.is_ok(), "anchor: {out:?}");
        event_u64(&out, "record_anchored", "id")
    }

    /// Erases (crypto-shreds) a record, as its owner.
    pub fn erase(&mut self, record: u64) -> TxOutcome {
        let msg = rpb::MsgEraseRecord { signer: self.payer.address.to_string(), actor: None, id: record };
        self.exec_as(Who::Patient, msg, |m| &mut m.actor)
    }

    /// `organization` gives `member` a role.
    pub fn grant_role(
        &mut self,
        organization: Who,
        member: &Did,
        role: pb::Coding,
        period: Option<pb::Period>,
    ) -> TxOutcome {
        let msg = pb::MsgGrantRole {
            signer: self.payer.address.to_string(),
            actor: None,
            member: member.to_string(),
            role: Some(role),
            period,
        };
        self.exec_as(organization, msg, |m| &mut m.actor)
    }

    /// `organization` takes back the role it gave `member`.
    pub fn revoke_role(&mut self, organization: Who, member: &Did, role: pb::Coding) -> TxOutcome {
        let msg = pb::MsgRevokeRole {
            signer: self.payer.address.to_string(),
            actor: None,
            member: member.to_string(),
            role: Some(role),
        };
        self.exec_as(organization, msg, |m| &mut m.actor)
    }

    /// Runs a message in its own block, signed by `payer` with gas for anything; records its events.
    pub fn run(&mut self, payer: &Key, msg: salus_proto::Any) -> TxOutcome {
        let out = self.chain.exec(payer, msg);
        self.saw(std::slice::from_ref(&out));
        out
    }

    /// Runs a message in its own block with `gas` (fee at the minimum gas price); records its events.
    pub fn run_with_gas(&mut self, payer: &Key, msg: salus_proto::Any, gas: u64) -> TxOutcome {
        let spec =
            TxSpec { gas, fee: format!("{}usalus", gas.div_ceil(1000)).parse().unwrap(), ..self.chain.spec(payer) };
        let tx = sign(payer, vec![msg], &spec);
        self.block(vec![tx]).remove(0)
    }

    /// One block of these signed txs, in this order; records every event.
    pub fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<TxOutcome> {
        let outs = self.chain.block(txs);
        self.saw(&outs);
        outs
    }

    fn saw(&mut self, outs: &[TxOutcome]) {
        for o in outs {
            self.seen.extend(o.events.iter().cloned());
        }
        self.seen.extend(self.chain.block_events.iter().cloned());
    }

    /// A tx of `msg` signed by `payer` at `sequence` (for several txs of one payer in one block).
    pub fn tx_at(&self, payer: &Key, sequence: u64, msg: salus_proto::Any) -> Vec<u8> {
        let spec = TxSpec { gas: 600_000, fee: "600usalus".parse().unwrap(), sequence, ..self.chain.spec(payer) };
        sign(payer, vec![msg], &spec)
    }

    /// Every version of a consent, oldest first.
    pub fn history(&self, id: u64) -> Vec<pb::Consent> {
        let r: pb::QueryHistoryResponse = self
            .query(
                salus_consent::query::HISTORY_PATH,
                pb::QueryHistoryRequest { id, pagination: Some(page(&[], 1000)) },
            )
            .unwrap();
        assert!(r.pagination.is_none_or(|p| p.next_key.is_empty()), "more than 1000 versions");
        r.versions
    }

    pub fn decide(&self, req: pb::QueryDecideRequest) -> pb::QueryDecideResponse {
        self.query(salus_consent::query::DECIDE_PATH, req).unwrap()
    }

    pub fn create_consent(&mut self, by: Who, terms: pb::ConsentTerms) -> TxOutcome {
        let msg = pb::MsgCreateConsent { signer: self.payer.address.to_string(), actor: None, terms: Some(terms) };
        self.exec_as(by, msg, |m| &mut m.actor)
    }

    /// Signs `msg` as `who` with its next nonce and runs it, paid by the payer.
    pub fn exec_as<M: prost::Message + prost::Name + Clone>(
        &mut self,
        who: Who,
        msg: M,
        actor: fn(&mut M) -> &mut Option<salus_proto::salus::did::v1::ActorProof>,
    ) -> TxOutcome {
        let msg = self.actor(who).act(&self.chain, msg, actor);
        let payer = self.payer.clone();
        self.run(&payer, salus_proto::to_any(&msg))
    }

    pub fn access(&mut self, by: Who, record: u64, action: &str, purpose: &str) -> TxOutcome {
        let msg = pb::MsgAccessRecord {
            signer: self.payer.address.to_string(),
            actor: None,
            record,
            action: action.into(),
            purpose: purpose.into(),
        };
        self.exec_as(by, msg, |m| &mut m.actor)
    }

    pub fn actor(&self, who: Who) -> &DidActor {
        match who {
            Who::Patient => &self.patient,
            Who::Guardian => &self.guardian,
            Who::Hospital => &self.hospital,
            Who::Clinic => &self.clinic,
            Who::Stranger => &self.stranger,
        }
    }

    pub fn query<Req: Message, Resp: Message + Default>(&self, path: &str, req: Req) -> Result<Resp, salus_sdk::Error> {
        let bytes = self.chain.query(path, req.encode_to_vec())?;
        Ok(Resp::decode(bytes.as_slice()).expect("a decodable answer"))
    }

    pub fn consent(&self, id: u64) -> pb::Consent {
        let r: pb::QueryConsentResponse =
            self.query(salus_consent::query::CONSENT_PATH, pb::QueryConsentRequest { id, version: 0 }).unwrap();
        r.consent.unwrap()
    }

    pub fn audit_of_patient(&self) -> Vec<pb::AuditEvent> {
        let r: pb::QueryAuditResponse = self
            .query(
                salus_consent::query::AUDIT_BY_SUBJECT_PATH,
                pb::QueryAuditBySubjectRequest { subject: self.patient.did.to_string(), pagination: None },
            )
            .unwrap();
        r.events
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Patient,
    Guardian,
    Hospital,
    Clinic,
    Stranger,
}

pub const EVERYONE: [Who; 5] = [Who::Patient, Who::Guardian, Who::Hospital, Who::Clinic, Who::Stranger];

pub fn event<'a>(out: &'a TxOutcome, kind: &str, attr: &str) -> &'a str {
    out.events
        .iter()
        .find(|e| e.kind == kind)
        .and_then(|e| e.get(attr))
        .unwrap_or_else(|| panic!("no {kind}.{attr} in {out:?}"))
}

pub fn event_u64(out: &TxOutcome, kind: &str, attr: &str) -> u64 {
    event(out, kind, attr).parse().unwrap()
}

/// A page request: from `key` (empty: the first page), at most `limit` entries.
pub fn page(key: &[u8], limit: u64) -> salus_proto::cosmos::base::query::v1beta1::PageRequest {
    salus_proto::cosmos::base::query::v1beta1::PageRequest { key: key.to_vec(), limit, ..Default::default() }
}

/// Walks a paginated audit query `limit` entries a page, following `next_key` to the end; returns
/// every event and how many pages it took.
pub fn walk_audit(
    limit: u64,
    mut query: impl FnMut(salus_proto::cosmos::base::query::v1beta1::PageRequest) -> pb::QueryAuditResponse,
) -> (Vec<pb::AuditEvent>, usize) {
    let (mut events, mut pages, mut key) = (Vec::new(), 0, Vec::new());
    loop {
        let r = query(page(&key, limit));
        pages += 1;
        assert!(r.events.len() <= limit as usize, "a page of {} events for limit {limit}", r.events.len());
        events.extend(r.events);
        key = r.pagination.map(|p| p.next_key).unwrap_or_default();
        if key.is_empty() {
            return (events, pages);
        }
        assert!(pages < 10_000, "pagination does not end");
    }
}

/// http://terminology.hl7.org/CodeSystem/v3-RoleCode: roles are kept in clear.
pub const ROLE_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

pub fn role(code: &str) -> pb::Coding {
    pb::Coding { system: ROLE_CODE.into(), code: code.into() }
}

pub fn ts(secs: i64) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: secs, nanos: 0 }
}

pub fn period(start: Option<i64>, end: Option<i64>) -> Option<pb::Period> {
    Some(pb::Period { start: start.map(ts), end: end.map(ts) })
}

/// A provision with just a decision; set what it needs.
pub fn provision(decision: &str) -> pb::Provision {
    pb::Provision { decision: decision.into(), ..Default::default() }
}

pub fn actor_did(did: &Did) -> pb::Actor {
    pb::Actor { role: None, reference: did.to_string() }
}

/// Base deny; the clinic may access for treatment.
pub fn clinic_for_treatment(subject: &Did, clinic: &Did) -> pb::ConsentTerms {
    pb::ConsentTerms {
        subject: subject.to_string(),
        status: "active".into(),
        scope: "treatment".into(),
        decision: "deny".into(),
        period: None,
        provisions: vec![pb::Provision {
            actors: vec![actor_did(clinic)],
            actions: vec!["access".into()],
            purposes: vec!["TREAT".into()],
            ..provision("permit")
        }],
    }
}
