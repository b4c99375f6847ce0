# SPDX-License-Identifier: MIT
# Locks of every kind the chapter uses, made the ways programs make them: the recorder names
# each by the variable or attribute it is stored to, else by the line that made it.
import multiprocessing
import queue
import threading

accounts = threading.Lock()
counter_lock = threading.RLock()
ready = threading.Condition()
slots = threading.Semaphore(2)
mp_lock = multiprocessing.Lock()
jobs = queue.Queue()


class Account:
    def __init__(self):
        self.lock = threading.Lock()


account = Account()
spare_locks = []
spare_locks.append(threading.Lock())  # UNNAMED


def worker():
    threading.current_thread().name = "renamed-worker"
    with accounts:
        pass


results = multiprocessing.Queue()  # its feeder thread starts with the first put
results.put("one")
assert results.get() == "one"

thread = threading.Thread(target=worker, name="Worker")
thread.start()
thread.join()
print("done", flush=True)
