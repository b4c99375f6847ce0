from multiprocessing import Process, Queue
import os, time, random

# The writer process:
def write(q):
    print('Process to write: %s' % os.getpid())
    for value in ['A', 'B', 'C']:
        print('Put %s to queue...' % value)
        q.put(value)
        time.sleep(random.random())

# The reader process:
def read(q):
    print('Process to read: %s' % os.getpid())
    while True:
        value = q.get(True)
        print('Get %s from queue.' % value)

if __name__ == '__main__':
    # The parent creates the Queue and passes it to both children:
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    pw.start()
    pr.start()
    # Wait for the writer to end:
    pw.join()
    # The reader loops forever; it can only be ended from outside:
    pr.terminate()
