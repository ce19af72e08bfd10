"""The recorded changes, end to end: two updates from a local depositary, a build, then
`lexgraph changes` and the feed that `lexgraph release` writes (Atom 1.0 and JSON)."""

from __future__ import annotations

import hashlib
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import add_test_sites, copy_project
from depositary import ONLY, Depositary, serve
from lexgraph.cli.main import main
from lexgraph.core.paths import Layout
from listener import serving

A = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def updated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layout]:
    """A scratch project updated from the first and then the second snapshot, built and
    released."""
    layout = copy_project(tmp_path_factory.mktemp("updated"))
    add_test_sites(layout)
    env = {"LEXGRAPH_ROOT": str(layout.root)}
    runner = CliRunner()
    with serving(Depositary) as base:
        args = ["update", "--un-base", base, "--coe-base", base]
        args += [a for key in ONLY for a in ("--only", key)]
        serve("untoc-v1.xml")
        first = runner.invoke(main, [*args, "--allow-shrink", "--no-build"], env=env)
        assert first.exit_code == 0, first.output
        serve("untoc-v2.xml")
        second = runner.invoke(main, args, env=env)
        assert second.exit_code == 0, second.output
    released = runner.invoke(main, ["release"], env=env)
    assert released.exit_code == 0, released.output
    yield layout


def _run(layout: Layout, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env={"LEXGRAPH_ROOT": str(layout.root)})


def test_changes_lists_the_records_newest_first(updated: Layout) -> None:
    """`lexgraph changes` prints every recorded change, the latest list's first."""
    out = _run(updated, "changes").output.splitlines()
    assert out[0].startswith("2026-12-01") and out[-1].startswith("2026-06-01")
    assert any("AND  new-party" in line for line in out)


def test_changes_filters_by_state_name_instrument_and_date(updated: Layout) -> None:
    """--state takes a name, --instrument a key, --since the depositary's date."""
    rows = json.loads(_run(updated, "changes", "--state", "Andorra", "--format", "json").output)
    assert {r["change"] for r in rows} == {"new-party", "new-reservation"}
    since = json.loads(_run(updated, "changes", "--since", "2026-07-01", "--format", "json").output)
    assert since and all(r["as_at"] >= "2026-07-01" for r in since)
    csv_out = _run(updated, "changes", "--instrument", "untoc", "--format", "csv").output
    assert csv_out.startswith("as_at,instrument,")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--since", "2026-13-01"), "is not a date"),
        (("--state", "Narnia"), "unknown state"),
        (("--instrument", "no-such-treaty"), "unknown instrument"),
    ],
)
def test_changes_refuses_bad_input_with_exit_2(
    updated: Layout, args: tuple[str, ...], said: str
) -> None:
    """A bad date, state or instrument is one clear message and exit code 2."""
    result = _run(updated, "changes", *args)
    assert result.exit_code == 2 and said in result.output


def test_the_atom_feed_is_atom_1_0_with_an_id_date_and_link_per_entry(updated: Layout) -> None:
    """changes.atom is an Atom 1.0 feed: feed id, title, updated, author; each entry an id,
    title, updated date-time and a link to the depositary's list."""
    feed = ET.parse(updated.release / "changes.atom").getroot()
    assert feed.tag == f"{A}feed"
    for child in ("id", "title", "updated", "author"):
        assert feed.find(f"{A}{child}") is not None, child
    entries = feed.findall(f"{A}entry")
    assert len(entries) == len(json.loads(_run(updated, "changes", "--format", "json").output))
    for entry in entries:
        assert (entry.findtext(f"{A}id") or "").startswith("https://w3id.org/lexgraph/id/change/")
        assert (entry.findtext(f"{A}updated") or "").endswith("T00:00:00Z")
        link = entry.find(f"{A}link[@rel='alternate']")
        assert link is not None and "XVIII-12.en.xml" in link.get("href", "")


def test_the_json_files_are_per_state_and_per_instrument(updated: Layout) -> None:
    """changes/state/<ISO3>.json and changes/instrument/<key>.json hold that state's or
    instrument's records; SHA256SUMS lists them."""
    state = json.loads((updated.release / "changes" / "state" / "BHR.json").read_text())
    assert state["state"] == "BHR"
    assert [c["change"] for c in state["changes"]] == ["withdrawal"]
    every = json.loads((updated.release / "changes" / "instrument" / "untoc.json").read_text())
    assert len(every["changes"]) == len(
        json.loads((updated.release / "changes" / "all.json").read_text())["changes"]
    )
    sums = (updated.release / "SHA256SUMS").read_text()
    data = (updated.release / "changes" / "state" / "BHR.json").read_bytes()
    assert f"{hashlib.sha256(data).hexdigest()}  changes/state/BHR.json" in sums


def test_the_feed_is_byte_identical_for_the_same_build(updated: Layout) -> None:
    """A second release of the same build writes the same feed files, byte for byte."""
    names = ["changes.atom", "changes/all.json", "changes/state/AND.json"]
    before = {n: (updated.release / n).read_bytes() for n in names}
    assert _run(updated, "release").exit_code == 0
    assert {n: (updated.release / n).read_bytes() for n in names} == before


def test_the_updated_graph_builds_with_typed_reservations(updated: Layout) -> None:
    """The files the update wrote pass the build's shapes and checks (the build ran), and
    the finder's reservations see the typed declaration."""
    assert (updated.store).exists() and os.listdir(updated.store)
    text = (updated.imported / "reservations" / "untoc.ttl").read_text()
    assert "<reservation/untoc/AND/mtdsg/declaration/no-treaty-basis-for-extradition" in text
    assert Path(updated.imported / "changes" / "untoc.ttl").is_file()
