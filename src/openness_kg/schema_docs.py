"""The vocabulary and data dictionary as HTML (``docs/schema/``), generated from the LinkML schema.

LinkML's own documentation generator (``gen-doc``, :class:`linkml.generators.docgen.DocGenerator`)
writes one Markdown page per class, slot (property), enum (controlled vocabulary, with every SKOS
concept's IRI: ``schema/doc-templates/enum.md.jinja2`` overrides LinkML's enum template for that
column only) and type, plus the index; two more pages come from the code's own tables: the
prefixes (:data:`openness_kg.namespaces.PREFIXES`, the ones the CLI abbreviates) and the example
queries (the SPARQL library, ``queries/*.rq``). The ``markdown`` package renders every page to HTML
in one page frame. ``openness-kg generate-schema`` writes the folder; a test fails when the
committed pages drift from the schema. ``openness-kg serve`` serves them at ``/vocab/``.
"""
from __future__ import annotations

import html
import io
import re
import tempfile
from contextlib import redirect_stderr
from pathlib import Path

from . import paths
from .files import atomic_dir

TEMPLATE_DIR = paths.SCHEMA_DIR / "doc-templates"
HTACCESS_FILE = paths.ROOT / "w3id" / ".htaccess"
ONTOLOGY_TTL = "ontology.ttl"
HOST = "https://openness-kg.github.io/openness-kg"
"""Where the repository's files are published (docs/, dist/, data/); the one line of the w3id
redirects to change when they move."""
RDF_ACCEPT = "(text/turtle|application/n-triples|application/rdf\\+xml|application/ld\\+json)"
MARKDOWN_EXTENSIONS = ["tables", "fenced_code", "md_in_html"]
PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - openness-kg vocabulary</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 72rem; margin: 0 auto; padding: 0 1rem 3rem; line-height: 1.45; }}
nav {{ padding: .6rem 0; border-bottom: 1px solid #ccc; margin-bottom: 1rem; }}
nav a {{ margin-right: 1rem; }}
table {{ border-collapse: collapse; margin: .5rem 0 1rem; }}
th, td {{ border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }}
pre {{ background: #f6f6f6; padding: .6rem; overflow-x: auto; }}
</style>
</head>
<body>
<nav><a href="index.html">Schema</a><a href="prefixes.html">Prefixes</a><a href="queries.html">Example queries</a></nav>
<main>
{body}
</main>
</body>
</html>
"""


def markdown_pages(schema_path: Path = paths.SCHEMA_FILE) -> dict[str, str]:
    """``{page name: Markdown}`` from LinkML's ``gen-doc`` for ``schema_path`` (``index``, one per
    class, slot, enum and type), with the YAML front matter and Mermaid diagrams removed. Needs
    the ``linkml`` package (``pip install .[dev]``). Descriptions stay whole in the tables
    (gen-doc's default cuts them at the first full stop, which cut URLs and "e.g.")."""
    from linkml.generators.docgen import DocGenerator

    with tempfile.TemporaryDirectory() as tmp, redirect_stderr(io.StringIO()):
        DocGenerator(str(schema_path), mergeimports=True, template_directory=str(TEMPLATE_DIR),
                     truncate_descriptions=False).serialize(directory=tmp)
        pages = {p.stem: p.read_text(encoding="utf-8") for p in sorted(Path(tmp).glob("*.md"))}
    out = {}
    for name, text in pages.items():
        text = re.sub(r"\A\s*---\n.*?\n---\n?", "", text, flags=re.S)
        text = re.sub(r"```mermaid\n.*?```\n", "", text, flags=re.S)
        out[name] = text
    return out


def prefixes_page() -> str:
    """Markdown: the prefixes the CLI and the dumps abbreviate IRIs with."""
    from .namespaces import PREFIXES

    rows = "".join(f"| `{k}:` | <{v}> |\n" for k, v in PREFIXES.items())
    return ("# Prefixes\n\nThe prefixes `openness-kg query` and `stats` print IRIs with, and that every "
            "library query may use without declaring them.\n\n| Prefix | Namespace |\n| --- | --- |\n" + rows)


def queries_page() -> str:
    """Markdown: every query of the SPARQL library (``queries/*.rq``): name, title, description,
    parameters and text, with the command that runs it."""
    from .sparql import library

    parts = ["# Example queries\n\nThe SPARQL library in `queries/`; run one with "
             "`openness-kg query NAME` (add `--param KEY=VALUE` to bind a parameter). Queries whose "
             "name ends in `-violation` must return nothing; the build fails when one does.\n"]
    for q in library().values():
        parts.append(f"## {q.name}\n\n**{q.title}**\n")
        if q.description:
            parts.append(f"{q.description}\n")
        if q.params:
            parts.append("Parameters: " + ", ".join(f"`{p.name}` (default `{p.default}`)" for p in q.params) + "\n")
        parts.append(f"```\nopenness-kg query {q.name}\n```\n\n```sparql\n{q.text.strip()}\n```\n")
    return "\n".join(parts)


def _title(md: str, name: str) -> str:
    m = re.search(r"^# (.+)$", md, flags=re.M)
    return re.sub(r"<[^>]+>", "", m.group(1)).strip() if m else name


def render(md: str, name: str) -> str:
    """One Markdown page as a whole HTML page: links to sibling ``.md`` pages point to ``.html``."""
    import markdown

    body = markdown.markdown(md, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    body = re.sub(r'href="([A-Za-z0-9_.-]+)\.md(#[^"]*)?"', lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    return PAGE.format(title=html.escape(_title(md, name)), body=body)


def docs_texts(schema_path: Path = paths.SCHEMA_FILE) -> dict[str, str]:
    """``{file name: HTML}`` of every page of ``docs/schema/`` (see the module docstring)."""
    pages = markdown_pages(schema_path)
    pages["prefixes"] = prefixes_page()
    pages["queries"] = queries_page()
    return {f"{name}.html": render(md, name) for name, md in sorted(pages.items())}


def ontology_turtle() -> str:
    """The ontology graph (OWL classes and properties plus every SKOS concept scheme,
    ``schema/generated/openness_kg.ontology.nt``) as Turtle, for RDF clients of the w3id IRIs.
    Serialised by pyoxigraph in the file's order, blank node labels kept: the same input gives
    the same text."""
    import pyoxigraph as ox

    from .publish.dumps import DUMP_PREFIXES

    triples = list(ox.parse(path=str(paths.ONTOLOGY_FILE), format=ox.RdfFormat.N_TRIPLES))
    prefixes = {**DUMP_PREFIXES, "linkml": "https://w3id.org/linkml/", "pav": "http://purl.org/pav/"}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")


def vocab_pages(schema_path: Path = paths.SCHEMA_FILE) -> dict[str, str]:
    """``{concept scheme segment: enum name}``: the scheme under ``.../vocab/`` of each enum's
    SKOS concepts (``"component"`` -> ``"ArtifactType"``), read from the values' meanings."""
    from .schema import Schema

    schema = Schema(schema_path)
    base = schema.view.expand_curie("okgv:")
    out = {}
    for enum in sorted(schema.view.all_enums()):
        for iri in schema.enum_values(enum).values():
            if iri and iri.startswith(base) and "/" in iri[len(base):]:
                out.setdefault(iri[len(base):].split("/", 1)[0], enum)
    return dict(sorted(out.items()))


def htaccess_text(version: str | None = None, schema_path: Path = paths.SCHEMA_FILE) -> str:
    """The w3id.org redirects for ``https://w3id.org/openness-kg/`` (``w3id/.htaccess``):
    303 redirects with content negotiation, Turtle for RDF clients (an ``Accept`` header naming
    Turtle, N-Triples, RDF/XML or JSON-LD), the HTML docs for browsers. The vocabulary rules
    come from the schema (one per concept scheme); the record and dataset rules point at the
    release of ``version`` (default: the package version)."""
    version = version or paths.version()
    rel = f"%{{ENV:HOST}}/dist/openness-kg-{version}"
    docs = "%{ENV:HOST}/docs/schema"
    rdf = f"RewriteCond %{{HTTP_ACCEPT}} {RDF_ACCEPT} [NC]\n"
    lines = [
        "# Redirects for https://w3id.org/openness-kg/ (submit as openness-kg/.htaccess to",
        "# https://github.com/perma-id/w3id.org). GENERATED by `openness-kg generate-schema` from",
        "# schema/openness_kg.yaml (src/openness_kg/schema_docs.py): edit those.",
        "# Content negotiation: RDF clients (Accept: Turtle, N-Triples, RDF/XML, JSON-LD) get Turtle,",
        "# browsers the HTML vocabulary docs. HOST: where docs/, dist/ and data/ are published.",
        "Options +FollowSymLinks",
        "RewriteEngine on",
        f"RewriteRule ^ - [E=HOST:{HOST}]",
        "",
        "# the ontology (classes, properties) and the schema",
        rdf + f"RewriteRule ^(ontology|schema)/?$ {docs}/{ONTOLOGY_TTL} [R=303,L]",
        f"RewriteRule ^(ontology|schema)/?$ {docs}/index.html [R=303,L]",
        "",
        "# SKOS concepts, .../vocab/<scheme>/<value>: the concept schemes (Turtle) or the",
        "# vocabulary's page, which lists every concept with its IRI",
        rdf + f"RewriteRule ^vocab(/.*)?$ {docs}/{ONTOLOGY_TTL} [R=303,L]",
    ]
    for scheme, enum in vocab_pages(schema_path).items():
        lines.append(f"RewriteRule ^vocab/{scheme}(/.*)?$ {docs}/{enum}.html [R=303,L]")
    lines += [
        f"RewriteRule ^vocab/?$ {docs}/index.html [R=303,L]",
        "",
        f"# records (.../id/<class>/<slug>) and named graphs: the Turtle dump of release {version}",
        rdf + f"RewriteRule ^(id|graph)/.*$ {rel}/openness-kg.ttl.gz [R=303,L]",
        f"RewriteRule ^(id|graph)/.*$ {docs}/index.html [R=303,L]",
        "",
        "# releases (.../release/<version>/<file>) and the importers' mapping tables",
        "RewriteRule ^release/([^/]+)/(.+)$ %{ENV:HOST}/dist/openness-kg-$1/$2 [R=303,L]",
        "RewriteRule ^release/([^/]+)/?$ %{ENV:HOST}/dist/openness-kg-$1/dataset.ttl [R=303,L]",
        "RewriteRule ^mappings/([^/]+)\\.sssom\\.tsv$ %{ENV:HOST}/data/imported/$1/mappings.sssom.tsv [R=303,L]",
        "",
        "# the dataset: its DCAT + VoID description (Turtle) or the docs",
        rdf + f"RewriteRule ^$ {rel}/dataset.ttl [R=303,L]",
        f"RewriteRule ^$ {docs}/index.html [R=303,L]",
    ]
    return "\n".join(lines) + "\n"


def write_docs(out_dir: Path = paths.DOCS_DIR, htaccess: Path = HTACCESS_FILE) -> list[Path]:
    """Replace ``out_dir`` (default ``docs/schema/``) with :func:`docs_texts` and the ontology
    as Turtle (``ontology.ttl``), in one step, and write ``htaccess`` (default
    ``w3id/.htaccess``, :func:`htaccess_text`). Returns the files written."""
    from .files import write_text_atomic

    texts = docs_texts()
    texts[ONTOLOGY_TTL] = ontology_turtle()
    htaccess.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(htaccess, htaccess_text())
    with atomic_dir(out_dir) as tmp:
        for name, text in texts.items():
            (tmp / name).write_text(text, encoding="utf-8")
        tmp.chmod(0o755)
    return [*(out_dir / n for n in texts), htaccess]
