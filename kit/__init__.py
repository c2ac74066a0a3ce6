"""kit: the KIT screening (Kwaliteit en Integriteit Twente) as a program.

Rules are YAML data (`rules/`), an engine evaluates each submission against them,
and every finding is stored with the rule and evidence behind it.
"""

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "screen"]


def screen(*args: Any, **kwargs: Any) -> Any:
    """Screen case files into the store; see kit.screening.screen."""
    from kit.screening import screen as _screen

    return _screen(*args, **kwargs)
