//! Rebuilds the crate when a migration changes: `sqlx::migrate!` embeds the migration files,
//! and without this cargo would keep a build with the old ones.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
