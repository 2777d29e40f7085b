"""The feed's pages and actions: thin, each takes ids through the audience-aware selectors.

A refused write is not caught here: services raise `core.errors.Refused`/`Invalid` and
`core.middleware.RefusalMiddleware` answers it (JSON for scripts, a message for a plain form).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import selectors as accounts_selectors
from core.responses import safe_back, wants_json
from feed import rendering, selectors, services
from feed.audience import communities_of
from feed.models import Post, Report


def int_or(value, default=None):
    """An id or a number from a query string or a form, or `default`."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _cards(request, posts, template="feed/partials/_page.html", **extra):
    rendering.prepare(posts)
    return render(request, template, {"posts": posts, **extra})


@login_required
@require_GET
def index(request):
    """The family feed, newest first; HTMX asks for the next page (`before`) or new posts
    (`after`)."""
    after = int_or(request.GET.get("after"))
    if after is not None:
        posts = selectors.newer_than(request.user, after)
        return _cards(request, posts, "feed/partials/_cards.html")
    before = int_or(request.GET.get("before"))
    posts, has_more = selectors.feed_page(request.user, before=before)
    context = {"has_more": has_more, "page_url": reverse("feed:index")}
    if request.htmx and before is not None:
        return _cards(request, posts, **context)
    rendering.prepare(posts)
    return render(
        request,
        "feed/index.html",
        {
            "posts": posts,
            **context,
            "audiences": Post.Audience.choices,
            "communities": communities_of(request.user),
            "max_media": 10,
        },
    )


@login_required
@require_GET
def member_posts(request, member_id: int):
    """A member's posts (those the viewer may see), for their profile page."""
    person = accounts_selectors.member_for(request.user, member_id)
    before = int_or(request.GET.get("before"))
    posts, has_more = selectors.feed_page(request.user, before=before, author=person)
    return _cards(
        request,
        posts,
        "feed/partials/_member_posts.html" if before is None else "feed/partials/_page.html",
        has_more=has_more,
        page_url=reverse("feed:member_posts", args=[person.pk]),
    )


@login_required
@require_POST
def create_post(request):
    audience = request.POST.get("audience", Post.Audience.FAMILY)
    community = None
    if audience == Post.Audience.COMMUNITY:
        # None (not one of mine) is refused by the service: "Choose a community."
        community = (
            communities_of(request.user).filter(pk=int_or(request.POST.get("community"))).first()
        )
    post, _created = services.create_post(
        author=request.user,
        client_id=request.POST.get("client_id", ""),
        text=request.POST.get("text", ""),
        audience=audience,
        community=community,
        uploads=request.FILES.getlist("files"),
    )
    if not wants_json(request):
        return redirect("home")
    return _cards(request, [selectors.post_for(request.user, post.pk)], "feed/partials/_cards.html")


@login_required
@require_GET
def post_detail(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    comments, has_earlier = selectors.comments_page(request.user, post)
    rendering.prepare([post], comments)
    return render(
        request,
        "feed/post.html",
        {"post": post, "comments": comments, "has_earlier": has_earlier, "detail": True},
    )


@login_required
def edit_post(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    if post.author_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        services.edit_post(user=request.user, post=post, text=request.POST.get("text", ""))
        return redirect(post)
    return render(request, "feed/edit_post.html", {"post": post})


@login_required
@require_POST
def delete_post(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    services.delete_post(user=request.user, post=post)
    if wants_json(request):
        return JsonResponse({"deleted": post_id})
    messages.success(request, _("The post is deleted."))
    return redirect("home")


@login_required
@require_POST
def hide_post(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    hidden = request.POST.get("hidden", "1") == "1"
    services.set_post_hidden(user=request.user, post=post, hidden=hidden)
    messages.success(request, _("The post is hidden.") if hidden else _("The post is shown again."))
    return redirect(safe_back(request))


@login_required
@require_POST
def like(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    liked = request.POST.get("liked", "1") == "1"
    post = services.set_like(user=request.user, post=post, liked=liked)
    if wants_json(request):
        return JsonResponse({"liked": liked, "likes": post.like_count})
    return redirect(safe_back(request, post.get_absolute_url()))


@login_required
@require_GET
def likers(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    people = selectors.likers(request.user, post)
    template = "feed/partials/_likers.html" if request.htmx else "feed/likers.html"
    return render(request, template, {"post": post, "people": people})


@login_required
@require_GET
def comments(request, post_id: int):
    """An earlier page of a post's comments ("show earlier")."""
    post = selectors.post_for(request.user, post_id)
    page, has_earlier = selectors.comments_page(
        request.user, post, before=int_or(request.GET.get("before"))
    )
    rendering.prepare([], page)
    return render(
        request,
        "feed/partials/_comments.html",
        {"post": post, "comments": page, "has_earlier": has_earlier},
    )


@login_required
@require_POST
def add_comment(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    parent = None
    if request.POST.get("parent"):
        parent = selectors.comment_for(request.user, int_or(request.POST.get("parent"), 0))
    comment, _created = services.add_comment(
        user=request.user,
        post=post,
        text=request.POST.get("text", ""),
        client_id=request.POST.get("client_id", ""),
        parent=parent,
    )
    if not wants_json(request):
        return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    comment = selectors.comment_for(request.user, comment.pk)
    rendering.prepare([], [comment])
    return render(request, "feed/partials/_comment.html", {"comment": comment, "post": post})


@login_required
def edit_comment(request, comment_id: int):
    comment = selectors.comment_for(request.user, comment_id)
    if comment.author_id != request.user.pk:
        raise Http404
    if request.method == "POST":
        services.edit_comment(user=request.user, comment=comment, text=request.POST.get("text", ""))
        return redirect(f"{comment.post.get_absolute_url()}#comment-{comment.pk}")
    return render(request, "feed/edit_comment.html", {"comment": comment})


@login_required
@require_POST
def delete_comment(request, comment_id: int):
    comment = selectors.comment_for(request.user, comment_id)
    services.delete_comment(user=request.user, comment=comment)
    if wants_json(request):
        return JsonResponse({"deleted": comment_id})
    return redirect(comment.post)


@login_required
def report(request, post_id: int | None = None, comment_id: int | None = None):
    comment = selectors.comment_for(request.user, comment_id) if comment_id else None
    post = comment.post if comment else selectors.post_for(request.user, post_id)
    if request.method == "POST":
        services.report(
            user=request.user,
            post=post,
            comment=comment,
            reason=request.POST.get("reason", ""),
            details=request.POST.get("details", ""),
        )
        messages.success(request, _("Thank you. The owner will look at it."))
        return redirect(post)
    return render(
        request,
        "feed/report.html",
        {"post": post, "comment": comment, "reasons": Report.Reason.choices},
    )


@login_required
@require_POST
def save(request, post_id: int):
    post = selectors.post_for(request.user, post_id)
    saved = request.POST.get("saved", "1") != "0"
    if saved:
        folder_id = int_or(request.POST.get("folder"))
        folder = selectors.folder_of(request.user, folder_id) if folder_id else None
        services.save_post(user=request.user, post=post, folder=folder)
    else:
        services.unsave_post(user=request.user, post=post)
    if wants_json(request):
        return JsonResponse({"saved": saved})
    return redirect(safe_back(request, post.get_absolute_url()))


@login_required
@require_GET
def favourites(request, folder_id: int | None = None):
    folder = selectors.folder_of(request.user, folder_id) if folder_id else None
    posts = selectors.favourites_page(request.user, folder=folder)
    rendering.prepare(posts)
    return render(
        request,
        "feed/favourites.html",
        {"folder": folder, "folders": selectors.folders_of(request.user), "posts": posts},
    )


@login_required
@require_POST
def folder_action(request, folder_id: int | None = None):
    """Create, rename, move up/down or delete a favourites folder."""
    if folder_id is None:
        folder = services.create_folder(user=request.user, name=request.POST.get("name", ""))
        return redirect("feed:folder", folder.pk)
    folder = selectors.folder_of(request.user, folder_id)
    action = request.POST.get("action", "create")
    if action in ("up", "down"):
        services.move_folder(user=request.user, folder=folder, step=-1 if action == "up" else 1)
        return redirect("feed:favourites")
    if action == "delete":
        services.delete_folder(user=request.user, folder=folder)
        return redirect("feed:favourites")
    if action == "rename":
        services.rename_folder(user=request.user, folder=folder, name=request.POST.get("name", ""))
    return redirect("feed:folder", folder.pk)
