"""The feed's forms: what the "new status update" page sends."""

from django import forms
from django.utils.translation import gettext_lazy as _

from feed.models.stories import STORY_TEXT_MAX, Story


class StoryForm(forms.Form):
    """What the "new status update" page sends; the service decides what is allowed."""

    client_id = forms.CharField(max_length=64, widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=Story.Kind.choices, initial=Story.Kind.TEXT)
    text = forms.CharField(
        label=_("Text"), max_length=STORY_TEXT_MAX, required=False, widget=forms.Textarea
    )
    background = forms.ChoiceField(
        choices=Story.Background.choices, initial=Story.Background.TEAL, required=False
    )
    caption = forms.CharField(label=_("Caption"), max_length=STORY_TEXT_MAX, required=False)
    photo = forms.FileField(label=_("Photo"), required=False)
    audience = forms.ChoiceField(
        label=_("Who sees it"), choices=Story.Audience.choices, initial=Story.Audience.FAMILY
    )
    community = forms.IntegerField(required=False)
