//! Security labels a record bears in clear: HL7 v3 Confidentiality codes only. Sensitivity labels
//! (what a record is about: HIV, PSY, ETH ...) are kept as commitments, as categories are.

use borsh::{BorshDeserialize, BorshSerialize};

/// HL7 v3 Confidentiality (http://terminology.hl7.org/CodeSystem/v3-Confidentiality), the only
/// security labels kept in clear: they say how sensitive, never what about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub enum Confidentiality {
    U,
    L,
    M,
    N,
    R,
    V,
}

impl Confidentiality {
    pub const ALL: [Confidentiality; 6] = [
        Confidentiality::U,
        Confidentiality::L,
        Confidentiality::M,
        Confidentiality::N,
        Confidentiality::R,
        Confidentiality::V,
    ];

    pub fn parse(code: &str) -> Option<Confidentiality> {
        Self::ALL.into_iter().find(|c| c.name() == code)
    }

    pub fn name(self) -> &'static str {
        match self {
            Confidentiality::U => "U",
            Confidentiality::L => "L",
            Confidentiality::M => "M",
            Confidentiality::N => "N",
            Confidentiality::R => "R",
            Confidentiality::V => "V",
        }
    }
}

/// http://terminology.hl7.org/CodeSystem/v3-Confidentiality
pub const CONFIDENTIALITY_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-Confidentiality";
