"""Dumps of the store, and the VoID / DCAT description of the dataset.

Everything streams from the store, graph after graph, in graph IRI order; nothing holds
the dataset. Each graph's N-Triples, Turtle and JSON-LD are the documents the store keeps
(``documents.py``), made when it keeps none; worker processes read batches of graphs and
count what void.ttl reports. Files
are written to a temporary name and renamed, and are deterministic: the same store gives
the same bytes (gzip with no timestamp; dcterms:issued is the store's last modification,
not the time of the dump).

* ``items.nq.gz``: every record graph, graphs kept (N-Quads);
* ``items.nt.gz``, ``items.ttl.gz``: the same triples, graphs merged;
* ``items.jsonld.gz``: one compacted JSON-LD document per record, one per line;
* ``vocab-*.ttl``: the vocabularies (VDP, COAR types, languages);
* ``void.ttl``: a void:Dataset that is also a dcat:Dataset, with statistics, partitions,
  and a dcat:Distribution per file with size and SHA-256.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as default
from pathlib import Path

import pyoxigraph as ox
from isal import igzip

from .documents import jsonld_start
from .pool import ordered_map
from .rdf_output import jsonld_line, prefixes, turtle_document
from .settings import Settings
from .store import RecordStore, open_store
from .terms import read_ntriples, to_oxigraph
from .vocabularies.graphs import vocabulary_graphs

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
# (subject, predicate, object if an IRI): what the dataset's statistics are counted from
CountedTriple = tuple[str, str, str | None]
ITEM_CLASS = "http://purl.org/dc/terms/BibliographicResource"
IANA = "https://www.iana.org/assignments/media-types/"


@dataclass
class DumpStats:
    triples: int = 0
    records: int = 0
    distinct_subjects: int = 0
    classes: Counter[str] = default(default_factory=Counter)  # class -> entities
    properties: Counter[str] = default(default_factory=Counter)  # property -> triples
    example: str | None = None
    files: dict[str, tuple[str, int, str]] = default(default_factory=dict)  # name -> (media type, bytes, sha256)


class _AtomicGzip:
    """A gzip file written under a temporary name, renamed into place when complete.

    ISA-L's output depends on how the input is cut into calls, so the data goes to it in
    blocks of one size, whatever the batches it came in: the same store gives the same bytes."""

    BLOCK = 1 << 20

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp")
        self.raw = open(self.tmp, "wb")  # noqa: SIM115
        # ISA-L's gzip at level 1: a quarter of the time of zlib's level 1, for slightly smaller files
        # (compressing is otherwise the parent's bottleneck); mtime 0: same bytes every run
        self.gz = igzip.IGzipFile(filename="", mode="wb", fileobj=self.raw, compresslevel=1, mtime=0)
        self.pending = bytearray()

    def write(self, data: bytes) -> None:
        self.pending += data
        if len(self.pending) >= self.BLOCK:
            whole = len(self.pending) - len(self.pending) % self.BLOCK
            view = memoryview(self.pending)
            for start in range(0, whole, self.BLOCK):
                self.gz.write(view[start : start + self.BLOCK])
            view.release()
            del self.pending[:whole]

    def close(self) -> None:
        self.gz.write(bytes(self.pending))
        self.gz.close()
        self.raw.close()
        os.replace(self.tmp, self.path)


@dataclass
class _Part:
    """The dump of a batch of record graphs: the bytes of each file and the batch's statistics."""

    data: dict[str, bytes]
    stats: DumpStats
    shared_subjects: set[str]
    shared_types: set[tuple[str, str]]


class _Renderer:
    """Turns record graphs into the four dump formats; one per process."""

    def __init__(self, store: RecordStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.jsonld_start = jsonld_start(settings.context_url)

    def batch(self, graphs: list[str]) -> _Part:
        part = _Part({k: b"" for k in FILES}, DumpStats(), set(), set())
        chunks: dict[str, list[bytes]] = {k: [] for k in FILES}
        for graph in graphs:
            document = self.store.document(graph)
            if document is None:
                continue  # removed since the list of graphs was read
            nt = document.ntriples
            part.stats.records += 1
            # Every N-Triples line ends in " .\n" (line breaks inside literals are escaped).
            chunks["nt"].append(nt)
            chunks["nq"].append(nt.replace(b" .\n", f" <{graph}> .\n".encode()))
            # Turtle and JSON-LD as the store keeps them, made when it does not (an older store)
            jsonld = document.jsonld_for(self.jsonld_start)
            plain = _plain_lines(nt) if document.turtle is not None and jsonld is not None else None
            if plain is None:  # something to make, or N-Triples not in the plain form: read them whole
                tuples = read_ntriples(nt)
                turtle = document.turtle or turtle_document(tuples)  # as the store makes it
                jsonld = jsonld or jsonld_line(tuples, self.settings.context_url)
                plain = [(s, p, o if isinstance(o, str) and not o.startswith("_:") else None) for s, p, o in tuples]
            else:
                turtle = document.turtle
            chunks["ttl"].append(_without_prefixes(turtle or b""))
            chunks["jsonld"].append((jsonld or b"") + b"\n")
            item = next((o for s, p, o in plain if p == PRIMARY_TOPIC and s == graph), None)
            _count(part.stats, plain, graph, item, part.shared_subjects, part.shared_types)
        part.data = {k: b"".join(v) for k, v in chunks.items()}
        return part


FILES = {"nq": "items.nq.gz", "nt": "items.nt.gz", "ttl": "items.ttl.gz", "jsonld": "items.jsonld.gz"}
_renderer: _Renderer | None = None


def _init_worker(location: str, settings_json: str) -> None:
    global _renderer
    _renderer = _Renderer(open_store(location, read_only=True), Settings.model_validate_json(settings_json))


def _render(graphs: list[str]) -> _Part:
    assert _renderer is not None
    return _renderer.batch(graphs)


def _batches(names: Iterator[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for name in names:
        batch.append(name)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _without_prefixes(turtle: bytes) -> bytes:
    """A record's Turtle without its prefix lines: the dump declares them once, at the top."""
    return b"".join(line for line in turtle.splitlines(keepends=True) if not line.startswith(b"@prefix"))


def dump(store: RecordStore, out_dir: Path, settings: Settings, *, workers: int = 1, batch: int = 200) -> DumpStats:
    """Write every dump file and void.ttl into ``out_dir``.

    Record graphs are read one by one in IRI order, ``batch`` at a time; with ``workers`` > 1,
    worker processes read and format the batches (each opens the store read-only) and the
    parent writes them in order, so the bytes are the same as with one process.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    stats = DumpStats()
    files = {k: _AtomicGzip(out_dir / v) for k, v in FILES.items()}
    pfx = prefixes()
    files["ttl"].write("".join(f"@prefix {k}: <{v}> .\n" for k, v in pfx.items()).encode())
    shared_subjects: set[str] = set()
    shared_types: set[tuple[str, str]] = set()
    batches = _batches(store.live_graphs(settings.document_base.rstrip("/") + "/"), batch)
    parts: Iterator[_Part]
    if workers > 1:
        store.flush()
        parts = ordered_map(_render, batches, workers=workers, initializer=_init_worker,
                            initargs=(store.location, settings.model_dump_json()), window=3 * workers)
    else:
        renderer = _Renderer(store, settings)
        parts = (renderer.batch(b) for b in batches)
    try:
        for part in parts:
            for key, data in part.data.items():
                files[key].write(data)
            _merge(stats, part, shared_subjects, shared_types)
    finally:
        for f in files.values():
            f.close()
    stats.distinct_subjects += len(shared_subjects)
    for name, triples in vocabulary_graphs(settings).items():
        fname = "vocab-" + name.rstrip("/").rsplit("/", 1)[-1] + ".ttl"
        tmp = out_dir / f".{fname}.tmp"
        ox.serialize(to_oxigraph(triples), str(tmp), ox.RdfFormat.TURTLE, prefixes=pfx)
        os.replace(tmp, out_dir / fname)
    for path in sorted(out_dir.iterdir()):
        if path.name.startswith(("items.", "vocab-")):
            media = {"nq": "application/n-quads", "nt": "application/n-triples", "ttl": "text/turtle", "jsonld": "application/ld+json"}
            ext = path.name.split(".")[1]
            stats.files[path.name] = (media.get(ext, "text/turtle"), path.stat().st_size, _sha256(path))
    void = void_turtle(stats, store.modified() or "1970-01-01T00:00:00Z", settings)
    (out_dir / ".void.ttl.tmp").write_bytes(void)
    os.replace(out_dir / ".void.ttl.tmp", out_dir / "void.ttl")
    return stats


def _merge(stats: DumpStats, part: _Part, shared_subjects: set[str], shared_types: set[tuple[str, str]]) -> None:
    """Add a batch's statistics; subjects and typings shared between records count once overall."""
    s = part.stats
    stats.records += s.records
    stats.triples += s.triples
    stats.distinct_subjects += s.distinct_subjects
    stats.properties.update(s.properties)
    stats.classes.update(s.classes)
    for typing in part.shared_types - shared_types:
        stats.classes[typing[1]] += 1
    shared_types |= part.shared_types
    shared_subjects |= part.shared_subjects
    if stats.example is None:
        stats.example = s.example


def _plain_lines(ntriples: bytes) -> list[CountedTriple] | None:
    """Each line's subject, predicate and object, the object only if it is an IRI, read as text.

    What the dump counts needs no more, and splitting lodpub's own N-Triples (one space
    between terms, IRIs as they are, a literal last on its line) costs half of parsing them
    and converting Oxigraph's terms. ``None`` if a line is not of that form."""
    out: list[CountedTriple] = []
    for line in ntriples.decode("utf-8").splitlines():
        terms = line.split(" ", 2)
        if len(terms) < 3 or terms[1][:1] != "<" or terms[0][:1] not in ("<", "_") or not line.endswith(" ."):
            return None
        s, p, o = terms
        o = o[:-2]
        iri = o[1:-1] if o[:1] == "<" and o[-1:] == ">" and " " not in o else None
        out.append((s[1:-1] if s[0] == "<" else s, p[1:-1], iri))
    return out


def _count(stats: DumpStats, triples: list[CountedTriple], graph: str, item: str | None, shared: set[str], shared_types: set[tuple[str, str]]) -> None:
    """Count one record's triples; typings of shared subjects are only collected (``_merge`` counts them)."""
    local: set[str] = set()
    for s, p, o in triples:
        stats.triples += 1
        stats.properties[p] += 1
        is_local = s.startswith("_:") or s == graph or s == item
        if is_local:
            local.add(s)  # blank nodes, the document and the item belong to this record alone
        else:
            shared.add(s)  # ORCID iDs, file URLs, the software agent: counted once overall
        if p == RDF_TYPE and o is not None:
            if is_local:
                stats.classes[o] += 1
            else:
                shared_types.add((s, o))
            if o == ITEM_CLASS and stats.example is None:
                stats.example = s
    stats.distinct_subjects += len(local)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def void_turtle(stats: DumpStats, issued: str, settings: Settings) -> bytes:
    """The dataset description (VoID + DCAT) as Turtle; deterministic for the same statistics."""
    base = settings.public_base.rstrip("/")
    ds = f"{base}/void#dataset"
    lines = [
        "@prefix void: <http://rdfs.org/ns/void#> .",
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix spdx: <http://spdx.org/rdf/terms#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .",
        "",
        f"<{ds}> a void:Dataset, dcat:Dataset ;",
        f'    dcterms:title "{_esc(settings.dataset_title)}"@en ;',
        '    dcterms:description "Repository records published as Linked Data by lodpub: Dublin Core Terms, VDP (SKOS), COAR types."@en ;',
        f'    dcterms:issued "{issued}"^^xsd:dateTime ;',
        f'    dcterms:modified "{issued}"^^xsd:dateTime ;',
        f"    void:triples {stats.triples} ;",
        f"    void:entities {stats.classes.get(ITEM_CLASS, 0)} ;",
        f"    void:distinctSubjects {stats.distinct_subjects} ;",
        f"    void:uriSpace \"{_esc(settings.handle_base.rstrip('/') + '/')}\" ;",
        f"    void:sparqlEndpoint <{base}/sparql> ;",
        f"    void:dataDump {', '.join(f'<{base}/dumps/{name}>' for name in sorted(stats.files))} ;",
    ]
    if stats.example:
        lines.append(f"    void:exampleResource <{stats.example}> ;")
    vocabularies = sorted({_namespace(p) for p in stats.properties} | {_namespace(c) for c in stats.classes})
    lines.append(f"    void:vocabulary {', '.join(f'<{v}>' for v in vocabularies)} ;")
    parts = []
    for i, (cls, n) in enumerate(sorted(stats.classes.items())):
        parts.append(f"[ void:class <{cls}> ; void:entities {n} ]")
    lines.append(f"    void:classPartition {', '.join(parts)} ;" if parts else "")
    parts = [f"[ void:property <{p}> ; void:triples {n} ]" for p, n in sorted(stats.properties.items())]
    lines.append(f"    void:propertyPartition {', '.join(parts)} ;" if parts else "")
    dist = []
    for name, (media, size, sha) in sorted(stats.files.items()):
        dist.append(
            f"[ a dcat:Distribution ; dcterms:title \"{name}\" ; dcat:downloadURL <{base}/dumps/{name}> ; "
            f"dcat:mediaType <{IANA}{media}> ; dcat:byteSize \"{size}\"^^xsd:nonNegativeInteger ; "
            f"dcterms:issued \"{issued}\"^^xsd:dateTime ; "
            f"spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue \"{sha}\"^^xsd:hexBinary ] ]"
        )
    lines.append(f"    dcat:distribution {', '.join(dist)} .")
    return ("\n".join(line for line in lines if line) + "\n").encode("utf-8")


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def _esc(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


