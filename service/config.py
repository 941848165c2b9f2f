"""Settings: one short class chain, chosen by SURVEY_LINE_ENV, values from the environment."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("SURVEY_LINE_INSTANCE", PROJECT_ROOT / "instance"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        # Heroku-style URLs: SQLAlchemy only knows the postgresql scheme.
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{INSTANCE_DIR / 'survey_line.db'}"


def _embedded_redis_url() -> str:
    from service.redis_server import embedded_url

    return embedded_url(INSTANCE_DIR)


class Config:
    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # Unset means "the embedded Redis that `make run` starts", whose URL it writes to instance/redis.url so
    # the CLI beside it finds it; see service/redis_server.py.
    REDIS_URL = os.environ.get("REDIS_URL", "") or _embedded_redis_url()

    # Request bodies are capped, refused with 413 before they are read: staff uploads (a stack of scanned
    # returns) up to this; the phone menu's webhooks, a few kilobytes from Twilio, at PHONE_MENU_MAX_BODY.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(512 * 1024 * 1024)))
    PHONE_MENU_MAX_BODY = 64 * 1024

    SESSION_COOKIE_NAME = "survey_line_session"
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    # Staff sessions end after this long without a request.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "30")))
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session; idle timeout bounds both

    # Sign-in limits (service/auth/throttle.py): LOCK_AFTER failures on one username from one address lock
    # that address out of it for LOCK_MINUTES; ADDRESS_LIMIT failures from one address, whatever the
    # usernames, stop it for ADDRESS_MINUTES; ACCOUNT_LIMIT failures on one username from addresses it never
    # signed in from hold all such addresses for ACCOUNT_MINUTES (its familiar addresses still get in).
    SIGN_IN_LOCK_AFTER = int(os.environ.get("SIGN_IN_LOCK_AFTER", "10"))
    SIGN_IN_LOCK_MINUTES = int(os.environ.get("SIGN_IN_LOCK_MINUTES", "30"))
    SIGN_IN_ADDRESS_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_LIMIT", "30"))
    SIGN_IN_ADDRESS_MINUTES = int(os.environ.get("SIGN_IN_ADDRESS_MINUTES", "15"))
    SIGN_IN_ACCOUNT_LIMIT = int(os.environ.get("SIGN_IN_ACCOUNT_LIMIT", "20"))
    SIGN_IN_ACCOUNT_MINUTES = int(os.environ.get("SIGN_IN_ACCOUNT_MINUTES", "15"))
    # Trusted proxies in front of the app that add the client's address to X-Forwarded-For (0: none).
    FORWARDED_PROXIES = int(os.environ.get("FORWARDED_PROXIES", "0"))

    # Working days allowed for alternative formats (braille, audio, easy read, another language).
    ALTERNATIVE_FORMAT_WORKING_DAYS = 10

    # Personal data is erased this many days after a consultation closes (counts and answers are kept).
    PERSONAL_DATA_RETENTION_DAYS = int(os.environ.get("PERSONAL_DATA_RETENTION_DAYS", "90"))
    RETENTION_RUN_AT = os.environ.get("RETENTION_RUN_AT", "02:30")
    # Scanned pages nobody could place belong to no pack, so no consultation's date reaches them: their
    # images (and uploads never read) are deleted this many days after they were scanned.
    UNPLACED_SCAN_RETENTION_DAYS = int(os.environ.get("UNPLACED_SCAN_RETENTION_DAYS", "90"))
    # Generated print batches; on more than one machine, point this at shared storage.
    FILE_STORE_DIR = os.environ.get("FILE_STORE_DIR", str(INSTANCE_DIR / "files"))
    # Print runs: every day at this UK time, ready packs are gathered into batches.
    PRINT_RUN_AT = os.environ.get("PRINT_RUN_AT", "16:00")
    # Packs the batch builder looks up at a time, recording its progress (and noticing a cancel) after each.
    BATCH_CHUNK_PACKS = int(os.environ.get("BATCH_CHUNK_PACKS", "200"))
    # Who prints and posts: a module of service/print_providers/ ("local": print batches made here; "notify":
    # each pack of up to NOTIFY_MAX_PAGES pages to GOV.UK Notify's precompiled-letter API, longer ones still
    # in print batches). Read only by service/print_providers/.
    PRINT_PROVIDER = os.environ.get("PRINT_PROVIDER", "local")
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY", "")
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
    NOTIFY_POSTAGE = os.environ.get("NOTIFY_POSTAGE", "second")
    NOTIFY_MAX_PAGES = 10
    # A pack renders in well under a second; an audio copy takes 15-30 s each, up to 5 copies a request.
    RENDER_JOB_TIMEOUT_SECONDS = 600
    # Where to look for liblouis's lou_translate, espeak-ng and ffmpeg (braille and audio); default: the PATH.
    # Without them the service still runs, and braille and audio go on the list made by hand.
    FORMAT_TOOLS_PATH = os.environ.get("FORMAT_TOOLS_PATH", "")
    BATCH_JOB_TIMEOUT_SECONDS = 3600
    SCAN_JOB_TIMEOUT_SECONDS = 3600  # a stack of a thousand pages reads in a few minutes on one worker

    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # Email (service/emails/): braille and audio copies the caller asks to have by email. Unset SMTP_HOST: no email.
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_STARTTLS = _flag("SMTP_STARTTLS", True)
    EMAIL_FROM = os.environ.get("EMAIL_FROM", "")
    EMAIL_TIMEOUT_SECONDS = float(os.environ.get("EMAIL_TIMEOUT_SECONDS", "20"))
    # A download link (audio sent by email or text) works this many days, for the one copy it was made for.
    DOWNLOAD_LINK_DAYS = int(os.environ.get("DOWNLOAD_LINK_DAYS", "28"))
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
    # Texts with the reference and handlers' callbacks use Twilio's REST API as this account.
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
    TWILIO_API_BASE_URL = os.environ.get("TWILIO_API_BASE_URL", "")  # unset: Twilio's own API
    TWILIO_API_TIMEOUT_SECONDS = float(os.environ.get("TWILIO_API_TIMEOUT_SECONDS", "10"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Phone menu (service/ivr). Switching the signature check off is honoured only in development.
    TWILIO_SIGNATURE_CHECK = _flag("TWILIO_SIGNATURE_CHECK", True)
    ADVISER_NUMBER = os.environ.get("ADVISER_NUMBER", "")  # E.164; unset: callers can only leave a message
    ADVISER_HOURS = os.environ.get("ADVISER_HOURS", "Mon-Fri 09:00-17:00")  # UK time; bank holidays closed
    # Most lines close on bank holidays in England; a line staffed on them sets this to 0.
    ADVISER_CLOSED_ON_BANK_HOLIDAYS = _flag("ADVISER_CLOSED_ON_BANK_HOLIDAYS", True)
    ADVISER_DIAL_TIMEOUT_SECONDS = 20
    # Speech recognised with less confidence than this sends the request to the address check.
    SPEECH_CONFIDENCE_THRESHOLD = float(os.environ.get("SPEECH_CONFIDENCE_THRESHOLD", "0.6"))


class Development(Config):
    ENV_NAME = "development"
    # http://localhost is a secure context for browsers, so Secure cookies still work here.
    SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", True)


class Test(Development):
    ENV_NAME = "test"
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 (test only)
    TWILIO_AUTH_TOKEN = "test-twilio-auth-token"  # noqa: S105 (test only)
    # Loud placeholder: a test that forgets to set its own base URL gets signatures that never match.
    PUBLIC_BASE_URL = "https://you-forgot-to-set-public-base-url.invalid"
    NOTIFY_BASE_URL = "http://you-forgot-to-start-the-notify-stub.invalid"
    TWILIO_ACCOUNT_SID = "AC" + "0" * 32
    TWILIO_API_BASE_URL = "http://you-forgot-to-start-the-twilio-stub.invalid"


CONFIGS: dict[str, type[Config]] = {"production": Config, "development": Development, "test": Test}


def config_for(name: str | None = None) -> type[Config]:
    """Return the settings class named by SURVEY_LINE_ENV: production when it is unset.

    Failing closed: a production box that forgets the variable still gets production settings (and refuses
    to start without SECRET_KEY); `make run` and the tests ask for development and test by name.
    """
    name = name or os.environ.get("SURVEY_LINE_ENV") or "production"
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"SURVEY_LINE_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None
