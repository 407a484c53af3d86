"""Handles: find them wherever DSpace puts them, and spell their URIs one way.

A handle is ``<prefix>/<suffix>`` (``11250/132277``). DSpace writes it as
``http://hdl.handle.net/...`` or ``https://hdl.handle.net/...`` in ``dc.identifier.uri``,
as the tail of the OAI identifier ``oai:<host>:<handle>``, as REST ``handle`` and as
xoai ``others/handle``; landing pages put it after ``/handle/``.
"""

from __future__ import annotations

import re

_HANDLE = r"(\d+(?:\.\d+)*/[^\s?#<>\"]+?)"
_HANDLE_URI = re.compile(r"^\s*https?://hdl\.handle\.net/" + _HANDLE + r"/?\s*$", re.IGNORECASE)
_LANDING_PAGE = re.compile(r"/(?:xmlui/|jspui/)?handle/" + _HANDLE + r"/?(?:[?#].*)?$")
_OAI_IDENTIFIER = re.compile(r"^oai:[^:]+:" + _HANDLE + r"$")
_BARE = re.compile(r"^" + _HANDLE + r"$")


def handle_from_uri(uri: str) -> str | None:
    """Return the handle in a ``hdl.handle.net`` URI (http or https) or a landing-page URL."""
    m = _HANDLE_URI.match(uri) or _LANDING_PAGE.search(uri.strip())
    return m.group(1) if m else None


def handle_from_oai_identifier(identifier: str) -> str | None:
    """Return the handle in ``oai:brage.example.no:11250/2990101``."""
    m = _OAI_IDENTIFIER.match(identifier.strip())
    return m.group(1) if m else None


def clean_handle(value: str) -> str | None:
    """Accept a bare handle (REST ``handle``, xoai ``others/handle``) or any URI form."""
    value = value.strip()
    if _BARE.match(value):
        return value
    return handle_from_uri(value)


def handle_uri(handle: str, base: str = "https://hdl.handle.net/") -> str:
    """The canonical URI of a handle: ``https://hdl.handle.net/11250/132277``."""
    return base.rstrip("/") + "/" + handle
