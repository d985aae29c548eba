"""Command line: ``python -m datasaveslives {ingest,build} ...``.

Errors that come from inputs or parameters print one clear line and exit
with status 2; they never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from datasaveslives import __version__, paths
from datasaveslives.ingest import IngestError, ingest
from datasaveslives.params import Params, ParamsError
from datasaveslives.readers.csv_export import MappingError, load_mapping
from datasaveslives.window import Window, WindowError

EXIT_USAGE = 2


def _ingest(args: argparse.Namespace) -> int:
    window = Window.from_strings(args.start, args.end, args.tz)
    mapping = load_mapping(args.csv_mapping) if args.csv_mapping else None
    report = ingest(
        args.inputs,
        args.out,
        hashtag=args.hashtag,
        window=window,
        csv_mapping=mapping,
        progress=sys.stderr.isatty(),
    )
    print(
        f"read {report.read}: kept {report.kept}, filtered {report.filtered}, "
        f"duplicates {report.duplicates}, quarantined {report.quarantined}"
    )
    for reason, n in report.filtered_reasons.items():
        print(f"  filtered    {n:>8}  {reason}")
    for reason, n in report.quarantined_reasons.items():
        print(f"  quarantined {n:>8}  {reason}")
    if report.quarantined:
        print(f"quarantined records are listed in {args.out}/quarantine.jsonl")
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    return 0


def _build(args: argparse.Namespace) -> int:
    from datasaveslives import pipeline  # heavy imports only when building

    params = Params.load(
        args.params,
        data=args.data,
        hashtag=args.hashtag,
        start=args.start,
        end=args.end,
        supporters=args.supporters,
    )
    try:
        pipeline.build(params, run=args.run, jobs=args.jobs, strict=not args.no_strict)
    except pipeline.BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m datasaveslives",
        description="Re-run the #datasaveslives study from raw posts.",
    )
    p.add_argument("--version", action="version", version=__version__)
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser(
        "ingest",
        help="raw archives -> canonical tables and an ingestion report",
        description="Read Twitter v1.1, GNIP Activity Streams, v2 (twarc2) or mapped CSV "
        "files (plain or .gz; folders are searched) and write posts.parquet, users.parquet, "
        "retweet_edges.parquet and ingest_report.json to --out.",
    )
    ing.add_argument("inputs", nargs="+", help="files or folders to read")
    ing.add_argument("--out", required=True, help="folder for the tables and report")
    ing.add_argument("--hashtag", help="keep posts whose body has this hashtag (default: all)")
    ing.add_argument("--start", help="first day kept, YYYY-MM-DD (inclusive)")
    ing.add_argument("--end", help="last day kept, YYYY-MM-DD (inclusive)")
    ing.add_argument("--tz", default="UTC", help="time zone of the window dates (default UTC)")
    ing.add_argument("--csv-mapping", help="column mapping file for CSV input")
    ing.add_argument("--json", action="store_true", help="also print the full report as JSON")
    ing.set_defaults(func=_ingest)

    bld = sub.add_parser(
        "build",
        help="ingest, run the section notebooks and build the book",
        description="Build the book from params.yml; options override single parameters.",
    )
    bld.add_argument("--params", default=str(paths.PARAMS), help="parameters file")
    bld.add_argument("--data", nargs="+", help="files or folders to analyse")
    bld.add_argument("--hashtag", help="hashtag that selects posts")
    bld.add_argument("--start", help="first day of the window, YYYY-MM-DD")
    bld.add_argument("--end", help="last day of the window, YYYY-MM-DD")
    bld.add_argument("--supporters", help="file listing the official supporter accounts")
    bld.add_argument("--run", default="default", help="name of the run folder under _build/runs")
    bld.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    bld.add_argument(
        "--no-strict", action="store_true", help="do not treat Sphinx warnings as errors"
    )
    bld.set_defaults(func=_build)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (IngestError, ParamsError, MappingError, WindowError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
