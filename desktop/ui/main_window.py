"""The main window: the start page and eight tabs over one database, status bar naming
the database.

The window opens before the database does (issue 10: start-up as fast as a bare Qt
window): ``MainWindow(demo=…)`` is only the frame with a :class:`LoadingPage`, importing
nothing but Qt; :meth:`MainWindow.attach` fills it with the tabs once the database is open
and someone has signed in (desktop/ui/startup.py). ``MainWindow(database)`` does both at
once, as tests and a restart after 切换用户 want.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from desktop import __version__, paths
from desktop.ui.hub import hub
from desktop.ui.loading_page import LoadingPage
from desktop.ui.settings import UiSettings

# Width and height a window manager's frame adds around the window (title bar, borders).
FRAME_ALLOWANCE = (16, 48)

if TYPE_CHECKING:  # the rest is imported by attach(), after the window is up
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QTabWidget

    from db.engine import Database
    from desktop.core.roles import Principal
    from desktop.services.common import Change
    from desktop.ui.tab_base import Tab

TITLE = "双随机工作台"


class MainWindow(QMainWindow):
    ready = Signal()  # the tabs are in place: the window can be worked with

    def __init__(
        self,
        database: Database | None = None,
        *,
        demo: bool = False,
        principal: Principal | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._database: Database | None = None
        self.principal = principal
        self.demo = demo
        self.switch_user_requested = False
        self.exit_backup = False  # set by attach(): nothing to copy before a database is open
        self.settings = UiSettings()
        self.setWindowTitle(f"{TITLE}（演示县）" if demo else TITLE)
        self.tabs: QTabWidget  # made by attach()
        self.tab_pages: list[Tab] = []
        self._loaded: set[int] = set()
        self._following = False  # connected to the hub (attach) until closed
        self.loading: LoadingPage | None = LoadingPage()
        self.setCentralWidget(self.loading)
        self.database_label = QLabel("正在启动…")
        self.statusBar().addWidget(self.database_label, 1)
        geometry = self.settings.window_geometry
        restored = geometry is not None and self.restoreGeometry(geometry)
        if not restored:
            self.resize(1360, 820)
        self.fit_screen(centre=not restored)
        if database is not None:
            self.attach(database, principal)

    def fit_screen(self, *, centre: bool = False) -> None:
        """Keep the window within its screen's available area (a 1366×768 laptop, a
        1024×768 PC, a taskbar): the default or remembered size shrinks to fit and the
        window moves back onto the screen, so the status bar is never out of sight."""
        screen = self.screen()
        if screen is None:
            return
        area = screen.availableGeometry()
        # The frame (title bar, borders) is not known before the window is shown.
        frame_w, frame_h = FRAME_ALLOWANCE
        width = min(self.width(), area.width() - frame_w)
        height = min(self.height(), area.height() - frame_h)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if centre:
            x = area.x() + (area.width() - width - frame_w) // 2
            y = area.y() + (area.height() - height - frame_h) // 2
        else:
            x = min(max(self.x(), area.x()), area.x() + area.width() - width - frame_w)
            y = min(max(self.y(), area.y()), area.y() + area.height() - height - frame_h)
        self.move(x, y)

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the main window has no database yet (attach() not called)")
        return self._database

    @property
    def is_ready(self) -> bool:
        return self._database is not None

    def attach(self, database: Database, principal: Principal | None) -> None:
        """Fill the frame: the tabs over ``database``, menus, the user in the status bar."""
        from PySide6.QtCore import Qt  # not before the window shows: 11 ms (loading_page)
        from PySide6.QtWidgets import QTabWidget

        from desktop.ui.accounts.user_menu import add_user_menu, user_rights, user_status
        from desktop.ui.tab_list import TAB_CLASSES

        self._database = database
        self.principal = principal
        self.exit_backup = not self.demo  # an automatic copy when the window closes (issue 9)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tab_pages = [cls(database) for cls in TAB_CLASSES]
        for page in self.tab_pages:
            self.tabs.addTab(page, page.title)
        self.setCentralWidget(self.tabs)  # Qt deletes the loading page
        self.loading = None
        self.tabs.currentChanged.connect(self._tab_shown)

        self.database_label.setText(f"数据库：{database.describe()}")
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if self.demo:
            self.statusBar().addPermanentWidget(QLabel("演示数据，仅供试用"))
        self.user_label = QLabel(user_status(principal))
        self.user_label.setToolTip(user_rights(principal))
        self.statusBar().addPermanentWidget(self.user_label)
        self._build_menu()
        add_user_menu(self)
        hub.data_changed.connect(self._data_changed)
        hub.status_message.connect(self.show_status)
        self._following = True
        self.tabs.setCurrentIndex(min(self.settings.last_tab, len(self.tab_pages) - 1))
        self._tab_shown(self.tabs.currentIndex())
        self.ready.emit()

    def _build_menu(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence

        from desktop.services.common import Change

        file_menu = self.menuBar().addMenu("文件(&F)")
        refresh = QAction("刷新(&R)", self, shortcut=QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(lambda: hub.data_changed.emit(Change.EVERYTHING))
        file_menu.addAction(refresh)
        backups_action = QAction("备份与恢复(&B)…", self)
        backups_action.triggered.connect(self._open_backups)
        file_menu.addAction(backups_action)
        audit_action = QAction("操作记录(&L)…", self)
        audit_action.triggered.connect(self._open_audit)
        file_menu.addAction(audit_action)
        exchange_action = QAction("数据交换(&E)…", self)
        exchange_action.setToolTip("与乡镇或县里交换任务包和结果包（离线，U 盘或内网传递）")
        exchange_action.triggered.connect(self._open_exchange)
        file_menu.addAction(exchange_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        def open_calendar() -> None:
            # Imported when first opened: start-up does not need the dialog.
            from desktop.ui.office.calendar_dialog import CalendarDialog

            CalendarDialog(self.database, parent=self).exec()

        settings_menu = self.menuBar().addMenu("设置(&S)")
        calendar_action = QAction("节假日与工作日…", self)
        calendar_action.triggered.connect(open_calendar)
        settings_menu.addAction(calendar_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于(&A)", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _open_audit(self) -> None:
        from desktop.ui.accounts.audit_dialog import AuditDialog  # imported when first opened

        AuditDialog(self.database, parent=self).exec()

    def _open_exchange(self) -> None:
        from desktop.ui.accounts.actor import actor_of
        from desktop.ui.exchange.exchange_dialog import ExchangeDialog

        ExchangeDialog(self.database, actor=actor_of(self.database), parent=self).exec()

    def _open_backups(self) -> None:
        from desktop.ui.storage.backup_dialog import BackupDialog

        dialog = BackupDialog(self.database, paths.backup_dir(), parent=self)
        dialog.exec()
        if dialog.restored is not None:  # every tab holds the old data: start again
            self.exit_backup = False
            self.close()

    def _about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "关于双随机工作台",
            f"双随机工作台 {__version__}\n\n部门联合“双随机、一公开”监管工作联席会议办公室的"
            f"桌面工作台。\n\n数据库：{self.database.describe()}",
        )

    def show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 15_000)

    def _tab_shown(self, index: int) -> None:
        # Tabs load when first shown, so start-up does not read every table.
        if index < 0 or index in self._loaded:
            return
        self._loaded.add(index)
        self.tab_pages[index].refresh()

    def _data_changed(self, change: Change) -> None:
        for index, page in enumerate(self.tab_pages):
            if page.wants(change):
                if index == self.tabs.currentIndex():
                    page.refresh()
                else:
                    self._loaded.discard(index)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.window_geometry = self.saveGeometry()
        if self.is_ready:
            self.settings.last_tab = self.tabs.currentIndex()
        self.settings.sync()
        for page in self.tab_pages:
            page.closing()
        if self.exit_backup:
            from desktop.ui.storage.backup_dialog import exit_backup

            self.exit_backup = False  # once, even if closing is asked for again
            exit_backup(self, self.database, paths.backup_dir())
        if self._following:  # a closed window (切换用户, a restore) no longer follows changes
            self._following = False
            hub.data_changed.disconnect(self._data_changed)
            hub.status_message.disconnect(self.show_status)
        super().closeEvent(event)
