"""Run one callable in many threads at once (each with its own database connection) and collect outcomes."""

import threading

from django.db import connection


def run_in_parallel(func, count: int, timeout: float = 60) -> list:
    """Call func(i) from `count` threads released together; returns each result or raised exception."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i):
        try:
            barrier.wait()
            outcomes[i] = func(i)
        except Exception as exc:  # noqa: BLE001 - the test asserts on what each thread met
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
