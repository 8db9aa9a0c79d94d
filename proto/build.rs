//! Compiles Salus' own protobuf packages (salus/) into Rust with prost, and them together with the
//! Cosmos interface declarations (interfaces/) into one encoded FileDescriptorSet for gRPC
//! reflection. protox is pure Rust: no protoc needed.

use prost::Message;

fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    let salus = proto_files(std::path::Path::new("salus"));
    let interfaces = proto_files(std::path::Path::new("interfaces"));
    // The directories too: a new file in them reruns this script (cargo scans a directory).
    println!("cargo:rerun-if-changed=salus");
    println!("cargo:rerun-if-changed=interfaces");
    for f in salus.iter().chain(&interfaces) {
        println!("cargo:rerun-if-changed={}", f.display());
    }

    // Salus' packages may import the Cosmos declarations (pagination); their Rust types are
    // cosmos-sdk-proto's, not generated again.
    // cosmos-sdk-proto does not export cosmos.consensus.v1: its Rust is generated here, on
    // cosmos-sdk-proto's CometBFT types.
    let mut generated = salus.clone();
    generated
        .extend(["tx.proto", "query.proto"].map(|f| std::path::Path::new("interfaces/cosmos/consensus/v1").join(f)));
    // "interfaces" first, so that the Cosmos files keep the names the descriptor set gives them.
    let own = protox::compile(&generated, ["interfaces", "."])
        .unwrap_or_else(|e| panic!("proto/salus does not compile: {e:?}"));
    let own_files = own.file.clone();
    prost_build::Config::new()
        .enable_type_names()
        .type_name_domain(["."], "")
        .extern_path(".cosmos.base.query.v1beta1", "::cosmos_sdk_proto::cosmos::base::query::v1beta1")
        .extern_path(".tendermint.types", "::cosmos_sdk_proto::tendermint::types")
        .out_dir(&out)
        .compile_fds(own)
        .unwrap_or_else(|e| panic!("generating Rust for proto/salus: {e}"));

    let mut set = protox::compile(&interfaces, ["interfaces"])
        .unwrap_or_else(|e| panic!("proto/interfaces does not compile: {e:?}"));
    for file in own_files {
        if !set.file.iter().any(|f| f.name == file.name) {
            set.file.push(file);
        }
    }
    std::fs::write(out.join("interfaces.bin"), set.encode_to_vec()).unwrap();
}

fn proto_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    collect(dir, &mut out);
    out.sort();
    out
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}
