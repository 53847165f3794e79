"""harvester-glossary-ls: the Harvester HCI glossary as a language server and a CLI check."""

__version__ = "0.1.0"
