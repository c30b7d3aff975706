"""Outgoing e-mail through the configured SMTP server, with the standard library only."""

import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def mail_enabled(config: Mapping) -> bool:
    return bool(config.get("MAIL_SERVER"))


def send_mail(config: Mapping, *, to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raise MailError when the server cannot be reached or refuses.

    Settings: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (STARTTLS), MAIL_USE_SSL (implicit TLS),
    MAIL_USERNAME and MAIL_PASSWORD (optional), MAIL_SENDER, MAIL_TIMEOUT.
    """
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_domain(config["MAIL_SENDER"]))
    message.set_content(body)

    host, port = config["MAIL_SERVER"], int(config.get("MAIL_PORT") or 25)
    encrypted = config.get("MAIL_USE_TLS") or config.get("MAIL_USE_SSL")
    if config.get("MAIL_USERNAME") and not encrypted:
        # smtplib would send the password readable by anyone on the network path.
        raise MailError(f"MAIL_USERNAME is set without MAIL_USE_TLS or MAIL_USE_SSL: the password "
                        f"is not sent to {host}:{port} in clear text")
    timeout = float(config.get("MAIL_TIMEOUT") or 10)
    # smtplib's own default context does not check certificates; this one does.
    context = ssl.create_default_context()
    try:
        if config.get("MAIL_USE_SSL"):
            connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
        with connection as smtp:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                smtp.starttls(context=context)
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException, ssl.SSLError) as error:
        raise MailError(f"{type(error).__name__} while sending to {host}:{port}") from error


def _domain(sender: str) -> str:
    address = sender.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "echo.invalid"
