"""Email: one small interface (`send_email`) in front of the channel configured, SMTP.

Only braille and audio copies the caller asked to have by email use it. Set SMTP_HOST (and EMAIL_FROM) to
switch it on; unset, the request form does not offer email. Nothing here logs an address or a body.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    maintype: str
    subtype: str


class EmailRefused(Exception):
    """The mail server refused the recipient for good: sending again cannot help."""


class EmailNotSent(Exception):
    """The mail server could not be reached or answered with a temporary error: try again later."""


def email_is_set_up() -> bool:
    config = current_app.config
    return bool(config.get("SMTP_HOST") and config.get("EMAIL_FROM"))


def build_email(to: str, subject: str, body: str, attachments: tuple[Attachment, ...] = ()) -> EmailMessage:
    """A plain-text email (screen readers read plain text best), with any attachments."""
    message = EmailMessage()
    message["From"] = current_app.config["EMAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=current_app.config["EMAIL_FROM"].rpartition("@")[2] or None)
    message.set_content(body)
    for attachment in attachments:
        message.add_attachment(
            attachment.content, maintype=attachment.maintype, subtype=attachment.subtype, filename=attachment.filename
        )
    return message


def send_email(message: EmailMessage) -> str:
    """Hand one email to the SMTP server; return its Message-ID. EmailRefused or EmailNotSent otherwise."""
    config = current_app.config
    try:
        with smtplib.SMTP(
            config["SMTP_HOST"], int(config["SMTP_PORT"]), timeout=config["EMAIL_TIMEOUT_SECONDS"]
        ) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["SMTP_USERNAME"]:
                smtp.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = {code for code, _ in error.recipients.values()}
        if all(500 <= code < 600 for code in codes):
            raise EmailRefused(f"the mail server refused the address (SMTP {min(codes)})") from None
        raise EmailNotSent(f"the mail server deferred the address (SMTP {min(codes)})") from None
    except smtplib.SMTPResponseException as error:
        if 500 <= error.smtp_code < 600:
            raise EmailRefused(f"the mail server refused the email (SMTP {error.smtp_code})") from None
        raise EmailNotSent(f"the mail server answered {error.smtp_code}") from None
    except (OSError, smtplib.SMTPException) as error:
        raise EmailNotSent(f"the mail server could not be reached ({type(error).__name__})") from None
    return str(message["Message-ID"])
