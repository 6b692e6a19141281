"""Use cases: one function per action, one transaction each, called by the API and the CLI.

Each opens the unit of work it is given, checks (`check_*`), writes through events
(`do_*`) and commits; a refusal raises a DomainError and changes nothing.
"""
