"""Where the shipped data lives, for an editable checkout and for an installed wheel."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def shipped_rules_dir() -> Path:
    """The rules that ship with the package (whatever KIT_RULES_DIR says)."""
    return _shipped("rules")


def is_shipped(path: Path) -> bool:
    """Whether `path` is one of the package's own rule files (read as trusted)."""
    return path.resolve().is_relative_to(shipped_rules_dir().resolve())


def rules_dir() -> Path:
    """The rule-set root: `KIT_RULES_DIR` when set, else the shipped `rules/`."""
    return Path(os.environ.get("KIT_RULES_DIR") or shipped_rules_dir())


def kind_texts_path(kind: str) -> Path:
    """The Dutch texts of a rule kind (kit/kinds/<kind>.yaml): read by the kinds to render
    messages and, as data, by `kit rules check` to know a kind's situations and placeholders."""
    return _PACKAGE / "kinds" / f"{kind}.yaml"


def cases_dir() -> Path:
    return _shipped("cases")


@contextmanager
def replaced_when_done(path: Path, private: bool) -> Iterator[Path]:
    """A new file beside `path` to write in, moved over `path` only when the block ends without
    an error (and its content is on disk), removed otherwise: a failing write leaves an existing
    `path` as it was, and nobody ever reads half a file. `private`: readable by its owner only
    (0600), for anything that holds data about providers; its own name is unique, so two
    writers to one file do not meet."""
    partial = claim_partial(path, private)
    try:
        yield partial
        put_in_place(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def claim_partial(path: Path, private: bool) -> Path:
    """A new, empty file beside `path` (same directory: the rename is atomic), 0600 when
    `private`, with a name of its own."""
    mode = 0o600 if private else 0o666  # the umask applies to the latter, as for any file
    while True:
        partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}.deel")
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode))
            return partial
        except FileExistsError:
            continue


def put_in_place(partial: Path, path: Path) -> None:
    """The written `partial` on disk, then renamed over `path` in one step."""
    with partial.open("rb+") as written:
        os.fsync(written.fileno())
    os.replace(partial, path)


def write_file(path: Path, content: bytes | str, private: bool) -> None:
    """`content` (text as UTF-8) into `path`, whole or not at all (replaced_when_done)."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with replaced_when_done(path, private) as partial:
        partial.write_bytes(data)
