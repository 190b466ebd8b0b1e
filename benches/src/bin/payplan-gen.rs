//! `payplan-gen SIZE... [--out DIR] [--objects] [--seed N]`: write benchmark datasets into
//! `DIR/<size>/` (default `benches/data`). SIZE is `10k`, `100k`, `1m`, `10m` or a number.
use payplan_bench::gen::{generate, write_dataset, Spec};
use std::path::PathBuf;

fn main() {
    let mut out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data"));
    let mut objects = false;
    let mut seed = None;
    let mut sizes = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = PathBuf::from(args.next().expect("--out DIR")),
            "--objects" => objects = true,
            "--seed" => {
                seed = Some(
                    args.next()
                        .expect("--seed N")
                        .parse::<u64>()
                        .expect("seed: a number"),
                )
            }
            "-h" | "--help" => {
                eprintln!("usage: payplan-gen SIZE... [--out DIR] [--objects] [--seed N]   (SIZE: 10k 100k 1m 10m or a number)");
                return;
            }
            s => sizes.push(Spec::parse_size(s).unwrap_or_else(|| panic!("bad size {s:?}"))),
        }
    }
    if sizes.is_empty() {
        sizes.push(Spec::for_transactions(10_000));
    }
    for mut spec in sizes {
        if let Some(s) = seed {
            spec.seed = s;
        }
        let t = std::time::Instant::now();
        let ds = generate(spec);
        let dir = out.join(spec.label());
        write_dataset(&ds, &dir, objects).expect("write dataset");
        eprintln!(
            "wrote {} ({} transactions, {} payees, whale {} with {} deals) in {:.1} s",
            dir.display(),
            ds.transactions.len(),
            ds.payees.len(),
            ds.whale_id(),
            ds.whale_deals,
            t.elapsed().as_secs_f64()
        );
    }
}
