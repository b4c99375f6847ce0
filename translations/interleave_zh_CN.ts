<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TraceFile</name>
    <message>
        <source>cannot open trace '%1': it is a folder, not a file; choose a .iltrace file</source>
        <translation>无法打开轨迹“%1”：它是文件夹而不是文件；请选择一个 .iltrace 文件</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the file does not exist; check the path</source>
        <translation>无法打开轨迹“%1”：文件不存在；请检查路径</translation>
    </message>
    <message>
        <source>cannot open trace '%1': %2; check that the file is readable</source>
        <translation>无法打开轨迹“%1”：%2；请确认文件可读</translation>
    </message>
</context>
<context>
    <name>interleave::AppTr</name>
    <message>
        <source>Interleave %1 - see processes, threads, locks and queues at work.

usage:
  interleave                                   open the window
  interleave list [--json]                     the scenarios and their parameters
  interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]
                 [--save FILE.iltrace] [--chrome FILE.json]
                 [--image FILE.png|.svg|.pdf [--view timeline|cores|graph|chart]
                  [--size WxH] [--theme light|dark|projector]] [--json]
                                               run a scenario without the window
  interleave open FILE [--save F] [--chrome F] [--image F ...] [--json]
                                               a saved .iltrace or a Chrome/Perfetto JSON trace
  interleave master --listen HOST:PORT --authkey KEY [--tasks N]
  interleave worker --connect HOST:PORT --authkey KEY [--name NAME]

options for every mode:
  --lang zh_CN|en    language of the window and of all messages
  --help, --version

exit status: 0 the scenario ran, 1 the engine failed, 2 bad input.
</source>
        <translation>Interleave %1 - 观察进程、线程、锁和队列的真实运行。

用法：
  interleave                                   打开窗口
  interleave list [--json]                     列出场景及其参数
  interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]
                 [--save FILE.iltrace] [--chrome FILE.json]
                 [--image FILE.png|.svg|.pdf [--view timeline|cores|graph|chart]
                  [--size WxH] [--theme light|dark|projector]] [--json]
                                               不开窗口运行一个场景
  interleave open FILE [--save F] [--chrome F] [--image F ...] [--json]
                                               打开保存的 .iltrace 或 Chrome/Perfetto JSON 轨迹
  interleave master --listen HOST:PORT --authkey KEY [--tasks N]
  interleave worker --connect HOST:PORT --authkey KEY [--name NAME]

所有模式通用的选项：
  --lang zh_CN|en    窗口和所有消息的语言
  --help, --version

退出状态：0 场景已运行，1 引擎出错，2 输入有误。
</translation>
    </message>
    <message>
        <source>option --lang needs a value: zh_CN or en</source>
        <translation>选项 --lang 需要一个值：zh_CN 或 en</translation>
    </message>
    <message>
        <source>unknown language '%1' for --lang (use zh_CN or en)</source>
        <translation>--lang 不认识语言“%1”（请用 zh_CN 或 en）</translation>
    </message>
    <message>
        <source>unknown option '%1' (see interleave --help)</source>
        <translation>未知选项“%1”（见 interleave --help）</translation>
    </message>
    <message>
        <source>unknown command '%1' (commands: list, run, open, master, worker; see interleave --help)</source>
        <translation>未知命令“%1”（可用命令：list、run、open、master、worker；见 interleave --help）</translation>
    </message>
    <message>
        <source>unknown option '%1' for '%2' (see interleave --help)</source>
        <translation>“%2”没有选项“%1”（见 interleave --help）</translation>
    </message>
    <message>
        <source>option %1 needs a value (see interleave --help)</source>
        <translation>选项 %1 需要一个值（见 interleave --help）</translation>
    </message>
    <message>
        <source>option %1 takes no value</source>
        <translation>选项 %1 不接受值</translation>
    </message>
    <message>
        <source>'run' needs a scenario id (see interleave list)</source>
        <translation>“run”需要一个场景 id（见 interleave list）</translation>
    </message>
    <message>
        <source>'open' needs a trace file</source>
        <translation>“open”需要一个轨迹文件</translation>
    </message>
    <message>
        <source>unexpected argument '%1' (see interleave --help)</source>
        <translation>多余的参数“%1”（见 interleave --help）</translation>
    </message>
    <message>
        <source>'%1' is not available in this build yet</source>
        <translation>此版本尚不支持“%1”</translation>
    </message>
    <message>
        <source>this build has no window; see interleave --help for the headless commands</source>
        <translation>此版本没有窗口；无界面命令见 interleave --help</translation>
    </message>
    <message>
        <source>image export (--image, --view, --size, --theme) is not available in this build yet</source>
        <translation>此版本尚不支持导出图片（--image、--view、--size、--theme）</translation>
    </message>
    <message>
        <source>--set takes NAME=VALUE, not '%1'</source>
        <translation>--set 的格式是 名称=值，而不是“%1”</translation>
    </message>
</context>
<context>
    <name>interleave::core::ChromeTraceTr</name>
    <message>
        <source>cannot open trace '%1': the file is empty; export the trace again</source>
        <translation>无法打开轨迹“%1”：文件是空的；请重新导出轨迹</translation>
    </message>
    <message>
        <source>cannot open trace '%1': it is neither an Interleave trace nor a Chrome/Perfetto JSON trace; open a .iltrace or a .json trace file</source>
        <translation>无法打开轨迹“%1”：它既不是 Interleave 轨迹，也不是 Chrome/Perfetto JSON 轨迹；请打开 .iltrace 或 .json 轨迹文件</translation>
    </message>
    <message>
        <source>cannot open trace '%1': invalid JSON at line %2, column %3 (%4); repair the file or export it again</source>
        <translation>无法打开轨迹“%1”：第 %2 行第 %3 列的 JSON 无效（%4）；请修复文件或重新导出</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the JSON has no "traceEvents" array, so it is not a Chrome/Perfetto trace; open a trace file</source>
        <translation>无法打开轨迹“%1”：JSON 中没有 "traceEvents" 数组，所以它不是 Chrome/Perfetto 轨迹；请打开一个轨迹文件</translation>
    </message>
    <message>
        <source>cannot write the Chrome trace: %1; free some disk space or choose another folder</source>
        <translation>无法写入 Chrome 轨迹：%1；请释放磁盘空间或换一个文件夹</translation>
    </message>
    <message>
        <source>cannot export Chrome trace '%1': %2; %3</source>
        <translation>无法导出 Chrome 轨迹“%1”：%2；%3</translation>
    </message>
    <message>
        <source>the folder '%1' does not exist</source>
        <translation>文件夹“%1”不存在</translation>
    </message>
    <message>
        <source>choose an existing folder</source>
        <translation>请选择一个已存在的文件夹</translation>
    </message>
    <message>
        <source>choose a folder you can write to</source>
        <translation>请选择一个有写权限的文件夹</translation>
    </message>
    <message>
        <source>free some disk space or choose another folder</source>
        <translation>请释放磁盘空间或换一个文件夹</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the file does not exist; check the path</source>
        <translation>无法打开轨迹“%1”：文件不存在；请检查路径</translation>
    </message>
    <message>
        <source>cannot open trace '%1': %2; check that it is a readable file</source>
        <translation>无法打开轨迹“%1”：%2；请确认它是可读的文件</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>它是一个文件夹</translation>
    </message>
</context>
<context>
    <name>interleave::core::CommandTr</name>
    <message>
        <source>unknown scenario '%1' (scenarios: %2)</source>
        <translation>未知场景“%1”（可用场景：%2）</translation>
    </message>
    <message>
        <source>--seed takes a whole number from 0 to 18446744073709551615, not '%1'</source>
        <translation>--seed 需要 0 到 18446744073709551615 之间的整数，而不是“%1”</translation>
    </message>
    <message>
        <source>--timeout takes seconds from 0.001 to 86400, not '%1'</source>
        <translation>--timeout 需要 0.001 到 86400 之间的秒数，而不是“%1”</translation>
    </message>
    <message>
        <source>cannot write '%1': it is a folder; give a file name</source>
        <translation>无法写入“%1”：它是文件夹；请给出文件名</translation>
    </message>
    <message>
        <source>cannot run '%1': %2</source>
        <translation>无法运行“%1”：%2</translation>
    </message>
    <message>
        <source>run ended: %1</source>
        <translation>运行结束：%1</translation>
    </message>
</context>
<context>
    <name>interleave::core::ScenarioTr</name>
    <message>
        <source>Multithreading</source>
        <translation>多线程</translation>
    </message>
    <message>
        <source>Deadlock: two locks, opposite order</source>
        <translation>死锁：两把锁，相反的加锁顺序</translation>
    </message>
    <message>
        <source>Multiprocessing</source>
        <translation>多进程</translation>
    </message>
    <message>
        <source>fork(): one call, two returns</source>
        <translation>fork()：调用一次，返回两次</translation>
    </message>
    <message>
        <source>Pool: four workers, five tasks</source>
        <translation>进程池：四个工作进程，五个任务</translation>
    </message>
    <message>
        <source>Shared data without a lock</source>
        <translation>不加锁的共享数据</translation>
    </message>
    <message>
        <source>%1 to %2</source>
        <translation>%1 到 %2</translation>
    </message>
    <message>
        <source>one of %1</source>
        <translation>以下之一：%1</translation>
    </message>
    <message>
        <source>any text</source>
        <translation>任意文本</translation>
    </message>
    <message>
        <source>scenario '%1' has no parameter '%2' (it has: %3)</source>
        <translation>场景“%1”没有参数“%2”（它的参数有：%3）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>parameter '%1' of scenario '%2' cannot be '%3': it takes %4</source>
        <translation>场景“%2”的参数“%1”不能是“%3”：它的取值是 %4</translation>
    </message>
    <message>
        <source>Iterations</source>
        <translation>循环次数</translation>
    </message>
    <message>
        <source>how many times each thread calls change_it</source>
        <translation>每个线程调用 change_it 的次数</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>naive deadlocks; ordered, scoped_lock and try_lock are the ways out</source>
        <translation>naive 会死锁；ordered、scoped_lock 和 try_lock 是三种解决办法</translation>
    </message>
    <message>
        <source>Hold time (ms)</source>
        <translation>持锁时间（毫秒）</translation>
    </message>
    <message>
        <source>how long a thread holds its first lock before it asks for the second</source>
        <translation>线程拿到第一把锁后，过多久再去申请第二把</translation>
    </message>
    <message>
        <source>Rounds</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>how many transfers each thread makes</source>
        <translation>每个线程转账的次数</translation>
    </message>
    <message>
        <source>Lock: one at a time</source>
        <translation>锁：一次只能一个</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>工作进程数</translation>
    </message>
    <message>
        <source>worker processes in the pool, Pool(n)</source>
        <translation>进程池中的工作进程数，即 Pool(n)</translation>
    </message>
    <message>
        <source>Tasks</source>
        <translation>任务数</translation>
    </message>
    <message>
        <source>tasks submitted with apply_async</source>
        <translation>用 apply_async 提交的任务数</translation>
    </message>
    <message>
        <source>Longest task (s)</source>
        <translation>最长任务（秒）</translation>
    </message>
    <message>
        <source>each task sleeps random() times this many seconds</source>
        <translation>每个任务睡眠 random() 乘以这个秒数</translation>
    </message>
    <message>
        <source>Async IO</source>
        <translation>异步 IO</translation>
    </message>
    <message>
        <source>One event loop thread serves many requests</source>
        <translation>一个事件循环线程服务许多请求</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>requests sent to the slow server at once</source>
        <translation>同时发给慢速服务器的请求数</translation>
    </message>
    <message>
        <source>Longest answer (ms)</source>
        <translation>最长回答时间（毫秒）</translation>
    </message>
    <message>
        <source>the server answers each request after half to all of this time</source>
        <translation>服务器在这个时间的一半到全部之间回答每个请求</translation>
    </message>
    <message>
        <source>Switch mid-statement</source>
        <translation>语句中途切换</translation>
    </message>
    <message>
        <source>on: each thread gives up the CPU between reading balance and writing it back</source>
        <translation>on：每个线程在读出 balance 和写回 balance 之间让出 CPU</translation>
    </message>
    <message>
        <source>Processes vs threads</source>
        <translation>进程 vs. 线程</translation>
    </message>
    <message>
        <source>Compute-bound vs IO-bound: how many workers?</source>
        <translation>计算密集型与 IO 密集型：该用几个工作者？</translation>
    </message>
    <message>
        <source>Most workers</source>
        <translation>最多工作者数</translation>
    </message>
    <message>
        <source>the sweep tries 1, 2, 4, 8 ... worker threads up to this many</source>
        <translation>依次尝试 1、2、4、8……个工作线程，最多到这个数</translation>
    </message>
    <message>
        <source>Tasks per step</source>
        <translation>每轮任务数</translation>
    </message>
    <message>
        <source>tasks each step of the sweep runs (at least as many as workers)</source>
        <translation>每一轮运行的任务数（至少与工作者一样多）</translation>
    </message>
    <message>
        <source>Compute task (ms)</source>
        <translation>计算任务用时（毫秒）</translation>
    </message>
    <message>
        <source>how long one compute-bound task computes on one core</source>
        <translation>一个计算密集型任务在一个核心上计算的时间</translation>
    </message>
    <message>
        <source>IO wait (ms)</source>
        <translation>IO 等待（毫秒）</translation>
    </message>
    <message>
        <source>how long the server takes to answer one IO-bound task</source>
        <translation>服务器回答一个 IO 密集型任务所用的时间</translation>
    </message>
    <message>
        <source>Distributed processes</source>
        <translation>分布式进程</translation>
    </message>
    <message>
        <source>Master and workers: task queues over the network</source>
        <translation>主进程与工作进程：通过网络共享任务队列</translation>
    </message>
    <message>
        <source>worker processes that connect to the master</source>
        <translation>连接到 master 的 worker 进程数</translation>
    </message>
    <message>
        <source>random numbers the master puts in the task queue</source>
        <translation>master 放进任务队列的随机数个数</translation>
    </message>
    <message>
        <source>Seconds per task</source>
        <translation>每个任务的秒数</translation>
    </message>
    <message>
        <source>how long a worker sleeps on each task, time.sleep(1)</source>
        <translation>worker 处理每个任务时睡眠的时长，即 time.sleep(1)</translation>
    </message>
    <message>
        <source>Kill a worker</source>
        <translation>杀掉一个 worker</translation>
    </message>
    <message>
        <source>SIGKILL one worker in the middle of a task: its task goes back to the queue</source>
        <translation>在任务进行到一半时用 SIGKILL 杀掉一个 worker：它手上的任务会回到队列</translation>
    </message>
    <message>
        <source>Every core busy, or one GIL</source>
        <translation>核全忙，还是只有一把 GIL</translation>
    </message>
    <message>
        <source>GIL</source>
        <translation>GIL</translation>
    </message>
    <message>
        <source>on: one global lock, handed over every 5 ms, as CPython does</source>
        <translation>on：一把全局锁，每 5 毫秒交接一次，和 CPython 一样</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>线程数</translation>
    </message>
    <message>
        <source>busy threads to start; 0 means one per core</source>
        <translation>要启动的忙碌线程数；0 表示每个核一个</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>时长（秒）</translation>
    </message>
    <message>
        <source>how long every thread keeps looping</source>
        <translation>每个线程持续循环多久</translation>
    </message>
    <message>
        <source>Pipe: messages both ways between two processes</source>
        <translation>Pipe：两个进程之间双向传递消息</translation>
    </message>
    <message>
        <source>how many messages the parent sends; each gets a reply</source>
        <translation>父进程发送多少条消息；每条都会得到回复</translation>
    </message>
    <message>
        <source>Child works (s)</source>
        <translation>子进程干活时长（秒）</translation>
    </message>
    <message>
        <source>how long the child takes before each reply</source>
        <translation>子进程每次回复之前要干多久的活</translation>
    </message>
    <message>
        <source>A crash in a process vs a crash in a thread</source>
        <translation>进程崩溃与线程崩溃</translation>
    </message>
    <message>
        <source>worker processes, and threads of the server; worker 2 has the bug</source>
        <translation>工作进程数，也是服务器的线程数；2 号工作者有 bug</translation>
    </message>
    <message>
        <source>Request time (ms)</source>
        <translation>处理请求用时（毫秒）</translation>
    </message>
    <message>
        <source>how long a worker takes for one request</source>
        <translation>一个工作者处理一个请求所用的时间</translation>
    </message>
    <message>
        <source>Created for the cost</source>
        <translation>测量开销时创建的数量</translation>
    </message>
    <message>
        <source>threads, then processes, created and joined one by one to time them</source>
        <translation>先创建线程、再创建进程，逐个创建并等待结束，以测量耗时</translation>
    </message>
    <message>
        <source>Process and join: wait for the child</source>
        <translation>Process 与 join：等待子进程</translation>
    </message>
    <message>
        <source>how long run_proc sleeps in the child before it returns</source>
        <translation>run_proc 在子进程里睡眠多久才返回</translation>
    </message>
    <message>
        <source>Queue: a writer and a reader process</source>
        <translation>Queue：一个写进程和一个读进程</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>数据项数</translation>
    </message>
    <message>
        <source>how many values the writer puts: A, B, C, ...</source>
        <translation>写进程放入多少个值：A、B、C……</translation>
    </message>
    <message>
        <source>Longest pause (s)</source>
        <translation>最长停顿（秒）</translation>
    </message>
    <message>
        <source>after each put the writer sleeps random() times this many seconds</source>
        <translation>每次 put 之后，写进程睡眠 random() 乘以这么多秒</translation>
    </message>
    <message>
        <source>subprocess: run a program, talk to its stdin and stdout</source>
        <translation>subprocess：运行外部程序，和它的标准输入输出对话</translation>
    </message>
    <message>
        <source>Program and arguments</source>
        <translation>程序和参数</translation>
    </message>
    <message>
        <source>split on spaces and started directly, without a shell</source>
        <translation>按空格拆分后直接启动，不经过 shell</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>written to the program's stdin, then closed; \n is a newline</source>
        <translation>写入程序的标准输入后关闭；\n 表示换行</translation>
    </message>
    <message>
        <source>ThreadLocal</source>
        <translation>ThreadLocal</translation>
    </message>
    <message>
        <source>ThreadLocal: one name, a copy per thread</source>
        <translation>ThreadLocal：一个名字，每个线程一份</translation>
    </message>
    <message>
        <source>Pause (ms)</source>
        <translation>停顿（毫秒）</translation>
    </message>
    <message>
        <source>how long each thread waits between setting its student and greeting, so both have set one before either reads</source>
        <translation>每个线程在设置自己的学生和问好之间等待多久，保证两个线程都设置好之后才有人去读</translation>
    </message>
    <message>
        <source>Thread: start, run, join</source>
        <translation>线程：启动、运行、join</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>how far LoopThread counts</source>
        <translation>LoopThread 数到几</translation>
    </message>
    <message>
        <source>Interval (s)</source>
        <translation>间隔（秒）</translation>
    </message>
    <message>
        <source>how long LoopThread sleeps after each line</source>
        <translation>LoopThread 每打印一行后睡多久</translation>
    </message>
    <message>
        <source>Multitasking: more tasks than cores</source>
        <translation>多任务：任务比核多</translation>
    </message>
    <message>
        <source>busy threads to start; 0 means twice the cores</source>
        <translation>要启动的忙碌线程数；0 表示核数的两倍</translation>
    </message>
    <message>
        <source>how long every thread keeps computing</source>
        <translation>每个线程持续计算多久</translation>
    </message>
    <message>
        <source>the compute sweep runs this many times; each count keeps its best round</source>
        <translation>计算型扫描重复的次数；每个工作者数量取其中最好的一轮</translation>
    </message>
</context>
<context>
    <name>interleave::core::TraceFileTr</name>
    <message>
        <source>cannot open trace '%1': the file is empty (0 bytes), so it was never saved completely; record or export the trace again</source>
        <translation>无法打开轨迹“%1”：文件是空的（0 字节），说明它从未完整保存；请重新录制或导出轨迹</translation>
    </message>
    <message>
        <source>cannot open trace '%1': it is not an Interleave trace (no ILTRACE header); open a .iltrace file saved by Interleave or a Chrome/Perfetto JSON trace</source>
        <translation>无法打开轨迹“%1”：它不是 Interleave 轨迹（没有 ILTRACE 文件头）；请打开 Interleave 保存的 .iltrace 文件或 Chrome/Perfetto JSON 轨迹</translation>
    </message>
    <message>
        <source>cannot open trace '%1': it was saved by a newer Interleave (format version %2; this one reads up to version %3); update Interleave to open it</source>
        <translation>无法打开轨迹“%1”：它由更新版本的 Interleave 保存（格式版本 %2；本程序最高只能读取版本 %3）；请升级 Interleave 后再打开</translation>
    </message>
    <message>
        <source>cannot open trace '%1': it uses the legacy pre-release format (version %2), which this Interleave no longer reads (oldest supported: version %3); record the scenario again</source>
        <translation>无法打开轨迹“%1”：它使用的是旧的预发布格式（版本 %2），本程序已不再读取（最旧支持版本 %3）；请重新录制该场景</translation>
    </message>
    <message>
        <source>checksum mismatch in the %1 chunk at byte %2</source>
        <translation>第 %2 字节处的 %1 数据块校验和不符</translation>
    </message>
    <message>
        <source>the END chunk does not match the number of events read</source>
        <translation>END 数据块与读到的事件数不一致</translation>
    </message>
    <message>
        <source>a META, STRS or THRD chunk is missing</source>
        <translation>缺少 META、STRS 或 THRD 数据块</translation>
    </message>
    <message>
        <source>the META chunk is not a JSON object</source>
        <translation>META 数据块不是 JSON 对象</translation>
    </message>
    <message>
        <source>the string table is malformed</source>
        <translation>字符串表格式错误</translation>
    </message>
    <message>
        <source>the thread table is malformed</source>
        <translation>线程表格式错误</translation>
    </message>
    <message>
        <source>an event chunk has a malformed length (%L1 bytes)</source>
        <translation>某个事件数据块的长度不正确（%L1 字节）</translation>
    </message>
    <message>
        <source>event %L1 has the unknown type %2</source>
        <translation>事件 %L1 的类型 %2 未知</translation>
    </message>
    <message>
        <source>event %L1 refers to thread %L2 of %L3</source>
        <translation>事件 %L1 引用了线程 %L2（共 %L3 个）</translation>
    </message>
    <message>
        <source>cannot save trace '%1': the folder '%2' does not exist; choose an existing folder</source>
        <translation>无法保存轨迹“%1”：文件夹“%2”不存在；请选择一个已存在的文件夹</translation>
    </message>
    <message>
        <source>cannot save trace '%1': it is a folder; choose a file name</source>
        <translation>无法保存轨迹“%1”：它是文件夹；请给出文件名</translation>
    </message>
    <message>
        <source>cannot save trace '%1': %2; choose a folder you can write to</source>
        <translation>无法保存轨迹“%1”：%2；请选择一个有写权限的文件夹</translation>
    </message>
    <message>
        <source>cannot save trace '%1': %2; free some disk space or choose another folder (an existing file was left unchanged)</source>
        <translation>无法保存轨迹“%1”：%2；请释放磁盘空间或换一个文件夹（原有文件未被改动）</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the file is truncated before its first event, so there is nothing to show; it was probably cut off while saving or copying</source>
        <translation>无法打开轨迹“%1”：文件在第一个事件之前就被截断了，没有可显示的内容；它可能在保存或复制时被截断</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the file is truncated after %2 events (the first %2 are shown); it was probably cut off while saving or copying</source>
        <translation>无法打开轨迹“%1”：文件在 %2 个事件之后被截断（显示前 %2 个）；它可能在保存或复制时被截断</translation>
    </message>
    <message>
        <source>cannot open trace '%1': reading failed at byte %2 (%3); copy the file to a local disk and try again</source>
        <translation>无法打开轨迹“%1”：在第 %2 字节处读取失败（%3）；请把文件复制到本地磁盘后重试</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the file is damaged before its first event (%2), so there is nothing to show; use an intact copy if there is one</source>
        <translation>无法打开轨迹“%1”：文件在第一个事件之前就已损坏（%2），没有可显示的内容；如有完好的副本请改用副本</translation>
    </message>
    <message>
        <source>cannot open trace '%1': the file is damaged after %2 events (%3; the first %2 are shown); use an intact copy if there is one</source>
        <translation>无法打开轨迹“%1”：文件在 %2 个事件之后损坏（%3；显示前 %2 个）；如有完好的副本请改用副本</translation>
    </message>
</context>
<context>
    <name>interleave::core::net::NetTr</name>
    <message>
        <source>refusing to start the master with an empty --authkey: anyone could log in</source>
        <translation>拒绝以空的 --authkey 启动 master：那样任何人都能登录</translation>
    </message>
    <message>
        <source>--tasks must be a number from 1 to 100000, not '%1'</source>
        <translation>--tasks 必须是 1 到 100000 之间的数字，而不是“%1”</translation>
    </message>
    <message>
        <source>WARNING: listening on every network interface (%1): any machine that can reach this one may try to log in; only the authkey keeps strangers out. Use 127.0.0.1 unless workers on other machines must join.</source>
        <translation>警告：正在所有网络接口上监听（%1）：任何能访问到本机的电脑都可以尝试登录，只有 authkey 能把陌生人挡在门外。除非其他电脑上的 worker 需要加入，否则请使用 127.0.0.1。</translation>
    </message>
    <message>
        <source>Master listening on %1:%2 (authkey required).</source>
        <translation>Master 正在 %1:%2 上监听（需要 authkey）。</translation>
    </message>
    <message numerus="yes">
        <source>%n task(s) went to the dead-letter list: every worker holding them died</source>
        <translation>
            <numerusform>有 %n 个任务进入了死信列表：每个拿到它们的 worker 都死掉了</numerusform>
        </translation>
    </message>
    <message>
        <source>refusing to log in with an empty --authkey</source>
        <translation>拒绝使用空的 --authkey 登录</translation>
    </message>
    <message>
        <source>cannot read the address '%1': write HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:5000</source>
        <translation>无法解析地址“%1”：请写成 主机:端口，例如 127.0.0.1:5000 或 [::1]:5000</translation>
    </message>
    <message>
        <source>cannot read the port in '%1': it must be a number from 0 to 65535</source>
        <translation>无法解析“%1”中的端口：必须是 0 到 65535 之间的数字</translation>
    </message>
</context>
<context>
    <name>interleave::ui::MainWindow</name>
    <message>
        <source>About Interleave</source>
        <translation>关于 Interleave</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Interleave %1&lt;/h3&gt;&lt;p&gt;See processes, threads, locks and queues at work: every scenario runs real operating-system primitives and shows what they did.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Interleave %1&lt;/h3&gt;&lt;p&gt;观察进程、线程、锁和队列的真实运行：每个场景都在操作系统的真实原语上运行，并展示它们做了什么。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Interleave - processes and threads, seen at work</source>
        <translation>Interleave - 看得见的进程与线程</translation>
    </message>
    <message>
        <source>Scenarios</source>
        <translation>场景</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Open Trace...</source>
        <translation>打开轨迹(&amp;O)...</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Run Scenario</source>
        <translation>运行场景(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About Interleave</source>
        <translation>关于 Interleave(&amp;A)</translation>
    </message>
    <message>
        <source>Choose a scenario on the left.</source>
        <translation>请在左侧选择一个场景。</translation>
    </message>
    <message numerus="yes">
        <source>%n scenario(s) from the chapter "Processes and threads"</source>
        <translation>
            <numerusform>来自“进程和线程”一章的 %n 个场景</numerusform>
        </translation>
    </message>
</context>
</TS>