"""Rules as reviewers read them: scope and parameters in short Dutch text."""

from __future__ import annotations

from typing import Any

from kit.rules.model import Applies, LotFilter, RuleBase

# What is not a parameter line: the header, and the criteria (Q12), listed one by one.
HEADER_FIELDS = set(RuleBase.model_fields) | {"kind", "criteria"}

_FILTER_NL = {
    "lots": "percelen",
    "domains": "domein",
    "subtenders": "subtender",
    "roles": "rol",
    "residential": "verblijf",
    "needs_location": "locatie nodig",
}


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(
            f"{k}: {value_text(v)}" for k, v in value.items() if v not in (None, [], {})
        )
    return str(value)


def _filter_text(flt: LotFilter) -> list[str]:
    parts = []
    for name, label in _FILTER_NL.items():
        value = getattr(flt, name)
        if value is not None:
            parts.append(f"{label}: {value_text(value)}")
    return parts


def scope_text(applies: Applies) -> str:
    parts = _filter_text(applies)
    if applies.legal_forms is not None:
        parts.append(f"rechtsvorm: {value_text(applies.legal_forms)}")
    if applies.employees_min is not None:
        parts.append(f"personeel >= {applies.employees_min}")
    if applies.employees_max is not None:
        parts.append(f"personeel <= {applies.employees_max}")
    if applies.fte_min is not None:
        parts.append(f"fte >= {applies.fte_min}")
    if applies.fte_max is not None:
        parts.append(f"fte <= {applies.fte_max}")
    if applies.from_ is not None:
        parts.append(f"vanaf {applies.from_.isoformat()}")
    if applies.until is not None:
        parts.append(f"tot en met {applies.until.isoformat()}")
    if applies.workers is not None:
        parts.append(
            f"zorgverleners ({', '.join(_filter_text(applies.workers))}) >= {applies.workers.min}"
        )
    if applies.any:
        parts.append("een van: " + " | ".join(scope_text(sub) for sub in applies.any))
    return "; ".join(parts) or "alle aanbieders"


def parameters_text(rule: Any) -> str:
    data = rule.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    return "; ".join(f"{k}: {value_text(v)}" for k, v in data.items() if k not in HEADER_FIELDS)


def basis_text(rule: Any) -> str:
    return f"{rule.basis} (aanname)" if rule.assumed else rule.basis


def outcomes_text(rule: Any) -> str:
    """The outcomes a rule can give when not satisfied, as a reviewer reads them: its kind says
    them where it has more than one (`KindSpec.outcomes`: a Bibob rule's per result, an
    exclusion ground's with self-cleaning, ...); a kind without findings has none."""
    spec = rule.kind_spec
    if not spec.gives_findings:
        return "-"
    if spec.outcomes is not None:
        return str(spec.outcomes(rule))
    return str(rule.outcome)
