"""Small template helpers of the design system: icons from the vendored SVG sprite."""

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

register = template.Library()

SPRITE = "vendor/lucide-1.62.0/sprite.svg"


@register.simple_tag
def icon(name: str, size: int = 24, label: str = "", css: str = ""):
    """An icon from the sprite; decorative (aria-hidden) unless it has a label."""
    href = f"{static(SPRITE)}#i-{name}"
    classes = f"icon {css}".strip()
    if label:
        return format_html(
            '<svg class="{}" width="{}" height="{}" role="img" aria-label="{}">'
            '<use href="{}"></use></svg>',
            classes,
            size,
            size,
            label,
            href,
        )
    return format_html(
        '<svg class="{}" width="{}" height="{}" aria-hidden="true" focusable="false">'
        '<use href="{}"></use></svg>',
        classes,
        size,
        size,
        href,
    )
