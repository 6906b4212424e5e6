//! The `brainplay` binary end to end: each test runs it in a fresh temporary folder and checks
//! its exit code, messages and files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh folder for one test, removed when the test ends (also when it fails).
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path =
            std::env::temp_dir().join(format!("brainplay-cli-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create a temporary folder");
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.0.join(name), text).expect("write a test file");
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.0.join(name)).unwrap_or_else(|e| panic!("read {name}: {e}"))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Ran {
    code: i32,
    stdout: String,
    stderr: String,
}

fn brainplay(dir: &Path, args: &[&str]) -> Ran {
    let out = Command::new(env!("CARGO_BIN_EXE_brainplay"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("start the brainplay binary");
    Ran {
        code: out.status.code().expect("brainplay ended by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs and expects exit code 0.
fn ok(dir: &Path, args: &[&str]) -> Ran {
    let ran = brainplay(dir, args);
    assert_eq!(ran.code, 0, "{args:?}: {}", ran.stderr);
    ran
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON ({e}): {text}"))
}

#[test]
fn hh_csv_has_one_column_per_variable_and_one_row_per_step() {
    let dir = TempDir::new("hh-csv");
    let args = [
        "run",
        "--model",
        "hh",
        "--set",
        "I=10",
        "--duration",
        "100",
        "--dt",
        "0.01",
        "--record",
        "V,m,h,n",
        "--out",
        "x.csv",
    ];
    let ran = ok(dir.path(), &args);
    assert!(ran.stdout.contains("10000 steps"), "{}", ran.stdout);
    let text = dir.read("x.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("t_ms,V[0],m[0],h[0],n[0]"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 10_000);
    assert!(rows[0].starts_with("0,"), "{}", rows[0]);
    assert!(rows[3].starts_with("0.03,"), "{}", rows[3]);
    assert!(rows[9_999].starts_with("99.99,"), "{}", rows[9_999]);
    for row in [rows[0], rows[5_000], rows[9_999]] {
        let values: Vec<f64> = row.split(',').map(|v| v.parse().unwrap()).collect();
        assert_eq!(values.len(), 5, "{row}");
        assert!((-90.0..60.0).contains(&values[1]), "V in {row}");
    }
}

#[test]
fn hh_population_json_matches_brainpy_spike_counts() {
    let dir = TempDir::new("hh-json");
    ok(
        dir.path(),
        &[
            "run",
            "--model",
            "hh",
            "--set",
            "I=5,10,15",
            "--out",
            "x.json",
        ],
    );
    let v = json(&dir.read("x.json"));
    assert_eq!(v["model"], "hh");
    assert_eq!(v["dt_ms"], 0.1);
    assert_eq!(v["t_ms"].as_array().unwrap().len(), 1000);
    for name in ["V", "m", "h", "n"] {
        let per_neuron = v["vars"][name].as_array().unwrap();
        assert_eq!(per_neuron.len(), 3, "{name}");
        assert!(per_neuron
            .iter()
            .all(|t| t.as_array().unwrap().len() == 1000));
    }
    let counts: Vec<usize> = v["spike_times_ms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_array().unwrap().len())
        .collect();
    // BrainPy reference: the course HH at dt 0.1 ms over 100 ms.
    assert_eq!(counts, [6, 7, 8]);
    assert_eq!(v["warnings"], serde_json::json!([]));
    assert_eq!(v["error"], serde_json::Value::Null);
}

#[test]
fn lif_fi_curve_matches_the_analytic_rate() {
    let dir = TempDir::new("lif-fi");
    let args = [
        "fi",
        "--model",
        "lif",
        "--from",
        "0",
        "--to",
        "30",
        "--step",
        "0.5",
        "--duration",
        "1000",
        "--out",
        "fi.csv",
    ];
    let ran = ok(dir.path(), &args);
    assert!(ran.stdout.contains("rheobase: I = 20.5"), "{}", ran.stdout);
    let text = dir.read("fi.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("I,rate_hz"));
    let curve: Vec<(f64, f64)> = lines
        .map(|l| {
            let (i, r) = l.split_once(',').unwrap();
            (i.parse().unwrap(), r.parse().unwrap())
        })
        .collect();
    assert_eq!(curve.len(), 61);
    for &(current, rate_hz) in &curve {
        if current <= 20.0 {
            assert_eq!(rate_hz, 0.0, "I = {current}");
        }
    }
    // V_reset = -5, V_th = 20, tau = 10 ms, tau_ref = 5 ms, R = 1: the period is
    // tau_ref + tau ln((I - V_reset) / (I - V_th)).
    for current in [25.0, 30.0] {
        let period_ms = 5.0 + 10.0 * f64::ln((current + 5.0) / (current - 20.0));
        let want_hz = 1000.0 / period_ms;
        let got_hz = curve.iter().find(|(i, _)| *i == current).unwrap().1;
        assert!(
            (got_hz - want_hz).abs() <= 2.0,
            "I = {current}: {got_hz} Hz, analytic {want_hz} Hz"
        );
    }
}

#[test]
fn fi_prints_the_curve_without_out() {
    let dir = TempDir::new("fi-stdout");
    let ran = ok(
        dir.path(),
        &[
            "fi", "--model", "lif", "--from", "19", "--to", "21", "--step", "1",
        ],
    );
    assert_eq!(
        ran.stdout.lines().take(3).collect::<Vec<_>>(),
        ["I,rate_hz", "19,0", "20,0"]
    );
    assert!(ran.stdout.contains("# rheobase: I = 21"), "{}", ran.stdout);
}

#[test]
fn a_summary_without_out_lists_spikes_per_neuron() {
    let dir = TempDir::new("summary");
    let ran = ok(dir.path(), &["run", "--model", "hh", "--set", "I=5,10"]);
    assert!(
        ran.stdout.contains("2 neurons, 1000 steps of 0.1 ms"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("0       6       60"), "{}", ran.stdout);
    assert!(ran.stdout.contains("1       7       70"), "{}", ran.stdout);
}

#[test]
fn bad_arguments_exit_2_naming_the_culprit() {
    let dir = TempDir::new("bad-args");
    let check = |args: &[&str], wants: &[&str]| {
        let ran = brainplay(dir.path(), args);
        assert_eq!(ran.code, 2, "{args:?}: {}", ran.stderr);
        assert!(ran.stdout.is_empty(), "{args:?} printed {}", ran.stdout);
        assert!(
            ran.stderr.starts_with("error: "),
            "{args:?}: {}",
            ran.stderr
        );
        for want in wants {
            assert!(
                ran.stderr.contains(want),
                "{args:?}: `{want}` not in {}",
                ran.stderr
            );
        }
        assert!(!ran.stderr.contains("panicked"), "{args:?}: {}", ran.stderr);
    };
    check(&["run", "--model", "hx"], &["`hx`", "hh, ", "lif, "]);
    check(&["models", "hx"], &["`hx`"]);
    check(&["run", "--model", "hh", "--set", "Ix=3"], &["`Ix`", "gNa"]);
    check(&["run", "--model", "hh", "--init", "Vx=3"], &["`Vx`"]);
    check(
        &["run", "--model", "hh", "--record", "V,zz", "--out", "a.csv"],
        &["`zz`"],
    );
    check(
        &["run", "--model", "hh", "--set", "I=1x"],
        &["--set", "`1x` is not a number"],
    );
    check(&["run", "--model", "hh", "--dt", "abc"], &["--dt", "`abc`"]);
    check(
        &["run", "--model", "hh", "--dt", "0"],
        &["--dt", "positive"],
    );
    check(
        &["run", "--model", "hh", "--duration", "-5"],
        &["--duration"],
    );
    check(
        &["run", "--model", "hh", "--method", "rk3"],
        &["`rk3`", "exp_euler"],
    );
    check(
        &["run", "--model", "hh", "--stride", "0"],
        &["--stride", "at least 1"],
    );
    check(
        &[
            "run", "--model", "hh", "--set", "I=1,2", "--set", "gK=1,2,3",
        ],
        &["--set I has 2 values", "--set gK has 3"],
    );
    check(
        &["run", "--model", "hh", "--set", "I=1,2", "--n", "3"],
        &["--set I has 2 values", "3 neurons"],
    );
    check(
        &["run", "--model", "hh", "--n", "1000001"],
        &["1000001", "limit"],
    );
    check(
        &["run", "--model", "hh", "--out", "x.txt"],
        &["x.txt", ".csv or .json"],
    );
    check(
        &["run", "--model", "hh", "--out", "no/such/folder/x.csv"],
        &["no/such/folder/x.csv"],
    );
    check(
        &["run", "--model", "hh", "--outt", "x.csv"],
        &["--outt", "--out"],
    );
    check(&["run"], &["--model", "--state"]);
    check(
        &["run", "--state", "lesson=99"],
        &["--state: no lesson `99`; lessons with content:"],
    );
    check(
        &["run", "--state", "ap.I=10"],
        &["--state: name the lesson"],
    );
    check(
        &["run", "--state", "lesson=3", "--widget", "zz"],
        &["--widget", "`zz`"],
    );
    check(
        &["run", "--state", "lesson=3", "--dt", "0.5"],
        &["--state", "--dt"],
    );
    check(
        &["run", "--state", "lesson=3", "--model", "hh"],
        &["--state", "--model"],
    );
    check(
        &["run", "--state", "lesson=7", "--widget", "expon"],
        &["`expon` is a synapse on a test bench"],
    );
    check(&["run", "--model", "hh", "--widget", "ap"], &["--widget"]);
    check(
        &["run", "--model-file", "missing.model"],
        &["missing.model"],
    );
    check(
        &[
            "fi", "--model", "lif", "--from", "5", "--to", "1", "--step", "1",
        ],
        &["--from 5", "--to 1"],
    );
    check(
        &[
            "fi", "--model", "lif", "--from", "0", "--to", "1", "--step", "0",
        ],
        &["--step"],
    );
    check(
        &[
            "fi", "--model", "lif", "--from", "0", "--to", "1e7", "--step", "1",
        ],
        &["limit"],
    );
    check(
        &[
            "fi", "--model", "lif", "--from", "0", "--to", "1", "--step", "1", "--param", "Q",
        ],
        &["`Q`"],
    );
    check(
        &[
            "fi", "--model", "lif", "--from", "0", "--to", "1", "--step", "1", "--set", "I=3",
        ],
        &["--set I"],
    );
}

#[test]
fn bad_input_specs_are_shown_with_a_caret() {
    let dir = TempDir::new("bad-input");
    let ran = brainplay(
        dir.path(),
        &["run", "--model", "hh", "--input", "pulses(amp=1, strat=2)"],
    );
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert!(lines[0].starts_with("error: --input"), "{}", ran.stderr);
    assert_eq!(lines[1], "  pulses(amp=1, strat=2)");
    assert_eq!(
        lines[2].find('^'),
        Some(2 + "pulses(amp=1, ".len()),
        "{}",
        ran.stderr
    );
    assert!(lines[2].contains("strat"), "{}", ran.stderr);
}

const BLOW_UP: &str = "\
model blow_up
title \"Blow-up\" \"爆炸\"
reference \"dx/dt = x^2 reaches infinity at t = 1\"
brainpy \"none\"
method euler
param a = 1 1 in [0, 2] \"unused\" \"未用\"
state x = 1 1 \"grows\" \"增长\"
dx/dt = x*x
";

#[test]
fn a_typo_in_a_model_file_reports_its_line_and_column() {
    let dir = TempDir::new("typo");
    dir.write("typo.model", &BLOW_UP.replace("dx/dt = x*x", "dx/dt = x*y"));
    let ran = brainplay(dir.path(), &["run", "--model-file", "typo.model"]);
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    let lines: Vec<&str> = ran.stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: typo.model:8:11: "),
        "{}",
        ran.stderr
    );
    assert!(lines[0].contains("`y`"), "{}", ran.stderr);
    assert_eq!(lines[1], "  dx/dt = x*y");
    assert_eq!(lines[2], "            ^");
}

#[test]
fn a_run_that_overflows_exits_3_and_keeps_what_it_computed() {
    let dir = TempDir::new("nan");
    dir.write("blow.model", BLOW_UP);
    let args = [
        "run",
        "--model-file",
        "blow.model",
        "--dt",
        "0.1",
        "--duration",
        "100",
        "--out",
        "blow.csv",
    ];
    let ran = brainplay(dir.path(), &args);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    assert!(ran.stderr.contains("`x`"), "{}", ran.stderr);
    let text = dir.read("blow.csv");
    let rows: Vec<&str> = text.lines().collect();
    assert_eq!(rows[0], "t_ms,x[0]");
    // Euler on x' = x^2 from 1 overflows after a couple of ms, long before 100 ms.
    assert!(rows.len() > 5 && rows.len() < 1000, "{} rows", rows.len());
    assert!(rows[1..]
        .iter()
        .all(|r| r.split(',').all(|v| v.parse::<f64>().unwrap().is_finite())));

    let json_args = [
        "run",
        "--model-file",
        "blow.model",
        "--dt",
        "0.1",
        "--out",
        "blow.json",
    ];
    let ran = brainplay(dir.path(), &json_args);
    assert_eq!(ran.code, 3, "{}", ran.stderr);
    let v = json(&dir.read("blow.json"));
    assert_eq!(v["model"], "blow_up");
    assert!(
        v["error"].as_str().unwrap().contains("`x`"),
        "{}",
        v["error"]
    );
    assert!(!v["t_ms"].as_array().unwrap().is_empty());
}

#[test]
fn models_lists_the_library_and_shows_one_with_its_source() {
    let dir = TempDir::new("models");
    let ran = ok(dir.path(), &["models"]);
    for id in [
        "hh",
        "lif",
        "lif_noref",
        "qif",
        "expif",
        "adex",
        "izhikevich",
        "fhn",
    ] {
        assert!(
            ran.stdout.contains(&format!("\n{id}  ")) || ran.stdout.starts_with(&format!("{id}  ")),
            "{id}"
        );
    }
    for want in [
        "Hodgkin-Huxley 模型",
        "brainpy.neurons.HH",
        "maximal sodium conductance",
        "[0, 240]",
    ] {
        assert!(ran.stdout.contains(want), "`{want}` missing");
    }
    let ran = ok(dir.path(), &["models", "hh"]);
    assert!(ran.stdout.contains("    model hh"), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("spike V crosses V_th"),
        "{}",
        ran.stdout
    );
    dir.write("blow.model", BLOW_UP);
    let ran = ok(dir.path(), &["models", "--model-file", "blow.model"]);
    assert!(ran.stdout.contains("dx/dt = x * x"), "{}", ran.stdout);
}

#[test]
fn run_help_documents_every_input_kind() {
    let dir = TempDir::new("help");
    let ran = ok(dir.path(), &["run", "--help"]);
    for kind in [
        "constant(",
        "sections(",
        "pulses(",
        "ramp(",
        "sine(",
        "ou(",
        "poisson(",
        "spikes(",
    ] {
        assert!(ran.stdout.contains(kind), "{kind} missing from run --help");
    }
    assert!(
        ran.stdout.contains("brainplay run --model hh"),
        "{}",
        ran.stdout
    );
}

#[test]
fn inputs_and_initial_states_drive_the_run() {
    let dir = TempDir::new("input");
    // A 50 ms pulse of 30 into LIF from V = V_reset fires; without it nothing does.
    let ran = ok(
        dir.path(),
        &[
            "run",
            "--model",
            "lif",
            "--input",
            "pulses(amp=[0, 30], start=10, width=50, period=100)",
            "--record",
            "V,I",
            "--stride",
            "10",
            "--out",
            "lif.json",
        ],
    );
    assert!(ran.stdout.contains("2 neurons"), "{}", ran.stdout);
    let v = json(&dir.read("lif.json"));
    assert_eq!(v["t_ms"].as_array().unwrap().len(), 100);
    assert_eq!(v["spike_times_ms"][0], serde_json::json!([]));
    assert!(!v["spike_times_ms"][1].as_array().unwrap().is_empty());
    assert_eq!(v["vars"]["I"][1][50], 30.0);
    let ran = ok(
        dir.path(),
        &[
            "run",
            "--model",
            "lif",
            "--init",
            "V=10,-5",
            "--record",
            "V",
            "--duration",
            "0.1",
            "--out",
            "v.csv",
        ],
    );
    assert!(ran.stderr.is_empty(), "{}", ran.stderr);
    let text = dir.read("v.csv");
    let row: Vec<f64> = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .map(|x| x.parse().unwrap())
        .collect();
    // One exact exponential-Euler step from 10 and from -5 towards V_rest = 0 with tau = 10 ms.
    let decay = f64::exp(-0.01);
    assert!((row[1] - 10.0 * decay).abs() < 1e-12, "{row:?}");
    assert!((row[2] + 5.0 * decay).abs() < 1e-12, "{row:?}");
}

#[test]
fn parameters_out_of_range_warn_on_stderr() {
    let dir = TempDir::new("warn");
    let ran = ok(dir.path(), &["run", "--model", "hh", "--set", "gNa=300"]);
    assert!(
        ran.stderr.contains("warning: parameter `gNa` = 300"),
        "{}",
        ran.stderr
    );
}

/// `--state` runs a lesson's simulator as the link sets it: the same traces as `run` with the
/// equivalent flags, with the keys the link cannot apply named on stderr.
#[test]
fn a_share_link_runs_like_the_equivalent_flags() {
    use brainplay_lessons::{registry, Setting};

    let dir = TempDir::new("state");
    let lesson = registry::lessons()
        .iter()
        .find(|l| l.simulators().next().is_some())
        .expect("a lesson with a simulator");
    let sim = lesson.simulators().next().unwrap();
    let model = brainplay_sim::library::get(&sim.model).unwrap();
    // A parameter set to a value inside its range that is not its default.
    let param = &model.params[0];
    let value = (param.min + param.max) / 2.0;
    let value = if value == param.default {
        param.max
    } else {
        value
    };
    let link = format!(
        "https://example.org/brainplay/lesson/{}?{}.{}={value}&{}.nope=1&zz.I=1",
        lesson.page_name(),
        sim.id,
        param.name,
        sim.id
    );
    let ran = ok(dir.path(), &["run", "--state", &link, "--out", "state.csv"]);
    let origin = format!("lesson {}, simulator `{}`", lesson.page_name(), sim.id);
    assert!(ran.stdout.contains(&origin), "{}", ran.stdout);
    for key in [format!("{}.nope", sim.id), "zz.I".to_string()] {
        assert!(
            ran.stderr.contains(&format!("notice: {key}: ")),
            "{key}: {}",
            ran.stderr
        );
    }

    let mut setting = Setting::from_block(sim);
    setting.params.insert(param.name.clone(), vec![value]);
    let list = |values: &[f64]| {
        let texts: Vec<String> = values.iter().map(f64::to_string).collect();
        texts.join(",")
    };
    let mut args: Vec<String> = ["run", "--model", &sim.model, "--out", "flags.csv"]
        .map(String::from)
        .to_vec();
    for (name, values) in &setting.params {
        args.extend(["--set".into(), format!("{name}={}", list(values))]);
    }
    for (name, values) in &setting.init {
        args.extend(["--init".into(), format!("{name}={}", list(values))]);
    }
    if let Some(input) = &setting.input {
        args.extend(["--input".into(), input.clone()]);
    }
    if let Some(method) = setting.method {
        args.extend(["--method".into(), method.clone()]);
    }
    let mut record: Vec<String> = Vec::new();
    for var in sim.plots.iter().flat_map(|p| &p.vars) {
        if !record.contains(var) {
            record.push(var.clone());
        }
    }
    args.extend([
        "--dt".into(),
        setting.dt_ms.to_string(),
        "--duration".into(),
        setting.duration_ms.to_string(),
        "--seed".into(),
        setting.seed.to_string(),
        "--record".into(),
        record.join(","),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(dir.path(), &args);
    let state_csv = dir.read("state.csv");
    assert!(state_csv.starts_with(&format!("t_ms,{}[0]", record[0])));
    assert_eq!(state_csv, dir.read("flags.csv"));

    // The `lesson=` form, as JSON.
    ok(
        dir.path(),
        &[
            "run",
            "--state",
            &format!("lesson={}&v=1", lesson.number),
            "--widget",
            &sim.id,
            "--out",
            "state.json",
        ],
    );
    let v = json(&dir.read("state.json"));
    assert_eq!(v["model"], sim.model.as_str());
    assert_eq!(v["dt_ms"], sim.dt_ms);
    assert_eq!(v["duration_ms"], sim.duration_ms);
}

/// `figure` computes what the page shows for every kind of widget, by the page's route: a
/// phase plane's fixed points and Hopf points (the course's 0.33128 and 1.41872), a phase line's
/// saddle-node, a synapse bench, the STDP window; the JSON is the page's figure data.
#[test]
fn figures_of_every_kind_come_from_a_link() {
    let dir = TempDir::new("figure");
    let ran = ok(
        dir.path(),
        &["figure", "--state", "lesson=6", "--widget", "fhn_hopf"],
    );
    for part in [
        "phase plane `fhn_hopf`",
        "stable focus",
        "hopf at I = 0.33128",
        "hopf at I = 1.41872",
        "52 hopf, 0 saddle-node",
    ] {
        assert!(ran.stdout.contains(part), "{part}: {}", ran.stdout);
    }
    // The link's I = 0.5 is past the first Hopf point: the focus is unstable.
    let ran = ok(
        dir.path(),
        &[
            "figure",
            "--state",
            "lesson=6&fhn_hopf.I=0.5",
            "--widget",
            "fhn_hopf",
        ],
    );
    assert!(ran.stdout.contains("unstable focus"), "{}", ran.stdout);
    let ran = ok(
        dir.path(),
        &["figure", "--state", "lesson=5", "--widget", "sine"],
    );
    assert!(
        ran.stdout.contains("saddle-nodes in I: 0.99999"),
        "{}",
        ran.stdout
    );
    let ran = ok(
        dir.path(),
        &["figure", "--state", "lesson=8", "--widget", "coba"],
    );
    assert!(
        ran.stdout.contains("synapse bench `coba`"),
        "{}",
        ran.stdout
    );
    assert!(ran.stdout.contains("post.V"), "{}", ran.stdout);
    let ran = ok(
        dir.path(),
        &["figure", "--state", "lesson=7", "--widget", "window"],
    );
    assert!(ran
        .stdout
        .starts_with("lesson 07-synapses, synapse figure `window`\nx\tΔw\n"));

    ok(
        dir.path(),
        &[
            "figure",
            "--state",
            "lesson=5&fhn.start=0,0",
            "--widget",
            "fhn",
            "--out",
            "fhn.json",
        ],
    );
    let v = json(&dir.read("fhn.json"));
    let plane = &v["Plane"];
    assert_eq!(plane["fixed_points"][0]["stability"], "unstable node");
    assert_eq!(plane["trajectories"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        plane["trajectories"][0][0][0],
        serde_json::json!([0.0, 0.0])
    );

    let ran = brainplay(
        dir.path(),
        &["figure", "--state", "lesson=5", "--widget", "nope"],
    );
    assert_eq!(ran.code, 2);
    assert!(
        ran.stderr.contains("has no widget `nope`"),
        "{}",
        ran.stderr
    );
    let ran = brainplay(
        dir.path(),
        &[
            "figure", "--state", "lesson=5", "--widget", "fhn", "--out", "x.csv",
        ],
    );
    assert_eq!(ran.code, 2);
    assert!(ran.stderr.contains("JSON"), "{}", ran.stderr);
}

/// `lessons` names every lesson with content and every widget `--widget` takes.
#[test]
fn lessons_lists_every_widget() {
    let dir = TempDir::new("lessons");
    let ran = ok(dir.path(), &["lessons"]);
    for lesson in brainplay_lessons::registry::lessons() {
        assert!(
            ran.stdout.contains(&lesson.page_name()),
            "{}",
            lesson.page_name()
        );
        for block in lesson.figured_blocks() {
            assert!(
                ran.stdout.contains(&format!("  {:<16} ", block.id())),
                "{}",
                block.id()
            );
        }
    }
    assert!(
        ran.stdout.contains("phase plane (fhn, V–w)"),
        "{}",
        ran.stdout
    );
}

/// `export` writes a lesson simulator's setting as a BrainPy script (the link's parameter is in
/// it) and a phase plane as BrainPy's analysis, and a widget without an export exits 2 saying so.
#[test]
fn export_writes_a_brainpy_script_from_a_link() {
    let dir = TempDir::new("export");
    let printed = ok(
        dir.path(),
        &["export", "--state", "lesson=3&ap.I=12.5", "--widget", "ap"],
    );
    for part in [
        "class HH(bp.dyn.NeuDyn):",
        "I=12.5",
        "bp.DSRunner(",
        "method='exp_auto'",
    ] {
        assert!(
            printed.stdout.contains(part),
            "no `{part}` in:\n{}",
            printed.stdout
        );
    }
    let wrote = ok(
        dir.path(),
        &[
            "export",
            "--state",
            "lesson=3&ap.I=12.5",
            "--widget",
            "ap",
            "--out",
            "ap.py",
        ],
    );
    assert!(wrote.stdout.contains("wrote ap.py"), "{}", wrote.stdout);
    assert_eq!(dir.read("ap.py"), printed.stdout);
    let plane = ok(
        dir.path(),
        &[
            "export",
            "--state",
            "lesson=6&fhn_hopf.I=0.5",
            "--widget",
            "fhn_hopf",
        ],
    );
    for part in ["bp.analysis.PhasePlane2D(", "pars_update={'I': 0.5}"] {
        assert!(
            plane.stdout.contains(part),
            "no `{part}` in:\n{}",
            plane.stdout
        );
    }
    let refused = brainplay(
        dir.path(),
        &["export", "--state", "lesson=9", "--widget", "ei"],
    );
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("has no BrainPy export yet"),
        "{}",
        refused.stderr
    );
}
