"""`lawtracker serve`: rebuild when the data is newer than the database, then run Datasette."""
import sys
from pathlib import Path

import yaml

from lawtracker import build, paths

SETTINGS = {
    # Bounded arbitrary SQL: the site is read-only and public (see docs/deployment.md).
    "sql_time_limit_ms": "1500",
    "max_returned_rows": "2000",
    "facet_time_limit_ms": "500",
    "allow_download": "on",
    "default_page_size": "100",
}


def newest_input(data_dir: Path) -> float:
    files = [p for p in Path(data_dir).rglob("*") if p.is_file()]
    return max((p.stat().st_mtime for p in files), default=0.0)


def needs_build(db: Path, data_dir: Path) -> bool:
    return not db.exists() or newest_input(data_dir) > db.stat().st_mtime


def metadata_for(db: Path) -> Path:
    """metadata.yml is keyed by database name (`lawtracker`); another file name gets a copy."""
    source = paths.ROOT / "metadata.yml"
    if db.stem == "lawtracker":
        return source
    meta = yaml.safe_load(source.read_text(encoding="utf-8"))
    meta["databases"] = {db.stem: meta["databases"]["lawtracker"]}
    out = db.with_name(f".{db.stem}.metadata.yml")
    out.write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return out


def datasette_args(db: Path, host: str, port: int) -> list[str]:
    root = paths.ROOT
    args = ["serve", "-i", str(db), "--metadata", str(metadata_for(db)),
            "--host", host, "--port", str(port)]
    for flag, folder in (("--template-dir", "templates"), ("--plugins-dir", "plugins")):
        if (root / folder).is_dir():
            args += [flag, str(root / folder)]
    if (root / "static").is_dir():
        args += ["--static", f"static:{root / 'static'}"]
    for key, value in SETTINGS.items():
        args += ["--setting", key, value]
    return args


def serve(args) -> int:
    data_dir = Path(args.data or paths.data_dir())
    db = Path(args.db or paths.default_db())
    if not args.no_build and needs_build(db, data_dir):
        print(f"data/ is newer than {db}: building", file=sys.stderr)
        try:
            build.build(db, data_dir)
        except build.BuildError as exc:
            for p in exc.problems:
                print(p)
            print(f"not serving: {exc}", file=sys.stderr)
            return 1
    from datasette.cli import cli

    print(f"serving {db} on http://{args.host}:{args.port}/", file=sys.stderr)
    return cli.main(args=datasette_args(db, args.host, args.port), standalone_mode=False) or 0


def app(db: Path):
    """The same Datasette that `serve` runs, as an object (for tests and embedding)."""
    from datasette.app import Datasette

    root = paths.ROOT
    meta = yaml.safe_load(metadata_for(Path(db)).read_text(encoding="utf-8"))
    return Datasette(
        immutables=[str(db)],
        metadata=meta,
        template_dir=str(root / "templates") if (root / "templates").is_dir() else None,
        plugins_dir=str(root / "plugins") if (root / "plugins").is_dir() else None,
        static_mounts=[("static", str(root / "static"))] if (root / "static").is_dir() else None,
        settings={k: _setting(v) for k, v in SETTINGS.items()},
    )


def _setting(value: str):
    if value in ("on", "off"):
        return value == "on"
    return int(value) if value.isdigit() else value
