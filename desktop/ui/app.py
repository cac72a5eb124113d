"""Creating the Qt application: names, Chinese translations of Qt's own texts, fonts.

Imported before the main window is shown, so it imports nothing but Qt (issue 10).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from desktop.paths import resource_path
from desktop.ui.settings import APPLICATION, ORGANIZATION

# Interface fonts by name with fallbacks: Windows first, then what Linux test boxes have.
UI_FONTS = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimSun",
]


def application() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("双随机工作台")
    app.setWindowIcon(QIcon(str(resource_path("icons", "shuangsuiji.png"))))
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load(
        "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
    choose_ui_font(app)
    return app


def choose_ui_font(app: QApplication) -> None:
    """The first of UI_FONTS this PC has. Qt picks it from the list itself: asking for every
    family (QFontDatabase.families) costs the opening window 3 ms (issue 10)."""
    font = QFont()
    font.setFamilies(UI_FONTS)
    font.setPointSize(10)
    app.setFont(font)
