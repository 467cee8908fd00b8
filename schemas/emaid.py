"""eMAID (EVCO ID) normalisation with the eMI3 / DIN SPEC 91286 check digit."""
from __future__ import annotations

import re

_PATTERN = re.compile(r"([A-Za-z]{2})(-?)([A-Za-z0-9]{3})(-?)([A-Za-z0-9]{9})(-?)([A-Za-z0-9])?")

# Character → its 2x2 matrix entries (q1, q2 in GF(2); r1, r2 in GF(3)), per the EVCO ID check digit paper.
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_MATRICES = {
    char: (index // 18, (index // 9) % 2, (index // 3) % 3, index % 3) for index, char in enumerate(_ALPHABET)
}
_REVERSE = "0I9R3LCU6OFX----1JAS4MDV7PGY----2KBT5NEW8QHZ"

# Powers of the two generator matrices for positions 1..14, as (a, b, c, d) row-major.
_P1 = [(0, 1, 1, 1), (1, 1, 1, 0), (1, 0, 0, 1)] * 5
_P2 = [
    (0, 1, 1, 2),
    (1, 2, 2, 2),
    (2, 2, 2, 0),
    (2, 0, 0, 2),
    (0, 2, 2, 1),
    (2, 1, 1, 1),
    (1, 1, 1, 0),
    (1, 0, 0, 1),
] * 2


class EmaidError(ValueError):
    """The text is not an eMAID, or its check digit is wrong."""


def check_digit(emaid: str) -> str:
    """The check digit of the first 14 characters of a normalised (upper-case, no separators) eMAID."""
    c1 = c2 = c3 = c4 = 0
    for position, char in enumerate(emaid[:14]):
        q1, q2, r1, r2 = _MATRICES[char]
        p1, p2 = _P1[position], _P2[position]
        c1 += q1 * p1[0] + q2 * p1[2]
        c2 += q1 * p1[1] + q2 * p1[3]
        c3 += r1 * p2[0] + r2 * p2[2]
        c4 += r1 * p2[1] + r2 * p2[3]
    q1, q2 = c1 % 2, c2 % 2
    r1 = (0, 2, 1)[c4 % 3]
    r2 = (0, 2, 1)[(c3 % 3 + r1) % 3]
    return _REVERSE[q1 + q2 * 2 + r1 * 4 + r2 * 16]


def normalise_emaid(text: str) -> str:
    """`GB-TWK-012345678-V` → `GBTWK012345678V`; a missing check digit is appended, a wrong one refused."""
    match = _PATTERN.fullmatch(text)
    if match is None:
        raise EmaidError(f"emaid {text} is invalid")
    emaid = "".join(match.group(1, 3, 5)).upper() + (match.group(7) or "").upper()
    expected = check_digit(emaid)
    if len(emaid) == 15:
        if emaid[14] != expected:
            raise EmaidError(f"emaid check digit {emaid[14]} expected value {expected}")
        return emaid
    return emaid + expected
