"""The feed in real browsers: a photo posted by one member appears live for another, who likes
and comments; the first sees the counts change. Screenshots of the feed, a post with comments and
favourites folders, light and dark, phone and desktop."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from feed import services
from feed.models import Post
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.helpers import off_the_loop

pytestmark = pytest.mark.django_db(transaction=True)


def scene(sky=(150, 200, 235), ground=(90, 160, 90), sun=(250, 210, 90), size=(1200, 900)):
    """A small landscape picture: sky, a sun, a field."""
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.rectangle([0, int(h * 0.62), w, h], fill=ground)
    draw.ellipse([int(w * 0.68), int(h * 0.12), int(w * 0.82), int(h * 0.12 + w * 0.14)], fill=sun)
    draw.rectangle([int(w * 0.15), int(h * 0.42), int(w * 0.35), int(h * 0.66)], fill=(170, 90, 60))
    roof = [(0.12, 0.43), (0.25, 0.28), (0.38, 0.43)]
    draw.polygon([(int(w * x), int(h * y)) for x, y in roof], fill=(120, 60, 50))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def upload(name="dacha.jpg", **colours):
    return SimpleUploadedFile(name, scene(**colours), content_type="image/jpeg")


def card(page, post_id):
    return page.locator(f'[data-post-id="{post_id}"]')


def test_a_photo_appears_live_and_likes_and_comments_come_back(signed_in):
    anna, boris = off_the_loop(
        lambda: (
            UserFactory(username="anna", display_name="Анна"),
            UserFactory(username="boris", display_name="Борис"),
        )
    )
    first = signed_in(anna)
    second = signed_in(boris)
    for page in (first, second):
        expect(page.locator("html[data-realtime='open']")).to_be_attached()

    first.locator("[data-post-text]").fill("Первые яблоки с дачи")
    first.locator("[data-files]").set_input_files(
        files=[{"name": "apples.jpg", "mimeType": "image/jpeg", "buffer": scene()}]
    )
    first.locator("[data-publish]").click()
    mine = first.locator("[data-post]", has_text="Первые яблоки с дачи")
    expect(mine).to_have_count(1)
    post_id = mine.get_attribute("data-post-id")

    # The other member sees the pill, brings the post in, and its photo really loads.
    pill = second.locator("[data-new-posts]")
    expect(pill).to_be_visible()
    pill.click()
    theirs = card(second, post_id)
    photo = theirs.locator(".post__photo img")
    expect(photo).to_be_visible()
    second.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle()
    )

    theirs.locator("[data-like]").click()
    expect(theirs.locator("[data-like]")).to_have_attribute("aria-pressed", "true")
    expect(card(first, post_id).locator("[data-like-count]")).to_have_text("1")

    theirs.locator(".post__action", has=second.locator("[data-comment-count]")).click()
    second.locator("[data-comment-input]").fill("Какие румяные!")
    second.locator("[data-comment-form] button[type=submit]").click()
    expect(second.locator(".comment", has_text="Какие румяные!")).to_have_count(1)
    expect(card(first, post_id).locator("[data-comment-count]")).to_have_text("1")

    # Unliking rolls the count back for the author too.
    second.go_back()
    card(second, post_id).locator("[data-like]").click()
    expect(card(first, post_id).locator("[data-like-count]")).to_have_text("0")


def test_a_failed_like_rolls_back_with_a_message(signed_in):
    anna, boris = off_the_loop(
        lambda: (UserFactory(username="anna"), UserFactory(username="boris"))
    )
    made = off_the_loop(lambda: _post(anna, "Пирог"))
    page = signed_in(boris)
    page.route("**/like/", lambda route: route.fulfill(status=500, body="oops"))
    button = card(page, made.pk).locator("[data-like]")
    button.click()
    expect(page.locator("#toasts .toast--error")).to_be_visible()
    expect(button).to_have_attribute("aria-pressed", "false")
    expect(card(page, made.pk).locator("[data-like-count]")).to_have_text("0")


def _post(author, text, uploads=(), audience=Post.Audience.FAMILY):
    made, _ = services.create_post(
        author=author, client_id=uuid.uuid4().hex, text=text, audience=audience,
        uploads=list(uploads),
    )  # fmt: skip
    return made


def _family():
    grandma = UserFactory(username="valya", display_name="Бабушка Валя")
    dad = UserFactory(username="papa", display_name="Папа")
    aunt = UserFactory(username="olya", display_name="Тётя Оля")
    older = _post(aunt, "Кто поедет в субботу за грибами? Выезжаем в **7:00**.")
    services.set_like(user=grandma, post=older, liked=True)
    photos = _post(
        dad,
        "Первый урожай на даче. @valya, твои яблони наконец дали яблоки!\n"
        "Фото остальных — https://example.org/dacha",
        uploads=[
            upload("a.jpg"),
            upload("b.jpg", sky=(240, 190, 150), ground=(120, 150, 70)),
            upload("c.jpg", sky=(120, 150, 200), ground=(70, 120, 80), sun=(255, 240, 200)),
        ],
    )
    for person in (grandma, aunt):
        services.set_like(user=person, post=photos, liked=True)
    top, _ = services.add_comment(
        user=aunt, post=photos, text="Какие красивые! Пришли рецепт варенья",
        client_id=uuid.uuid4().hex,
    )  # fmt: skip
    services.add_comment(
        user=grandma, post=photos, text="@olya рецепт пришлю вечером", client_id=uuid.uuid4().hex,
        parent=top,
    )  # fmt: skip
    services.add_comment(
        user=grandma, post=photos, text="Молодцы, что полили", client_id=uuid.uuid4().hex
    )
    single = _post(grandma, "Испекла пирог к приезду внуков", uploads=[upload("pie.jpg",
                   sky=(230, 220, 200), ground=(200, 150, 90), sun=(240, 200, 120))])  # fmt: skip
    services.save_post(user=grandma, post=photos)
    recipes = services.create_folder(user=grandma, name="Рецепты")
    services.create_folder(user=grandma, name="Внуки")
    services.create_folder(user=grandma, name="Дача")
    services.save_post(user=grandma, post=older, folder=recipes)
    return grandma, photos, single


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_screenshots_of_the_feed_a_post_and_favourites(signed_in, device, viewport, scheme):
    grandma, photos, _single = off_the_loop(_family)
    page = signed_in(grandma, viewport=viewport, color_scheme=scheme)
    expect(page.locator("[data-post]")).to_have_count(3)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"feed-{scheme}-{device}")
    page.goto(photos.get_absolute_url())
    expect(page.locator(".comment")).to_have_count(3)
    page.wait_for_load_state("networkidle")
    screenshot(page, f"feed-post-comments-{scheme}-{device}", full_page=True)
    page.goto("/feed/favourites/")
    expect(page.locator("[data-post]")).to_have_count(2)
    page.locator(".favourites__summary").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, f"feed-favourites-{scheme}-{device}", full_page=True)


def test_scrolling_down_loads_older_posts_until_the_first(signed_in):
    def many():
        anna = UserFactory(username="anna")
        for n in range(45):
            _post(anna, f"Запись номер {n}")
        return UserFactory(username="boris")

    boris = off_the_loop(many)
    page = signed_in(boris, viewport=PHONE)
    expect(page.locator("[data-post]")).to_have_count(20)
    for expected in (40, 45):
        page.locator("[data-post]").last.scroll_into_view_if_needed()
        expect(page.locator("[data-post]")).to_have_count(expected)
    expect(page.locator("[data-post]", has_text="Запись номер 0")).to_have_count(1)
    expect(page.locator(".feed__more")).to_have_count(0)
