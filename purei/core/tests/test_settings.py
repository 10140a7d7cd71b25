"""The settings module: safe embedded defaults, and a production check that passes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.schema_cache import migrated_sqlite_file

ROOT = Path(__file__).resolve().parents[3]

PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "purei.example.nz",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/test",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "BEHIND_TLS_PROXY": "true",
    "EMAIL_BACKEND": "smtp",
    "EMAIL_HOST": "smtp.example.nz",
    "SITE_URL": "https://purei.example.nz",
}
# Where the tests run may set these; each test says what it wants instead.
LOCAL = ("PORT", "HOST", "SITE_URL")


def _manage(
    *args: str, env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in PRODUCTION and k not in LOCAL
    }
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    clean.pop("SECRET_KEY", None)
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for browser tests only
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, "PUREI_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_deploy_check_passes_with_production_variables(tmp_path: Path, redis_url: str):
    # given: a Redis that answers (the deploy check pings it)
    env = {
        **PRODUCTION,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(60),
    }
    # when
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path
    )
    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_fails_when_redis_url_points_at_nothing(tmp_path: Path):
    # given: production variables, but nothing listens at REDIS_URL
    env = {
        **PRODUCTION,
        "REDIS_URL": "redis://127.0.0.1:6390/0",
        "SECRET_KEY": secrets.token_urlsafe(60),
    }
    # when
    result = _manage("check", "--deploy", env=env, tmp_path=tmp_path)
    # then
    assert result.returncode != 0
    assert "purei.core.E002" in result.stderr
    assert "redis://127.0.0.1:6390/0" in result.stderr


def test_defaults_are_safe_and_need_no_variables(tmp_path: Path):
    # when: nothing set at all
    code = (
        "from django.conf import settings as s;"
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], "
        "s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
        "s.MAILERS['default']['BACKEND'].rsplit('.', 2)[-2], len(s.SECRET_KEY) >= 50)"
    )
    result = _manage("shell", "-c", code, env={}, tmp_path=tmp_path)
    # then
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-5:] == [
        "False",
        "django.db.backends.sqlite3",
        "LocMemCache",
        "console",
        "True",
    ]
    # the generated secret key is kept private in the data folder
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert key_file.stat().st_mode & 0o077 == 0


def test_html_is_compressed_unless_a_proxy_in_front_does_it(tmp_path: Path):
    # given
    code = (
        "from django.conf import settings as s;"
        "print('django.middleware.gzip.GZipMiddleware' in s.MIDDLEWARE)"
    )
    # when
    default = _manage("shell", "-c", code, env={}, tmp_path=tmp_path)
    proxied = _manage(
        "shell", "-c", code, env={"COMPRESS_HTML": "false"}, tmp_path=tmp_path
    )
    # then
    assert default.stdout.split()[-1] == "True", default.stderr
    assert proxied.stdout.split()[-1] == "False", proxied.stderr


def test_default_database_is_sqlite_in_wal_mode_under_the_data_folder(tmp_path: Path):
    # when
    code = (
        "from django.db import connection;"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode');"
        "print(c.fetchone()[0], connection.settings_dict['NAME'])"
    )
    result = _manage("shell", "-c", code, env={}, tmp_path=tmp_path)
    # then
    assert result.returncode == 0, result.stderr
    mode, name = result.stdout.split()[-2:]
    assert mode == "wal"
    assert name == str(tmp_path / "purei.sqlite3")


def test_deploy_check_warns_when_site_url_is_not_the_public_https_address(
    tmp_path: Path,
):
    # given: SITE_URL forgotten (links in emails would lead to this machine), or
    # set without https
    for site_url, warning in [
        (None, "purei.core.W001"),
        ("http://purei.example.nz", "purei.core.W002"),
    ]:
        env = {**PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(60)}
        env.pop("SITE_URL")
        if site_url:
            env["SITE_URL"] = site_url
        # when
        result = _manage(
            "check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path
        )
        # then
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert warning in output
        assert "SITE_URL" in output


# --- links in emails ------------------------------------------------------------------

SEND_AN_EMAIL = (
    "from purei.core.mail import send_templated_email;"
    "send_templated_email(to='aroha@example.nz',"
    " template_prefix='clusters/email/application_declined', context={})"
)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with a migrated database: sending an email reads the
    recipient's account (for its language). ``migrate`` runs in a subprocess, as the
    demo's would, on a copy of the schema the test databases keep (it applies
    nothing then): migrating from empty took 45 s of the suite's wall time on a
    loaded machine (tests/schema_cache.py)."""
    data_dir = tmp_path_factory.mktemp("mail-links")

    def migrate() -> None:
        done = _manage("migrate", "--no-input", "-v", "0", env={}, tmp_path=data_dir)
        assert done.returncode == 0, done.stderr

    migrated_sqlite_file(data_dir / "purei.sqlite3", migrate)
    return data_dir


def test_email_links_follow_the_port_the_demo_serves_on(migrated: Path):
    # when: PORT=8103 make demo, with no SITE_URL (emails print on the console)
    result = _manage(
        "shell", "-c", SEND_AN_EMAIL, env={"PORT": "8103"}, tmp_path=migrated
    )
    # then
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8103/finder/" in result.stdout
    assert "http://127.0.0.1:8103/apply/" in result.stdout
    assert ":8000" not in result.stdout


def test_email_links_follow_host_and_port(migrated: Path):
    # when: served on every interface, or on an IPv6 address
    everywhere = _manage(
        "shell",
        "-c",
        SEND_AN_EMAIL,
        env={"HOST": "0.0.0.0", "PORT": "9000"},  # noqa: S104 - the variable's value
        tmp_path=migrated,
    )
    ipv6 = _manage("shell", "-c", SEND_AN_EMAIL, env={"HOST": "::1"}, tmp_path=migrated)
    # then
    assert "http://127.0.0.1:9000/finder/" in everywhere.stdout, everywhere.stderr
    assert "http://[::1]:8000/finder/" in ipv6.stdout, ipv6.stderr


def test_email_links_follow_site_url_when_set(migrated: Path):
    # when
    result = _manage(
        "shell",
        "-c",
        SEND_AN_EMAIL,
        env={"SITE_URL": "https://purei.example.nz/", "PORT": "8103"},
        tmp_path=migrated,
    )
    # then
    assert result.returncode == 0, result.stderr
    assert "https://purei.example.nz/finder/" in result.stdout
    # no link on the port (":8103"); the digits alone can occur in the email's
    # random MIME boundary or Message-ID, as they once did in CI
    assert ":8103" not in result.stdout
