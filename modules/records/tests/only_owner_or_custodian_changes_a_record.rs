//! The property: a record changes only by a message its owner or its custodian acts. Seeded,
//! deterministic random sequences (xorshift) of anchors, supersedes, erases, forged proofs and
//! DID deactivations, by random actors on random records, run against a model. Every message's
//! outcome (success, or its exact code) is the model's prediction, and after every message every
//! record in state, with all its versions, equals the model's: nothing else ever changes one.

mod support;

use std::collections::BTreeMap;

use salus_did::{Did, DidError};
use salus_records::{Genesis, Params, RecordRead, RecordsError, Status};
use salus_sdk::Error;
use support::*;

struct XorShift(u64);

impl XorShift {
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
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What the model knows of a record.
#[derive(Clone, Debug)]
struct Model {
    owner: usize,
    custodian: usize,
    erased: bool,
    /// The content number of each version.
    versions: Vec<u64>,
}

const PEOPLE: usize = 6;
const MAX_VERSIONS: u32 = 4;

type Code = Option<(&'static str, u32)>;

fn records(e: RecordsError) -> Code {
    Some(("records", e as u32))
}

fn did(e: DidError) -> Code {
    Some(("did", e as u32))
}

fn outcome(r: Result<Vec<salus_sdk::Event>, Error>) -> Code {
    r.err().map(|e| (e.codespace, e.code))
}

fn run_seed(seed: u64, steps: usize) -> BTreeMap<String, usize> {
    let mut rng = XorShift(seed);
    let params = Params { max_versions: MAX_VERSIONS, ..Params::default() };
    let mut chain = Chain::new(&Genesis { params, ..Genesis::default() });
    let people: Vec<Person> = (1..=PEOPLE as u8).map(Person::new).collect();
    let dids: Vec<Did> = people.iter().map(|p| chain.did(p)).collect();
    let mut active = [true; PEOPLE];
    let mut model: BTreeMap<u64, Model> = BTreeMap::new();
    let mut next_id = 1u64;
    let mut n = 0u64;
    let mut tally: BTreeMap<String, usize> = BTreeMap::new();

    for step in 0..steps {
        n += 1;
        // A record id: mostly an existing one, sometimes one that does not exist.
        let id = if model.is_empty() || rng.chance(10) {
            next_id + rng.below(3) as u64
        } else {
            *model.keys().nth(rng.below(model.len())).unwrap()
        };
        // The actor: anyone, or half the time one of the record's parties.
        let actor = match model.get(&id) {
            Some(m) if rng.chance(50) => {
                if rng.chance(50) {
                    m.owner
                } else {
                    m.custodian
                }
            }
            _ => rng.below(PEOPLE),
        };
        let party = |id: u64, who: usize| model.get(&id).is_some_and(|m| m.owner == who || m.custodian == who);
        let (what, expected, result) = match rng.below(100) {
            // Anchor, by a random actor, for a random owner and custodian (often the actor).
            0..=24 => {
                let owner = if rng.chance(50) { actor } else { rng.below(PEOPLE) };
                let custodian = if rng.chance(50) { actor } else { rng.below(PEOPLE) };
                let expected = if actor != owner && actor != custodian {
                    records(RecordsError::Unauthorized)
                } else if !active[actor] || !active[owner] || !active[custodian] {
                    did(DidError::Deactivated)
                } else {
                    None
                };
                let msg = anchor(payer(), &dids[owner], &dids[custodian], content(n, &[(LOINC, "x")], &[], &["N"]));
                let result = outcome(chain.act(&people[actor], msg));
                if result.is_none() {
                    model.insert(next_id, Model { owner, custodian, erased: false, versions: vec![n] });
                    next_id += 1;
                }
                ("anchor", expected, result)
            }
            // Supersede, of the version the actor believes current (sometimes a stale one).
            25..=59 => {
                let current = model.get(&id).map_or(1, |m| m.versions.len() as u64);
                let version = if rng.chance(10) { current + 1 } else { current };
                let m = model.get(&id);
                let expected = if !active[actor] {
                    did(DidError::Deactivated)
                } else if m.is_none() {
                    records(RecordsError::NotFound)
                } else if !party(id, actor) {
                    records(RecordsError::Unauthorized)
                } else if m.is_some_and(|m| m.erased) {
                    records(RecordsError::Erased)
                } else if version != current {
                    records(RecordsError::WrongVersion)
                } else if current >= u64::from(MAX_VERSIONS) {
                    records(RecordsError::TooManyVersions)
                } else {
                    None
                };
                let result =
                    outcome(chain.act(&people[actor], supersede(payer(), id, version, content(n, &[], &[], &[]))));
                if result.is_none() {
                    model.get_mut(&id).unwrap().versions.push(n);
                }
                ("supersede", expected, result)
            }
            // Erase.
            60..=74 => {
                let m = model.get(&id);
                let expected = if !active[actor] {
                    did(DidError::Deactivated)
                } else if m.is_none() {
                    records(RecordsError::NotFound)
                } else if !party(id, actor) {
                    records(RecordsError::Unauthorized)
                } else if m.is_some_and(|m| m.erased) {
                    records(RecordsError::Erased)
                } else {
                    None
                };
                let result = outcome(chain.act(&people[actor], erase(payer(), id)));
                if result.is_none() {
                    model.get_mut(&id).unwrap().erased = true;
                }
                ("erase", expected, result)
            }
            // A forgery: the actor claims to be one of the record's parties, signing with its own key.
            75..=96 => {
                let Some(m) = model.get(&id).cloned() else { continue };
                let claimed = if rng.chance(50) { m.owner } else { m.custodian };
                if claimed == actor {
                    continue;
                }
                let nonce = chain.nonce(&dids[claimed]);
                let unsigned = if rng.chance(50) {
                    erase(payer(), id)
                } else {
                    supersede(payer(), id, m.versions.len() as u64, content(n, &[], &[], &[]))
                };
                let any = unsigned.sign(CHAIN, &dids[claimed], &people[actor], nonce);
                let expected = if !active[claimed] { did(DidError::Deactivated) } else { did(DidError::InvalidProof) };
                ("forgery", expected, outcome(chain.run(&any)))
            }
            // A DID is deactivated for good.
            _ => {
                if !active[actor] || active.iter().filter(|a| **a).count() <= 4 || rng.chance(50) {
                    continue;
                }
                chain.run(&people[actor].deactivate_did(CHAIN, payer(), 1).to_any()).unwrap();
                active[actor] = false;
                ("deactivate", None, None)
            }
        };
        assert_eq!(result, expected, "seed {seed}, step {step}: {what} by person {actor} of record {id}");
        let key = match result {
            None => what.to_string(),
            Some((space, code)) => format!("{space} {code}"),
        };
        *tally.entry(key).or_default() += 1;

        // State is the model: nothing else changed a record.
        let snap = chain.snap();
        assert_eq!(snap.next_record_id().unwrap(), next_id);
        for (id, m) in &model {
            let r = snap.record(*id).unwrap().expect("the record exists");
            assert_eq!((&r.owner, &r.custodian), (&dids[m.owner], &dids[m.custodian]), "record {id}");
            assert_eq!(r.status, if m.erased { Status::Erased } else { Status::Active }, "record {id}");
            assert_eq!(r.version, m.versions.len() as u64, "record {id}");
            let versions = snap.record_versions(*id).unwrap();
            assert_eq!(versions.len(), m.versions.len(), "record {id}");
            for (v, n) in versions.iter().zip(&m.versions) {
                let expected = content(*n, &[], &[], &[]);
                assert_eq!(v.content_hash, expected.content_hash, "record {id} version {}", v.version);
                if m.erased {
                    assert_eq!((&v.locator, &v.encryption), (&None, &None), "record {id}");
                } else {
                    assert_eq!(v.locator.as_deref(), Some(locator(*n).as_str()), "record {id}");
                }
            }
        }
        assert!(snap.record(next_id).unwrap().is_none());
    }
    tally
}

#[test]
fn only_the_owner_or_the_custodian_ever_changes_a_record() {
    let mut total: BTreeMap<String, usize> = BTreeMap::new();
    for seed in [1, 0x5a1u64, 0xdead_beef, 42_4242, 7_777_777] {
        for (k, v) in run_seed(seed, 400) {
            *total.entry(k).or_default() += v;
        }
    }
    // The sequences took every path: each success, and each refusal the model predicts.
    let r = |e: RecordsError| format!("records {}", e as u32);
    let d = |e: DidError| format!("did {}", e as u32);
    let paths = [
        "anchor".to_string(),
        "supersede".into(),
        "erase".into(),
        "deactivate".into(),
        r(RecordsError::Unauthorized),
        r(RecordsError::NotFound),
        r(RecordsError::Erased),
        r(RecordsError::WrongVersion),
        r(RecordsError::TooManyVersions),
        d(DidError::Deactivated),
        d(DidError::InvalidProof),
    ];
    for what in paths {
        assert!(total.get(&what).copied().unwrap_or(0) >= 3, "{what}: {total:?}");
    }
}
