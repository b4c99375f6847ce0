from multiprocessing import Process
import os, time

# What the child process runs:
def run_proc(name):
    print('Run child process %s (%s)...' % (name, os.getpid()))
    time.sleep(1)  # not in the chapter: some work, so the wait in join() is visible

if __name__ == '__main__':
    print('Parent process %s.' % os.getpid())
    p = Process(target=run_proc, args=('test',))
    print('Child process will start.')
    p.start()
    p.join()
    print('Child process end.')
