"""Kill -9 at a random moment of mixed traffic, restart on the same file: nothing acknowledged is lost, every queued
command is delivered. Three trials here; `make soak` runs fifty (tests/reliability/durability.py)."""
from __future__ import annotations

import pytest

from tests.reliability.durability import trial


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tmp_path, seed):
    acknowledged, lost = trial(tmp_path, seed)
    assert acknowledged > 20, "the trial acknowledged too little to prove anything"
    assert lost == []
