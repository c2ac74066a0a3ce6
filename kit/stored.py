"""Kept for kit/forked.py only, which the lists-library change (issue 24 step 5) removes: values
read back from the store are kit.case.stored. Removed when that change merges."""

from kit.case.stored import database_trouble

__all__ = ["database_trouble"]
