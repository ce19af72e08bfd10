"""The benchmark's synthetic generator, at a tiny scale: a loadable graph that answers.

Timing itself belongs to ``bench/``; this only keeps the generator working as the data grows.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pyoxigraph as ox

from lexgraph.core.paths import Layout
from lexgraph.store.build import BuildResult
from lexgraph.store.library import read_library
from lexgraph.store.query import execute, substitutions

ROOT = Path(__file__).resolve().parents[1]


def _synthetic() -> ModuleType:
    spec = importlib.util.spec_from_file_location("synthetic", ROOT / "bench" / "synthetic.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["synthetic"] = module
    spec.loader.exec_module(module)
    return module


def test_tiny_synthetic_graph_loads_and_answers_every_question(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """A tiny synthetic graph (clones, a synthetic state, participations) loads and answers."""
    synthetic = _synthetic()
    layout, _ = built
    base = synthetic.read_base(layout.build / "lexgraph.trig")
    small = dataclasses.replace(base, states=base.states[:20])  # few states: a quick run
    manifest = synthetic.write_dataset(small, tmp_path / "out", scale=1.05, seed=1)
    assert manifest.synthetic_instruments >= 1 and manifest.synthetic_states == 1
    assert manifest.participations > 0
    report = synthetic.load_store(tmp_path / "out" / synthetic.DATASET_FILE, tmp_path / "store")
    assert report.quads >= manifest.quads
    store = ox.Store.read_only(str(tmp_path / "store"))
    for question in read_library(layout.questions):
        execute(store, question.text, substitutions(store, question, {}), question.name)
