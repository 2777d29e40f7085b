"""Joining the family in a real browser: by email (code from a real SMTP server), by phone (code
from the server's SMS console), and nobody without an invite."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from accounts import services
from accounts.models import User
from accounts.tests.factories import UserFactory
from conftest import SmtpInbox
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.server import Server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mail_server(static_root, site):
    """A daphne whose mail goes over SMTP to a local inbox the test reads."""
    inbox = SmtpInbox().start()
    server = Server(
        static_root=static_root,
        env_overrides={"EMAIL_URL": f"smtp://127.0.0.1:{inbox.port}"},
    ).start()
    yield server, inbox
    server.stop()
    inbox.stop()


def poll(read, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while not (value := read()):
        assert time.monotonic() < deadline, "nothing arrived"
        time.sleep(0.2)
    return value


def test_an_invited_person_signs_up_by_email_with_the_mailed_code(browser, mail_server):
    server, inbox = mail_server
    invite = services.create_invite(by=UserFactory(display_name="Мама"), days=7, max_uses=1)
    page = browser.new_context(base_url=server.url, locale="ru-RU").new_page()
    page.goto(invite.get_absolute_url())
    expect(page.get_by_role("heading", name="Мама приглашает вас в Toricy")).to_be_visible()
    page.get_by_role("link", name="Создать аккаунт").click()
    page.get_by_label("Ваше имя").fill("Маша")
    page.get_by_label("Email").fill("masha@family.test")
    page.get_by_label("Пароль").fill("a long family secret 2026")
    page.get_by_role("button", name="Создать аккаунт").click()
    body = poll(lambda: inbox.bodies_to("masha@family.test"))[-1]
    code = re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", body, re.M).group(1)
    page.get_by_label("Код").fill(code)
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_role("heading", name="Лента")).to_be_visible()
    assert User.objects.get(email="masha@family.test").display_name == "Маша"
    page.context.close()


def test_the_link_in_the_verification_mail_confirms_the_address(browser, mail_server):
    server, inbox = mail_server
    invite = services.create_invite(by=UserFactory(display_name="Мама"), days=7, max_uses=1)
    page = browser.new_context(base_url=server.url, locale="ru-RU").new_page()
    page.goto(invite.get_absolute_url())
    page.get_by_role("link", name="Создать аккаунт").click()
    page.get_by_label("Ваше имя").fill("Петя")
    page.get_by_label("Email").fill("petya@family.test")
    page.get_by_label("Пароль").fill("a long family secret 2026")
    page.get_by_role("button", name="Создать аккаунт").click()
    body = poll(lambda: inbox.bodies_to("petya@family.test"))[-1]
    link = re.search(r"(http\S+/accounts/confirm-email/\?code=[A-Z0-9-]+)", body).group(1)
    assert link.startswith(server.url)
    page.goto(link)
    expect(page.get_by_role("heading", name="Лента")).to_be_visible()
    assert EmailAddress.objects.get(email="petya@family.test").verified
    page.context.close()


def test_an_invited_grandmother_signs_up_with_only_her_phone(browser, site):
    invite = services.create_invite(by=UserFactory(display_name="Мама"), days=7, max_uses=1)
    page = browser.new_context(base_url=site.url, locale="ru-RU", viewport=PHONE).new_page()
    page.goto(invite.get_absolute_url())
    page.get_by_role("link", name="Создать аккаунт").click()
    page.get_by_role("link", name="По телефону").click()
    page.get_by_label("Ваше имя").fill("Бабушка Валя")
    page.get_by_label("Номер телефона").fill("8 (912) 345-67-89")
    page.get_by_role("button", name="Прислать код").click()
    # The console SMS backend prints the text into the server's log: read the code there.
    code = poll(lambda: re.findall(r"SMS to \+79123456789: \D*(\d{6})", site.log()))[-1]
    page.get_by_label("Код").fill(code)
    page.get_by_role("button", name="Подтвердить").click()
    expect(page.get_by_role("heading", name="Лента")).to_be_visible()
    granny = User.objects.get(phone="+79123456789")
    assert (granny.display_name, granny.phone_verified) == ("Бабушка Валя", True)
    page.context.close()


def test_without_an_invite_every_sign_up_door_is_closed(browser, site):
    UserFactory(display_name="Мама")
    page = browser.new_context(base_url=site.url, locale="ru-RU").new_page()
    for path in ("/accounts/signup/", "/accounts/signup/phone/"):
        page.goto(path)
        expect(
            page.get_by_role("heading", name="Регистрация только по приглашению")
        ).to_be_visible()
    assert User.objects.count() == 1
    page.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_signing_in_and_up(browser, site, device, viewport, scheme):
    invite = services.create_invite(by=UserFactory(display_name="Мама"), days=7, max_uses=1)
    context = browser.new_context(
        base_url=site.url, locale="ru-RU", viewport=viewport, color_scheme=scheme
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    screenshot(page, f"signin-{device}-{scheme}")
    page.goto(invite.get_absolute_url())
    screenshot(page, f"invite-{device}-{scheme}")
    page.goto("/accounts/signup/")
    screenshot(page, f"signup-email-{device}-{scheme}")
    page.goto("/accounts/signup/phone/")
    screenshot(page, f"signup-phone-{device}-{scheme}")
    page.get_by_label("Ваше имя").fill("Бабушка Валя")
    page.get_by_label("Номер телефона").fill(
        "+7 912 000-00-0" + ("1" if scheme == "light" else "2")
    )
    page.get_by_role("button", name="Прислать код").click()
    expect(page.get_by_label("Код")).to_be_visible()
    screenshot(page, f"signup-phone-code-{device}-{scheme}")
    context.close()
