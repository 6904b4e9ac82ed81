"""The one error the appointments commands raise for bad input on the command line."""

from __future__ import annotations


class AppointmentUsageError(Exception):
    """Bad input to an appointments command; the message is the one line to print."""
