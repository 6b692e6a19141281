"""Scenarios: an organization's history as a YAML file of dated events, replayed through
the services (see docs/scenarios.md)."""
