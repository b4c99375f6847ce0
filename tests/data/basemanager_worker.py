# SPDX-License-Identifier: MIT
# The chapter's task_worker.py, up to its login: a multiprocessing BaseManager client that connects
# to argv[1] (HOST:PORT) with the key in $INTERLEAVE_AUTHKEY. Prints how the login ended.
import os
import sys
from multiprocessing.managers import BaseManager


class QueueManager(BaseManager):
    pass


QueueManager.register('get_task_queue')
QueueManager.register('get_result_queue')
host, _, port = sys.argv[1].rpartition(':')
m = QueueManager(address=(host, int(port)), authkey=os.environ['INTERLEAVE_AUTHKEY'].encode())
try:
    m.connect()
except Exception as e:
    print('login failed: %s' % type(e).__name__)
    sys.exit(3)
print('connected')
