"""Each rule kind is one module plus its data: its situations and its messages agree."""

from __future__ import annotations

import pytest

from kit.kinds.registry import KINDS, MODULES
from kit.kinds.rulesets import shipped_rulesets


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_situation_has_a_message_and_every_message_a_situation(name):
    spec = KINDS[name]
    situations = {s.value for s in spec.situations}
    assert set(spec.texts()["messages"]) == situations


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_a_kind_module_names_its_own_kind(module):
    spec = module.SPEC
    assert module.__name__.rsplit(".", 1)[1] == spec.name
    assert spec.model.model_fields["kind"].annotation.__args__ == (spec.name,)
    # a kind either reads the case (both evaluators) or other findings, or gives no findings
    assert (spec.compile is None) == (spec.reference is None)
    assert not (spec.compile and spec.aggregate)


def test_every_kind_the_shipped_rules_use_is_registered():
    used = {rule.kind for rs in shipped_rulesets().values() for rule in rs.rules}
    assert used <= set(KINDS)
