import ctypes, os, threading, time
from multiprocessing import Process

def handle_requests(name, buggy):
    for request in range(1, 6):
        time.sleep(0.3)
        if buggy and request == 2:
            ctypes.string_at(0)          # a real crash: reads address 0, the OS sends SIGSEGV
        print('%s (%s) handled request %d' % (name, os.getpid(), request))

if __name__ == '__main__':
    # Like Apache: one process per worker. Only worker-2 dies.
    workers = [Process(target=handle_requests, args=('worker-%d' % k, k == 2), name='worker-%d' % k)
               for k in (1, 2, 3)]
    for p in workers:
        p.start()
    for p in workers:
        p.join()
        print(p.name, 'exit code', p.exitcode)    # -11 for the crashed one

    # Like IIS: threads of one server process. The crash ends the whole server.
    def server():
        threads = [threading.Thread(target=handle_requests, args=('Thread-%d' % k, k == 2)) for k in (1, 2, 3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    s = Process(target=server, name='server')
    s.start()
    s.join()
    print('server exit code', s.exitcode)          # -11: all its threads are gone
