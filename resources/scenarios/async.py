import asyncio, random, threading

async def fetch(i, wait):
    print('request %d: sent (thread %s)' % (i, threading.current_thread().name))
    await asyncio.sleep(wait)     # stands for waiting on a socket: the loop runs the others meanwhile
    print('request %d: 200 OK (thread %s)' % (i, threading.current_thread().name))

async def main():
    waits = [random.uniform(0.5, 1.0) for _ in range(10)]
    await asyncio.gather(*(fetch(i + 1, w) for i, w in enumerate(waits)))
    print('slowest wait %.2f s, sum of waits %.2f s' % (max(waits), sum(waits)))

asyncio.run(main())   # all ten on one thread, done in about the slowest wait
