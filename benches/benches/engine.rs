//! criterion benches at small sizes: (a) the floor, (b) payplan's full-year run, (e) the
//! what-if on a prepared engine. Data comes from the deterministic generator in memory.
//!
//! `cargo bench -p payplan-bench` (add `-- floor` etc. to pick one).
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use payplan_bench::floor::floor;
use payplan_bench::gen::{generate, Spec};

const SIZES: [usize; 2] = [10_000, 100_000];

fn requests() -> Vec<(Spec, String, String)> {
    SIZES
        .iter()
        .map(|&n| {
            let ds = generate(Spec::for_transactions(n));
            (
                ds.spec,
                ds.request_csv_json(&ds.tables()),
                ds.whatif_deal_json(),
            )
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let reqs = requests();
    let mut g = c.benchmark_group("floor");
    g.sample_size(10);
    for (spec, req, _) in &reqs {
        g.throughput(Throughput::Elements(spec.transactions as u64));
        g.bench_with_input(BenchmarkId::from_parameter(spec.label()), req, |b, r| {
            b.iter(|| floor(r).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("floor_sum_only");
    g.sample_size(10);
    for (spec, req, _) in &reqs {
        let credits = payplan_bench::floor::credits(req).unwrap();
        g.throughput(Throughput::Elements(spec.transactions as u64));
        g.bench_function(BenchmarkId::from_parameter(spec.label()), |b| {
            b.iter(|| payplan_bench::floor::group_sum(&credits).len())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("payplan_run");
    g.sample_size(10);
    for (spec, req, _) in &reqs {
        if let Err(e) = payplan_core::run_json(req) {
            eprintln!(
                "payplan_run/{}: skipped, the engine returned an error: {e}",
                spec.label()
            );
            continue;
        }
        g.throughput(Throughput::Elements(spec.transactions as u64));
        g.bench_with_input(BenchmarkId::from_parameter(spec.label()), req, |b, r| {
            b.iter(|| payplan_core::run_json(r).unwrap())
        });
    }
    g.finish();

    let mut g = c.benchmark_group("whatif");
    for (spec, req, deal) in &reqs {
        let engine = match payplan_core::Engine::from_json(req)
            .and_then(|e| e.estimate_json(deal).map(|_| e))
        {
            Ok(e) => e,
            Err(e) => {
                eprintln!(
                    "whatif/{}: skipped, the engine returned an error: {e}",
                    spec.label()
                );
                continue;
            }
        };
        g.bench_function(BenchmarkId::from_parameter(spec.label()), |b| {
            b.iter(|| engine.estimate_json(deal).unwrap())
        });
    }
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
