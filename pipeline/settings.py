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
