"""Limits of what the database stores, for the API to check at its edge.

A value past them would reach the driver and fail there (SQLite cannot bind an integer past
64 bits, PostgreSQL's ``integer`` stops at 32): a 500 instead of the 400 it deserves.
"""

ID_MAX = 2**31 - 1
"""The largest record id, and the largest offset worth asking for: ids are PostgreSQL
``serial`` columns, 32-bit integers."""
