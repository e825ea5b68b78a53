// Release builds embed the web app from frontend/dist: rebuild when it changes.
fn main() {
    println!("cargo:rerun-if-changed=frontend/dist");
    println!("cargo:rerun-if-changed=migrations");
}
