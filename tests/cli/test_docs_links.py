"""Every relative link in the README and docs/*.md points at a file that exists, and a link to a
heading (`page.md#anchor`) at a heading that exists, so moving text between pages cannot leave a
reader at a dead end."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def links(document: Path) -> list[str]:
    """The link targets of a Markdown document outside its code blocks."""
    return LINK.findall(FENCE.sub("", document.read_text(encoding="utf-8")))


def anchors(document: Path) -> set[str]:
    """The anchors GitHub gives a document's headings: lower case, punctuation dropped, spaces
    as hyphens."""
    text = FENCE.sub("", document.read_text(encoding="utf-8"))
    headings = re.findall(r"^#+ (.+)$", text, re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def relative_links() -> list[tuple[Path, str]]:
    return [
        (document, target)
        for document in DOCUMENTS
        for target in links(document)
        if not re.match(r"^[a-z]+:", target)
    ]


def test_the_documents_have_relative_links():
    assert len(relative_links()) >= 10


def broken(document: Path, target: str) -> str | None:
    """Why a relative link of a document leads nowhere, or None when it resolves."""
    path, _, anchor = target.partition("#")
    linked = (document.parent / path).resolve() if path else document
    if not linked.is_file():
        return f"{document.name}: {target} points at no file"
    if anchor and linked.suffix == ".md" and anchor not in anchors(linked):
        return f"{document.name}: {target} points at no heading"
    return None


@pytest.mark.parametrize(
    ("document", "target"),
    relative_links(),
    ids=[f"{d.name}->{t}" for d, t in relative_links()],
)
def test_every_relative_link_resolves(document: Path, target: str):
    assert broken(document, target) is None


def test_a_link_to_a_missing_file_or_heading_is_found(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n## Een kop: met tekens\n", encoding="utf-8")
    assert broken(page, "page.md#een-kop-met-tekens") is None
    assert broken(page, "#een-kop-met-tekens") is None
    assert (
        broken(page, "page.md#een-andere-kop")
        == "page.md: page.md#een-andere-kop points at no heading"
    )
    assert broken(page, "elders.md") == "page.md: elders.md points at no file"
