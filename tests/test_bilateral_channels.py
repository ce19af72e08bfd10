"""Bilateral treaties from their CSV, offered by the finder between their parties only and
only while in force; and the networks (channels) two states share."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.paths import Layout
from lexgraph.importers.bilateral import import_bilateral

DATA = Path(__file__).parent / "data" / "bilateral"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A scratch project with the invented treaties and networks, built once."""
    from conftest import add_test_sites, copy_project  # type: ignore[import-not-found]

    layout = copy_project(tmp_path_factory.mktemp("bilateral") / "project")
    add_test_sites(layout)
    import_bilateral(DATA / "treaties.csv", layout, "fixture")
    shutil.copy(DATA / "network.ttl", layout.graph / "test-network.ttl")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LEXGRAPH_ROOT", str(layout.root))
        code, _, err = run("build")
        assert code == 0, err
    return layout.root


@pytest.fixture
def on_world(world: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LEXGRAPH_ROOT", str(world))
    return world


def test_import_writes_treaty_article_scope_and_parties(world: Path) -> None:
    text = (world / "graph" / "imported" / "bilateral" / "fixture.ttl").read_text()
    assert "a lex:BilateralTreaty" in text and "lex:party <state/FRA>" in text
    assert 'lex:minimumPenaltyMonths "12"^^xsd:integer' in text
    assert "<provision-kind/legal-basis>" in text
    assert "<act-kind/denunciation>" in text  # the terminated treaty
    assert "lex:covers <crime/trafficking-in-persons>" in text


def test_finder_offers_a_bilateral_treaty_in_force_between_its_parties(on_world: Path) -> None:
    args = ["basis", "--from", "FRA", "--to", "JPN", "--crime", "money laundering",
            "--modality", "extradition", "--on", "2020-01-01", "--format", "json"]  # fmt: skip
    code, out, err = run(*args)
    assert code == 0, err
    found = {c["instrument"].rsplit("/", 1)[1]: c for c in json.loads(out)["candidates"]}
    assert found["test-fra-jpn-extradition"]["verdict"] in ("basis", "conditional")
    code, out, _ = run(*args[:4], "DEU", *args[5:])
    names = [c["instrument"] for c in json.loads(out)["candidates"]]
    assert not any("test-fra-jpn" in n for n in names)  # binds France and Japan only
    assert "bilateral treat" in json.dumps(json.loads(out)["not_known"])


def test_a_terminated_treaty_is_no_basis_after_its_end(on_world: Path) -> None:
    base = ["basis", "--from", "FRA", "--to", "JPN", "--crime", "trafficking in persons",
            "--modality", "mutual-legal-assistance", "--format", "json"]  # fmt: skip
    before = {
        c["instrument"]: c["verdict"]
        for c in json.loads(run(*base, "--on", "2010-01-01")[1])["candidates"]
    }
    after = {
        c["instrument"]: c["verdict"]
        for c in json.loads(run(*base, "--on", "2020-01-01")[1])["candidates"]
    }
    key = next(k for k in before if k.endswith("test-fra-jpn-mla-ended"))
    assert before[key] in ("basis", "conditional")
    assert after[key] not in ("basis", "conditional")


def test_a_treaty_without_entry_into_force_is_signed_only_and_unknown(on_world: Path) -> None:
    """A row with no entry into force records each party's signature, not an undated consent,
    and the finder answers unknown (never a basis) for the treaty."""
    text = (on_world / "graph" / "imported" / "bilateral" / "fixture.ttl").read_text()
    block = text[text.index("participation/test-fra-kor-mla-unratified/FRA") :]
    assert "<act-kind/signature>" in block.split("\n\n")[0]
    args = ["basis", "--from", "FRA", "--to", "KOR", "--crime", "money laundering",
            "--modality", "mutual-legal-assistance", "--on", "2020-01-01",
            "--format", "json"]  # fmt: skip
    code, out, err = run(*args)
    assert code == 0, err
    found = {c["instrument"].rsplit("/", 1)[1]: c for c in json.loads(out)["candidates"]}
    assert found["test-fra-kor-mla-unratified"]["verdict"] == "unknown"


def test_bad_bilateral_rows_are_one_error_naming_lines(tmp_path: Path, project: Layout) -> None:
    bad = tmp_path / "bad.csv"
    header = (DATA / "treaties.csv").read_text().splitlines()[0]
    bad.write_text(
        header + "\n"
        "x1,FRA,FRA,T,S,extradition,1,12,2010-01-01,,,https://e.org/a,\n"
        "x2,FRA,JPN,T,S,piracy,1,12,2010-01-01,,,https://e.org/a,\n"
        "x3,FRA,JPN,T,S,extradition,one,12,2010-01-01,,,https://e.org/a,\n"
        "x4,FRA,JPN,T,S,extradition,1,forever,2010-01-01,,,https://e.org/a,\n"
    )
    with pytest.raises(InputError) as caught:
        import_bilateral(bad, project)
    message = str(caught.value)
    for line in (2, 3, 4, 5):
        assert f"bad.csv:{line}:" in message
    assert not (project.graph / "imported" / "bilateral" / "bad.ttl").exists()


def deemed_included_routes(out: str) -> list[str]:
    """The texts of an answer's conditions that offer the deemed-included route."""
    return re.findall(r"an extradition treaty binds [^\"]*?deemed included \([^)]*\)", out)


def test_the_deemed_included_route_names_extradition_treaties_only(on_world: Path) -> None:
    """The route "an extradition treaty binds the two states" names the pair's recorded
    extradition treaties, never its mutual legal assistance treaties; with none, it says that
    bilateral extradition treaties are not recorded, even where other bilateral treaties are."""
    args = ["basis", "--from", "FRA", "--to", "JPN", "--crime", "money laundering",
            "--modality", "extradition", "--on", "2020-01-01", "--format", "json"]  # fmt: skip
    code, out, err = run(*args)
    assert code == 0, err
    routes = deemed_included_routes(out)
    assert routes and all("FRA-JPN extradition treaty (fixture)" in r for r in routes)
    assert not any("MLA" in r for r in routes)
    code, out, err = run(*args[:4], "KOR", *args[5:])  # France and Korea: an MLA treaty only
    assert code == 0, err
    routes = deemed_included_routes(out)
    assert routes and all(
        "bilateral extradition treaties between them are not recorded" in r for r in routes
    )


def test_a_title_keeps_its_language_and_the_short_name_labels_in_english(
    tmp_path: Path, project: Layout
) -> None:
    """A title in Dutch is tagged nl, and the short name is the English label; a title in
    English stays the only label; an unknown language code is an error naming its line."""
    header = (
        (DATA / "treaties.csv")
        .read_text()
        .splitlines()[0]
        .replace(",title,", ",title,title_language,")
    )
    rows = (
        "x-nl,FRA,JPN,Verdrag inzake uitlevering,nl,France-Japan Extradition Treaty,"
        "extradition,1,12,2010-01-01,,,https://example.org/a,\n"
        "x-en,FRA,KOR,Extradition Treaty,,France-Korea Extradition Treaty,"
        "extradition,1,12,2010-01-01,,,https://example.org/a,\n"
    )
    good = tmp_path / "titles.csv"
    good.write_text(header + "\n" + rows)
    import_bilateral(good, project)
    text = (project.graph / "imported" / "bilateral" / "titles.ttl").read_text()
    assert 'skos:prefLabel "Verdrag inzake uitlevering"@nl' in text
    assert 'skos:prefLabel "France-Japan Extradition Treaty"@en' in text
    assert text.count("skos:prefLabel") == 3  # x-en: its English title only
    bad = tmp_path / "bad-language.csv"
    bad.write_text(header + "\n" + rows.replace(",nl,", ",Dutch,"))
    with pytest.raises(InputError, match=r"bad-language.csv:2: title_language 'Dutch'"):
        import_bilateral(bad, project)


def test_channels_list_shared_one_sided_and_unrecorded_networks(on_world: Path) -> None:
    code, out, err = run("channels", "--from", "France", "--to", "Japan", "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert [c["name"] for c in found["shared"]] == ["TestNet"]
    # graph/networks.ttl lists the EJN's and Eurojust's members: France is one, Japan not
    assert [c["name"] for c in found["one_side"]] == ["EJN", "Eurojust", "HalfNet"]
    assert "Egmont Group" in [c["name"] for c in found["unrecorded"]]
    code, out, _ = run("channels", "--from", "FRA", "--to", "JPN", "--modality", "extradition")
    assert out.startswith("Networks connecting France and Japan for extradition: 1 with both")
    assert "HalfNet" not in out


def test_a_member_list_without_its_date_is_shown_undated(on_world: Path) -> None:
    """IberRed's list comes from an undated page: its members are counted, with no as-at
    date made up for them."""
    code, out, err = run("channels", "--from", "ESP", "--to", "PRT")
    assert code == 0, err
    line = next(line for line in out.splitlines() if "IberRed" in line)
    assert re.search(r"both members .* \d+ \(undated list\)", line)


def test_basis_answer_ends_with_the_channels(on_world: Path) -> None:
    code, out, _ = run("basis", "--from", "FRA", "--to", "JPN", "--crime", "money laundering",
                       "--modality", "extradition", "--on", "2020-01-01")  # fmt: skip
    assert code == 0
    assert "\nChannels\nNetworks connecting France and Japan for extradition" in out
