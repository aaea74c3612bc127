"""pia: audit personal information for compliance with Chinese law."""

__version__ = "0.1.0"
