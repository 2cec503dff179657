"""Runs examples/score_auc.rs and examples/peer_auc.py on the four public data sets
(prepared by examples/lead_datasets.py), for several sizes of history and seeds, and prints
the mean held-out AUC of the rule score, `leads learn` and scikit-learn's
HistGradientBoostingClassifier (default settings) on the same rows.

    cargo build --release --example score_auc
    python3 examples/lead_datasets.py /work/data
    python3 examples/lead_benchmark.py /work/data [DATASET...] [--sizes 10+10,100,300,all]
        [--seeds 1-5]

A size is a number of closed leads learned from (a seeded draw of the training rows),
"10+10" (ten won and ten lost) or "all" (the 70% not held out).
"""
import re
import subprocess
import sys
import tempfile
from pathlib import Path

X_EDUCATION_AFTER_THE_OUTCOME = [
    "Tags", "Lead Quality", "Lead Profile", "Asymmetrique Activity Index",
    "Asymmetrique Profile Index", "Asymmetrique Activity Score", "Asymmetrique Profile Score",
    "Last Notable Activity",
]
DATASETS = {
    "xeducation": ("Leads.csv", [a for c in X_EDUCATION_AFTER_THE_OUTCOME for a in ("--drop", c)]),
    "bank": ("bank.csv", []),
    "olist": ("olist.csv", []),
    "crm": ("crm.csv", []),
}
SCORE_AUC = Path(__file__).resolve().parent.parent / "target/release/examples/score_auc"
PEER = Path(__file__).resolve().parent / "peer_auc.py"


def run(data, name, size, seed):
    file, extra = DATASETS[name]
    with tempfile.TemporaryDirectory() as split:
        args = [str(SCORE_AUC), str(Path(data) / file), *extra, "--seed", str(seed),
                "--save", split]
        if size.endswith("+" + size.split("+")[0]) and "+" in size:
            args += ["--train-each", size.split("+")[0]]
        elif size != "all":
            args += ["--train-rows", size]
        out = subprocess.run(args, capture_output=True, text=True).stdout
        score = re.search(r"before learn: score ([0-9.]+|n/a)", out)
        learned = re.search(r"after `leads learn` on the rest: ([0-9.]+|n/a)", out)
        method = re.search(r"^model: (.+?) over", out, re.M)
        peer = subprocess.run([sys.executable, "-W", "ignore", str(PEER), split],
                              capture_output=True, text=True).stdout
        hgb = re.search(r"HistGradientBoosting ([0-9.]+)", peer)
    number = lambda m: float(m.group(1)) if m and m.group(1) != "n/a" else None
    return number(score), number(learned), number(hgb), method.group(1) if method else "-"


def mean(values):
    values = [v for v in values if v is not None]
    return f"{sum(values) / len(values):.3f}" if values else "n/a"


def main():
    args = sys.argv[1:]
    data = args.pop(0)
    sizes, seeds, names = ["10+10", "100", "300", "all"], [1, 2, 3, 4, 5], []
    while args:
        arg = args.pop(0)
        if arg == "--sizes":
            sizes = args.pop(0).split(",")
        elif arg == "--seeds":
            low, _, high = args.pop(0).partition("-")
            seeds = list(range(int(low), int(high or low) + 1))
        else:
            names.append(arg)
    print("| data set | closed leads | rule score | learn | HistGradientBoosting | kept |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name in names or DATASETS:
        for size in sizes:
            runs = [run(data, name, size, seed) for seed in seeds]
            # A draw with fewer than 10 won or 10 lost leads is not learned from: every
            # mean is over the draws `learn` took, so each column counts the same rows.
            learned = [r for r in runs if r[1] is not None]
            note = "" if len(learned) == len(runs) else f" ({len(learned)} of {len(runs)} draws)"
            kept = sorted({r[3] for r in learned})
            print(f"| {name} | {size}{note} | {mean(r[0] for r in learned)} "
                  f"| {mean(r[1] for r in learned)} | {mean(r[2] for r in learned)} "
                  f"| {', '.join(kept)} |", flush=True)


if __name__ == "__main__":
    main()
