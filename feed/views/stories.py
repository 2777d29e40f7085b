"""Status updates over HTTP: the row, the viewer, posting, views, viewers and deleting."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import Invalid
from feed.audience import communities_of
from feed.forms import StoryForm
from feed.models import Story
from feed.selectors import stories as selectors
from feed.services import stories as services


@login_required
def row(request):
    """The row of avatars alone: what the feed page asks for again when an update arrives."""
    return render(request, "feed/stories/_row.html")


def _form_page(request, form, *, error="", status=200):
    return render(
        request,
        "feed/stories/new.html",
        {
            "form": form,
            "error": error,
            "communities": communities_of(request.user),
            "backgrounds": Story.Background.choices,
            "audiences": Story.Audience.choices,
        },
        status=status,
    )


@login_required
def new(request):
    if request.method != "POST":
        form = StoryForm(initial={"client_id": uuid.uuid4().hex})
        return _form_page(request, form)
    form = StoryForm(request.POST, request.FILES)
    if not form.is_valid():
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        return _form_page(request, form, error=" ".join(errors), status=422)
    data = form.cleaned_data
    community = None
    if data["community"]:
        community = communities_of(request.user).filter(pk=data["community"]).first()
    try:
        services.post_story(
            author=request.user,
            client_id=data["client_id"],
            kind=data["kind"],
            text=data["caption"] if data["kind"] == Story.Kind.PHOTO else data["text"],
            background=data["background"] or Story.Background.TEAL,
            photo=data["photo"],
            audience=data["audience"],
            community=community,
        )
    except Invalid as invalid:
        # Not a refusal to answer elsewhere: the page shows the form again with the reason, as
        # it does for the form's own errors (the middleware answers any other Refused).
        return _form_page(request, form, error=invalid.message, status=422)
    return redirect("home")


@login_required
def member(request, member_id: int):
    """The full-screen viewer of one member's current updates."""
    stories = selectors.stories_of(request.user, member_id)
    if not stories:
        raise Http404
    start = next((s for s in stories if str(s.pk) == request.GET.get("story")), None)
    if start is None:
        start = next((s for s in stories if not s.seen), stories[0])
    rings = selectors.rings_for(request.user)
    authors = [ring.author.pk for ring in rings]
    next_url = ""
    if member_id in authors:
        after = [ring for ring in rings[authors.index(member_id) + 1 :] if ring.unseen]
        if after:
            next_url = reverse("stories:member", args=[after[0].author.pk])
    return render(
        request,
        "feed/stories/viewer.html",
        {
            "author": stories[0].author,
            "stories": stories,
            "start": stories.index(start),
            "mine": member_id == request.user.pk,
            "next_url": next_url,
        },
    )


@login_required
@require_POST
def seen(request, story_id: int):
    story = selectors.story_for(request.user, story_id)
    services.record_view(story=story, viewer=request.user)
    return HttpResponse(status=204)


@login_required
def viewers(request, story_id: int):
    story = selectors.own_story(request.user, story_id)
    return render(
        request,
        "feed/stories/viewers.html",
        {"story": story, "views": list(selectors.viewers_of(story))},
    )


@login_required
@require_POST
def delete(request, story_id: int):
    story = selectors.own_story(request.user, story_id)
    services.delete_story(story=story, by=request.user)
    if request.htmx:
        return HttpResponse(status=204)
    messages.success(request, _("The status update is deleted."))
    return redirect("home")
