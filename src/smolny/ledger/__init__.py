"""The ledger: domain events in an append-only log chained by SHA-256."""
