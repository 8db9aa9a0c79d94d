//! After a scenario with sensitive records (an HIV test, LOINC 75622-1, labelled HIV; a psychiatric
//! note labelled PSY), consents whose data classes, codes and sensitivity labels are committed,
//! role grants, permitted and denied accesses and Decide queries, no key or value of the store
//! and no attribute of any event holds any of those codes or their code systems, and the
//! audit log and the access events name the patient only by its pseudonym. The scan is shown to
//! work: it finds what is stored in clear (a record's locator until the record is erased, the
//! roles, the patient's DID in the records' state).

mod support;

use salus_consent::audit::pseudonym;
use salus_proto::salus::consent::v1 as pb;
use salus_testkit::DidActor;
use support::*;

const SNOMED: &str = "http://snomed.info/sct";
/// SNOMED CT "Human immunodeficiency virus infection".
const HIV_INFECTION: &str = "86406008";
const PSY_NOTE: &str = "11488-4"; // LOINC Consult note
const LOCATOR: &str = "vault://hospital/objects/erase-me-7c1d";

/// Every key and value of the store, main tree and ibc substore.
fn store(w: &World) -> Vec<(Vec<u8>, Vec<u8>)> {
    let snap = w.chain.snapshot();
    let mut all = snap.prefix(b"").unwrap();
    all.extend(snap.prefix(b"ibc/").unwrap());
    assert!(all.len() > 50, "a scan of {} entries reads nothing", all.len());
    all
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The store entries (key or value) that hold `needle`, keys shown lossily.
fn in_store(all: &[(Vec<u8>, Vec<u8>)], needle: &str) -> Vec<String> {
    all.iter()
        .filter(|(k, v)| contains(k, needle) || contains(v, needle))
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect()
}

/// The events (kind.attribute) whose attribute key or value holds `needle`.
fn in_events(w: &World, needle: &str) -> Vec<String> {
    w.seen
        .iter()
        .flat_map(|e| e.attributes.iter().map(move |(k, v)| (e, k, v)))
        .filter(|(e, k, v)| k.contains(needle) || v.contains(needle) || e.kind.contains(needle))
        .map(|(e, k, v)| format!("{}.{k}={v}", e.kind))
        .collect()
}

fn decide(w: &World, requester: &DidActor, record: u64, purpose: &str) -> pb::QueryDecideResponse {
    w.decide(pb::QueryDecideRequest {
        requester: requester.did.to_string(),
        record,
        action: "access".into(),
        purpose: purpose.into(),
        ..Default::default()
    })
}

#[test]
fn no_plaintext_reaches_the_store_or_the_events() {
    let mut w = World::new();
    let hiv = (ACT_CODE, "HIV");
    let psy = (ACT_CODE, "PSY");
    let hiv_test = w.anchor((LOINC, HIV_TEST), &["R"], &[hiv]);
    let psy_note = w.anchor((LOINC, PSY_NOTE), &["R"], &[psy]);
    let mut content = w.content((LOINC, HIV_TEST), &["N"], &[hiv]);
    content.locator = LOCATOR.into();
    let erased = w.anchor_content(content);

    // The hospital gives the clinic a provider role.
    assert!(w.grant_role(Who::Hospital, &w.clinic.did.clone(), role("PROV"), None).is_ok());

    // Treatment by the hospital's providers, except HIV-labelled data; research by the stranger
    // on HIV test results (class) coded as HIV infection, for consent 2.
    let commit = |w: &World, (s, c): (&str, &str)| w.key.commit(s, c).0.to_vec();
    let treatment = pb::ConsentTerms {
        subject: w.patient.did.to_string(),
        status: "active".into(),
        scope: "treatment".into(),
        decision: "deny".into(),
        period: None,
        provisions: vec![pb::Provision {
            actors: vec![pb::Actor { role: Some(role("PROV")), reference: w.hospital.did.to_string() }],
            purposes: vec!["TREAT".into(), "ETREAT".into()],
            provisions: vec![pb::Provision {
                sensitivity_commitments: vec![commit(&w, hiv)],
                purposes: vec!["TREAT".into()],
                ..provision("deny")
            }],
            ..provision("permit")
        }],
    };
    let research = pb::ConsentTerms {
        subject: w.patient.did.to_string(),
        status: "active".into(),
        scope: "research".into(),
        decision: "permit".into(),
        period: None,
        provisions: vec![pb::Provision {
            class_commitments: vec![commit(&w, (LOINC, HIV_TEST))],
            code_commitments: vec![commit(&w, (SNOMED, HIV_INFECTION))],
            sensitivity_commitments: vec![commit(&w, psy)],
            purposes: vec!["HRESCH".into()],
            provisions: vec![pb::Provision { actors: vec![actor_did(&w.stranger.did)], ..provision("permit") }],
            ..provision("deny")
        }],
    };
    assert!(w.create_consent(Who::Patient, treatment).is_ok());
    assert!(w.create_consent(Who::Guardian, research).is_ok());

    let outcome = |w: &mut World, who, record, purpose| {
        let out = w.access(who, record, "access", purpose);
        assert!(out.is_ok(), "{out:?}");
        event(&out, "access_decided", "outcome").to_string()
    };
    assert_eq!(outcome(&mut w, Who::Clinic, psy_note, "TREAT"), "permit");
    assert_eq!(outcome(&mut w, Who::Clinic, hiv_test, "TREAT"), "deny", "HIV-labelled data");
    assert_eq!(outcome(&mut w, Who::Clinic, hiv_test, "ETREAT"), "permit", "an emergency");
    assert_eq!(outcome(&mut w, Who::Stranger, hiv_test, "HRESCH"), "deny", "consent 1 denies all but treatment");
    assert_eq!(outcome(&mut w, Who::Stranger, psy_note, "TREAT"), "deny");
    assert_eq!(decide(&w, &w.clinic, psy_note, "TREAT").decision, "permit");
    assert_eq!(decide(&w, &w.clinic, hiv_test, "TREAT").provision_path, vec![0, 0]);
    // A data class asked with its sensitivity unknown: a permit that redacts HIV.
    let d = w.decide(pb::QueryDecideRequest {
        requester: w.clinic.did.to_string(),
        subject: w.patient.did.to_string(),
        class_commitment: commit(&w, (LOINC, HIV_TEST)),
        action: "access".into(),
        purpose: "TREAT".into(),
        ..Default::default()
    });
    assert_eq!(d.decision, "permit");
    assert_eq!(d.obligations.len(), 1);
    assert_eq!(d.obligations[0].sensitivity_commitments, vec![commit(&w, hiv)]);

    // The scan works: the erased record's locator is in the store now; the role is in clear.
    let before = store(&w);
    assert!(!in_store(&before, LOCATOR).is_empty(), "the scan finds a locator that is stored");
    assert!(w.erase(erased).is_ok());
    assert!(outcome(&mut w, Who::Clinic, psy_note, "ETREAT") == "permit");

    let all = store(&w);
    assert!(in_store(&all, LOCATOR).is_empty(), "an erased record's locator stays: {:?}", in_store(&all, LOCATOR));
    assert!(!in_store(&all, ROLE_CODE).is_empty() && !in_store(&all, "PROV").is_empty());
    assert!(!in_events(&w, "PROV").is_empty() && !in_events(&w, ROLE_CODE).is_empty());
    assert!(!in_store(&all, w.patient.did.as_str()).is_empty());
    // What is stored instead of the codes: their commitments (records' labels, consents' terms).
    for code in [hiv, psy, (LOINC, HIV_TEST), (SNOMED, HIV_INFECTION)] {
        let c = commit(&w, code);
        assert!(all.iter().any(|(_, v)| v.windows(32).any(|x| x == c.as_slice())), "no commitment of {code:?}");
    }
    assert!(!in_events(&w, "permit").is_empty() && !in_events(&w, "deny").is_empty());

    // No code and no code system of a committed code, anywhere. Short codes (HIV, PSY) could be
    // found in binary values by chance: they are checked in the events only.
    let long = [HIV_TEST, LOINC, ACT_CODE, SNOMED, HIV_INFECTION, PSY_NOTE, "v3-ActCode", "loinc", "snomed"];
    for needle in long {
        assert!(in_store(&all, needle).is_empty(), "{needle} in the store: {:?}", in_store(&all, needle));
    }
    let systems_and_codes = [format!("{ACT_CODE}|HIV"), format!("{ACT_CODE}|PSY"), format!("{LOINC}|{HIV_TEST}")];
    for needle in long.iter().map(|s| s.to_string()).chain(systems_and_codes).chain(["HIV".into(), "PSY".into()]) {
        assert!(in_events(&w, &needle).is_empty(), "{needle} in events: {:?}", in_events(&w, &needle));
    }

    // The audit log and the access events name the subject by its pseudonym only.
    let patient = w.patient.did.to_string();
    let alias = hex::encode(pseudonym(&w.patient.did));
    let decided: Vec<&salus_sdk::Event> = w.seen.iter().filter(|e| e.kind == "access_decided").collect();
    assert_eq!(decided.len(), 6);
    for e in &decided {
        assert_eq!(e.get("subject"), Some(alias.as_str()));
        assert!(e.attributes.iter().all(|(_, v)| !v.contains(&patient)), "the patient's DID in {e:?}");
    }
    let log = w.audit_of_patient();
    assert_eq!(log.len(), 6);
    for e in &log {
        assert_eq!(e.subject, alias);
        assert!(![&e.requester, &e.custodian].contains(&&patient));
    }
    // In the store: the log, its indexes, the disclosure index and the grants never hold the DID.
    let audit_prefixes: [&[u8]; 5] = [
        salus_consent::keys::AUDIT_PREFIX,
        salus_consent::keys::AUDIT_BY_SUBJECT_PREFIX,
        salus_consent::keys::AUDIT_BY_REQUESTER_PREFIX,
        salus_consent::keys::DISCLOSURE_PREFIX,
        salus_consent::keys::GRANT_PREFIX,
    ];
    let mut audit_entries = 0;
    for (k, v) in &all {
        if audit_prefixes.iter().any(|p| k.starts_with(p)) {
            audit_entries += 1;
            assert!(
                !contains(k, &patient) && !contains(v, &patient),
                "the patient's DID at {}",
                String::from_utf8_lossy(k)
            );
        }
    }
    assert!(audit_entries >= 6 * 3, "{audit_entries} audit entries");
    // ...where the pseudonym is.
    let raw = pseudonym(&w.patient.did);
    assert!(all
        .iter()
        .any(|(k, _)| k.starts_with(salus_consent::keys::AUDIT_BY_SUBJECT_PREFIX) && k.windows(16).any(|x| x == raw)));
}
