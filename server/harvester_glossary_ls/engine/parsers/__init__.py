"""Glossary source parsers, one module per format; each returns a ParseResult and never raises."""
