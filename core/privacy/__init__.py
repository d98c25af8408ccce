"""A learner's data as the GDPR sees it: what is personal, its export, its erasure.

``declarations`` says which of core's columns hold personal data (plugins say it of theirs
through ``essaim_personal_data``); ``links`` and ``rows`` find every row that leads to a
learner; ``export`` and ``export_pdf`` give them to the person; ``erasure`` (with
``scrubbing``) empties them and logs it in ``tables.Erasure``. See docs/privacy.md.
"""
