"""The pure domain: councils, delegates, mandates, apportionment, events.

Nothing here imports a database, web or file library; adapters depend on it.
"""
