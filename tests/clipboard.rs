//! Copy text reaches the system clipboard: the real window (eframe with its `clipboard`
//! feature) drafts D00010's letter, copies it, and `xclip` reads the X clipboard while
//! the app still owns it. Needs a display and xclip: `.ci/run` runs it under Xvfb with
//! `STANDWATCH_CLIPBOARD_TEST=1`; elsewhere it says so and passes.

#[cfg(feature = "gui")]
fn main() {
    use eframe::egui;
    use standwatch::app::{Command, StandwatchApp};
    use standwatch::letters::LetterKind;
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    if std::env::var_os("STANDWATCH_CLIPBOARD_TEST").is_none() {
        println!("clipboard: skipped (set STANDWATCH_CLIPBOARD_TEST=1 with a display and xclip)");
        return;
    }

    enum Stage {
        Loading,
        Drafting,
        Copied { text: String, at: Instant },
        Reading { text: String, answer: mpsc::Receiver<String> },
    }
    struct Probe {
        app: StandwatchApp,
        stage: Stage,
        started: Instant,
        verdict: std::sync::Arc<std::sync::Mutex<Option<Result<(), String>>>>,
    }
    impl eframe::App for Probe {
        fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
            self.app.show(ui);
            ui.ctx().request_repaint_after(Duration::from_millis(50));
            let done = |probe: &mut Probe, result: Result<(), String>, ctx: &egui::Context| {
                *probe.verdict.lock().unwrap() = Some(result);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            };
            if self.started.elapsed() > Duration::from_secs(120) {
                return done(self, Err("timed out".into()), ui.ctx());
            }
            match &self.stage {
                Stage::Loading if !self.app.is_busy() && self.app.loaded().is_some() => {
                    let driver = self.app.loaded().unwrap().data.fleet.driver_index("D00010").unwrap();
                    self.app.send(Command::OpenDriver(driver));
                    self.app.send(Command::DraftLetter(LetterKind::Reactivation));
                    self.stage = Stage::Drafting;
                }
                Stage::Drafting => {
                    if let Some(text) = self.app.letter_text().map(str::to_string) {
                        self.app.copy_letter_text();
                        self.stage = Stage::Copied { text, at: Instant::now() };
                    }
                }
                // A few frames for eframe to hand the text to the clipboard.
                Stage::Copied { text, at } if at.elapsed() > Duration::from_millis(500) => {
                    let (tx, answer) = mpsc::channel();
                    std::thread::spawn(move || {
                        let out = std::process::Command::new("xclip").args(["-o", "-selection", "clipboard"]).output();
                        let _ = tx.send(match out {
                            Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
                            Err(e) => format!("xclip failed: {e}"),
                        });
                    });
                    self.stage = Stage::Reading { text: text.clone(), answer };
                }
                Stage::Reading { text, answer } => {
                    if let Ok(got) = answer.try_recv() {
                        // The text for a support form: it names the files to upload.
                        let expected = standwatch::letters::support_form_text(text);
                        let names_uploads = expected.contains("Uploaded with this form: ");
                        let result =
                            if got.trim_end() == expected.trim_end() && text.contains("D00010") && names_uploads {
                                Ok(())
                            } else {
                                Err(format!("the clipboard holds {:?}, the letter is {:?}", got, text))
                            };
                        done(self, result, ui.ctx());
                    }
                }
                _ => {}
            }
        }
    }

    let verdict = std::sync::Arc::new(std::sync::Mutex::new(None));
    let shared = verdict.clone();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        renderer: eframe::Renderer::Glow,
        ..Default::default()
    };
    let settings = tempfile::tempdir().unwrap();
    let settings_path = settings.path().join("settings.toml");
    eframe::run_native(
        "Standwatch clipboard test",
        options,
        Box::new(move |cc| {
            let app = StandwatchApp::new(&cc.egui_ctx, Some(settings_path));
            Ok(Box::new(Probe { app, stage: Stage::Loading, started: Instant::now(), verdict: shared }))
        }),
    )
    .expect("the window opens");
    match verdict.lock().unwrap().take() {
        Some(Ok(())) => println!("clipboard: the copied letter is on the X clipboard"),
        Some(Err(e)) => panic!("clipboard: {e}"),
        None => panic!("clipboard: the window closed before the check"),
    }
}

#[cfg(not(feature = "gui"))]
fn main() {}
