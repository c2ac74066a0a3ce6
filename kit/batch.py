"""Kept for bench/lists.py only, which the lists-library change (issue 24 step 5) rewrites: the
batch screening is kit.services.batch. Removed when that change merges."""

from kit.services.batch import Item, screen_many

__all__ = ["Item", "screen_many"]
