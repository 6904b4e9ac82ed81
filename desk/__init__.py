"""Desk: the front-desk application for gyms and fitness studios."""

__version__ = "0.1.0"
