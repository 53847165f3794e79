"""The glossary engine: parsing, indexing, scanning and rules. Knows nothing of LSP."""
