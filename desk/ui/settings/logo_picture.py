"""The gym's logo as a picture: shrunk to a small PNG to store, shown at any size."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QPixmap

LOGO_SIDE = 256
"""The stored logo fits a square this many pixels wide: sharp on a lock screen,
small enough for the database row every desk reads at start-up."""


def shrink_to_png(image: QImage) -> bytes:
    """``image`` scaled down (never up) to fit LOGO_SIDE, as PNG bytes."""
    if image.width() > LOGO_SIDE or image.height() > LOGO_SIDE:
        image = image.scaled(
            LOGO_SIDE,
            LOGO_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # PySide6 takes the format as str at run time, though its stubs say bytes.
    image.save(buffer, "PNG")  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def logo_pixmap(png: bytes | None, side: int) -> QPixmap | None:
    """The logo fitted into ``side`` pixels, None when there is none (or it is damaged)."""
    if png is None:
        return None
    picture = QPixmap()
    if not picture.loadFromData(png, "PNG"):
        return None
    return picture.scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
