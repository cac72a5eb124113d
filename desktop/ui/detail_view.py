"""Renders a service ``Detail`` as simple HTML in a read-only text browser."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.services.common import Detail


def detail_html(detail: Detail) -> str:
    parts = [f"<h3>{escape(detail.title)}</h3>"]
    if detail.fields:
        parts.append("<table cellspacing='0' cellpadding='3'>")
        for name, value in detail.fields:
            text = escape(value or "—").replace("\n", "<br>")
            parts.append(
                f"<tr><td style='color:#555;white-space:nowrap' valign='top'>{escape(name)}</td>"
                f"<td>{text}</td></tr>"
            )
        parts.append("</table>")
    for section in detail.sections:
        parts.append(f"<h4>{escape(section.title)}（{len(section.rows)}）</h4>")
        if not section.rows:
            parts.append("<p style='color:#777'>无</p>")
            continue
        parts.append("<table border='1' cellspacing='0' cellpadding='3' style='border-color:#ccc'>")
        parts.append("<tr>" + "".join(f"<th>{escape(h)}</th>" for h in section.headers) + "</tr>")
        for row in section.rows:
            parts.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
        parts.append("</table>")
    return "".join(parts)


class DetailView(QTextBrowser):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setMinimumWidth(280)
        self.show_placeholder()

    def show_detail(self, detail: Detail) -> None:
        self.setHtml(detail_html(detail))

    def show_placeholder(self, text: str = "在左侧表格中选择一行查看详情。") -> None:
        self.setHtml(f"<p style='color:#777'>{escape(text)}</p>")
