"""Reporting for the central team: indicators over every site, aggregated in SQL, with
small-count suppression for those who may not see learner-level data (RULES.md, Indicators)."""
