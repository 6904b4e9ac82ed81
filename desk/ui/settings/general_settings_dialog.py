"""Settings > General: the gym's name, logo, time zone and check-in window (every
desk), and when this desk locks and whose formats it uses (this desk only)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import available_timezones

from PySide6.QtCore import QDateTime, QLocale, QSettings, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desk.services.core.changes import Outcome
from desk.services.core.permissions import Permission
from desk.services.core.settings import KEEP, GeneralChange, GymGeneral
from desk.services.core.settings_values import GYM_NAME_MAX, LOGO_KEY, TIME_ZONE_KEY
from desk.ui.settings.logo_picture import LOGO_SIDE, logo_pixmap, shrink_to_png
from desk.ui.settings.unpaid_setting import UnpaidBox
from desk.ui.shell.context import DeskContext
from desk.ui.shell.submit import ErrorFields, submit
from desk.ui.shell.workstation_settings import (
    LOCALE_CHOICES,
    LOCALE_KEY,
    LOCK_MINUTES_KEY,
    MAX_LOCK_MINUTES,
    chosen_locale,
    lock_minutes,
)
from desk.ui.widgets.dialog_buttons import action_buttons
from desk.ui.widgets.field_error import FieldError
from desk.ui.widgets.form_row import with_error

SYSTEM_ZONE = "This computer's time zone"
OWNERS_ONLY = "Only an owner or an admin can change these settings."


@dataclass(frozen=True)
class SavedGeneral:
    """What the dialog saved: the gym's settings and this desk's lock delay."""

    general: GymGeneral
    lock_minutes: int


class GeneralSettingsDialog(QDialog):
    """One form; Save writes only the gym fields that changed (one transaction),
    then this desk's own choices. ``saved`` carries a SavedGeneral."""

    saved = Signal(object)

    def __init__(
        self, ctx: DeskContext, settings: QSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings
        self._loaded = ctx.services.settings.general()
        self._logo = self._loaded.logo_png
        self.setObjectName("GeneralSettingsDialog")
        self.setWindowTitle("General settings")
        self.setMinimumWidth(520)
        may = ctx.can(Permission.SETTINGS)

        self.name = QLineEdit(self._loaded.name, self)
        self.name.setObjectName("gymNameField")
        self.name.setAccessibleName("Gym name")
        self.name.setMaxLength(GYM_NAME_MAX)
        self.name.setPlaceholderText("Shown in the title bar and on the lock screen")
        self.name_error = FieldError("gymNameError", self)
        self.logo_preview = QLabel(self)
        self.logo_preview.setObjectName("gymLogoPreview")
        self.logo_preview.setFixedSize(LOGO_SIDE // 2, LOGO_SIDE // 2)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setStyleSheet("border: 1px solid palette(mid);")
        self.choose_logo_button = QPushButton("Choose picture…", self)
        self.choose_logo_button.setObjectName("chooseLogoButton")
        self.choose_logo_button.clicked.connect(lambda: self.choose_logo())
        self.remove_logo_button = QPushButton("Remove", self)
        self.remove_logo_button.setObjectName("removeLogoButton")
        self.remove_logo_button.clicked.connect(lambda: self.set_logo(None))
        self.logo_error = FieldError("gymLogoError", self)
        self.time_zone = QComboBox(self)
        self.time_zone.setObjectName("timeZoneField")
        self.time_zone.setAccessibleName("Time zone")
        self.time_zone.setEditable(True)
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone.addItem(SYSTEM_ZONE, "")
        for zone in sorted(available_timezones()):
            self.time_zone.addItem(zone, zone)
        completer = QCompleter(self.time_zone.model(), self.time_zone)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.time_zone.setCompleter(completer)
        self.time_zone.setCurrentText(self._loaded.time_zone or SYSTEM_ZONE)
        self.time_zone_error = FieldError("timeZoneError", self)
        self.check_in = QSpinBox(self)
        self.check_in.setObjectName("checkInOpensField")
        self.check_in.setAccessibleName("Check-in opens")
        self.check_in.setRange(0, 24 * 60)
        self.check_in.setSuffix(" minutes before the start")
        self.check_in.setValue(self._loaded.check_in_opens_minutes)
        self.check_in_error = FieldError("checkInOpensError", self)
        self.unpaid_box = UnpaidBox(ctx.services, self)

        self.lock_after = QSpinBox(self)
        self.lock_after.setObjectName("lockAfterField")
        self.lock_after.setAccessibleName("Lock after")
        self.lock_after.setRange(0, MAX_LOCK_MINUTES)
        self.lock_after.setSpecialValueText("Never")
        self.lock_after.setSuffix(" minutes without a key or click")
        self.lock_after.setValue(lock_minutes(settings))
        self.formats = QComboBox(self)
        self.formats.setObjectName("formatsField")
        self.formats.setAccessibleName("Dates, times and money")
        self.formats.addItem(f"The system's ({_describe(QLocale.system())})", "")
        for language, country in LOCALE_CHOICES:
            locale = QLocale(language, country)
            self.formats.addItem(_describe(locale), locale.name())
        self.formats.setCurrentIndex(max(0, self.formats.findData(chosen_locale(settings))))
        self.formats_example = QLabel(self)
        self.formats_example.setObjectName("formatsExample")
        self.formats.currentIndexChanged.connect(self._show_example)
        self._show_example()
        self.error = FieldError("generalSettingsError", self)

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addWidget(self.choose_logo_button)
        logo_row.addWidget(self.remove_logo_button)
        logo_row.addStretch(1)
        gym = QGroupBox("The gym (every desk)", self)
        gym_form = QFormLayout(gym)
        gym_form.addRow("Gym &name", with_error(self.name, self.name_error))
        gym_form.addRow("Logo", logo_row)
        gym_form.addRow("", self.logo_error)
        gym_form.addRow("&Time zone", with_error(self.time_zone, self.time_zone_error))
        gym_form.addRow("&Check-in opens", with_error(self.check_in, self.check_in_error))
        gym_form.addRow("", self.unpaid_box)
        here = QGroupBox("This desk", self)
        here_form = QFormLayout(here)
        here_form.addRow("&Lock after", self.lock_after)
        here_form.addRow("&Formats", self.formats)
        here_form.addRow("", self.formats_example)
        buttons, self.save_button = action_buttons(self, "Save", "saveGeneralButton", self.save)
        layout = QVBoxLayout(self)
        if not may:
            notice = QLabel(OWNERS_ONLY, self)
            notice.setObjectName("generalSettingsNotice")
            layout.addWidget(notice)
            for widget in (gym, self.lock_after, self.save_button):
                widget.setEnabled(False)
        layout.addWidget(gym)
        layout.addWidget(here)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.set_logo(self._logo)
        self.setTabOrder(self.name, self.choose_logo_button)

    def choose_logo(self, path: Path | None = None) -> None:
        """Pick a picture file (PNG, JPEG, BMP, GIF); it is shrunk to fit 256 px."""
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self, "Choose the gym's logo", "", "Pictures (*.png *.jpg *.jpeg *.bmp *.gif)"
            )
            if not name:
                return
            path = Path(name)
        image = QImage(str(path))
        if image.isNull():
            self.logo_error.show_message(f"Desk can't read {path.name} as a picture.")
            return
        self.logo_error.show_message("")
        self.set_logo(shrink_to_png(image))

    def set_logo(self, png: bytes | None) -> None:
        """Show ``png`` (None: no logo) as the logo to save."""
        self._logo = png
        picture = logo_pixmap(png, LOGO_SIDE // 2)
        self.logo_preview.setPixmap(picture if picture is not None else QPixmap())
        self.logo_preview.setText("" if picture is not None else "No logo")
        self.remove_logo_button.setEnabled(png is not None and self.choose_logo_button.isEnabled())

    def change(self) -> GeneralChange:
        """The gym fields that differ from what the dialog opened with."""
        loaded = self._loaded
        name = self.name.text()
        zone = self._zone_text()
        minutes = self.check_in.value()
        return GeneralChange(
            name=name if name.strip() != loaded.name else KEEP,
            logo_png=self._logo if self._logo != loaded.logo_png else KEEP,
            time_zone=zone if zone != loaded.time_zone else KEEP,
            check_in_opens_minutes=minutes if minutes != loaded.check_in_opens_minutes else KEEP,
        )

    def save(self) -> None:
        """Save the changed gym fields through the service, then this desk's choices."""
        change, unpaid = self.change(), self.unpaid_box.wanted()
        if change == GeneralChange() and unpaid is None:
            self._finish(self._loaded)
            self.accept()
            return
        actor, services = self._ctx.actor, self._ctx.services

        def save() -> Outcome[GymGeneral]:  # on the worker: the fields, then the unpaid box
            done = services.settings.update_general(change, actor=actor)
            if unpaid is not None:
                services.unpaid.set_front_desk_books_unpaid(unpaid, actor=actor)
            return done

        submit(
            self,
            self._ctx.runner,
            save,
            ErrorFields(
                self.error,
                {
                    "gym_name": self.name_error,
                    TIME_ZONE_KEY: self.time_zone_error,
                    LOGO_KEY: self.logo_error,
                    "check_in_opens_minutes": self.check_in_error,
                },
            ),
            button=self.save_button,
            on_saved=self._finish,
        )

    def _finish(self, general: GymGeneral) -> None:
        self._settings.setValue(LOCK_MINUTES_KEY, self.lock_after.value())
        self._settings.setValue(LOCALE_KEY, self.formats.currentData() or "")
        self._settings.sync()
        self.saved.emit(SavedGeneral(general, self.lock_after.value()))

    def _zone_text(self) -> str:
        text = self.time_zone.currentText().strip()
        return "" if text in ("", SYSTEM_ZONE) else text

    def _show_example(self) -> None:
        name = self.formats.currentData() or QLocale.system().name()
        locale = QLocale(name)
        moment = QDateTime.currentDateTime()
        example = locale.toString(moment, QLocale.FormatType.ShortFormat)
        money = locale.toCurrencyString(1234.5)
        self.formats_example.setText(
            f"Reads like {example} and {money}. Takes effect when Desk next starts."
        )

    @classmethod
    def ask(cls, ctx: DeskContext, settings: QSettings, parent: QWidget | None = None) -> None:
        dialog = cls(ctx, settings, parent)
        dialog.open()


def _describe(locale: QLocale) -> str:
    return (
        f"{QLocale.languageToString(locale.language())} "
        f"({QLocale.territoryToString(locale.territory())})"
    )


__all__ = ["GeneralSettingsDialog", "SavedGeneral"]
