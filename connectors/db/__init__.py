"""Shared machinery of the database connectors (SQLite, PostgreSQL, MySQL/MariaDB).

Each engine module only says how to connect read-only, how to reflect its catalogue and how to
fetch a partition's rows; planning, sampling, classification and facts live here, so the three
engines classify the same estate the same way.
"""
