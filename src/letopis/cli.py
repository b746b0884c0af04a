"""The command line: a thin layer over `letopis.api`. Exit codes: 0 all good, 1 some inputs rejected, 2 usage error."""
from __future__ import annotations

import sys
from typing import List, Optional

import typer

from . import __version__, api
from .errors import LetopisError
from .ingest.base import MB, IngestOptions, TableFields
from .output import Format, render, render_record
from .store.backend import backend_for
from .store.sqlite import DEFAULT_DB, Store

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="letopis: a sourced chronicle from Russian-language news.")
docs_app = typer.Typer(no_args_is_help=True, help="List and show stored documents.")
app.add_typer(docs_app, name="docs")

DbOpt = typer.Option(DEFAULT_DB, "--db", help="SQLite database file (created if missing), or a postgresql:// URL.")
FormatOpt = typer.Option(Format.table, "--format", "-f", help="Output format.")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"letopis: {message}", err=True)
    raise typer.Exit(code)


def _options(max_size_mb: float, text_field, title_field, date_field, url_field) -> IngestOptions:
    d = TableFields()
    fields = TableFields(
        text=tuple(text_field) or d.text, title=tuple(title_field) or d.title,
        date=tuple(date_field) or d.date, url=tuple(url_field) or d.url)
    return IngestOptions(max_bytes=int(max_size_mb * MB), fields=fields)


def _emit(text: str) -> None:
    sys.stdout.write(text)


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="Files, folders, globs, .zip/.tar.gz archives, or - for stdin."),
    db: str = DbOpt,
    max_size: float = typer.Option(20.0, "--max-size", help="Reject files larger than this many MB."),
    text_field: List[str] = typer.Option([], "--text-field", help="JSONL/CSV field holding the text (repeatable)."),
    title_field: List[str] = typer.Option([], "--title-field", help="JSONL/CSV title field."),
    date_field: List[str] = typer.Option([], "--date-field", help="JSONL/CSV date field."),
    url_field: List[str] = typer.Option([], "--url-field", help="JSONL/CSV url field."),
    no_extract: bool = typer.Option(False, "--no-extract", help="Store documents without annotating them."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1,
                                          help="Processes extracting in parallel (default: every core)."),
    engine: str = typer.Option("local", "--engine", help="local (processes on this machine) or ray (a Ray cluster; "
                                                         "pip install 'letopis[ray]')."),
    address: Optional[str] = typer.Option(None, "--address", help="Ray cluster address (default: start a local one)."),
    parquet: Optional[str] = typer.Option(None, "--parquet", help="Write the extraction results as a Parquet dataset "
                                                                  "into this new folder, then load it into the store."),
    from_parquet: bool = typer.Option(False, "--from-parquet", help="PATHS are results datasets written by "
                                                                    "--parquet: load them, extracting nothing."),
) -> None:
    """Read articles into the store; print what was read, new, duplicate and rejected (with reasons)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn

    if engine not in ("local", "ray"):
        _fail(f"unknown engine {engine!r}: use local or ray")
    if address and engine != "ray":
        _fail("--address is the address of a Ray cluster: add --engine ray")
    given = [name for name, on in (("--parquet", parquet), ("--engine ray", engine == "ray"), ("--workers", workers))
             if on]
    if from_parquet and given:
        _fail(f"--from-parquet loads results extracted already: drop {', '.join(given)}")
    err = Console(stderr=True)
    options = _options(max_size, text_field, title_field, date_field, url_field)
    try:
        with Store(db) as store, Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                          console=err, disable=quiet, transient=True) as bar:
            task = bar.add_task("reading…")
            counts = {"new": 0, "duplicate": 0, "rejected": 0}

            def progress(event: str, source: str) -> None:
                counts[event] += 1
                bar.update(task, description=f"new {counts['new']} · duplicate {counts['duplicate']} · "
                                             f"rejected {counts['rejected']} · {source[-60:]}")

            runner = None
            if from_parquet:
                report = api.ingest_parquet(paths, store, progress=progress, annotate=not no_extract)
            else:
                if engine == "ray":
                    from .scale.ray import RayEngine
                    runner = RayEngine(address=address, workers=workers)
                report = api.ingest(paths, store, options, progress=progress, annotate=not no_extract,
                                    workers=workers, engine=runner, parquet=parquet)
    except LetopisError as e:
        _fail(str(e))
    typer.echo(f"read {report.read}: {report.new} new, {report.duplicate} duplicate, "
               f"{len(report.rejected)} rejected; {report.extracted} extracted; "
               f"events: {report.events_new} new, {report.events_joined} mentions joined; "
               f"{report.claims} figure claims → {backend_for(db).describe(db)}")
    if parquet:
        typer.echo(f"results (Parquet) → {parquet}")
    for r in report.rejected:
        typer.echo(f"  rejected {r.source}: {r.reason}: {r.message}")
    raise typer.Exit(report.exit_code)


@app.command()
def status(db: str = DbOpt, fmt: Format = FormatOpt) -> None:
    """What the store holds."""
    try:
        with Store(db) as store:
            _emit(render_record(store.status().to_json(), fmt))
    except LetopisError as e:
        _fail(str(e))


@app.command()
def rejected(db: str = DbOpt, fmt: Format = FormatOpt) -> None:
    """Inputs that were refused, with their reasons."""
    try:
        with Store(db) as store:
            _emit(render(store.rejections(), fmt, ["source", "reason", "message", "last_seen", "times"]))
    except LetopisError as e:
        _fail(str(e))


@docs_app.command("list")
def docs_list(
    db: str = DbOpt, fmt: Format = FormatOpt,
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most this many documents."),
    offset: int = typer.Option(0, "--offset", help="Skip this many documents."),
) -> None:
    """One line per document: id, date, format, title."""
    try:
        with Store(db) as store:
            rows = store.list_documents(limit, offset)
    except LetopisError as e:
        _fail(str(e))
    _emit(render(rows, fmt, ["id", "published", "format", "title", "source", "chars", "sources"]))


@docs_app.command("show")
def docs_show(
    doc_id: str = typer.Argument(..., help="A document id or a unique prefix of it."),
    db: str = DbOpt, fmt: Format = FormatOpt,
    text: bool = typer.Option(True, "--text/--no-text", help="Include the text."),
    annotate: bool = typer.Option(False, "--annotate", help="Print the text with its events (E), statements (S) "
                                                            "and figures (F) marked in place, and a legend."),
) -> None:
    """One document with its metadata, sources and extraction summary."""
    try:
        with Store(db) as store:
            doc = store.get_document(doc_id)
            if annotate:
                from .annotated import render as render_annotated
                extraction = store.get_extraction(doc.id)
                if extraction is None:
                    _fail(f"{doc.id} has no extraction yet: run `letopis ingest` on it without --no-extract")
                _emit(render_annotated(doc.text, extraction, color=sys.stdout.isatty()))
                return
            record = doc.to_json()
            record.pop("body_map")
            record.pop("body")
            if not text:
                record.pop("text")
            record["sources"] = store.sources_of(doc.id)
            extraction = store.get_extraction(doc.id)
    except LetopisError as e:
        _fail(str(e))
    if extraction:
        record["extracted"] = {k: len(extraction.get(k) or []) for k in
                               ("entities", "times", "figures", "statements", "events")}
        if fmt is not Format.table:
            record["extraction"] = extraction
    _emit(render_record(record, fmt))


@app.command()
def extract(
    paths: List[str] = typer.Argument(..., help="Files (or folders, archives, -) to extract from; nothing is stored."),
    fmt: Format = typer.Option(Format.jsonl, "--format", "-f", help="Output format."),
    max_size: float = typer.Option(20.0, "--max-size", help="Reject files larger than this many MB."),
) -> None:
    """Print the extraction contract (entities, times, figures, statements, events) of each input."""
    rejected_any = []

    def on_reject(r) -> None:
        rejected_any.append(r)
        typer.echo(f"letopis: rejected {r.source}: {r.reason}: {r.message}", err=True)

    options = IngestOptions(max_bytes=int(max_size * MB))
    try:
        if fmt is Format.jsonl:
            for row in api.extract(paths, options, on_reject=on_reject):
                _emit(render([row], fmt))
        else:
            rows = list(api.extract(paths, options, on_reject=on_reject))
            if fmt is Format.table:
                rows = [{"source": r["source"], "published": r["published"], "title": r["title"],
                         **{k: len(r[k]) for k in ("entities", "times", "figures", "statements", "events")}}
                        for r in rows]
            _emit(render(rows, fmt))
    except LetopisError as e:
        _fail(str(e))
    raise typer.Exit(1 if rejected_any else 0)


def _event_row(e: dict) -> dict:
    date, loc = e.get("date") or {}, e.get("location") or {}
    when = date.get("start") if date.get("start") == date.get("end") else f"{date.get('start')}/{date.get('end')}"
    return {"id": e["id"], "date": when if date else None, "type": e["type"], "mode": e.get("mode"),
            "place": loc.get("name"), "country": e.get("country"), "sources": e.get("n_sources"),
            "mentions": len(e["mentions"]), "figures": len(e["figures"]), "actors": ", ".join(e["actors"][:2])}


@app.command()
def events(
    db: str = DbOpt, fmt: Format = FormatOpt,
    type: Optional[str] = typer.Option(None, "--type", "-t", help="PLOVER category, e.g. ASSAULT."),
    since: Optional[str] = typer.Option(None, "--since", help="Events ending on or after YYYY[-MM[-DD]]."),
    until: Optional[str] = typer.Option(None, "--until", help="Events starting on or before YYYY[-MM[-DD]]."),
    place: Optional[str] = typer.Option(None, "--place", help="Place name (part of it)."),
    country: Optional[str] = typer.Option(None, "--country", help="ISO country code, e.g. KZ."),
    entity: Optional[str] = typer.Option(None, "--entity", help="An actor or target name (part of it)."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most this many events."),
) -> None:
    """One line per real-world event, however many articles report it, with its mentions and figure claims."""
    try:
        rows = api.events(db, type, since, until, place, country, entity, limit)
    except LetopisError as e:
        _fail(str(e))
    _emit(render([_event_row(r) for r in rows] if fmt is Format.table else rows, fmt))


@app.command()
def figures(
    db: str = DbOpt, fmt: Format = FormatOpt,
    category: Optional[str] = typer.Option(None, "--category", "-c", help="killed, injured, detained, …"),
    claimant: Optional[str] = typer.Option(None, "--claimant", help="Claimant name (part of it) or class "
                                                                    "(authorities, rights-groups, media, …)."),
    event: Optional[str] = typer.Option(None, "--event", help="Only the claims about this event id."),
    since: Optional[str] = typer.Option(None, "--since", help="Claimed on or after YYYY[-MM[-DD]]."),
    until: Optional[str] = typer.Option(None, "--until", help="Claimed on or before YYYY[-MM[-DD]]."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most this many claims."),
) -> None:
    """The figure ledger: every claim with its claimant, the day it was claimed, its event and its words."""
    try:
        rows = api.figures(db, category, claimant, event, since, until, limit)
    except LetopisError as e:
        _fail(str(e))
    _emit(render(rows, fmt, ["claimed_on", "category", "low", "high", "claimant", "claimant_class", "text",
                             "event", "source"] if fmt is Format.table else None))


@app.command()
def entities(
    db: str = DbOpt, fmt: Format = FormatOpt,
    type: Optional[str] = typer.Option(None, "--type", "-t", help="PER, ORG or LOC."),
    name: Optional[str] = typer.Option(None, "--name", help="A name (part of it)."),
    limit: Optional[int] = typer.Option(None, "--limit", "-n", help="At most this many entities."),
) -> None:
    """People, organisations and places resolved across articles, with every name and role seen."""
    try:
        rows = api.entities(db, type, name, limit)
    except LetopisError as e:
        _fail(str(e))
    if fmt is Format.table:
        rows = [{"id": r["id"], "type": r["type"], "name": r["name"], "documents": r["n_documents"],
                 "mentions": r["n_mentions"], "names": ", ".join(sorted(r["names"]))[:60],
                 "roles": ", ".join(r["roles"])[:40]} for r in rows]
    _emit(render(rows, fmt))


@app.command()
def serve(
    db: str = typer.Option(DEFAULT_DB, "--db", help="SQLite database file, or a postgresql:// URL, to serve "
                                                       "(must exist)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind: loopback unless told otherwise."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    token_file: Optional[str] = typer.Option(None, "--token-file", help="Allow the endpoints that write "
                                             "(corrections, uploads) to requests with the token in this file "
                                             "(chmod 600); else $LETOPIS_TOKEN; without either, writes are off."),
) -> None:
    """Serve the pages and the REST API (under /api/) over the store until Ctrl+C; read-only without a token."""
    from .web.app import create_app, load_token, local_hosts, serve as run, url

    try:
        token, where = load_token(token_file)
        web_app = create_app(db, token=token, hosts=local_hosts(host))
    except LetopisError as e:
        _fail(str(e))
    writes = f"writes allowed with the token from {where}" if token else "read-only"
    typer.echo(f"letopis: serving {backend_for(db).describe(db)} at {url(host, port)} "
               f"(API: {url(host, port)}api/, {writes}; Ctrl+C stops)")
    run(web_app, host, port)


@app.command()
def search(
    query: str = typer.Argument(..., help='Words (any form), "a phrase", -excluded; "" lists by the filters alone.'),
    db: str = DbOpt, fmt: Format = FormatOpt,
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help="paragraph, event, statement or figure "
                                                                   "(comma-separated for several)."),
    since: Optional[str] = typer.Option(None, "--since", help="Units dated on or after YYYY[-MM[-DD]]."),
    until: Optional[str] = typer.Option(None, "--until", help="Units dated on or before YYYY[-MM[-DD]]."),
    type: Optional[str] = typer.Option(None, "--type", "-t", help="PLOVER event type, e.g. ASSAULT."),
    place: Optional[str] = typer.Option(None, "--place", help="A place name, any case form."),
    entity: Optional[str] = typer.Option(None, "--entity", help="A person, organisation or place, any form, or an ent- id."),
    claimant: Optional[str] = typer.Option(None, "--claimant", help="A speaker or figure claimant, or a claimant class."),
    source: Optional[str] = typer.Option(None, "--source", help="Part of a source name or url."),
    limit: int = typer.Option(20, "--limit", "-n", help="At most this many hits."),
    offset: int = typer.Option(0, "--offset", help="Skip this many hits."),
) -> None:
    """Full-text search with Russian morphology over paragraphs, events, statements and figures, best first."""
    from .search import index_missing, search as run_search

    try:
        with Store(db) as store:
            index_missing(store)          # a database ingested before the search index existed
            page = run_search(store, query, kind, since, until, type, place, entity, claimant, source, limit, offset)
    except LetopisError as e:
        _fail(str(e))
    if fmt is Format.table:
        rows = [{"kind": h.kind, "date": h.date, "score": h.score, "id": h.id, "source": h.source[-40:],
                 "passage": "".join(f"[{p.text}]" if p.match else p.text for p in h.snippet)} for h in page.items]
        _emit(render(rows, fmt, title=f"{page.total} hits" + (f", {offset + 1}–{offset + len(rows)}" if rows else "")))
    else:
        _emit(render([h.to_json() for h in page.items], fmt))


@app.command("export")
def export_corpus(
    db: str = typer.Option(DEFAULT_DB, "--db", help="SQLite database file, or a postgresql:// URL, to export "
                                                       "(must exist)."),
    fmt: str = typer.Option(..., "--format", "-f", help="csv (ACLED's columns), jsonl (PLOVER-style events), "
                                                        "parquet (a folder of tables) or geojson (located events)."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="File to write (a folder for parquet, required "
                                                                      "there); standard output without it."),
) -> None:
    """Export the corpus: ACLED-style CSV, PLOVER-style JSONL, Parquet tables or GeoJSON of the located events."""
    from .export import export as write_export

    try:
        report = write_export(db, fmt.lower(), output, stdout=sys.stdout)
    except LetopisError as e:
        _fail(str(e))
    typer.echo(report.summary(), err=output is None)


@app.command()
def version() -> None:
    """Print the letopis version."""
    typer.echo(__version__)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
