//! The evaluation set of invented people (testdata/eval/pairs.jsonl): recall and precision
//! at the default threshold must stay above the floors below. docs/screening.md gives the
//! figures; `GAPURA_EVAL_VERBOSE=1` prints every miss.

use gapura_screening::eval::{evaluate, read_pairs};
use gapura_screening::DEFAULT_THRESHOLD;

/// Floors: the figures measured when the set was written (recall 0.931, precision 1.000),
/// less a margin.
const RECALL_MIN: f64 = 0.91;
const PRECISION_MIN: f64 = 0.97;

#[test]
fn evaluation_set_recall_and_precision_at_the_default_threshold() {
    let pairs = read_pairs(include_str!("../../testdata/eval/pairs.jsonl")).unwrap();
    let r = evaluate(&pairs, DEFAULT_THRESHOLD, &[0.7, 0.75, 0.85, 0.9]).unwrap();
    let c = r.at_threshold;
    println!("threshold {DEFAULT_THRESHOLD}: {c:?} recall {:.3} precision {:.3}", c.recall(), c.precision());
    for s in &r.sweep {
        println!("  threshold {}: recall {:.3} precision {:.3}", s.threshold, s.recall(), s.precision());
    }
    for (cat, (hits, n)) in &r.by_category {
        println!("  {cat:44} {hits:4}/{n:4}");
    }
    if std::env::var_os("GAPURA_EVAL_VERBOSE").is_some() {
        r.errors.iter().for_each(|e| println!("{e}"));
    }
    assert!(c.recall() >= RECALL_MIN, "recall {:.3} below {RECALL_MIN}", c.recall());
    assert!(c.precision() >= PRECISION_MIN, "precision {:.3} below {PRECISION_MIN}", c.precision());
}
