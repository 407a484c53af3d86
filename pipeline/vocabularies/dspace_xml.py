"""DSpace controlled-vocabulary XML (VDP / NSI) -> a SKOS concept scheme.

The files nest ``<node id="242" label="Offentlig og privat administrasjon: 242">`` inside
``<isComposedBy>``; the hierarchy is that nesting and nothing else (100-170 sit under
000, 800 under 700: arithmetic on codes is wrong). Public copies come Norwegian-only,
English-only, as two trees under one root split by a ``<node id="0" label="">`` divider,
or bilingual with ``labeleng``. Many copies are damaged; every damage is reported and a
damaged file is never imported: mojibake ("Spr??k"), invalid UTF-8, CRLF line ends,
duplicated ids, and labels or parents that differ between files for one code.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree
from rdflib import RDF, SKOS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL

from ..report import Report
from ..resources import data_file

DEFAULT_NAMESPACE = "https://w3id.org/lodpub/vocab/vdp/"
_SUFFIX = re.compile(r"\s*:\s*(\d{1,3})\s*$")
_NB_SIGNS = re.compile(r"[æøåÆØÅ]|\b(og|fag|vitenskap|språk|andre|medisin|teknologi|historie|kunst)\b", re.IGNORECASE)
_EN_SIGNS = re.compile(r"\b(and|science|sciences|studies|language|languages|other|history|medicine|technology|engineering)\b", re.IGNORECASE)


def normalise_label(raw: str) -> str:
    """The label as shown: code suffix removed, NFC, U+2011 as '-', spaces collapsed."""
    text = _SUFFIX.sub("", raw)
    text = unicodedata.normalize("NFC", text).replace("\u2011", "-").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def strip_code(raw: str) -> str:
    return _SUFFIX.sub("", raw).strip()


@dataclass
class Node:
    code: str
    labels: dict[str, str]  # language -> raw label, "?" until the tree's language is known
    parent: str | None
    file: str
    line: int


@dataclass
class Tree:
    file: str
    nodes: list[Node] = field(default_factory=list)
    language: str = "?"


def blob_id(data: bytes) -> str:
    """Git's blob id of a file, to cite a known public copy by its URL."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def read_vocabulary_file(path: Path, report: Report) -> tuple[list[Tree], bool]:
    """Parse one file into its trees and say whether it is damaged (then it is not imported).

    A damaged file is still parsed as far as possible, so that its other faults (a
    truncated label, say) can be found by comparing it with the good files.
    """
    name = str(path)
    data = path.read_bytes()
    damaged = False
    if b"\r\n" in data:
        report.warning("CRLF line ends (a copy edited on Windows); the content is read as if LF", source=name, code="crlf")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data.decode("utf-8", errors="replace").count("\ufffd")
        report.error(f"invalid UTF-8: {bad} broken byte sequence(s), first {data[exc.start:exc.start + 2].hex(' ')} (e.g. 'Ø' damaged to C3 3F); file not imported", source=name, position=f"line {line}", code="invalid-utf8")
        data = data.decode("utf-8", errors="replace").encode("utf-8")
        damaged = True
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        report.error(f"not well-formed XML: {exc.msg}; file not imported", source=name, position=f"line {exc.position[0]}", code="xml")
        return [], True
    if root.tag != "node" or root.get("id") != "VDP":
        report.error('root is not <node id="VDP">; not a VDP vocabulary', source=name, code="root")
        return [], True
    trees = [Tree(name)]
    for top in _children(root):
        if top.get("id") == "0" and not (top.get("label") or "").strip():
            report.info("divider node id=0 with an empty label: a second tree follows", source=name, position=f"line {top.sourceline}", code="divider")
            trees.append(Tree(name))
            continue
        _walk(top, None, trees[-1], name, report)
    mojibake: list[Node] = []
    for tree in trees:
        for node in tree.nodes:
            for raw in node.labels.values():
                if "?" in raw:
                    mojibake.append(node)
                    break
                m = _SUFFIX.search(raw)
                if raw and (not m or m.group(1) != node.code):
                    report.warning(f"label {raw!r} does not end with its code {node.code}", source=name, position=f"line {node.line}", code="label-code")
        _set_language(tree)
        counts = Counter(n.code for n in tree.nodes)
        for code, n in sorted(counts.items()):
            if n > 1:
                lines = [str(x.line) for x in tree.nodes if x.code == code]
                report.warning(f"code {code} appears {n} times (lines {', '.join(lines)})", source=name, code="duplicate-id")
    trees = [t for t in trees if t.nodes]
    if mojibake:
        first = mojibake[0]
        report.error(
            f"mojibake: {len(mojibake)} labels have '?' where non-ASCII letters were "
            f"(first: {next(iter(first.labels.values()))!r}); file not imported",
            source=name, position=f"line {first.line}", code="mojibake",
        )
        damaged = True
    return trees, damaged


def _children(elem: etree._Element) -> Iterable[etree._Element]:
    for group in elem:
        if isinstance(group.tag, str) and group.tag == "isComposedBy":
            yield from (n for n in group if isinstance(n.tag, str) and n.tag == "node")


def _walk(elem: etree._Element, parent: str | None, tree: Tree, name: str, report: Report) -> None:
    code = (elem.get("id") or "").strip()
    if not re.fullmatch(r"\d{3}", code):
        report.error(f"node id {code!r} is not a three-digit code: node and its children skipped", source=name, position=f"line {elem.sourceline}", code="bad-id")
        return
    labels = {"?": elem.get("label") or ""}
    if elem.get("labeleng") is not None:
        labels = {"nb": elem.get("label") or "", "en": elem.get("labeleng") or ""}
    tree.nodes.append(Node(code, labels, parent, name, elem.sourceline or 0))
    for child in _children(elem):
        _walk(child, code, tree, name, report)


def _set_language(tree: Tree) -> None:
    """Tell a single-language tree's language from its labels (file names are unreliable)."""
    if all("?" not in n.labels for n in tree.nodes):
        tree.language = "nb+en"
        return
    text = " ".join(n.labels["?"] for n in tree.nodes)
    tree.language = "nb" if len(_NB_SIGNS.findall(text)) >= len(_EN_SIGNS.findall(text)) else "en"
    for n in tree.nodes:
        n.labels = {tree.language: n.labels.pop("?")}


@dataclass
class Concept:
    code: str
    parent: str | None
    pref: dict[str, str] = field(default_factory=dict)
    alt: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    hidden: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)


def merge_trees(trees: list[Tree], report: Report) -> dict[str, Concept]:
    """One concept per code, labels agreed between files; disagreements are reported."""
    parents: dict[str, Counter[str | None]] = defaultdict(Counter)
    # (code, lang) -> tree index -> normalised label -> first raw form
    labels: dict[tuple[str, str], dict[int, dict[str, tuple[str, Node]]]] = defaultdict(lambda: defaultdict(dict))
    for t_index, tree in enumerate(trees):
        for node in tree.nodes:
            parents[node.code][node.parent] += 1
            for lang, raw in node.labels.items():
                labels[(node.code, lang)][t_index].setdefault(normalise_label(raw), (raw, node))
    concepts: dict[str, Concept] = {}
    for code, counter in parents.items():
        if len(counter) > 1:
            report.error(f"code {code} has different parents in different files: {dict(counter)}", code="parent-conflict", field=code)
        concepts[code] = Concept(code, counter.most_common(1)[0][0])
    for (code, lang), per_tree in labels.items():
        votes: Counter[str] = Counter()
        for forms in per_tree.values():
            votes.update(forms.keys())
        order = [label for forms in per_tree.values() for label in forms]
        best = max(votes, key=lambda label: (votes[label], max(i for i, x in enumerate(order) if x == label)))
        concept = concepts[code]
        concept.pref[lang] = best
        for t_index, forms in per_tree.items():
            for label, (raw, node) in forms.items():
                raw_text = strip_code(raw)
                if raw_text != label and raw_text not in concept.hidden[lang]:
                    concept.hidden[lang].append(raw_text)
                if label == best:
                    continue
                if best in forms:
                    # Two labels for one code in one file: DSpace's own nsi.xml has 835 twice.
                    if label not in concept.alt[lang]:
                        concept.alt[lang].append(label)
                        concept.notes.append(
                            f"{Path(node.file).name} lists code {code} twice, as {label!r} and {best!r}; "
                            f"{best!r} is kept as the preferred label (as in {votes[best]} of the source trees) and {label!r} as an alternative label."
                        )
                    report.warning(f"code {code}@{lang}: duplicate label {label!r} kept as skos:altLabel, {best!r} preferred", source=node.file, position=f"line {node.line}", code="duplicate-id", field=code)
                else:
                    report.error(f"code {code}@{lang}: labels differ between files: {label!r} ({Path(node.file).name} line {node.line}) vs {best!r}", source=node.file, position=f"line {node.line}", code="label-conflict", field=code)
    for concept in concepts.values():
        for lang in ("nb", "en"):
            if lang not in concept.pref:
                report.warning(f"code {concept.code} has no {lang} label in the sources", code="missing-label", field=concept.code)
    return concepts


def known_source_uri(data: bytes, fallback: str) -> str:
    table = tomllib.loads(data_file("vocab", "sources/SOURCES.toml").read_text("utf-8"))["blobs"]
    return table.get(blob_id(data), fallback)


def build_scheme(concepts: dict[str, Concept], sources: list[str], namespace: str = DEFAULT_NAMESPACE) -> Graph:
    """The SKOS graph: one scheme, one concept per code, hierarchy from the nesting."""
    ns = Namespace(namespace if namespace.endswith(("/", "#")) else namespace + "/")
    scheme = URIRef(str(ns).rstrip("/#"))
    uhr = URIRef("https://www.uhr.no/")
    g = Graph()
    g.bind("skos", SKOS)
    g.bind("dcterms", DCTERMS)
    g.bind("foaf", FOAF)
    g.bind("vdp", ns)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, DCTERMS.title, Literal("Norsk inndeling av vitenskapsdisipliner", lang="nb")))
    g.add((scheme, DCTERMS.title, Literal("Norwegian classification of scientific disciplines", lang="en")))
    g.add((scheme, DCTERMS.alternative, Literal("VDP", lang="nb")))
    g.add((scheme, DCTERMS.alternative, Literal("Norwegian Science Index (NSI)", lang="en")))
    g.add((scheme, DCTERMS.creator, uhr))
    g.add((scheme, DCTERMS.publisher, uhr))
    g.add((scheme, DCTERMS.created, Literal("2003", datatype=XSD.gYear)))
    g.add((uhr, RDF.type, FOAF.Organization))
    g.add((uhr, FOAF.name, Literal("Universitets- og høgskolerådet", lang="nb")))
    g.add((uhr, FOAF.name, Literal("Norwegian Association of Higher Education Institutions", lang="en")))
    for source in sources:
        g.add((scheme, DCTERMS.source, URIRef(source) if re.match(r"^https?://", source) else Literal(source)))
    g.add((scheme, DCTERMS.rights, Literal(
        "Norsk inndeling av vitenskapsdisipliner ble laget i 2003 for Universitets- og høgskolerådet (UHR). "
        "Klassifikasjonen har ingen uttrykkelig lisens; rettighetene til innholdet ligger hos UHR.", lang="nb")))
    g.add((scheme, DCTERMS.rights, Literal(
        "The classification was created in 2003 for the Norwegian Association of Higher Education Institutions (UHR). "
        "It carries no explicit licence; the rights in its content belong to UHR. This SKOS rendering is "
        "generated by lodpub from the DSpace controlled-vocabulary files cited as dcterms:source.", lang="en")))
    g.add((scheme, OWL.versionInfo, Literal("lodpub rendering of the 2003 classification")))
    for code in sorted(concepts):
        c = concepts[code]
        uri = ns[code]
        g.add((uri, RDF.type, SKOS.Concept))
        g.add((uri, SKOS.inScheme, scheme))
        g.add((uri, SKOS.notation, Literal(code)))
        for lang, label in sorted(c.pref.items()):
            g.add((uri, SKOS.prefLabel, Literal(label, lang=lang)))
        for lang, labels in sorted(c.alt.items()):
            for label in labels:
                g.add((uri, SKOS.altLabel, Literal(label, lang=lang)))
        for lang, labels in sorted(c.hidden.items()):
            for label in labels:
                if label not in c.alt.get(lang, []) and label != c.pref.get(lang):
                    g.add((uri, SKOS.hiddenLabel, Literal(label, lang=lang)))
        for note in c.notes:
            g.add((uri, SKOS.changeNote, Literal(note, lang="en")))
        if c.parent is None:
            g.add((uri, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, uri))
        else:
            g.add((uri, SKOS.broader, ns[c.parent]))
            g.add((ns[c.parent], SKOS.narrower, uri))
    return g


def import_dspace(paths: list[Path], report: Report, namespace: str = DEFAULT_NAMESPACE) -> Graph:
    """Read, check and merge DSpace vocabulary files into one SKOS graph."""
    trees: list[Tree] = []
    rejected: list[Tree] = []
    sources = []
    for path in paths:
        got, damaged = read_vocabulary_file(path, report)
        if damaged:
            rejected.extend(got)
        elif got:
            trees.extend(got)
            sources.append(known_source_uri(path.read_bytes(), path.name))
            report.info(f"imported {len(got)} tree(s): {', '.join(t.language for t in got)}", source=str(path), code="imported")
    concepts = merge_trees(trees, report)
    compare_rejected(rejected, concepts, report)
    return build_scheme(concepts, sources, namespace)


def compare_rejected(trees: list[Tree], concepts: dict[str, Concept], report: Report) -> None:
    """Name the other faults of damaged files: labels that differ from the good sources."""
    for tree in trees:
        for node in tree.nodes:
            concept = concepts.get(node.code)
            for lang, raw in node.labels.items():
                label = normalise_label(raw)
                if concept is None or lang not in concept.pref or "?" in raw or "\ufffd" in raw:
                    continue
                if label != concept.pref[lang] and label not in concept.alt.get(lang, []):
                    report.error(f"code {node.code}@{lang}: label {label!r} differs from the good sources' {concept.pref[lang]!r}", source=node.file, position=f"line {node.line}", code="label-conflict", field=node.code)
