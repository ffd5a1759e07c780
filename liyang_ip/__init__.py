"""liyang-ip: county-level intellectual-property planning analytics for a county-level unit against its sibling units (geography from region sets)."""

__version__ = "0.1.0"
