"""kit/vocab/codes.py is generated from rules/vocabulary.yaml: it must not drift from it."""

from __future__ import annotations

import sys

import yaml
from conftest import ROOT


def test_codes_module_matches_the_vocabulary():
    sys.path.insert(0, str(ROOT / "tools"))
    from generate_codes import TARGET, VOCABULARY, render

    expected = render(yaml.safe_load(VOCABULARY.read_text(encoding="utf-8")))
    assert TARGET.read_text(encoding="utf-8") == expected, (
        "kit/vocab/codes.py is out of date with rules/vocabulary.yaml: "
        "run python tools/generate_codes.py"
    )
