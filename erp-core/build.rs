// Re-embed the migrations when a file is added under migrations/ (embed_migrations! alone
// only notices edits to files it already knows).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
