"""The chat list, folders, groups and channels management, communities: behaviour and who may
do what."""

import pytest
from django.urls import reverse

from accounts.models import Audience, Contact
from accounts.tests.factories import UserFactory
from messaging import selectors, services
from messaging.models import Chat, ChatFolder, Community, CommunityMember, Membership
from messaging.selectors import folders as folder_selectors
from messaging.services import communities
from messaging.services import folders as folder_services
from messaging.tests.factories import group, say

pytestmark = pytest.mark.django_db


def refused(client, url, data=None, *, back: str, method: str = "post") -> str:
    """A refused plain form: back to the page it came from, which shows the reason (the page)."""
    response = getattr(client, method)(url, data or {}, HTTP_REFERER=back, follow=True)
    assert response.redirect_chain == [(back, 302)], url
    return response.content.decode()


def refused_json(client, url, data=None) -> tuple[int, str]:
    """A refused call from the page's scripts: the status and the reason as JSON."""
    response = client.post(url, data or {}, HTTP_HX_REQUEST="true")
    return response.status_code, response.json()["error"]


# --- The list ---------------------------------------------------------------------------------
def test_the_list_partial_shows_unread_badges_and_the_newest_chat_first(
    client, member, other_member
):
    older = group(other_member, member, title="Дача")
    newer = services.direct_chat(user=member, other=other_member)
    say(other_member, older, "Поливать")
    say(other_member, newer, "Привет")
    say(other_member, newer, "Ты тут?")
    client.force_login(member)
    response = client.get(reverse("messaging:index") + "?partial=list", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.index(f'data-chat-row="{newer.pk}"') < html.index(f'data-chat-row="{older.pk}"')
    assert "2 непрочитанных сообщения" in html


def test_the_row_menu_pins_mutes_and_archives_through_chat_settings(client, member, other_member):
    chat = services.direct_chat(user=member, other=other_member)
    client.force_login(member)
    url = reverse("messaging:chat_settings", args=[chat.pk])
    html = client.get(reverse("messaging:index")).content.decode()
    assert url in html and 'value="8h"' in html
    assert (
        client.post(url, {"action": "mute", "for": "8h"}, HTTP_HX_REQUEST="true").status_code == 204
    )
    assert client.post(url, {"action": "pin"}, HTTP_HX_REQUEST="true").status_code == 204
    membership = Membership.objects.get(chat=chat, user=member)
    assert membership.is_muted and membership.pinned_at
    client.post(url, {"action": "archive"}, HTTP_HX_REQUEST="true")
    assert (
        f'data-chat-row="{chat.pk}"' not in client.get(reverse("messaging:index")).content.decode()
    )


def test_a_members_page_has_a_message_button_that_opens_the_direct_chat(
    client, member, other_member
):
    client.force_login(member)
    page = client.get(reverse("accounts:member", args=[other_member.pk])).content.decode()
    url = reverse("messaging:direct", args=[other_member.pk])
    assert f'action="{url}"' in page
    response = client.post(url)
    chat = Chat.objects.get(kind=Chat.Kind.DIRECT)
    assert response.url == chat.get_absolute_url()


# --- Folders ----------------------------------------------------------------------------------
def _rows(user):
    return selectors.inbox(user)


def test_folder_rules_choose_chats_by_kind_unread_and_mute(member, other_member):
    direct = services.direct_chat(user=member, other=other_member)
    family = services.family_chat()
    services.join_family_chat(user=member)
    team = group(other_member, member, title="Дача")
    channel = group(other_member, member, title="Новости", kind=Chat.Kind.CHANNEL)
    say(other_member, direct, "Привет")
    services.mark_read(user=member, chat=team, seq=team.last_seq)
    services.set_muted(user=member, chat=channel, duration="forever")

    def shown(**rules):
        folder = folder_services.create_folder(user=member, name="x", **rules)
        ids = {row.chat_id for row in folder_selectors.rows_in(folder, _rows(member))}
        folder.delete()
        return ids

    assert shown(include_direct=True) == {direct.pk}
    assert shown(include_groups=True) == {family.pk, team.pk}
    assert shown(include_channels=True) == {channel.pk}
    assert shown(include_channels=True, exclude_muted=True) == set()
    assert shown(unread_only=True) == {direct.pk, channel.pk}
    assert shown(include_groups=True, unread_only=True) == set()
    chosen = folder_services.create_folder(user=member, name="Мои", chat_ids=[team.pk])
    assert {row.chat_id for row in folder_selectors.rows_in(chosen, _rows(member))} == {team.pk}


def test_a_folder_keeps_only_chats_of_its_owner(member, other_member):
    theirs = group(other_member, title="Чужая")
    folder = folder_services.create_folder(user=member, name="Хитрая", chat_ids=[theirs.pk])
    assert folder.chats.count() == 0


def test_folders_are_renamed_reordered_and_deleted(member):
    first = folder_services.create_folder(user=member, name="Один")
    second = folder_services.create_folder(user=member, name="Два")
    folder_services.move_folder(user=member, folder=second, up=True)
    assert [f.name for f in folder_selectors.folders_of(member)] == ["Два", "Один"]
    folder_services.rename_folder(user=member, folder=first, name="  Первая  ")
    folder_services.reorder_folders(user=member, folder_ids=[first.pk, second.pk])
    assert [f.name for f in folder_selectors.folders_of(member)] == ["Первая", "Два"]
    folder_services.delete_folder(user=member, folder=first)
    assert list(ChatFolder.objects.filter(user=member)) == [second]


def _list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("messaging:index") + "?partial=list", HTTP_HX_REQUEST="true")
    return len(queries)


def test_tabs_count_unread_chats_per_folder_in_a_constant_number_of_queries(
    client, member, other_member
):
    direct = services.direct_chat(user=member, other=other_member)
    say(other_member, direct, "Привет")
    folder_services.create_folder(user=member, name="Личные", include_direct=True)
    client.force_login(member)
    client.get(reverse("messaging:index"))
    with_one_folder = _list_queries(client)
    for n in range(3):
        chat = group(other_member, member, title=f"Группа {n}")
        say(other_member, chat, "Новости")
        folder_services.create_folder(user=member, name=f"Папка {n}", chat_ids=[chat.pk])
    assert _list_queries(client) == with_one_folder
    response = client.get(reverse("messaging:index") + "?partial=list", HTTP_HX_REQUEST="true")
    tabs = response.context["tabs"]
    assert [tab.unread for tab in tabs] == [4, 1, 1, 1, 1]
    assert tabs[0].selected
    personal = tabs[1].folder
    response = client.get(reverse("messaging:index") + f"?folder={personal.pk}")
    assert [row.chat_id for row in response.context["rows"]] == [direct.pk]
    assert response.context["tabs"][1].selected


def test_the_folders_page_creates_a_folder_that_shows_as_a_tab(client, member, other_member):
    chat = group(other_member, member, title="Дача")
    client.force_login(member)
    response = client.post(reverse("messaging:folders"), {"name": "Дом", "include_groups": "on"})
    folder = ChatFolder.objects.get(user=member)
    assert response.url == reverse("messaging:folder", args=[folder.pk])
    client.post(reverse("messaging:folder", args=[folder.pk]), {"name": "Дом", "chats": [chat.pk]})
    folder.refresh_from_db()
    assert not folder.include_groups and list(folder.chats.all()) == [chat]
    assert ">Дом<" in client.get(reverse("messaging:index")).content.decode()


def test_someone_elses_folder_is_404_and_unchanged(client, member, other_member):
    folder = folder_services.create_folder(user=other_member, name="Папина")
    client.force_login(member)
    assert client.get(reverse("messaging:folder", args=[folder.pk])).status_code == 404
    for name in ("messaging:folder", "messaging:move_folder", "messaging:delete_folder"):
        assert client.post(reverse(name, args=[folder.pk]), {"name": "x"}).status_code == 404
    folder.refresh_from_db()
    assert folder.name == "Папина"


# --- Groups and channels ---------------------------------------------------------------------
def test_a_new_group_page_shows_who_refuses_to_be_added_and_why(client, member, other_member):
    shy = UserFactory(display_name="Тётя Зина", who_may_add_to_groups=Audience.NOBODY)
    picky = UserFactory(display_name="Дядя Боря", who_may_add_to_groups=Audience.CONTACTS)
    client.force_login(member)
    html = client.get(reverse("messaging:new_chat", args=["group"])).content.decode()
    assert "Тётя Зина" in html and "Дядя Боря" in html
    assert html.count("disabled") >= 2
    response = client.post(
        reverse("messaging:new_chat", args=["group"]),
        {"title": "Дача", "members": [other_member.pk, shy.pk, picky.pk]},
    )
    chat = Chat.objects.get(title="Дача")
    assert response.url == chat.get_absolute_url()
    assert set(selectors.member_ids(chat)) == {member.pk, other_member.pk}
    Contact.objects.create(owner=picky, person=member)
    services.add_members(by=member, chat=chat, people=[picky])
    assert picky.pk in selectors.member_ids(chat)


def test_a_new_channel_makes_its_creator_owner_and_others_subscribers(client, member, other_member):
    client.force_login(member)
    client.post(
        reverse("messaging:new_chat", args=["channel"]),
        {"title": "Рецепты", "members": [other_member.pk]},
    )
    chat = Chat.objects.get(title="Рецепты", kind=Chat.Kind.CHANNEL)
    roles = dict(Membership.objects.filter(chat=chat).values_list("user_id", "role"))
    assert roles == {member.pk: "owner", other_member.pk: "subscriber"}


def test_the_chat_info_page_shows_members_roles_and_an_invite_qr_to_admins(
    client, member, other_member
):
    chat = group(member, other_member, title="Дача")
    client.force_login(member)
    html = client.get(reverse("messaging:chat_info", args=[chat.pk])).content.decode()
    assert "Папа" in html and "data:image/svg+xml" in html and chat.invite_code in html
    client.force_login(other_member)
    html = client.get(reverse("messaging:chat_info", args=[chat.pk])).content.decode()
    assert chat.invite_code not in html and "Бабушка Валя" in html


def test_admins_edit_add_promote_and_remove(client, member, other_member):
    chat = group(member, title="Дача")
    client.force_login(member)
    client.post(reverse("messaging:edit_chat", args=[chat.pk]), {"title": "Дача 2"})
    client.post(reverse("messaging:add_members", args=[chat.pk]), {"members": [other_member.pk]})
    client.post(reverse("messaging:set_admin", args=[chat.pk, other_member.pk]), {"admin": "1"})
    assert Membership.objects.get(chat=chat, user=other_member).role == "admin"
    client.post(reverse("messaging:remove_member", args=[chat.pk, other_member.pk]))
    chat.refresh_from_db()
    assert chat.title == "Дача 2"
    assert Membership.objects.get(chat=chat, user=other_member).left_at is not None


def test_a_chat_photo_is_stored_under_chat_avatars(client, member):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    chat = group(member, title="Дача")
    data = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(data, "PNG")
    client.force_login(member)
    client.post(
        reverse("messaging:chat_photo", args=[chat.pk]),
        {"photo": SimpleUploadedFile("p.png", data.getvalue(), content_type="image/png")},
    )
    chat.refresh_from_db()
    assert chat.avatar.name.startswith("chat-avatars/")


def test_an_invite_link_shows_the_chat_and_joins_it(client, member, other_member):
    chat = group(member, title="Дача")
    client.force_login(other_member)
    url = reverse("messaging:join", args=[chat.invite_code])
    assert "Дача" in client.get(url).content.decode()
    assert client.post(url).url == chat.get_absolute_url()
    assert other_member.pk in selectors.member_ids(chat)
    assert client.get(reverse("messaging:join", args=["wrong-code"])).status_code == 404


def test_a_reset_invite_link_stops_working(client, member, other_member):
    chat = group(member, title="Дача")
    old = chat.invite_code
    client.force_login(member)
    client.post(reverse("messaging:reset_invite", args=[chat.pk]))
    client.force_login(other_member)
    assert client.get(reverse("messaging:join", args=[old])).status_code == 404


def test_the_directory_subscribes_and_unsubscribes(client, member, other_member):
    channel = group(member, title="Рецепты", kind=Chat.Kind.CHANNEL)
    client.force_login(other_member)
    html = client.get(reverse("messaging:directory")).content.decode()
    assert "Рецепты" in html and "1 подписчик" in html
    client.post(reverse("messaging:subscribe", args=[channel.pk]))
    assert Membership.objects.get(chat=channel, user=other_member).role == "subscriber"
    client.post(reverse("messaging:subscribe", args=[channel.pk]), {"subscribe": "0"})
    assert other_member.pk not in selectors.member_ids(channel)


def test_a_channel_that_is_not_listed_cannot_be_subscribed_to_from_outside(
    client, member, other_member
):
    channel = group(member, title="Секрет", kind=Chat.Kind.CHANNEL)
    Chat.objects.filter(pk=channel.pk).update(is_listed=False)
    client.force_login(other_member)
    assert client.post(reverse("messaging:subscribe", args=[channel.pk])).status_code == 404
    assert other_member.pk not in selectors.member_ids(channel)


# --- Communities ------------------------------------------------------------------------------
def test_a_community_comes_with_an_announcements_channel_and_its_creator_as_admin(member):
    community = communities.create_community(by=member, title="Ивановы")
    channel = communities.announcements(community)
    assert channel.kind == Chat.Kind.CHANNEL and channel.community == community
    assert CommunityMember.objects.get(community=community, user=member).role == "admin"
    assert Membership.objects.get(chat=channel, user=member).role == "owner"


def test_joining_a_community_subscribes_to_announcements_and_shows_its_chats(
    client, member, other_member
):
    community = communities.create_community(by=member, title="Ивановы")
    garden = communities.create_community_chat(
        by=member, community=community, title="Огород", kind=Chat.Kind.GROUP
    )
    client.force_login(other_member)
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Огород" not in page and "Вступить в сообщество" in page
    client.post(reverse("messaging:join_community", args=[community.pk]))
    assert other_member.pk in selectors.member_ids(communities.announcements(community))
    page = client.get(community.get_absolute_url()).content.decode()
    assert "Огород" in page
    client.post(reverse("messaging:join_community_chat", args=[community.pk, garden.pk]))
    assert other_member.pk in selectors.member_ids(garden)
    client.post(reverse("messaging:join_community", args=[community.pk]), {"join": "0"})
    assert other_member.pk not in selectors.member_ids(garden)
    assert not CommunityMember.objects.filter(user=other_member).exists()


def test_a_community_admin_adds_a_group_they_administer(client, member):
    community = communities.create_community(by=member, title="Ивановы")
    chat = group(member, title="Дача")
    client.force_login(member)
    client.post(reverse("messaging:attach_chat", args=[community.pk]), {"chat": chat.pk})
    chat.refresh_from_db()
    assert chat.community == community


def test_the_new_community_page_creates_one(client, member):
    client.force_login(member)
    response = client.post(reverse("messaging:new_community"), {"title": "Ивановы"})
    community = Community.objects.get()
    assert response.url == community.get_absolute_url()


# --- Who may do what --------------------------------------------------------------------------
def test_outsiders_get_404_and_nothing_changes(client, member, other_member):
    chat = group(member, title="Дача")
    outsider = UserFactory()
    client.force_login(outsider)
    gets = ["messaging:chat_info", "messaging:add_members"]
    for name in gets:
        assert client.get(reverse(name, args=[chat.pk])).status_code == 404, name
    posts = [
        ("messaging:edit_chat", [chat.pk], {"title": "Взлом"}),
        ("messaging:chat_photo", [chat.pk], {}),
        ("messaging:add_members", [chat.pk], {"members": [outsider.pk]}),
        ("messaging:remove_member", [chat.pk, member.pk], {}),
        ("messaging:set_admin", [chat.pk, outsider.pk], {"admin": "1"}),
        ("messaging:reset_invite", [chat.pk], {}),
        ("messaging:leave", [chat.pk], {}),
        ("messaging:subscribe", [chat.pk], {}),
        ("messaging:attach_chat", [999999], {"chat": chat.pk}),
        ("messaging:join_community", [999999], {}),
    ]
    for name, args, data in posts:
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    assert client.get(reverse("messaging:community", args=[999999])).status_code == 404
    chat.refresh_from_db()
    assert chat.title == "Дача" and selectors.member_ids(chat) == [member.pk]
    assert client.get(reverse("messaging:search") + f"?chat={chat.pk}&q=x").status_code == 404


def test_members_without_the_role_are_refused_with_a_reason_and_nothing_changes(
    client, member, other_member
):
    third = UserFactory()
    chat = group(member, other_member, third, title="Дача")
    invite = chat.invite_code
    client.force_login(other_member)
    cases = [
        ("messaging:edit_chat", [chat.pk], {"title": "Взлом"}),
        ("messaging:add_members", [chat.pk], {"members": [UserFactory().pk]}),
        ("messaging:remove_member", [chat.pk, third.pk], {}),
        ("messaging:set_admin", [chat.pk, third.pk], {"admin": "1"}),
        ("messaging:reset_invite", [chat.pk], {}),
    ]
    info = reverse("messaging:chat_info", args=[chat.pk])
    reason = "Это могут только администраторы чата."
    for name, args, data in cases:
        url = reverse(name, args=args)
        assert refused_json(client, url, data) == (403, reason), name
        assert reason in refused(client, url, data, back=info), name
    add_page = reverse("messaging:add_members", args=[chat.pk])
    assert reason in refused(client, add_page, back=info, method="get")
    # An admin who is not the owner may not hand out admin rights.
    services.set_role(by=member, chat=chat, person=other_member, admin=True)
    url = reverse("messaging:set_admin", args=[chat.pk, third.pk])
    assert refused_json(client, url, {"admin": "1"}) == (403, "Это может только владелец чата.")
    assert "Это может только владелец чата." in refused(client, url, {"admin": "1"}, back=info)
    chat.refresh_from_db()
    assert chat.title == "Дача" and chat.invite_code == invite
    assert len(selectors.member_ids(chat)) == 3
    assert Membership.objects.get(chat=chat, user=third).role == "member"


def test_community_members_who_are_not_admins_are_refused(client, member, other_member):
    community = communities.create_community(by=member, title="Ивановы")
    communities.join_community(user=other_member, community=community)
    mine = group(other_member, title="Моя")
    client.force_login(other_member)
    new_chat = reverse("messaging:new_chat", args=["group"])
    data = {"title": "Чужая", "community": community.pk}
    reason = "Это могут только администраторы сообщества."
    assert refused_json(client, new_chat, data) == (403, reason)
    assert reason in refused(client, new_chat, data, back=f"{new_chat}?community={community.pk}")
    attach = reverse("messaging:attach_chat", args=[community.pk])
    assert refused_json(client, attach, {"chat": mine.pk})[0] == 403
    assert reason in refused(client, attach, {"chat": mine.pk}, back=community.get_absolute_url())
    mine.refresh_from_db()
    assert mine.community is None and community.chats.count() == 1


def test_joining_a_community_chat_needs_the_community(client, member, other_member):
    community = communities.create_community(by=member, title="Ивановы")
    garden = communities.create_community_chat(
        by=member, community=community, title="Огород", kind=Chat.Kind.GROUP
    )
    client.force_login(other_member)
    url = reverse("messaging:join_community_chat", args=[community.pk, garden.pk])
    reason = "Сначала вступите в сообщество."
    assert refused_json(client, url) == (403, reason)
    assert reason in refused(client, url, back=community.get_absolute_url())
    assert other_member.pk not in selectors.member_ids(garden)


def test_the_family_chat_cannot_be_left(client, member):
    chat = services.family_chat()
    services.join_family_chat(user=member)
    client.force_login(member)
    url = reverse("messaging:leave", args=[chat.pk])
    assert refused_json(client, url)[0] == 403
    assert "Из этого чата нельзя выйти." in refused(client, url, back=chat.get_absolute_url())
    assert member.pk in selectors.member_ids(chat)
