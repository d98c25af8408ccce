"""Completion: assessment results, the owning program's completion decision, its override,
and the numbered completion attestation (RULES.md C5)."""
