"""Reads that know who is asking: a post, its media, likes and comments only for its audience.

`posts_for(viewer)` is the one audience rule. Everything else that takes a post, a comment or a
file from the outside goes through it, so a member outside the audience gets 404 everywhere.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Block, Connection, User
from feed.audience import members_who_see, seen_by
from feed.models import Comment, Favourite, FavouriteFolder, Like, Post, PostMedia

PAGE_SIZE = 20
COMMENTS_PAGE = 20


def _audience_filter(viewer: User) -> Q:
    visible = seen_by(viewer)
    if not viewer.is_superuser:
        # The owner still sees what they hid, to show it again or delete it.
        visible &= Q(author=viewer) | Q(hidden_at=None)
    return visible


def posts_for(viewer: User) -> QuerySet[Post]:
    """Every post `viewer` may see: their own, the family's, contacts-only posts of members who
    saved them as a contact, posts to their communities; none between members who blocked one
    another, none hidden by the owner unless it is their own (the owner sees those too).

    One flat WHERE clause with small subqueries, so a feed page walks the primary key backwards
    and stops after a page, however deep in the history it starts."""
    if not viewer.is_authenticated or not viewer.is_active:
        return Post.objects.none()
    return Post.objects.filter(_audience_filter(viewer))


def with_everything(posts: QuerySet[Post], viewer: User) -> QuerySet[Post]:
    """What a post card shows, in a fixed number of queries whatever the page holds."""
    return (
        posts.select_related("author", "community")
        .annotate(
            liked=Exists(Like.objects.filter(post=OuterRef("pk"), user=viewer)),
            saved=Exists(Favourite.objects.filter(post=OuterRef("pk"), user=viewer)),
        )
        .prefetch_related(Prefetch("media", queryset=PostMedia.objects.order_by("position", "pk")))
    )


def post_for(viewer: User, post_id: int) -> Post:
    """A post the member may see, ready for its card; 404 for everyone else."""
    return get_object_or_404(with_everything(posts_for(viewer), viewer), pk=post_id)


def feed_page(
    viewer: User, *, before: int | None = None, author: User | None = None, size=PAGE_SIZE
):
    """A page of the feed, newest first, ending before the post id `before` (keyset)."""
    posts = posts_for(viewer)
    if author is not None:
        posts = posts.filter(author=author)
    if before is not None:
        posts = posts.filter(pk__lt=before)
    page = list(with_everything(posts.order_by("-pk"), viewer)[: size + 1])
    return page[:size], len(page) > size


def newer_than(viewer: User, after: int, size=PAGE_SIZE) -> list[Post]:
    """Posts that arrived after `after`, newest first: what the "new posts" pill brings in."""
    posts = posts_for(viewer).filter(pk__gt=after).order_by("-pk")
    return list(with_everything(posts, viewer)[:size])


def visible_comments(viewer: User) -> QuerySet[Comment]:
    """Comments the member may read: on posts they see, not hidden (own ones excepted), not from
    or to someone they blocked."""
    return Comment.objects.filter(
        post__in=posts_for(viewer).values("pk"),
    ).filter(Q(hidden_at=None) | Q(author=viewer))


def comment_for(viewer: User, comment_id: int) -> Comment:
    return get_object_or_404(
        visible_comments(viewer).select_related("post", "author", "parent"), pk=comment_id
    )


def comments_page(viewer: User, post: Post, *, before: int | None = None, size=COMMENTS_PAGE):
    """The newest top-level comments of a post (before comment id `before`), shown oldest first,
    each with all its replies; True when there are earlier ones ("show earlier")."""
    roots = Comment.objects.filter(post=post, parent=None).filter(
        Q(hidden_at=None) | Q(author=viewer)
    )
    if before is not None:
        roots = roots.filter(pk__lt=before)
    replies = (
        Comment.objects.filter(Q(hidden_at=None) | Q(author=viewer))
        .select_related("author")
        .order_by("pk")
    )
    page = list(
        roots.select_related("author")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("-pk")[: size + 1]
    )
    has_more = len(page) > size
    page = page[:size]
    page.reverse()
    return page, has_more


def likers(viewer: User, post: Post) -> QuerySet[User]:
    """Who liked a post, newest first (blocked members left out, as everywhere)."""
    return (
        User.objects.filter(pk__in=Like.objects.filter(post=post).values("user"))
        .exclude(pk__in=Block.objects.filter(blocker=viewer).values("blocked"))
        .exclude(pk__in=Block.objects.filter(blocked=viewer).values("blocker"))
        .order_by("display_name", "username")
    )


def audience_ids(post: Post, *, online_only: bool = False) -> list[int]:
    """Who sees a post: whom its live events go to (with `online_only`, only open tabs).

    A post the owner hid is its author's alone."""
    if post.hidden_at is not None:
        people = User.objects.filter(is_active=True, pk=post.author_id)
    else:
        people = members_who_see(post)
    if online_only:
        people = people.filter(Exists(Connection.objects.filter(user=OuterRef("pk"))))
    return list(people.values_list("pk", flat=True))


def can_read_media(viewer: User, name: str) -> bool:
    """Whether `viewer` may read a stored photo, video or preview of a post."""
    return PostMedia.objects.filter(
        Q(file=name) | Q(preview=name), post__in=posts_for(viewer).values("pk")
    ).exists()


def may_see(viewer: User, post: Post) -> bool:
    return posts_for(viewer).filter(pk=post.pk).exists()


def folders_of(user: User) -> QuerySet[FavouriteFolder]:
    return FavouriteFolder.objects.filter(user=user)


def folder_of(user: User, folder_id: int) -> FavouriteFolder:
    return get_object_or_404(folders_of(user), pk=folder_id)


def favourites_page(viewer: User, *, folder: FavouriteFolder | None = None, size=60):
    """Saved posts the member may still see (an audience may have changed since)."""
    saved = Favourite.objects.filter(user=viewer, post__in=posts_for(viewer).values("pk"))
    if folder is not None:
        saved = saved.filter(folder=folder)
    saved = list(saved.order_by("-pk").values_list("post_id", "folder_id")[:size])
    folder_of_post = dict(saved)
    posts = {
        post.pk: post
        for post in with_everything(Post.objects.filter(pk__in=folder_of_post), viewer)
    }
    result = []
    for post_id, folder_id in saved:
        post = posts.get(post_id)
        if post is not None:
            post.favourite_folder_id = folder_id
            result.append(post)
    return result
