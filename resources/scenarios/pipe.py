from multiprocessing import Process, Pipe
import os, time

# The child answers every request until the parent closes its end:
def answer(conn):
    try:
        while True:
            request = conn.recv()
            print("Child (%s) got '%s', answering..." % (os.getpid(), request))
            time.sleep(0.5)
            conn.send('reply to ' + request)
    except EOFError:
        pass

if __name__ == '__main__':
    parent_conn, child_conn = Pipe()   # duplex: both ends send and receive
    p = Process(target=answer, args=(child_conn,))
    p.start()
    child_conn.close()                 # the parent keeps only its own end
    print('Parent process %s, child %s.' % (os.getpid(), p.pid))
    for i in range(1, 4):
        request = 'request %d' % i
        print("Send '%s' to child..." % request)
        parent_conn.send(request)
        print("Got '%s' from child." % parent_conn.recv())
    parent_conn.close()                # the child's recv() raises EOFError
    p.join()
    print('Child exited.')
