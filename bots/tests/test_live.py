"""Real bot libraries against a real Toricy (daphne, real HTTP): python-telegram-bot and aiogram
run unchanged apart from the base URL, while a member writes to them through the web."""

from __future__ import annotations

import asyncio
import time

import pytest
import requests
from asgiref.sync import sync_to_async

from accounts.tests.factories import UserFactory
from bots import services
from messaging import services as messaging
from messaging.models import Message
from tests.conftest import static_root  # noqa: F401 (a fixture)
from tests.server import Server
from tests.test_chat_delivery import post_message, socket_since
from tests.test_cross_process import cookie_for, next_frame

pytestmark = pytest.mark.django_db(transaction=True)

GREETING = "Привет! Я эхо-бот."


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, static_root):  # noqa: F811
    site = Server(static_root=static_root).start()
    yield site
    site.stop()


@sync_to_async
def a_member_and_a_bot(username: str):
    member = UserFactory(display_name="Бабушка Валя")
    bot, token = services.create_bot(owner=member, username=username, name="Эхо")
    chat = messaging.direct_chat(user=member, other=bot.user)
    return member, bot, token, chat, cookie_for(member)


@sync_to_async
def texts_from(bot, chat) -> list[str]:
    return list(
        Message.objects.filter(chat=chat, sender=bot.user)
        .order_by("seq")
        .values_list("text", flat=True)
    )


async def wait_for_answers(bot, chat, count: int, seconds: float = 30) -> list[str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        texts = await texts_from(bot, chat)
        if len(texts) >= count:
            return texts
        await asyncio.sleep(0.2)
    return await texts_from(bot, chat)


async def heard_live(socket, text: str) -> dict:
    """The member's open tab receives the bot's message like anyone's (the realtime spine)."""
    async with asyncio.timeout(30):
        while True:
            frame = await next_frame(socket, "message.created")
            if text in frame["html"]:
                return frame


async def member_writes(server, cookie, chat, *texts: str) -> None:
    for n, text in enumerate(texts):
        status = await asyncio.to_thread(
            post_message, server, cookie, chat.pk, f"to-bot-{chat.pk}-{n}", text
        )
        assert status == 201


async def test_a_python_telegram_bot_echo_bot_answers_the_member(server):
    from telegram import Update
    from telegram.ext import (
        ApplicationBuilder,
        CommandHandler,
        ContextTypes,
        MessageHandler,
        filters,
    )

    member, bot, token, chat, cookie = await a_member_and_a_bot("ptbechobot")

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(GREETING)

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(f"{server.url}/bot")
        .base_file_url(f"{server.url}/file/bot")
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with application:
        me = await application.bot.get_me()
        assert (me.id, me.username, me.is_bot, me.first_name) == (bot.pk, "ptbechobot", True, "Эхо")
        await application.start()
        await application.updater.start_polling(timeout=10)
        socket = await socket_since(server, cookie, 0)
        try:
            await next_frame(socket, "ready")
            await member_writes(server, cookie, chat, "/start", "привет")
            answers = await wait_for_answers(bot, chat, 2)
            frame = await heard_live(socket, GREETING)
        finally:
            await socket.close()
            await application.updater.stop()
            await application.stop()
    assert answers == [GREETING, "привет"]
    assert frame["chat_id"] == chat.pk
    # The shutdown getUpdates confirmed both updates.
    assert await sync_to_async(services.pending_update_count)(bot) == 0


async def test_an_aiogram_echo_bot_answers_the_member(server):
    from aiogram import Bot, Dispatcher, F
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.filters import CommandStart
    from aiogram.types import Message as TgMessage

    member, bot, token, chat, cookie = await a_member_and_a_bot("aiogramechobot")
    dispatcher = Dispatcher()

    @dispatcher.message(CommandStart())
    async def start(message: TgMessage) -> None:
        await message.answer(GREETING)

    @dispatcher.message(F.text)
    async def echo(message: TgMessage) -> None:
        assert message.chat.id == member.pk and message.from_user.id == member.pk
        await message.answer(message.text)

    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    tg = Bot(token, session=session)
    try:
        me = await tg.get_me()
        assert (me.id, me.username, me.is_bot) == (bot.pk, "aiogramechobot", True)
        polling = asyncio.create_task(
            dispatcher.start_polling(tg, handle_signals=False, polling_timeout=10)
        )
        try:
            await member_writes(server, cookie, chat, "/start", "привет")
            answers = await wait_for_answers(bot, chat, 2)
        finally:
            await dispatcher.stop_polling()
            await asyncio.wait_for(polling, 30)
    finally:
        await session.close()
    assert answers == [GREETING, "привет"]


async def test_a_long_poll_returns_as_soon_as_the_member_writes(server):
    member, bot, token, chat, cookie = await a_member_and_a_bot("pollbot")

    def poll():
        started = time.monotonic()
        answer = requests.post(
            f"{server.url}/bot{token}/getUpdates", data={"timeout": 30}, timeout=40
        )
        return time.monotonic() - started, answer.json()

    waiting = asyncio.create_task(asyncio.to_thread(poll))
    await asyncio.sleep(1.5)  # the poller is waiting now
    assert not waiting.done()
    await member_writes(server, cookie, chat, "Ты тут?")
    took, body = await asyncio.wait_for(waiting, 40)
    assert body["ok"] is True
    assert [u["message"]["text"] for u in body["result"]] == ["Ты тут?"]
    # Woken by the update, not by the 30 s timeout.
    assert took < 15


async def test_a_4096_character_cyrillic_text_in_the_query_string_gets_through(server):
    member, bot, token, chat, cookie = await a_member_and_a_bot("longbot")
    text = ("Длинное письмо бабушке. " * 200)[:4096]
    assert len(text) == 4096

    def send():
        return requests.get(
            f"{server.url}/bot{token}/sendMessage",
            params={"chat_id": member.pk, "text": text},
            timeout=30,
        )

    answer = await asyncio.to_thread(send)
    assert answer.status_code == 200, answer.text[:300]
    assert answer.json()["result"]["text"] == text.strip()
    assert await texts_from(bot, chat) == [text.strip()]


async def test_every_method_so_far_parses_in_aiogram(server):
    """aiogram validates every answer with its pydantic models: a missing field fails here."""
    from aiogram import Bot
    from aiogram.client.session.aiohttp import AiohttpSession
    from aiogram.client.telegram import TelegramAPIServer
    from aiogram.exceptions import TelegramBadRequest, TelegramConflictError
    from aiogram.types import BotCommand

    member, bot, token, chat, cookie = await a_member_and_a_bot("aiogramallbot")
    session = AiohttpSession(api=TelegramAPIServer.from_base(server.url))
    tg = Bot(token, session=session)
    try:
        sent = await tg.send_message(member.pk, "<b>Привет</b>, бабушка", parse_mode="HTML")
        assert sent.chat.id == member.pk and sent.from_user.id == bot.pk
        edited = await tg.edit_message_text(
            "Здравствуй", chat_id=member.pk, message_id=sent.message_id
        )
        assert edited.text == "Здравствуй" and edited.edit_date is not None
        assert await tg.send_chat_action(member.pk, "typing") is True
        commands = [BotCommand(command="start", description="Начать")]
        assert await tg.set_my_commands(commands) is True
        assert [(c.command, c.description) for c in await tg.get_my_commands()] == [
            ("start", "Начать")
        ]
        full = await tg.get_chat(member.pk)
        assert full.id == member.pk and full.type == "private"
        seat = await tg.get_chat_member(member.pk, member.pk)
        assert seat.status == "member" and seat.user.id == member.pk
        assert await tg.set_webhook("https://hooks.example/toricy", secret_token="s3cret") is True
        info = await tg.get_webhook_info()
        assert info.url == "https://hooks.example/toricy" and info.pending_update_count == 0
        with pytest.raises(TelegramConflictError):
            await tg.get_updates()
        assert await tg.delete_webhook() is True
        assert await tg.get_updates(timeout=0) == []
        assert await tg.delete_message(member.pk, sent.message_id) is True
        with pytest.raises(TelegramBadRequest, match="chat not found"):
            await tg.send_message(999999, "Никому")
        assert await tg.delete_my_commands() is True
        assert await tg.log_out() is True
    finally:
        await session.close()


async def test_every_method_so_far_parses_in_python_telegram_bot(server):
    from telegram import Bot, BotCommand
    from telegram.error import BadRequest, Conflict

    member, bot, token, chat, cookie = await a_member_and_a_bot("ptballbot")
    async with Bot(token, base_url=f"{server.url}/bot") as tg:
        sent = await tg.send_message(member.pk, "Привет, <i>бабушка</i>", parse_mode="HTML")
        assert sent.chat.id == member.pk and sent.from_user.id == bot.pk
        edited = await tg.edit_message_text(
            "Здравствуй", chat_id=member.pk, message_id=sent.message_id
        )
        assert edited.text == "Здравствуй"
        assert await tg.send_chat_action(member.pk, "typing") is True
        assert await tg.set_my_commands([BotCommand("help", "Помощь")]) is True
        assert [c.command for c in await tg.get_my_commands()] == ["help"]
        full = await tg.get_chat(member.pk)
        assert full.id == member.pk and full.type == "private"
        seat = await tg.get_chat_member(member.pk, member.pk)
        assert seat.status == "member"
        assert await tg.set_webhook("https://hooks.example/toricy") is True
        assert (await tg.get_webhook_info()).url == "https://hooks.example/toricy"
        with pytest.raises(Conflict):
            await tg.get_updates()
        assert await tg.delete_webhook() is True
        assert await tg.delete_message(member.pk, sent.message_id) is True
        with pytest.raises(BadRequest, match="Chat not found"):
            await tg.send_message(999999, "Никому")
