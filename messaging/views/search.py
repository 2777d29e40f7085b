"""Searching messages: in all my chats, or in one."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from messaging import search, selectors

RESULTS = 50


@login_required
@require_GET
def search_messages(request):
    query = request.GET.get("q", "").strip()[:200]
    membership = None
    chat_id = request.GET.get("chat")
    if chat_id:
        try:
            membership = selectors.membership_for(request.user, int(chat_id))
        except ValueError:
            membership = None
    chat = membership.chat if membership else None
    results = []
    if query:
        found = list(selectors.search_messages(request.user, query, chat=chat)[:RESULTS])
        peers = _peers(request.user, found)
        for message in found:
            message.snippet_html = search.highlight(message.text, query)
            message.peer = peers.get(message.chat_id)
        results = found
    context = {"query": query, "chat": chat, "membership": membership, "results": results}
    template = (
        "messaging/partials/_search_results.html" if request.htmx else "messaging/search.html"
    )
    return render(request, template, context)


def _peers(user, found):
    """The other member of each direct chat among the results (see selectors.peers_of)."""
    from messaging.models import Chat

    direct = {m.chat_id for m in found if m.chat.kind == Chat.Kind.DIRECT}
    # Plain rows, as before: a peer who has left the family still names the chat.
    return selectors.peers_of(user, direct, annotated=False)
