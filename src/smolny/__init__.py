"""Smolny: software for council democracy."""

__version__ = "0.1.0"
