"""lawtracker: check, build and serve the AI-generated CSAM law dataset."""
import argparse
import json
import logging
import os
import sys
from pathlib import Path

from lawtracker import paths


def _check(args) -> int:
    from lawtracker import validate

    checker = validate.check(Path(args.data or paths.data_dir()))
    errors = [p for p in checker.problems if p.severity == "error"]
    for p in checker.problems:
        if p.severity == "error" or args.warnings:
            print(p)
    warnings = len(checker.problems) - len(errors)
    print(f"{len(checker.docs)} file(s) checked: {len(errors)} error(s), {warnings} warning(s)",
          file=sys.stderr)
    return 1 if errors else 0


def _build(args) -> int:
    from lawtracker import build

    try:
        info = build.build(args.db, args.data, args.crawled)
    except build.BuildError as exc:
        for p in exc.problems:
            print(p)
        print(f"build refused: {exc}", file=sys.stderr)
        return 1
    db = Path(args.db or paths.default_db())
    print(f"built {db}: " + ", ".join(f"{k} {v}" for k, v in info.items() if isinstance(v, int)))
    return 0


def _serve(args) -> int:
    from lawtracker import serve

    return serve.serve(args)


def _summary(args) -> int:
    from lawtracker import summary

    return summary.run(args)


def _schema(args) -> int:
    from lawtracker import schema

    print(json.dumps(schema.LAW_FILE, indent=2))
    return 0


def _classify(args) -> int:
    from lawtracker import review

    return review.run_classify(args)


def _review(args) -> int:
    from lawtracker import review

    return review.run(args)


def main(argv=None):
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="lawtracker", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("check", help="validate every curated file in data/")
    p.add_argument("--data", help="data directory (default: ./data)")
    p.add_argument("--warnings", action="store_true", help="also print warnings")
    p.set_defaults(func=_check)

    p = sub.add_parser("build", help="build the SQLite database from data/")
    p.add_argument("--db", help=f"output path (default: {paths.default_db().relative_to(paths.ROOT)})")
    p.add_argument("--data", help="data directory (default: ./data)")
    p.add_argument("--crawled", help="crawled store (default: data/crawled)")
    p.set_defaults(func=_build)

    p = sub.add_parser("serve", help="build if needed, then serve with Datasette")
    p.add_argument("--db", help="database path (default: build/lawtracker.db)")
    p.add_argument("--data", help="data directory (default: ./data)")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--no-build", action="store_true", help="serve the database as it is")
    p.set_defaults(func=_serve)

    p = sub.add_parser("summary", help="coverage counts per conduct and status, from the data")
    p.add_argument("--data", help="data directory (default: ./data)")
    p.add_argument("--write", metavar="FILE", help="write to FILE (docs/coverage.md) instead of stdout")
    p.set_defaults(func=_summary)

    p = sub.add_parser("schema", help="print the JSON Schema of a data/laws file")
    p.set_defaults(func=_schema)

    p = sub.add_parser("classify", help="propose conducts and scope from statute text; agreement report")
    p.add_argument("--data", help="data directory (default: ./data)")
    p.add_argument("--crawled", help="crawled store (default: data/crawled)")
    p.add_argument("--text", metavar="FILE", help="classify the text in FILE ('-' = stdin) and print the findings as JSON")
    p.add_argument("--lang", metavar="CODE", help="language of --text (ISO 639-1: en, de, fr, ...)")
    p.add_argument("--report", action="store_true", help="precision/recall against the curated assessments")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=_classify)

    p = sub.add_parser("review", help="list what needs a human decision, with reasons")
    p.add_argument("--data", help="data directory (default: ./data)")
    p.add_argument("--crawled", help="crawled store (default: data/crawled)")
    p.add_argument("--max-age", type=int, metavar="DAYS",
                   help="flag assessments checked longer ago than this (default 365, or $LAWTRACKER_REVIEW_MAX_AGE_DAYS)")
    p.add_argument("--reason", action="append", help="only this reason (repeatable)")
    p.add_argument("--json", action="store_true", help="JSON output")
    p.set_defaults(func=_review)

    try:
        from lawtracker import crawl
    except ImportError:  # the Scrapy side is optional for checking and serving
        crawl = None
    if crawl is not None:
        p = sub.add_parser("crawl", help="refresh data/crawled from official sources")
        crawl.configure_parser(p)
        p.set_defaults(func=crawl.run)

    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        # `lawtracker review | head`: the reader left; say nothing more (Python docs, "Note on
        # SIGPIPE"): point stdout at devnull so the interpreter's final flush cannot fail again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
