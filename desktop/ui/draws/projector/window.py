"""The projected draw ceremony: a frameless full-screen window on the room's screen.

The operator's screen drives it phase by phase (``show_waiting``, ``show_digits``,
``set_digits``, ``show_secret``, ``reveal_result``) and alone may close it
(``close_ceremony``): Alt+F4 on the projector does nothing. The result it reveals is the
real computed result of the ``CeremonyView`` it was given, entry by entry, with no
spinning or invented codes; ``skip_animation`` shows it all at once, ``replay`` again.

With two screens it takes no keys: the operator's window keeps the keyboard. With one
screen (``interactive``) it is the operator's screen too: every key it gets is handed to
the operator's panel as a :class:`KeyPress` (``key_pressed``), and a small hint bar, set
apart from the content in the operator's own grey, says which keys do what; it fades after
a few seconds and comes back with the next key. ``set_black`` covers everything in black.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QEasingCurve, QPropertyAnimation, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QResizeEvent, QScreen, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsOpacityEffect,
    QHBoxLayout,
    QLabel,
    QLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.draws.projector.ceremony import CeremonyView
from desktop.ui.draws.projector.keys import HINT, TYPING_HINT, key_action
from desktop.ui.draws.projector.phases import (
    digits_page,
    secret_page,
    set_digits_text,
    waiting_page,
)
from desktop.ui.draws.projector.result_pages import ResultPages, build_result_pages
from desktop.ui.draws.projector.style import (
    ACCENT,
    BACKGROUND,
    BAD,
    MUTED,
    Role,
    apply_fonts,
    font_unit,
    label,
    readable_px,
    relayout_now,
    role_font,
    shrink_to_fit,
)


class Phase(StrEnum):
    WAITING = "waiting"
    DIGITS = "digits"
    SECRET = "secret"
    RESULT = "result"


PAGE_INDEX = {Phase.WAITING: 0, Phase.DIGITS: 1, Phase.SECRET: 2, Phase.RESULT: 3}


HINT_MS = 6000  # the operator's hint bar stays this long after a key


class ProjectorWindow(QWidget):
    phase_changed = Signal(str)
    animation_finished = Signal()
    key_pressed = Signal(object)  # KeyPress, one-screen mode only
    page_held = Signal()  # manual paging: a page is complete and waits for the operator

    # Timings of the reveal, in milliseconds (tests make them short).
    step_ms = 1100  # between two drawn targets
    group_step_ms = 2200  # between two group cards
    page_hold_ms = 5000  # a full page stays this long before the next one
    fade_ms = 500

    def __init__(
        self, view: CeremonyView, parent: QWidget | None = None, *, interactive: bool = False
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.interactive = interactive
        self.auto_pages = True  # False: a complete page waits for the operator's NEXT
        self._held = False
        self._active_row = -1  # the witness whose digits are being typed (one screen)
        self.setWindowTitle("双随机公开抽取（投影）")
        self.setObjectName("projector")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"QWidget#projector {{ background: {BACKGROUND}; }}")
        self._view = view
        self._digits = [w.digits for w in view.witnesses]
        self._matched: bool | None = None
        self._secret_hex = ""
        self._phase = Phase.WAITING
        self._revealed = 0
        self._allow_close = False
        self._built_for = QSize()
        self._unit = font_unit(self.width(), self.height())
        self._digit_labels: list[QLabel] = []
        self._result = ResultPages([], [], [])
        self._fades: list[QPropertyAnimation] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._step)

        self._county = label("", Role.COUNTY, MUTED)
        self._title = label("", Role.TITLE)
        self._county.setObjectName("county")
        self._title.setObjectName("task-title")
        rule = QFrame()
        rule.setFixedHeight(3)
        rule.setStyleSheet(f"background: {ACCENT}; border: none;")
        self._stack = QStackedWidget()
        self._results = QStackedWidget()
        self._draw_code = label("", Role.SMALL, MUTED)
        self._page_label = label("", Role.SMALL, MUTED)
        self._page_label.setObjectName("page-indicator")

        self._box = QVBoxLayout(self)
        self._box.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._box.addWidget(self._county, 0, Qt.AlignmentFlag.AlignHCenter)
        self._box.addWidget(self._title, 0, Qt.AlignmentFlag.AlignHCenter)
        self._box.addWidget(rule)
        self._box.addWidget(self._stack, 1)
        footer = QHBoxLayout()
        footer.addWidget(self._draw_code)
        footer.addStretch(1)
        footer.addWidget(self._page_label)
        self._box.addLayout(footer)

        # On top of the content, never part of it: the black screen and the operator's hint.
        self._black = QWidget(self)
        self._black.setStyleSheet("background: #000000;")
        self._black.hide()
        # 演练: a red badge in the top right corner of every page, over the content
        self._rehearsal = QLabel("演练", self)
        self._rehearsal.setObjectName("rehearsal-badge")
        self._rehearsal.hide()
        self._hint = QLabel(self)
        self._hint.setObjectName("operator-hint")
        self._hint.hide()
        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.timeout.connect(self._hint.hide)
        if interactive:
            self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._rebuild()

    # ----- what the operator's screen calls ------------------------------------------

    @property
    def phase(self) -> Phase:
        return self._phase

    @property
    def view(self) -> CeremonyView:
        return self._view

    def show_on(self, screen: QScreen, *, full_screen: bool = True) -> None:
        """Show on ``screen`` (see ``choose_screen``); full screen unless rehearsing on the
        operator's only screen."""
        self.setScreen(screen)
        self.setGeometry(screen.geometry())
        if full_screen:
            self.setCursor(Qt.CursorShape.BlankCursor)
            self.showFullScreen()
        else:
            self.unsetCursor()
            self.show()

    def set_view(self, view: CeremonyView) -> None:
        """A newer view of the same draw (e.g. once the record exists); typed digits stay."""
        self._view = view
        self._digits = [
            w.digits or (self._digits[i] if i < len(self._digits) else "")
            for i, w in enumerate(view.witnesses)
        ]
        self._rebuild()

    def show_waiting(self) -> None:
        self._set_phase(Phase.WAITING)

    def show_digits(self) -> None:
        self._set_phase(Phase.DIGITS)

    def set_digits(self, index: int, text: str) -> None:
        """Witness ``index``'s digits as the operator types them (blank: still pending)."""
        self._digits[index] = text.strip()
        active = index == self._active_row
        set_digits_text(self._digit_labels[index], self._digits[index], self._unit, active=active)
        self._fit()

    def show_secret(self, matched: bool, secret_hex: str = "") -> None:
        """The office secret revealed: checked against the commitment, shown green or red."""
        self._matched = matched
        self._secret_hex = secret_hex or self._view.secret_hex
        self._rebuild()
        self._set_phase(Phase.SECRET)

    def reveal_result(self) -> bool:
        """Start revealing the result; refused (False) without a result or after a secret
        that did not match its commitment."""
        matched = self._matched if self._matched is not None else self._view.secret_matched
        if not matched or not self._view.has_result:
            return False
        self._set_phase(Phase.RESULT)
        self.replay()
        return True

    def skip_animation(self) -> None:
        """Show the whole result now, ending on its last page."""
        self._stop_animation()
        self._revealed = len(self._result.units)
        self._apply_reveal()
        self.show_page(self.page_count() - 1)
        self.animation_finished.emit()

    def replay(self) -> None:
        """Reveal the result again from the first entry."""
        if self._phase != Phase.RESULT:
            return
        self._stop_animation()
        self._revealed = 0
        self._apply_reveal()
        self.show_page(0)
        self._timer.start(self.step_ms)

    def set_black(self, black: bool) -> None:
        """Black screen (B on a presenter): the audience sees nothing; the reveal goes on."""
        self._black.setGeometry(self.rect())
        self._black.setVisible(black)
        if black:
            self._black.raise_()
        self._hint.raise_()

    def is_black(self) -> bool:
        return self._black.isVisible()

    def show_hint(self, text: str = "", *, error: bool = False) -> None:
        """The operator's hint bar (one-screen mode): ``text``, or which keys do what."""
        if not self.interactive:
            return
        typing = self._phase == Phase.DIGITS and self._active_row >= 0
        self._hint.setText(text or (TYPING_HINT if typing else HINT))
        size = max(16, round(self._unit * 0.026))
        color = "#ffb4a8" if error else "#d0d0d0"
        self._hint.setStyleSheet(
            f"QLabel#operator-hint {{ background: #282828; color: {color};"
            f" border: 1px solid #707070; border-radius: 6px; padding: 4px 10px;"
            f" font-size: {size}px; }}"
        )
        self._hint.adjustSize()
        self._place_hint()
        self._hint.show()
        self._hint.raise_()
        self._hint_timer.start(HINT_MS * (2 if error else 1))

    def hint_text(self) -> str:
        return self._hint.text() if self._hint.isVisible() else ""

    def set_active_row(self, row: int) -> None:
        """Mark the witness whose digits the operator is typing (−1: none)."""
        self._active_row = row
        for index, widget in enumerate(self._digit_labels):
            digits = self._digits[index] if index < len(self._digits) else ""
            set_digits_text(widget, digits, self._unit, active=index == row)

    def advance_page(self) -> None:
        """NEXT during the result: go on from a held page, else the next page."""
        if self._held:
            self._held = False
            self._timer.start(0)
        elif not self.is_animating():
            self.next_page()

    def is_held(self) -> bool:
        return self._held

    def close_ceremony(self) -> None:
        self._stop_animation()
        self._allow_close = True
        self.close()

    # ----- result pages ----------------------------------------------------------------

    def page_count(self) -> int:
        return self._results.count()

    def current_page(self) -> int:
        return self._results.currentIndex()

    def show_page(self, index: int) -> None:
        index = max(0, min(index, self.page_count() - 1))
        self._results.setCurrentIndex(index)
        self._update_page_label()
        self._fit()

    def next_page(self) -> None:
        self.show_page(self.current_page() + 1)

    def previous_page(self) -> None:
        self.show_page(self.current_page() - 1)

    def is_animating(self) -> bool:
        return self._timer.isActive() or any(
            a.state() == QPropertyAnimation.State.Running for a in self._fades
        )

    def revealed_codes(self) -> list[str]:
        """Drawn target codes on screen so far, in the order shown."""
        shown = {id(w) for _, widgets in self._result.units[: self._revealed] for w in widgets}
        return [str(w.property("code")) for w in self._result.code_labels if id(w) in shown]

    def code_labels(self) -> list[QLabel]:
        return list(self._result.code_labels)

    # ----- Qt events -------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # never Qt's own handling: Esc does not close the ceremony
        if not self.interactive:
            return  # two screens: the operator's window keeps the keyboard
        typing = self._phase == Phase.DIGITS and self._active_row >= 0
        press = key_action(event.key(), event.text(), typing=typing)
        if press is None:
            self.show_hint()
            return
        self.key_pressed.emit(press)

    def focusNextPrevChild(self, next: bool) -> bool:
        return False  # Tab is a key for the ceremony (the next witness), not focus

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._allow_close:
            self._stop_animation()
            event.accept()
        else:
            event.ignore()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size() != self._built_for:
            self._rebuild()
        self._black.setGeometry(self.rect())
        self._place_hint()

    def _place_hint(self) -> None:
        margin = max(8, round(self._unit * 0.012))
        self._hint.move(margin, self.height() - self._hint.height() - margin)
        self._rehearsal.adjustSize()
        self._rehearsal.move(self.width() - self._rehearsal.width() - margin, margin)
        self._rehearsal.raise_()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    # ----- building --------------------------------------------------------------------

    def _set_phase(self, phase: Phase) -> None:
        if phase != Phase.RESULT:
            self._stop_animation()
        self._phase = phase
        self._apply_header()
        if phase == Phase.RESULT:
            self._build_result()
        self._stack.setCurrentIndex(PAGE_INDEX[phase])
        self._update_page_label()
        self._fit()
        self.phase_changed.emit(str(phase))

    def _rebuild(self) -> None:
        """Build every page for the current size (fonts follow the window)."""
        self._stop_fades()
        self._built_for = self.size()
        self._unit = unit = font_unit(self.width(), self.height())
        margin = round(unit * 0.035)
        self._box.setContentsMargins(margin, round(margin * 0.6), margin, round(margin * 0.5))
        self._box.setSpacing(round(unit * 0.015))
        view = self._view
        kind = "演练（不是正式抽取）" if view.rehearsal else "部门联合“双随机、一公开”公开抽取"
        self._county.setText(f"{view.county}　{kind}")
        self._draw_code.setText(f"抽取编号 {view.draw_code}")
        self._rehearsal.setVisible(view.rehearsal)
        self._rehearsal.setStyleSheet(
            f"background: {BAD}; color: #ffffff; font-weight: bold; border-radius: 6px;"
            f" padding: 2px {round(unit * 0.01)}px; font-size: {readable_px(unit)}px;"
        )
        self._place_hint()
        _clear(self._stack)
        digits, self._digit_labels = digits_page(view, self._digits, unit)
        self._stack.addWidget(waiting_page(view, unit))
        self._stack.addWidget(digits)
        self._stack.addWidget(secret_page(view, bool(self._matched), self._secret_hex, unit))
        self._results = QStackedWidget()
        self._stack.addWidget(self._results)
        self._result = ResultPages([], [], [])
        apply_fonts(self, unit)
        self._apply_header()
        self.set_active_row(self._active_row)
        if self._phase == Phase.RESULT:
            self._build_result()
        self._stack.setCurrentIndex(PAGE_INDEX[self._phase])
        self._update_page_label()
        self._fit()

    def _build_result(self) -> None:
        page = self._results.currentIndex()
        _clear(self._results)
        self._apply_header()
        self._page_label.setText("第 9 / 9 页")  # measure the footer as it will be
        chrome = (
            self._title.sizeHint().height()
            + self._page_label.sizeHint().height()
            + 3
            + 3 * self._box.spacing()
        )
        margins = self._box.contentsMargins()
        area = QSize(
            self.width() - margins.left() - margins.right(),
            self.height() - margins.top() - margins.bottom() - chrome,
        )
        # At the window's own size, never smaller: a smaller scale would take the result
        # under the readable minimum of a meeting room (issue 21); more pages instead.
        self._result = build_result_pages(self._view, self._unit, area)
        for widget in self._result.pages:
            self._results.addWidget(widget)
        for _, widgets in self._result.units:
            for w in widgets:
                w.setGraphicsEffect(QGraphicsOpacityEffect(w))
        self._revealed = min(self._revealed, len(self._result.units))
        self._apply_reveal()
        self._results.setCurrentIndex(max(0, min(page, self._results.count() - 1)))

    def _apply_header(self) -> None:
        """The county line and a large title; during the result one smaller line, so the
        result has the room."""
        view, compact = self._view, self._phase == Phase.RESULT
        self._county.setVisible(not compact)
        role = Role.HEADING if compact else Role.TITLE
        title = view.task_title
        if compact and not title.startswith(view.county):
            title = f"{view.county}　{title}"  # never “演示县　演示县价格收费…”
        self._title.setText(title)
        self._title.setProperty("role", str(role))
        self._title.setProperty("shrink", 1.0)
        self._title.setFont(role_font(role, self._unit))

    def _update_page_label(self) -> None:
        pages = self.page_count()
        shown = self._phase == Phase.RESULT and pages > 1
        self._page_label.setText(f"第 {self.current_page() + 1} / {pages} 页" if shown else "")

    def _fit(self) -> None:
        if self.isVisible():
            shrink_to_fit(self, self._unit, self)
        else:
            relayout_now(self)

    # ----- the reveal ------------------------------------------------------------------

    def _apply_reveal(self) -> None:
        for i, (_, widgets) in enumerate(self._result.units):
            for w in widgets:
                effect = w.graphicsEffect()
                if isinstance(effect, QGraphicsOpacityEffect):
                    effect.setOpacity(1.0 if i < self._revealed else 0.0)
                    effect.setEnabled(i >= self._revealed)

    def _step(self) -> None:
        units = self._result.units
        if self._revealed >= len(units):
            return
        page, widgets = units[self._revealed]
        if page != self.current_page():
            self.show_page(page)
        fades = [self._fade_in(w) for w in widgets]
        self._revealed += 1
        if self._revealed >= len(units):
            if fades and fades[-1] is not None:
                fades[-1].finished.connect(self.animation_finished.emit)
            else:
                self.animation_finished.emit()
            return
        next_page = units[self._revealed][0]
        if next_page != page and not self.auto_pages:
            self._held = True  # the operator turns the page (NEXT)
            self.page_held.emit()
        elif next_page != page:
            self._timer.start(self.page_hold_ms)
        elif page >= self._result.group_pages:
            self._timer.start(self.group_step_ms)
        else:
            self._timer.start(self.step_ms)

    def _fade_in(self, widget: QWidget) -> QPropertyAnimation | None:
        effect = widget.graphicsEffect()
        if not isinstance(effect, QGraphicsOpacityEffect):
            return None
        effect.setEnabled(True)
        fade = QPropertyAnimation(effect, b"opacity", self)
        fade.setDuration(self.fade_ms)
        fade.setStartValue(0.0)
        fade.setEndValue(1.0)
        fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        fade.finished.connect(lambda: effect.setEnabled(False))
        fade.finished.connect(lambda: self._fades.remove(fade) if fade in self._fades else None)
        self._fades.append(fade)
        fade.start()
        return fade

    def _stop_fades(self) -> None:
        for fade in list(self._fades):
            fade.stop()
        self._fades.clear()

    def _stop_animation(self) -> None:
        self._held = False
        self._timer.stop()
        self._stop_fades()
        self._apply_reveal()


def _clear(stack: QStackedWidget) -> None:
    while (old := stack.widget(0)) is not None:
        stack.removeWidget(old)
        old.deleteLater()
