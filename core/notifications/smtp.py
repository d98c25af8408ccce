"""E-mail through a site's SMTP server, with the standard library's client in a thread.

``smtplib`` rather than an async client: the worker sends one message at a time, so a
thread per send costs nothing measurable, and the standard library's client (STARTTLS,
implicit TLS, login, timeouts) is one dependency fewer to pin and audit.

Every failure is turned into a DeliveryError (retried) or an Undeliverable (not retried)
whose text names the server and the SMTP code, never the address or the message: an SMTP
server's own reply often quotes the recipient.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import smtplib
import ssl
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, make_msgid, parseaddr

from core.notifications.notifier import DeliveryError, Outgoing, SendFailed, Undeliverable
from core.notifications.schemas import Channel
from core.sites.schema import Mail

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for the server at each step; a hung server must not hold the worker."""
IMPLICIT_TLS_PORT = 465
"""The port where TLS starts with the connection; on any other, STARTTLS when offered."""

_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _code(code: int) -> str:
    return f"SMTP {code}"


class SmtpNotifier:
    """Sends e-mail for one site from its ``[mail]`` settings.

    The login (when ``username`` is set) only goes over TLS, or to a relay on this machine.
    """

    channel = Channel.EMAIL

    def __init__(self, mail: Mail, *, password: str = "", timeout: float = DEFAULT_TIMEOUT):
        self.mail = mail
        self._password = password
        self.timeout = timeout

    @property
    def server(self) -> str:
        """``host:port``, as failures name it."""
        return f"{self.mail.host}:{self.mail.port}"

    def compose(self, outgoing: Outgoing) -> EmailMessage:
        """The e-mail for ``outgoing``: plain UTF-8 text, replies going to the site's sender."""
        if not _ADDRESS.match(outgoing.to):
            raise Undeliverable("the learner's e-mail address is not valid")
        domain = parseaddr(self.mail.sender)[1].rpartition("@")[2] or "essaim.invalid"
        message = EmailMessage(policy=SMTP_POLICY)
        message["From"] = self.mail.sender
        message["To"] = outgoing.to
        message["Subject"] = outgoing.subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = make_msgid(idstring=f"essaim.{outgoing.message_id}", domain=domain)
        # Tells vacation responders not to answer; a person's reply is welcome.
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(outgoing.body)
        return message

    async def send(self, outgoing: Outgoing) -> None:
        """Send ``outgoing``; DeliveryError or Undeliverable, with a safe reason, on failure."""
        message = self.compose(outgoing)
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        try:
            self._deliver(message)
        except SendFailed:
            raise
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _ in exc.recipients.values()})
            shown = ", ".join(_code(code) for code in codes)
            if all(code >= 500 for code in codes):
                raise Undeliverable(f"the mail server refused the address ({shown})") from None
            raise DeliveryError(f"the mail server refused the address for now ({shown})") from None
        except smtplib.SMTPAuthenticationError as exc:
            raise DeliveryError(
                f"the mail server {self.server} refused the login ({_code(exc.smtp_code)})"
            ) from None
        except smtplib.SMTPSenderRefused as exc:
            raise DeliveryError(
                f"the mail server {self.server} refused the sender address ({_code(exc.smtp_code)})"
            ) from None
        except smtplib.SMTPDataError as exc:
            if exc.smtp_code >= 500:
                raise Undeliverable(
                    f"the mail server refused the message ({_code(exc.smtp_code)})"
                ) from None
            raise DeliveryError(
                f"the mail server refused the message for now ({_code(exc.smtp_code)})"
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"the mail server {self.server} answered {_code(exc.smtp_code)}"
            ) from None
        except smtplib.SMTPServerDisconnected:
            raise DeliveryError(f"the mail server {self.server} closed the connection") from None
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"mail error with {self.server} ({type(exc).__name__})") from None
        except ssl.SSLError as exc:
            raise DeliveryError(f"TLS failed with {self.server} ({type(exc).__name__})") from None
        except TimeoutError:
            raise DeliveryError(f"the mail server {self.server} did not answer in time") from None
        except OSError as exc:
            raise DeliveryError(
                f"could not reach the mail server {self.server} ({type(exc).__name__})"
            ) from None

    def _deliver(self, message: EmailMessage) -> None:
        mail = self.mail
        client: smtplib.SMTP
        if mail.port == IMPLICIT_TLS_PORT:
            client = smtplib.SMTP_SSL(
                mail.host, mail.port, timeout=self.timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(mail.host, mail.port, timeout=self.timeout)
        with client:
            encrypted = isinstance(client, smtplib.SMTP_SSL)
            client.ehlo()
            if not encrypted and client.has_extn("starttls"):
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
                encrypted = True
            if mail.username:
                if not encrypted and not _is_loopback(mail.host):
                    raise Undeliverable(
                        f"the mail server {self.server} offers no TLS: the password is not "
                        "sent in clear text"
                    )
                client.login(mail.username, self._password)
            client.send_message(message)
