import socket, time
from multiprocessing.pool import ThreadPool

def compute_task(_):
    x = 0
    for i in range(2000000):        # only the CPU works
        x = x ^ i
    return x

def io_task(_):
    with socket.create_connection(('127.0.0.1', 8000)) as s:   # a server that answers slowly
        s.sendall(b'GET / HTTP/1.0\r\n\r\n')
        return s.recv(1024)          # the thread waits; its core is free meanwhile

def throughput(task, workers, tasks=16):
    start = time.time()
    with ThreadPool(workers) as pool:
        pool.map(task, range(tasks))
    return tasks / (time.time() - start)

for workers in (1, 2, 4, 8):
    print('io, %d workers: %.1f tasks/s' % (workers, throughput(io_task, workers)))
# In CPython the GIL lets only one thread compute at a time; use multiprocessing.Pool
# for compute_task to see it scale up to the number of cores and no further.
