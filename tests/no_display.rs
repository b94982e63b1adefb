//! Started where no window can be opened, the app says so in one line and points to the
//! command line, with exit status 1 and no panic.

#![cfg(feature = "gui")]

use assert_cmd::Command;

#[test]
fn without_a_display_the_app_points_to_the_cli() {
    let output = Command::cargo_bin("standwatch")
        .unwrap()
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("standwatch report"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(output.stdout.is_empty());
}
