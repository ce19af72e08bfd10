"""How often the finder must answer `unknown`: the share of candidate instruments whose verdict is
`unknown` over a fixed list of realistic questions dated 2026 (issue 13).

Each question is a pair of states (every UN region is represented, as requesting and as
requested state), a crime type and a modality, asked on a date of 2026. The benchmark runs
:func:`lexgraph.find_basis` on the built store of the tree it is run from (``lexgraph build``
first) and reports, per question and in all, how many candidate instruments there were and
how many came out `unknown`.

    PYTHONPATH=src .venv/bin/python bench/bench_unknown.py [--store build/store] [--json FILE]

The store is opened read-only; the process caps its own address space (``--max-memory-mb``)
since the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from host import machine  # noqa: E402

#: (requesting, requested, crime type, modality, date): pairs of states from every region.
QUESTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    ("DEU", "BRA", "money-laundering", "mutual-legal-assistance", "2026-06-01"),
    ("FRA", "NGA", "trafficking-in-persons", "extradition", "2026-06-01"),
    ("JPN", "USA", "corruption", "mutual-legal-assistance", "2026-06-01"),
    ("ITA", "CHE", "cybercrime", "expedited-data-preservation", "2026-06-01"),
    ("AUT", "NLD", "illegal-access", "mutual-legal-assistance", "2026-06-01"),
    ("BEL", "MAR", "drug-trafficking", "extradition", "2026-06-01"),
    ("KEN", "ZAF", "firearms-trafficking", "mutual-legal-assistance", "2026-06-01"),
    ("IND", "ARE", "financing-of-terrorism", "extradition", "2026-06-01"),
    ("AUS", "IDN", "smuggling-of-migrants", "law-enforcement-cooperation", "2026-06-01"),
    ("MEX", "COL", "drug-trafficking", "mutual-legal-assistance", "2026-06-01"),
    ("ARG", "ESP", "bribery-of-foreign-public-officials", "extradition", "2026-06-01"),
    ("CAN", "GBR", "child-sexual-abuse-material", "mutual-legal-assistance", "2026-06-01"),
    ("POL", "UKR", "trafficking-in-persons", "joint-investigations", "2026-06-01"),
    ("TUR", "GRC", "smuggling-of-migrants", "extradition", "2026-06-01"),
    ("EGY", "SAU", "terrorist-bombing", "extradition", "2026-06-01"),
    ("CHN", "RUS", "corruption", "asset-recovery", "2026-06-01"),
    ("PHL", "KOR", "computer-related-fraud", "mutual-legal-assistance", "2026-06-01"),
    ("GHA", "SEN", "money-laundering", "confiscation-cooperation", "2026-06-01"),
    ("PER", "CHL", "organized-crime", "mutual-legal-assistance", "2026-06-01"),
    ("NZL", "FJI", "drug-trafficking", "transfer-of-sentenced-persons", "2026-06-01"),
    ("SWE", "NOR", "cybercrime", "24-7-network", "2026-06-01"),
    ("PRT", "AGO", "wildlife-crime", "mutual-legal-assistance", "2026-06-01"),
    ("PAK", "AFG", "hostage-taking", "extradition", "2026-06-01"),
    ("JAM", "TTO", "firearms-trafficking", "extradition", "2026-06-01"),
)


def _git(root: Path) -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def run(store_path: Path) -> dict[str, object]:
    """Answer every question and count the verdicts of the candidates."""
    from lexgraph import find_basis
    from lexgraph.store.query import open_store

    store = open_store(store_path)
    rows = []
    total: Counter[str] = Counter()
    started = time.perf_counter()
    for requesting, requested, crime, modality, on in QUESTIONS:
        answer = find_basis(requesting, requested, crime, modality, on, store=store)
        verdicts = Counter(c.verdict for c in answer.candidates)
        total.update(verdicts)
        rows.append(
            {
                "question": f"{requesting}->{requested} {crime} {modality} {on}",
                "candidates": sum(verdicts.values()),
                "unknown": verdicts.get("unknown", 0),
                "verdicts": dict(sorted(verdicts.items())),
            }
        )
    candidates = sum(total.values())
    return {
        "questions": len(QUESTIONS),
        "candidates": candidates,
        "unknown": total.get("unknown", 0),
        "share_unknown": round(total.get("unknown", 0) / candidates, 4) if candidates else None,
        "verdicts": dict(sorted(total.items())),
        "seconds": round(time.perf_counter() - started, 2),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=Path("build/store"))
    parser.add_argument("--json", type=Path, help="write the full result here")
    parser.add_argument("--max-memory-mb", type=int, default=3072)
    args = parser.parse_args()
    cap = args.max_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    result = run(args.store)
    result["machine"] = machine()
    result["git"] = _git(args.store.resolve().parent)
    for row in result["rows"]:  # type: ignore[attr-defined]
        print(f"{row['unknown']:3d}/{row['candidates']:3d} unknown  {row['question']}")
    print(
        f"in all: {result['unknown']} of {result['candidates']} candidates unknown "
        f"({result['share_unknown']:.1%}) over {result['questions']} questions, "
        f"{result['seconds']} s"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
