"""A learner's data as the GDPR sees it: what is personal, its export, its erasure.

``declarations`` says which of core's columns hold personal data (plugins say it of theirs
through ``essaim_personal_data``); ``links`` finds every table that leads to a learner.
"""
