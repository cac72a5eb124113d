"""Creating the Qt application: names, Chinese translations of Qt's own texts, fonts."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from db.engine import Database
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
    families = set(QFontDatabase.families())
    for name in UI_FONTS:
        if name in families:
            font = QFont(name, 10)
            app.setFont(font)
            return


def run_gui(database: Database, *, demo: bool = False) -> int:
    """Sign in, then the main window; 切换用户 closes it and signs in again."""
    app = application()
    from desktop.ui import error_handler
    from desktop.ui.main_window import MainWindow

    error_handler.install()  # an error escaping a slot becomes a message box
    from desktop.ui.sign_in import DEMO_HINT, sign_in

    status = 0
    single_user = True
    try:
        while True:
            principal = sign_in(database, single_user=single_user, hint=DEMO_HINT if demo else "")
            if principal is None:
                return status
            window = MainWindow(database.bound(principal=principal), demo=demo, principal=principal)
            window.show()
            status = app.exec()
            if not window.switch_user_requested:
                return status
            single_user = False
    finally:
        database.dispose()
