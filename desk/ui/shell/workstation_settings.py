"""What one workstation keeps for itself in QSettings: when it locks, its formats.

The gym-wide settings live in the database (SettingsService); these stay per
desk because a back-office PC may lock later than the front desk, and a desk
may be set to another country's formats than its operating system.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSettings

LOCK_MINUTES_KEY = "desk/lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10
MAX_LOCK_MINUTES = 240
LOCALE_KEY = "desk/locale"

LOCALE_CHOICES: tuple[tuple[QLocale.Language, QLocale.Country], ...] = (
    (QLocale.Language.English, QLocale.Country.UnitedStates),
    (QLocale.Language.English, QLocale.Country.UnitedKingdom),
    (QLocale.Language.English, QLocale.Country.Canada),
    (QLocale.Language.English, QLocale.Country.Australia),
    (QLocale.Language.English, QLocale.Country.NewZealand),
    (QLocale.Language.English, QLocale.Country.Ireland),
    (QLocale.Language.English, QLocale.Country.SouthAfrica),
    (QLocale.Language.French, QLocale.Country.Canada),
    (QLocale.Language.French, QLocale.Country.France),
    (QLocale.Language.German, QLocale.Country.Germany),
    (QLocale.Language.Spanish, QLocale.Country.Spain),
    (QLocale.Language.Spanish, QLocale.Country.Mexico),
    (QLocale.Language.Dutch, QLocale.Country.Netherlands),
)
"""The formats a desk may choose besides its system's (Desk's words stay English)."""


def lock_minutes(settings: QSettings | None) -> int:
    """Minutes without a key or click before the desk locks (0: never)."""
    if settings is None:
        return 0
    raw = settings.value(LOCK_MINUTES_KEY, DEFAULT_LOCK_MINUTES)
    try:
        minutes = int(str(raw))
    except ValueError:
        return DEFAULT_LOCK_MINUTES
    return minutes if 0 <= minutes <= MAX_LOCK_MINUTES else DEFAULT_LOCK_MINUTES


def chosen_locale(settings: QSettings) -> str:
    """The locale name this desk chose ("en_GB"), "" to follow the system."""
    name = str(settings.value(LOCALE_KEY, "") or "")
    known = {QLocale(language, country).name() for language, country in LOCALE_CHOICES}
    return name if name in known else ""


def apply_locale(settings: QSettings) -> None:
    """At start-up, before any window: the chosen formats become every QLocale()."""
    name = chosen_locale(settings)
    if name:
        QLocale.setDefault(QLocale(name))
