"""The world map of participation in an instrument: each state coloured by its standing.

The country shapes are those that the PyPI package ``pygal_maps_world`` ships
(``worldmap.svg``, one group of paths per ISO 3166-1 alpha-2 code, lower case), read from the
installed package: nothing is downloaded when a map is drawn. Install it with
``pip install 'lexgraph[maps]'``. Only the shapes are used, not pygal.

The map is written as SVG by hand, so that its title, legend and caption are real text, and
every state carries a ``<title>`` with its name and standing (a tooltip in a browser). States
too small for the map's shapes are named in the caption with their standing.
"""

from __future__ import annotations

import functools
import importlib.resources
import textwrap
import xml.etree.ElementTree as ET

from lexgraph.core.errors import InputError
from lexgraph.core.escape import html as _x
from lexgraph.render.figures.matrix import STATUS_COLOURS
from lexgraph.views.worldmap import WorldStanding

_SVG = "{http://www.w3.org/2000/svg}"
#: The colour of a shape that is no state of the graph (a territory the shapes draw apart).
NO_STATE = "#ffffff"
#: The order of the legend, from what binds to what is not known.
LEGEND = ("bound", "consented", "signed", "not a party", "denounced", "unknown")
_TEXT = {
    "bound": "bound",
    "consented": "consented, not yet in force for it",
    "signed": "signed only",
    "not a party": "not a party (depositary or official record)",
    "denounced": "denounced",
    "unknown": "unknown: no record decides",
}
WIDTH = 1000.0


@functools.cache
def shapes() -> tuple[tuple[float, float], dict[str, tuple[str, ...]]]:
    """The map's size and each country's paths, by upper-case alpha-2 code."""
    try:
        source = importlib.resources.files("pygal_maps_world").joinpath("worldmap.svg")
        text = source.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise InputError(
            "a world map needs the country shapes of pygal_maps_world: pip install 'lexgraph[maps]'"
        ) from exc
    root = ET.fromstring(text)
    _, _, width, height = (float(v) for v in root.attrib["viewBox"].split())
    found: dict[str, tuple[str, ...]] = {}
    for group in root.iter(f"{_SVG}g"):
        classes = group.attrib.get("class", "").split()
        if "country" in classes:
            paths = tuple(p.attrib["d"] for p in group.iter(f"{_SVG}path") if "d" in p.attrib)
            found[classes[0].upper()] = paths
    return (width, height), found


def map_svg(world: WorldStanding) -> str:
    """The map as a standalone SVG document: title, countries, legend with counts, caption."""
    (map_w, map_h), countries = shapes()
    scale = WIDTH / map_w
    top = 44.0
    body_h = map_h * scale
    counts = world.counts()
    legend = [s for s in LEGEND if counts.get(s)]
    off_map = sorted((world.names[c], world.status[c]) for c in world.status if c not in countries)
    notes = []
    if off_map:
        listed = "; ".join(f"{n} ({s})" for n, s in off_map)
        notes.append(f"Too small for the map's shapes, {len(off_map)} states: {listed}.")
    notes.append(
        "'Unknown' means that no record decides it, not that the state is not a party; white"
        " shapes are territories that are no state in the graph."
    )
    notes.append(
        "Country shapes: the world map of the Python package pygal_maps_world. " + world.caption
    )
    lines = [line for note in notes for line in textwrap.wrap(note, 150)]
    legend_y = top + body_h + 22
    height = legend_y + 24 + 15 * len(lines) + 8
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH:.0f}"'
        f' height="{height:.0f}" viewBox="0 0 {WIDTH:.0f} {height:.0f}"'
        ' font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{_x(world.title)}</title>",
        f'<rect width="{WIDTH:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="10" y="28" font-size="18" font-weight="bold">{_x(world.title)}</text>',
        f'<g id="countries" transform="translate(0 {top:.0f}) scale({scale:.6f})"'
        ' stroke="#777777" stroke-width="0.6">',
    ]
    for code, paths in sorted(countries.items()):
        status = world.status.get(code)
        fill = STATUS_COLOURS.get(status, NO_STATE) if status else NO_STATE
        name = world.names.get(code)
        tip = f"{name}: {status}" if name and status else "no state in the graph"
        out.append(f'<g id="{_x(code)}" fill="{fill}"><title>{_x(tip)}</title>')
        out += [f'<path d="{_x(d)}"/>' for d in paths]
        out.append("</g>")
    out.append("</g>")
    x = 10.0
    for status in legend:
        label = f"{_TEXT[status]} ({counts[status]})"
        out.append(
            f'<rect x="{x:.0f}" y="{legend_y - 11:.0f}" width="14" height="14"'
            f' fill="{STATUS_COLOURS[status]}" stroke="#777777" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{x + 19:.0f}" y="{legend_y:.0f}" font-size="12">{_x(label)}</text>')
        x += 19 + 6.8 * len(label) + 16
    y = legend_y + 24
    for line in lines:
        out.append(f'<text x="10" y="{y:.0f}" font-size="11" fill="#333333">{_x(line)}</text>')
        y += 15
    out.append("</svg>")
    return "\n".join(out) + "\n"
