"""The Bot API at the site root, in the shapes the libraries build from a base URL."""

from django.urls import re_path

from bots import api

urlpatterns = [
    re_path(r"^bot(?P<token>[^/]+)/(?P<method>[^/]+)/?$", api.endpoint, name="bot_api"),
    re_path(r"^file/bot(?P<token>[^/]+)/(?P<path>.+)$", api.file_endpoint, name="bot_file"),
]
