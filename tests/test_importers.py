"""The article importer: good input gives deterministic Turtle; bad input writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from lexgraph.core.errors import InputError
from lexgraph.importers.articles import import_articles

HEADER = "instrument_key,english_title,bwb_id,source_path,division,article,heading\n"


def _csv(tmp_path: Path, rows: str) -> Path:
    path = tmp_path / "articles.csv"
    path.write_text(HEADER + rows)
    return path


def test_import_writes_one_file_per_instrument(tmp_path: Path) -> None:
    """Each instrument of the CSV gets its own Turtle file with one block per article."""
    path = _csv(
        tmp_path, "UNTOC,T,B,verdrag/x.md,,2,Use of terms\nUNTOC,T,B,verdrag/x.md,,10,Liab\n"
    )
    [out] = import_articles(path, tmp_path / "out")
    text = out.read_text()
    assert out.name == "untoc.ttl"
    assert text.index("<instrument/untoc/article/2>") < text.index("<instrument/untoc/article/10>")
    assert 'lex:heading "Use of terms"@en' in text


def test_reimport_is_byte_identical(tmp_path: Path) -> None:
    """Importing the same CSV twice gives the same bytes."""
    path = _csv(tmp_path, "UNTOC,T,B,verdrag/x.md,,1,Purpose\n")
    [out] = import_articles(path, tmp_path / "out")
    first = out.read_bytes()
    import_articles(path, tmp_path / "out")
    assert out.read_bytes() == first


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("UNTOC,T,B,verdrag/x.md,,Art. 1,Purpose\n", r"articles.csv:3: article number 'Art. 1'"),
        (
            "UNTOC,T,B,verdrag/x.md,,1,A\nUNTOC,T,B,verdrag/x.md,,1,B\n",
            r"articles.csv:4: article 1",
        ),
        (",T,B,verdrag/x.md,,1,A\n", r"articles.csv:3: empty instrument_key"),
    ],
)
def test_bad_row_is_named_and_nothing_is_written(tmp_path: Path, rows: str, message: str) -> None:
    """A bad row is reported with its line, and no file is written."""
    with pytest.raises(InputError, match=message):
        import_articles(_csv(tmp_path, "UNTOC,T,B,verdrag/x.md,,5,Fine\n" + rows), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_column_is_named(tmp_path: Path) -> None:
    """A CSV without the heading column is refused, naming the column."""
    path = tmp_path / "a.csv"
    path.write_text("instrument_key,article\nUNTOC,1\n")
    with pytest.raises(InputError, match="missing column"):
        import_articles(path, tmp_path / "out")


COUNTRY_COLUMNS = (
    "ISO3166-1-Alpha-3,ISO3166-1-Alpha-2,ISO3166-1-numeric,M49,UNTERM English Short,"
    "UNTERM French Short,Region Code,Region Name,Sub-region Code,Sub-region Name,wikidata_id\n"
)


def test_country_import_writes_states_and_regions(tmp_path: Path) -> None:
    """A country row becomes a state with codes, names, regions and a Wikidata sameAs."""
    from lexgraph.importers.countries import import_countries

    path = tmp_path / "c.csv"
    path.write_text(
        COUNTRY_COLUMNS + "JPN,JP,392,392,Japan,Japon (le),142,Asia,30,Eastern Asia,"
        "https://www.wikidata.org/wiki/Q17\n"
    )
    states, regions = import_countries(path, tmp_path / "out")
    text = regions.read_text() + states.read_text()
    assert 'lex:iso3166Alpha2 "JP"' in text and '"Japon (le)"@fr' in text
    assert "<region/m49-030>" in text and "wd:Q17" in text


def test_country_import_adds_m49_and_cldr_names_once(tmp_path: Path) -> None:
    """The M49 names and the CLDR display name become altLabels, none repeating a label."""
    from lexgraph.importers.countries import import_countries

    path = tmp_path / "c.csv"
    path.write_text(
        "ISO3166-1-Alpha-3,ISO3166-1-Alpha-2,ISO3166-1-numeric,M49,UNTERM English Short,"
        "UNTERM English Formal,UNTERM French Short,official_name_en,official_name_fr,"
        "official_name_cn,CLDR display name,Region Code,Region Name,wikidata_id\n"
        "RUS,RU,643,643,Russian Federation (the),the Russian Federation,"
        "Fédération de Russie (la),Russian Federation,Fédération de Russie (la),俄罗斯联邦,Russia,"
        "150,Europe,Q159\n",
        encoding="utf-8",
    )
    _, states = import_countries(path, tmp_path / "out")
    text = states.read_text(encoding="utf-8")
    for label in ('"Russian Federation"@en', '"Russia"@en', '"俄罗斯联邦"@zh'):
        assert f"skos:altLabel {label}" in text
    assert text.count('"Fédération de Russie (la)"@fr') == 1


def test_country_import_rejects_a_bad_code(tmp_path: Path) -> None:
    """A row whose alpha-3 code is not three capitals is named, and nothing is written."""
    from lexgraph.importers.countries import import_countries

    path = tmp_path / "c.csv"
    path.write_text(COUNTRY_COLUMNS + "jp,JP,392,392,Japan,Japon,142,Asia,30,Eastern Asia,Q17\n")
    with pytest.raises(InputError, match=r"c.csv:2: ISO3166-1-Alpha-3 'jp'"):
        import_countries(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_sdg_import_refuses_a_kos_without_the_targets(tmp_path: Path) -> None:
    """An SDG KOS file that lacks a target lexgraph needs is refused, naming the target."""
    from lexgraph.importers.sdg import import_sdg

    path = tmp_path / "kos.ttl"
    path.write_text(
        "<http://metadata.un.org/sdg/16> a <http://www.w3.org/2004/02/skos/core#Concept> .\n"
    )
    with pytest.raises(InputError, match=r"no target 16\.4"):
        import_sdg(path, tmp_path / "out")
    assert not (tmp_path / "out").exists()
