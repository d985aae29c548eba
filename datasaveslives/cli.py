"""Command line: ``python -m datasaveslives COMMAND ...`` (``--help`` on each).

- ``collect``: a new window of posts from Bluesky or Mastodon, saved as returned;
- ``ingest``: raw archives to canonical tables and an accounting report;
- ``init``: a parameters file for a new study, written from what an archive holds;
- ``synth``: (re)generate the synthetic corpus (``--scale``, ``--platform``, ``--search``);
- ``calibrate``: the synthetic corpus against every published figure;
- ``build``: ingest, execute the chapters and build the book (HTML, ``--pdf``);
- ``merge``: archives ingested in parts merged out of core;
- ``leakscan``: a built book checked for anyone it must not show;
- ``dehydrate``: the analysed posts as ids, with the parameters to rerun.

Errors that come from inputs or parameters print one clear line and exit
with status 2; they never show a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from datasaveslives import __version__
from datasaveslives.collect.archive import CollectError
from datasaveslives.core import paths
from datasaveslives.core.params import Params, ParamsError
from datasaveslives.core.window import Window, WindowError
from datasaveslives.ingest.ingestion import IngestError, ingest_into
from datasaveslives.ingest.readers.csv_export import MappingError, load_mapping

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C


def _ingest(args: argparse.Namespace) -> int:
    window = Window.from_strings(args.start, args.end, args.tz)
    mapping = load_mapping(args.csv_mapping) if args.csv_mapping else None
    report = ingest_into(
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
    for name, n in report.emptied_fields.items():
        print(f"  emptied     {n:>8}  profile field {name} held a bad value (post kept)")
    if report.quarantined:
        print(f"quarantined records are listed in {args.out}/quarantine.jsonl")
    if args.json:
        print(json.dumps(report.to_dict(), indent=2))
    return 0


def _synth(args: argparse.Namespace) -> int:
    from datasaveslives.synth import build, search

    if args.search:
        first, count = args.search
        for seed in range(first, first + count):
            fig = search.network_figures(seed)
            mark = "PASS" if search.passes(fig) else "    "
            print(
                f"{mark} seed {seed}: {fig['edges']} edges, {fig['communities']} communities, "
                f"modularity {fig['modularity']:.3f}, path {fig['average_path_length']:.2f}, "
                f"diameter {fig['diameter']}, largest {fig['sizes'][:5]}, "
                f"Table 3 leaders {'yes' if fig['leaders_ok'] else 'no'}, "
                f"links {'yes' if fig['links_ok'] else 'no'}",
                flush=True,
            )
        return 0
    seed = build.DEFAULT_SEED if args.seed is None else args.seed
    if args.platform == "bluesky":
        from datasaveslives.synth import bluesky

        out = Path(args.out)
        if out.resolve() == paths.SYNTHETIC.resolve():
            print(
                "error: the Bluesky records are derived from the shipped corpus: write them "
                "elsewhere, e.g. --out _build/bluesky",
                file=sys.stderr,
            )
            return EXIT_USAGE
        if args.seed is not None or args.scale > 1:
            print("error: --platform bluesky converts the shipped corpus (no --seed or --scale)",
                  file=sys.stderr)  # fmt: skip
            return EXIT_USAGE
        meta = bluesky.write(out)
        print(
            f"wrote the synthetic corpus as Bluesky records to {out}/{bluesky.RECORDS_FILE}; "
            f"build a book on them with: python -m datasaveslives build --params "
            f"{out}/{bluesky.PARAMS_FILE}"
        )
        for name, digest in meta["files"].items():
            print(f"  {digest}  {name}")
        return 0
    if args.scale > 1:
        if Path(args.out).resolve() == paths.SYNTHETIC.resolve():
            print(
                "error: a scaled corpus is for benchmarks: write it elsewhere, e.g. "
                "--out _build/scale100",
                file=sys.stderr,
            )
            return EXIT_USAGE
        meta = build.write_scaled(Path(args.out), seed, args.scale, jobs=args.jobs)
        print(
            f"wrote {meta['posts']:,} posts in {args.scale} files (seed {seed}) to "
            f"{args.out}/{build.RECORDS_DIR}/ (analyse that folder), annotations beside it"
        )
        return 0
    corpus = build.generate(seed)
    files = build.write(corpus, Path(args.out))
    print(f"wrote {corpus.meta['records']} records (seed {seed}) to {args.out}")
    for name, digest in files.items():
        print(f"  {digest}  {name}")
    return 0


def _calibrate(args: argparse.Namespace) -> int:
    from datasaveslives.synth import calibration

    table = calibration.check(Path(args.corpus), seed=args.seed)
    calibration.print_table(table)
    return 0 if calibration.calibrated(table)["ok"].all() else 1


def _run_options(sub: argparse.ArgumentParser) -> None:
    """The options that select a run's data and window (build, dehydrate)."""
    sub.add_argument("--params", default=str(paths.PARAMS), help="parameters file")
    sub.add_argument("--data", nargs="+", help="files or folders to analyse")
    sub.add_argument("--label", help="how the book names the data (with --data)")
    tag = sub.add_mutually_exclusive_group()
    tag.add_argument("--hashtag", help="hashtag that selects posts")
    tag.add_argument(
        "--no-hashtag", action="store_true", help="keep every post (no hashtag filter)"
    )
    sub.add_argument("--start", help="first day of the window, YYYY-MM-DD")
    sub.add_argument("--end", help="last day of the window, YYYY-MM-DD")
    sub.add_argument("--tz", help="time zone of the window's days and the weeks (e.g. UTC)")
    sub.add_argument(
        "--study",
        help="study file (data/studies/*.yml) or 'none' for a neutral book; with --data "
        "the default is none",
    )
    sub.add_argument("--supporters", help="file listing the official supporter accounts, or 'none'")


def _params(args: argparse.Namespace) -> Params:
    """The parameters file with the run options of :func:`_run_options` applied."""
    return Params.load(
        args.params,
        data=args.data,
        data_label=args.label,
        hashtag="" if args.no_hashtag else args.hashtag,
        start=args.start,
        end=args.end,
        timezone=args.tz,
        study=args.study,
        supporters=args.supporters,
    )


def _build(args: argparse.Namespace) -> int:
    from datasaveslives.report import pipeline

    params = _params(args)
    try:
        pipeline.build(
            params,
            run=args.run,
            workdir=Path(args.out) if args.out else None,
            jobs=args.jobs,
            strict=not args.no_strict,
            pdf=args.pdf,
            cache=not args.no_cache,
            scheduler=args.scheduler,
        )
    except pipeline.BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


def _leakscan(args: argparse.Namespace) -> int:
    from datasaveslives.core import publication
    from datasaveslives.privacy import leakscan
    from datasaveslives.report import pipeline

    workdir = Path(args.out) if args.out else None
    run = pipeline.run_layout(args.run, workdir).root
    html = Path(args.html) if args.html else pipeline.html_folder(args.run, workdir)
    for needed in (run / "provenance.json", html):
        if not needed.exists():
            print(f"error: {needed} does not exist: build the book first", file=sys.stderr)
            return EXIT_USAGE
    pdf = html.parent / pipeline.PDF_FILE
    try:
        leaks = leakscan.scan_run(run, html, pdf if pdf.is_file() else None)
    except publication.PublicationError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    scanned = f"{paths.rel(html)}" + (f" and {paths.rel(pdf)}" if pdf.is_file() else "")
    if not leaks:
        print(f"no leak found in {scanned}")
        return 0
    for leak in leaks[:50]:
        print(leak)
    more = " (first 50 shown)" if len(leaks) > 50 else ""
    print(f"{len(leaks)} leak(s) found in {scanned}{more}", file=sys.stderr)
    return 1


def _dehydrate(args: argparse.Namespace) -> int:
    from datasaveslives.ingest import parallel
    from datasaveslives.privacy import dehydrate

    params = _params(args)
    params.validate()
    tables = paths.run_dir("dehydrate") / "tables"
    parallel.cached_ingest(params, tables, paths.CACHE / "ingest")
    summary = dehydrate.export(
        params, tables, Path(args.out), Path(args.paper_ids) if args.paper_ids else None
    )
    print(f"wrote the ids of {summary['posts']:,} posts, the parameters and a README to {args.out}")
    return 0


def _merge(args: argparse.Namespace) -> int:
    from datasaveslives.ingest import partitioned

    for part in args.parts:
        if not (Path(part) / "ingest_report.json").is_file():
            print(
                f"error: {part} is not an ingested folder (no ingest_report.json)", file=sys.stderr
            )
            return EXIT_USAGE
    report = partitioned.merge(args.parts, args.out, memory_limit=args.memory)
    print(
        f"merged {len(args.parts)} parts: read {report['read']}, kept {report['kept']}, "
        f"filtered {report['filtered']}, duplicates {report['duplicates']} "
        f"({report['duplicates_across_parts']} across parts), quarantined {report['quarantined']}"
    )
    return 0


def _init(args: argparse.Namespace) -> int:
    from datasaveslives import scaffold

    out = Path(args.out)
    if out.exists() and not args.force:
        print(f"error: {out} exists (use --force to overwrite it)", file=sys.stderr)
        return EXIT_USAGE
    found = scaffold.survey([Path(i) for i in args.inputs], timezone=args.tz)
    data = [paths.rel(Path(i).resolve()) for i in args.inputs]  # as params.yml reads paths
    out.write_text(scaffold.params_text(found, data, args.tz), encoding="utf-8")
    commonest = found.hashtags[0][0] if found.hashtags else "none"
    print(
        f"{found.posts:,} posts from {found.platform}, {found.first_day or '-'} to "
        f"{found.last_day or '-'}; commonest hashtag {commonest}"
    )
    if found.collected:
        since, until, tag = found.collected
        taken = f"window {since} to {until}" + (f" and hashtag {tag}" if tag else "")
        print(f"the parameters take the {taken} from the collection's manifest.yml")
    print(f"wrote {out}: build with  python -m datasaveslives build --params {out} --run NAME")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from datetime import date

    from datasaveslives.collect import archive, bluesky, mastodon

    try:
        since, until = date.fromisoformat(args.since), date.fromisoformat(args.until)
    except ValueError as err:
        raise archive.CollectError(f"--since and --until are days, YYYY-MM-DD ({err})") from None
    out = Path(args.out)
    progress = sys.stderr.isatty()
    try:
        if args.service == "bluesky":
            found = bluesky.collect(
                bluesky.Options(
                    query=args.query,
                    since=since,
                    until=until,
                    out=out,
                    service=args.endpoint,
                    top_reposted=args.top_reposted,
                    feed_pages=args.feed_pages,
                    progress=progress,
                )
            )
        else:
            found = mastodon.collect(
                mastodon.Options(tuple(args.instance), args.tag, since, until, out, progress)
            )
    except RuntimeError as err:  # a call that kept failing: the collection resumes
        raise archive.CollectError(f"{err}; run the same command again to resume") from None
    except KeyboardInterrupt:
        print(
            f"interrupted: the collection in {out} resumes when the same command is run again",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    for stage, state in found.manifest["stages"].items():
        print(f"  {stage:<28} {state['pages']:>6} pages {state['records']:>9} records")
    print(
        f"collected into {out} ({archive.MANIFEST} lists every file and its checksum); "
        f"next: python -m datasaveslives init {out} --out params-new.yml"
    )
    return 0


def _add_collect(sub: Any) -> None:
    """The `collect` subcommand (bluesky, mastodon)."""
    col = sub.add_parser(
        "collect",
        help="collect a new window of posts from Bluesky or Mastodon (raw, resumable)",
        description="Save a window's posts as the service returns them (gzipped JSON "
        "lines, one response a file) with a manifest (query, window, service, versions, "
        "times, counts, checksums). Run the same command again to resume an interrupted "
        "collection. Credentials come from the environment and are never written.",
    )
    services = col.add_subparsers(dest="service", required=True)
    sky = services.add_parser(
        "bluesky",
        help="searchPosts over the window, reposts of the most reposted, profiles",
        description="Bluesky, with the AT Protocol SDK: searchPosts (paged by cursor), the "
        "reposts of the most reposted posts (from their reposters' feeds) and the profiles "
        "of every account seen. Log in with BLUESKY_HANDLE and BLUESKY_APP_PASSWORD (an "
        "app password); without them the public AppView is asked, which may refuse search.",
    )
    sky.add_argument("--query", required=True, help="what to search for, e.g. '#datasaveslives'")
    masto = services.add_parser(
        "mastodon",
        help="a hashtag's timeline on one or more instances",
        description="Mastodon, with Mastodon.py: the tag's timeline on each instance, paged "
        "by id back to the window's first day. A token, where an instance wants one: "
        "MASTODON_ACCESS_TOKEN_<HOST> or MASTODON_ACCESS_TOKEN.",
    )
    masto.add_argument("--instance", action="append", required=True,
                       help="an instance's address (repeat for several)")  # fmt: skip
    masto.add_argument("--tag", required=True, help="the hashtag, with or without '#'")
    for each in (sky, masto):
        each.add_argument("--since", required=True, help="first day, YYYY-MM-DD (UTC)")
        each.add_argument("--until", required=True, help="last day, YYYY-MM-DD (UTC, inclusive)")
        each.add_argument("--out", required=True, help="the collection's folder")
        each.set_defaults(func=_collect)
    sky.add_argument("--endpoint", help="the service's address (default: the public AppView, "
                     "or bsky.social with a login)")  # fmt: skip
    sky.add_argument(
        "--top-reposted",
        type=int,
        default=20,
        help="how many of the most reposted posts to fetch reposts of (default 20)",
    )
    sky.add_argument(
        "--feed-pages",
        type=int,
        default=3,
        help="pages of each reposter's feed to read at most (default 3)",
    )


def _add_ingest(sub: Any) -> None:
    """The `ingest` subcommand."""
    ing = sub.add_parser(
        "ingest",
        help="raw archives -> canonical tables and an ingestion report",
        description="Read Twitter v1.1, GNIP Activity Streams, v2 (twarc2), Bluesky (AT "
        "Protocol), Mastodon or mapped CSV files (plain or .gz; JSON lines, or saved API "
        "responses whole, in any layout; folders are searched) and write posts.parquet, "
        "users.parquet, retweet_edges.parquet and ingest_report.json to --out.",
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


def _add_init(sub: Any) -> None:
    """The `init` subcommand."""
    ini = sub.add_parser(
        "init",
        help="write a parameters file for a new study from what an archive holds",
        description="Read the archive once (no filter) and write a params file with its "
        "files, platform, the days its posts span and its commonest hashtag filled in, every "
        "other choice commented, and no study declared (a neutral book).",
    )
    ini.add_argument("inputs", nargs="+", help="files or folders of the archive")
    ini.add_argument("--out", default="params-new.yml", help="parameters file to write")
    ini.add_argument("--tz", default="UTC", help="time zone of the window's days (default UTC)")
    ini.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    ini.set_defaults(func=_init)


def _add_synth(sub: Any) -> None:
    """The `synth` subcommand."""
    syn = sub.add_parser(
        "synth",
        help="write the synthetic #datasaveslives corpus",
        description="Generate the synthetic corpus (Twitter v1.1 JSON lines, gzipped) with its "
        "annotations and metadata; the same seed gives byte-identical files.",
    )
    syn.add_argument("--seed", type=int, default=None, help="seed (default: the shipped corpus's)")
    syn.add_argument("--out", default=str(paths.SYNTHETIC), help="output folder")
    syn.add_argument("--scale", type=int, default=1, help="replicas of the campaign (default 1)")
    syn.add_argument("--jobs", type=int, default=2, help="replicas generated at once (scale > 1)")
    syn.add_argument(
        "--platform",
        choices=("twitter", "bluesky"),
        default="twitter",
        help="record format: Twitter v1.1 (the corpus) or Bluesky records converted from it "
        "(with annotations, deletions and a params.yml for a run on them)",
    )
    syn.add_argument(
        "--search",
        type=int,
        nargs=2,
        metavar=("FIRST", "COUNT"),
        help="instead, report the network figures of seeds FIRST..FIRST+COUNT-1",
    )
    syn.set_defaults(func=_synth)


def _add_calibrate(sub: Any) -> None:
    """The `calibrate` subcommand."""
    cal = sub.add_parser(
        "calibrate",
        help="check the synthetic corpus against every published figure",
        description="Ingest the corpus over the paper's window with the normal pipeline and "
        "print target, achieved and tolerance for every published figure; exit 1 if any fails.",
    )
    cal.add_argument("--corpus", default=str(paths.SYNTHETIC), help="corpus folder")
    cal.add_argument(
        "--seed", type=int, default=None, help="Louvain seed (default: the analysis's default seed)"
    )
    cal.set_defaults(func=_calibrate)


def _add_build(sub: Any) -> None:
    """The `build` subcommand."""
    bld = sub.add_parser(
        "build",
        help="ingest, run the section notebooks and build the book",
        description="Build the book from params.yml; options override single parameters.",
    )
    _run_options(bld)
    bld.add_argument("--run", default="default", help="name of the run folder under _build/runs")
    bld.add_argument(
        "--out", help="folder for this run's products instead of _build/runs/<run> (HTML in html/)"
    )
    bld.add_argument("--jobs", type=int, default=2, help="notebooks executed at once")
    bld.add_argument(
        "--no-strict", action="store_true", help="do not treat Sphinx warnings as errors"
    )
    bld.add_argument("--pdf", action="store_true", help="also typeset the book as a PDF")
    bld.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything again: re-ingest even if the same inputs and parameters "
        "were ingested before, and rebuild even if nothing changed since the last build",
    )
    bld.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="ingest a large archive on the Dask cluster whose scheduler is at ADDRESS "
        "(e.g. tcp://10.0.0.1:8786; default: DASK_SCHEDULER_ADDRESS, else --jobs "
        "processes of this machine); its workers must see the data and the run's folder",
    )
    bld.set_defaults(func=_build)


def _add_merge(sub: Any) -> None:
    """The `merge` subcommand."""
    mrg = sub.add_parser(
        "merge",
        help="merge folders ingested in parts into one set of canonical tables (DuckDB)",
        description="Combine the tables of archives ingested part by part (e.g. on several "
        "machines) out of core: first copy of each post kept, latest profile of each user, "
        "reports summed with copies across parts counted as duplicates.",
    )
    mrg.add_argument("parts", nargs="+", help="ingested folders, in order")
    mrg.add_argument("--out", required=True, help="folder for the merged tables")
    mrg.add_argument("--memory", default="2GB", help="DuckDB memory limit (default 2GB)")
    mrg.set_defaults(func=_merge)


def _add_leakscan(sub: Any) -> None:
    """The `leakscan` subcommand."""
    leak = sub.add_parser(
        "leakscan",
        help="check a built book for names and deleted posts it must not show",
        description="Search the built HTML (pages, downloads, archives) and the PDF for any "
        "screen name not on the allowlist and any deleted post's text; exit 1 listing them.",
    )
    leak.add_argument("--run", default="default", help="run folder under _build/runs")
    leak.add_argument("--out", help="the run's folder, if built with build --out")
    leak.add_argument("--html", help="the HTML folder (default: the run's)")
    leak.set_defaults(func=_leakscan)


def _add_dehydrate(sub: Any) -> None:
    """The `dehydrate` subcommand."""
    dry = sub.add_parser(
        "dehydrate",
        help="export the analysed posts as ids only, with the parameters, for sharing",
        description="Ingest as `build` would and write post_ids.txt (the ids of the kept "
        "posts), params.yml and a README on rehydrating to --out: the form Twitter's "
        "terms allow to share.",
    )
    dry.add_argument("--out", required=True, help="folder to write")
    _run_options(dry)
    dry.add_argument("--paper-ids", help="a file of the paper's own post ids to include")
    dry.set_defaults(func=_dehydrate)


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per step (each declared by its ``_add_*``)."""
    p = argparse.ArgumentParser(
        prog="python -m datasaveslives",
        description="Re-run the #datasaveslives study from raw posts.",
    )
    p.add_argument("--version", action="version", version=__version__)
    sub = p.add_subparsers(dest="command", required=True)
    for add in (
        _add_collect,
        _add_ingest,
        _add_init,
        _add_synth,
        _add_calibrate,
        _add_build,
        _add_merge,
        _add_leakscan,
        _add_dehydrate,
    ):
        add(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (IngestError, ParamsError, MappingError, WindowError, CollectError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(
            "interrupted: nothing was published; a previous book, if any, is unchanged",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
