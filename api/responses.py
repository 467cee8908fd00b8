"""Success answers without a body (the seed's operations answer only a status code)."""
from __future__ import annotations

from flask import Response


def empty(status: int) -> Response:
    """An answer with this status and no body."""
    return Response(status=status)
