# SPDX-License-Identifier: MIT
# Two pure-Python busy loops in two threads: only the one holding the GIL runs. Each thread
# notes its turns in a shared list; the program ends when the turns changed hands often enough
# (each change is a GIL hand-off), so a slow machine makes it longer, never different.
import threading

CHANGES = 60
turns = []


def spin(me):
    count = 0
    while True:
        count += 1
        if count % 2000 == 0:
            turns.append(me)
            changes = sum(1 for i in range(1, len(turns)) if turns[i] != turns[i - 1]) if len(turns) % 50 == 0 else 0
            if changes >= CHANGES or len(turns) > 100000:
                stop.set()
            if stop.is_set():
                return


stop = threading.Event()
workers = [threading.Thread(target=spin, args=(i,), name="Looper-%d" % i) for i in range(2)]
for worker in workers:
    worker.start()
for worker in workers:
    worker.join()
print("turns", len(turns), flush=True)
