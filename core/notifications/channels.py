"""Which notifier sends a message: the channel's, configured from the message's site file.

E-mail goes through the site's SMTP server (``[mail]`` in its file). SMS has its channel
value and the notifier interface waiting for it; no provider is wired yet, so an SMS fails
with a reason the site manager can read.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from core.notifications.notifier import Notifier, Undeliverable
from core.notifications.schemas import Channel
from core.notifications.smtp import SmtpNotifier
from core.sites.loader import Site


def notifier_for(
    site: Site | None, channel: Channel, environ: Mapping[str, str] | None = None
) -> Notifier:
    """The notifier that sends ``channel`` messages for ``site``; Undeliverable when none can.

    The mail password is read from the environment variable the site file names, each time:
    a worker restarted with the variable set sends at once.
    """
    if site is None:
        raise Undeliverable("the message's site is not loaded (no site file for it)")
    if channel is Channel.SMS:
        raise Undeliverable("no SMS provider is configured yet")
    mail = site.config.mail
    if mail is None:
        raise Undeliverable(f"site {site.slug!r} has no [mail] block in its site file")
    env = os.environ if environ is None else environ
    password = ""
    if mail.password_env:
        password = env.get(mail.password_env, "")
        if not password:
            raise Undeliverable(
                f"environment variable {mail.password_env} (the mail password of site "
                f"{site.slug!r}) is not set for the worker"
            )
    return SmtpNotifier(mail, password=password)
