//! The size of a consent's terms, read off the protobuf wire bytes before prost decodes them.
//!
//! A provision is two bytes on the wire and a few hundred in memory, and messages are decoded
//! before any gas is charged: a 1 MiB MsgCreateConsent of empty provisions would cost the node
//! about 170 MB and a third of a second for nothing (then `salus_did::Acting::of` clones it and
//! encodes it again). So the two messages that carry terms (MsgCreateConsent, MsgUpdateConsent) are
//! first walked here, without allocating, and refused with [`ConsentError::TooLarge`] as soon as
//! they pass a bound that `validate_basic` would refuse them for anyway: more than
//! `Params::CEILING.max_provisions` provisions in all levels together, provisions nested deeper
//! than `max_depth`, or more than `max_list_len` entries in one list (the terms' provisions, or a
//! provision's actors, actions, purposes, confidentiality, sensitivity, class and code
//! commitments, records or provisions), or more than `Params::MAX_ENTRIES` entries in all the
//! lists but provisions together.
//!
//! The walk counts what prost would build: every occurrence of a repeated field is one entry
//! (`records` may come packed, each varint an entry, or not, or both); occurrences of `terms`
//! merge, so their provisions add up. It follows prost 0.13's grammar (varints of at most 10
//! bytes, keys within u32, field 0 and wire types 6 and 7 refused, groups skipped to their
//! matching end, nested groups at most prost's recursion limit), and what it cannot follow is
//! refused with the code decode_any gives (sdk TxDecode). It only reads what prost also reads, so
//! it refuses no message prost would decode but for one that is too large; it never stops early
//! with Ok, so what it lets through is within the ceilings.

use salus_proto::Any;
use salus_sdk::{Error, SdkCode};

use crate::error::ConsentError;
use crate::params::Params;

/// The field number of `terms` in MsgCreateConsent (proto/salus/consent/v1/tx.proto).
pub const CREATE_TERMS: u32 = 3;
/// The field number of `terms` in MsgUpdateConsent.
pub const UPDATE_TERMS: u32 = 5;
/// ConsentTerms.provisions.
const TERMS_PROVISIONS: u32 = 6;
/// Provision.records, a repeated uint64 (packed by default).
const RECORDS: u32 = 11;
/// Provision.provisions.
const PROVISIONS: u32 = 12;

const MAX_PROVISIONS: u32 = Params::CEILING.max_provisions;
const MAX_DEPTH: usize = Params::CEILING.max_depth as usize;
const MAX_LIST_LEN: u32 = Params::CEILING.max_list_len;
const MAX_ENTRIES: u32 = Params::MAX_ENTRIES;
/// prost's recursion limit: groups nested this deep never decode.
const MAX_GROUP_NESTING: u32 = 100;

const VARINT: u8 = 0;
const FIXED64: u8 = 1;
const LEN: u8 = 2;
const START_GROUP: u8 = 3;
const END_GROUP: u8 = 4;
const FIXED32: u8 = 5;

/// Refuses `any` (a MsgCreateConsent or MsgUpdateConsent, its `terms` at field `terms_field`) if
/// its terms exceed the params' ceilings, before anything is decoded.
pub fn check(any: &Any, terms_field: u32) -> Result<(), Error> {
    Walk::default().message(any.value.as_slice(), terms_field).map_err(|stop| match stop {
        Stop::TooLarge(message) => ConsentError::TooLarge.with(message),
        Stop::Malformed(why) => Error::sdk(SdkCode::TxDecode, format!("{} does not decode: {why}", any.type_url)),
    })
}

#[derive(Debug)]
enum Stop {
    TooLarge(String),
    Malformed(&'static str),
}

/// A cursor over one message's bytes (a length-delimited field is read as a message of its own).
struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn done(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// As prost: at most 10 bytes, the tenth at most 1.
    fn varint(&mut self) -> Result<u64, Stop> {
        let mut value = 0u64;
        for i in 0..10 {
            let byte = *self.buf.get(self.pos).ok_or(Stop::Malformed("invalid varint"))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << (7 * i);
            if byte < 0x80 {
                if i == 9 && byte > 1 {
                    return Err(Stop::Malformed("invalid varint"));
                }
                return Ok(value);
            }
        }
        Err(Stop::Malformed("invalid varint"))
    }

    fn key(&mut self) -> Result<(u32, u8), Stop> {
        let key = self.varint()?;
        let key = u32::try_from(key).map_err(|_| Stop::Malformed("invalid key value"))?;
        let wire = (key & 7) as u8;
        if wire > FIXED32 {
            return Err(Stop::Malformed("invalid wire type"));
        }
        if key >> 3 == 0 {
            return Err(Stop::Malformed("invalid tag value: 0"));
        }
        Ok((key >> 3, wire))
    }

    fn advance(&mut self, n: u64) -> Result<&'a [u8], Stop> {
        let end = usize::try_from(n).ok().and_then(|n| self.pos.checked_add(n));
        let bytes = end.and_then(|end| self.buf.get(self.pos..end)).ok_or(Stop::Malformed("buffer underflow"))?;
        self.pos += bytes.len();
        Ok(bytes)
    }

    /// A length-delimited field's bytes.
    fn bytes(&mut self) -> Result<&'a [u8], Stop> {
        let len = self.varint()?;
        self.advance(len)
    }

    /// Skips a field as prost skips a field it does not know; `nesting`: the groups around it.
    fn skip(&mut self, wire: u8, tag: u32, nesting: u32) -> Result<(), Stop> {
        match wire {
            VARINT => self.varint().map(|_| ()),
            FIXED64 => self.advance(8).map(|_| ()),
            LEN => self.bytes().map(|_| ()),
            FIXED32 => self.advance(4).map(|_| ()),
            START_GROUP => {
                if nesting >= MAX_GROUP_NESTING {
                    return Err(Stop::Malformed("recursion limit reached"));
                }
                loop {
                    let (inner, inner_wire) = self.key()?;
                    if inner_wire == END_GROUP {
                        return if inner == tag { Ok(()) } else { Err(Stop::Malformed("unexpected end group tag")) };
                    }
                    self.skip(inner_wire, inner, nesting + 1)?;
                }
            }
            _ => Err(Stop::Malformed("unexpected end group tag")),
        }
    }
}

/// What one scan has counted so far.
#[derive(Default)]
struct Walk {
    /// Provisions, all levels together.
    total: u32,
    /// Entries of terms.provisions, over every occurrence of `terms` (prost merges them).
    top: u32,
    /// Entries of every list but provisions, all provisions together.
    entries: u32,
    /// The index of the provision being read at each level, for the error's field name.
    path: [u32; MAX_DEPTH],
}

impl Walk {
    fn message(&mut self, body: &[u8], terms_field: u32) -> Result<(), Stop> {
        let mut r = Reader::new(body);
        while !r.done() {
            match r.key()? {
                (tag, LEN) if tag == terms_field => self.terms(r.bytes()?)?,
                (tag, _) if tag == terms_field => return Err(Stop::Malformed("terms: invalid wire type")),
                (tag, wire) => r.skip(wire, tag, 0)?,
            }
        }
        Ok(())
    }

    fn terms(&mut self, body: &[u8]) -> Result<(), Stop> {
        let mut r = Reader::new(body);
        while !r.done() {
            match r.key()? {
                (TERMS_PROVISIONS, LEN) => {
                    let provision = r.bytes()?;
                    let index = self.top;
                    self.top += 1;
                    if self.top > MAX_LIST_LEN {
                        return Err(too_many_entries("terms.provisions".into()));
                    }
                    self.count()?;
                    self.path[0] = index;
                    self.provision(provision, 1)?;
                }
                (TERMS_PROVISIONS, _) => return Err(Stop::Malformed("terms.provisions: invalid wire type")),
                (tag, wire) => r.skip(wire, tag, 0)?,
            }
        }
        Ok(())
    }

    /// One provision `depth` deep (top-level provisions are 1 deep), its index in `path`.
    fn provision(&mut self, body: &[u8], depth: usize) -> Result<(), Stop> {
        // Entries of each repeated field, by field number.
        let mut lists = [0u32; PROVISIONS as usize + 1];
        let mut r = Reader::new(body);
        while !r.done() {
            match r.key()? {
                (tag @ 3..=9, LEN) => {
                    r.bytes()?;
                    self.entry(&mut lists, tag, depth)?;
                }
                (RECORDS, VARINT) => {
                    r.varint()?;
                    self.entry(&mut lists, RECORDS, depth)?;
                }
                (RECORDS, LEN) => {
                    let mut packed = Reader::new(r.bytes()?);
                    while !packed.done() {
                        packed.varint()?;
                        self.entry(&mut lists, RECORDS, depth)?;
                    }
                }
                (PROVISIONS, LEN) => {
                    let child = r.bytes()?;
                    if depth >= MAX_DEPTH {
                        return Err(Stop::TooLarge(format!(
                            "{}.provisions: provisions nest at most {MAX_DEPTH} deep (the max_depth ceiling), these would \
                             be {} deep",
                            self.field(depth),
                            depth + 1
                        )));
                    }
                    let index = lists[PROVISIONS as usize];
                    self.entry(&mut lists, PROVISIONS, depth)?;
                    self.count()?;
                    self.path[depth] = index;
                    self.provision(child, depth + 1)?;
                }
                (3..=9 | RECORDS | PROVISIONS, _) => return Err(Stop::Malformed("provision: invalid wire type")),
                (tag, wire) => r.skip(wire, tag, 0)?,
            }
        }
        Ok(())
    }

    /// One more provision in all.
    fn count(&mut self) -> Result<(), Stop> {
        self.total += 1;
        if self.total > MAX_PROVISIONS {
            return Err(Stop::TooLarge(format!(
                "terms.provisions: more than {MAX_PROVISIONS} provisions in all levels together (the max_provisions \
                 ceiling): split the consent"
            )));
        }
        Ok(())
    }

    /// One more entry in the list `tag` of the provision `depth` deep.
    fn entry(&mut self, lists: &mut [u32; PROVISIONS as usize + 1], tag: u32, depth: usize) -> Result<(), Stop> {
        let Some(n) = lists.get_mut(tag as usize) else { return Ok(()) };
        *n += 1;
        if *n > MAX_LIST_LEN {
            return Err(too_many_entries(format!("{}.{}", self.field(depth), list_name(tag))));
        }
        if tag != PROVISIONS {
            self.entries += 1;
            if self.entries > MAX_ENTRIES {
                return Err(Stop::TooLarge(format!(
                    "{}.{}: more than {MAX_ENTRIES} entries in all the consent's lists together: split the consent",
                    self.field(depth),
                    list_name(tag)
                )));
            }
        }
        Ok(())
    }

    /// The name of the provision being read `depth` deep: terms.provisions[i].provisions[j]...
    fn field(&self, depth: usize) -> String {
        let mut field = String::from("terms");
        for i in self.path.iter().take(depth) {
            field.push_str(&format!(".provisions[{i}]"));
        }
        field
    }
}

fn too_many_entries(field: String) -> Stop {
    Stop::TooLarge(format!("{field}: more than {MAX_LIST_LEN} entries (the max_list_len ceiling): split the consent"))
}

fn list_name(tag: u32) -> &'static str {
    match tag {
        3 => "actors",
        4 => "actions",
        5 => "purposes",
        6 => "confidentiality",
        7 => "sensitivity_commitments",
        8 => "class_commitments",
        9 => "code_commitments",
        RECORDS => "records",
        _ => "provisions",
    }
}

#[cfg(test)]
mod tests {

    use prost::Message;
    use salus_proto::salus::consent::v1 as pb;
    use salus_proto::salus::did::v1 as did_pb;
    use salus_sdk::module::{decode_any, type_url};

    use super::*;
    use crate::msgs::ConsentMsg;

    const TOO_LARGE: u32 = ConsentError::TooLarge as u32;
    const TX_DECODE: u32 = SdkCode::TxDecode as u32;

    fn key(tag: u32, wire: u8) -> Vec<u8> {
        varint(u64::from(tag << 3 | u32::from(wire)))
    }

    fn varint(v: u64) -> Vec<u8> {
        let mut out = vec![];
        prost::encoding::encode_varint(v, &mut out);
        out
    }

    /// A length-delimited field.
    fn field(tag: u32, body: &[u8]) -> Vec<u8> {
        let mut out = key(tag, LEN);
        out.extend(varint(body.len() as u64));
        out.extend_from_slice(body);
        out
    }

    fn create_any(body: Vec<u8>) -> Any {
        Any { type_url: type_url::<pb::MsgCreateConsent>(), value: body }
    }

    fn update_any(body: Vec<u8>) -> Any {
        Any { type_url: type_url::<pb::MsgUpdateConsent>(), value: body }
    }

    fn create(terms: pb::ConsentTerms) -> Any {
        create_any(pb::MsgCreateConsent { terms: Some(terms), ..Default::default() }.encode_to_vec())
    }

    fn code(r: Result<(), Error>) -> Option<u32> {
        r.err().map(|e| e.code)
    }

    fn actor() -> did_pb::ActorProof {
        let did = salus_did::Did::from_key(&salus_did::PublicKey::Ed25519([7; 32]));
        did_pb::ActorProof {
            did: did.to_string(),
            verification_method: did.url("key-1"),
            nonce: 0,
            signature: vec![1; 64],
        }
    }

    /// The review's body: `terms` of 1 MiB made of 524,288 empty provisions, 2 bytes each.
    fn empty_provisions_terms() -> Vec<u8> {
        [key(TERMS_PROVISIONS, LEN), varint(0)].concat().repeat(524_288)
    }

    fn empty_provisions_body(terms_field: u32) -> Vec<u8> {
        let head = pb::MsgCreateConsent { signer: "salus1payer".into(), actor: Some(actor()), terms: None };
        [head.encode_to_vec(), field(terms_field, &empty_provisions_terms())].concat()
    }

    #[test]
    fn the_empty_provisions_body_is_refused_too_large() {
        let terms = empty_provisions_terms();
        assert_eq!(terms.len(), 1 << 20);
        let create = create_any(empty_provisions_body(CREATE_TERMS));
        let update = update_any(empty_provisions_body(UPDATE_TERMS));
        assert_eq!(code(check(&create, CREATE_TERMS)), Some(TOO_LARGE));
        assert_eq!(code(check(&update, UPDATE_TERMS)), Some(TOO_LARGE));
        for any in [create, update] {
            let e = ConsentMsg::decode(&any).unwrap_err();
            assert_eq!((e.codespace, e.code), (crate::NAME, TOO_LARGE), "{}", e.message);
            assert!(e.message.contains("max_list_len"), "{}", e.message);
        }
        // Nested two deep, so that no one list is too long: refused at the 1025th provision.
        let child = field(PROVISIONS, &[]);
        let parent = field(TERMS_PROVISIONS, &child.repeat(255));
        let body = field(CREATE_TERMS, &parent.repeat(256));
        let e = check(&create_any(body), CREATE_TERMS).unwrap_err();
        assert_eq!(e.code, TOO_LARGE);
        assert!(
            e.message.contains("more than 1024 provisions") && e.message.contains("max_provisions"),
            "{}",
            e.message
        );
    }

    /// Provisions nested `depth` deep, one per level, `extra` the deepest's own fields.
    fn chain(depth: usize, deepest: pb::Provision) -> pb::Provision {
        (1..depth).fold(deepest, |child, _| pb::Provision { provisions: vec![child], ..Default::default() })
    }

    fn full_lists(n: usize) -> pb::Provision {
        pb::Provision {
            actors: vec![pb::Actor::default(); n],
            actions: vec![String::new(); n],
            purposes: vec![String::new(); n],
            confidentiality: vec![String::new(); n],
            sensitivity_commitments: vec![vec![]; n],
            class_commitments: vec![vec![]; n],
            code_commitments: vec![vec![]; n],
            records: (0..n as u64).map(|i| i << 40).collect(),
            provisions: vec![],
            ..Default::default()
        }
    }

    /// Exactly at every ceiling: 1024 provisions, 256 top-level, nested 16 deep, the deepest
    /// with 256 entries in each list, three others with 256, 256 and 241 children.
    fn at_the_ceilings() -> pb::ConsentTerms {
        let mut tops = vec![pb::Provision::default(); 256];
        tops[0] = chain(16, full_lists(256));
        tops[1].provisions = vec![pb::Provision::default(); 256];
        tops[2].provisions = vec![pb::Provision::default(); 256];
        tops[3].provisions = vec![pb::Provision::default(); 1024 - 256 - 15 - 512];
        pb::ConsentTerms { provisions: tops, ..Default::default() }
    }

    /// The bounds computed from the decoded value, as validate counts them.
    fn exceeds(terms: &pb::ConsentTerms) -> bool {
        fn walk(list: &[pb::Provision], depth: usize, total: &mut usize, entries: &mut usize) -> bool {
            if list.is_empty() {
                return false;
            }
            *total += list.len();
            if depth > MAX_DEPTH || list.len() > MAX_LIST_LEN as usize {
                return true;
            }
            list.iter().any(|p| {
                let lens = [
                    p.actors.len(),
                    p.actions.len(),
                    p.purposes.len(),
                    p.confidentiality.len(),
                    p.sensitivity_commitments.len(),
                    p.class_commitments.len(),
                    p.code_commitments.len(),
                    p.records.len(),
                ];
                *entries += lens.iter().sum::<usize>();
                lens.iter().any(|n| *n > MAX_LIST_LEN as usize) || walk(&p.provisions, depth + 1, total, entries)
            })
        }
        let (mut total, mut entries) = (0, 0);
        walk(&terms.provisions, 1, &mut total, &mut entries)
            || total > MAX_PROVISIONS as usize
            || entries > MAX_ENTRIES as usize
    }

    #[test]
    fn more_entries_than_max_entries_in_all_lists_together_are_refused() {
        let actors = |n: usize| pb::Provision { actors: vec![pb::Actor::default(); n], ..Default::default() };
        let terms = |extra: usize| {
            let mut tops = vec![actors(256); 127];
            tops.push(actors(256 - 1));
            tops.push(actors(extra));
            pb::ConsentTerms { provisions: tops, ..Default::default() }
        };
        // 127 * 256 + 255 + 1 = 32,768: at the bound.
        let at = terms(1);
        assert!(!exceeds(&at));
        assert_eq!(check(&create(at), CREATE_TERMS), Ok(()));
        let over = terms(2);
        assert!(exceeds(&over));
        let e = check(&create(over), CREATE_TERMS).unwrap_err();
        assert_eq!(e.code, TOO_LARGE);
        assert!(e.message.starts_with("terms.provisions[128].actors: more than 32768 entries"), "{}", e.message);
        // validate refuses the same: validate_tests.rs, more_entries_than_max_entries_are_refused.
    }

    #[test]
    fn a_body_at_exactly_the_ceilings_passes() {
        let terms = at_the_ceilings();
        assert!(!exceeds(&terms));
        assert_eq!(check(&create(terms.clone()), CREATE_TERMS), Ok(()));
        let update = pb::MsgUpdateConsent { id: 1, version: 1, terms: Some(terms.clone()), ..Default::default() };
        assert_eq!(check(&update_any(update.encode_to_vec()), UPDATE_TERMS), Ok(()));
        // validate_basic, past the scan, counts the same: what it refuses now is not the size.
        let decoded = decode_any::<pb::MsgCreateConsent>(&create(terms)).unwrap();
        let e = crate::validate::terms_from_proto(decoded.terms.as_ref().unwrap(), &Params::CEILING).unwrap_err();
        assert_ne!(e.code, TOO_LARGE, "{}", e.message);
    }

    #[test]
    fn one_more_of_anything_is_refused() {
        type AddOne = fn(&mut pb::ConsentTerms);
        let one_more: [(&str, AddOne); 6] = [
            ("a 1025th provision", |t| t.provisions[3].provisions.push(Default::default())),
            ("a 257th top-level provision", |t| t.provisions.push(Default::default())),
            ("a 257th child", |t| t.provisions[1].provisions.push(Default::default())),
            ("a 257th record", |t| deepest(t).records.push(7)),
            ("a 257th actor", |t| deepest(t).actors.push(Default::default())),
            ("a 257th code commitment", |t| deepest(t).code_commitments.push(vec![0; 32])),
        ];
        fn deepest(t: &mut pb::ConsentTerms) -> &mut pb::Provision {
            let mut p = &mut t.provisions[0];
            while !p.provisions.is_empty() {
                p = &mut p.provisions[0];
            }
            p
        }
        for (what, add) in one_more {
            let mut terms = at_the_ceilings();
            add(&mut terms);
            assert!(exceeds(&terms), "{what}");
            let e = check(&create(terms), CREATE_TERMS).unwrap_err();
            assert_eq!(e.code, TOO_LARGE, "{what}: {}", e.message);
        }
    }

    #[test]
    fn nesting_17_deep_is_refused_16_passes() {
        let ok = pb::ConsentTerms { provisions: vec![chain(16, Default::default())], ..Default::default() };
        assert_eq!(check(&create(ok), CREATE_TERMS), Ok(()));
        let deep = pb::ConsentTerms { provisions: vec![chain(17, Default::default())], ..Default::default() };
        let e = check(&create(deep), CREATE_TERMS).unwrap_err();
        assert_eq!(e.code, TOO_LARGE);
        assert!(e.message.contains("max_depth") && e.message.contains("17 deep"), "{}", e.message);
        assert!(e.message.starts_with(&format!("terms{}.provisions:", ".provisions[0]".repeat(16))), "{}", e.message);
        // 5000 deep, as the hostile-message test sends: refused at 17, no deeper.
        let mut body = vec![];
        for _ in 0..5000 {
            body = field(PROVISIONS, &body);
        }
        let body = field(CREATE_TERMS, &field(TERMS_PROVISIONS, &body));
        assert_eq!(code(check(&create_any(body), CREATE_TERMS)), Some(TOO_LARGE));
    }

    #[test]
    fn a_257_entry_list_is_refused_in_every_list() {
        for tag in (3..=9).chain([RECORDS, PROVISIONS]) {
            for n in [256, 257] {
                let provision = if tag == RECORDS {
                    let packed: Vec<u8> = (0..n).flat_map(|i| varint(i as u64)).collect();
                    field(RECORDS, &packed)
                } else {
                    field(tag, &[]).repeat(n)
                };
                let body = field(CREATE_TERMS, &field(TERMS_PROVISIONS, &provision));
                let any = create_any(body);
                assert!(decode_any::<pb::MsgCreateConsent>(&any).is_ok());
                let got = check(&any, CREATE_TERMS);
                if n == 256 {
                    assert_eq!(got, Ok(()), "field {tag}");
                } else {
                    let e = got.unwrap_err();
                    assert_eq!(e.code, TOO_LARGE, "field {tag}");
                    let name = format!("terms.provisions[0].{}: more than 256 entries", list_name(tag));
                    assert!(e.message.starts_with(&name), "{}", e.message);
                }
            }
        }
    }

    #[test]
    fn packed_records_are_counted_by_varint() {
        let records = |values: &[u64]| pb::Provision { records: values.to_vec(), ..Default::default() };
        let terms = |p: pb::Provision| pb::ConsentTerms { provisions: vec![p], ..Default::default() };
        // Large values: a run of 10-byte varints, still one entry each.
        let big: Vec<u64> = (0..257).map(|i| u64::MAX - i).collect();
        assert_eq!(code(check(&create(terms(records(&big))), CREATE_TERMS)), Some(TOO_LARGE));
        assert_eq!(check(&create(terms(records(&big[..256]))), CREATE_TERMS), Ok(()));
        // Packed and unpacked runs add up, as prost appends them.
        let packed = |n: u64| field(RECORDS, &(0..n).flat_map(varint).collect::<Vec<_>>());
        let unpacked = |n: u64| (0..n).flat_map(|i| [key(RECORDS, VARINT), varint(i)].concat()).collect::<Vec<_>>();
        for (body, n) in [
            ([packed(200), unpacked(56)].concat(), 256),
            ([packed(200), unpacked(57)].concat(), 257),
            ([packed(128), packed(0), packed(128)].concat(), 256),
            ([packed(128), packed(129)].concat(), 257),
        ] {
            let any = create_any(field(CREATE_TERMS, &field(TERMS_PROVISIONS, &body)));
            let decoded = decode_any::<pb::MsgCreateConsent>(&any).unwrap();
            assert_eq!(decoded.terms.unwrap().provisions[0].records.len(), n);
            assert_eq!(code(check(&any, CREATE_TERMS)), (n > 256).then_some(TOO_LARGE));
        }
    }

    #[test]
    fn repeated_terms_merge_and_their_provisions_add_up() {
        // Two top-level provisions of 255 children each: 512 provisions a `terms`.
        let child = field(PROVISIONS, &[]);
        let terms = field(TERMS_PROVISIONS, &child.repeat(255)).repeat(2);
        let two = field(CREATE_TERMS, &terms).repeat(2);
        let three = field(CREATE_TERMS, &terms).repeat(3);
        assert_eq!(
            decode_any::<pb::MsgCreateConsent>(&create_any(three.clone())).unwrap().terms.unwrap().provisions.len(),
            6
        );
        assert_eq!(check(&create_any(two), CREATE_TERMS), Ok(()));
        assert_eq!(code(check(&create_any(three), CREATE_TERMS)), Some(TOO_LARGE));
        // 200 top-level provisions a `terms`, twice: 400 in the one list prost builds.
        let top = field(CREATE_TERMS, &field(TERMS_PROVISIONS, &[]).repeat(200)).repeat(2);
        assert_eq!(code(check(&create_any(top), CREATE_TERMS)), Some(TOO_LARGE));
    }

    #[test]
    fn unknown_fields_and_groups_are_skipped_as_prost_skips_them() {
        // An unknown field holding nested groups, then too many provisions: prost skips the
        // group and would decode them all, so the scan must not stop at the group.
        let group =
            [key(99, START_GROUP), key(98, START_GROUP), key(1, VARINT), varint(5), key(98, END_GROUP)].concat();
        let group = [group, key(2, FIXED64), vec![0; 8], key(3, FIXED32), vec![0; 4], key(99, END_GROUP)].concat();
        let provisions = field(TERMS_PROVISIONS, &[]).repeat(300);
        let terms = [group.clone(), provisions].concat();
        let body = [group.clone(), field(CREATE_TERMS, &terms)].concat();
        assert!(decode_any::<pb::MsgCreateConsent>(&create_any(body.clone())).is_ok());
        assert_eq!(code(check(&create_any(body), CREATE_TERMS)), Some(TOO_LARGE));
        // Within a provision too; and alone, the groups pass.
        let body = field(CREATE_TERMS, &field(TERMS_PROVISIONS, &group));
        assert!(decode_any::<pb::MsgCreateConsent>(&create_any(body.clone())).is_ok());
        assert_eq!(check(&create_any(body), CREATE_TERMS), Ok(()));
        // 100 groups nested pass prost's recursion limit (100 in all, with the messages around).
        let nested = |n: usize| [key(50, START_GROUP).repeat(n), key(50, END_GROUP).repeat(n)].concat();
        assert!(decode_any::<pb::MsgCreateConsent>(&create_any(nested(100))).is_ok());
        assert_eq!(check(&create_any(nested(100)), CREATE_TERMS), Ok(()));
        assert!(decode_any::<pb::MsgCreateConsent>(&create_any(nested(101))).is_err());
        assert_eq!(code(check(&create_any(nested(101)), CREATE_TERMS)), Some(TX_DECODE));
    }

    #[test]
    fn malformed_bytes_are_refused_as_decode_any_refuses_them() {
        let provision = field(TERMS_PROVISIONS, &[]);
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("a varint of 11 bytes", [key(CREATE_TERMS, LEN), vec![0xff; 10], vec![0]].concat()),
            ("a tenth varint byte over 1", [key(1, VARINT), vec![0xff; 9], vec![2]].concat()),
            ("a truncated varint", [key(1, VARINT), vec![0x80]].concat()),
            ("a length past the end", [key(CREATE_TERMS, LEN), varint(10), provision.clone()].concat()),
            ("a key over u32", varint(u64::from(u32::MAX) + 1)),
            ("field 0", key(0, VARINT)),
            ("wire type 6", varint(1 << 3 | 6)),
            ("wire type 7", varint(1 << 3 | 7)),
            ("a stray end group", key(7, END_GROUP)),
            ("an unclosed group", key(7, START_GROUP)),
            ("a mismatched end group", [key(7, START_GROUP), key(8, END_GROUP)].concat()),
            ("terms as a varint", [key(CREATE_TERMS, VARINT), varint(1)].concat()),
            ("terms as a group", [key(CREATE_TERMS, START_GROUP), key(CREATE_TERMS, END_GROUP)].concat()),
            ("provisions as a fixed32", field(CREATE_TERMS, &[key(TERMS_PROVISIONS, FIXED32), vec![0; 4]].concat())),
            (
                "actions as a varint",
                field(CREATE_TERMS, &field(TERMS_PROVISIONS, &[key(4, VARINT), varint(1)].concat())),
            ),
            (
                "records as a fixed64",
                field(CREATE_TERMS, &field(TERMS_PROVISIONS, &[key(11, FIXED64), vec![0; 8]].concat())),
            ),
            ("a packed record cut", field(CREATE_TERMS, &field(TERMS_PROVISIONS, &field(RECORDS, &[0x80])))),
            (
                "a provision's field past its end",
                field(CREATE_TERMS, &field(TERMS_PROVISIONS, &[key(4, LEN), varint(3)].concat())),
            ),
        ];
        for (what, body) in cases {
            let any = create_any(body);
            let prost = decode_any::<pb::MsgCreateConsent>(&any).unwrap_err();
            let e = check(&any, CREATE_TERMS).unwrap_err();
            assert_eq!((e.codespace, e.code), (prost.codespace, prost.code), "{what}: {}", e.message);
            assert!(e.message.starts_with(&format!("{} does not decode: ", any.type_url)), "{what}: {}", e.message);
        }
    }

    struct XorShift(u64);

    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Terms about the ceilings: each bound met, missed or passed by one or two.
    fn random_terms(rng: &mut XorShift) -> pb::ConsentTerms {
        fn near(rng: &mut XorShift, n: u64) -> usize {
            (n - 2 + rng.below(5)) as usize
        }
        let mut deepest = pb::Provision::default();
        let (list, len) = (rng.below(8), near(rng, 256));
        match list {
            0 => deepest.actors = vec![Default::default(); len],
            1 => deepest.actions = vec![String::new(); len],
            2 => deepest.purposes = vec![String::new(); len],
            3 => deepest.confidentiality = vec![String::new(); len],
            4 => deepest.sensitivity_commitments = vec![vec![]; len],
            5 => deepest.class_commitments = vec![vec![]; len],
            6 => deepest.code_commitments = vec![vec![]; len],
            _ => deepest.records = vec![u64::MAX; len],
        }
        let depth = near(rng, 16);
        let mut tops = vec![pb::Provision::default(); near(rng, 256)];
        tops[0] = chain(depth, deepest);
        let children = near(rng, 256);
        tops[1].provisions = vec![Default::default(); children];
        let rest = near(rng, 1024).saturating_sub(tops.len() + depth - 1 + children);
        tops[2].provisions = vec![Default::default(); rest.min(255)];
        tops[3].provisions = vec![Default::default(); rest.saturating_sub(255)];
        pb::ConsentTerms { provisions: tops, ..Default::default() }
    }

    /// Random bytes, and valid messages cut, flipped and spliced; for each the scan answers Ok,
    /// TooLarge or TxDecode, never panics; it refuses as malformed only what prost cannot decode,
    /// and what prost decodes it refuses as too large exactly when the decoded terms are.
    #[test]
    fn random_garbage_never_panics_and_agrees_with_prost() {
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        let seeds: Vec<Vec<u8>> = vec![
            create(at_the_ceilings()).value,
            create(pb::ConsentTerms { provisions: vec![chain(17, full_lists(3))], ..Default::default() }).value,
            field(CREATE_TERMS, &field(TERMS_PROVISIONS, &field(PROVISIONS, &field(RECORDS, &[1, 2, 3])))),
            field(CREATE_TERMS, &field(TERMS_PROVISIONS, &[]).repeat(257)),
        ];
        let (mut oks, mut large, mut bad) = (0, 0, 0);
        for round in 0..20_000 {
            let body: Vec<u8> = match rng.below(4) {
                0 => (0..rng.below(64)).map(|_| rng.next() as u8).collect(),
                1 => {
                    let mut b = seeds[rng.below(seeds.len() as u64) as usize].clone();
                    if rng.below(2) == 0 {
                        for _ in 0..=rng.below(4) {
                            let i = rng.below(b.len() as u64) as usize;
                            b[i] = rng.next() as u8;
                        }
                    } else {
                        b.truncate(rng.below(b.len() as u64 + 1) as usize);
                    }
                    b
                }
                2 => create(random_terms(&mut rng)).value,
                _ => {
                    // Well-formed-ish: random keys of the fields the scan reads.
                    let mut b = vec![];
                    for _ in 0..rng.below(40) {
                        let tag = [1, 2, 3, 4, 5, 6, 11, 12, 99][rng.below(9) as usize];
                        let wire = [VARINT, LEN, LEN, LEN, FIXED32, START_GROUP][rng.below(6) as usize];
                        b.extend(key(tag, wire));
                        match wire {
                            VARINT => b.extend(varint(rng.next() >> rng.below(64))),
                            LEN => {
                                // What came before, as the field's body: nesting of every kind.
                                let copy = b[..rng.below(b.len() as u64 + 1) as usize].to_vec();
                                b.extend(varint(copy.len() as u64 + rng.below(8) / 7));
                                b.extend(copy);
                            }
                            FIXED32 => b.extend([0; 4]),
                            _ => b.extend(key(tag, END_GROUP)),
                        }
                    }
                    b
                }
            };
            let terms_field = if round % 2 == 0 { CREATE_TERMS } else { UPDATE_TERMS };
            let any = if terms_field == CREATE_TERMS { create_any(body) } else { update_any(body) };
            let got = check(&any, terms_field);
            let terms = if terms_field == CREATE_TERMS {
                decode_any::<pb::MsgCreateConsent>(&any).map(|m| m.terms)
            } else {
                decode_any::<pb::MsgUpdateConsent>(&any).map(|m| m.terms)
            };
            match (&got, &terms) {
                (Ok(()), _) => oks += 1,
                (Err(e), _) if e.code == TOO_LARGE && e.codespace == crate::NAME => large += 1,
                (Err(e), Err(_)) if e.code == TX_DECODE && e.codespace == "sdk" => bad += 1,
                (Err(e), _) => panic!("round {round}: {e:?} for a body prost decodes: {:?}", any.value),
            }
            if let Ok(terms) = terms {
                let over = terms.as_ref().is_some_and(exceeds);
                assert_eq!(code(got), over.then_some(TOO_LARGE), "round {round}: {:?}", any.value);
            }
        }
        assert!(oks > 1000 && large > 100 && bad > 1000, "{oks} {large} {bad}");
    }
}
