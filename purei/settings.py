"""Pūrei's one settings module.

Everything comes from environment variables, with safe embedded defaults: SQLite in
WAL mode under ``PUREI_DATA_DIR``, console email, a local-memory cache, DEBUG off.
Production differs only by the variables it sets (see README "Running in production").
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("PUREI_DATA_DIR", BASE_DIR.parent / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
# The benchmark's bare page at /__bench__/ceiling/ (purei/web/bench.py): off but
# for `make bench`.
BENCH_CEILING = env_bool("BENCH_CEILING")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")


def _served_at() -> str:
    """Where `purei serve` and `purei demo` answer on this machine (HOST and PORT, as
    purei/cli.py reads them): the default SITE_URL, so a demo's emails link to it."""
    host = os.environ.get("HOST") or "127.0.0.1"
    if host in {"0.0.0.0", "::"}:  # noqa: S104 - every interface: loopback answers too
        host = "127.0.0.1"
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('PORT') or '8000'}"


# The site's public address: every link in an email (and from a cluster's own domain
# back to Pūrei) is built on it, by purei.core.links. Set it in production
# (`check --deploy` warns when it is not https or points at this machine).
SITE_URL = (os.environ.get("SITE_URL") or _served_at()).rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks_db",
    "axes",
    "purei.core",
    "purei.accounts",
    "purei.clusters",
    "purei.members",
    "purei.catalogue",
    "purei.search",
    "purei.promotions",
    "purei.orders",
    "purei.payments",
    "purei.ledger",
    "purei.settlement",
    "purei.trade",
    "purei.marketing",
    "purei.cooperation",
    "purei.insights",
    "purei.apikeys",
    "purei.webhooks",
    "purei.web",
    "purei.api",
    "purei.demo",
    "purei.operations",
    "purei.privacy",
]

MIDDLEWARE = [
    # Before all: the request's id (X-Request-ID) for its log lines and response,
    # its one timing for the metrics and, in JSON logging, its access line
    # (purei/operations/requestid.py). It only adds a header to the response.
    "purei.operations.requestid.RequestIdMiddleware",
    # Next, so it compresses what every other middleware made (docs/performance.md
    # "Compression"). Django pads each gzipped body with 0-99 random bytes in the gzip
    # header ("Heal the Breach") against BREACH, and CSRF tokens are masked afresh on
    # every response, so the secret in a page never repeats between two of them.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # A live cluster's own domain serves that cluster's pages (see its docstring).
    "purei.clusters.middleware.ClusterDomainMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A logged-in person's language switch is remembered for their emails.
    "purei.accounts.middleware.LanguageRememberMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A view's RateLimited refusal becomes the 429 page (purei/core/ratelimit.py).
    "purei.core.ratelimit.RateLimitMiddleware",
    # Last, as django-axes asks: turns a locked-out login into our 429 page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "purei.urls"
WSGI_APPLICATION = "purei.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "purei.web.context_processors.site",
                # Marks for a page being kept whole (CSRF token, cart link).
                "purei.catalogue.page_cache.context",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------
# SQLite in WAL mode by default; DATABASE_URL=postgres://… for PostgreSQL.
SQLITE_PATH = DATA_DIR / "purei.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache -------------------------------------------------------------------
CACHES: dict[str, dict[str, object]]
if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's RedisCache, failing soft: a Redis that does not answer is
            # a miss, never a 500 (purei/core/cache.py).
            "BACKEND": "purei.core.cache.FailSoftRedisCache",
            "LOCATION": redis_url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    # Per process. Room for the shop's cached results, searches and product cards
    # (Django's default of 300 entries would keep evicting them).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {
                "MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "5000"))
            },
        }
    }
# Rendered shop and search results are cached this long (keyed by the catalogue
# version, so changes show at once; see purei/search/cache.py). 0 turns it off.
SEARCH_CACHE_SECONDS = int(os.environ.get("SEARCH_CACHE_SECONDS", "300"))
# Whole storefront pages kept for anonymous shoppers this long (keyed by the
# catalogue version too; the CSRF token, cart link and stock stay live: see
# purei/catalogue/page_cache.py). 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# --- Accounts ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
_VALIDATORS = "django.contrib.auth.password_validation"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": f"{_VALIDATORS}.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["email", "full_name"]},
    },
    {"NAME": f"{_VALIDATORS}.MinimumLengthValidator"},
    {"NAME": f"{_VALIDATORS}.CommonPasswordValidator"},
    {"NAME": f"{_VALIDATORS}.NumericPasswordValidator"},
]
# The highest IRD/GST number accepted (IRD's published range; domain-nz.md §3.2).
IRD_NUMBER_MAX = int(os.environ.get("IRD_NUMBER_MAX", "150000000"))
# How long an emailed invitation link stays valid.
INVITATION_MAX_AGE_DAYS = int(os.environ.get("INVITATION_MAX_AGE_DAYS", "14"))
# django-axes checks every login first; ModelBackend then checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Login rate limit (django-axes) -------------------------------------------
# After LOGIN_FAILURE_LIMIT failed logins for one account OR from one address, logins
# for it pause until LOGIN_COOLOFF_MINUTES have passed since the last failure.
# Attempts live in the database (works the same on SQLite and PostgreSQL).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
# Reverse proxies in front of the app whose X-Forwarded-For is trusted (the client's
# address is then taken from that header); 1 by default behind a TLS proxy.
TRUSTED_PROXY_COUNT = int(
    os.environ.get("TRUSTED_PROXY_COUNT", "1" if env_bool("BEHIND_TLS_PROXY") else "0")
)
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "purei.accounts.ratelimit.login_username"
AXES_CLIENT_IP_CALLABLE = "purei.core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "purei.accounts.ratelimit.lockout_response"

# --- Rate limits (purei/core/ratelimit.py) ------------------------------------
# Attempts at each action are counted per client address and per account or email
# address acted on; past a limit the answer is 429 (a page, or the API's error
# JSON with code "rate_limited"), with Retry-After. A rate is "N/period" with period
# s, m, h or d, optionally with a count ("1/2m"); several, comma-separated, must all
# hold; empty turns that scope's limit off. Each can be set by an environment
# variable RATE_LIMIT_<ACTION>_<SCOPE>, e.g. RATE_LIMIT_SIGNUP_ADDRESS=20/h.
# Counts live in the cache: per process with the local-memory cache, shared by all
# processes with REDIS_URL (use it when serving with more than one process).
RATE_LIMITS_ENABLED = env_bool("RATE_LIMITS_ENABLED", True)
RATE_LIMIT_CACHE = "default"
RATE_LIMIT_KEY_PREFIX = "purei:rl"
_RATE_LIMIT_DEFAULTS = {
    # Creating an account: per address, and per email address signed up with.
    "signup": {"address": "10/h", "email": "5/h"},
    # Asking for a reset link: per address, and per inbox it goes to.
    "password_reset": {"address": "10/h", "email": "1/2m,10/d"},
    # Asking to change one's email: per address, per account, per new inbox.
    "email_change": {"address": "10/h", "account": "5/h", "email": "1/2m,10/d"},
    # Applying to form a cluster (/apply/ and the API): per address, per contact.
    "cluster_application": {"address": "5/h", "email": "3/d"},
    # Applying for a business to join a cluster: per address, per account.
    "membership_application": {"address": "20/h", "account": "10/h"},
    "trade_application": {"address": "20/h", "account": "10/h"},
    # Asking for a cluster's newsletter, or to be told when a product is back: per
    # address, and per inbox a confirmation link goes to.
    "newsletter_subscribe": {"address": "20/h", "email": "3/h,10/d"},
    "notify_request": {"address": "30/h", "email": "10/h"},
    # Each API key's requests (docs/api.md "Rate limits"): per key.
    "api_key": {"key": "120/m,3000/h"},
}
RATE_LIMITS = {
    action: {
        scope: os.environ.get(f"RATE_LIMIT_{action}_{scope}".upper(), rate)
        for scope, rate in scopes.items()
    }
    for action, scopes in _RATE_LIMIT_DEFAULTS.items()
}

# --- Email (Django 6.1 MAILERS) -----------------------------------------------
# Default: print emails on the console. EMAIL_BACKEND=smtp plus EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER, EMAIL_HOST_PASSWORD and EMAIL_USE_TLS send them for real.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = os.environ.get("EMAIL_BACKEND", "console")
MAILERS: dict[str, dict[str, object]] = {
    "default": {"BACKEND": _EMAIL_BACKENDS.get(_email_backend, _email_backend)}
}
if _email_backend == "smtp":
    MAILERS["default"]["OPTIONS"] = {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": int(os.environ.get("EMAIL_PORT", "587")),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", True),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Pūrei <kiaora@purei.test>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (Django's tasks framework) -----------------------------
# Default: the database backend, worked by `purei worker`. TASKS_BACKEND=immediate
# runs tasks in the request (the demo does this so emails print at once).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    # RQ on Redis (the data tier block below; docs/adr/0022-task-queue-rq.md).
    "rq": "purei.core.queue.RetryingRQBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[os.environ.get("TASKS_BACKEND", "database")],
    }
}

# --- Newsletters (docs/marketing.md "Stories and newsletters") -----------------
# A campaign is sent in batches of this many, over one connection each; a send
# that fails is tried again after each of these delays (seconds), then given up.
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "100"))
NEWSLETTER_RETRY_SECONDS = [
    int(seconds) for seconds in env_list("NEWSLETTER_RETRY_SECONDS", "60,600,3600")
]
# The shared secret of the bounce and complaint webhook
# (/newsletter/webhooks/bounces/); empty turns the webhook off.
NEWSLETTER_WEBHOOK_SECRET = os.environ.get("NEWSLETTER_WEBHOOK_SECRET", "")

# --- Webhooks out (docs/api.md "Webhooks") ---------------------------------------
# A delivery that fails is tried again after each of these delays (seconds; the
# last repeats), never later than WEBHOOK_RETRY_FOR_SECONDS after it was made.
WEBHOOK_RETRY_SECONDS = [
    int(s) for s in env_list("WEBHOOK_RETRY_SECONDS", "60,300,1800,7200,18000,36000")
]
WEBHOOK_RETRY_FOR_SECONDS = int(os.environ.get("WEBHOOK_RETRY_FOR_SECONDS", "86400"))
# Endpoints must be https://; http:// to localhost only when this is on (DEBUG).
WEBHOOKS_ALLOW_LOCAL_HTTP = env_bool("WEBHOOKS_ALLOW_LOCAL_HTTP", DEBUG)
# A counted variant's stock is low (the stock.low event) at or below this.
STOCK_LOW_AT = int(os.environ.get("STOCK_LOW_AT", "5"))

# --- Orders (docs/orders.md) ------------------------------------------------
# How long an unpaid order holds its stock, by payment method, in minutes.
ORDER_HOLD_MINUTES = {
    "default": int(os.environ.get("ORDER_HOLD_MINUTES", "30")),
    "bank_transfer": int(
        os.environ.get("ORDER_HOLD_MINUTES_BANK_TRANSFER", str(3 * 24 * 60))
    ),
    # An order awaiting a freight quote: the admins' time to answer, then the
    # shopper's time to pay (docs/orders.md "Freight on quote").
    "freight_quote": int(
        os.environ.get("ORDER_HOLD_MINUTES_FREIGHT_QUOTE", str(3 * 24 * 60))
    ),
}

# --- Payments (docs/payments.md) ---------------------------------------------
# Bank transfer is always offered: the customer pays into this account with the
# order number as the reference, and a cluster admin marks the order paid.
BANK_TRANSFER_ACCOUNT_NAME = os.environ.get(
    "BANK_TRANSFER_ACCOUNT_NAME", "Pūrei Demo Cluster Trust"
)
BANK_TRANSFER_ACCOUNT = os.environ.get("BANK_TRANSFER_ACCOUNT", "12-3456-7890123-00")
# "Test card": documented card numbers that succeed or decline; takes no money.
# On by default with DEBUG; `purei demo` turns it on; never on in production.
PAYMENTS_TEST_GATEWAY = env_bool("PAYMENTS_TEST_GATEWAY", DEBUG)
# Stripe (PaymentIntents) is offered only when STRIPE_SECRET_KEY is set.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# The platform's Connect endpoint's signing secret (events of connected accounts,
# when they are sent to their own endpoint in Stripe's dashboard); optional.
STRIPE_CONNECT_WEBHOOK_SECRET = os.environ.get("STRIPE_CONNECT_WEBHOOK_SECRET", "")
# Another API address (stripe-mock in development); empty: Stripe's own.
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
# The keys that encrypt secrets kept in the database (a cluster's own Stripe keys):
# comma-separated, the first encrypts, all decrypt (rotation). Empty: derived from
# SECRET_KEY. docs/adr/0021-cluster-money-accounts.md
SECRETS_KEYS = env_list("SECRETS_KEYS", "")

# What each gateway keeps of a payment, charged to the members whose goods it paid
# for (docs/money.md): (basis points, fixed cents). Stripe's published NZ card
# price; the test gateway charges the same so the demo shows realistic figures.
PAYMENT_FEES: dict[str, tuple[int, int]] = {
    "stripe": (270, 30),
    "test": (270, 30),
    "bank_transfer": (0, 0),
}

# --- Observability (docs/operations.md "Observability") -----------------------
# LOG_FORMAT=json: every log line is one JSON object (timestamp, level, logger,
# message, request_id, and a record's extras); "text" (the default) prints each
# message as it always has.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
# One access line per request (logger purei.access: method, path without its query,
# route, status, duration_ms); on with JSON logs, when gunicorn's own can be off.
ACCESS_LOG_JSON = env_bool("ACCESS_LOG_JSON", LOG_FORMAT == "json")
# /metrics answers a client on this machine that came through no proxy, and anyone
# sending "Authorization: Bearer <METRICS_TOKEN>" when it is set; others get 404.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# How long /metrics keeps the gauges it reads from the database and the queues.
METRICS_CACHE_SECONDS = float(os.environ.get("METRICS_CACHE_SECONDS", "5"))
# How long /readyz waits for the parts it checks (all at once) before it fails them.
READYZ_TIMEOUT_SECONDS = float(os.environ.get("READYZ_TIMEOUT_SECONDS", "2"))
# Load balancers and Prometheus probe over plain http: no redirect to https there.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz|metrics)$"]

# --- Object storage (S3, SeaweedFS; docs/operations.md "Object storage") --------
# Unset S3_ENDPOINT_URL: files stay in MEDIA_ROOT and public pictures are served by
# /media/. Set: media live in two buckets of an S3-compatible store (SeaweedFS in
# the scale demo, scripts/scale/seaweedfs.py), shared by every app process; nothing
# is public in them, every URL handed out is signed and expires.
S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL", "")
S3_ACCESS_KEY_ID = os.environ.get("S3_ACCESS_KEY_ID", "")
S3_SECRET_ACCESS_KEY = os.environ.get("S3_SECRET_ACCESS_KEY", "")
S3_BUCKET = os.environ.get("S3_BUCKET", "purei-media")
S3_PRIVATE_BUCKET = os.environ.get("S3_PRIVATE_BUCKET", "purei-private")
S3_REGION = os.environ.get("S3_REGION", "us-east-1")
S3_SIGNED_URL_SECONDS = int(os.environ.get("S3_SIGNED_URL_SECONDS", "300"))


def s3_storage(bucket: str) -> dict[str, object]:
    """A django-storages S3 storage of ``bucket``: path-style addresses (SeaweedFS
    has no per-bucket host names), signed URLs that expire, no ACL on objects
    (private to the credentials), and never overwriting a file of the same name."""
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": S3_ENDPOINT_URL,
            "access_key": S3_ACCESS_KEY_ID,
            "secret_key": S3_SECRET_ACCESS_KEY,
            "bucket_name": bucket,
            "region_name": S3_REGION,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "querystring_auth": True,
            "querystring_expire": S3_SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "default_acl": None,
        },
    }


MEDIA_STORAGES: dict[str, dict[str, object]]
MEDIA_IMG_SOURCES: list[str]
if S3_ENDPOINT_URL:
    MEDIA_STORAGES = {
        "default": s3_storage(S3_BUCKET),
        "private": s3_storage(S3_PRIVATE_BUCKET),
    }
    # Pages' pictures load from the object store (after /media/'s redirect).
    _endpoint = urlsplit(S3_ENDPOINT_URL)
    MEDIA_IMG_SOURCES = [f"{_endpoint.scheme}://{_endpoint.netloc}"]
else:
    _files: dict[str, object] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    # The same configuration: one storage (purei/core/storage.py).
    MEDIA_STORAGES = {"default": _files, "private": _files}
    MEDIA_IMG_SOURCES = []

# --- Data tier: replica, pooler, task queue, sessions (docs/scaling.md) ---------
# DATABASE_REPLICA_URL: a read replica (PostgreSQL streaming replica). The
# storefront's anonymous GETs read from it, everything else from the primary
# (purei/core/db_router.py).
# A replica that cannot be reached within DATABASE_REPLICA_CONNECT_TIMEOUT seconds is
# left alone for DATABASE_REPLICA_RETRY_SECONDS, its reads done on the primary.
DATABASE_REPLICA_RETRY_SECONDS = float(
    os.environ.get("DATABASE_REPLICA_RETRY_SECONDS", "5")
)
if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        replica_url,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = int(
            os.environ.get("DATABASE_REPLICA_CONNECT_TIMEOUT", "2")
        )
    DATABASE_ROUTERS = ["purei.core.db_router.PrimaryReplicaRouter"]
# DATABASE_POOLER=pgbouncer: the databases are reached through PgBouncer in
# transaction mode, where consecutive transactions of one connection may run on
# different server connections. So no server-side cursors (a named cursor lives
# across transactions: DISABLE_SERVER_SIDE_CURSORS) and no prepared statements
# (psycopg prepares a query after 5 runs and reuses it by name on a server
# connection that may not have it: prepare_threshold None). Connections to PgBouncer
# are kept (CONN_MAX_AGE): they are cheap, PgBouncer holds the few real ones.
DATABASE_POOLER = os.environ.get("DATABASE_POOLER", "")
if DATABASE_POOLER == "pgbouncer":
    for _database in DATABASES.values():
        if _database["ENGINE"] == "django.db.backends.postgresql":
            _database["DISABLE_SERVER_SIDE_CURSORS"] = True
            _database.setdefault("OPTIONS", {})["prepare_threshold"] = None
# TASKS_BACKEND=rq: tasks go to RQ on Redis (TASKS_REDIS_URL, default REDIS_URL), each
# retried up to len(TASKS_RETRY_SECONDS) times after those delays when it fails or
# its worker dies (docs/adr/0022-task-queue-rq.md). `purei worker` runs RQ's worker.
TASKS_RETRY_SECONDS = [
    int(seconds) for seconds in env_list("TASKS_RETRY_SECONDS", "10,60,300")
]
# The longest a task may run before RQ stops it (a spreadsheet import is the longest).
TASKS_TIMEOUT_SECONDS = int(os.environ.get("TASKS_TIMEOUT_SECONDS", "900"))
# How often an RQ worker does its maintenance: starts its scheduler again if it died
# (Redis gone under it) and puts dead workers' jobs back for their retries
# (purei.core.queue.Worker; RQ's own default is 600).
TASKS_MAINTENANCE_SECONDS = int(os.environ.get("TASKS_MAINTENANCE_SECONDS", "60"))
if TASKS["default"]["BACKEND"] == _TASK_BACKENDS["rq"]:
    INSTALLED_APPS.insert(INSTALLED_APPS.index("django_tasks_db"), "django_rq")
    RQ_QUEUES = {
        "default": {
            "URL": os.environ.get("TASKS_REDIS_URL")
            or os.environ.get("REDIS_URL")
            or "redis://127.0.0.1:6379/0",
            "DEFAULT_TIMEOUT": TASKS_TIMEOUT_SECONDS,
        }
    }
# A claimed but unsent email (its worker died between the claim and the send) may be
# sent again after this long (purei/core/mail.py "Sent exactly once").
EMAIL_CLAIM_TIMEOUT_SECONDS = int(os.environ.get("EMAIL_CLAIM_TIMEOUT_SECONDS", "300"))
# With Redis, sessions are read from the cache and written through to the database,
# which stays the truth: a Redis restart loses no one's login or cart.
if os.environ.get("REDIS_URL"):
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Idempotency-Key (purei/apikeys/idempotency.py, ADR 0019) ------------------
# A write's claim on its key that has had no answer for this long belongs to a
# request that died (its process killed mid-request): the same key may then be
# tried again. Keep it above the app server's request timeout (gunicorn: 30 s).
IDEMPOTENCY_STALE_SECONDS = int(os.environ.get("IDEMPOTENCY_STALE_SECONDS", "120"))

# --- Internationalisation ----------------------------------------------------
# Django ships no locale data for te reo Māori; describe it once here.
LANG_INFO.setdefault(
    "mi",
    {"bidi": False, "code": "mi", "name": "Maori", "name_local": "Te reo Māori"},
)
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("mi", _("Te reo Māori"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Pacific/Auckland"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static files ------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    **MEDIA_STORAGES,
    "staticfiles": {
        "BACKEND": "purei.core.staticfiles.GzipManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"

# --- Security ----------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
if env_bool("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every asset is served locally: a strict policy (Django 6's built-in CSP).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *MEDIA_IMG_SOURCES],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
)
# HTML is compressed by Pūrei (GZipMiddleware) unless a proxy in front does it:
# COMPRESS_HTML=false takes it off the app processes' hot path (0.3-0.5 ms of CPU
# a page, as much as serving a kept page; docs/performance.md "Compression").
COMPRESS_HTML = env_bool("COMPRESS_HTML", default=True)
if not COMPRESS_HTML:
    MIDDLEWARE.remove("django.middleware.gzip.GZipMiddleware")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # The request's id on every record, no token of a path in Django's lines; JSON
    # lines with LOG_FORMAT=json (above). purei/operations/logs.py
    "filters": {
        "request_id": {"()": "purei.operations.logs.RequestIdFilter"},
        "path_secrets": {"()": "purei.operations.logs.PathSecretsFilter"},
    },
    "formatters": {"json": {"()": "purei.operations.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "path_secrets"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
