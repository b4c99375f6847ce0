import threading, multiprocessing, time

# Twice as many busy tasks as the machine has cores:
def task(name, deadline):
    x = 0
    while time.time() < deadline:
        x = x + 1
    print('%s counted to %d' % (name, x))

deadline = time.time() + 3
n = 2 * multiprocessing.cpu_count()
tasks = [threading.Thread(target=task, args=('Task-%d' % (i + 1), deadline)) for i in range(n)]
for t in tasks:
    t.start()
for t in tasks:
    t.join()
print('all tasks done')
