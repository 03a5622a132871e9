"""Browser tests: the app served by gunicorn on 127.0.0.1 with the demo data, driven by Playwright
in Debian's Chromium (never a browser downloaded at test time).

Without Chromium they are skipped with a message saying how to install it; with
REQUIRE_BROWSER=1 (as in CI) a missing browser fails instead."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import start_gunicorn, start_localstripe

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def chromium():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = "Chromium is not installed: apt-get install chromium (browser tests skipped)"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message.replace("skipped", "required here"))
        pytest.skip(message)
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


FLASK = [sys.executable, "-m", "flask", "--app", "wsgi"]


@pytest.fixture(scope="session")
def browser_localstripe(chromium):
    """localstripe for the served app: its API, and its stand-in for Stripe.js that the pay page loads."""
    server = start_localstripe()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def live_env(chromium, tmp_path_factory, browser_localstripe):
    """The settings the served app runs with, so a test can run its commands on the same database."""
    database = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'browser.sqlite3'}"
    env = {**os.environ, "CPD_ENV": "testing", "DATABASE_URL": database, "RATELIMIT_ENABLED": "0",
           "UPLOAD_DIR": str(tmp_path_factory.mktemp("browser-uploads")),
           "STRIPE_SECRET_KEY": "sk_test_browser", "STRIPE_PUBLISHABLE_KEY": "pk_test_browser",
           "STRIPE_WEBHOOK_SECRET": "whsec_browser", "STRIPE_API_BASE": browser_localstripe.base,
           "STRIPE_JS_URL": f"{browser_localstripe.base}/js.stripe.com/v3/",
           # Last year's undeclared registrants are overdue whatever day the tests run.
           "DECLARATION_GRACE_DAYS": "0"}
    env.pop("TEST_DATABASE_URL", None)
    return env


def flask_command(env, *args, stdin=None):
    """Run `flask ...` against the served app's database; returns what it printed."""
    result = subprocess.run([*FLASK, *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True,
                            input=stdin)
    return result.stdout


@pytest.fixture(scope="session")
def live_server(live_env):
    """A migrated, seeded SQLite database of its own, served by gunicorn with two workers."""
    env = live_env
    flask_command(env, "db", "upgrade")
    flask_command(env, "demo", "seed")
    try:
        server = start_gunicorn(env, workers=2)
    except RuntimeError as error:
        pytest.fail(f"the app did not start for the browser tests: {error}")
    yield server.base
    server.stop()


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.base = live_server
    yield page
    context.close()


def sign_in(page, email, password="demo-password", code=None):
    page.goto(f"{page.base}/signin")
    page.fill("#email", email)
    page.fill("#password", password)
    if code:
        page.fill("#code", code)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{page.base}/")


def screenshot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def axe_violations(page, exclude=None, best_practice=False):
    """WCAG 2.1 A and AA violations on the page, by axe-core (shipped inside axe-playwright-python),
    and with `best_practice` axe's best-practice rules too (a landmark named twice...); `exclude`:
    a selector of markup that is not ours (the payment provider's card form)."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[exclude]]} if exclude else None
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", *(["best-practice"] if best_practice else [])]
    results = Axe().run(page, context=context, options={"runOnly": {"type": "tag", "values": tags}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} × e.g. {v['nodes'][0]['target']})"
            for v in results.response["violations"]]


# Every element whose content is wider than its own box (a table cut off in a side-scrolling box, a
# long word pushing out of a card); visually hidden text (1 px, clipped) and SVG drawings aside.
OVERFLOWING = """() => [...document.querySelectorAll('body *')].filter(el => {
  if (el.closest('svg') || el.clientWidth <= 1) return false;
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.display === 'none' || style.clip !== 'auto' || style.clipPath !== 'none') return false;
  }
  return el.scrollWidth > el.clientWidth + 1;
}).map(el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + el.className : ''}`
              + ` (${el.scrollWidth} > ${el.clientWidth})`)"""


def fits_a_phone(page):
    """At 375 px wide, neither the page nor any element on it needs sideways scrolling."""
    page.set_viewport_size({"width": 375, "height": 800})
    widths = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    overflowing = page.evaluate(OVERFLOWING)
    page.set_viewport_size({"width": 1200, "height": 900})
    return widths[0] <= widths[1] and not overflowing, (widths, overflowing)


@pytest.fixture(scope="session")
def live_database(live_server, live_env):
    """The served app's own database, for setting up what a journey needs (as the fixtures do)."""
    from cpd import create_app

    return create_app({"CPD_ENV": "testing", "SQLALCHEMY_DATABASE_URI": live_env["DATABASE_URL"],
                       "UPLOAD_DIR": live_env["UPLOAD_DIR"]})
