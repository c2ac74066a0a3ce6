"""Rewrite cases/expected/<case>.json from the current engine, for reviewed rule changes.

The expected results are a reviewed record of what each shipped case must screen to; run this
only after a deliberate rule change, and read the diff (`git diff cases/expected`) before
committing it. tests/engine/test_expected_cases.py compares against these files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import shipped_case_files  # noqa: E402  (needs tests/ on sys.path, above)
from test_expected_cases import EXPECTED, summary  # noqa: E402  (likewise)


def main() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for path in shipped_case_files():
        target = EXPECTED / f"{path.stem}.json"
        target.write_text(
            json.dumps(summary(path), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()
