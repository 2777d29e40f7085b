"""Every write of the feed: one function per use case, permission checked first, events after
commit. Notifications to members go through the `_notify_*` helpers at the bottom.

A write refused raises `core.errors.Refused` (403, or the status it names) or `Invalid` (400)
before it changes anything; the views let it through to the middleware."""

from __future__ import annotations

import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import media, realtime
from core import text as core_text
from core.errors import Invalid, Refused
from core.uploads import Staged, check_client_id, discard, stage
from feed import events, selectors
from feed.audience import communities_of
from feed.models import Comment, Favourite, FavouriteFolder, Like, Post, PostMedia, Report
from messaging.models import Community
from notifications import services as notifications
from notifications.models import Notification

MAX_POST_TEXT = 5000
MAX_COMMENT_TEXT = 2000
VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm", "video/x-matroska"}
FOLDER = "feed"


def is_owner(user: User) -> bool:
    return bool(user.is_active and user.is_superuser)


# --- Media --------------------------------------------------------------------------------------
def _store_one(upload) -> Staged:
    if (upload.content_type or "").lower() in VIDEO_TYPES:
        video = media.save_video(upload, folder=FOLDER, max_bytes=settings.MAX_POST_VIDEO_BYTES)
        return Staged(
            kind=PostMedia.Kind.VIDEO,
            file=video.file,
            preview=video.poster,
            width=video.width,
            height=video.height,
            size=video.size,
        )
    # Anything else must be a photo; save_photo tells the member if it is not.
    photo = media.save_photo(upload, folder=FOLDER, preview_side=720)
    return Staged(
        kind=PostMedia.Kind.PHOTO,
        file=photo.file,
        preview=photo.preview,
        width=photo.width,
        height=photo.height,
        size=photo.size,
    )


def prepare_media(uploads) -> list[Staged]:
    """Check and store every upload, or none of them (MediaError says why)."""
    return stage(
        uploads,
        _store_one,
        limit=settings.MAX_POST_MEDIA,
        too_many=_("At most %(n)d photos or videos in one post.") % {"n": settings.MAX_POST_MEDIA},
    )


def _delete_files_after_commit(names: list[str]) -> None:
    def remove():
        for name in names:
            media.delete(name)

    transaction.on_commit(remove)


# --- Posts --------------------------------------------------------------------------------------
def _check_audience(author: User, audience: str, community: Community | None) -> None:
    if audience not in Post.Audience.values:
        raise Invalid(_("Choose who sees the post."))
    if audience == Post.Audience.COMMUNITY:
        if community is None:
            raise Invalid(_("Choose a community."))
        if not communities_of(author).filter(pk=community.pk).exists():
            raise Refused(_("You can only post to a community you are in."), status=404)
    elif community is not None:
        raise Invalid(_("Choose who sees the post."))


def create_post(
    *,
    author: User,
    client_id: str,
    text: str = "",
    audience: str = Post.Audience.FAMILY,
    community: Community | None = None,
    uploads=(),
) -> tuple[Post, bool]:
    """Publish a post with its photos and videos at once, or nothing at all.

    Returns (post, created). A retry with the same client id returns the stored post and stores
    no file again.
    """
    check_client_id(client_id, _("The post has no valid id."))
    existing = Post.objects.filter(author=author, client_id=client_id).first()
    if existing is not None:
        return existing, False
    text = (text or "").strip()
    if len(text) > MAX_POST_TEXT:
        raise Invalid(_("The post is too long: at most %(n)d characters.") % {"n": MAX_POST_TEXT})
    uploads = list(uploads)
    if not text and not uploads:
        raise Invalid(_("Write something or add a photo."))
    _check_audience(author, audience, community)
    prepared = prepare_media(uploads)  # MediaError: nothing stored
    try:
        with transaction.atomic():
            post = Post.objects.create(
                author=author,
                client_id=client_id,
                text=text,
                audience=audience,
                community=community if audience == Post.Audience.COMMUNITY else None,
            )
            PostMedia.objects.bulk_create(
                PostMedia(
                    post=post,
                    kind=item.kind,
                    file=item.file,
                    preview=item.preview,
                    width=item.width,
                    height=item.height,
                    size=item.size,
                    position=position,
                )
                for position, item in enumerate(prepared)
            )
            realtime.publish(
                [uid for uid in selectors.audience_ids(post) if uid != author.pk],
                events.post_created(post),
            )
            _notify_mentions(post=post, actor=author, text=text, where="post", object_id=post.pk)
    except IntegrityError:
        discard(prepared)
        existing = Post.objects.filter(author=author, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    except Exception:
        discard(prepared)
        raise
    return post, True


def edit_post(*, user: User, post: Post, text: str) -> Post:
    """Change the text of one's own post; it shows as edited."""
    if post.author_id != user.pk:
        raise Refused(_("Only the author can edit a post."))
    text = (text or "").strip()
    if len(text) > MAX_POST_TEXT:
        raise Invalid(_("The post is too long: at most %(n)d characters.") % {"n": MAX_POST_TEXT})
    if not text and not post.media.exists():
        raise Invalid(_("Write something or add a photo."))
    if text == post.text:
        return post
    before = core_text.mentioned_usernames(post.text)
    with transaction.atomic():
        post.text = text
        post.edited_at = timezone.now()
        post.save(update_fields=["text", "edited_at"])
        _notify_mentions(
            post=post, actor=user, text=text, where="post", object_id=post.pk, skip=before
        )
    return post


def delete_post(*, user: User, post: Post) -> None:
    """The author deletes their post; the owner may delete anyone's (and the author is told)."""
    if post.author_id != user.pk and not is_owner(user):
        raise Refused(_("Only the author can delete a post."))
    with transaction.atomic():
        names = [n for pair in post.media.values_list("file", "preview") for n in pair if n]
        audience = selectors.audience_ids(post, online_only=True)
        post_id, author = post.pk, post.author
        snippet = core_text.snippet(post.text, 60)
        post.delete()
        _delete_files_after_commit(names)
        realtime.publish(audience, events.post_removed(post_id), durable=False)
        if post.author_id != user.pk:
            _notify_moderation(
                author, actor=user, text=snippet, key=f"moderation:post:{post_id}:deleted"
            )


def set_post_hidden(*, user: User, post: Post, hidden: bool) -> Post:
    """The owner hides a post from everyone but its author (or shows it again)."""
    if not is_owner(user):
        raise Refused(_("Only the owner can hide posts."))
    with transaction.atomic():
        audience = selectors.audience_ids(post, online_only=True)
        post.hidden_at = timezone.now() if hidden else None
        post.save(update_fields=["hidden_at"])
        if hidden:
            realtime.publish(
                [uid for uid in audience if uid != post.author_id],
                events.post_removed(post.pk),
                durable=False,
            )
            if post.author_id != user.pk:
                _notify_moderation(
                    post.author,
                    actor=user,
                    text=core_text.snippet(post.text, 60),
                    url=post.get_absolute_url(),
                    key=f"moderation:post:{post.pk}:hidden",
                )
    return post


def _publish_counts(post: Post) -> None:
    post.refresh_from_db(fields=["like_count", "comment_count"])
    realtime.publish(
        selectors.audience_ids(post, online_only=True), events.post_counts(post), durable=False
    )


# --- Likes --------------------------------------------------------------------------------------
def set_like(*, user: User, post: Post, liked: bool) -> Post:
    """Like or unlike a post the member sees; repeating either changes nothing."""
    with transaction.atomic():
        if liked:
            _, created = Like.objects.get_or_create(post=post, user=user)
            if created:
                Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
                _notify_like(post=post, actor=user)
        else:
            removed, _ = Like.objects.filter(post=post, user=user).delete()
            if removed:
                Post.objects.filter(pk=post.pk).update(like_count=Greatest(F("like_count") - 1, 0))
                _withdraw(post.author, f"like:post:{post.pk}:{user.pk}")
        _publish_counts(post)
    post.liked = liked
    return post


# --- Comments -----------------------------------------------------------------------------------
def _clean_comment(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Invalid(_("The comment is empty."))
    if len(text) > MAX_COMMENT_TEXT:
        raise Invalid(
            _("The comment is too long: at most %(n)d characters.") % {"n": MAX_COMMENT_TEXT}
        )
    return text


def add_comment(
    *, user: User, post: Post, text: str, client_id: str, parent: Comment | None = None
) -> tuple[Comment, bool]:
    """Comment on a post the member sees, or reply to a comment (one level: a reply to a reply
    joins the same thread). A retry with the same client id returns the stored comment."""
    check_client_id(client_id, _("The comment has no valid id."))
    existing = Comment.objects.filter(author=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    text = _clean_comment(text)
    if parent is not None:
        if parent.post_id != post.pk:
            raise Invalid(_("You can only reply to a comment of this post."))
        replied_to = parent
        parent = parent.parent or parent
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                post=post, author=user, parent=parent, text=text, client_id=client_id
            )
            Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
            if parent is not None:
                _notify_reply(comment=comment, to=replied_to.author, actor=user)
            _notify_comment(post=post, comment=comment, actor=user)
            _notify_mentions(
                post=post, actor=user, text=text, where="comment", object_id=comment.pk
            )
            _publish_counts(post)
    except IntegrityError:
        existing = Comment.objects.filter(author=user, client_id=client_id).first()
        if existing is None:
            raise
        return existing, False
    return comment, True


def edit_comment(*, user: User, comment: Comment, text: str) -> Comment:
    if comment.author_id != user.pk:
        raise Refused(_("Only the author can edit a comment."))
    text = _clean_comment(text)
    if text == comment.text:
        return comment
    before = core_text.mentioned_usernames(comment.text)
    with transaction.atomic():
        comment.text = text
        comment.edited_at = timezone.now()
        comment.save(update_fields=["text", "edited_at"])
        _notify_mentions(
            post=comment.post,
            actor=user,
            text=text,
            where="comment",
            object_id=comment.pk,
            skip=before,
        )
    return comment


def delete_comment(*, user: User, comment: Comment) -> None:
    """The comment's author, the post's author or the owner removes a comment (with its
    replies); notifications it caused are withdrawn."""
    post = comment.post
    if user.pk not in (comment.author_id, post.author_id) and not is_owner(user):
        raise Refused(_("You cannot delete this comment."))
    with transaction.atomic():
        thread = list(
            Comment.objects.filter(pk=comment.pk).select_related("author", "parent__author")
        ) + list(Comment.objects.filter(parent=comment).select_related("author", "parent__author"))
        for gone in thread:
            _withdraw_comment(gone)
        Comment.objects.filter(pk__in=[c.pk for c in thread]).delete()
        Post.objects.filter(pk=post.pk).update(
            comment_count=Greatest(F("comment_count") - len(thread), 0)
        )
        if comment.author_id != user.pk and user.pk != post.author_id:
            _notify_moderation(
                comment.author,
                actor=user,
                text=core_text.snippet(comment.text, 60),
                key=f"moderation:comment:{comment.pk}:deleted",
            )
        _publish_counts(post)


def set_comment_hidden(*, user: User, comment: Comment, hidden: bool) -> Comment:
    if not is_owner(user):
        raise Refused(_("Only the owner can hide comments."))
    with transaction.atomic():
        comment.hidden_at = timezone.now() if hidden else None
        comment.save(update_fields=["hidden_at"])
        if hidden and comment.author_id != user.pk:
            _notify_moderation(
                comment.author,
                actor=user,
                text=core_text.snippet(comment.text, 60),
                url=comment.post.get_absolute_url(),
                key=f"moderation:comment:{comment.pk}:hidden",
            )
    return comment


# --- Favourites ---------------------------------------------------------------------------------
def save_post(*, user: User, post: Post, folder: FavouriteFolder | None = None) -> Favourite:
    """Save a post to favourites (into a folder of the member's own), or move it there."""
    if folder is not None and folder.user_id != user.pk:
        raise Http404
    favourite, created = Favourite.objects.get_or_create(
        user=user, post=post, defaults={"folder": folder}
    )
    if not created and favourite.folder_id != (folder.pk if folder else None):
        favourite.folder = folder
        favourite.save(update_fields=["folder"])
    return favourite


def unsave_post(*, user: User, post: Post) -> None:
    Favourite.objects.filter(user=user, post=post).delete()


def _folder_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Give the folder a name."))
    if len(name) > 40:
        raise Invalid(_("The name is too long: at most %(n)d characters.") % {"n": 40})
    return name


def create_folder(*, user: User, name: str) -> FavouriteFolder:
    name = _folder_name(name)
    last = FavouriteFolder.objects.filter(user=user).aggregate(m=Max("position"))["m"]
    return FavouriteFolder.objects.create(
        user=user, name=name, position=0 if last is None else last + 1
    )


def rename_folder(*, user: User, folder: FavouriteFolder, name: str) -> FavouriteFolder:
    if folder.user_id != user.pk:
        raise Http404
    folder.name = _folder_name(name)
    folder.save(update_fields=["name"])
    return folder


@transaction.atomic
def reorder_folders(*, user: User, folder_ids: list[int]) -> None:
    """Put the member's folders in this order; ids that are not theirs are ignored."""
    mine = set(FavouriteFolder.objects.filter(user=user).values_list("pk", flat=True))
    ordered = [pk for pk in dict.fromkeys(folder_ids) if pk in mine]
    ordered += sorted(mine - set(ordered))
    folders = [FavouriteFolder(pk=pk, position=n) for n, pk in enumerate(ordered)]
    FavouriteFolder.objects.bulk_update(folders, ["position"])


def move_folder(*, user: User, folder: FavouriteFolder, step: int) -> None:
    ids = list(FavouriteFolder.objects.filter(user=user).values_list("pk", flat=True))
    if folder.pk not in ids:
        raise Http404
    at = ids.index(folder.pk)
    to = max(0, min(len(ids) - 1, at + step))
    ids.insert(to, ids.pop(at))
    reorder_folders(user=user, folder_ids=ids)


def delete_folder(*, user: User, folder: FavouriteFolder) -> None:
    """Delete a folder; its posts stay saved, outside any folder."""
    if folder.user_id != user.pk:
        raise Http404
    folder.delete()


# --- Reports and moderation ---------------------------------------------------------------------
def report(
    *,
    user: User,
    reason: str,
    details: str = "",
    post: Post | None = None,
    comment: Comment | None = None,
) -> Report:
    """A member reports a post or comment to the owner; reporting twice keeps one open report."""
    if reason not in Report.Reason.values:
        raise Invalid(_("Choose a reason."))
    target = comment or post
    if target is None:
        raise Invalid(_("Choose what to report."))
    author_id = target.author_id
    if author_id == user.pk:
        raise Invalid(_("You cannot report your own post or comment."))
    lookup = {"comment": comment} if comment is not None else {"post": post, "comment": None}
    existing = Report.objects.filter(reporter=user, outcome=Report.Outcome.OPEN, **lookup).first()
    if existing is not None:
        return existing
    return Report.objects.create(
        reporter=user,
        post=post or comment.post,
        comment=comment,
        author_id=author_id,
        reason=reason,
        details=(details or "").strip()[:500],
        snapshot=target.text,
    )


def resolve_report(*, user: User, report: Report, outcome: str) -> Report:
    """The owner acts on a report: dismiss it, or hide or delete what it points at."""
    if not is_owner(user):
        raise Refused(_("Only the owner can act on reports."))
    if outcome not in (Report.Outcome.DISMISSED, Report.Outcome.HIDDEN, Report.Outcome.DELETED):
        raise Invalid(_("Unknown decision."))
    with transaction.atomic():
        target_comment, target_post = report.comment, report.post
        if outcome == Report.Outcome.HIDDEN:
            if target_comment is not None:
                set_comment_hidden(user=user, comment=target_comment, hidden=True)
            elif target_post is not None:
                set_post_hidden(user=user, post=target_post, hidden=True)
        elif outcome == Report.Outcome.DELETED:
            if target_comment is not None:
                delete_comment(user=user, comment=target_comment)
            elif target_post is not None:
                delete_post(user=user, post=target_post)
        # Every open report about the same content is settled by one decision.
        same = Report.objects.filter(outcome=Report.Outcome.OPEN)
        if target_comment is not None:
            same = same.filter(comment=target_comment)
        elif target_post is not None:
            same = same.filter(post=target_post, comment=None)
        else:
            same = same.filter(pk=report.pk)
        now = timezone.now()
        same.update(outcome=outcome, resolved_at=now)
        Report.objects.filter(pk=report.pk).update(outcome=outcome, resolved_at=now)
    report.refresh_from_db()
    return report


# --- Sharing into a chat ------------------------------------------------------------------------
def share_to_chat(*, user: User, post: Post, chat, client_id: str, url: str, note: str = ""):
    """Send a link to a post into one of the member's chats, once per client id.

    The chat's members who are outside the post's audience see the link but get 404 behind it.
    """
    from messaging import services as messaging

    if not selectors.may_see(user, post):
        raise Http404
    text = f"{note.strip()}\n{url}" if note and note.strip() else url
    message, _created = messaging.send_message(
        sender=user, chat=chat, client_id=client_id, text=text
    )
    return message


# --- Notifications: the only place the feed talks to notifications ------------------------------
def _notify(recipient: User, kind: str, **kwargs) -> None:
    notifications.notify(recipient, kind, **kwargs)


def _withdraw(recipient: User, key: str) -> None:
    notifications.withdraw(recipient, key)


def _notify_like(*, post: Post, actor: User) -> None:
    _notify(
        post.author,
        Notification.Kind.LIKE,
        actor=actor,
        url=post.get_absolute_url(),
        text=core_text.snippet(post.text, 60),
        key=f"like:post:{post.pk}:{actor.pk}",
    )


def _comment_url(comment: Comment) -> str:
    return f"{comment.post.get_absolute_url()}#comment-{comment.pk}"


def _notify_comment(*, post: Post, comment: Comment, actor: User) -> None:
    # A reply to the post author's own comment is told once, as a reply.
    if comment.parent is not None and comment.parent.author_id == post.author_id:
        return
    _notify(
        post.author,
        Notification.Kind.COMMENT,
        actor=actor,
        url=_comment_url(comment),
        text=core_text.snippet(comment.text, 60),
        key=f"comment:{comment.pk}",
    )


def _notify_reply(*, comment: Comment, to: User, actor: User) -> None:
    _notify(
        to,
        Notification.Kind.REPLY,
        actor=actor,
        url=_comment_url(comment),
        text=core_text.snippet(comment.text, 60),
        key=f"reply:{comment.pk}",
    )


def _mentioned(post: Post, text: str, skip: set[str] = frozenset()) -> list[User]:
    names = core_text.mentioned_usernames(text) - set(skip)
    if not names:
        return []
    people = User.objects.filter(is_active=True, username__iregex=_names_regex(names))
    audience = set(selectors.audience_ids(post))
    return [person for person in people if person.pk in audience]


def _names_regex(names: set[str]) -> str:
    return r"^(" + "|".join(map(re.escape, sorted(names))) + r")$"


def _notify_mentions(
    *, post: Post, actor: User, text: str, where: str, object_id: int, skip=frozenset()
) -> None:
    """Members named with @username who may see the post are told, once per place."""
    url = post.get_absolute_url()
    if where == "comment":
        url = f"{url}#comment-{object_id}"
    for person in _mentioned(post, text, skip):
        _notify(
            person,
            Notification.Kind.MENTION,
            actor=actor,
            url=url,
            text=core_text.snippet(text, 60),
            key=f"mention:{where}:{object_id}:{person.pk}",
        )


def _withdraw_comment(comment: Comment) -> None:
    post = comment.post
    _withdraw(post.author, f"comment:{comment.pk}")
    if comment.parent is not None:
        _withdraw(comment.parent.author, f"reply:{comment.pk}")
    for person in _mentioned(post, comment.text):
        _withdraw(person, f"mention:comment:{comment.pk}:{person.pk}")


def _notify_moderation(author: User, *, actor: User, text: str, key: str, url: str = "") -> None:
    _notify(author, Notification.Kind.MODERATION, actor=actor, url=url, text=text, key=key)
