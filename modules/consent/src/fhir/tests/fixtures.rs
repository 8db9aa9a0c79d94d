//! What the fixtures import as, and their round trips through export.

use prost::Message;
use serde_json::json;

use super::*;
use crate::fhir::codes::COMMITMENT_SYSTEM;
use crate::fhir::{export_consent_r4, export_consent_r5, FhirCoding, FhirVersion, Vocabulary};
use crate::params::Params;
use crate::types::{
    Action, Actor, Coding, Confidentiality, Decision, Period, Provision, Purpose, Scope, Status, Terms,
};

fn commit(system: &str, code: &str) -> salus_records::Commitment {
    key().commit(system, code)
}

#[test]
fn an_r4_opt_in_by_a_guardian_imports_as_a_permit_through_its_last_day() {
    let i = import("opt-in-r4.json");
    assert_eq!(i.version, FhirVersion::R4);
    assert_eq!(i.grantor, did("RelatedPerson/erin"));
    assert_eq!(
        i.terms,
        Terms {
            subject: did("Patient/alice"),
            status: Status::Active,
            scope: Scope::PatientPrivacy,
            decision: Decision::Permit,
            // 2030-12-31 is the last day: the period ends when 2031 starts.
            period: Period { start: Some(at("2024-01-15T00:00:00Z")), end: Some(at("2031-01-01T00:00:00Z")) },
            provisions: vec![],
        }
    );
    assert!(i.vocabulary.is_empty());
}

#[test]
fn an_r5_opt_out_imports_with_a_role_in_an_organization_as_its_exception() {
    let i = import("opt-out-r5.json");
    assert_eq!(i.version, FhirVersion::R5);
    assert_eq!(i.grantor, did("Patient/bob"));
    assert_eq!(i.terms.decision, Decision::Deny);
    assert_eq!(i.terms.period, Period { start: Some(at("2024-03-01T00:00:00Z")), end: None });
    let mut p = Provision::any(Decision::Permit);
    p.actors = vec![Actor {
        role: Some(Coding { system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(), code: "PROV".into() }),
        reference: Some(did("Organization/st-mary")),
    }];
    p.actions = vec![Action::Access];
    p.purposes = vec![Purpose::parse("ETREAT").unwrap()];
    assert_eq!(i.terms.provisions, vec![p]);
}

#[test]
fn research_only_commits_its_classes_and_keeps_purposes_and_actions_in_clear() {
    let i = import("research-only-r4.json");
    assert_eq!(i.terms.scope, Scope::Research);
    assert_eq!(i.terms.decision, Decision::Deny);
    let [p] = i.terms.provisions.as_slice() else { panic!("one exception") };
    assert_eq!(p.decision, Decision::Permit);
    // PRCP (primary recipient) is no role condition: the institute itself.
    assert_eq!(p.actors, vec![Actor { role: None, reference: Some(did("Organization/research-institute")) }]);
    assert_eq!(p.actions, vec![Action::Access, Action::Use]);
    assert_eq!(p.purposes, vec![Purpose::parse("HRESCH").unwrap()]);
    let mut classes = vec![
        commit("http://hl7.org/fhir/resource-types", "Observation"),
        commit("http://hl7.org/fhir/resource-types", "DiagnosticReport"),
    ];
    classes.sort();
    assert_eq!(p.classes, classes);
    assert_eq!(p.period, Period { start: Some(at("2025-02-03T00:00:00Z")), end: Some(at("2027-02-03T00:00:00Z")) });
    assert_eq!(
        p.data_period,
        Period { start: Some(at("2020-01-01T00:00:00Z")), end: Some(at("2025-01-01T00:00:00Z")) }
    );
    let codes: Vec<&str> = i.vocabulary.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, vec!["DiagnosticReport", "Observation"]);
}

#[test]
fn restricted_labels_keep_confidentiality_in_clear_and_commit_sensitivity() {
    let i = import("restricted-labels-r4.json");
    let [p] = i.terms.provisions.as_slice() else { panic!("one exception") };
    assert_eq!(p.decision, Decision::Deny);
    assert_eq!(p.confidentiality, vec![Confidentiality::R]);
    assert_eq!(p.sensitivity, vec![commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV")]);
    assert_eq!(
        i.vocabulary,
        vec![FhirCoding {
            system: "http://terminology.hl7.org/CodeSystem/v3-ActCode".into(),
            code: "HIV".into(),
            display: Some("HIV/AIDS information sensitivity".into()),
        }]
    );
    // Three levels in R5: deny HIV tests, except to Carol for treatment, of record 42.
    let i = import("restricted-labels-r5.json");
    let [deny] = i.terms.provisions.as_slice() else { panic!("one exception") };
    assert_eq!(deny.codes, vec![commit("http://loinc.org", "75622-1")]);
    let [permit] = deny.provisions.as_slice() else { panic!("one exception to the exception") };
    assert_eq!(permit.decision, Decision::Permit);
    assert_eq!(permit.records, vec![42]);
    assert_eq!(permit.actors, vec![Actor { role: None, reference: Some(did("Practitioner/carol")) }]);
}

#[test]
fn no_code_that_may_reveal_a_condition_reaches_the_chain() {
    for name in ACTIVE_FIXTURES {
        let bytes = import(name).terms.to_proto().encode_to_vec();
        for code in [&b"75622-1"[..], b"Observation", b"DiagnosticReport", b"HIV/AIDS", b"substance", b"alice"] {
            assert!(
                !bytes.windows(code.len()).any(|w| w == code),
                "{name} carries {:?}",
                String::from_utf8_lossy(code)
            );
        }
    }
}

#[test]
fn every_fixture_passes_the_chains_own_checks() {
    for name in ACTIVE_FIXTURES {
        let i = import(name);
        crate::validate::validate_terms(&i.terms, &Params::default()).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        // And through the protobuf path a MsgCreateConsent takes.
        let back = crate::validate::terms_from_proto(&i.terms.to_proto(), &Params::default()).unwrap();
        assert_eq!(back, i.terms, "{name}");
    }
}

/// export then import gives back the same terms and grantor, in both versions, with or
/// without a vocabulary, and needs no map file.
#[test]
fn export_then_import_gives_back_the_same_consent() {
    let none = RefMap::empty("(no map)");
    for (n, name) in ACTIVE_FIXTURES.iter().enumerate() {
        let c = on_chain(name, n as u64 + 1);
        let full = Vocabulary::new(&key(), &import(name).vocabulary);
        for vocab in [&full, &Vocabulary::none()] {
            for (version, exported) in [
                (FhirVersion::R4, export_consent_r4(&c, vocab).unwrap()),
                (FhirVersion::R5, export_consent_r5(&c, vocab).unwrap()),
            ] {
                let back =
                    import_consent(&exported, &none, &key()).unwrap_or_else(|e| panic!("{name} {version:?}: {e}"));
                assert_eq!(back.version, version);
                assert_eq!(back.terms, c.terms, "{name} {version:?}");
                assert_eq!(back.grantor, c.grantor, "{name} {version:?}");
                // The re-import of an export is stable: exporting it again prints the same.
                let again = Consent { terms: back.terms, grantor: back.grantor, ..c.clone() };
                let twice = match version {
                    FhirVersion::R4 => export_consent_r4(&again, vocab).unwrap(),
                    FhirVersion::R5 => export_consent_r5(&again, vocab).unwrap(),
                };
                assert_eq!(twice, exported, "{name} {version:?}");
            }
        }
    }
}

#[test]
fn a_vocabulary_prints_codings_and_without_one_commitments_print_as_they_are() {
    let c = on_chain("restricted-labels-r4.json", 3);
    let i = import("restricted-labels-r4.json");
    let with = export_consent_r5(&c, &Vocabulary::new(&key(), &i.vocabulary)).unwrap();
    assert_eq!(
        with["provision"][0]["securityLabel"],
        json!([
            { "system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R" },
            { "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV", "display": "HIV/AIDS information sensitivity" },
        ])
    );
    let without = export_consent_r5(&c, &Vocabulary::none()).unwrap();
    let hiv = commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV").to_hex();
    assert_eq!(without["provision"][0]["securityLabel"][1], json!({ "system": COMMITMENT_SYSTEM, "code": hiv }));
    // A vocabulary under another key matches nothing.
    let other = Vocabulary::new(&salus_records::CommitmentKey([9; 32]), &i.vocabulary);
    assert_eq!(export_consent_r5(&c, &other).unwrap(), without);
}

#[test]
fn exports_carry_the_shape_each_version_has() {
    let c = on_chain("research-only-r5.json", 4);
    let vocab = Vocabulary::new(&key(), &import("research-only-r5.json").vocabulary);
    let r4 = export_consent_r4(&c, &vocab).unwrap();
    assert_eq!(r4["policyRule"]["coding"][0]["code"], "OPTOUTE");
    assert_eq!(r4["provision"]["type"], "deny");
    assert_eq!(r4["provision"]["provision"][0]["type"], "permit");
    assert_eq!(r4["provision"]["provision"][0]["provision"][0]["type"], "deny");
    // R4 needs a role for every actor: the recipient participation.
    assert_eq!(r4["provision"]["provision"][0]["actor"][0]["role"]["coding"][0]["code"], "IRCP");
    assert_eq!(r4["patient"]["identifier"]["value"], did("Patient/bob").as_str());
    assert_eq!(r4["dateTime"], "2025-06-01T00:00:00Z");
    // Resource types go to R5's provision.resourceType, and R4's class.
    let r5 = export_consent_r5(&c, &vocab).unwrap();
    assert_eq!(r5["provision"][1]["resourceType"][0]["code"], "Observation");
    assert_eq!(r4["provision"]["provision"][1]["class"][0]["code"], "Observation");
    assert_eq!(r5["date"], "2025-06-01");
    assert_eq!(r5["decision"], "deny");
    assert!(r5["provision"][0].get("type").is_none());
}

#[test]
fn a_role_without_a_did_exports_as_r5_only() {
    let mut c = on_chain("denied-practitioner-r5.json", 5);
    c.terms.provisions[0].actors = vec![Actor {
        role: Some(Coding { system: "http://example.org/roles".into(), code: "nurse".into() }),
        reference: None,
    }];
    let e = export_consent_r4(&c, &Vocabulary::none()).unwrap_err();
    assert_eq!(e.path, "Consent.provision.provision[0].actor[0].reference");
    assert!(e.message.contains("--r5"), "{e}");
    let r5 = export_consent_r5(&c, &Vocabulary::none()).unwrap();
    let back = import_consent(&r5, &RefMap::empty("x"), &key()).unwrap();
    assert_eq!(back.terms, c.terms);
}

#[test]
fn an_r4_fixture_exported_as_r5_means_the_same() {
    for name in ACTIVE_FIXTURES.iter().filter(|n| n.ends_with("-r4.json")) {
        let c = on_chain(name, 7);
        let r5 = export_consent_r5(&c, &Vocabulary::none()).unwrap();
        let back = import_consent(&r5, &RefMap::empty("x"), &key()).unwrap();
        assert_eq!(back.terms, import(name).terms, "{name}");
    }
}
