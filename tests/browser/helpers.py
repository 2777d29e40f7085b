"""Helpers for browser tests."""


def off_the_loop(fn):
    """Run set-up that publishes events in a thread of its own: Playwright's event loop holds this
    one, and the channel layer's async_to_sync cannot run inside it."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return fn()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
