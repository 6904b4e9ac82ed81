"""Checks on values people type, shared by every service that takes them."""

from __future__ import annotations

import re
import unicodedata

from desk.services.core.errors import ValidationError

# Deliberately loose: one "@", something on each side, a dot in the domain, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_TEXT = 2000


# Format characters (category Cf) that are drawn: an Arabic number sign shows before
# its digits (Unicode's Prepended_Concatenation_Mark), so it isn't stripped.
_DRAWN_FORMAT = frozenset("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
# Letters that draw nothing and stand alone (the compatibility Hangul fillers), the
# favourite of "blank" names in chat apps.
_BLANK_LETTERS = frozenset("\u3164\uffa0")
_CANCEL_TAG = "\U000e007f"


def _invisible(ch: str) -> bool:
    """Whitespace (Zs, line breaks, tabs) or a character that draws nothing (most Cf)."""
    if ch.isspace() or ch in _BLANK_LETTERS:
        return True
    return unicodedata.category(ch) in ("Cf", "Zs") and ch not in _DRAWN_FORMAT


def _is_tag(ch: str) -> bool:
    return "\U000e0020" <= ch <= _CANCEL_TAG


def _visible_part(text: str) -> str:
    """``text`` without the invisible characters at its ends; "" when nothing shows.

    Inside, they stay: a zero-width joiner makes one emoji of several, or joins
    letters in Indic and Arabic scripts. At the end, only the tag characters of an
    emoji flag (a run closed by CANCEL TAG after a symbol such as 🏴) stay.
    """
    start, end = 0, len(text)
    while start < end and _invisible(text[start]):
        start += 1
    while end > start and _invisible(text[end - 1]):
        if text[end - 1] == _CANCEL_TAG:
            first = end - 1
            while first > start and _is_tag(text[first - 1]):
                first -= 1
            if first > start and unicodedata.category(text[first - 1]) == "So":
                break
        end -= 1
    return text[start:end]


def is_blank(value: str | None) -> bool:
    """Whether ``value`` shows nothing: empty, or only whitespace and invisible characters."""
    return not _visible_part(value or "")


def clean_text(value: str | None, field: str, *, max_length: int = 100) -> str:
    """Strip whitespace and invisible format characters (zero-width space, BOM, word
    joiner...) from the ends, normalise Unicode (NFC), and refuse control characters
    and overlong text. Text of nothing but those characters comes back as "".
    Raises ValidationError (for ``field``) otherwise."""
    text = _visible_part(unicodedata.normalize("NFC", value or ""))
    if any(unicodedata.category(ch) == "Cc" and ch not in "\n\t" for ch in text):
        raise ValidationError(
            field, f"The {field.replace('_', ' ')} has invisible control characters."
        )
    if len(text) > max_length:
        raise ValidationError(
            field, f"The {field.replace('_', ' ')} is too long (at most {max_length} characters)."
        )
    return text


def clean_email(value: str | None) -> str | None:
    """None for blank; otherwise a lower-cased address of a plausible shape."""
    text = clean_text(value, "email", max_length=254)
    if not text:
        return None
    if not _EMAIL.match(text):
        raise ValidationError("email", f"{text!r} doesn't look like an email address.")
    return text.lower()


def phone_digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def clean_phone(value: str | None) -> str | None:
    """None for blank; otherwise the phone as typed, which must hold 7 to 15 digits."""
    text = clean_text(value, "phone", max_length=40)
    if not text:
        return None
    if re.search(r"[^\d\s()+\-./x]", text, re.I):
        raise ValidationError("phone", "A phone number holds digits, spaces and + ( ) - . only.")
    digits = phone_digits(text)
    if not 7 <= len(digits) <= 15:
        raise ValidationError(
            "phone", f"A phone number has 7 to 15 digits; {text!r} has {len(digits)}."
        )
    return text


def require_positive(value: int, field: str, *, maximum: int = 10_000) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"The {field} must be a whole number.")
    if value <= 0:
        raise ValidationError(field, f"The {field} must be at least 1.")
    if value > maximum:
        raise ValidationError(field, f"The {field} can be at most {maximum:,}.")
    return value
