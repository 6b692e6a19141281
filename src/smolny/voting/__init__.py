"""Counting votes: ballots as arrays, every method councils use, ballot files.

Pure: numpy and the standard library only. Every method returns a `CountResult` with its
rounds, so that a person can check the count by hand, and every tie it met.
"""
