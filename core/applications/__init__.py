"""Applications (candidatures): the status pipeline, eligibility decisions, placement results."""
