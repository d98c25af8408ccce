"""Backups of the configured database into one checked file, and their restore.

``create`` writes the file, ``restore`` puts it back; ``sqlite`` and ``postgres`` copy and load
each engine's database; ``archive`` and ``manifest`` are the file and what it says about itself;
``migrations`` compares a backup's schema with the installed code's.
"""
