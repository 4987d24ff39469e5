"""Fixtures for the text analysis tests: the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "seeds" / "cnn-drone-attacks-persist-despite-trump-putin-call.txt"


@pytest.fixture(scope="session")
def seed() -> tuple[str, str]:
    """(title, body) of the seed: the paragraphs, without the title, "Published:" and "Source:" lines."""
    lines = SEED.read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[1:] if not line.startswith(("Source:", "Published:"))]
    return lines[0], "\n".join(body)
