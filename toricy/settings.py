"""Toricy settings: read from the environment in this one place, with the embedded defaults.

Unset, every variable gives the embedded mode (SQLite, in-memory channel layer, eager Celery);
set, `DATABASE_URL` and `REDIS_URL` give the production mode (PostgreSQL, Redis).
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

# Everything Toricy writes at run time (SQLite file, media, the generated secret key) lives here.
VAR_DIR = Path(env.str("TORICY_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """Use SECRET_KEY if given; otherwise generate one once and keep it in a git-ignored file."""
    if env.str("SECRET_KEY", default=""):
        return env.str("SECRET_KEY")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env.bool("DEBUG", default=False)

# PUBLIC_URL is the one address the family types; hosts, origins, links and OAuth callbacks
# all follow from it, so Google's redirect URI can never disagree with what the site shows.
PUBLIC_URL = env.str("PUBLIC_URL", default="http://127.0.0.1:8000").rstrip("/")
_public = urlsplit(PUBLIC_URL)
PUBLIC_HOST = _public.hostname or "127.0.0.1"
PUBLIC_SCHEME = _public.scheme or "http"
HTTPS = PUBLIC_SCHEME == "https"

ALLOWED_HOSTS = [PUBLIC_HOST, *env.list("EXTRA_ALLOWED_HOSTS", default=[])]
if not HTTPS:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "[::1]"]
CSRF_TRUSTED_ORIGINS = [f"{PUBLIC_SCHEME}://{_public.netloc}"]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "channels",
    "django_htmx",
    "csp",
    "rest_framework",
    "phonenumber_field",
    "django_celery_beat",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.mfa",
    "core",
    "toricy",
    "accounts",
    "notifications",
    "messaging",
    "feed",
    "calls",
    "bots",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.LanguageMiddleware",
    "accounts.middleware.DeviceMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "core.middleware.RefusalMiddleware",
]

ROOT_URLCONF = "toricy.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "toricy.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "toricy.context_processors.shell",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
SQLITE_FILE = VAR_DIR / "toricy.sqlite3"
DATABASE_URL = env.str("DATABASE_URL", default="") or f"sqlite:///{SQLITE_FILE}"
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction, so two writers queue instead of failing with "database is locked".
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # A file, not memory, so that a daphne process started by a test sees the same data; one per
    # test run, so that two runs on one machine never share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
else:
    # Under ASGI every request runs its sync code in a worker thread; persistent per-thread
    # connections (CONN_MAX_AGE > 0) are never reused nor closed and pile up until PostgreSQL
    # refuses everyone. A pool per process bounds them: a process never holds more than
    # DB_POOL_MAX_SIZE connections, and a request returns its connection when it finishes.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    options = DATABASES["default"].setdefault("OPTIONS", {})
    # Shown in pg_stat_activity, so the owner (and a test) can see which connections are Toricy's.
    options["application_name"] = env.str("DB_APPLICATION_NAME", default="toricy")
    options["pool"] = {
        "min_size": env.int("DB_POOL_MIN_SIZE", default=1),
        "max_size": env.int("DB_POOL_MAX_SIZE", default=10),
        # A request waits this long for a free connection before it fails (a 500, logged).
        "timeout": env.float("DB_POOL_TIMEOUT", default=10.0),
        # Idle connections beyond min_size are closed after this many seconds.
        "max_idle": env.float("DB_POOL_MAX_IDLE", default=300.0),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- Redis: channel layer, cache, Celery broker ------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: a frame to a member is one PUBLISH, pushed to the processes holding their
            # sockets, with no polling. It is at-most-once, as every layer is in practice; the
            # database is the truth and a tab replays any gap by sequence (core.realtime).
            "BACKEND": "core.layers.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # redis-py 6+ reads with a 5 s timeout by default; a quiet subscriber
                        # must not count as a dead one.
                        "socket_timeout": None,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": 30,
                    }
                ],
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "toricy",
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "core.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TIMEZONE = env.str("TIME_ZONE", default="Europe/Moscow")
CELERY_BEAT_SCHEDULE = {
    "sweep-stale-connections": {"task": "accounts.sweep_stale_connections", "schedule": 60.0},
    "prune-events": {"task": "core.prune_events", "schedule": 60.0 * 60},
    "clear-expired-statuses": {"task": "accounts.clear_expired_statuses", "schedule": 5 * 60.0},
    "drop-silent-call-tabs": {"task": "calls.drop_silent", "schedule": 15.0},
    "expire-stories": {"task": "feed.expire_stories", "schedule": 5 * 60.0},
    "prune-bot-updates": {"task": "bots.prune_updates", "schedule": 60.0 * 60},
}

# --- Auth and sessions ------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"
# A family member signs in once on a phone and stays signed in: a year, renewed on every visit.
SESSION_COOKIE_AGE = 60 * 60 * 24 * 365
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_SAMESITE = "Lax"
SITE_ID = 1

ACCOUNT_LOGIN_METHODS = {"email", "phone", "username"}
# Two ways to sign up: an email with a password (/accounts/signup/), or a phone number alone
# with SMS codes (/accounts/signup/phone/, where the email is made optional for that form).
# Email verification is mandatory, except for accounts that came in by a verified phone
# (accounts.stages.EmailVerificationStage).
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_FORMS = {
    "signup": "accounts.signup_forms.EmailSignupForm",
    "add_email": "accounts.signup_forms.AddEmailForm",
    "change_phone": "accounts.signup_forms.ChangePhoneForm",
}
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
# Codes typed from an SMS (and sign-in codes by mail): six digits, the keypad a phone shows.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_CHANGE = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Every code and password attempt is limited per IP and per identifier (allauth's own limits,
# made a little stricter for codes). Format: "<count>/<period><unit>[/<key>]".
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "change_phone": "1/m/user",
    "verify_phone": "20/m/ip,3/m/key",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/ip",
}
# Behind Caddy the client address is the last X-Forwarded-For entry; without this every member
# would share one rate-limit bucket (the proxy's address).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if HTTPS else 0)
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Toricy: "
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = PUBLIC_SCHEME
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False

# Google: the app's credentials come from the environment (or from a SocialApp in the admin).
# The callback is PUBLIC_URL + /accounts/google/login/callback/: `manage.py doctor` prints it.
SOCIALACCOUNT_ADAPTER = "accounts.adapter.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"prompt": "select_account"},
        "OAUTH_PKCE_ENABLED": True,
        "FETCH_USERINFO": False,
    }
}
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="")
if GOOGLE_CLIENT_ID:
    SOCIALACCOUNT_PROVIDERS["google"]["APPS"] = [
        {"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""}
    ]
# Test-only: points Google sign-in (accounts/google.py) at the local fake in tests/fakes/google.py
# that browser tests start. Never set it in production; unset, Google's own endpoints are used.
GOOGLE_OAUTH_BASE_URL = env.str("GOOGLE_OAUTH_BASE_URL", default="").rstrip("/")
if GOOGLE_OAUTH_BASE_URL:
    SOCIALACCOUNT_PROVIDERS["google"] |= {
        "AUTHORIZE_URL": f"{GOOGLE_OAUTH_BASE_URL}/o/oauth2/v2/auth",
        "ACCESS_TOKEN_URL": f"{GOOGLE_OAUTH_BASE_URL}/token",
        "CERTS_URL": f"{GOOGLE_OAUTH_BASE_URL}/oauth2/v1/certs",
        "IDENTITY_URL": f"{GOOGLE_OAUTH_BASE_URL}/oauth2/v2/userinfo",
    }
# The sign-in form POSTs to /accounts/google/login/, which redirects to Google: Chrome applies
# the CSP's form-action to that redirect too, so Google's sign-in origin must be allowed there.
GOOGLE_AUTHORIZE_ORIGIN = GOOGLE_OAUTH_BASE_URL or "https://accounts.google.com"

# Passkeys (WebAuthn): allauth.mfa. A passkey signs in on its own, without a password.
MFA_SUPPORTED_TYPES = ["webauthn", "totp", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_PASSKEY_SIGNUP_ENABLED = False
# The relying party id comes from PUBLIC_URL (a passkey is bound to it for good).
MFA_ADAPTER = "accounts.mfa_adapter.MFAAdapter"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env.bool(
    "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", default=not HTTPS
)

# SMS codes: "console" prints them (the embedded default); "twilio" and "smsru" send them.
SMS_BACKEND = env.str("SMS_BACKEND", default="console")
SMSRU_FROM = env.str("SMSRU_FROM", default="")  # a sender name SMS.ru has approved
TWILIO_ACCOUNT_SID = env.str("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env.str("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env.str("TWILIO_FROM", default="")
TWILIO_API_URL = env.str("TWILIO_API_URL", default="https://api.twilio.com")
SMSRU_API_ID = env.str("SMSRU_API_ID", default="")
SMSRU_API_URL = env.str("SMSRU_API_URL", default="https://sms.ru")

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = env.str("DEFAULT_PHONE_REGION", default="RU")
PHONENUMBER_DB_FORMAT = "E164"

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")),
            "base_url": "/media/",
        },
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(STORAGES["default"]["OPTIONS"]["location"])
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = DEBUG
# How private media leaves the server: "django" streams it (embedded mode); "x-accel" (nginx,
# Caddy) or "x-sendfile" hand the checked file to the proxy under MEDIA_INTERNAL_URL.
MEDIA_SERVE = env.str("MEDIA_SERVE", default="django")
MEDIA_INTERNAL_URL = env.str("MEDIA_INTERNAL_URL", default="/protected-media/")
MAX_IMAGE_UPLOAD_BYTES = env.int("MAX_IMAGE_UPLOAD_BYTES", default=15 * 1024 * 1024)
MAX_IMAGE_PIXELS = env.int("MAX_IMAGE_PIXELS", default=40_000_000)
IMAGE_MAX_SIDE = env.int("IMAGE_MAX_SIDE", default=2560)
# Files (not photos) sent in chats: at most this big each, and this many in one message.
MAX_CHAT_FILE_BYTES = env.int("MAX_CHAT_FILE_BYTES", default=50 * 1024 * 1024)
MAX_CHAT_ATTACHMENTS = 10
# Feed posts: photos and videos per post, the largest video kept (a poster frame needs ffmpeg).
MAX_POST_MEDIA = 10
MAX_POST_VIDEO_BYTES = env.int("MAX_POST_VIDEO_BYTES", default=200 * 1024 * 1024)
# Voice messages: the recording as uploaded, at most this big and this long.
VOICE_MAX_BYTES = env.int("VOICE_MAX_BYTES", default=10 * 1024 * 1024)
VOICE_MAX_SECONDS = env.int("VOICE_MAX_SECONDS", default=15 * 60)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Realtime ---------------------------------------------------------------------------------
REALTIME_MAX_FRAME_BYTES = env.int("REALTIME_MAX_FRAME_BYTES", default=64 * 1024)
# Token bucket per socket: a burst of this many frames, refilled at this rate per second.
REALTIME_RATE_BURST = env.int("REALTIME_RATE_BURST", default=40)
REALTIME_RATE_PER_SECOND = env.float("REALTIME_RATE_PER_SECOND", default=10.0)
# Durable events are kept this long for replay after a reconnect; older gaps reload the page.
REALTIME_EVENT_RETENTION_DAYS = env.int("REALTIME_EVENT_RETENTION_DAYS", default=14)
# A server process (daphne) stores and sends events after the request returns (core.realtime);
# off, they go out right after commit in the request's thread (the in-process tests).
REALTIME_BACKGROUND_FANOUT = env.bool("REALTIME_BACKGROUND_FANOUT", default=True)
# Check every published event against its declaration in core.events (the tests turn it on).
REALTIME_CHECK_EVENTS = env.bool("REALTIME_CHECK_EVENTS", default=False)
# A socket that has not pinged for this long is counted as gone (a crashed process, a dead phone).
PRESENCE_TIMEOUT_SECONDS = env.int("PRESENCE_TIMEOUT_SECONDS", default=90)

# --- Bots (the Telegram-compatible Bot API) ---------------------------------------------------
# Wrong tokens from one address, past this rate, get 429 for every request (DRF's rate format).
BOTS_WRONG_TOKEN_RATE = env.str("BOTS_WRONG_TOKEN_RATE", default="20/min")
# Webhooks to plain http (a bot on this same server, the tests); otherwise https is required.
BOTS_ALLOW_LOCAL_WEBHOOKS = env.bool("BOTS_ALLOW_LOCAL_WEBHOOKS", default=False)

# --- Calls -------------------------------------------------------------------------------------
# ICE servers handed to browsers in a call. TURN credentials are made per call from TURN_SECRET
# (coturn's use-auth-secret scheme: "<expiry>:<user id>" and its HMAC-SHA1), never a fixed password.
STUN_URLS = env.list("STUN_URLS", default=[])
TURN_URLS = env.list("TURN_URLS", default=[])
TURN_SECRET = env.str("TURN_SECRET", default="")
TURN_CREDENTIAL_SECONDS = env.int("TURN_CREDENTIAL_SECONDS", default=6 * 60 * 60)
# "relay" forces every call through TURN (tests prove the relay path with it); "all" lets the
# browsers pick the shortest path.
ICE_TRANSPORT_POLICY = env.str("ICE_TRANSPORT_POLICY", default="all")
# An unanswered call rings this long, then counts as missed for both sides.
CALL_RING_SECONDS = env.int("CALL_RING_SECONDS", default=45)
# A joined tab says "alive" every 10 s (call.js); one silent for CALL_SILENCE_SECONDS (a crashed
# browser, a phone without network) is taken out of the call.
CALL_SILENCE_SECONDS = env.int("CALL_SILENCE_SECONDS", default=40)
# A mesh of peer connections carries this many people; larger calls belong on an SFU.
CALL_MAX_PARTICIPANTS = env.int("CALL_MAX_PARTICIPANTS", default=6)

# --- Security ---------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if HTTPS:
    # Behind Caddy (or another TLS-terminating proxy) Django sees plain http; this header is what
    # makes request.is_secure() true, and with it every absolute URL and OAuth callback https.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

_ws_origin = f"{'wss' if HTTPS else 'ws'}://{_public.netloc}"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "media-src": ["'self'", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", _ws_origin, "ws://127.0.0.1:*", "ws://localhost:*"]
        if not HTTPS
        else ["'self'", _ws_origin],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", GOOGLE_AUTHORIZE_ORIGIN],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# --- Mail -------------------------------------------------------------------------------------
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = env.str(
        "EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend"
    )
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"Toricy <noreply@{PUBLIC_HOST}>")

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"daphne": {"level": "WARNING"}, "django.channels.server": {"level": "WARNING"}},
}
