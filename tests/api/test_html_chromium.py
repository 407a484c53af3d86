"""The HTML pages as a real headless Chromium renders them (Debian's chromium; .ci/run installs it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from lxml import html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def render(url: str, tmp: Path, lang: str = "en-US") -> html.HtmlElement:
    """The DOM after Chromium loaded and rendered the page."""
    args = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp}", f"--lang={lang}", f"--accept-lang={lang}", "--dump-dom", url]
    out = subprocess.run(args, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    return html.fromstring(out.stdout)


def text(doc: html.HtmlElement, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in doc.xpath(xpath)]


def test_record_page_in_english_and_norwegian(server, tmp_path):
    doc = render(server.url + "/handle/11250/132277", tmp_path / "a")
    assert text(doc, "//h1")[0].startswith("Klyngeinitiativ i Hedmark")
    assert "Hilde Kristin Westgaard" in text(doc, "//p[@class='authors']")[0] and "Petter Lexander" in text(doc, "//p[@class='authors']")[0]
    crumbs = text(doc, "//nav[contains(@class,'vdp')]")
    assert "Social science › Political science and organizational theory › Public and private administration" in crumbs
    assert "Abstract" in " ".join(text(doc, "//section[@class='abstract']/h2"))
    hrefs = doc.xpath("//section[@class='formats']//a/@href")
    assert {h.rsplit(".", 1)[-1] for h in hrefs} == {"ttl", "jsonld", "nt", "rdf", "nq"}
    assert doc.xpath("//script[@type='application/ld+json']") and doc.xpath("//meta[@name='citation_title']")
    assert doc.xpath("//html/@lang") == ["en"]

    nb = render(server.url + "/handle/11250/132277", tmp_path / "b", lang="nb-NO")
    assert nb.xpath("//html/@lang") == ["nb"]
    assert "Samfunnsvitenskap › Statsvitenskap og organisasjonsteori › Offentlig og privat administrasjon" in text(nb, "//nav[contains(@class,'vdp')]")
    assert "Sammendrag" in " ".join(text(nb, "//section[@class='abstract']/h2"))
    switched = render(server.url + "/handle/11250/132277?lang=en", tmp_path / "c", lang="nb-NO")
    assert switched.xpath("//html/@lang") == ["en"]


def test_concept_page_breadcrumb_narrower_and_items(server, tmp_path):
    doc = render(server.url + "/vocab/vdp/240?lang=nb", tmp_path / "d")
    assert text(doc, "//h1")[0].startswith("Statsvitenskap og organisasjonsteori")
    assert text(doc, "//nav[@class='breadcrumb']")[0] == "VDP › Samfunnsvitenskap"
    narrower = text(doc, "//ul[@class='narrower']/li")
    assert any(n.startswith("Offentlig og privat administrasjon") for n in narrower)
    leaf = render(server.url + "/vocab/vdp/242", tmp_path / "e")
    items = text(leaf, "//section[@class='items']//li")
    assert any("Klyngeinitiativ i Hedmark" in i for i in items) and any("Innbyggerpaneler" in i for i in items)
    assert text(leaf, "//nav[@class='breadcrumb']")[0] == "VDP › Social science › Political science and organizational theory"
