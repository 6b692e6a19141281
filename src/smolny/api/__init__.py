"""The JSON API (FastAPI); OpenAPI at /docs."""
