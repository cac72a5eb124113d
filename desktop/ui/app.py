"""Creating the Qt application: names, Chinese translations of Qt's own texts, fonts."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from db.engine import Database
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
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    translator = QTranslator(app)
    if translator.load(
        "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    ):
        app.installTranslator(translator)
    choose_ui_font(app)
    return app


def choose_ui_font(app: QApplication) -> None:
    families = set(QFontDatabase.families())
    for name in UI_FONTS:
        if name in families:
            font = QFont(name, 10)
            app.setFont(font)
            return


def run_gui(database: Database, *, demo: bool = False) -> int:
    app = application()
    from desktop.ui.main_window import MainWindow

    window = MainWindow(database, demo=demo)
    window.show()
    try:
        return app.exec()
    finally:
        database.dispose()
