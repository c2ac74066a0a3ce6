"""kit's version: stored with every screening (kit.engine.engine_version), so it lives at the
bottom, where the engine may read it."""

__version__ = "0.2.0"
