//! Compiles the interface declarations under interfaces/ into one encoded FileDescriptorSet, for
//! gRPC reflection. protox is pure Rust: no protoc needed.

use prost::Message;

fn main() {
    let root = std::path::Path::new("interfaces");
    let mut files = Vec::new();
    collect(root, &mut files);
    files.sort();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
    }
    let set = protox::compile(&files, [root]).unwrap_or_else(|e| panic!("proto/interfaces does not compile: {e:?}"));
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("interfaces.bin");
    std::fs::write(out, set.encode_to_vec()).unwrap();
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
