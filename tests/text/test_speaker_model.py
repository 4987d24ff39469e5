"""The shipped speaker model is what its training script makes from the shared data."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from digests.text._speakers import MODEL_FILE, load_model

REPO = Path(__file__).resolve().parents[2]


def test_shipped_model_loads_with_a_threshold() -> None:
    model = load_model()
    assert model.weights and 0.0 < model.threshold < 1.0


def test_shipped_model_is_what_the_training_script_produces(datasets: Path) -> None:
    data = datasets / "polnear-quotes"
    if not (data / "quotes.jsonl").is_file():
        pytest.skip("polnear-quotes is not present")
    pytest.importorskip("sklearn")
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        trainer = importlib.import_module("train_speakers")
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    articles, gold = trainer.load(data)
    shipped = (REPO / "digests" / "text" / MODEL_FILE).read_text(encoding="utf-8")
    assert trainer.dump(trainer.train(articles, gold)) == shipped
