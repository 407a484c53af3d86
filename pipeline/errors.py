"""Every error lodpub raises, in one tree.

* LodpubError
  + SourceError        an input cannot be used at all (empty, binary, wrong encoding, not XML)
  + RecordError        one record is bad; carries record, field, position, why
    - ReadError        ... while reading it
    - MappingError     ... while mapping it to RDF
  + VocabularyError    a vocabulary source is damaged or inconsistent
  + StoreError         the store cannot be opened or written
  + HarvestError       an OAI-PMH endpoint misbehaves
    - OAIError         one subclass per OAI-PMH error code (see ``OAI_ERRORS``)

Per-record problems are normally *reported* (``pipeline.report.Report``), not raised:
only an unusable source stops a reader.
"""

from __future__ import annotations


class LodpubError(Exception):
    """Base of everything lodpub raises on purpose."""


class SourceError(LodpubError):
    """An input that cannot be read at all; the message names file and position."""

    def __init__(self, source: str, position: str | None, why: str) -> None:
        self.source = source
        self.position = position
        self.why = why
        where = f"{source}" + (f", {position}" if position else "")
        super().__init__(f"{where}: {why}")


class RecordError(LodpubError):
    """One record that cannot be used; the rest go on."""

    def __init__(
        self, why: str, *, handle: str | None = None, field: str | None = None, position: str | None = None
    ) -> None:
        self.why = why
        self.handle = handle
        self.field = field
        self.position = position
        super().__init__(why)


class ReadError(RecordError):
    """A record a reader could not make sense of."""


class MappingError(RecordError):
    """A record the mapping could not turn into RDF."""


class VocabularyError(LodpubError):
    """A damaged or inconsistent vocabulary source."""


class StoreError(LodpubError):
    """The store cannot be opened, read or written."""


class HarvestError(LodpubError):
    """An OAI-PMH endpoint that cannot be harvested."""


class OAIError(HarvestError):
    """An OAI-PMH error response (``<error code="...">``)."""

    code = "unknown"

    def __init__(self, message: str = "") -> None:
        self.message = message
        super().__init__(f"OAI-PMH error {self.code}: {message}".rstrip(": "))


class BadArgument(OAIError):
    code = "badArgument"


class BadResumptionToken(OAIError):
    code = "badResumptionToken"


class BadVerb(OAIError):
    code = "badVerb"


class CannotDisseminateFormat(OAIError):
    code = "cannotDisseminateFormat"


class IdDoesNotExist(OAIError):
    code = "idDoesNotExist"


class NoMetadataFormats(OAIError):
    code = "noMetadataFormats"


class NoSetHierarchy(OAIError):
    code = "noSetHierarchy"


# noRecordsMatch is deliberately absent: an empty incremental harvest is no error.
OAI_ERRORS: dict[str, type[OAIError]] = {
    cls.code: cls
    for cls in (
        BadArgument,
        BadResumptionToken,
        BadVerb,
        CannotDisseminateFormat,
        IdDoesNotExist,
        NoMetadataFormats,
        NoSetHierarchy,
    )
}
