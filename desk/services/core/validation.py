"""Checks on values people type, shared by every service that takes them."""

from __future__ import annotations

import re
import unicodedata

from desk.services.core.errors import ValidationError

# Deliberately loose: one "@", something on each side, a dot in the domain, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MAX_TEXT = 2000


def clean_text(value: str | None, field: str, *, max_length: int = 100) -> str:
    """Strip, normalise Unicode (NFC) and refuse control characters and overlong text."""
    text = unicodedata.normalize("NFC", (value or "").strip())
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
