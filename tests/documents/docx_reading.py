"""Reading a built .docx back: with python-docx, and as raw WordprocessingML."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from zipfile import ZipFile

import docx
from docx.document import Document
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(name: str) -> str:
    """``w:val`` → Clark notation."""
    prefix, local = name.split(":")
    assert prefix == "w"
    return f"{{{W}}}{local}"


def open_docx(data: bytes) -> Document:
    return docx.Document(BytesIO(data))


def part(data: bytes, name: str) -> etree._Element:
    with ZipFile(BytesIO(data)) as package:
        return etree.fromstring(package.read(name))


def part_names(data: bytes) -> list[str]:
    with ZipFile(BytesIO(data)) as package:
        return package.namelist()


@dataclass
class Para:
    """A paragraph of document.xml with its text and properties."""

    element: etree._Element

    @property
    def text(self) -> str:
        """What the page shows: text, tabs and line breaks (not field instructions)."""
        out = []
        for run in self.element.iter(q("w:r")):
            for node in run:
                if node.tag == q("w:t"):
                    out.append(node.text or "")
                elif node.tag == q("w:tab"):
                    out.append("\t")
                elif node.tag == q("w:br"):
                    out.append("\n")
        return "".join(out)

    @property
    def style(self) -> str | None:
        found = self.element.find("w:pPr/w:pStyle", NS)
        return None if found is None else found.get(q("w:val"))

    def ppr(self, path: str) -> etree._Element | None:
        return self.element.find(f"w:pPr/{path}", NS)

    def runs(self) -> list[etree._Element]:
        return [r for r in self.element.findall("w:r", NS) if r.find("w:t", NS) is not None]

    def run_text(self, run: etree._Element) -> str:
        return "".join(t.text or "" for t in run.findall("w:t", NS))


def paragraphs(root: etree._Element) -> Iterator[Para]:
    for element in root.iter(q("w:p")):
        yield Para(element)


def body_paragraphs(data: bytes) -> list[Para]:
    """Top-level paragraphs of the body (not those in tables)."""
    body = part(data, "word/document.xml").find("w:body", NS)
    assert body is not None
    return [Para(p) for p in body.findall("w:p", NS)]


def find(data: bytes, starts: str) -> Para:
    for para in body_paragraphs(data):
        if para.text.startswith(starts):
            return para
    raise AssertionError(f"no paragraph starts with {starts!r}")


def east_asia(run: etree._Element) -> str | None:
    fonts = run.find("w:rPr/w:rFonts", NS)
    return None if fonts is None else fonts.get(q("w:eastAsia"))


def size_pt(run: etree._Element) -> float | None:
    sz = run.find("w:rPr/w:sz", NS)
    return None if sz is None else int(sz.get(q("w:val"))) / 2


def color(run: etree._Element) -> str | None:
    found = run.find("w:rPr/w:color", NS)
    return None if found is None else found.get(q("w:val"))


def style(data: bytes, style_id: str) -> etree._Element:
    root = part(data, "word/styles.xml")
    found = root.find(f"w:style[@w:styleId='{style_id}']", NS)
    assert found is not None, style_id
    return found


def attr(element: etree._Element | None, name: str) -> str | None:
    return None if element is None else element.get(q(name))
