"""Essaim's benchmarks: figures and ratios against baselines measured in the same run.

``python -m bench --size quick|full [--only NAME]`` runs them (``make bench-quick``,
``make bench``); each prints a table and writes ``bench/results/<name>.json``. They measure,
they do not judge: no threshold on speed makes a run fail, only an error does.
"""

SIZES = ("quick", "full")
"""``quick`` takes about 90 s in all (CI; a third of it the load benchmark, ``api``); ``full``
much longer (``api`` alone drives five endpoints for a minute each)."""
