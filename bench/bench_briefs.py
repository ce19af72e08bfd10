"""Print every brief to PDF in headless Chromium and count its pages (issue 14: one A4 page).

For every crime type of the built graph (``build/store``), the brief without a region and with
each region given by ``--region`` (Europe and Africa by default; ``--all-regions`` for every
M49 region with states), in each language of ``--lang``: the HTML brief is written, loaded from
``file://`` with every network request refused, printed with its own page size, and its pages
counted. Also the time to make and render a brief, and to print it.

    .venv/bin/python bench/bench_briefs.py                   # results: bench/.work/briefs/
    .venv/bin/python bench/bench_briefs.py --lang en fr --region m49-150 m49-002 m49-142

Exits 1 if any brief prints on more or fewer than one page, and names it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from host import machine

from lexgraph.core.paths import Layout
from lexgraph.core.terms import Lex
from lexgraph.render.brief import make_brief, render_brief_html
from lexgraph.store.walk import instances

BENCH = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
LOCAL = ("file:", "data:", "about:", "blob:")


def pages(pdf: bytes) -> int:
    """The number of pages of a PDF that Chromium wrote."""
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", nargs="+", default=["en"])
    parser.add_argument("--region", nargs="*", default=["m49-150", "m49-002"])
    parser.add_argument("--all-regions", action="store_true")
    parser.add_argument("--crime", nargs="*", help="Only these crime types (keys).")
    parser.add_argument("--work", type=Path, default=BENCH / ".work" / "briefs")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    layout = Layout.default()
    store = ox.Store()
    store.bulk_extend(ox.Store.read_only(str(layout.store)).quads_for_pattern(None, None, None))
    crimes = sorted(n.value.rsplit("/", 1)[-1] for n in instances(store, Lex.CrimeType))
    crimes = [c for c in crimes if not args.crime or c in args.crime]
    regions: list[str | None] = [None, *args.region]
    if args.all_regions:
        regions = [None, *sorted(n.value.rsplit("/", 1)[-1] for n in instances(store, Lex.Region))]
    args.work.mkdir(parents=True, exist_ok=True)
    made, printed, wrong, counted = [], [], [], 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        context.route(
            "**/*", lambda r: r.continue_() if r.request.url.startswith(LOCAL) else r.abort()
        )
        page = context.new_page()
        for lang in args.lang:
            for region in regions:
                for crime in crimes:
                    start = time.perf_counter()
                    html = render_brief_html(
                        make_brief(crime, region, lang=lang, store=store, layout=layout)
                    )
                    made.append(time.perf_counter() - start)
                    path = args.work / f"{crime}-{region or 'world'}-{lang}.html"
                    path.write_text(html, encoding="utf-8")
                    start = time.perf_counter()
                    page.goto(path.resolve().as_uri())
                    n = pages(page.pdf(prefer_css_page_size=True, print_background=True))
                    printed.append(time.perf_counter() - start)
                    counted += 1
                    if n != 1:
                        wrong.append(f"{crime} {region or '-'} {lang}: {n} pages")
        browser.close()
    lines = [
        f"briefs printed: {counted} ({len(crimes)} crime types x regions {regions} x {args.lang})",
        f"on one A4 page: {counted - len(wrong)}; not: {len(wrong)}",
        *wrong,
        f"make + render: median {statistics.median(made):.2f} s, worst {max(made):.2f} s",
        f"print to PDF: median {statistics.median(printed):.2f} s, worst {max(printed):.2f} s",
        f"machine: {machine()}",
    ]
    (args.work / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
