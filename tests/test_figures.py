"""Static figures: readable network drawings, heatmaps and timelines that cite the dataset."""

from __future__ import annotations

import itertools
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from lexgraph.cli import main
from lexgraph.core.errors import InputError
from lexgraph.core.namespaces import ID
from lexgraph.core.paths import Layout
from lexgraph.render.figures import (
    figure_svg,
    label_boxes,
    matrix_figure,
    network_figure,
    save_figure,
    timeline_figure,
)
from lexgraph.store.build import BuildResult
from lexgraph.views import caption_line, modality_matrix, participation_matrix, timeline
from lexgraph.views.subgraph import select

HOSTILE = Path(__file__).parent / "data" / "views" / "hostile.ttl"


def _captions(fig: object) -> list[str]:
    return [t.get_text() for t in fig.texts if t.get_gid() == "caption"]  # type: ignore[attr-defined]


def test_network_labels_do_not_overlap_on_a_30_node_focus(
    graph: tuple[Layout, ox.Store],
) -> None:
    """On a 30-node focus every node has a label and no two rendered label boxes overlap."""
    layout, store = graph
    sub = select(store, crime="trafficking-in-persons", depth=2, max_nodes=30)
    assert len(sub.nodes) == 30
    fig = network_figure(sub, caption=caption_line(layout, store))
    fig.canvas.draw()
    boxes = label_boxes(fig)
    assert len(boxes) == 30
    overlapping = [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]
    assert overlapping == []


def test_network_labels_stay_inside_the_figure(graph: tuple[Layout, ox.Store]) -> None:
    """No label of a network drawing is cut off by the figure's edge."""
    _, store = graph
    fig = network_figure(select(store, instrument="untoc-tip-protocol"), caption="c")
    fig.canvas.draw()
    width, height = fig.canvas.get_width_height()
    for box in label_boxes(fig):
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height


def test_every_figure_carries_the_citation_line(graph: tuple[Layout, ox.Store]) -> None:
    """Network, matrix and timeline figures each carry the dataset citation and date."""
    layout, store = graph
    caption = caption_line(layout, store)
    figures = [
        network_figure(select(store, crime="cybercrime"), caption=caption),
        matrix_figure(modality_matrix("cybercrime", store=store, layout=layout)),
        matrix_figure(participation_matrix("m49-155", store=store, layout=layout)),
        timeline_figure(timeline("FRA", store=store, layout=layout)),
    ]
    for fig in figures:
        assert any(caption in " ".join(text.split("\n")) for text in _captions(fig))


def test_caption_names_the_version_and_date(graph: tuple[Layout, ox.Store]) -> None:
    """The caption line cites the dataset's version and the data's date."""
    layout, store = graph
    caption = caption_line(layout, store)
    assert "lexgraph 0.1.0" in caption
    modified = next(
        q.object.value
        for q in store.quads_for_pattern(
            ox.NamedNode(ID + "dataset/lexgraph"),
            ox.NamedNode("http://purl.org/dc/terms/modified"),
            None,
        )
    )
    assert f"Data of {modified}" in caption


@pytest.mark.parametrize("suffix", ["svg", "pdf", "png"])
def test_saved_figures_are_byte_identical(
    graph: tuple[Layout, ox.Store], tmp_path: Path, suffix: str
) -> None:
    """The same figure saved twice gives the same bytes (salted SVG ids, no dates)."""
    layout, store = graph
    matrix = modality_matrix("cybercrime", store=store, layout=layout)
    first = save_figure(matrix_figure(matrix), tmp_path / f"a.{suffix}").read_bytes()
    second = save_figure(matrix_figure(matrix), tmp_path / f"b.{suffix}").read_bytes()
    assert first == second
    assert b"CreationDate" not in first and b"<dc:date>" not in first


def test_figure_svg_is_an_inline_svg_element(graph: tuple[Layout, ox.Store]) -> None:
    """The inline form starts at the <svg> element, without XML prolog or doctype."""
    layout, store = graph
    svg = figure_svg(matrix_figure(modality_matrix("cybercrime", store=store, layout=layout)))
    assert svg.startswith("<svg") and "<!DOCTYPE" not in svg


def test_dollar_signs_in_labels_are_text_not_mathematics(
    built: tuple[Layout, BuildResult], tmp_path: Path
) -> None:
    """Text with unbalanced ``$`` and ``^`` renders as written instead of failing."""
    layout, _ = built
    store = ox.Store()
    store.load(path=str(HOSTILE), format=ox.RdfFormat.TURTLE, base_iri=ID)
    fig = network_figure(select(store, crime="evil"), caption="costs $5 and $x_1^{2")
    save_figure(fig, tmp_path / "hostile.svg")
    assert _captions(fig) == ["costs $5 and $x_1^{2"]
    matrix = modality_matrix("evil", store=store, layout=layout)
    save_figure(matrix_figure(matrix), tmp_path / "matrix.png")


def test_unsupported_suffix_is_an_input_error(
    graph: tuple[Layout, ox.Store], tmp_path: Path
) -> None:
    """A figure file must end in .svg, .png or .pdf."""
    layout, store = graph
    fig = matrix_figure(modality_matrix("cybercrime", store=store, layout=layout))
    with pytest.raises(InputError, match=r"\.svg, \.png or \.pdf"):
        save_figure(fig, tmp_path / "figure.gif")


def test_figure_command_writes_the_file(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lexgraph figure network`` writes an SVG of the focus and says how many nodes."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    out = tmp_path / "net.svg"
    result = CliRunner().invoke(
        main, ["figure", "network", "--crime", "cybercrime", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().lstrip().startswith("<?xml") and "nodes" in result.output


def test_matrix_command_needs_a_crime_or_a_region(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lexgraph figure matrix`` without --crime or --region is a one-line error, exit 2."""
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    result = CliRunner().invoke(main, ["figure", "matrix", "-o", str(tmp_path / "m.svg")])
    assert result.exit_code == 2
    assert "give one of --crime or --region" in result.output


def test_svg_figures_carry_their_words_as_text(graph: tuple[Layout, ox.Store]) -> None:
    """An SVG figure's labels and caption are <text> elements (searchable, editable), not paths."""
    layout, store = graph
    svg = figure_svg(matrix_figure(modality_matrix("cybercrime", store=store, layout=layout)))
    assert "<text" in svg and "Budapest Convention" in svg and "lexgraph" in svg


def test_matrix_labels_are_short_names_never_cut_mid_word(graph: tuple[Layout, ox.Store]) -> None:
    """Row and column labels are short names, wrapped between words, never cut with an ellipsis."""
    layout, store = graph
    fig = matrix_figure(participation_matrix("m49-155", store=store, layout=layout))
    ax = fig.axes[0]
    labels = [t.get_text() for t in (*ax.get_xticklabels(), *ax.get_yticklabels())]
    assert labels and not any("…" in t for t in labels)
    heads = " ".join(t.replace("\n", " ") for t in (x.get_text() for x in ax.get_xticklabels()))
    assert "UNTOC" in heads and "untoc" not in heads


def test_timeline_draws_every_dated_instrument(graph: tuple[Layout, ox.Store]) -> None:
    """Every instrument with an adoption or opening date is a row; the CoE conventions that
    record only their opening for signature are drawn at that date, labelled so."""
    layout, store = graph
    dated = {
        q.subject.value
        for prop in ("adoptionDate", "openedForSignatureDate")
        for q in store.quads_for_pattern(
            None, ox.NamedNode(f"https://w3id.org/lexgraph/ontology#{prop}"), None
        )
    }
    found = timeline(store=store, layout=layout)
    assert {r.iri for r in found.rows} >= dated
    opened = [e for e in found.events if e.kind == "opened for signature"]
    assert ID + "instrument/coe-extradition-ets24" in {e.row for e in opened}
    assert len(opened) >= 8  # the CoE conventions and, since, regional ones


def test_network_cap_keeps_the_articles_that_provide_modalities(
    graph: tuple[Layout, ox.Store],
) -> None:
    """UNCAC capped at 40 nodes keeps arts 44 and 46 (extradition, MLA), saying what it left out."""
    from lexgraph.render.figures.network import cap

    _, store = graph
    whole = select(store, instrument="uncac")
    sub, note = cap(store, whole, 40)
    kept = {n.iri.rsplit("/", 1)[-1] for n in sub.nodes if n.kind == "provision"}
    assert {"44", "46"} <= kept and len(sub.nodes) == 40
    assert note.startswith(f"40 of {len(whole.nodes)} nodes are drawn; left out: ")
    assert f"--max-nodes {len(whole.nodes)}" in note
    assert cap(store, whole, len(whole.nodes)) == (whole, "")


def test_world_map_colours_each_state_by_its_standing(
    graph: tuple[Layout, ox.Store], tmp_path: Path
) -> None:
    """The UNTOC map draws the shipped country shapes, a state bound by UNTOC in the bound
    colour, a legend with counts and the citation, as text, without any network."""
    pytest.importorskip("pygal_maps_world", reason="pip install 'lexgraph[maps]'")
    import xml.etree.ElementTree as ET

    from lexgraph.render.figures import STATUS_COLOURS
    from lexgraph.render.figures.worldmap import map_svg
    from lexgraph.views.worldmap import world_standing

    layout, store = graph
    world = world_standing("untoc", store=store, layout=layout)
    svg = map_svg(world)
    root = ET.fromstring(svg.encode())
    groups = {g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g")}
    assert world.status["FR"] == "bound"
    assert groups["FR"].get("fill") == STATUS_COLOURS["bound"]
    assert len([g for g in groups if g and len(g) == 2]) > 150
    assert (
        f"bound ({world.counts()['bound']})" in svg and "not that the state is not a party" in svg
    )
    assert caption_line(layout, store) in svg.replace("\n", " ") or "lexgraph" in svg


def test_map_command_writes_svg_and_refuses_other_formats(
    built: tuple[Layout, BuildResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``lexgraph figure map --instrument untoc -o map.svg`` writes the map; .png is refused."""
    pytest.importorskip("pygal_maps_world", reason="pip install 'lexgraph[maps]'")
    layout, _ = built
    monkeypatch.setenv("LEXGRAPH_ROOT", str(layout.root))
    out = tmp_path / "map.svg"
    result = CliRunner().invoke(main, ["figure", "map", "--instrument", "untoc", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "bound" in result.output and out.read_text().startswith("<?xml")
    result = CliRunner().invoke(
        main, ["figure", "map", "--instrument", "untoc", "-o", str(tmp_path / "m.png")]
    )
    assert result.exit_code == 2 and "a map is written as .svg" in result.output


def test_network_figures_name_nodes_by_short_name(graph: tuple[Layout, ox.Store]) -> None:
    """A network figure's nodes are labelled with short names (UNTOC), never keys or cut titles."""
    from lexgraph.render.figures.network import named

    _, store = graph
    sub = named(store, select(store, crime="trafficking-in-persons"))
    fig = network_figure(sub, caption="c")
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "node-label"]
    assert "Trafficking in Persons\nProtocol" in texts
    assert not any(t.startswith("untoc") or "…" in t for t in texts)
