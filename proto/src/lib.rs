//! Protobuf types. Salus speaks the Cosmos SDK's own messages wherever wallets, cosmjs and Hermes
//! expect them (re-exported from `cosmos-sdk-proto`, on the same prost as the rest of the stack).

pub use cosmos_sdk_proto::cosmos;
pub use cosmos_sdk_proto::tendermint as tendermint_proto;
pub use cosmos_sdk_proto::traits::{Message, Name};
pub use cosmos_sdk_proto::Any;
pub use prost;
pub use tonic;

/// `cosmos.consensus.v1` (CometBFT's params), which cosmos-sdk-proto generates but does not export.
pub mod consensus {
    pub mod v1 {
        include!(concat!(env!("OUT_DIR"), "/cosmos.consensus.v1.rs"));
    }
}

/// Salus' own packages (proto/salus).
pub mod salus {
    pub mod auth {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/salus.auth.v1.rs"));
        }
    }
    pub mod consent {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/salus.consent.v1.rs"));
        }
    }
    pub mod did {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/salus.did.v1.rs"));
        }
    }
    pub mod records {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/salus.records.v1.rs"));
        }
    }
    pub mod token {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/salus.token.v1.rs"));
        }
    }
}

/// The Cosmos type URL of a message: `/` and its full protobuf name.
pub fn type_url<M: Name>() -> String {
    format!("/{}", M::full_name())
}

/// Encodes any protobuf message into an `Any` with its Cosmos type URL.
pub fn to_any<M: Name>(msg: &M) -> Any {
    Any { type_url: type_url::<M>(), value: msg.encode_to_vec() }
}

/// The encoded `FileDescriptorSet` of the gRPC services Salus serves (proto/interfaces), for
/// reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/interfaces.bin"));

/// What gRPC reflection describes: [`FILE_DESCRIPTOR_SET`], then ibc-go's packages as ibc-proto
/// ships them (`ibc.core.*`, `ibc.lightclients.*`, ..., with the files they import), each file
/// that Salus does not declare itself.
pub fn reflection_descriptor_set() -> &'static [u8] {
    static SET: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let decode = |bytes: &[u8]| {
            <prost_types::FileDescriptorSet as prost::Message>::decode(bytes)
                .expect("a built-in descriptor set decodes")
        };
        let mut set = decode(FILE_DESCRIPTOR_SET);
        for file in decode(ibc_proto::FILE_DESCRIPTOR_SET).file {
            if !set.file.iter().any(|f| f.name == file.name) {
                set.file.push(file);
            }
        }
        prost::Message::encode_to_vec(&set)
    })
}
