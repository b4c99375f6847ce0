# SPDX-License-Identifier: MIT
# Two threads take two locks in opposite orders and deadlock (the chapter's deadlock example).
# The test kills it once both wait; each thread says "waiting" before its second lock.
import sys
import threading

lock_a = threading.Lock()
lock_b = threading.Lock()
both_hold_one = threading.Barrier(2)


def first_a_then_b():
    with lock_a:
        both_hold_one.wait()
        print("Thread-A waiting for lock_b", flush=True)
        with lock_b:  # WAIT-A
            pass


def first_b_then_a():
    with lock_b:
        both_hold_one.wait()
        print("Thread-B waiting for lock_a", flush=True)
        with lock_a:  # WAIT-B
            pass


threads = [
    threading.Thread(target=first_a_then_b, name="Thread-A"),
    threading.Thread(target=first_b_then_a, name="Thread-B"),
]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()  # JOIN
sys.exit(0)
