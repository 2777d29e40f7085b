"""The chat list's folder tabs (the list view itself lives in messaging.views)."""

from __future__ import annotations

from messaging.selectors import folders as folder_selectors


def inbox_tabs(request, rows, archived: bool) -> dict:
    """The tabs over the list and the chosen folder; `rows` is narrowed to that folder in place."""
    if archived:
        return {"tabs": [], "folder": None}
    folders = folder_selectors.folders_of(request.user)
    try:
        folder_id = int(request.GET.get("folder", ""))
    except ValueError:
        folder_id = None
    folder = next((f for f in folders if f.pk == folder_id), None)
    tabs = folder_selectors.tabs(rows, folders, folder)
    if folder is not None:
        rows[:] = folder_selectors.rows_in(folder, rows)
    return {"tabs": tabs, "folder": folder}
