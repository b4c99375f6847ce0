# SPDX-License-Identifier: MIT
# The chapter's Pool example: Pool(4) runs five tasks; the fifth waits for a free worker.
import multiprocessing
import os
import time


def long_time_task(name):
    print("Run task %s (%s)..." % (name, os.getpid()), flush=True)
    time.sleep(0.2)
    return name


if __name__ == "__main__":
    multiprocessing.set_start_method("fork")
    print("Parent process %s." % os.getpid(), flush=True)
    pool = multiprocessing.Pool(4)
    results = [pool.apply_async(long_time_task, args=(i,)) for i in range(5)]
    pool.close()
    pool.join()
    print("All subprocesses done: %s" % sorted(r.get() for r in results), flush=True)
