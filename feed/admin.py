"""The owner's tools: reports to act on, and every post and comment."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.errors import Refused
from feed import services
from feed.models import Comment, Post, Report


def _resolve(outcome):
    def action(modeladmin, request, queryset):
        done = 0
        for report in queryset.filter(outcome=Report.Outcome.OPEN).select_related(
            "post", "comment", "comment__post"
        ):
            if report.outcome != Report.Outcome.OPEN:
                continue
            try:
                services.resolve_report(user=request.user, report=report, outcome=outcome)
            except Refused as refused:
                modeladmin.message_user(request, refused.message, messages.ERROR)
                return
            done += 1
        modeladmin.message_user(request, _("%(n)d reports settled.") % {"n": done})

    return action


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reason", "author", "reporter", "short_snapshot", "outcome"]
    list_filter = ["outcome", "reason"]
    readonly_fields = [
        "reporter", "author", "post", "comment", "reason", "details", "snapshot", "created_at",
        "outcome", "resolved_at",
    ]  # fmt: skip
    actions = ["hide_content", "delete_content", "dismiss"]

    @admin.display(description=_("content"))
    def short_snapshot(self, report):
        return report.snapshot[:80]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Hide the reported content (the author is told)"))
    def hide_content(self, request, queryset):
        _resolve(Report.Outcome.HIDDEN)(self, request, queryset)

    @admin.action(description=_("Delete the reported content (the author is told)"))
    def delete_content(self, request, queryset):
        _resolve(Report.Outcome.DELETED)(self, request, queryset)

    @admin.action(description=_("Dismiss: nothing to do"))
    def dismiss(self, request, queryset):
        _resolve(Report.Outcome.DISMISSED)(self, request, queryset)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["pk", "author", "audience", "created_at", "hidden_at", "like_count"]
    list_filter = ["audience"]
    readonly_fields = ["author", "client_id", "created_at", "edited_at", "like_count"]
    actions = ["hide", "show"]

    @admin.action(description=_("Hide from the family (the author is told)"))
    def hide(self, request, queryset):
        for post in queryset:
            services.set_post_hidden(user=request.user, post=post, hidden=True)

    @admin.action(description=_("Show again"))
    def show(self, request, queryset):
        for post in queryset:
            services.set_post_hidden(user=request.user, post=post, hidden=False)

    def delete_model(self, request, obj):
        services.delete_post(user=request.user, post=obj)

    def delete_queryset(self, request, queryset):
        for post in queryset:
            services.delete_post(user=request.user, post=post)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "author", "post", "created_at", "hidden_at"]
    readonly_fields = ["author", "post", "parent", "client_id", "created_at", "edited_at"]
    actions = ["hide", "show"]

    @admin.action(description=_("Hide from the family (the author is told)"))
    def hide(self, request, queryset):
        for comment in queryset.select_related("post", "author"):
            services.set_comment_hidden(user=request.user, comment=comment, hidden=True)

    @admin.action(description=_("Show again"))
    def show(self, request, queryset):
        for comment in queryset.select_related("post", "author"):
            services.set_comment_hidden(user=request.user, comment=comment, hidden=False)

    def delete_model(self, request, obj):
        services.delete_comment(user=request.user, comment=obj)

    def delete_queryset(self, request, queryset):
        for comment in queryset.select_related("post"):
            if Comment.objects.filter(pk=comment.pk).exists():
                services.delete_comment(user=request.user, comment=comment)
