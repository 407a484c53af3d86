"""The vocabularies records are classified with: VDP (SKOS), COAR resource types, languages."""
