"""lodpub's settings: one object, built by the CLI (flag > environment > default) and passed down.

Environment variables carry the prefix ``LODPUB_`` (``LODPUB_HANDLE_BASE``...).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="LODPUB_", extra="forbid")

    handle_base: str = Field(
        "https://hdl.handle.net/",
        description="Base of canonical item IRIs: an item is <handle_base><prefix>/<suffix>. The http:// form is linked with owl:sameAs.",
    )
    vocab_base: str = Field(
        "https://w3id.org/lodpub/vocab/",
        description="Base of vocabulary IRIs: VDP concepts are <vocab_base>vdp/<code>; the JSON-LD context is <vocab_base>context.jsonld.",
    )
    document_base: str = Field(
        "https://w3id.org/lodpub/handle/",
        description="Base of the IRI of each record's data document (<document_base><handle>), which also names the record's graph in the store.",
    )
    mapping: Path | None = Field(
        None, description="A TOML mapping table that extends or overrides the default DSpace-field-to-RDF mapping."
    )
    public_base: str = Field(
        "http://127.0.0.1:8000/",
        description="Public URL of the lodpub server: where the SPARQL endpoint and the dumps are announced in void.ttl.",
    )
    dataset_title: str = Field("Repository records as Linked Data", description="Title of the dataset in void.ttl.")
    store: str = Field(
        "var/store", description="Embedded store directory, or the http(s) URL of a SPARQL 1.1 server (query endpoint)."
    )

    dumps_dir: Path = Field(Path("var/dumps"), description="Directory the server serves under /dumps/ (what `lodpub dump -o` wrote).")
    sparql_timeout: float = Field(10.0, description="Seconds a SPARQL query may run before the client gets 503 with an explanation.")
    sparql_limit: int = Field(10_000, description="Most rows (or triples) a SPARQL answer carries; more are cut off, and the response says so in a header.")
    max_body: int = Field(5_000_000, description="Largest request body (bytes) POST /validate and POST /sparql accept; larger gets 413.")
    render_cache: int = Field(4096, description="Rendered record representations the server keeps in memory (0: none).")
    page_size: int = Field(50, description="Items per page on concept pages and in the paged scheme.")
    html_redirect: str | None = Field(
        None,
        description="If set, browsers asking for HTML get 303 See Other to this URL template instead of lodpub's page; {handle} is replaced (e.g. https://brage.example.no/handle/{handle}).",
    )

    @property
    def vdp_namespace(self) -> str:
        return self.vocab_base.rstrip("/") + "/vdp/"

    @property
    def context_url(self) -> str:
        return self.vocab_base.rstrip("/") + "/context.jsonld"

    def item_iri(self, handle: str) -> str:
        return self.handle_base.rstrip("/") + "/" + handle

    def document_iri(self, handle: str) -> str:
        return self.document_base.rstrip("/") + "/" + handle
