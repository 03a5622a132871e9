"""Accounts in Chromium: a forgotten password reset through the link printed by `flask mail send`,
and a staff member turning on two-factor sign-in and signing in with a code."""
import re

import pyotp

from tests.browser.conftest import axe_violations, flask_command, screenshot, sign_in


def create_account(env, email, role, password):
    flask_command(env, "users", "create", email, "--name", "Browser Person", "--role", role, "--password-stdin",
                  stdin=f"{password}\n")


def test_a_forgotten_password_is_reset_by_the_emailed_link(page, live_env):
    create_account(live_env, "forgetful@example.org", "member", "the first passphrase")
    flask_command(live_env, "mail", "send")  # deliver what was already waiting
    page.goto(f"{page.base}/signin")
    page.click("text=Forgot your password?")
    page.fill("#email", "forgetful@example.org")
    page.click("main button[type=submit]")
    assert "Check your email" in page.inner_text("main h1")
    printed = flask_command(live_env, "mail", "send")
    path = re.search(r"https?://[^/\s]+(/reset-password/[A-Za-z0-9_\-]+)", printed).group(1)
    page.goto(f"{page.base}{path}")
    assert axe_violations(page) == []
    screenshot(page, "reset-password")
    page.fill("#password", "the second passphrase")
    page.fill("#confirm", "the second passphrase")
    page.click("main button[type=submit]")
    assert "Your password is changed" in page.inner_text("main")
    sign_in(page, "forgetful@example.org", "the second passphrase")
    page.goto(f"{page.base}{path}")
    assert "This link does not work" in page.inner_text("main h1")


def test_staff_turn_on_two_factor_and_sign_in_with_a_code(page, live_env):
    create_account(live_env, "guarded@example.org", "staff", "a staff passphrase")
    sign_in(page, "guarded@example.org", "a staff passphrase")
    page.goto(f"{page.base}/profile")
    page.click("text=Two-factor sign-in")
    assert page.locator(".qr svg").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "two-factor-enrolment")
    secret = page.inner_text("code.secret").strip()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10

    page.click("header button:has-text('Sign out')")
    page.goto(f"{page.base}/signin")
    page.fill("#email", "guarded@example.org")
    page.fill("#password", "a staff passphrase")
    page.click("main button[type=submit]")
    assert "Wrong email, password or authentication code." in page.inner_text("main")
    sign_in(page, "guarded@example.org", "a staff passphrase", code=codes[0])
    page.goto(f"{page.base}/staff/members")
    assert page.locator("main h1").inner_text() == "Members"
