"""liyang-ip: county-level intellectual-property planning analytics for Liyang (溧阳市) and Changzhou."""

__version__ = "0.1.0"
