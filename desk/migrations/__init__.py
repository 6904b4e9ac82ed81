"""Alembic migrations of Desk's schema (``versions/``).

``HEAD_REVISION`` names the newest one so that a start-up can see "already up to date"
without importing Alembic; tests/test_db.py checks it against Alembic's own head.
"""

HEAD_REVISION = "0022"
