"""The web application under abuse (issue 26): while 10 logged-in clients browse a region of
5,000 submissions, 150 clients at once try to log in with made-up names (each from an address
of its own, as a botnet would) and 20 export the central list in parallel; afterwards 1,000 Word
letters are downloaded. Against a real `kit serve` process, on SQLite or PostgreSQL.

    python bench/abuse.py                                   # SQLite, a fresh temporary region
    python bench/abuse.py --db /tmp/abuse.db                # keep the SQLite region for reruns
    python bench/abuse.py --database-url postgresql+psycopg://…/kit_abuse

Targets: the browsing clients' median under 300 ms and p99 under 1 s; the server's resident
memory under 600 MB after the letters. The last line is machine-readable:
`backend=… submissions=N browse_median_ms=X browse_p99_ms=Y … rss_after_letters_mb=Z`.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2 as httpx  # the test dependency FastAPI's TestClient uses

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lists import stored_region  # noqa: E402
from kit.services.accounts import add_account  # noqa: E402
from kit.services.actor import Actor  # noqa: E402
from kit.store import Store  # noqa: E402
from kit.store.connect import engines  # noqa: E402
from kit.store.schema import upgrade  # noqa: E402

PASSWORD = "bench-wachtwoord-123"
ACCOUNTS = {"bench-reviewer": "reviewer", "bench-export": "reviewer", "bench-toezicht": "toezicht"}
LIST_PAGES = [
    "/",
    "/?pagina=40",
    "/?uitspraak=herstel-nodig&sorteer=termijn",
    "/?perceel=wmo-dagbesteding&risico=oranje&pagina=3",
    "/?sorteer=uitspraak&pagina=7",
]


def address(number: int) -> dict[str, str]:
    """A client address of its own (the server trusts X-Forwarded-For from its local proxy)."""
    return {"X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"}


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(db_url: str) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "kit", "serve", "--poort", str(port), "--db", db_url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(f"{base}/aanmelden", timeout=2)
            return server, base
        except httpx.HTTPError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("kit serve did not answer within 30 s")


def logged_in(base: str, name: str, number: int) -> httpx.Client:
    client = httpx.Client(base_url=base, headers=address(number), timeout=120)
    for _ in range(100):
        found = re.search(r'name="csrf" value="([^"]+)"', client.get("/aanmelden").text)
        if found:
            data = {"naam": name, "wachtwoord": PASSWORD, "csrf": found.group(1)}
            if client.post("/aanmelden", data=data).status_code == 303:
                return client
        time.sleep(0.2)  # 429: busy
    raise SystemExit(f"{name} could not log in")


def until(stop: threading.Event, work: Callable[[], None]) -> None:
    while not stop.is_set():
        try:
            work()
        except httpx.HTTPError:
            pass


def attack(base: str, logins: int, exports: int, seconds: float, results: Any) -> None:
    """`logins` clients logging in with made-up names, each try from a new address, and
    `exports` exporting the central list as one reviewer, for `seconds` (plus a margin)."""
    # The attackers are elsewhere in reality: on this machine their client work (a new
    # connection per try, 150 threads) runs at the lowest priority, so that it does not take the
    # server's cores.
    os.nice(19)
    rng = random.Random(7)
    stop = threading.Event()
    answers: Counter[str] = Counter()
    lock = threading.Lock()
    numbers = itertools.count(10_000)
    exporter = logged_in(base, "bench-export", 1000)

    def flood() -> None:
        with httpx.Client(base_url=base, headers=address(next(numbers)), timeout=120) as client:
            answer = client.get("/aanmelden")
            found = re.search(r'name="csrf" value="([^"]+)"', answer.text)
            if found:  # else refused at the door (429)
                guess = {"naam": f"gok-{rng.randrange(10**6)}", "wachtwoord": "raden-maar"}
                answer = client.post("/aanmelden", data={**guess, "csrf": found.group(1)})
        with lock:
            answers[f"login_{answer.status_code}"] += 1

    def export() -> None:
        path = "/export.xlsx" if rng.random() < 0.5 else "/export.csv"
        answer = exporter.get(path)
        with lock:
            answers[f"export_{answer.status_code}"] += 1

    workers = [threading.Thread(target=until, args=(stop, flood)) for _ in range(logins)]
    workers += [threading.Thread(target=until, args=(stop, export)) for _ in range(exports)]
    for worker in workers:
        worker.start()
    time.sleep(seconds + 3)
    stop.set()
    for worker in workers:
        worker.join()
    results.put(dict(answers))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=5000)
    parser.add_argument("--database-url", help="a PostgreSQL (or SQLite) URL; else SQLite")
    parser.add_argument("--db", help="SQLite file to keep the region in")
    parser.add_argument("--logins", type=int, default=150)
    parser.add_argument("--exports", type=int, default=20)
    parser.add_argument("--browsers", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60, help="of browsing under the flood")
    parser.add_argument("--letters", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kit-abuse-") as tmp:
        if args.database_url:
            db_url = args.database_url
        else:
            db_url = f"sqlite:///{Path(args.db) if args.db else Path(tmp) / 'kit.db'}"
        upgrade(engines(db_url))  # a fresh database gets the schema, a kept one this kit's
        stored_region(db_url, args.providers)
        store = Store(db_url)
        for name, role in ACCOUNTS.items():
            if store.account(name) is None:
                add_account(store, Actor("bench", "beheer"), name, role, PASSWORD)
        ids = [row[1] for row in store.latest_overview()]
        store.close()
        run(db_url, ids, args)


def run(db_url: str, ids: list[str], args: argparse.Namespace) -> None:
    server, base = serve(db_url)
    try:
        figures = measure(server.pid, base, ids, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    backend = "postgresql" if db_url.startswith("postgres") else "sqlite"
    print(
        f"backend={backend} submissions={len(ids)} "
        + " ".join(f"{key}={value}" for key, value in figures.items())
    )


def measure(pid: int, base: str, ids: list[str], args: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(26)
    browsers = [logged_in(base, "bench-reviewer", n) for n in range(args.browsers)]
    for browser in browsers:  # the list built once before the clock starts, as in use
        browser.get("/")
    print(f"server after logging in: {rss_mb(pid):.0f} MB")
    quiet = []
    for number in range(50):
        start = time.perf_counter()
        browsers[number % len(browsers)].get(LIST_PAGES[number % len(LIST_PAGES)])
        quiet.append((time.perf_counter() - start) * 1000)
    print(f"browsing alone, one request at a time: median {statistics.median(quiet):.0f} ms")
    stop = threading.Event()
    timings: list[float] = []
    answers: Counter[str] = Counter()
    lock = threading.Lock()

    def browse(client: httpx.Client) -> Callable[[], None]:
        def one() -> None:
            path = (
                rng.choice(LIST_PAGES) if rng.random() < 0.5 else f"/inschrijving/{rng.choice(ids)}"
            )
            start = time.perf_counter()
            answer = client.get(path)
            seconds = time.perf_counter() - start
            with lock:
                timings.append(seconds * 1000)
                answers[f"browse_{answer.status_code}"] += 1

        return one

    attackers = multiprocessing.get_context("fork").Queue()
    attacking = multiprocessing.get_context("fork").Process(
        target=attack, args=(base, args.logins, args.exports, args.seconds, attackers)
    )
    attacking.start()  # its own process: its threads do not slow the browsers' clock
    time.sleep(2)  # the attack under way
    workers = [threading.Thread(target=until, args=(stop, browse(b))) for b in browsers]
    for worker in workers:
        worker.start()
    time.sleep(args.seconds)
    stop.set()
    for worker in workers:
        worker.join()
    answers.update(attackers.get())
    attacking.join()
    after_flood = rss_mb(pid)
    print(f"under the flood for {args.seconds:.0f} s: {dict(sorted(answers.items()))}")
    print(f"server after the flood: {after_flood:.0f} MB")

    letters = Counter()
    letter_ids = iter(itertools.cycle(rng.sample(ids, min(200, len(ids)))))
    downloaders = [logged_in(base, "bench-toezicht", 2000 + n) for n in range(4)]
    letter_lock = threading.Lock()

    def download(client: httpx.Client) -> None:
        while True:
            with letter_lock:
                if letters[200] >= args.letters:
                    return
                sub = next(letter_ids)
            answer = client.get(f"/inschrijving/{sub}/brief/besluit.docx")
            with letter_lock:
                letters[answer.status_code] += 1
            if answer.status_code == 429:
                time.sleep(0.05)

    threads = [threading.Thread(target=download, args=(d,)) for d in downloaders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"letters: {dict(letters)}")
    ordered = sorted(timings)
    return {
        "quiet_median_ms": round(statistics.median(quiet)),
        "browse_requests": len(ordered),
        "browse_median_ms": round(statistics.median(ordered)),
        "browse_p99_ms": round(ordered[int(len(ordered) * 0.99) - 1]),
        "logins_tried": sum(v for k, v in answers.items() if k.startswith("login_")),
        "logins_429": answers["login_429"],
        "exports_ok": answers["export_200"],
        "exports_429": answers["export_429"],
        "rss_after_flood_mb": round(after_flood),
        "letters": letters[200],
        "rss_after_letters_mb": round(rss_mb(pid)),
    }


if __name__ == "__main__":
    main()
