//! A seeded property test through the whole tx pipeline: random consent messages (create, update
//! with one of a few valid terms, revoke) by random DIDs, some with a stale version, some with a
//! replayed proof, a proof for another chain, or a proof acting as a DID its key does not control,
//! paid by varying accounts. A model says what must happen: only the consent's grantor, at the
//! current version, changes a non-revoked consent (the guardian is the grantor of the consents it
//! created, not of the patient's), except that the subject may always revoke a consent about
//! itself (a patient withdraws what a guardian granted for it); a grantor creates only for itself
//! or a DID it controls. After
//! every step every consent's latest version, its history length and every DID's action nonce are
//! compared with the model, and every refusal's codespace and code are the model's.

mod support;

use std::collections::BTreeMap;

use salus_consent::ConsentError;
use salus_did::error::DidError;
use salus_did::Did;
use salus_node::app::pipeline::TxOutcome;
use salus_proto::salus::consent::v1 as pb;
use salus_proto::Any;
use salus_testkit::*;
use support::*;

/// xorshift64: small, seeded, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 100 < p
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }
}

/// One of a few valid terms about `subject`, in the canonical form queries give back.
fn terms(w: &World, subject: &Did, variant: usize) -> pb::ConsentTerms {
    match variant % 4 {
        0 => clinic_for_treatment(subject, &w.clinic.did),
        1 => pb::ConsentTerms {
            subject: subject.to_string(),
            status: "active".into(),
            scope: "research".into(),
            decision: "permit".into(),
            period: None,
            provisions: vec![pb::Provision { purposes: vec!["HRESCH".into()], ..provision("deny") }],
        },
        2 => pb::ConsentTerms {
            subject: subject.to_string(),
            status: "draft".into(),
            scope: "patient-privacy".into(),
            decision: "deny".into(),
            period: period(Some(1_900_000_000), None),
            provisions: vec![],
        },
        _ => pb::ConsentTerms {
            subject: subject.to_string(),
            status: "active".into(),
            scope: "treatment".into(),
            decision: "deny".into(),
            period: period(None, Some(2_000_000_000)),
            provisions: vec![pb::Provision {
                actors: vec![actor_did(&w.hospital.did)],
                actions: vec!["access".into(), "use".into()],
                ..provision("permit")
            }],
        },
    }
}

#[derive(Clone, Debug)]
enum Kind {
    Create(pb::ConsentTerms),
    Update { id: u64, version: u64, terms: pb::ConsentTerms },
    Revoke { id: u64, version: u64 },
}

/// How the actor proof is made.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Proof {
    /// By the signer's key, as itself, for this chain, with its next nonce.
    Own,
    /// By the guardian's key, acting as the patient (a DID it controls): legitimate.
    GuardianAsPatient,
    /// By the signer's key, acting as a DID the signer neither is nor controls.
    AsOther(Who),
    /// For another chain id.
    OtherChain,
}

/// What the model expects of a step.
#[derive(Clone, Debug, PartialEq)]
enum Expected {
    Created { id: u64 },
    Updated { id: u64 },
    Revoked { id: u64 },
    Refused { codespace: &'static str, code: u32, path: &'static str },
}

struct Model {
    patient: Did,
    guardian: Did,
    /// Every version of every consent, as Query/Consent gives it, by id.
    consents: BTreeMap<u64, Vec<pb::Consent>>,
    next_id: u64,
    /// Each DID's next action nonce.
    nonces: BTreeMap<String, u64>,
}

type ProofError = (&'static str, u32, &'static str);

impl Model {
    fn latest(&self, id: u64) -> Option<&pb::Consent> {
        self.consents.get(&id).and_then(|v| v.last())
    }

    fn revoked(&self, id: u64) -> bool {
        self.latest(id).is_some_and(|c| c.terms.as_ref().is_some_and(|t| t.status == "inactive"))
    }

    /// A subject's draft and active consents.
    fn listed(&self, subject: &str) -> usize {
        self.consents
            .values()
            .filter_map(|v| v.last())
            .filter(|c| c.terms.as_ref().is_some_and(|t| t.subject == subject && t.status != "inactive"))
            .count()
    }

    /// What happens to `kind` acting as `acting` (or with the proof refused as `acting` says).
    fn expect(&self, kind: &Kind, acting: Result<&Did, ProofError>) -> Expected {
        let refused = |codespace, code, path| Expected::Refused { codespace, code, path };
        let consent = |e: ConsentError, path| refused("consent", e as u32, path);
        // Checked at decode, before any proof.
        if let Kind::Update { version: 0, .. } | Kind::Revoke { version: 0, .. } = kind {
            return consent(ConsentError::WrongVersion, "version 0");
        }
        let acting = match acting {
            Ok(d) => d,
            Err((codespace, code, path)) => return refused(codespace, code, path),
        };
        match kind {
            Kind::Create(t) => {
                // The subject itself, or a controller of its DID (the guardian, of the patient).
                let may =
                    t.subject == acting.as_str() || (t.subject == self.patient.as_str() && *acting == self.guardian);
                if !may {
                    return consent(ConsentError::NotAGrantor, "create: not a grantor");
                }
                if self.listed(&t.subject) >= 32 {
                    return consent(ConsentError::TooLarge, "create: too many consents");
                }
                Expected::Created { id: self.next_id }
            }
            Kind::Update { id, version, .. } | Kind::Revoke { id, version } => {
                let Some(c) = self.latest(*id) else {
                    return consent(ConsentError::NotFound, "change: no such consent");
                };
                let subject = c.terms.as_ref().map(|t| t.subject.as_str()).unwrap_or_default();
                let subject_revokes = matches!(kind, Kind::Revoke { .. }) && subject == acting.as_str();
                if c.grantor != acting.as_str() && !subject_revokes {
                    return consent(ConsentError::Unauthorized, "change: not the grantor");
                }
                if self.revoked(*id) {
                    return consent(ConsentError::Revoked, "change: revoked");
                }
                if c.version != *version {
                    return consent(ConsentError::WrongVersion, "change: stale version");
                }
                match kind {
                    Kind::Update { .. } => Expected::Updated { id: *id },
                    _ => Expected::Revoked { id: *id },
                }
            }
        }
    }
}

fn signed(w: &World, kind: &Kind, payer: &Key, signer: Who, as_did: &Did, chain_id: &str, nonce: u64) -> Any {
    let actor = w.actor(signer);
    let signer_field = payer.address.to_string();
    match kind.clone() {
        Kind::Create(terms) => {
            let m = pb::MsgCreateConsent { signer: signer_field, actor: None, terms: Some(terms) };
            salus_proto::to_any(&actor.sign_as(as_did, chain_id, nonce, m, |m| &mut m.actor))
        }
        Kind::Update { id, version, terms } => {
            let m = pb::MsgUpdateConsent { signer: signer_field, actor: None, id, version, terms: Some(terms) };
            salus_proto::to_any(&actor.sign_as(as_did, chain_id, nonce, m, |m| &mut m.actor))
        }
        Kind::Revoke { id, version } => {
            let m = pb::MsgRevokeConsent { signer: signer_field, actor: None, id, version };
            salus_proto::to_any(&actor.sign_as(as_did, chain_id, nonce, m, |m| &mut m.actor))
        }
    }
}

fn label(e: &Expected) -> &'static str {
    match e {
        Expected::Created { .. } => "created",
        Expected::Updated { .. } => "updated",
        Expected::Revoked { .. } => "revoked",
        Expected::Refused { path, .. } => path,
    }
}

fn check_outcome(out: &TxOutcome, expected: &Expected, step: &str) {
    match expected {
        Expected::Refused { codespace, code, .. } => {
            assert_eq!(
                (out.codespace, out.code),
                (*codespace, *code),
                "{step}: expected a refusal {expected:?}, got {out:?}"
            )
        }
        _ => assert!(out.is_ok(), "{step}: expected {expected:?}, got {out:?}"),
    }
}

fn run_seed(seed: u64, steps: usize, reached: &mut BTreeMap<&'static str, usize>) {
    let mut w = World::new();
    let mut rng = Rng(seed);
    let payers = [key(1), key(2)];
    let mut model = Model {
        patient: w.patient.did.clone(),
        guardian: w.guardian.did.clone(),
        consents: BTreeMap::new(),
        next_id: 1,
        nonces: BTreeMap::new(),
    };
    for who in EVERYONE {
        let did = &w.actor(who).did;
        model.nonces.insert(did.to_string(), action_nonce(&w.chain, did));
    }
    // Signed messages that succeeded (their nonces are spent), with the index of their payer.
    let mut spent: Vec<(usize, Any)> = Vec::new();

    for step in 0..steps {
        let mut payer_index = rng.below(2);
        let mut signer = rng.pick(&EVERYONE);
        let ids: Vec<u64> = model.consents.keys().copied().collect();
        let kind = match rng.below(3) {
            0 => {
                // Mostly about the patient; else about a random DID (a grantor only for itself).
                let subject =
                    if rng.percent(60) { w.patient.did.clone() } else { w.actor(rng.pick(&EVERYONE)).did.clone() };
                Kind::Create(terms(&w, &subject, rng.below(4)))
            }
            k => {
                let (id, current, subject) = match ids.is_empty() || rng.percent(4) {
                    true => (model.next_id, 1, w.patient.did.clone()),
                    false => {
                        let id = rng.pick(&ids);
                        let c = model.latest(id).unwrap();
                        // Half the time the grantor signs, so that versions and revocations matter.
                        if rng.percent(50) {
                            signer = EVERYONE.into_iter().find(|o| w.actor(*o).did.as_str() == c.grantor).unwrap();
                        }
                        (id, c.version, Did::parse("subject", &c.terms.as_ref().unwrap().subject).unwrap())
                    }
                };
                let version = match rng.below(8) {
                    0 => current.saturating_sub(1),
                    1 => current + 1,
                    _ => current,
                };
                if k == 1 {
                    Kind::Update { id, version, terms: terms(&w, &subject, rng.below(4)) }
                } else {
                    Kind::Revoke { id, version }
                }
            }
        };
        let proof = match rng.below(100) {
            0..=59 => Proof::Own,
            60..=69 => Proof::GuardianAsPatient,
            70..=79 => {
                // A DID the signer neither is nor controls (the guardian controls the patient).
                let others: Vec<Who> = EVERYONE
                    .into_iter()
                    .filter(|o| *o != signer && !(signer == Who::Guardian && *o == Who::Patient))
                    .collect();
                Proof::AsOther(rng.pick(&others))
            }
            80..=89 => Proof::OtherChain,
            _ => Proof::Own,
        };
        let replay = rng.percent(10) && !spent.is_empty();

        let (msg, acting, what) = if replay {
            // The same signed message again, paid by the account it names.
            let (i, msg) = spent[rng.below(spent.len())].clone();
            payer_index = i;
            let e = ("did", DidError::WrongNonce as u32, "did: replayed proof");
            let what = format!("a replay of {msg:?}");
            (msg, Err(e), what)
        } else {
            let (signer, as_did) = match proof {
                Proof::Own | Proof::OtherChain => (signer, w.actor(signer).did.clone()),
                Proof::GuardianAsPatient => (Who::Guardian, w.patient.did.clone()),
                Proof::AsOther(o) => (signer, w.actor(o).did.clone()),
            };
            let nonce = model.nonces[as_did.as_str()];
            let chain_id = if proof == Proof::OtherChain { "salus-other-1" } else { CHAIN_ID };
            let msg = signed(&w, &kind, &payers[payer_index], signer, &as_did, chain_id, nonce);
            let acting = match proof {
                Proof::OtherChain => Err(("did", DidError::InvalidProof as u32, "did: proof for another chain")),
                Proof::AsOther(_) => Err(("did", DidError::Unauthorized as u32, "did: acting as a DID not controlled")),
                _ => Ok(as_did),
            };
            (msg, acting, format!("{kind:?} signed by {signer:?} with {proof:?}"))
        };
        let expected = match (&acting, replay) {
            // A replayed message succeeded once (its version was right then): only its spent
            // nonce refuses it now, whatever it says.
            (Err((codespace, code, path)), true) => Expected::Refused { codespace, code: *code, path },
            _ => model.expect(&kind, acting.as_ref().map_err(|e| *e)),
        };
        let payer = payers[payer_index].clone();
        let out = w.run(&payer, msg.clone());
        let step_name = format!("seed {seed} step {step} (height {}): {what}", w.chain.height);
        check_outcome(&out, &expected, &step_name);
        *reached.entry(label(&expected)).or_default() += 1;
        if proof == Proof::GuardianAsPatient && !replay && !matches!(expected, Expected::Refused { .. }) {
            *reached.entry("guardian acting as the patient: succeeded").or_default() += 1;
        }
        *reached.entry(if payer_index == 0 { "payer 1" } else { "payer 2" }).or_default() += 1;

        // Apply the model.
        let at = |m: &pb::Consent| pb::Consent {
            time: Some(ts(1_800_000_000 + w.chain.height as i64)),
            height: w.chain.height,
            ..m.clone()
        };
        match (&expected, &kind) {
            (Expected::Created { id }, Kind::Create(t)) => {
                let grantor = acting.as_ref().unwrap().to_string();
                if grantor == w.guardian.did.as_str() {
                    *reached.entry("guardian: created").or_default() += 1;
                }
                let c =
                    at(&pb::Consent { id: *id, version: 1, grantor, terms: Some(t.clone()), time: None, height: 0 });
                model.consents.insert(*id, vec![c]);
                model.next_id += 1;
                assert_eq!(event_u64(&out, "consent_created", "id"), *id);
            }
            (Expected::Updated { id }, Kind::Update { terms, .. }) => {
                let versions = model.consents.get_mut(id).unwrap();
                let last = versions.last().unwrap().clone();
                if last.grantor == w.guardian.did.as_str() {
                    *reached.entry("guardian: changed its own consent").or_default() += 1;
                }
                versions.push(at(&pb::Consent { version: last.version + 1, terms: Some(terms.clone()), ..last }));
            }
            (Expected::Revoked { id }, Kind::Revoke { .. }) => {
                let versions = model.consents.get_mut(id).unwrap();
                let last = versions.last().unwrap().clone();
                let by = acting.as_ref().unwrap().to_string();
                if last.grantor == w.guardian.did.as_str() && by == w.guardian.did.as_str() {
                    *reached.entry("guardian: changed its own consent").or_default() += 1;
                }
                if last.grantor == w.guardian.did.as_str() && by == w.patient.did.as_str() {
                    *reached.entry("patient revoked the guardian's consent").or_default() += 1;
                }
                let mut t = last.terms.clone().unwrap();
                t.status = "inactive".into();
                versions.push(at(&pb::Consent { version: last.version + 1, terms: Some(t), ..last }));
            }
            // The guardian controls the patient's DID, yet acting as itself it does not change the
            // patient's consents; nor does the patient change the guardian's.
            (
                Expected::Refused { code, codespace: "consent", .. },
                Kind::Update { id, .. } | Kind::Revoke { id, .. },
            ) if *code == ConsentError::Unauthorized as u32 => {
                let grantor = model.latest(*id).unwrap().grantor.clone();
                let by = acting.as_ref().unwrap().to_string();
                if grantor == w.patient.did.as_str() && by == w.guardian.did.as_str() {
                    *reached.entry("guardian refused on the patient's consent").or_default() += 1;
                }
                if grantor == w.guardian.did.as_str() && by == w.patient.did.as_str() {
                    *reached.entry("patient refused on the guardian's consent").or_default() += 1;
                }
            }
            _ => {}
        }
        if !matches!(expected, Expected::Refused { .. }) {
            let did = acting.as_ref().unwrap().to_string();
            *model.nonces.get_mut(&did).unwrap() += 1;
            spent.push((payer_index, msg));
        }

        // Compare the chain with the model: every consent's latest version and history, every
        // DID's next nonce, and nothing else exists.
        for (id, versions) in &model.consents {
            let latest = versions.last().unwrap();
            assert_eq!(&w.consent(*id), latest, "{step_name}: consent {id}");
            let history = w.history(*id);
            assert_eq!(history.len(), versions.len(), "{step_name}: history of consent {id}");
            assert_eq!(history.last(), Some(latest), "{step_name}: history of consent {id}");
        }
        let missing: Result<pb::QueryConsentResponse, _> =
            w.query(salus_consent::query::CONSENT_PATH, pb::QueryConsentRequest { id: model.next_id, version: 0 });
        assert!(missing.is_err(), "{step_name}: consent {} exists but the model has none", model.next_id);
        for who in EVERYONE {
            let did = &w.actor(who).did;
            assert_eq!(action_nonce(&w.chain, did), model.nonces[did.as_str()], "{step_name}: nonce of {who:?}");
        }
    }
    // At the end, the whole history of every consent is the model's, version by version.
    for (id, versions) in &model.consents {
        assert_eq!(&w.history(*id), versions, "seed {seed}: history of consent {id}");
    }
}

#[test]
fn only_the_grantor_changes_a_consent_and_its_subject_may_revoke_it() {
    let mut reached = BTreeMap::new();
    for seed in [0x9e37_79b9_7f4a_7c15, 0xdead_beef_cafe_f00d, 0x0123_4567_89ab_cdef, 42] {
        run_seed(seed, 250, &mut reached);
    }
    let must = [
        "created",
        "updated",
        "revoked",
        "guardian: created",
        "guardian: changed its own consent",
        "guardian acting as the patient: succeeded",
        "guardian refused on the patient's consent",
        "patient refused on the guardian's consent",
        "patient revoked the guardian's consent",
        "payer 1",
        "payer 2",
        "version 0",
        "did: replayed proof",
        "did: proof for another chain",
        "did: acting as a DID not controlled",
        "create: not a grantor",
        "change: no such consent",
        "change: not the grantor",
        "change: revoked",
        "change: stale version",
    ];
    for path in must {
        assert!(reached.get(path).copied().unwrap_or(0) > 0, "never reached: {path} (reached: {reached:?})");
    }
}
