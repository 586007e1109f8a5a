//! Rebuilds the crate when a migration changes: `sqlx::migrate!` embeds the migration files,
//! and without this cargo would keep a build with the old ones. Also compiles the rubric in:
//! every file under `rubrics/` becomes an entry of `BUILT_IN_RUBRIC`, so that the binary needs
//! nothing beside it.
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=migrations");
    println!("cargo:rerun-if-changed=rubrics");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics");
    let mut files = Vec::new();
    collect_toml(&root, &mut files);
    files.sort();
    let entries: String = files
        .iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).expect("under rubrics/").to_string_lossy().replace('\\', "/");
            format!("    ({relative:?}, include_str!({:?})),\n", path.display().to_string())
        })
        .collect();
    let source = format!(
        "/// The rubric amfit ships, as (path under the folder, content).\npub const BUILT_IN_RUBRIC: &[(&str, &str)] = &[\n{entries}];\n"
    );
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("built_in_rubric.rs");
    std::fs::write(out, source).expect("OUT_DIR is writable");
}

/// Every `*.toml` file below `folder`, however deep.
fn collect_toml(folder: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("rubrics/ is readable") {
        let path = entry.expect("rubrics/ is readable").path();
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            collect_toml(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "toml") {
            println!("cargo:rerun-if-changed={}", path.display());
            files.push(path);
        }
    }
}
