"""Benchmark: screen a generated region end to end, store included, and report where time goes.

    python bench/run.py --providers 1000
    python bench/run.py --providers 10000 --workers 2
    python bench/run.py --providers 1000 --rescreen 2026-02-01   # then the stored region again
    python bench/run.py --providers 300 --profile        # one process under cProfile

The region comes from bench/generate.py (seeded). The screening runs through kit.services.batch
(worker processes; each parses, evaluates, gives verdicts and stores its batches into one temporary
SQLite database). Printed: submissions/s, findings/s, wall time, peak memory, and per stage
(parse, evaluate, verdict, store) the seconds summed over the processes. Then the durable_rules
engine and the plain-Python reference evaluator (kit/reference.py) are timed on the same
submissions in one process. The last line is machine-readable:

    providers=N wall_s=X peak_mb=Y engine_vs_reference=R

R is engine time per submission divided by reference time per submission: CPU time in one
process, the two taking turns per submission, median over 5 rounds.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import PERIODS, region
from kit.case.checks import parse_case
from kit.engine import Engine, engine_for
from kit.kinds.rulesets import shipped_rulesets
from kit.reference import Reference
from kit.rules.loader import select_ruleset
from kit.services.batch import (
    STAGES,
    Item,
    Report,
    batches,
    rescreen_stored,
    screen_batch,
    screen_many,
)
from kit.store import Store

ROOT = Path(__file__).resolve().parent.parent


def per_submission(
    evaluators: dict[str, type], subs: list, as_of: date | None, rounds: int = 5
) -> tuple[dict[str, float], float]:
    """CPU seconds per submission of each evaluator, and the median over `rounds` of the ratio
    first/second. The evaluators take turns per submission, so both see the same machine."""
    rulesets = shipped_rulesets()
    picked = []
    for sub in subs:
        day = as_of or sub.submitted_on
        picked.append(
            (
                sub,
                day,
                [engine_for(select_ruleset(rulesets, day), kind) for kind in evaluators.values()],
            )
        )
    for sub, day, evaluators_of in picked[:20]:  # compile and warm up
        for evaluator in evaluators_of:
            evaluator.evaluate(sub, day)
    clock = time.process_time
    totals = [0.0] * len(evaluators)
    ratios = []
    for _ in range(rounds):
        spent = [0.0] * len(evaluators)
        for sub, day, evaluators_of in picked:
            for i, evaluator in enumerate(evaluators_of):
                start = clock()
                evaluator.evaluate(sub, day)
                spent[i] += clock() - start
        ratios.append(spent[0] / spent[1])
        totals = [t + s for t, s in zip(totals, spent, strict=True)]
    per = {
        name: total / rounds / len(picked) for name, total in zip(evaluators, totals, strict=True)
    }
    return per, statistics.median(ratios)


def show(label: str, report: Report, wall: float) -> None:
    n, found = report.submissions, report.findings
    print(f"{label}: {n} submissions, {found} findings, {len(report.errors)} errors")
    print(f"  wall {wall:.2f} s: {n / wall:.0f} submissions/s, {found / wall:.0f} findings/s")
    print("  stage      seconds  submissions/s  (seconds summed over the worker processes)")
    for stage in STAGES:
        seconds = report.seconds.get(stage, 0.0)
        rate = f"{n / seconds:13.0f}" if seconds else f"{'-':>13}"
        print(f"  {stage:9s} {seconds:8.2f} {rate}")
    print(
        f"  peak memory {sum(report.peak_mb.values()):.0f} MB "
        f"(sum over {len(report.peak_mb)} processes; "
        f"largest {max(report.peak_mb.values()):.0f} MB)"
    )
    for error in report.errors[:5]:
        print(f"  fout: {error}")


def kit_process(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds and peak memory (MB, the process and its workers together at their own
    peaks: an upper bound) of `kit ARGS` run as a user runs it."""
    script = (
        "import resource, runpy, sys\n"
        "sys.argv = ['kit', *sys.argv[1:]]\n"
        "try:\n"
        "    runpy.run_module('kit', run_name='__main__')\n"
        "finally:\n"
        "    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "    sys.stderr.write(f'peak_kb={own} {kids}\\n')\n"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT
    )
    wall = time.perf_counter() - start
    own, kids = (
        line.split("=", 1)[1].split() for line in done.stderr.splitlines() if "peak_kb=" in line
    ).__next__()
    # ru_maxrss of the children is the largest one; the workers run side by side.
    workers = os.cpu_count() or 1
    return wall, (int(own) + workers * int(kids)) / 1024, done


def timed_impact(db_url: str, tmp: Path) -> str:
    """`kit rules impact` of a copy of the rules with the VOG period of a zelfstandige from 36
    to 24 months, over the stored region."""
    import shutil

    import yaml

    rules = tmp / "proef"
    shutil.copytree(ROOT / "rules", rules)
    path = rules / "kit-2025" / "50-personeel.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        if rule["id"] == "S6-vog-zelfstandige":
            rule["max_age_months"] = 24
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    wall, peak, done = kit_process(["rules", "impact", str(rules), "--db", db_url, "--json"])
    if done.returncode != 0:
        raise SystemExit(f"kit rules impact failed: {done.stderr[-2000:]}")
    summary = json.loads(done.stdout)[0]
    print(
        f"kit rules impact: {summary['submissions']} submissions in {wall:.2f} s, peak "
        f"{peak:.0f} MB (upper bound); {summary['verdicts_changed']} verdicts change, "
        f"{summary['extra_repair_requests']} extra repair requests"
    )
    return f" impact_s={wall:.2f} impact_peak_mb={peak:.0f}"


def timed_screen_dir(cases: Path, tmp: Path, wall: float) -> str:
    """`kit screen DIR` of the same region as one JSON file per case, into a fresh database,
    against the benchmark's own wall time."""
    directory = tmp / "cases"
    directory.mkdir()
    with open(cases, encoding="utf-8") as lines:
        for i, line in enumerate(lines):
            (directory / f"case-{i:05d}.json").write_text(line, encoding="utf-8")
    db_url = f"sqlite:///{tmp / 'screen-dir.db'}"
    seconds, _, done = kit_process(["screen", str(directory), "--db", db_url])
    if done.returncode not in (0, 1):  # 1: findings
        raise SystemExit(f"kit screen failed: {done.stderr[-2000:]}")
    print(f"kit screen DIR: {seconds:.2f} s wall, {seconds / wall:.2f}x the benchmark's wall")
    return f" screen_dir_s={seconds:.2f} screen_dir_vs_wall={seconds / wall:.2f}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Screen a generated region end to end and time it."
    )
    parser.add_argument("--providers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--period", choices=sorted(PERIODS), default="2025")
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="screen on this date; default: each submission's own date",
    )
    parser.add_argument(
        "--rescreen",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="then re-screen the whole stored region on DATE (its latest screenings)",
    )
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", type=int, default=100, help="submissions per transaction")
    parser.add_argument(
        "--sample",
        type=int,
        default=500,
        help="submissions timed for engine_vs_reference (default 500)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="one process under cProfile; print the top"
    )
    parser.add_argument(
        "--impact",
        action="store_true",
        help="then time `kit rules impact` over the stored region (the VOG period 36 -> 24)",
    )
    parser.add_argument(
        "--screen-dir",
        action="store_true",
        help="then time `kit screen DIR` of the region as case files, into a fresh database",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="kit-bench-") as tmp:
        cases = Path(tmp) / "region.jsonl"
        start = time.perf_counter()
        with open(cases, "w", encoding="utf-8") as out:
            out.writelines(
                json.dumps(case, ensure_ascii=False) + "\n"
                for case in region(args.providers, args.seed, args.period)
            )
        generated = time.perf_counter() - start
        db_url = f"sqlite:///{Path(tmp) / 'kit.db'}"

        def items():  # read lazily: the region is never in memory at once
            with open(cases, encoding="utf-8") as lines:
                for i, line in enumerate(lines):
                    yield Item(f"gegenereerd:{i}", line)

        processes = "one process under cProfile" if args.profile else f"{args.workers} worker(s)"
        print(
            f"kit benchmark: {args.providers} providers (seed {args.seed}, period {args.period}), "
            f"{processes}, batches of {args.batch}; region generated in {generated:.1f} s"
        )
        start = time.perf_counter()
        if args.profile:
            profile = cProfile.Profile()
            report = Report()
            store = Store(db_url)
            profile.enable()
            for chunk in batches(items(), args.batch):
                report.add(screen_batch(chunk, store, args.as_of))
            profile.disable()
        else:
            report = screen_many(
                items(), db_url, args.as_of, workers=args.workers, batch_size=args.batch
            )
        wall = time.perf_counter() - start
        show("screening", report, wall)
        # The screening's peak: every process at its own peak at once (an upper bound).
        peak = sum(report.peak_mb.values())
        if args.profile:
            pstats.Stats(profile).sort_stats("tottime").print_stats(25)
        if args.rescreen:
            start = time.perf_counter()
            again = rescreen_stored(
                db_url, args.rescreen, workers=args.workers, batch_size=args.batch
            )
            show(
                f"re-screening the stored region on {args.rescreen.isoformat()}",
                again,
                time.perf_counter() - start,
            )
        counts = Store(db_url).counts()
        print(
            f"stored: {counts['submissions']} submissions, {counts['screenings']} screenings, "
            f"{counts['findings']} findings"
        )
        extra = ""
        if args.impact:
            extra += timed_impact(db_url, Path(tmp))
        if args.screen_dir:
            extra += timed_screen_dir(cases, Path(tmp), wall)

    sample = [
        parse_case(case, "gegenereerd").submission
        for case in region(min(args.sample, args.providers), args.seed, args.period)
    ]
    times, ratio = per_submission({"engine": Engine, "reference": Reference}, sample, args.as_of)
    print(
        f"per submission on {len(sample)} submissions, one process, CPU time: "
        f"engine {times['engine'] * 1000:.2f} ms, reference {times['reference'] * 1000:.2f} ms"
    )
    print(
        f"providers={args.providers} wall_s={wall:.2f} peak_mb={peak:.0f} "
        f"engine_vs_reference={ratio:.2f}{extra}"
    )


if __name__ == "__main__":
    main()
