//! Hostile values (formula cells, line breaks, `..` ids, symlinked photos) run through
//! every CLI command; every output is parsed back and inspected (issue 7, output safety).

use assert_cmd::Command;
use mail_parser::{MessageParser, MimeHeaders};
use std::path::{Path, PathBuf};

const FORMULA_ID: &str = "=HYPERLINK(\"http://x.test\",\"click\")";
const DOTS_ID: &str = "../../escaped";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write input");
    path.display().to_string()
}

struct Hostile {
    root: tempfile::TempDir,
    inputs: Vec<String>,
}

/// Three drivers, each with a dispute ground (a DNR with a photo): one whose id is a
/// formula, one whose id climbs out of folders, one whose name breaks lines and starts
/// with `@`. Photos: one inside the evidence folder, one `..` path, one symlink out.
fn hostile() -> Hostile {
    let root = tempfile::tempdir().expect("temp dir");
    let data = root.path().join("data");
    std::fs::create_dir_all(data.join("photos")).expect("photos");
    std::fs::write(data.join("photos/ok.jpg"), b"jpg").expect("photo");
    std::fs::write(root.path().join("secret.txt"), b"secret").expect("secret");
    #[cfg(unix)]
    std::os::unix::fs::symlink(root.path().join("secret.txt"), data.join("photos/link.jpg")).expect("symlink");
    let ids = [FORMULA_ID.replace('"', "\"\""), DOTS_ID.to_string(), "D3".to_string()];
    let mut blocks = String::from("driver_id,driver_name,block_id,block_start,checked_in_at\n");
    let mut deliveries = String::from("tracking_id,driver_id,deliver_by,attempted_at,outcome,dnr,photo,notes\n");
    for (n, id) in ids.iter().enumerate() {
        for day in 2..6 {
            blocks.push_str(&format!("\"{id}\",\"+Name {n}\",B{n}{day},2026-03-0{day} 07:00,2026-03-0{day} 06:50\n"));
            deliveries.push_str(&format!(
                "T{n}{day},\"{id}\",2026-03-0{day} 12:00,2026-03-0{day} 09:00,delivered,{dnr},{photo},\"-2+3\"\n",
                dnr = if day == 2 { "Y" } else { "N" },
                photo = if day == 2 { "photos/ok.jpg;../secret.txt;photos/link.jpg" } else { "" },
            ));
        }
    }
    let roster = "driver_id,driver_name,email\nD3,\"@SUM(A1)\r\nBcc: victim@x.test\",\"d3@x.test>, boss@x.test\"\n";
    let inputs = vec![
        "--blocks".to_string(),
        write(&data, "blocks.csv", &blocks),
        "--deliveries".to_string(),
        write(&data, "deliveries.csv", &deliveries),
        "--roster".to_string(),
        write(&data, "roster.csv", roster),
    ];
    Hostile { root, inputs }
}

impl Hostile {
    fn run(&self, args: &[&str]) -> (String, String) {
        let home = self.root.path().join("home");
        let out = Command::cargo_bin("standwatch")
            .expect("binary")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TZ", "UTC")
            .args(args)
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(0), "{args:?}\n{stderr}");
        (String::from_utf8_lossy(&out.stdout).into_owned(), stderr)
    }

    fn with_inputs<'a>(&'a self, args: &[&'a str]) -> Vec<&'a str> {
        args.iter().copied().chain(self.inputs.iter().map(String::as_str)).collect()
    }
}

/// Every cell of a CSV, parsed as a spreadsheet would split it.
fn cells(csv: &str) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(csv.as_bytes());
    reader.records().flat_map(|r| r.expect("valid CSV").iter().map(str::to_string).collect::<Vec<_>>()).collect()
}

fn assert_no_formula_cells(what: &str, csv: &str) {
    let all = cells(csv);
    assert!(all.len() > 10, "{what}: too few cells:\n{csv}");
    for cell in &all {
        let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
        assert!(!risky || cell.parse::<f64>().is_ok(), "{what}: formula cell {cell:?}");
    }
    assert!(all.iter().any(|c| c.starts_with("'=HYPERLINK")), "{what}: the id is kept, neutralised");
}

#[test]
fn report_history_and_json_keep_hostile_values_inert() {
    let h = hostile();
    let (report, _) = h.run(&h.with_inputs(&["report", "--format", "csv"]));
    assert_no_formula_cells("report", &report);
    assert!(cells(&report).iter().any(|c| c == "'+Name 1"), "{report}");
    let (history, _) = h.run(&h.with_inputs(&["history", "--format", "csv"]));
    assert_no_formula_cells("history", &history);
    let (json, _) = h.run(&h.with_inputs(&["report", "--format", "json"]));
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let ids: Vec<&str> = parsed.as_array().expect("array").iter().filter_map(|d| d["driver_id"].as_str()).collect();
    assert!(ids.contains(&FORMULA_ID) && ids.contains(&DOTS_ID), "JSON keeps values as they are: {ids:?}");
    let (table, _) = h.run(&h.with_inputs(&["report", "--format", "table"]));
    assert!(!table.contains('\r') && !table.contains("\nBcc:"), "{table}");
}

#[test]
fn disputes_write_only_inside_the_folder_with_safe_headers_and_attachments() {
    let h = hostile();
    let out = h.root.path().join("out").join("letters");
    let evidence = h.root.path().join("data");
    let out_arg = out.display().to_string();
    let evidence_arg = evidence.display().to_string();
    let (_, stderr) = h.run(&h.with_inputs(&["disputes", "--out", &out_arg, "--evidence-dir", &evidence_arg]));
    assert!(stderr.contains("../secret.txt") && stderr.contains("outside the evidence folder"), "{stderr}");
    assert!(stderr.contains("photos/link.jpg"), "the symlink out is refused: {stderr}");
    // Nothing outside the output folder: its parent holds only it.
    let beside: Vec<_> = std::fs::read_dir(out.parent().expect("parent")).expect("list").collect();
    assert_eq!(beside.len(), 1);
    assert!(!h.root.path().join("escaped").exists() && !out.join("../../escaped").exists());
    let index = std::fs::read_to_string(out.join("index.csv")).expect("index");
    assert_no_formula_cells("index.csv", &index);
    let emls: Vec<PathBuf> = std::fs::read_dir(&out)
        .expect("list")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .collect();
    assert_eq!(emls.len(), 3, "{emls:?}");
    for eml in &emls {
        let name = eml.file_name().and_then(|n| n.to_str()).expect("name");
        assert!(name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) && !name.contains(".."));
        let bytes = std::fs::read(eml).expect("eml");
        let message = MessageParser::default().parse(&bytes).expect("parses");
        let headers: Vec<String> = message.headers().iter().map(|h| h.name().to_ascii_lowercase()).collect();
        assert!(!headers.iter().any(|n| n == "bcc"), "{name}: {headers:?}");
        assert_eq!(message.from().map(|f| f.iter().count()), Some(1), "{name}: one sender");
        let attached: Vec<&str> = message.attachments().filter_map(|a| a.attachment_name()).collect();
        assert!(attached.contains(&"ok.jpg"), "{name}: {attached:?}");
        assert!(message.attachments().all(|a| a.contents() != b"secret"), "{name}");
        let evidence_csv = message
            .attachments()
            .find(|a| a.attachment_name().is_some_and(|n| n.ends_with(".csv")))
            .map(|a| String::from_utf8_lossy(a.contents()).into_owned())
            .expect("evidence CSV attached");
        for cell in cells(&evidence_csv) {
            let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
            assert!(!risky || cell.parse::<f64>().is_ok(), "{name}: evidence cell {cell:?}");
        }
    }
}

#[test]
fn reactivation_and_cases_list_stay_safe() {
    let h = hostile();
    let file = h.root.path().join("appeal.eml");
    let file_arg = file.display().to_string();
    h.run(&h.with_inputs(&["reactivation", "--driver", DOTS_ID, "--out", &file_arg]));
    let bytes = std::fs::read(&file).expect("eml");
    let message = MessageParser::default().parse(&bytes).expect("parses");
    assert!(message.subject().is_some_and(|s| s.contains(DOTS_ID)));

    let ws = h.root.path().join("ws").display().to_string();
    h.run(&h.with_inputs(&["--workspace", &ws, "import"]));
    let out = h.root.path().join("ws-letters").display().to_string();
    h.run(&["--workspace", &ws, "disputes", "--out", &out]);
    let (cases, _) = h.run(&["--workspace", &ws, "cases", "list", "--format", "csv"]);
    assert_no_formula_cells("cases list", &cases);
}
