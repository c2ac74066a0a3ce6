"""Time the reading commands over a stored region: `kit report` (table, CSV, xlsx), `kit monitor`
and `kit werkvoorraad`, each as a user runs it (a whole `kit` process).

    python bench/lists.py --providers 10000                 # builds the region once, then times
    python bench/lists.py --providers 10000 --db /tmp/r.db  # keep the stored region for next time

The region is generated and screened into the database first (kit.services.batch, as bench/run.py
does) unless the database already holds that many submissions. kit's modules are compiled to
bytecode first, as an installed kit's are: a checkout run with PYTHONDONTWRITEBYTECODE would
otherwise compile them again in every timed run (0.15 s each). Each command runs --runs times; the
report gives the median and the slowest wall time per command, and the median CPU time (user and
system) of the process: on a machine shared with other work the wall time grows with the load,
the CPU time much less. `--only report_xlsx` (repeatable) times only the commands named. The
last line is machine-readable: `providers=N report_s=X … werkvoorraad_s=W` (wall medians).
"""

from __future__ import annotations

import argparse
import compileall
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import region  # noqa: E402
from kit.errors import KitError  # noqa: E402
from kit.services.batch import Item, screen_many  # noqa: E402
from kit.store import Store  # noqa: E402

AS_OF = "2025-01-02"


def stored_region(db_url: str, providers: int) -> None:
    """The database holds `providers` screened submissions (screened now if it does not)."""
    try:
        store = Store(db_url)
    except KitError as exc:  # a region kept from an older kit: `kit db upgrade --db …` first
        raise SystemExit(exc.message) from None
    with store:
        if store.counts()["submissions"] == providers:
            return
        if store.counts()["submissions"]:
            raise SystemExit(f"{db_url} holds another region; give another --db")
    start = time.perf_counter()
    items = (Item(f"gegenereerd:{i}", json.dumps(case)) for i, case in enumerate(region(providers)))
    report = screen_many(items, db_url)
    print(
        f"region of {report.submissions} screened and stored in {time.perf_counter() - start:.0f} s"
    )


def _cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def timed(args: list[str], runs: int) -> tuple[float, float, float]:
    """Median and slowest wall seconds of `kit ARGS` as a separate process, and its median CPU
    seconds."""
    seconds, cpu = [], []
    for _ in range(runs):
        cpu_before = _cpu_of_children()
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "kit", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        seconds.append(time.perf_counter() - start)
        cpu.append(_cpu_of_children() - cpu_before)
        if done.returncode not in (0, 3):  # 3: monitor found something overdue
            raise SystemExit(f"kit {' '.join(args)} failed ({done.returncode}): {done.stderr}")
    return statistics.median(seconds), max(seconds), statistics.median(cpu)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10000)
    parser.add_argument(
        "--db", help="SQLite file to keep the stored region in (default: a temp dir)"
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="time only this command (repeatable)"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kit-lists-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "kit.db"
        db_url = f"sqlite:///{path}"
        stored_region(db_url, args.providers)
        compileall.compile_dir(ROOT / "kit", quiet=1)
        xlsx = Path(tmp) / "lijst.xlsx"
        commands = {
            "report": ["report", "--peildatum", AS_OF],
            "report_csv": ["report", "--formaat", "csv", "--peildatum", AS_OF],
            "report_xlsx": [
                "report",
                "--formaat",
                "xlsx",
                "--uitvoer",
                str(xlsx),
                "--peildatum",
                AS_OF,
            ],
            "monitor": ["monitor", "--peildatum", AS_OF],
            "werkvoorraad": ["werkvoorraad", "--peildatum", AS_OF],
        }
        unknown = set(args.only or ()) - set(commands)
        if unknown:
            raise SystemExit(
                f"--only: unknown {', '.join(sorted(unknown))}; one of {', '.join(commands)}"
            )
        medians = {}
        print(f"{args.providers} submissions stored; each command {args.runs} times (seconds)")
        for name, command in commands.items():
            if args.only and name not in args.only:
                continue
            median, slowest, cpu = timed([*command, "--db", db_url], args.runs)
            medians[name] = median
            print(
                f"  kit {' '.join(command):<60} median {median:5.2f}  slowest {slowest:5.2f}"
                f"  cpu {cpu:5.2f}"
            )
    print(
        f"providers={args.providers} "
        + " ".join(f"{name}_s={seconds:.2f}" for name, seconds in medians.items())
    )


if __name__ == "__main__":
    main()
