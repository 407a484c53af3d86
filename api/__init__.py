"""The Linked Data server (FastAPI). Empty until the server issue lands."""
