//! `bench-table`: measure every figure of docs/benchmarks.md once and print one markdown
//! table of figures against targets.
//!
//! ```text
//! cargo run --release -p payplan-bench --bin bench-table -- [--size 1m] [--scale 100k]
//!     [--data DIR] [--out DIR] [--python PATH] [--whatif-runs N] [--repeat N] [--no-peers]
//! ```
//!
//! Each measurement runs in a child process (this binary with `--child …`) so that its peak
//! memory can be read and the one-thread run can be made with `RAYON_NUM_THREADS=1`.
//! Missing datasets are generated first (deterministic, see `payplan_bench::gen`).

use payplan_bench::gen::{generate, write_dataset, Spec};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--child") {
        std::process::exit(payplan_bench::child::child(&args[2..]));
    }
    std::process::exit(parent(&args[1..]));
}

// ------------------------------------------------------------------ parent

struct Opts {
    size: Spec,
    scale: Option<Spec>,
    data: PathBuf,
    out: PathBuf,
    python: PathBuf,
    whatif_runs: usize,
    repeat: usize,
    peers: bool,
}

fn parse_opts(args: &[String]) -> Result<Opts, String> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let default_python = {
        let venv = manifest.join("../.venv-bench/bin/python");
        if venv.exists() {
            venv
        } else {
            PathBuf::from("python3")
        }
    };
    let mut o = Opts {
        size: Spec::for_transactions(1_000_000),
        scale: Some(Spec::for_transactions(100_000)),
        data: manifest.join("data"),
        out: manifest.join("out"),
        python: std::env::var_os("PAYPLAN_BENCH_PYTHON")
            .map(PathBuf::from)
            .unwrap_or(default_python),
        whatif_runs: 1_000,
        repeat: 1,
        peers: true,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut val = || it.next().cloned().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--size" => o.size = Spec::parse_size(&val()?).ok_or("bad --size")?,
            "--scale" => {
                let v = val()?;
                o.scale = if v == "none" {
                    None
                } else {
                    Some(Spec::parse_size(&v).ok_or("bad --scale")?)
                }
            }
            "--data" => o.data = PathBuf::from(val()?),
            "--out" => o.out = PathBuf::from(val()?),
            "--python" => o.python = PathBuf::from(val()?),
            "--whatif-runs" => o.whatif_runs = val()?.parse().map_err(|_| "bad --whatif-runs")?,
            "--repeat" => o.repeat = val()?.parse().map_err(|_| "bad --repeat")?,
            "--no-peers" => o.peers = false,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

fn ensure_dataset(data: &Path, spec: Spec) -> PathBuf {
    let dir = data.join(spec.label());
    if !dir.join("request.json").exists() || !dir.join("transactions.csv").exists() {
        eprintln!("generating {} …", dir.display());
        let ds = generate(spec);
        write_dataset(&ds, &dir, false).expect("write dataset");
    }
    dir
}

fn spawn_child(args: &[&str], one_thread: bool) -> Value {
    let exe = std::env::current_exe().expect("current exe");
    let mut cmd = Command::new(exe);
    cmd.arg("--child").args(args);
    if one_thread {
        cmd.env("RAYON_NUM_THREADS", "1");
    } else {
        cmd.env_remove("RAYON_NUM_THREADS");
    }
    run_json_child(cmd)
}

fn run_json_child(mut cmd: Command) -> Value {
    match cmd.output() {
        Ok(o) => {
            let stdout = String::from_utf8_lossy(&o.stdout);
            let last = stdout
                .lines()
                .rev()
                .find(|l| l.trim_start().starts_with('{'))
                .unwrap_or("");
            match serde_json::from_str::<Value>(last) {
                Ok(v) => v,
                Err(_) => {
                    json!({ "error": format!("{} (exit {:?}): {}", "child failed", o.status.code(),
                                                  String::from_utf8_lossy(&o.stderr).lines().rev().take(3).collect::<Vec<_>>().join(" | ")) })
                }
            }
        }
        Err(e) => json!({ "error": e.to_string() }),
    }
}

fn err_of(v: &Value) -> Option<String> {
    v.get("error")
        .and_then(Value::as_str)
        .map(|s| s.to_string())
}

fn secs_of(v: &Value) -> Option<f64> {
    if err_of(v).is_some() {
        return None;
    }
    v.get("secs")
        .and_then(Value::as_f64)
        .or_else(|| v.get("seconds").and_then(Value::as_f64))
}

/// A ratio of the `pairs` child (`payplan_to_floor` or `size_to_scale`): its median, and the
/// text `6.12× (median of 3 rounds of adjacent runs, 5.90–6.41×)`.
fn paired(pairs: &Value, key: &str) -> Option<(f64, String)> {
    if err_of(pairs).is_some() {
        return None;
    }
    let p = pairs.get(key)?;
    let (m, lo, hi) = (
        p["median"].as_f64()?,
        p["min"].as_f64()?,
        p["max"].as_f64()?,
    );
    Some((
        m,
        format!(
            "{m:.2}× (median of {} rounds of adjacent runs, {lo:.2}–{hi:.2}×)",
            p["rounds"]
        ),
    ))
}

/// A ratio with two significant decimals below 10, one below 100, none above.
fn ratio(r: f64) -> String {
    if r < 10.0 {
        format!("{r:.2}×")
    } else if r < 100.0 {
        format!("{r:.1}×")
    } else {
        format!("{r:.0}×")
    }
}

fn fmt_secs(s: f64) -> String {
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{:.2} s", s)
    }
}

struct Row {
    figure: String,
    measured: String,
    target: String,
    result: &'static str,
}

fn row(
    figure: impl Into<String>,
    measured: impl Into<String>,
    target: impl Into<String>,
    pass: Option<bool>,
) -> Row {
    Row {
        figure: figure.into(),
        measured: measured.into(),
        target: target.into(),
        result: match pass {
            Some(true) => "pass",
            Some(false) => "**miss**",
            None => "—",
        },
    }
}

fn short(e: &str) -> String {
    let e = e.replace('|', "/");
    if e.len() > 80 {
        format!(
            "{}…",
            &e[..e.char_indices().nth(80).map(|(i, _)| i).unwrap_or(e.len())]
        )
    } else {
        e
    }
}

fn parent(args: &[String]) -> i32 {
    let o = match parse_opts(args) {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("bench-table: {e}");
            }
            eprintln!("usage: bench-table [--size 1m] [--scale 100k|none] [--data DIR] [--out DIR] [--python PATH] [--whatif-runs N] [--repeat N] [--no-peers]");
            return 2;
        }
    };
    std::fs::create_dir_all(&o.out).expect("create out dir");
    let dir = ensure_dataset(&o.data, o.size);
    let scale_dir = o.scale.map(|s| ensure_dataset(&o.data, s));
    let request = dir.join("request.json");
    let req = request.to_str().unwrap();
    let n = o.size.transactions as f64;
    let label = o.size.label();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let rep = o.repeat.to_string();
    let out_all = o.out.join(format!("payplan-{label}.json"));
    let out_one = o.out.join(format!("payplan-{label}-1thread.json"));

    eprintln!("[1/8] baseline process");
    let empty = spawn_child(&["empty"], false);
    eprintln!("[2/8] floor");
    // the floor is cheap: always the median of at least 3 runs
    let floor_rep = o.repeat.max(3).to_string();
    let floor = spawn_child(&["floor", req, &floor_rep], false);
    eprintln!("[3/8] payplan, all threads");
    let run_all = spawn_child(&["run", req, out_all.to_str().unwrap(), &rep], false);
    eprintln!("[4/8] payplan, one thread");
    let run_one = spawn_child(&["run", req, out_one.to_str().unwrap(), &rep], true);
    // Memory is one engine's: with repeats, the process that built several engines in turn
    // also holds what the allocator kept of the earlier ones, so one more run measures it.
    let run_mem = if o.repeat > 1 {
        eprintln!("[4b/8] payplan, all threads, once (peak memory)");
        spawn_child(&["run", req, out_all.to_str().unwrap(), "1"], false)
    } else {
        run_all.clone()
    };
    eprintln!("[5/8] payplan at the scaling size");
    let run_scale = scale_dir.as_ref().map(|d| {
        let out = o
            .out
            .join(format!("payplan-{}.json", o.scale.unwrap().label()));
        spawn_child(
            &[
                "run",
                d.join("request.json").to_str().unwrap(),
                out.to_str().unwrap(),
                &rep,
            ],
            false,
        )
    });
    // The two ratios again, from rounds of adjacent runs in one process (at least 3).
    let rounds = o.repeat.max(3).to_string();
    eprintln!("[5b/8] payplan ÷ floor and the scaling ratio from {rounds} rounds of adjacent runs");
    let scale_req = scale_dir
        .as_ref()
        .map(|d| d.join("request.json").to_str().unwrap().to_string())
        .unwrap_or_else(|| "-".to_string());
    let pairs = spawn_child(&["pairs", req, &scale_req, &rounds], false);
    eprintln!("[6/8] what-if ({} runs)", o.whatif_runs);
    let whatif = spawn_child(
        &[
            "whatif",
            req,
            dir.join("deal.json").to_str().unwrap(),
            &o.whatif_runs.to_string(),
        ],
        false,
    );

    let py_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python");
    let peer = |imp: &str| -> (Value, Value) {
        let out_csv = o.out.join(format!("{imp}-{label}.csv"));
        let mut cmd = Command::new(&o.python);
        cmd.arg(py_dir.join("peers.py"))
            .arg(imp)
            .arg(&dir)
            .arg(&out_csv);
        let t = run_json_child(cmd);
        let cmp = if err_of(&t).is_none() && err_of(&run_all).is_none() {
            let mut c = Command::new(&o.python);
            c.arg(py_dir.join("compare.py"))
                .arg(&out_all)
                .arg(&out_csv)
                .arg("--json");
            run_json_child(c)
        } else {
            json!({ "error": "not compared" })
        };
        (t, cmp)
    };
    let (pandas, pandas_cmp, decimal, decimal_cmp) = if o.peers {
        eprintln!("[7/8] pandas peer");
        let (p, pc) = peer("pandas");
        eprintln!("[8/8] Python decimal loop");
        let (d, dc) = peer("decimal");
        (p, pc, d, dc)
    } else {
        let skipped = json!({ "error": "skipped (--no-peers)" });
        (skipped.clone(), skipped.clone(), skipped.clone(), skipped)
    };

    // ---- the table
    let mut rows = Vec::new();
    let t_floor = secs_of(&floor);
    let t_all = secs_of(&run_all);
    let t_one = secs_of(&run_one);
    let t_pd = secs_of(&pandas);
    let t_dec = secs_of(&decimal);
    let fail = |v: &Value| format!("error: {}", short(&err_of(v).unwrap_or_default()));

    rows.push(row(
        format!("(a) floor: parse + group-by sum per payee × month, {label}"),
        t_floor.map(fmt_secs).unwrap_or_else(|| fail(&floor)),
        "",
        None,
    ));
    if let Some(s) = floor["sum_only_secs"].as_f64() {
        rows.push(row(
            "(a′) floor, sum only (credits already parsed; for reference)",
            fmt_secs(s),
            "",
            None,
        ));
    }
    rows.push(row(
        format!("(b) payplan full-year run, {label}, {threads} threads"),
        t_all.map(fmt_secs).unwrap_or_else(|| fail(&run_all)),
        "",
        None,
    ));
    let to_floor = paired(&pairs, "payplan_to_floor");
    match (to_floor, t_all, t_floor) {
        (Some((r, text)), a, f) => rows.push(row(
            "payplan ÷ floor",
            match (a, f) {
                (Some(a), Some(f)) => format!("{text}; {:.2}× from the medians above", a / f),
                _ => text,
            },
            "≤ 5×",
            Some(r <= 5.0),
        )),
        (None, Some(a), Some(f)) => rows.push(row(
            "payplan ÷ floor",
            format!("{:.2}× (from the medians above)", a / f),
            "≤ 5×",
            Some(a / f <= 5.0),
        )),
        _ => rows.push(row("payplan ÷ floor", "n/a", "≤ 5×", Some(false))),
    }
    rows.push(row(
        "(c) pandas (float64, vectorised)",
        t_pd.map(fmt_secs).unwrap_or_else(|| fail(&pandas)),
        "",
        None,
    ));
    match (t_pd, t_all) {
        (Some(p), Some(a)) => rows.push(row(
            "pandas ÷ payplan",
            ratio(p / a),
            "≥ 10×",
            Some(p / a >= 10.0),
        )),
        _ => rows.push(row("pandas ÷ payplan", "n/a", "≥ 10×", Some(false))),
    }
    rows.push(match err_of(&pandas_cmp) {
        None => row(
            "pandas lines off the cent (vs payplan)",
            format!(
                "{} of {} lines, {} cents in total (max {})",
                pandas_cmp["mismatched"],
                pandas_cmp["lines"],
                pandas_cmp["cents_off"].as_str().unwrap_or("?"),
                pandas_cmp["max_cents_off"].as_str().unwrap_or("?")
            ),
            "reported",
            None,
        ),
        Some(e) => row(
            "pandas lines off the cent (vs payplan)",
            format!("error: {}", short(&e)),
            "reported",
            None,
        ),
    });
    rows.push(row(
        "(d) Python decimal loop",
        t_dec.map(fmt_secs).unwrap_or_else(|| fail(&decimal)),
        "",
        None,
    ));
    match (t_dec, t_all) {
        (Some(d), Some(a)) => rows.push(row(
            "decimal loop ÷ payplan",
            ratio(d / a),
            "≥ 100×",
            Some(d / a >= 100.0),
        )),
        _ => rows.push(row("decimal loop ÷ payplan", "n/a", "≥ 100×", Some(false))),
    }
    rows.push(match err_of(&decimal_cmp) {
        None => {
            let m = decimal_cmp["mismatched"].as_u64().unwrap_or(u64::MAX);
            row(
                "decimal loop = payplan to the cent",
                format!("{} mismatched lines of {}", m, decimal_cmp["lines"]),
                "0 mismatched",
                Some(m == 0),
            )
        }
        Some(e) => row(
            "decimal loop = payplan to the cent",
            format!("error: {}", short(&e)),
            "0 mismatched",
            Some(false),
        ),
    });
    match (t_one, t_all) {
        (Some(one), Some(all)) => rows.push(row(
            format!("one thread ÷ {threads} threads"),
            format!("{:.2}× ({} vs {})", one / all, fmt_secs(one), fmt_secs(all)),
            "≥ 1.7×",
            Some(one / all >= 1.7),
        )),
        _ => rows.push(row(
            format!("one thread ÷ {threads} threads"),
            t_one.map(fmt_secs).unwrap_or_else(|| fail(&run_one)),
            "≥ 1.7×",
            Some(false),
        )),
    }
    let identical = match (std::fs::read(&out_all), std::fs::read(&out_one)) {
        (Ok(a), Ok(b)) if t_all.is_some() && t_one.is_some() => Some(a == b),
        _ => None,
    };
    rows.push(row(
        "output bytes, one thread = all threads",
        match identical {
            Some(true) => "identical".to_string(),
            Some(false) => "DIFFERENT".to_string(),
            None => "n/a".to_string(),
        },
        "identical",
        Some(identical == Some(true)),
    ));
    rows.push(match secs_of(&whatif) {
        Some(s) => row(
            format!(
                "(e) what-if, +1 deal for a rep with 2,000 deals (median of {}; prepare {})",
                whatif["runs"],
                whatif["prepare_secs"]
                    .as_f64()
                    .map(fmt_secs)
                    .unwrap_or_default()
            ),
            fmt_secs(s),
            "≤ 50 µs",
            Some(s <= 50e-6),
        ),
        None => row(
            "(e) what-if, +1 deal for a rep with 2,000 deals",
            fail(&whatif),
            "≤ 50 µs",
            Some(false),
        ),
    });
    let base = empty["rss"].as_u64().unwrap_or(0);
    match (err_of(&run_mem), run_mem["rss"].as_u64()) {
        (None, Some(rss)) => {
            let per = rss.saturating_sub(base) as f64 / n;
            let input = run_mem["input_bytes"].as_u64().unwrap_or(0) as f64 / n;
            let output = run_mem["output_bytes"].as_u64().unwrap_or(0) as f64 / n;
            rows.push(row(
                "peak memory per transaction (max RSS − empty process)",
                format!(
                    "{:.0} B ({:.0} MB peak; per txn: request text {:.0} B, output {:.0} B streamed, not held)",
                    per,
                    rss as f64 / 1e6,
                    input,
                    output
                ),
                "≤ 150 B",
                Some(per <= 150.0),
            ))
        }
        _ => rows.push(row(
            "peak memory per transaction",
            fail(&run_mem),
            "≤ 150 B",
            Some(false),
        )),
    }
    if let (Some(run_scale), Some(sc)) = (&run_scale, o.scale) {
        match (secs_of(run_scale), t_all) {
            (Some(small), Some(big)) => {
                let data_ratio = o.size.transactions as f64 / sc.transactions as f64;
                let separate = big / small;
                let limit = 10.5 * data_ratio / 10.0;
                let (r, measured) = match paired(&pairs, "size_to_scale") {
                    Some((r, text)) => (
                        r,
                        format!(
                            "{text}; {separate:.2}× from the medians ({} → {})",
                            fmt_secs(small),
                            fmt_secs(big)
                        ),
                    ),
                    None => (
                        separate,
                        format!("{separate:.2}× ({} → {})", fmt_secs(small), fmt_secs(big)),
                    ),
                };
                rows.push(row(
                    format!(
                        "{}× data ({} → {}) time ratio",
                        data_ratio,
                        sc.label(),
                        label
                    ),
                    measured,
                    format!("≤ {:.1}×", limit),
                    Some(r <= limit),
                ))
            }
            _ => rows.push(row(
                "10× data time ratio",
                fail(run_scale),
                "≤ 10.5×",
                Some(false),
            )),
        }
    }

    let head = format!(
        "payplan benchmarks — {} transactions, {} payees, seed {:#018x}, {} threads, engine {}",
        o.size.transactions,
        o.size.payees,
        o.size.seed,
        threads,
        payplan_core::ENGINE_VERSION
    );
    let mut md = format!("{head}\n\n| figure | measured | target | result |\n|---|---|---|---|\n");
    for r in &rows {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            r.figure, r.measured, r.target, r.result
        ));
    }
    println!("\n{md}");
    let _ = std::fs::write(o.out.join(format!("table-{label}.md")), &md);
    let raw = json!({
        "empty": empty, "floor": floor, "run_all": run_all, "run_one": run_one, "run_mem": run_mem, "run_scale": run_scale,
        "pairs": pairs, "whatif": whatif, "pandas": pandas, "pandas_cmp": pandas_cmp, "decimal": decimal, "decimal_cmp": decimal_cmp,
    });
    let _ = std::fs::write(
        o.out.join(format!("raw-{label}.json")),
        serde_json::to_string_pretty(&raw).unwrap(),
    );
    0
}
