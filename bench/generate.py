"""Write a synthetic, realistic corpus: gzipped OAI-PMH ListRecords pages in ``dim``.

Varied lengths, Norwegian (Bokmål and Nynorsk) and English texts, 1-8 authors with and
without authorities, dates of every precision, VDP strings in all their variants (full,
truncated, leaf-only, English, glued, lower-case), a deleted record now and then.
Deterministic for a given seed. Run: python bench/generate.py N OUT_DIR [--page-size 100]
"""

from __future__ import annotations

import argparse
import gzip
import random
from pathlib import Path
from xml.sax.saxutils import escape

NB_WORDS = "denne oppgaven undersøker hvordan kommuner organiserer samarbeid om tjenester og om modellen gir bedre resultater enn andre løsninger studien bygger på intervjuer med ledere i sektoren".split()
NN_WORDS = "denne oppgåva ser på korleis kommunane organiserer samarbeid om tenester og om modellen gjev betre resultat enn andre løysingar studien byggjer på intervju med leiarar i sektoren".split()
EN_WORDS = "this thesis examines how municipalities organise cooperation on services and whether the model delivers better results than other solutions the study draws on interviews with leaders in the sector".split()
SURNAMES = "Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen Halvorsen Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen Eide Knutsen Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Nguyen Rasmussen Ali Lunde Solheim Berge Moe Nygård Bakke".split()
GIVEN = "Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Anna Solveig Marianne Randi Ida Nina Jan Per Bjørn Ole Lars Kjell Knut Svein Arne Thomas Hans Geir Tor Morten Terje Odd Martin Erik".split()
VDP = [
    ("Samfunnsvitenskap: 200", "Statsvitenskap og organisasjonsteori: 240", "Offentlig og privat administrasjon: 242", "Social science: 200", "Political science and organizational theory: 240", "Public and private administration: 242"),
    ("Samfunnsvitenskap: 200", "Økonomi: 210", "Samfunnsøkonomi: 212", "Social science: 200", "Economics: 210", "Economics: 212"),
    ("Teknologi: 500", "Informasjons- og kommunikasjonsteknologi: 550", None, "Technology: 500", "Information and communication technology: 550", None),
    ("Medisinske Fag: 700", "Helsefag: 800", "Sykepleievitenskap: 808", "Medical disciplines: 700", "Health sciences: 800", "Nursing science: 808"),
    ("Humaniora: 000", "Kulturvitenskap: 060", None, "Humanities: 000", "Cultural science: 060", None),
    ("Matematikk og Naturvitenskap: 400", "Geofag: 450", None, "Mathematics and natural science: 400", "Geosciences: 450", None),
]
TYPES = ["Master thesis", "Master thesis", "Master thesis", "Journal article", "Doctoral thesis", "Bachelor thesis", "Report", "Chapter", "Research report", "Working paper"]


def sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."


def vdp_value(rng: random.Random) -> str:
    nb1, nb2, nb3, en1, en2, en3 = rng.choice(VDP)
    nb = [p for p in (nb1, nb2, nb3) if p]
    en = [p for p in (en1, en2, en3) if p]
    form = rng.randrange(7)
    if form == 0:
        return "VDP::" + "::".join(en)
    if form == 1:
        return "VDP::" + "::".join(nb[:2])  # truncated
    if form == 2:
        return nb[-1]  # leaf only, Cristin style
    if form == 3:
        return "vdp::" + "::".join(nb).lower()
    if form == 4:
        return "VDP::" + "::\n  ".join(nb)  # line breaks inside
    if form == 5:
        return "VDP::" + "::".join(nb) + "VDP::" + "::".join(en)  # two glued
    return "VDP::" + "::".join(nb)


def field(schema: str, element: str, qualifier: str | None, value: str, lang: str | None = None, authority: str | None = None, confidence: int | None = None) -> str:
    attrs = f'mdschema="{schema}" element="{element}"' + (f' qualifier="{qualifier}"' if qualifier else "") + (f' lang="{lang}"' if lang else "")
    if authority:
        attrs += f' authority="{authority}" confidence="{confidence}"'
    return f"<dim:field {attrs}>{escape(value)}</dim:field>"


def record_xml(i: int, rng: random.Random, prefix: str = "11250") -> str:
    handle = f"{prefix}/{3_000_000 + i}"
    header = f"<header><identifier>oai:bench.example.no:{handle}</identifier><datestamp>2024-01-{1 + i % 28:02d}T10:00:00Z</datestamp><setSpec>col_{prefix}_{100 + i % 50}</setSpec></header>"
    if rng.random() < 0.01:
        return f'<record><header status="deleted"><identifier>oai:bench.example.no:{handle}</identifier><datestamp>2024-02-01T10:00:00Z</datestamp></header></record>'
    lang = rng.choices(["nob", "nno", "eng"], [6, 1, 3])[0]
    words = {"nob": NB_WORDS, "nno": NN_WORDS, "eng": EN_WORDS}[lang]
    tag = rng.choice(["en", "en_US", "nb_NO", None])
    fields = []
    for a in range(rng.randint(1, 8)):
        authority = f"{rng.getrandbits(128):032x}" if rng.random() < 0.4 else None
        fields.append(field("dc", "contributor", "author", f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}", None, authority, 600 if authority else None))
    if rng.random() < 0.5:
        fields.append(field("dc", "contributor", "advisor", f"{rng.choice(SURNAMES)}, {rng.choice(GIVEN)}"))
    fields.append(field("dc", "date", "accessioned", "2019-08-21T10:14:02Z"))
    fields.append(field("dc", "date", "available", "2019-08-21T10:14:02Z"))
    fields.append(field("dc", "date", "issued", rng.choice(["2019", "2019-06", "2019-06-14", "2007", "2021-11"])))
    fields.append(field("dc", "identifier", "uri", f"https://hdl.handle.net/{handle}"))
    if rng.random() < 0.3:
        fields.append(field("dc", "identifier", "doi", f"https://doi.org/10.5555/bench.{i}"))
    abstract = " ".join(sentence(rng, words, rng.randint(8, 25)) for _ in range(rng.randint(2, 12)))
    if lang != "eng" and rng.random() < 0.5:
        abstract += " / " + " ".join(sentence(rng, EN_WORDS, rng.randint(8, 25)) for _ in range(rng.randint(2, 8)))
    fields.append(field("dc", "description", "abstract", abstract, tag))
    fields.append(field("dc", "language", "iso", lang, tag))
    fields.append(field("dc", "publisher", None, "Universitetet i Benchheim", tag))
    for _ in range(rng.randint(0, 6)):
        fields.append(field("dc", "subject", None, " ".join(rng.choice(words) for _ in range(rng.randint(1, 2))), tag))
    for _ in range(rng.choice([0, 1, 1, 1, 2])):
        fields.append(field("dc", "subject", "nsi", vdp_value(rng), tag))
    fields.append(field("dc", "title", None, sentence(rng, words, rng.randint(4, 14)).rstrip("."), tag))
    if rng.random() < 0.3:
        fields.append(field("dc", "title", "alternative", sentence(rng, EN_WORDS, rng.randint(4, 12)).rstrip("."), tag))
    fields.append(field("dc", "type", None, rng.choice(TYPES), tag))
    fields.append(field("dc", "format", "mimetype", "application/pdf"))
    fields.append(field("dc", "format", "extent", f"{rng.randint(10_000, 9_000_000)} bytes"))
    body = "\n".join(fields)
    return f'<record>{header}<metadata><dim:dim xmlns:dim="http://www.dspace.org/xmlns/dspace/dim">\n{body}\n</dim:dim></metadata></record>'


def write_corpus(n: int, out: Path, page_size: int = 100, seed: int = 42) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pages = []
    for page, start in enumerate(range(0, n, page_size)):
        end = min(n, start + page_size)
        token = f"dim////{end}" if end < n else ""
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
            "<responseDate>2024-03-05T09:20:03Z</responseDate><request verb=\"ListRecords\" metadataPrefix=\"dim\">https://bench.example.no/oai/request</request><ListRecords>"
            + "".join(record_xml(i, rng) for i in range(start, end))
            + f'<resumptionToken completeListSize="{n}" cursor="{page}">{token}</resumptionToken></ListRecords></OAI-PMH>'
        )
        path = out / f"page-{page:06d}.xml.gz"
        with gzip.open(path, "wb", compresslevel=1) as f:
            f.write(xml.encode("utf-8"))
        pages.append(path)
    return pages


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--page-size", type=int, default=100)
    args = ap.parse_args()
    pages = write_corpus(args.n, args.out, args.page_size)
    print(f"{args.n} records in {len(pages)} pages under {args.out}")
