"""(being written)"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table

RECORD_TABLES: dict[type[Any], Table] = {}
