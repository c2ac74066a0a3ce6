"""Time the web application's pages over a stored region: a page of the central list (plain,
filtered, sorted, far down) and the submission page, as the server answers them.

    python bench/web.py --providers 10000 --db /tmp/r.db   # builds the region once, then times

The region is generated and stored as bench/lists.py does (and upgraded to this kit's schema).
Requests go to the application in this process (FastAPI's test client, logged in as a reviewer),
so the time is the server's, without a network. The first list request builds the region's rows
(reported apart, as `cold`); later ones read them kept, until the store changes. Last line:
`providers=N list_ms=X submission_ms=Y cold_list_ms=Z` (medians over the requests).
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


def logged_in(db_url: str):
    from fastapi.testclient import TestClient

    from kit.web.app import create_app

    browser = TestClient(create_app(db_url), follow_redirects=False)
    form = browser.get("/aanmelden").text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    done = browser.post("/aanmelden", data={"naam": USER, "wachtwoord": PASSWORD, "csrf": token})
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
        if store.account(USER) is None:
            add_account(store, Actor("bench", "beheer"), USER, "reviewer", PASSWORD)
        browser = logged_in(db_url)
        cold = timed(browser, "/")
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
    print(
        f"{args.providers} submissions; {args.requests} list pages and {len(ids)} submission "
        f"pages (ms): list median {statistics.median(list_ms):.0f} (slowest "
        f"{max(list_ms):.0f}), submission median {statistics.median(submission_ms):.0f} "
        f"(slowest {max(submission_ms):.0f}); first list request {cold:.0f}"
    )
    print(
        f"providers={args.providers} list_ms={statistics.median(list_ms):.0f} "
        f"submission_ms={statistics.median(submission_ms):.0f} cold_list_ms={cold:.0f}"
    )


def _some_submissions(store: Store, n: int) -> list:
    from kit.views.standing import standings

    every = standings(store)
    return random.Random(7).sample(every, min(n, len(every)))


if __name__ == "__main__":
    main()
