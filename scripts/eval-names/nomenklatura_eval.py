#!/usr/bin/env python3
"""Scores Gapura's name-screening evaluation set with OpenSanctions' nomenklatura matcher.

Usage: nomenklatura_eval.py PAIRS_FILE [--scores OUT.csv] [--algorithm logic-v2] [--threshold T]

Each pair becomes two followthemoney Person entities: the query (name = given names +
surname, firstName, lastName, birthDate with unknown parts left out, gender, nationality as
ISO alpha-2) and the listed entry (name = the first listed name, alias = the others, same
fields). The pair is scored with nomenklatura's algorithm in its default configuration, a
score at or above the threshold counting as a match. Prints one JSON document with the
confusion counts, recall, precision, per-category recall ("same") and false-positive rate
("different"), the warm-up time and the pairs scored per second after warm-up. Run it through
scripts/bench-nomenklatura, which installs the pinned packages.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from importlib.metadata import version

T_START = time.perf_counter()
from followthemoney import model  # noqa: E402
from nomenklatura.matching import get_algorithm  # noqa: E402

IMPORT_SECONDS = time.perf_counter() - T_START

# nomenklatura's algorithms expose no match threshold of their own; OpenSanctions' yente
# screening API, which runs them, uses 0.70 by default (yente/settings.py SCORE_THRESHOLD).
DEFAULT_THRESHOLD = 0.70

ALPHA3_TO_2 = {
    "IDN": "id", "MYS": "my", "SGP": "sg", "BRN": "bn", "TLS": "tl", "PHL": "ph", "THA": "th",
    "VNM": "vn", "KHM": "kh", "MMR": "mm", "LAO": "la", "CHN": "cn", "TWN": "tw", "HKG": "hk",
    "MAC": "mo", "JPN": "jp", "KOR": "kr", "IND": "in", "PAK": "pk", "BGD": "bd", "LKA": "lk",
    "AUS": "au", "NZL": "nz", "PNG": "pg", "NLD": "nl", "DEU": "de", "GBR": "gb", "FRA": "fr",
    "USA": "us", "CAN": "ca", "SAU": "sa", "YEM": "ye", "ARE": "ae", "QAT": "qa", "OMN": "om",
    "KWT": "kw", "EGY": "eg", "TUR": "tr", "IRN": "ir", "IRQ": "iq", "SYR": "sy", "JOR": "jo",
    "AFG": "af", "RUS": "ru",
}
SEX = {"M": "male", "F": "female"}


def birth_date(d):
    """'1975-XX-XX' -> '1975', '1975-03-XX' -> '1975-03', full dates unchanged."""
    if not d:
        return None
    parts = d.split("-")
    kept = []
    for p in parts:
        if "X" in p.upper():
            break
        kept.append(p)
    return "-".join(kept) or None


def person(entity_id, names, aliases=(), first=None, last=None, dob=None, sex=None, nat=None):
    e = model.make_entity("Person")
    e.id = entity_id
    for n in names:
        e.add("name", n)
    for a in aliases:
        e.add("alias", a)
    if first:
        e.add("firstName", first)
    if last:
        e.add("lastName", last)
    bd = birth_date(dob)
    if bd:
        e.add("birthDate", bd)
    if sex in SEX:
        e.add("gender", SEX[sex])
    if nat:
        code = ALPHA3_TO_2.get(nat.upper())
        if code is None:
            print(f"warning: no alpha-2 code for nationality {nat!r}", file=sys.stderr)
        else:
            e.add("nationality", code)
    return e


def entities(pair):
    q, ls = pair["query"], pair["listed"]
    full = " ".join(x for x in (q["given_names"], q["surname"]) if x)
    query = person(f"{pair['id']}-q", [full], first=q["given_names"] or None,
                   last=q["surname"] or None, dob=q["date_of_birth"], sex=q["sex"],
                   nat=q["nationality"])
    names = ls["names"]
    listed = person(f"{pair['id']}-l", names[:1], aliases=names[1:], dob=ls["date_of_birth"],
                    sex=ls["sex"], nat=ls["nationality"])
    return query, listed


def ratio(a, b):
    return round(a / b, 4) if b else None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pairs", help="pairs.jsonl")
    ap.add_argument("--scores", help="write id,label,variation,score to this CSV file")
    ap.add_argument("--algorithm", default="logic-v2")
    ap.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    args = ap.parse_args(argv)

    with open(args.pairs, encoding="utf-8") as f:
        pairs = [json.loads(line) for line in f if line.strip()]

    algorithm = get_algorithm(args.algorithm)
    if algorithm is None:
        sys.exit(f"nomenklatura has no algorithm {args.algorithm!r}")
    config = algorithm.default_config()

    t0 = time.perf_counter()
    built = [entities(p) for p in pairs]
    build_seconds = time.perf_counter() - t0

    # Warm-up: the first comparison loads the name-matching reference data (rigour).
    t0 = time.perf_counter()
    algorithm.compare(built[0][0], built[0][1], config)
    warmup_seconds = time.perf_counter() - t0

    scores = []
    t0 = time.perf_counter()
    for query, listed in built:
        scores.append(algorithm.compare(query, listed, config).score)
    loop_seconds = time.perf_counter() - t0

    tp = fp = tn = fn = 0
    per_cat = {}
    for pair, score in sorted(zip(pairs, scores), key=lambda ps: ps[0]["variation"]):
        same = pair["label"] == "same"
        hit = score >= args.threshold
        c = per_cat.setdefault((pair["label"], pair["variation"]), [0, 0, 0.0])
        c[0] += 1
        c[1] += hit
        c[2] += score
        if same and hit:
            tp += 1
        elif same:
            fn += 1
        elif hit:
            fp += 1
        else:
            tn += 1

    def sweep(th):
        t = sum(1 for p, s in zip(pairs, scores) if p["label"] == "same" and s >= th)
        f = sum(1 for p, s in zip(pairs, scores) if p["label"] != "same" and s >= th)
        n_same = sum(1 for p in pairs if p["label"] == "same")
        return {"threshold": th, "recall": ratio(t, n_same), "precision": ratio(t, t + f),
                "false_positives": f}

    result = {
        "algorithm": algorithm.NAME,
        "nomenklatura_version": version("nomenklatura"),
        "followthemoney_version": version("followthemoney"),
        "rigour_version": version("rigour"),
        "configuration": "default (algorithm.default_config())",
        "threshold": args.threshold,
        "threshold_source": "nomenklatura exposes no default match threshold; 0.70 is the "
                            "default of OpenSanctions' yente API (SCORE_THRESHOLD)"
        if args.threshold == DEFAULT_THRESHOLD else "given on the command line",
        "pairs_file": args.pairs,
        "pairs": len(pairs),
        "same": tp + fn,
        "different": fp + tn,
        "true_positives": tp,
        "false_positives": fp,
        "true_negatives": tn,
        "false_negatives": fn,
        "recall": ratio(tp, tp + fn),
        "precision": ratio(tp, tp + fp),
        "f1": ratio(2 * tp, 2 * tp + fp + fn),
        "recall_by_category": {v: {"pairs": n, "recall": ratio(h, n), "mean_score": round(s / n, 4)}
                               for (lab, v), (n, h, s) in per_cat.items() if lab == "same"},
        "false_positive_rate_by_category": {v: {"pairs": n, "false_positive_rate": ratio(h, n),
                                                "mean_score": round(s / n, 4)}
                                            for (lab, v), (n, h, s) in per_cat.items()
                                            if lab == "different"},
        "other_thresholds": [sweep(t) for t in (0.5, 0.6, 0.7, 0.8, 0.9)],
        "import_seconds": round(IMPORT_SECONDS, 3),
        "entity_build_seconds": round(build_seconds, 3),
        "warmup_seconds": round(warmup_seconds, 3),
        "scoring_loop_seconds": round(loop_seconds, 3),
        "pairs_per_second": round(len(pairs) / loop_seconds, 1) if loop_seconds else None,
        "mean_microseconds_per_pair": round(loop_seconds / len(pairs) * 1e6, 1),
    }
    if args.scores:
        with open(args.scores, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id", "label", "variation", "score"])
            for pair, score in zip(pairs, scores):
                w.writerow([pair["id"], pair["label"], pair["variation"], f"{score:.6f}"])
        result["scores_csv"] = args.scores
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
