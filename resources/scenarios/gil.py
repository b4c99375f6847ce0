import threading, multiprocessing

def loop():
    x = 0
    while True:
        x = x ^ 1

# One busy thread per core. On a 4-core machine, CPython still uses only about one core:
# a thread must hold the GIL to run Python code, and the GIL is handed over every 5 ms.
for i in range(multiprocessing.cpu_count()):
    t = threading.Thread(target=loop)
    t.start()
