"""Time the web application's pages over a stored region: a page of the central list (plain,
filtered, sorted, far down), the submission page, the werkvoorraad and toezicht's page (each a
table at a time, filtered, sorted, paged), as the server answers them.

    python bench/web.py --providers 10000 --db /tmp/r.db   # builds the region once, then times

The region is generated and stored as bench/lists.py does (and upgraded to this kit's schema).
Requests go to the application in this process (FastAPI's test client, logged in as a reviewer),
so the time is the server's, without a network. The first request of a page builds what it
reads over the whole region (reported apart, as `cold`); later ones read it kept, until the
store changes. Last line: `providers=N list_ms=X submission_ms=Y werkvoorraad_ms=W
toezicht_ms=T cold_list_ms=Z cold_werkvoorraad_ms=.. cold_toezicht_ms=..` (medians over the
requests; toezicht's page as a toezicht account, the others as a reviewer).
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.lists import stored_region  # noqa: E402
from kit.services.accounts import add_account  # noqa: E402
from kit.services.actor import Actor  # noqa: E402
from kit.store import Store  # noqa: E402
from kit.store.connect import engines  # noqa: E402
from kit.store.schema import upgrade  # noqa: E402

USER, PASSWORD = "bench-reviewer", "bench-wachtwoord-123"
SUPERVISOR = "bench-toezicht"
WORK = [
    "/werkvoorraad",
    "/werkvoorraad?soort=verzoek",
    "/werkvoorraad?soort=oordeel&pagina=3",
    "/werkvoorraad?aanbieder=zorgaanbieder%2000123&soort=oordeel",
    "/werkvoorraad?soort=termijn&volgorde=aanbieder&perceel=wmo-dagbesteding",
]
SUPERVISION = [
    "/toezicht",
    "/toezicht?soort=medewerkers",
    "/toezicht?soort=voorwaarden&achterstallig=true",
    "/toezicht?pagina=5",
    "/toezicht?perceel=wmo-dagbesteding&volgorde=aanbieder",
]


def logged_in(db_url: str, user: str = USER):
    from fastapi.testclient import TestClient

    from kit.web.app import create_app

    browser = TestClient(create_app(db_url), follow_redirects=False)
    form = browser.get("/aanmelden").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    done = browser.post("/aanmelden", data={"naam": user, "wachtwoord": PASSWORD, "csrf": token})
    assert done.status_code == 303, done.text
    return browser


def timed(browser, path: str) -> float:
    start = time.perf_counter()
    answer = browser.get(path)
    seconds = time.perf_counter() - start
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
    return seconds * 1000


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--providers", type=int, default=10000)
    parser.add_argument("--db", help="SQLite file to keep the stored region in")
    parser.add_argument("--requests", type=int, default=20, help="of each kind")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kit-web-") as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "kit.db"
        db_url = f"sqlite:///{path}"
        if path.exists():
            upgrade(engines(db_url))
        stored_region(db_url, args.providers)
        store = Store(db_url)
        for user, role in ((USER, "reviewer"), (SUPERVISOR, "toezicht")):
            if store.account(user) is None:
                add_account(store, Actor("bench", "beheer"), user, role, PASSWORD)
        browser = logged_in(db_url)
        supervisor = logged_in(db_url, SUPERVISOR)
        cold = timed(browser, "/")
        cold_work = timed(browser, WORK[0])
        cold_supervision = timed(supervisor, SUPERVISION[0])
        ids = [row.submission_id for row in _some_submissions(store, args.requests)]
        lists = [
            "/",
            "/?pagina=150",
            "/?uitspraak=herstel-nodig&sorteer=termijn",
            "/?aanbieder=zorgaanbieder%2000123",
            "/?perceel=wmo-dagbesteding&risico=oranje&pagina=3",
        ]
        list_ms = [timed(browser, lists[i % len(lists)]) for i in range(args.requests)]
        submission_ms = [timed(browser, f"/inschrijving/{sub}") for sub in ids]
        work_ms = [timed(browser, WORK[i % len(WORK)]) for i in range(args.requests)]
        supervision_ms = [
            timed(supervisor, SUPERVISION[i % len(SUPERVISION)]) for i in range(args.requests)
        ]
    median = statistics.median
    print(
        f"{args.providers} submissions; {args.requests} list pages and {len(ids)} submission "
        f"pages (ms): list median {statistics.median(list_ms):.0f} (slowest "
        f"{max(list_ms):.0f}), submission median {statistics.median(submission_ms):.0f} "
        f"(slowest {max(submission_ms):.0f}), werkvoorraad median {median(work_ms):.0f} "
        f"(slowest {max(work_ms):.0f}), toezicht median {median(supervision_ms):.0f} "
        f"(slowest {max(supervision_ms):.0f}); first request of the list {cold:.0f}, "
        f"werkvoorraad {cold_work:.0f}, toezicht {cold_supervision:.0f}"
    )
    print(
        f"providers={args.providers} list_ms={median(list_ms):.0f} "
        f"submission_ms={median(submission_ms):.0f} werkvoorraad_ms={median(work_ms):.0f} "
        f"toezicht_ms={median(supervision_ms):.0f} cold_list_ms={cold:.0f} "
        f"cold_werkvoorraad_ms={cold_work:.0f} cold_toezicht_ms={cold_supervision:.0f}"
    )


def _some_submissions(store: Store, n: int) -> list:
    from kit.views.standing import standings

    every = standings(store)
    return random.Random(7).sample(every, min(n, len(every)))


if __name__ == "__main__":
    main()
