"""The README's curl examples, run in order against a live `python app.py`, answer the codes written under them."""
from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
README_BASE = "http://localhost:9410/api/v0"


def curl_examples() -> list[tuple[str, int]]:
    """(command, expected status) for every `curl` line of the README's sh blocks, continuations joined."""
    examples: list[tuple[str, int]] = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S):
        lines = block.replace("\\\n", " ").splitlines()
        for command, expected in zip(lines, lines[1:]):
            if command.startswith("curl ") and (match := re.fullmatch(r"# (\d{3})", expected.strip())):
                examples.append((command, int(match.group(1))))
    return examples


def test_the_readme_starts_with_make_run_and_make_test() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README.read_text(), re.S).group(1).splitlines()
    assert [line.split()[:2] for line in first_block[:2]] == [["make", "run"], ["make", "test"]]


def test_every_operation_has_an_example() -> None:
    text = " ".join(command for command, _ in curl_examples())
    for fragment in ("/cs/cs001 ", "/auth", "/reconfigure", "/certificates", "/trigger", "/setchargingprofile",
                     "/commands", "/token ", "/token/", "/certificate ", "/certificate/", "-X DELETE", "/register",
                     "/location/", "/transactions"):  # fmt: skip
        assert fragment in text + " ", fragment


@pytest.mark.timeout(120)
def test_readme_examples_against_a_live_server(live_server) -> None:
    examples = curl_examples()
    for command, expected in examples:
        arguments = shlex.split(command.replace(README_BASE, live_server.api_url))
        result = subprocess.run(
            arguments + ["-s", "-o", "/dev/null", "-w", "%{http_code}"], capture_output=True, text=True, timeout=30
        )
        assert result.stdout == str(expected), f"{command}\n{result.stdout} {result.stderr}\n{live_server.log()[-2000:]}"
