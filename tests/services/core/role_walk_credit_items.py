"""The role walk's writes of a credit's later life (issue 18): shared pools, book now
and pay later, fees by policy, holds and undo, each from its own module, gathered
here for test_role_walk.py."""

from __future__ import annotations

from tests.services.core.role_walk_fees import FEE_WRITES
from tests.services.core.role_walk_holds import HOLD_WRITES
from tests.services.core.role_walk_pools import POOL_WRITES
from tests.services.core.role_walk_undo import UNDO_WRITES
from tests.services.core.role_walk_unpaid import UNPAID_ALSO, UNPAID_WRITES

CREDIT_ITEM_WRITES = POOL_WRITES | UNPAID_WRITES | FEE_WRITES | HOLD_WRITES | UNDO_WRITES
CREDIT_ITEM_ALSO = UNPAID_ALSO
"""More calls of writes already in the walk (booking unpaid, for one), added to theirs."""
