"""Storage: SQLAlchemy tables (the projections and the ledger), the unit of work, migrations."""
