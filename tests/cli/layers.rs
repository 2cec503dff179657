//! The house's floors, checked on the source: each top-level module of `src/` imports only
//! modules on floors below its own (so no import runs back up and no two modules import
//! each other). The floors are the ones `src/lib.rs` and each module's doc describe; a new
//! module gets a floor here, and an import that breaks the order fails with its file and
//! line.
use std::path::Path;

/// Lowest first. Modules on one floor never import each other.
const FLOORS: &[&[&str]] = &[
    &["dates"],
    &["model"],
    &["scoring", "learning", "cadence"],
    &["cli"],
    &["error"],
    &["io", "store"],
    &["output", "rescoring"],
    &["workflows"],
    &["commands"],
    &["lib"],
    &["main"],
];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|floor| floor.contains(&module))
}

/// The top-level module a file of `src/` belongs to (`src/store/leads.rs` -> `store`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("a file below src");
    let first = relative
        .components()
        .next()
        .expect("a path")
        .as_os_str()
        .to_string_lossy()
        .into_owned();
    first.trim_end_matches(".rs").to_string()
}

fn rust_files(folder: &Path, found: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("a readable folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The modules a line names through `crate::X` (or `leads::X`, in main.rs).
fn named_modules(line: &str) -> Vec<String> {
    let mut names = Vec::new();
    for prefix in ["crate::", "leads::"] {
        let mut rest = line;
        while let Some(at) = rest.find(prefix) {
            // A path's start only: `super::leads::x` is a child module, not the crate.
            let starts_a_path =
                !rest[..at].ends_with(|c: char| c == ':' || c == '_' || c.is_alphanumeric());
            rest = &rest[at + prefix.len()..];
            if !starts_a_path {
                continue;
            }
            let rest = rest.trim_start_matches('{');
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                names.push(name);
            }
        }
    }
    names
}

#[test]
fn every_module_imports_only_the_floors_below_its_own() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        let floor = floor_of(&module)
            .unwrap_or_else(|| panic!("src/{module} has no floor in FLOORS (tests/cli/layers.rs)"));
        let text = std::fs::read_to_string(file).expect("a readable file");
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for named in named_modules(line) {
                // Not a module: an item of lib.rs itself (`crate::run`), on its floor.
                let named_floor = floor_of(&named).unwrap_or_else(|| floor_of("lib").unwrap());
                if named != module && named_floor >= floor {
                    wrong.push(format!(
                        "{}:{}: {module} (floor {floor}) imports {named} (floor {named_floor})",
                        file.strip_prefix(&src).unwrap().display(),
                        number + 1
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that run back up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_an_import_that_runs_back_up() {
    assert_eq!(named_modules("use crate::store::Store;"), ["store"]);
    assert_eq!(
        named_modules("use super::leads::{lead_from_row};"),
        Vec::<String>::new()
    );
    assert_eq!(
        named_modules("    let x = crate::output::local(at); leads::cli::parse()"),
        ["output", "cli"]
    );
    assert!(floor_of("store") > floor_of("model"));
    assert!(floor_of("dates") < floor_of("model"));
}
