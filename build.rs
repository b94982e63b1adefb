//! For Windows targets only: standwatch.exe's icon and version information
//! (`assets/packaging/windows/standwatch.rc`), compiled by MinGW's `windres` and linked
//! into the program. Other targets build nothing here.

use std::env;
use std::path::PathBuf;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/packaging/windows/standwatch.rc");
    println!("cargo:rerun-if-changed=assets/icons/standwatch.ico");
    println!("cargo:rerun-if-env-changed=WINDRES");
    let windows_gnu = env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("windows")
        && env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu");
    if !windows_gnu {
        return;
    }
    let Some(out_dir) = env::var_os("OUT_DIR").map(PathBuf::from) else {
        println!("cargo:warning=no OUT_DIR: standwatch.exe is built without its icon and version");
        return;
    };
    let version = env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let mut numbers = version.split(['.', '-']).map(|n| n.parse::<u16>().unwrap_or(0));
    let (major, minor, patch) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    let object = out_dir.join("standwatch-resources.o");
    let windres = env::var("WINDRES").unwrap_or_else(|_| "x86_64-w64-mingw32-windres".to_string());
    let status = Command::new(&windres)
        .arg(format!("-DVERSION_MAJOR={major}"))
        .arg(format!("-DVERSION_MINOR={minor}"))
        .arg(format!("-DVERSION_PATCH={patch}"))
        .arg(format!("-DVERSION_TEXT=\\\"{version}\\\""))
        .args(["-i", "assets/packaging/windows/standwatch.rc", "-O", "coff", "-o"])
        .arg(&object)
        .status();
    match status {
        Ok(s) if s.success() => println!("cargo:rustc-link-arg-bins={}", object.display()),
        // A build without the resources still runs: say so rather than fail.
        _ => println!("cargo:warning={windres} failed: standwatch.exe is built without its icon and version"),
    }
}
