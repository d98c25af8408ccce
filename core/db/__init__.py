"""Database wiring: engines, the Piccolo app registry built from installed plugins, migrations."""
