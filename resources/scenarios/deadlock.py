import threading, time

lock_a = threading.Lock()
lock_b = threading.Lock()

def transfer(first, second, name):
    with first:
        time.sleep(0.3)       # hold the first lock a while...
        with second:          # ...then ask for the lock the other thread holds
            print('%s finished transfer' % name)

# Thread-1 takes A then B; Thread-2 takes B then A: each ends up waiting for the other.
t1 = threading.Thread(target=transfer, args=(lock_a, lock_b, 'Thread-1'))
t2 = threading.Thread(target=transfer, args=(lock_b, lock_a, 'Thread-2'))
t1.start()
t2.start()
t1.join()
t2.join()

# Ways out: every thread takes the locks in the same order (A before B), or gives up the first
# lock when the second does not come in time: second.acquire(timeout=0.15).
