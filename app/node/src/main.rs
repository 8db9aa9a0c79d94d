//! salusd: the Salus node and its command line.

fn main() {
    if let Err(e) = salus_node::cli::run() {
        eprintln!("Error: {e:#}");
        std::process::exit(1);
    }
}
