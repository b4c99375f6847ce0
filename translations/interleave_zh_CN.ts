<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>interleave::AppTr</name>
    <message>
        <source>option --lang needs a value: zh_CN or en</source>
        <translation>选项 --lang 需要一个值：zh_CN 或 en</translation>
    </message>
    <message>
        <source>unknown language &apos;%1&apos; for --lang (use zh_CN or en)</source>
        <translation>--lang 不认识语言“%1”（请用 zh_CN 或 en）</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos; (see interleave --help)</source>
        <translation>未知选项“%1”（见 interleave --help）</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos; for &apos;%2&apos; (see interleave --help)</source>
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
        <source>&apos;run&apos; needs a scenario id (see interleave list)</source>
        <translation>“run”需要一个场景 id（见 interleave list）</translation>
    </message>
    <message>
        <source>&apos;open&apos; needs a trace file</source>
        <translation>“open”需要一个轨迹文件</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos; (see interleave --help)</source>
        <translation>多余的参数“%1”（见 interleave --help）</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not available in this build yet</source>
        <translation>此版本尚不支持“%1”</translation>
    </message>
    <message>
        <source>this build has no window; see interleave --help for the headless commands</source>
        <translation>此版本没有窗口；无界面命令见 interleave --help</translation>
    </message>
    <message>
        <source>--set takes NAME=VALUE, not &apos;%1&apos;</source>
        <translation>--set 的格式是 名称=值，而不是“%1”</translation>
    </message>
    <message>
        <source>--view, --size and --theme describe an image: add --image FILE.png|.svg|.pdf</source>
        <translation>--view、--size 和 --theme 描述的是图片：请加上 --image 文件.png|.svg|.pdf</translation>
    </message>
    <message>
        <source>cannot draw &apos;%1&apos;: give the image a .png, .svg or .pdf name</source>
        <translation>无法绘制“%1”：图片文件名请以 .png、.svg 或 .pdf 结尾</translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos; for --view (use %2)</source>
        <translation>--view 不认识视图“%1”（可用：%2）</translation>
    </message>
    <message>
        <source>--size takes WIDTHxHEIGHT in pixels from 200x150 to 16000x16000, not &apos;%1&apos;</source>
        <translation>--size 的格式是 宽x高（像素，200x150 到 16000x16000），而不是“%1”</translation>
    </message>
    <message>
        <source>unknown theme &apos;%1&apos; for --theme (use light, dark or projector)</source>
        <translation>--theme 不认识主题“%1”（可用 light、dark 或 projector）</translation>
    </message>
    <message>
        <source>this build has no window, so it cannot draw images (--image)</source>
        <translation>此版本没有窗口，因此不能绘制图片（--image）</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: no such readable file</source>
        <translation>无法打开轨迹“%1”：没有这个可读的文件</translation>
    </message>
    <message>
        <source>option %1 needs a value, not an empty one (see interleave --help)</source>
        <translation>选项 %1 需要一个值，不能为空（见 interleave --help）</translation>
    </message>
    <message>
        <source>usage: interleave list [--json]

The scenarios of the chapter with their parameters: name, default and range.
  --json    one JSON array instead of the text
</source>
        <translation>用法：interleave list [--json]

列出本章的场景及其参数：名称、默认值和范围。
  --json    输出一个 JSON 数组，而不是文字
</translation>
    </message>
    <message>
        <source>usage: interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]
                      [--save FILE.iltrace] [--chrome FILE.json] [--image FILE [--view V]
                      [--size WxH] [--theme T]] [--json]

Runs scenario ID (see interleave list) without the window and prints what its processes
print.
  --set NAME=VALUE   a parameter of the scenario (repeat for more)
  --seed N           the seed of the scenario&apos;s random choices (the summary gives it)
  --timeout S        stop the run after S seconds
  --save FILE        the trace as .iltrace
  --chrome FILE      the trace as Chrome/Perfetto JSON
  --image FILE       a picture of a view: .png, .svg or .pdf
  --view V           timeline, graph, cores, chart, code or console (default timeline)
  --size WxH         the picture&apos;s size (default 1600x900)
  --theme T          light, dark or projector
  --json             print one summary object instead of the run&apos;s output
An output path - is standard output; a name ending in .gz is written gzip-compressed.
</source>
        <translation>用法：interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]
                      [--save FILE.iltrace] [--chrome FILE.json] [--image FILE [--view V]
                      [--size WxH] [--theme T]] [--json]

不开窗口运行场景 ID（见 interleave list），并打印其进程的输出。
  --set NAME=VALUE   场景的一个参数（可重复给出多个）
  --seed N           场景随机选择所用的种子（摘要中会给出）
  --timeout S        S 秒后停止运行
  --save FILE        把轨迹保存为 .iltrace
  --chrome FILE      把轨迹保存为 Chrome/Perfetto JSON
  --image FILE       一个视图的图片：.png、.svg 或 .pdf
  --view V           timeline、graph、cores、chart、code 或 console（默认 timeline）
  --size WxH         图片尺寸（默认 1600x900）
  --theme T          light、dark 或 projector
  --json             打印一个摘要对象，而不是运行的输出
输出路径 - 表示标准输出；以 .gz 结尾的文件名会以 gzip 压缩写出。
</translation>
    </message>
    <message>
        <source>usage: interleave open FILE [--save F] [--chrome F] [--image F [--view V] [--size WxH]
                       [--theme T]] [--json]

Opens a saved .iltrace or a Chrome/Perfetto JSON trace (also .gz): in the window, or
without it when an output option is given. The options are those of run.
</source>
        <translation>用法：interleave open FILE [--save F] [--chrome F] [--image F [--view V] [--size WxH]
                       [--theme T]] [--json]

打开保存的 .iltrace 或 Chrome/Perfetto JSON 轨迹（也可以是 .gz）：在窗口中打开；
给出输出选项时则不开窗口。选项与 run 相同。
</translation>
    </message>
    <message>
        <source>no display to show the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); start it in a desktop session, or use a command without the window (see interleave --help)</source>
        <translation>没有可以显示窗口的显示器（DISPLAY 和 WAYLAND_DISPLAY 都未设置）；请在桌面会话中启动，或使用不需要窗口的命令（见 interleave --help）</translation>
    </message>
    <message>
        <source>Interleave %1 - see processes, threads, locks and queues at work.

usage:
  interleave                                   open the window
  interleave list [--json]                     the scenarios and their parameters
  interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]
                 [--save FILE.iltrace] [--chrome FILE.json]
                 [--image FILE.png|.svg|.pdf [--view timeline|graph|cores|chart|code|console]
                  [--size WxH] [--theme light|dark|projector]] [--json]
                                               run a scenario without the window
  interleave trace [--cwd DIR] [--timeout S] [--save F] [--chrome F] [--image F ...] [--json]
                   -- PROGRAM [ARGS]...         run any program unchanged, traced
  interleave open FILE [--save F] [--chrome F] [--image F ...] [--json]
                                               a saved .iltrace or a Chrome/Perfetto JSON trace
  interleave master --listen HOST:PORT (--authkey-file F | $INTERLEAVE_AUTHKEY | --authkey KEY)
                    [--tasks N] [--save FILE.iltrace] [--chrome FILE.json]
  interleave worker --connect HOST:PORT (same key options) [--name NAME]
                    a key given with --authkey shows in ps; the file or the variable do not

options for every mode:
  --lang zh_CN|en    language of the window and of all messages
  --help, --version
  interleave help COMMAND, or COMMAND --help: the options of one command

exit status: 0 the scenario ran, 1 the engine failed, 2 bad input.
</source>
        <translation>Interleave %1 - 观察进程、线程、锁和队列的真实运行。

用法：
  interleave                                   打开窗口
  interleave list [--json]                     列出场景及其参数
  interleave run ID [--set NAME=VALUE]... [--seed N] [--timeout S]
                 [--save FILE.iltrace] [--chrome FILE.json]
                 [--image FILE.png|.svg|.pdf [--view timeline|graph|cores|chart|code|console]
                  [--size WxH] [--theme light|dark|projector]] [--json]
                                               不开窗口运行一个场景
  interleave trace [--cwd DIR] [--timeout S] [--save F] [--chrome F] [--image F ...] [--json]
                   -- PROGRAM [ARGS]...         不加修改地运行任意程序并记录它
  interleave open FILE [--save F] [--chrome F] [--image F ...] [--json]
                                               打开保存的 .iltrace 或 Chrome/Perfetto JSON 轨迹
  interleave master --listen HOST:PORT (--authkey-file F | $INTERLEAVE_AUTHKEY | --authkey KEY)
                    [--tasks N] [--save FILE.iltrace] [--chrome FILE.json]
  interleave worker --connect HOST:PORT （密钥选项同上） [--name NAME]
                    用 --authkey 给出的密钥会出现在 ps 中；文件或环境变量不会

所有模式通用的选项：
  --lang zh_CN|en    窗口和所有消息的语言
  --help, --version
  interleave help 命令，或 命令 --help：单个命令的选项

退出状态：0 场景已运行，1 引擎出错，2 输入有误。
</translation>
    </message>
    <message>
        <source>usage: interleave trace [--cwd DIR] [--timeout S] [--save FILE.iltrace] [--chrome FILE.json]
                        [--image FILE [--view V] [--size WxH] [--theme T]] [--json]
                        -- PROGRAM [ARGS]...

Runs PROGRAM unchanged with Interleave&apos;s recorder preloaded and shows what it did as the
scenarios show theirs: its processes, threads, locks, condition variables, semaphores,
pipes, sleeps and deadlocks, with the file:line of each blocking call when the program
has debug information (compile C with -g). `python3 script.py` shows Python&apos;s thread,
process and lock names, Python lines, and who holds CPython&apos;s GIL.
The program&apos;s standard output is a terminal; its input is empty. It must be dynamically
linked against glibc, and not setuid.
  --cwd DIR          the folder the program starts in (default: the current one)
  --json             print one summary object; the program&apos;s output goes to stderr
The other options are those of run. The exit status is that of run; the summary&apos;s
exit_code is the program&apos;s.
</source>
        <translation>用法：interleave trace [--cwd DIR] [--timeout S] [--save FILE.iltrace] [--chrome FILE.json]
                        [--image FILE [--view V] [--size WxH] [--theme T]] [--json]
                        -- PROGRAM [ARGS]...

预加载 Interleave 的记录器，不加修改地运行 PROGRAM，并像场景那样展示它做了什么：
它的进程、线程、锁、条件变量、信号量、管道、睡眠和死锁；程序带调试信息时
（C 用 -g 编译）还给出每个阻塞调用的 文件:行号。`python3 script.py` 会显示 Python 的
线程名、进程名和锁名、Python 行号，以及谁持有 CPython 的 GIL。
程序的标准输出是一个终端，标准输入为空。程序必须动态链接 glibc，且不能是 setuid 程序。
  --cwd DIR          程序启动时所在的文件夹（默认：当前文件夹）
  --json             只打印一个汇总对象；程序自己的输出改到标准错误
其余选项与 run 相同。退出状态与 run 相同；汇总里的 exit_code 是程序自己的退出码。
</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (commands: list, run, trace, open, master, worker; see interleave --help)</source>
        <translation>未知命令“%1”（可用命令：list、run、trace、open、master、worker；见 interleave --help）</translation>
    </message>
    <message>
        <source>&apos;trace&apos; needs a program: interleave trace -- PROGRAM [ARGS]...</source>
        <translation>“trace”需要一个程序：interleave trace -- PROGRAM [ARGS]...</translation>
    </message>
    <message>
        <source>usage: interleave worker --connect HOST:PORT (same key options as master) [--name NAME]

Takes tasks from a master, computes them and sends the results back.
  --connect HOST:PORT  the master
  --name NAME          how the master calls this worker
  --retry S            keep trying a master that is not there yet or too busy for
                       S seconds (default 60)
</source>
        <translation>用法：interleave worker --connect HOST:PORT （密钥选项同 master） [--name NAME]

从主进程领取任务，计算后把结果送回。
  --connect HOST:PORT  主进程的地址
  --name NAME          主进程对这个工作进程的称呼
  --retry S            主进程还不在或太忙时，继续尝试连接它
                       S 秒（默认 60）
</translation>
    </message>
    <message>
        <source>usage: interleave master --listen HOST:PORT (--authkey-file F | $INTERLEAVE_AUTHKEY |
                         --authkey KEY) [--tasks N] [--result-timeout S] [--save F]
                         [--chrome F]

Serves tasks to workers over TCP and collects their results.
  --listen HOST:PORT   where workers connect
  --authkey-file F     the shared key, read from a file (or $INTERLEAVE_AUTHKEY, or
                       --authkey KEY, which shows in ps)
  --tasks N            how many tasks to serve
  --result-timeout S   end (exit status 1) when no result came for S seconds
                       (default 60; 0 waits for ever)
  --save F, --chrome F the master&apos;s trace
</source>
        <translation>用法：interleave master --listen HOST:PORT (--authkey-file F | $INTERLEAVE_AUTHKEY |
                         --authkey KEY) [--tasks N] [--result-timeout S] [--save F]
                         [--chrome F]

通过 TCP 向工作进程分发任务并收集结果。
  --listen HOST:PORT   工作进程连接的地址
  --authkey-file F     共享密钥，从文件读取（或 $INTERLEAVE_AUTHKEY，或
                       --authkey KEY，后者会出现在 ps 中）
  --tasks N            要分发的任务数
  --result-timeout S   连续 S 秒没有收到结果时结束（退出状态 1）
                       （默认 60；0 表示一直等待）
  --save F, --chrome F 主进程的轨迹
</translation>
    </message>
    <message>
        <source>--fps takes a whole number of frames per second from 1 to %1, not &apos;%2&apos;</source>
        <translation>--fps 取每秒帧数，为 1 到 %1 的整数，不能是 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>--speed takes a number from 0.0001 to 10000 (0.1: ten times slower than real time), not &apos;%1&apos;</source>
        <translation>--speed 取 0.0001 到 10000 之间的数（0.1：比真实时间慢十倍），不能是 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--range takes START-END from the start of the trace, such as 0-1.5s or 200ms-800ms (a bare number is in seconds), with START before END, not &apos;%1&apos;</source>
        <translation>--range 取从跟踪开始算起的 起点-终点，如 0-1.5s 或 200ms-800ms（不带单位的数按秒计），起点须早于终点，不能是 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>interleave: animation &apos;%1&apos;: frame %2 of %3</source>
        <translation>interleave：动画 &apos;%1&apos;：第 %2 帧，共 %3 帧</translation>
    </message>
    <message>
        <source>--fps, --speed and --range describe an animation: add --animation FILE.gif|.mp4|.webm</source>
        <translation>--fps、--speed 和 --range 是动画的选项：请加上 --animation 文件.gif|.mp4|.webm</translation>
    </message>
    <message>
        <source>cannot animate &apos;%1&apos;: give the animation a .gif, .mp4 or .webm name</source>
        <translation>无法生成动画 &apos;%1&apos;：动画文件名须以 .gif、.mp4 或 .webm 结尾</translation>
    </message>
    <message>
        <source>
Be the scheduler, and run it again:
  --schedule T1,T2,...  hold the threads named (as the trace names them: Thread-1) at every
                        step, and let exactly one step of each name through, in this order;
                        then the run goes on freely. The same schedule gives the same run.
  --schedule-file F     the same from a file: one name a line, or comma lists
  --repeat N            run it N times, fresh each time; prints how often each outcome came
                        (race: the final balance); --json adds &quot;runs&quot; and &quot;outcomes&quot;
Example: interleave run race --set iterations=1 --schedule Thread-1,Thread-2,Thread-1,Thread-2
</source>
        <translation>
当一回调度器，再多跑几次：
  --schedule T1,T2,...  让列出的线程（按跟踪里的名字，如 Thread-1）在每一步都停住，
                        按这个顺序每个名字只放行一步；之后运行自由进行。
                        同样的调度总是得到同样的运行。
  --schedule-file F     同上，从文件读：每行一个名字，或逗号分隔
  --repeat N            运行 N 次，每次重新开始；打印每种结果出现的次数
                        （race：最终余额）；--json 增加 &quot;runs&quot; 和 &quot;outcomes&quot;
示例：interleave run race --set iterations=1 --schedule Thread-1,Thread-2,Thread-1,Thread-2
</translation>
    </message>
    <message>
        <source>
run, trace and open also draw the replay of a view as an animation:
  [--animation FILE.gif|.mp4|.webm [--fps N] [--speed X] [--range A-B]]
</source>
        <translation>
run、trace 和 open 还能把某个视图的回放画成动画：
  [--animation 文件.gif|.mp4|.webm [--fps N] [--speed X] [--range A-B]]
</translation>
    </message>
    <message>
        <source>  --animation FILE   the replay of a view, frame by frame: .gif, .mp4 or .webm, with the
                     --view, --size (default 1280x720) and --theme of --image
  --fps N            frames per second of the animation (default 15)
  --speed X          trace time per second of animation (default 1, real time; 0.1 is
                     ten times slower)
  --range A-B        replay only that part of the trace, such as 200ms-1.5s
</source>
        <translation>  --animation FILE   某个视图的逐帧回放：.gif、.mp4 或 .webm，使用与 --image 相同的
                     --view、--size（默认 1280x720）和 --theme
  --fps N            动画每秒帧数（默认 15）
  --speed X          动画每秒对应的跟踪时间（默认 1，即真实时间；0.1 表示
                     慢十倍）
  --range A-B        只回放跟踪的这一段，如 200ms-1.5s
</translation>
    </message>
    <message>
        <source>this build has no window, so it cannot draw animations (--animation)</source>
        <translation>这个版本没有窗口，无法画动画（--animation）</translation>
    </message>
</context>
<context>
    <name>interleave::core::ChallengeTr</name>
    <message>
        <source>Lose an update</source>
        <translation>丢失一次更新</translation>
    </message>
    <message>
        <source>Keep the balance right</source>
        <translation>让余额保持正确</translation>
    </message>
    <message>
        <source>Make them deadlock</source>
        <translation>让它们死锁</translation>
    </message>
    <message>
        <source>Finish without a deadlock</source>
        <translation>不死锁地完成</translation>
    </message>
    <message>
        <source>Make %1 wait</source>
        <translation>让 %1 等待</translation>
    </message>
    <message>
        <source>Make the reader wait on an empty queue</source>
        <translation>让读者在空队列上等待</translation>
    </message>
    <message>
        <source>Both threads add to the balance and take it back once. Choose who steps next so that one thread&apos;s store overwrites the other&apos;s: the final balance is not 0.</source>
        <translation>两个线程各把余额加上再减回一次。选择下一步由谁走，让一个线程的写入覆盖另一个的：最终余额不是 0。</translation>
    </message>
    <message>
        <source>Choose the steps so that no store overwrites another: the run ends with balance = 0, with no lock at all.</source>
        <translation>选择每一步，让任何写入都不覆盖别的写入：不用任何锁，运行结束时 balance = 0。</translation>
    </message>
    <message>
        <source>Thread-1 takes lock A then lock B, Thread-2 lock B then lock A. Choose the steps so that each holds one lock and waits for the other&apos;s.</source>
        <translation>Thread-1 先拿锁 A 再拿锁 B，Thread-2 先拿锁 B 再拿锁 A。选择每一步，让它们各持一把锁、等待对方的那把。</translation>
    </message>
    <message>
        <source>Same threads, same locks: choose the steps so that both finish their transfer.</source>
        <translation>同样的线程，同样的锁：选择每一步，让两个线程都完成转账。</translation>
    </message>
    <message>
        <source>Both threads take the lock to change the balance. Choose the steps so that %1 has to wait for the lock.</source>
        <translation>两个线程都要拿到锁才能改余额。选择每一步，让 %1 不得不等这把锁。</translation>
    </message>
    <message>
        <source>The write process puts an item into the queue, the read process gets it. Choose the steps so that read asks for an item before there is one.</source>
        <translation>write 进程往队列里放一项，read 进程取出它。选择每一步，让 read 在队列里还没有东西时就去取。</translation>
    </message>
</context>
<context>
    <name>interleave::core::ChromeTraceTr</name>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file is empty; export the trace again</source>
        <translation>无法打开轨迹“%1”：文件是空的；请重新导出轨迹</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it is neither an Interleave trace nor a Chrome/Perfetto JSON trace; open a .iltrace or a .json trace file</source>
        <translation>无法打开轨迹“%1”：它既不是 Interleave 轨迹，也不是 Chrome/Perfetto JSON 轨迹；请打开 .iltrace 或 .json 轨迹文件</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: invalid JSON at line %2, column %3 (%4); repair the file or export it again</source>
        <translation>无法打开轨迹“%1”：第 %2 行第 %3 列的 JSON 无效（%4）；请修复文件或重新导出</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: the JSON has no &quot;traceEvents&quot; array, so it is not a Chrome/Perfetto trace; open a trace file</source>
        <translation>无法打开轨迹“%1”：JSON 中没有 &quot;traceEvents&quot; 数组，所以它不是 Chrome/Perfetto 轨迹；请打开一个轨迹文件</translation>
    </message>
    <message>
        <source>cannot write the Chrome trace: %1; free some disk space or choose another folder</source>
        <translation>无法写入 Chrome 轨迹：%1；请释放磁盘空间或换一个文件夹</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: %2; check that it is a readable file</source>
        <translation>无法打开轨迹“%1”：%2；请确认它是可读的文件</translation>
    </message>
    <message>
        <source>cannot export Chrome trace &apos;%1&apos;: %2</source>
        <translation>无法导出 Chrome 轨迹“%1”：%2</translation>
    </message>
    <message>
        <source>trace &apos;%1&apos; is cut off: %2 event(s) before the cut are shown; export it again for the rest</source>
        <translation>记录“%1”被截断了：显示截断处之前的 %2 个事件；重新导出才能看到其余部分</translation>
    </message>
    <message>
        <source>more text after the end of the JSON</source>
        <translation>JSON 结束后还有其他内容</translation>
    </message>
    <message>
        <source>a member name is missing</source>
        <translation>缺少成员名</translation>
    </message>
    <message>
        <source>a colon is missing after a member name</source>
        <translation>成员名后缺少冒号</translation>
    </message>
    <message>
        <source>a comma or &apos;}&apos; is missing after a member</source>
        <translation>成员后缺少逗号或 &apos;}&apos;</translation>
    </message>
    <message>
        <source>a comma or &apos;]&apos; is missing after an element</source>
        <translation>元素后缺少逗号或 &apos;]&apos;</translation>
    </message>
    <message>
        <source>a \u escape without four hex digits</source>
        <translation>\u 转义后不是四位十六进制数</translation>
    </message>
    <message>
        <source>a \u escape of half a character</source>
        <translation>\u 转义只有半个字符</translation>
    </message>
    <message>
        <source>an unknown escape in a string</source>
        <translation>字符串中有未知的转义</translation>
    </message>
    <message>
        <source>a string without its closing quote</source>
        <translation>字符串缺少结尾的引号</translation>
    </message>
    <message>
        <source>a string that is not UTF-8</source>
        <translation>字符串不是 UTF-8 编码</translation>
    </message>
    <message>
        <source>a number too large</source>
        <translation>数值过大</translation>
    </message>
    <message>
        <source>a number cut short</source>
        <translation>数值不完整</translation>
    </message>
    <message>
        <source>not a JSON value</source>
        <translation>不是 JSON 值</translation>
    </message>
    <message>
        <source>opening trace &apos;%1&apos; was cancelled</source>
        <translation>打开轨迹“%1”已取消</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it holds no events, only a UTF-8 byte-order mark and white space (%2 bytes); export the trace again</source>
        <translation>无法打开轨迹“%1”：其中没有事件，只有一个 UTF-8 字节顺序标记和空白（%2 字节）；请重新导出轨迹</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it holds no events, only white space (%2 bytes); export the trace again</source>
        <translation>无法打开轨迹“%1”：其中没有事件，只有空白（%2 字节）；请重新导出轨迹</translation>
    </message>
</context>
<context>
    <name>interleave::core::CommandTr</name>
    <message>
        <source>unknown scenario &apos;%1&apos; (scenarios: %2)</source>
        <translation>未知场景“%1”（可用场景：%2）</translation>
    </message>
    <message>
        <source>--seed takes a whole number from 0 to 18446744073709551615, not &apos;%1&apos;</source>
        <translation>--seed 需要 0 到 18446744073709551615 之间的整数，而不是“%1”</translation>
    </message>
    <message>
        <source>--timeout takes seconds from 0.001 to 86400, not &apos;%1&apos;</source>
        <translation>--timeout 需要 0.001 到 86400 之间的秒数，而不是“%1”</translation>
    </message>
    <message>
        <source>cannot run &apos;%1&apos;: %2</source>
        <translation>无法运行“%1”：%2</translation>
    </message>
    <message>
        <source>run ended: %1</source>
        <translation>运行结束：%1</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>%1 and %2 both name &apos;%3&apos;: the second would overwrite the first; give each output its own file</source>
        <translation>%1 和 %2 都指向“%3”：后者会覆盖前者；请为每个输出指定各自的文件</translation>
    </message>
    <message>
        <source>write error</source>
        <translation>写入出错</translation>
    </message>
    <message>
        <source>cannot write to standard output: %1</source>
        <translation>无法写入标准输出：%1</translation>
    </message>
    <message>
        <source>%1 of %2 events were lost (the recorder could not hand them to the reader): the trace is incomplete, and what it shows may be wrong</source>
        <translation>%2 个事件中丢失了 %1 个（记录器没能把它们交给读取方）：这份记录不完整，显示的内容可能是错的</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>deadlocked</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>crashed</source>
        <translation>崩溃</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>%1 of %2 events were lost (%3 unreadable in a damaged file, %4 never handed to the reader): the trace is incomplete, and what it shows may be wrong</source>
        <translation>%2 个事件中丢失了 %1 个（%3 个在损坏的文件中无法读取，%4 个未能交给读取方）：轨迹不完整，显示的内容可能有误</translation>
    </message>
    <message>
        <source>%1 of %2 events were lost (unreadable in a damaged file): the trace is incomplete, and what it shows may be wrong</source>
        <translation>%2 个事件中丢失了 %1 个（在损坏的文件中无法读取）：轨迹不完整，显示的内容可能有误</translation>
    </message>
    <message>
        <source>--json and %1 - both write to standard output; give %1 a file name</source>
        <translation>--json 与 %1 - 都写到标准输出；请给 %1 一个文件名</translation>
    </message>
    <message>
        <source>&apos;trace&apos; needs a program: interleave trace -- PROGRAM [ARGS]...</source>
        <translation>“trace”需要一个程序：interleave trace -- PROGRAM [ARGS]...</translation>
    </message>
    <message>
        <source>--cwd &apos;%1&apos; is not a folder</source>
        <translation>--cwd “%1”不是文件夹</translation>
    </message>
    <message>
        <source>%1 (the run was stopped there)</source>
        <translation>%1（运行已在此处停止）</translation>
    </message>
    <message>
        <source>running %1: %2 s, %3 events</source>
        <translation>正在运行 %1：%2 秒，%3 个事件</translation>
    </message>
    <message>
        <source>--repeat takes a whole number of runs from 1 to 100000, not &apos;%1&apos;</source>
        <translation>--repeat 取运行次数，为 1 到 100000 的整数，不能是 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>--schedule and --schedule-file both give a schedule; give one of them</source>
        <translation>--schedule 和 --schedule-file 都给出了调度；只能给其中一个</translation>
    </message>
    <message>
        <source>run %1 of %2</source>
        <translation>第 %1 次运行，共 %2 次</translation>
    </message>
    <message>
        <source>%1 = %2: %3 of %4 runs</source>
        <translation>%1 = %2：%4 次运行中有 %3 次</translation>
    </message>
    <message>
        <source>the schedule names no thread: give thread names as the trace shows them, for example Thread-1,Thread-2,Thread-1</source>
        <translation>调度里没有线程名：请按跟踪中显示的名字给出线程，例如 Thread-1,Thread-2,Thread-1</translation>
    </message>
    <message>
        <source>cannot read schedule file &apos;%1&apos;: %2</source>
        <translation>无法读取调度文件 &apos;%1&apos;：%2</translation>
    </message>
    <message>
        <source>schedule file &apos;%1&apos; is larger than 1 MiB</source>
        <translation>调度文件 &apos;%1&apos; 超过 1 MiB</translation>
    </message>
    <message>
        <source>schedule step %1: no thread &apos;%2&apos; took a step before the run ended (its threads: %3)</source>
        <translation>调度第 %1 步：运行结束前没有名为 &apos;%2&apos; 的线程走出一步（它的线程有：%3）</translation>
    </message>
    <message>
        <source>schedule step %1: thread &apos;%2&apos; was not held within %3 s (not started, blocked, or not a thread of this run; its threads: %4)</source>
        <translation>调度第 %1 步：线程 &apos;%2&apos; 在 %3 秒内没有停在下一步（尚未启动、被阻塞，或不是这次运行的线程；它的线程有：%4）</translation>
    </message>
    <message>
        <source>schedule step %1: thread &apos;%2&apos; did not finish its step within %3 s</source>
        <translation>调度第 %1 步：线程 &apos;%2&apos; 在 %3 秒内没有走完这一步</translation>
    </message>
</context>
<context>
    <name>interleave::core::GunzipTr</name>
    <message>
        <source>opening &apos;%1&apos; was cancelled</source>
        <translation>已取消打开“%1”</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it holds more than %2 GiB once decompressed; decompress it with gunzip and open the result</source>
        <translation>无法打开轨迹“%1”：解压后超过 %2 GiB；请先用 gunzip 解压，再打开解压后的文件</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it is an empty file, compressed; export the trace again</source>
        <translation>无法打开轨迹“%1”：它是一个压缩过的空文件；请重新导出轨迹</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: its gzip stream is cut off or damaged before any of the trace (%2 bytes); compress or export the trace again</source>
        <translation>无法打开轨迹“%1”：它的 gzip 数据流在轨迹内容之前就被截断或损坏了（%2 字节）；请重新压缩或重新导出轨迹</translation>
    </message>
</context>
<context>
    <name>interleave::core::PredictionTr</name>
    <message>
        <source>Two threads add to the balance and take it back, many times. What is the final balance?</source>
        <translation>两个线程反复把余额加上再减回，很多次。最终余额是多少？</translation>
    </message>
    <message>
        <source>More tasks than workers go to a process pool. How many tasks run at once, at most?</source>
        <translation>交给进程池的任务比工作进程多。同一时刻最多有几个任务在运行？</translation>
    </message>
    <message>
        <source>Busy threads, one per core. How many cores are busy at once, at most?</source>
        <translation>忙碌的线程，每个核一个。同一时刻最多有几个核在忙？</translation>
    </message>
    <message>
        <source>0, as it should be</source>
        <translation>0，本该如此</translation>
    </message>
    <message>
        <source>a little off (1 to 100)</source>
        <translation>差一点（1 到 100）</translation>
    </message>
    <message>
        <source>far off (more than 100)</source>
        <translation>差很多（超过 100）</translation>
    </message>
    <message>
        <source>5 or more</source>
        <translation>5 个或更多</translation>
    </message>
    <message>
        <source>3 or more</source>
        <translation>3 个或更多</translation>
    </message>
</context>
<context>
    <name>interleave::core::SafeWriteTr</name>
    <message>
        <source>%1; %2 (the existing file was left unchanged)</source>
        <translation>%1；%2（原有文件未被改动）</translation>
    </message>
    <message>
        <source>%1; %2</source>
        <translation>%1；%2</translation>
    </message>
    <message>
        <source>free some disk space or choose another folder</source>
        <translation>请释放磁盘空间或换一个文件夹</translation>
    </message>
    <message>
        <source>choose another file or folder</source>
        <translation>请另选文件或文件夹</translation>
    </message>
    <message>
        <source>the content could not be made</source>
        <translation>无法生成文件内容</translation>
    </message>
    <message>
        <source>%1; choose a file you can write to</source>
        <translation>%1；请选择一个有写权限的文件</translation>
    </message>
    <message>
        <source>the file name is empty; give a file name</source>
        <translation>文件名为空；请给出文件名</translation>
    </message>
    <message>
        <source>it is a folder; give a file name</source>
        <translation>它是文件夹；请给出文件名</translation>
    </message>
    <message>
        <source>the folder &apos;%1&apos; does not exist; choose an existing folder</source>
        <translation>文件夹“%1”不存在；请选择一个已存在的文件夹</translation>
    </message>
    <message>
        <source>%1; choose a folder you can write to</source>
        <translation>%1；请选择一个有写权限的文件夹</translation>
    </message>
    <message>
        <source>choose another folder</source>
        <translation>请换一个文件夹</translation>
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
        <source>scenario &apos;%1&apos; has no parameter &apos;%2&apos; (it has: %3)</source>
        <translation>场景“%1”没有参数“%2”（它的参数有：%3）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>parameter &apos;%1&apos; of scenario &apos;%2&apos; cannot be &apos;%3&apos;: it takes %4</source>
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
        <source>written to the program&apos;s stdin, then closed; \n is a newline</source>
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
    <message>
        <source>Workers sending their events</source>
        <translation>自行发送事件的 worker 数</translation>
    </message>
    <message>
        <source>of the workers, how many run as the interleave worker program and send their own events to the master over the network, as a worker on another machine does</source>
        <translation>其中有几个 worker 以 interleave worker 程序运行，像另一台机器上的 worker 那样，通过网络把自己的事件发送给 master</translation>
    </message>
    <message>
        <source>on: each thread gives up the CPU between reading balance and writing it back; sometimes: every 1000th time, as CPython&apos;s switch interval could</source>
        <translation>on：每个线程在读出 balance 和写回 balance 之间让出 CPU；sometimes：每 1000 次让出一次，就像 CPython 的切换间隔可能做到的那样</translation>
    </message>
    <message>
        <source>a text of at most %1 characters</source>
        <translation>最多 %1 个字符的文本</translation>
    </message>
    <message>
        <source>%1... (%2 characters)</source>
        <translation>%1……（共 %2 个字符）</translation>
    </message>
    <message>
        <source>Your programs</source>
        <translation>你自己的程序</translation>
    </message>
    <message>
        <source>Trace a program: any program, run unchanged</source>
        <translation>记录一个程序：任意程序，不加修改地运行</translation>
    </message>
    <message>
        <source>a JSON array: the program, then its arguments</source>
        <translation>一个 JSON 数组：先是程序，然后是它的参数</translation>
    </message>
    <message>
        <source>Working folder</source>
        <translation>工作文件夹</translation>
    </message>
    <message>
        <source>where the program starts; empty: the current one</source>
        <translation>程序启动时所在的位置；留空：当前文件夹</translation>
    </message>
    <message>
        <source>Broker</source>
        <translation>中间件</translation>
    </message>
    <message>
        <source>tcp: the master serves its queues itself; redis: the queues are lists in a Redis server, which workers take from with BLMOVE</source>
        <translation>tcp：由 master 自己提供队列；redis：队列是 Redis 服务器中的列表，worker 用 BLMOVE 从中取任务</translation>
    </message>
    <message>
        <source>Redis server</source>
        <translation>Redis 服务器</translation>
    </message>
    <message>
        <source>with broker=redis: HOST:PORT of a running Redis; empty: a redis-server of the run&apos;s own on a private unix socket</source>
        <translation>broker=redis 时：正在运行的 Redis 的 HOST:PORT；留空：本次运行自己在私有 unix 套接字上启动的 redis-server</translation>
    </message>
</context>
<context>
    <name>interleave::core::TraceFileTr</name>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file is empty (0 bytes), so it was never saved completely; record or export the trace again</source>
        <translation>无法打开轨迹“%1”：文件是空的（0 字节），说明它从未完整保存；请重新录制或导出轨迹</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it is not an Interleave trace (no ILTRACE header); open a .iltrace file saved by Interleave or a Chrome/Perfetto JSON trace</source>
        <translation>无法打开轨迹“%1”：它不是 Interleave 轨迹（没有 ILTRACE 文件头）；请打开 Interleave 保存的 .iltrace 文件或 Chrome/Perfetto JSON 轨迹</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it was saved by a newer Interleave (format version %2; this one reads up to version %3); update Interleave to open it</source>
        <translation>无法打开轨迹“%1”：它由更新版本的 Interleave 保存（格式版本 %2；本程序最高只能读取版本 %3）；请升级 Interleave 后再打开</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it uses the legacy pre-release format (version %2), which this Interleave no longer reads (oldest supported: version %3); record the scenario again</source>
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
        <source>cannot open trace &apos;%1&apos;: the file is truncated before its first event, so there is nothing to show; it was probably cut off while saving or copying</source>
        <translation>无法打开轨迹“%1”：文件在第一个事件之前就被截断了，没有可显示的内容；它可能在保存或复制时被截断</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file is truncated after %2 events (the first %2 are shown); it was probably cut off while saving or copying</source>
        <translation>无法打开轨迹“%1”：文件在 %2 个事件之后被截断（显示前 %2 个）；它可能在保存或复制时被截断</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: reading failed at byte %2 (%3); copy the file to a local disk and try again</source>
        <translation>无法打开轨迹“%1”：在第 %2 字节处读取失败（%3）；请把文件复制到本地磁盘后重试</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file is damaged before its first event (%2), so there is nothing to show; use an intact copy if there is one</source>
        <translation>无法打开轨迹“%1”：文件在第一个事件之前就已损坏（%2），没有可显示的内容；如有完好的副本请改用副本</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file is damaged after %2 events (%3; the first %2 are shown); use an intact copy if there is one</source>
        <translation>无法打开轨迹“%1”：文件在 %2 个事件之后损坏（%3；显示前 %2 个）；如有完好的副本请改用副本</translation>
    </message>
    <message>
        <source>event %L1 has the impossible time %L2 ns</source>
        <translation>事件 %L1 的时间 %L2 纳秒不可能存在</translation>
    </message>
    <message>
        <source>cannot save trace &apos;%1&apos;: %2</source>
        <translation>无法保存轨迹“%1”：%2</translation>
    </message>
    <message>
        <source>cannot open a trace: no file name was given; name a .iltrace or .json file</source>
        <translation>无法打开轨迹：没有给出文件名；请指定一个 .iltrace 或 .json 文件</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it is a folder, not a file; choose a .iltrace file</source>
        <translation>无法打开轨迹“%1”：它是文件夹而不是文件；请选择一个 .iltrace 文件</translation>
    </message>
    <message>
        <source>a named pipe</source>
        <translation>命名管道</translation>
    </message>
    <message>
        <source>a socket</source>
        <translation>套接字</translation>
    </message>
    <message>
        <source>a device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: it is %2, not a file; save the trace to a file and open that</source>
        <translation>无法打开轨迹“%1”：它是%2而不是文件；请先把轨迹保存为文件再打开</translation>
    </message>
    <message>
        <source>the thread table lists %L1 threads for %L2 events</source>
        <translation>线程表列出了 %L1 个线程，而事件只有 %L2 个</translation>
    </message>
    <message>
        <source>a chunk header is damaged</source>
        <translation>一个数据块的块头已损坏</translation>
    </message>
    <message>
        <source>an END chunk of %L1 bytes at byte %2</source>
        <translation>第 %2 字节处有一个 %L1 字节的 END 数据块</translation>
    </message>
    <message>
        <source>the END chunk counts %L1 events but %L2 were found</source>
        <translation>END 数据块记有 %L1 个事件，实际找到 %L2 个</translation>
    </message>
    <message>
        <source> and in %L1 more places</source>
        <translation>，另有 %L1 处损坏</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos; whole: it is damaged at byte %2 (%3)%4; all %5 events were read and are shown; use an intact copy if there is one</source>
        <translation>无法完整打开轨迹“%1”：文件在第 %2 字节处损坏（%3）%4；全部 %5 个事件均已读取并显示；如有完好的副本请改用副本</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos; whole: it is damaged at byte %2 (%3)%4 and cut off at its end; at least %5 unreadable events were left out and the other %6 are shown; use an intact copy if there is one</source>
        <translation>无法完整打开轨迹“%1”：文件在第 %2 字节处损坏（%3）%4，且末尾被截断；至少 %5 个无法读取的事件被略去，其余 %6 个已显示；如有完好的副本请改用副本</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos; whole: it is damaged at byte %2 (%3)%4; %5 unreadable events were left out and the other %6 are shown; use an intact copy if there is one</source>
        <translation>无法完整打开轨迹“%1”：文件在第 %2 字节处损坏（%3）%4；%5 个无法读取的事件被略去，其余 %6 个已显示；如有完好的副本请改用副本</translation>
    </message>
    <message>
        <source>opening trace &apos;%1&apos; was cancelled</source>
        <translation>打开轨迹“%1”已取消</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: %2; check that the file is readable</source>
        <translation>无法打开轨迹“%1”：%2；请确认文件可读</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file does not exist; check the path</source>
        <translation>无法打开轨迹“%1”：文件不存在；请检查路径</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: %2; check the path and its permissions</source>
        <translation>无法打开轨迹“%1”：%2；请检查路径及其权限</translation>
    </message>
    <message>
        <source>a compressed event chunk has a malformed length (%L1 bytes)</source>
        <translation>压缩事件块的长度有误（%L1 字节）</translation>
    </message>
    <message>
        <source>a compressed event chunk counts %L1 events, more than the %L2 a chunk holds</source>
        <translation>压缩事件块记有 %L1 个事件，超过一个块最多容纳的 %L2 个</translation>
    </message>
    <message>
        <source>a compressed event chunk does not hold the %L1 events it counts</source>
        <translation>压缩事件块中没有它所记的 %L1 个事件</translation>
    </message>
    <message>
        <source>the compressed events of a chunk cannot be decompressed</source>
        <translation>某个块中的压缩事件无法解压</translation>
    </message>
</context>
<context>
    <name>interleave::core::TraceableTr</name>
    <message>
        <source>it is neither an ELF program nor a script that starts with &quot;#!&quot;</source>
        <translation>它既不是 ELF 程序，也不是以“#!”开头的脚本</translation>
    </message>
    <message>
        <source>it is an ELF file but not a program</source>
        <translation>它是 ELF 文件，但不是可运行的程序</translation>
    </message>
    <message>
        <source>it is built for another architecture than this machine&apos;s</source>
        <translation>它是为另一种架构构建的，不是本机的架构</translation>
    </message>
    <message>
        <source>it is statically linked, so no library can be preloaded into it (link it without -static)</source>
        <translation>它是静态链接的，无法向其中预加载任何库（去掉 -static 重新链接）</translation>
    </message>
    <message>
        <source>it is linked against another C library than glibc (its loader is &apos;%1&apos;); the recorder needs glibc</source>
        <translation>它链接的是 glibc 以外的 C 库（其加载器为“%1”）；记录器需要 glibc</translation>
    </message>
    <message>
        <source>its &quot;#!&quot; line names no interpreter</source>
        <translation>它的“#!”行没有指明解释器</translation>
    </message>
    <message>
        <source>it names too many interpreters in a row</source>
        <translation>它连续指定了太多层解释器</translation>
    </message>
    <message>
        <source>it runs &apos;%1&apos; through env, and there is no program of that name in PATH</source>
        <translation>它通过 env 运行“%1”，但 PATH 中没有这个名字的程序</translation>
    </message>
    <message>
        <source>there is no such file</source>
        <translation>没有这个文件</translation>
    </message>
    <message>
        <source>it is not a file that runs (a folder or a device)</source>
        <translation>它不是可运行的文件（而是文件夹或设备）</translation>
    </message>
    <message>
        <source>it is not executable (chmod +x makes it so)</source>
        <translation>它没有可执行权限（用 chmod +x 加上）</translation>
    </message>
    <message>
        <source>it is set-user-ID or set-group-ID, and the loader ignores preloaded libraries in such programs (trace a copy without that bit)</source>
        <translation>它设置了 set-user-ID 或 set-group-ID 位，加载器不会向这类程序预加载库（请跟踪一个去掉该位的副本）</translation>
    </message>
    <message>
        <source>it has file capabilities (setcap), and the loader ignores preloaded libraries in such programs (trace a copy without them)</source>
        <translation>它带有文件能力（setcap），加载器不会向这类程序预加载库（请跟踪一个去掉这些能力的副本）</translation>
    </message>
    <message>
        <source>it cannot be read: %1</source>
        <translation>无法读取它：%1</translation>
    </message>
    <message>
        <source>cannot trace: no program given (interleave trace -- PROGRAM [ARGS...])</source>
        <translation>无法跟踪：没有给出程序（interleave trace -- PROGRAM [ARGS...]）</translation>
    </message>
    <message>
        <source>cannot trace &apos;%1&apos;: there is no program of that name in PATH</source>
        <translation>无法跟踪“%1”：PATH 中没有这个名字的程序</translation>
    </message>
    <message>
        <source>cannot trace &apos;%1&apos;: this build&apos;s libelf does not work</source>
        <translation>无法跟踪“%1”：此构建的 libelf 无法工作</translation>
    </message>
    <message>
        <source>cannot trace &apos;%1&apos;: %2</source>
        <translation>无法跟踪“%1”：%2</translation>
    </message>
    <message>
        <source>cannot trace &apos;%1&apos; (run by &apos;%2&apos;): %3</source>
        <translation>无法跟踪“%1”（由“%2”运行）：%3</translation>
    </message>
</context>
<context>
    <name>interleave::core::net::NetTr</name>
    <message>
        <source>--tasks must be a number from 1 to 100000, not &apos;%1&apos;</source>
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
        <source>cannot read the address &apos;%1&apos;: write HOST:PORT, e.g. 127.0.0.1:5000 or [::1]:5000</source>
        <translation>无法解析地址“%1”：请写成 主机:端口，例如 127.0.0.1:5000 或 [::1]:5000</translation>
    </message>
    <message>
        <source>cannot read the port in &apos;%1&apos;: it must be a number from 0 to 65535</source>
        <translation>无法解析“%1”中的端口：必须是 0 到 65535 之间的数字</translation>
    </message>
    <message>
        <source>cannot read the key file &apos;%1&apos;: %2</source>
        <translation>无法读取密钥文件“%1”：%2</translation>
    </message>
    <message>
        <source>refusing to start the master with an empty key (give --authkey-file F, $INTERLEAVE_AUTHKEY or --authkey KEY): anyone could log in</source>
        <translation>拒绝以空密钥启动 master（请给出 --authkey-file F、$INTERLEAVE_AUTHKEY 或 --authkey KEY）：那样任何人都能登录</translation>
    </message>
    <message>
        <source>refusing to log in with an empty key (give --authkey-file F, $INTERLEAVE_AUTHKEY or --authkey KEY)</source>
        <translation>拒绝使用空密钥登录（请给出 --authkey-file F、$INTERLEAVE_AUTHKEY 或 --authkey KEY）</translation>
    </message>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>--save and --chrome both name &apos;%1&apos;: the second would overwrite the first; give each output its own file</source>
        <translation>--save 和 --chrome 都指向“%1”：后者会覆盖前者；请为每个输出指定各自的文件</translation>
    </message>
    <message>
        <source>stopped with %1 of %2 results in</source>
        <translation>已停止，收到 %2 个结果中的 %1 个</translation>
    </message>
    <message>
        <source>--retry must be a number of seconds from 0 to 86400, not &apos;%1&apos;</source>
        <translation>--retry 必须是 0 到 86400 之间的秒数，而不是“%1”</translation>
    </message>
    <message>
        <source>--result-timeout must be a number of seconds from 0 (wait for ever) to 86400, not &apos;%1&apos;</source>
        <translation>--result-timeout 必须是 0（一直等待）到 86400 之间的秒数，而不是“%1”</translation>
    </message>
    <message>
        <source>no result for %1 s (--result-timeout): the master ends with %2 of %3 results in</source>
        <translation>%1 秒内没有收到任何结果（--result-timeout）：master 结束，已收到 %3 个结果中的 %2 个</translation>
    </message>
</context>
<context>
    <name>interleave::ui::AnimationDialog</name>
    <message>
        <source>Export Animation</source>
        <translation>导出动画</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>File (.gif, .mp4, .webm)</source>
        <translation>文件（.gif、.mp4、.webm）</translation>
    </message>
    <message>
        <source>Frames per second</source>
        <translation>每秒帧数</translation>
    </message>
    <message>
        <source>Trace time per second of animation: 1 is real time, 0.1 ten times slower</source>
        <translation>动画每秒对应的跟踪时间：1 是真实时间，0.1 慢十倍</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Animations (*.gif *.mp4 *.webm)</source>
        <translation>动画 (*.gif *.mp4 *.webm)</translation>
    </message>
    <message>
        <source>Give the file a .gif, .mp4 or .webm name</source>
        <translation>文件名须以 .gif、.mp4 或 .webm 结尾</translation>
    </message>
</context>
<context>
    <name>interleave::ui::AnimationEncoder</name>
    <message>
        <source>GIF error %1</source>
        <translation>GIF 错误 %1</translation>
    </message>
</context>
<context>
    <name>interleave::ui::AnimationExport</name>
    <message>
        <source>cannot save animation &apos;%1&apos;: %2</source>
        <translation>无法保存动画 &apos;%1&apos;：%2</translation>
    </message>
    <message>
        <source>unknown animation type; give the file a .gif, .mp4 or .webm name</source>
        <translation>未知的动画类型；文件名须以 .gif、.mp4 或 .webm 结尾</translation>
    </message>
    <message>
        <source>nothing to draw at this size, frame rate or speed</source>
        <translation>在这个尺寸、帧率或速度下没有可画的内容</translation>
    </message>
    <message>
        <source>the replay would take more than %1 frames; raise --speed or choose a shorter --range</source>
        <translation>回放会超过 %1 帧；请提高 --speed 或选择更短的 --range</translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos; (views: %2)</source>
        <translation>未知视图“%1”（可用视图：%2）</translation>
    </message>
</context>
<context>
    <name>interleave::ui::ChartsView</name>
    <message>
        <source>Charts</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>队列长度</translation>
    </message>
    <message>
        <source>Lock waits per thread</source>
        <translation>各线程的锁等待</translation>
    </message>
    <message>
        <source>Throughput against workers</source>
        <translation>吞吐量与工作线程数</translation>
    </message>
    <message>
        <source>Thread vs process creation cost</source>
        <translation>创建线程与创建进程的开销</translation>
    </message>
    <message>
        <source>Outcomes of repeated runs</source>
        <translation>多次运行的结果</translation>
    </message>
    <message>
        <source>No chart</source>
        <translation>无图表</translation>
    </message>
    <message>
        <source>&amp;Chart:</source>
        <translation>图表(&amp;C):</translation>
    </message>
    <message>
        <source>Which chart of this run to show</source>
        <translation>显示本次运行的哪张图表</translation>
    </message>
    <message>
        <source>No run to chart.</source>
        <translation>没有可绘制的运行。</translation>
    </message>
    <message>
        <source>Items waiting in each queue</source>
        <translation>各队列中等待的元素数</translation>
    </message>
    <message>
        <source>time (ms)</source>
        <translation>时间（毫秒）</translation>
    </message>
    <message>
        <source>time (s)</source>
        <translation>时间（秒）</translation>
    </message>
    <message>
        <source>items in the queue</source>
        <translation>队列中的元素数</translation>
    </message>
    <message>
        <source>How long each thread waited for a lock</source>
        <translation>各线程等待锁的时间</translation>
    </message>
    <message>
        <source>thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>wait (ms)</source>
        <translation>等待（毫秒）</translation>
    </message>
    <message>
        <source>%1: total wait</source>
        <translation>%1：总等待</translation>
    </message>
    <message>
        <source>%1: longest wait</source>
        <translation>%1：最长一次等待</translation>
    </message>
    <message>
        <source>Tasks per second against the number of workers</source>
        <translation>每秒完成的任务数与工作线程数</translation>
    </message>
    <message>
        <source>worker threads</source>
        <translation>工作线程数</translation>
    </message>
    <message>
        <source>tasks per second</source>
        <translation>每秒任务数</translation>
    </message>
    <message>
        <source>compute-bound tasks</source>
        <translation>计算密集型任务</translation>
    </message>
    <message>
        <source>IO-bound tasks</source>
        <translation>IO 密集型任务</translation>
    </message>
    <message>
        <source>1 core</source>
        <translation>1 个核心</translation>
    </message>
    <message>
        <source>%1 cores</source>
        <translation>%1 个核心</translation>
    </message>
    <message>
        <source>Creating one thread vs one process (median)</source>
        <translation>创建一个线程与创建一个进程（中位数）</translation>
    </message>
    <message>
        <source>µs to create and join one</source>
        <translation>创建并等待一个所需微秒数</translation>
    </message>
    <message>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 微秒</translation>
    </message>
    <message>
        <source>a process costs %1× a thread</source>
        <translation>一个进程的开销是线程的 %1 倍</translation>
    </message>
    <message>
        <source>Outcome of 1 run</source>
        <translation>1 次运行的结果</translation>
    </message>
    <message>
        <source>Outcomes of %1 runs</source>
        <translation>%1 次运行的结果</translation>
    </message>
    <message>
        <source>final balance</source>
        <translation>最终余额</translation>
    </message>
    <message>
        <source>lost updates</source>
        <translation>丢失的更新</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>运行次数</translation>
    </message>
    <message>
        <source>expected %1</source>
        <translation>预期 %1</translation>
    </message>
    <message>
        <source>playhead</source>
        <translation>播放头</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s): updates were lost but cancelled out, so the balance came out right</source>
        <translation>
            <numerusform>%n 次运行：更新丢失了，但互相抵消，所以余额看起来是对的</numerusform>
        </translation>
    </message>
    <message>
        <source>Counters of the trace</source>
        <translation>轨迹中的计数器</translation>
    </message>
    <message>
        <source>Nothing to chart yet: this trace has no queue, no lock wait, no counter, no measured
sweep and no repeated runs.</source>
        <translation>还没有可画的图表：这份轨迹没有队列、没有锁等待、没有计数器、没有测得的
扫描，也没有多次运行。</translation>
    </message>
    <message>
        <source>Prediction and outcome</source>
        <translation>预测与结果</translation>
    </message>
    <message>
        <source>share (%)</source>
        <translation>占比（%）</translation>
    </message>
    <message>
        <source>the class predicted (%1 hands)</source>
        <translation>全班的预测（%1 人举手）</translation>
    </message>
    <message>
        <source>%1 hands</source>
        <translation>%1 人</translation>
    </message>
    <message>
        <source>the runs gave (%1 runs)</source>
        <translation>运行的结果（%1 次运行）</translation>
    </message>
    <message>
        <source>%1 runs</source>
        <translation>%1 次</translation>
    </message>
</context>
<context>
    <name>interleave::ui::CodeView</name>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>C++ that runs</source>
        <translation>实际运行的 C++</translation>
    </message>
    <message>
        <source>Python of the chapter</source>
        <translation>教程中的 Python</translation>
    </message>
    <message>
        <source>The C++ of scenario &apos;%1&apos; is not built into this program.</source>
        <translation>场景“%1”的 C++ 源码未内置在本程序中。</translation>
    </message>
    <message>
        <source>This trace does not say which scenario ran, so there is no code to show.</source>
        <translation>此追踪没有说明运行的是哪个场景，因此无法显示代码。</translation>
    </message>
    <message>
        <source>In code not shown here (library or instrumentation): %1.</source>
        <translation>位于此处未显示的代码中（库或插桩代码）：%1。</translation>
    </message>
    <message>
        <source>C++ that runs: %1</source>
        <translation>实际运行的 C++：%1</translation>
    </message>
    <message>
        <source>A thread is marked at the Python line its C++ line re-enacts (the &quot;// py:&quot; notes); elsewhere at the print that produced the last line it printed, &quot;?&quot; marking one of several prints that could have.</source>
        <translation>线程标在它的 C++ 行所重现的 Python 行上（见“// py:”注记）；没有注记之处，标在它最近一次输出所对应的 print 语句上，“?”表示可能产生该输出的多个 print 之一。</translation>
    </message>
    <message>
        <source>%1 at %2:%3</source>
        <translation>%1 位于 %2:%3</translation>
    </message>
    <message>
        <source>%1 (Python line %2)</source>
        <translation>%1（Python 第 %2 行）</translation>
    </message>
    <message>
        <source>Where: %1.</source>
        <translation>各线程位置：%1。</translation>
    </message>
    <message>
        <source>The program&apos;s own source</source>
        <translation>程序自己的源码</translation>
    </message>
    <message>
        <source>The program&apos;s own source: %1</source>
        <translation>程序自己的源码：%1</translation>
    </message>
    <message>
        <source>%1 waits at %2:%3 to %4</source>
        <translation>%1 停在 %2:%3，下一步：%4</translation>
    </message>
</context>
<context>
    <name>interleave::ui::ConsoleView</name>
    <message>
        <source>Console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <source>Nothing printed yet.</source>
        <translation>尚无输出。</translation>
    </message>
    <message>
        <source>No run yet.</source>
        <translation>尚未运行。</translation>
    </message>
    <message>
        <source>What the processes printed: time, pid and thread, stream, text. Lines printed after the playhead are dimmed.</source>
        <translation>各进程的输出：时间、进程号与线程、输出流、文本。播放头之后输出的行以淡色显示。</translation>
    </message>
    <message>
        <source>stderr</source>
        <translation>stderr（标准错误）</translation>
    </message>
    <message>
        <source>printed after the playhead (dimmed)</source>
        <translation>播放头之后的输出（淡色）</translation>
    </message>
    <message>
        <source>playhead</source>
        <translation>播放头</translation>
    </message>
    <message>
        <source>(paused %1 s before this line)</source>
        <translation>（此行之前暂停了 %1 秒）</translation>
    </message>
</context>
<context>
    <name>interleave::ui::CoresView</name>
    <message>
        <source>Cores</source>
        <translation>CPU 核心</translation>
    </message>
    <message>
        <source>No core samples yet. While a scenario runs, a sampler reads which core each thread ran on; its samples appear here.</source>
        <translation>还没有核心采样。场景运行时，采样器会读取每个线程运行在哪个核心上，采样结果显示在这里。</translation>
    </message>
    <message>
        <source>core %1</source>
        <translation>核心 %1</translation>
    </message>
    <message>
        <source>core %1: no traced thread seen running</source>
        <translation>核心 %1：没有看到被跟踪的线程在此运行</translation>
    </message>
    <message>
        <source>%1 (tid %2, pid %3) ran on core %4
from %5 for %6</source>
        <translation>%1（tid %2，pid %3）运行在核心 %4 上
从 %5 开始，持续 %6</translation>
    </message>
    <message>
        <source>playhead</source>
        <translation>播放头</translation>
    </message>
</context>
<context>
    <name>interleave::ui::DetailsPanel</name>
    <message>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Click a span, an arrow or a mark on the timeline, or Shift-drag across it to select a time range.</source>
        <translation>在时间线上点击一段状态、一个箭头或一个标记，或按住 Shift 拖动来选择一段时间范围。</translation>
    </message>
    <message>
        <source>Per thread</source>
        <translation>按线程</translation>
    </message>
</context>
<context>
    <name>interleave::ui::ExportDialog</name>
    <message>
        <source>Export Image</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>File (.png, .svg, .pdf)</source>
        <translation>文件（.png、.svg、.pdf）</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>尺寸</translation>
    </message>
    <message>
        <source>Pixels per point in a PNG: 2 keeps a slide sharp on a large screen</source>
        <translation>PNG 中每个点的像素数：取 2 可让幻灯片在大屏幕上保持清晰</translation>
    </message>
    <message>
        <source>Scale (PNG)</source>
        <translation>缩放（PNG）</translation>
    </message>
    <message>
        <source>Images (*.png *.svg *.pdf)</source>
        <translation>图片 (*.png *.svg *.pdf)</translation>
    </message>
    <message>
        <source>Give the file a .png, .svg or .pdf name</source>
        <translation>文件名请以 .png、.svg 或 .pdf 结尾</translation>
    </message>
</context>
<context>
    <name>interleave::ui::GraphView</name>
    <message>
        <source>Graph</source>
        <translation>关系图</translation>
    </message>
    <message>
        <source>Locks and waits</source>
        <translation>锁与等待</translation>
    </message>
    <message>
        <source>Process tree</source>
        <translation>进程树</translation>
    </message>
    <message>
        <source>Master and workers</source>
        <translation>主进程与工作进程</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Which graph to show</source>
        <translation>显示哪一种图</translation>
    </message>
    <message>
        <source>Automatic: %1</source>
        <translation>自动：%1</translation>
    </message>
    <message>
        <source>thread %1</source>
        <translation>线程 %1</translation>
    </message>
    <message>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>master, pid %1</source>
        <translation>主进程，pid %1</translation>
    </message>
    <message>
        <source>worker, pid %1</source>
        <translation>工作进程，pid %1</translation>
    </message>
    <message>
        <source>pid %1</source>
        <translation>pid %1</translation>
    </message>
    <message>
        <source>killed by %1</source>
        <translation>被 %1 杀死</translation>
    </message>
    <message>
        <source>exit code %1</source>
        <translation>退出码 %1</translation>
    </message>
    <message>
        <source>runs task %1</source>
        <translation>正在执行任务 %1</translation>
    </message>
    <message>
        <source>%1 in the queue</source>
        <translation>队列中有 %1 个</translation>
    </message>
    <message>
        <source>holds</source>
        <translation>持有</translation>
    </message>
    <message>
        <source>waits for</source>
        <translation>等待</translation>
    </message>
    <message>
        <source>task %1</source>
        <translation>任务 %1</translation>
    </message>
    <message>
        <source>result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>%1 on the way</source>
        <translation>%1 个在途中</translation>
    </message>
    <message>
        <source>exited process</source>
        <translation>已退出的进程</translation>
    </message>
    <message>
        <source>parent → child</source>
        <translation>父进程 → 子进程</translation>
    </message>
    <message>
        <source>item on the way</source>
        <translation>在途的数据</translation>
    </message>
    <message>
        <source>queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>path of tasks and results</source>
        <translation>任务与结果的路径</translation>
    </message>
    <message>
        <source>task being computed</source>
        <translation>正在计算的任务</translation>
    </message>
    <message>
        <source>result not taken yet</source>
        <translation>尚未取走的结果</translation>
    </message>
    <message>
        <source>thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>lock</source>
        <translation>锁</translation>
    </message>
    <message>
        <source>deadlock</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>No trace yet: run a scenario or open a trace.</source>
        <translation>还没有跟踪记录：运行一个场景或打开一个跟踪文件。</translation>
    </message>
    <message>
        <source>No process has started yet at this time.</source>
        <translation>此时还没有进程启动。</translation>
    </message>
    <message>
        <source>No master or worker at this time.</source>
        <translation>此时没有主进程或工作进程。</translation>
    </message>
    <message>
        <source>No thread holds or waits for anything at this time.</source>
        <translation>此时没有线程持有或等待任何东西。</translation>
    </message>
    <message>
        <source>could deadlock</source>
        <translation>可能死锁</translation>
    </message>
    <message numerus="yes">
        <source>%n processes, pids %1–%2</source>
        <translation>
            <numerusform>%n 个进程，pid %1–%2</numerusform>
        </translation>
    </message>
    <message>
        <source>all exited, code %1</source>
        <translation>全部已退出，退出码 %1</translation>
    </message>
    <message>
        <source>%1 of %2 exited, %3 killed</source>
        <translation>%2 个中 %1 个已退出，%3 个被杀死</translation>
    </message>
    <message>
        <source>%1 of %2 exited</source>
        <translation>%2 个中 %1 个已退出</translation>
    </message>
    <message numerus="yes">
        <source>… %n more not drawn (a graph shows at most %1 nodes; the timeline has them all)</source>
        <translation>
            <numerusform>… 另有 %n 个未画出（一张图最多显示 %1 个节点；时间线上有全部）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>interleave::ui::ImageExport</name>
    <message>
        <source>cannot save image &apos;%1&apos;: %2</source>
        <translation>无法保存图片“%1”：%2</translation>
    </message>
    <message>
        <source>unknown image type; give the file a .png, .svg or .pdf name</source>
        <translation>未知的图片类型；文件名请以 .png、.svg 或 .pdf 结尾</translation>
    </message>
    <message>
        <source>size %1x%2 is out of range (200x150 to 16000x16000)</source>
        <translation>尺寸 %1x%2 超出范围（200x150 到 16000x16000）</translation>
    </message>
    <message>
        <source>the image could not be drawn</source>
        <translation>无法绘制这张图片</translation>
    </message>
    <message>
        <source>unknown view &apos;%1&apos; (views: %2)</source>
        <translation>未知视图“%1”（可用视图：%2）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1 – %2</source>
        <translation>%1 – %2</translation>
    </message>
    <message>
        <source>%1 (%2 shown)</source>
        <translation>%1（显示 %2）</translation>
    </message>
</context>
<context>
    <name>interleave::ui::LostUpdateMarks</name>
    <message>
        <source>lost %1</source>
        <translation>丢失 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n lost updates</source>
        <translation>
            <numerusform>%n 次丢失的更新</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, cancelled out</source>
        <translation>%1，互相抵消</translation>
    </message>
    <message>
        <source>%1, net %2</source>
        <translation>%1，合计 %2</translation>
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
        <source>&amp;Stop</source>
        <translation>停止(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;About Interleave</source>
        <translation>关于 Interleave(&amp;A)</translation>
    </message>
    <message numerus="yes">
        <source>%n scenario(s) from the chapter &quot;Processes and threads&quot;</source>
        <translation>
            <numerusform>来自“进程和线程”一章的 %n 个场景</numerusform>
        </translation>
    </message>
    <message>
        <source>Open Trace</source>
        <translation>打开轨迹</translation>
    </message>
    <message>
        <source>Save Trace</source>
        <translation>保存轨迹</translation>
    </message>
    <message>
        <source>Interleave traces (*.iltrace)</source>
        <translation>Interleave 轨迹 (*.iltrace)</translation>
    </message>
    <message>
        <source>Export Chrome JSON</source>
        <translation>导出 Chrome JSON</translation>
    </message>
    <message>
        <source>Chrome / Perfetto JSON (*.json)</source>
        <translation>Chrome / Perfetto JSON (*.json)</translation>
    </message>
    <message>
        <source>Export Image</source>
        <translation>导出图片</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>讲解</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>恢复默认</translation>
    </message>
    <message>
        <source>Run and playback</source>
        <translation>运行与回放</translation>
    </message>
    <message>
        <source>&amp;Theme</source>
        <translation>主题(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Save Trace...</source>
        <translation>保存轨迹(&amp;S)...</translation>
    </message>
    <message>
        <source>Export &amp;Chrome JSON...</source>
        <translation>导出 Chrome JSON(&amp;C)...</translation>
    </message>
    <message>
        <source>Export &amp;Image...</source>
        <translation>导出图片(&amp;I)...</translation>
    </message>
    <message>
        <source>Run the scenario for real (F9)</source>
        <translation>真实地运行这个场景（F9）</translation>
    </message>
    <message>
        <source>Run &amp;10 Times</source>
        <translation>运行 10 次(&amp;1)</translation>
    </message>
    <message>
        <source>End the run: every process of it is killed (Shift+F9)</source>
        <translation>结束运行：它的所有进程都会被终止（Shift+F9）</translation>
    </message>
    <message>
        <source>Pause or play (Space): a live run holds every thread at its next step</source>
        <translation>暂停或播放（空格）：正在运行时，每个线程都停在它的下一步</translation>
    </message>
    <message>
        <source>S&amp;tep</source>
        <translation>单步(&amp;T)</translation>
    </message>
    <message>
        <source>One step (F10): a paused live run lets one event happen; a replay moves to the next event</source>
        <translation>单步（F10）：暂停的运行只放行一个事件；回放时跳到下一个事件</translation>
    </message>
    <message>
        <source>Step &amp;Back</source>
        <translation>后退一步(&amp;B)</translation>
    </message>
    <message>
        <source>Back to the previous event (Shift+F10)</source>
        <translation>回到上一个事件（Shift+F10）</translation>
    </message>
    <message>
        <source>R&amp;estart</source>
        <translation>重新运行(&amp;E)</translation>
    </message>
    <message>
        <source>Stop and run again with the same parameters (Ctrl+F9)</source>
        <translation>停止，并用同样的参数再运行一次（Ctrl+F9）</translation>
    </message>
    <message>
        <source>&amp;Faster Replay</source>
        <translation>加快回放(&amp;F)</translation>
    </message>
    <message>
        <source>S&amp;lower Replay</source>
        <translation>放慢回放(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Presentation Mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <source>Replay speed: 1/1000× shows a microsecond race</source>
        <translation>回放速度：1/1000× 能看清微秒级的竞争</translation>
    </message>
    <message>
        <source>Drag to move through the trace</source>
        <translation>拖动以在轨迹中移动</translation>
    </message>
    <message>
        <source>Press Run (F9) to start it for real, with the parameters on the left.</source>
        <translation>按“运行”（F9），用左边的参数真实地运行它。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Cannot run &apos;%1&apos;: %2</source>
        <translation>无法运行“%1”：%2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <source>There is no finished trace to save yet.</source>
        <translation>还没有可以保存的完整轨迹。</translation>
    </message>
    <message>
        <source>There is no finished trace to export yet.</source>
        <translation>还没有可以导出的完整轨迹。</translation>
    </message>
    <message>
        <source>There is no trace to draw yet: run a scenario or open a trace first.</source>
        <translation>还没有可以绘制的轨迹：请先运行一个场景或打开一个轨迹。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>%1: paused - Step lets one event happen</source>
        <translation>%1：已暂停——“单步”每次放行一个事件</translation>
    </message>
    <message>
        <source>%1: running</source>
        <translation>%1：运行中</translation>
    </message>
    <message>
        <source>%1: %2 in %3 ms</source>
        <translation>%1：%2，用时 %3 毫秒</translation>
    </message>
    <message numerus="yes">
        <source>(%n more run(s) to go)</source>
        <translation>
            <numerusform>（还要运行 %n 次）</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1: %n event(s)</source>
        <translation>
            <numerusform>%1：%n 个事件</numerusform>
        </translation>
    </message>
    <message>
        <source>(paused %1 ms of it)</source>
        <translation>（其中暂停了 %1 毫秒）</translation>
    </message>
    <message>
        <source>Opening was cancelled: a run started.</source>
        <translation>打开已取消：一次运行开始了。</translation>
    </message>
    <message>
        <source>Opening was cancelled: another trace was opened.</source>
        <translation>打开已取消：打开了另一个轨迹。</translation>
    </message>
    <message>
        <source>Opening %1…</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Preparing %1 for the views…</source>
        <translation>正在为各视图准备 %1…</translation>
    </message>
    <message>
        <source>Opening %1 was cancelled.</source>
        <translation>打开 %1 已取消。</translation>
    </message>
    <message>
        <source>Drawing the run as it comes in: %L1 events still to draw</source>
        <translation>运行的事件正在陆续绘制：还有 %L1 个事件待绘制</translation>
    </message>
    <message>
        <source>Traces (*.iltrace *.json *.iltrace.gz *.json.gz);;All files (*)</source>
        <translation>轨迹 (*.iltrace *.json *.iltrace.gz *.json.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Ask the class</source>
        <translation>问问大家</translation>
    </message>
    <message>
        <source>Click or Esc: hide    Q: show again    E: explanation</source>
        <translation>单击或 Esc：隐藏    Q：再次显示    E：说明</translation>
    </message>
    <message>
        <source>Press Run (F9) to start it for real. E shows the explanation, Esc leaves full screen.</source>
        <translation>按“运行”（F9）真正运行它。E 显示说明，Esc 退出全屏。</translation>
    </message>
    <message>
        <source>&amp;Find...</source>
        <translation>查找(&amp;F)...</translation>
    </message>
    <message>
        <source>Find a thread, process, lock, queue or printed line and go to it (Ctrl+F)</source>
        <translation>查找线程、进程、锁、队列或打印的行，并跳到那里（Ctrl+F）</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>&amp;Trace a Program...</source>
        <translation>追踪一个程序(&amp;T)...</translation>
    </message>
    <message>
        <source>Run any program or Python script unchanged, with its processes, threads, locks and pipes recorded (Ctrl+Shift+T)</source>
        <translation>原样运行任意程序或 Python 脚本，并记录它的进程、线程、锁和管道（Ctrl+Shift+T）</translation>
    </message>
    <message>
        <source>Run the Original &amp;Python</source>
        <translation>运行原版 Python(&amp;P)</translation>
    </message>
    <message>
        <source>Trace the chapter&apos;s own Python script of this scenario with python3, so that its code and its threads show beside the C++ re-enactment (the GIL included)</source>
        <translation>用 python3 运行并追踪本场景在教程中的原版 Python 脚本，让它的代码和线程（连同 GIL）与 C++ 重现版并排展示</translation>
    </message>
    <message>
        <source>%1 - Interleave</source>
        <translation>%1 - Interleave</translation>
    </message>
    <message>
        <source>Trace a Program</source>
        <translation>追踪一个程序</translation>
    </message>
    <message>
        <source>Cannot trace %1: this build of Interleave has no &quot;trace&quot; scenario, which runs programs under its recorder. Build the full project (or update it) and try again.</source>
        <translation>无法追踪 %1：这个版本的 Interleave 没有用记录器运行程序的“trace”场景。请构建完整的项目（或更新它）后再试。</translation>
    </message>
    <message>
        <source>Cannot trace %1: %2</source>
        <translation>无法追踪 %1：%2</translation>
    </message>
    <message>
        <source>Run the Original Python</source>
        <translation>运行原版 Python</translation>
    </message>
    <message>
        <source>Cannot write the chapter&apos;s script to %1: %2</source>
        <translation>无法把教程脚本写入 %1：%2</translation>
    </message>
    <message>
        <source>Export &amp;Animation...</source>
        <translation>导出动画(&amp;A)...</translation>
    </message>
    <message>
        <source>There is no finished trace to animate yet.</source>
        <translation>还没有可做成动画的完整跟踪。</translation>
    </message>
    <message>
        <source>Drawing the animation...</source>
        <translation>正在绘制动画...</translation>
    </message>
    <message>
        <source>Export Animation</source>
        <translation>导出动画</translation>
    </message>
    <message>
        <source>&amp;Predict, Then Run...</source>
        <translation>先预测，再运行(&amp;P)...</translation>
    </message>
    <message>
        <source>Ask the class what will happen, then run it several times and compare (F8)</source>
        <translation>先问全班会发生什么，再运行几次加以比较（F8）</translation>
    </message>
    <message>
        <source>Save Schedule</source>
        <translation>保存调度</translation>
    </message>
    <message>
        <source>Schedules (*.txt)</source>
        <translation>调度 (*.txt)</translation>
    </message>
    <message>
        <source>Be the Scheduler</source>
        <translation>当一回调度器</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>interleave::ui::ParameterForm</name>
    <message>
        <source>%1 to %2</source>
        <translation>%1 至 %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <comment>help (range)</comment>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>interleave::ui::PauseBand</name>
    <message>
        <source>paused %1 s</source>
        <translation>暂停 %1 秒</translation>
    </message>
</context>
<context>
    <name>interleave::ui::PredictDialog</name>
    <message>
        <source>Predict, Then Run</source>
        <translation>先预测，再运行</translation>
    </message>
    <message>
        <source>Ask the class, and count the hands for each answer:</source>
        <translation>问问全班，数一数每个答案有多少人举手：</translation>
    </message>
    <message>
        <source> hands</source>
        <translation> 人</translation>
    </message>
    <message>
        <source>+1</source>
        <translation>+1</translation>
    </message>
    <message>
        <source>One more hand for this answer</source>
        <translation>这个答案再多一人举手</translation>
    </message>
    <message>
        <source>Then run it</source>
        <translation>然后运行</translation>
    </message>
    <message>
        <source> times</source>
        <translation> 次</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
</context>
<context>
    <name>interleave::ui::ProgramSources</name>
    <message>
        <source>%1 is not a file on disk, so its code cannot be shown.</source>
        <translation>%1 不是磁盘上的文件，无法显示它的代码。</translation>
    </message>
    <message>
        <source>Cannot show %1: the file is not there (moved, deleted, or built on another machine).</source>
        <translation>无法显示 %1：文件不在那里（被移动、删除，或是在另一台机器上构建的）。</translation>
    </message>
    <message>
        <source>Cannot show %1: it is a folder, not a file.</source>
        <translation>无法显示 %1：它是文件夹，不是文件。</translation>
    </message>
    <message>
        <source>Cannot show %1: it is larger than %L2 MB.</source>
        <translation>无法显示 %1：它超过了 %L2 MB。</translation>
    </message>
    <message>
        <source>Cannot show %1: %2.</source>
        <translation>无法显示 %1：%2。</translation>
    </message>
</context>
<context>
    <name>interleave::ui::SchedulerPanel</name>
    <message>
        <source>%1  %2: next %3</source>
        <translation>%1  %2：下一步 %3</translation>
    </message>
    <message>
        <source>Let %1 make exactly this one step; the others stay held</source>
        <translation>只让 %1 走这一步；其他线程继续停住</translation>
    </message>
    <message>
        <source>Who goes next? Click a thread or press its number:</source>
        <translation>下一步谁走？点击一个线程，或按它的数字键：</translation>
    </message>
    <message numerus="yes">
        <source>Your schedule (%n step(s)): %1</source>
        <translation>
            <numerusform>你的调度（%n 步）：%1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Done in %n step(s)! The trace shows it: %1.</source>
        <translation>
            <numerusform>用 %n 步完成！跟踪证明了：%1。</numerusform>
        </translation>
    </message>
    <message>
        <source>The run ended without that. Start again, or replay your schedule to watch it.</source>
        <translation>运行结束了，但没有达成目标。重新开始，或回放你的调度看看。</translation>
    </message>
    <message>
        <source>Goal: %1</source>
        <translation>目标：%1</translation>
    </message>
    <message>
        <source>Choose a challenge and press Start: its threads wait for you at every step.</source>
        <translation>选一个挑战并按“开始”：它的线程每一步都会等你安排。</translation>
    </message>
    <message>
        <source>Pause a run (Space): every thread waits at its next step, and you choose who goes next.</source>
        <translation>暂停运行（空格）：每个线程都停在下一步，由你决定下一步谁走。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Run the scenario with the challenge&apos;s threads held at every step</source>
        <translation>运行这个场景，挑战里的线程每一步都停住</translation>
    </message>
    <message>
        <source>Replay My Schedule</source>
        <translation>回放我的调度</translation>
    </message>
    <message>
        <source>Run it again and let the same threads take the same steps, one by one</source>
        <translation>再运行一次，让同样的线程一步一步走同样的步子</translation>
    </message>
    <message>
        <source>Save Schedule...</source>
        <translation>保存调度...</translation>
    </message>
    <message>
        <source>A file for interleave run ID --schedule-file FILE</source>
        <translation>供 interleave run ID --schedule-file FILE 使用的文件</translation>
    </message>
</context>
<context>
    <name>interleave::ui::SearchPanel</name>
    <message>
        <source>thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>printed</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>lock</source>
        <translation>锁</translation>
    </message>
    <message>
        <source>condition</source>
        <translation>条件变量</translation>
    </message>
    <message>
        <source>semaphore</source>
        <translation>信号量</translation>
    </message>
    <message>
        <source>queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>pipe</source>
        <translation>管道</translation>
    </message>
    <message>
        <source>pool</source>
        <translation>池</translation>
    </message>
    <message>
        <source>variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>object</source>
        <translation>对象</translation>
    </message>
    <message numerus="yes">
        <source>%n found</source>
        <translation>
            <numerusform>找到 %n 项</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 – %2 ms</source>
        <translation>%1 – %2 ms</translation>
    </message>
    <message>
        <source>at %1 ms</source>
        <translation>%1 ms 时</translation>
    </message>
    <message>
        <source>%1 (%2, %3)</source>
        <translation>%1（%2，%3）</translation>
    </message>
    <message>
        <source>Find a thread, process, lock, queue or printed line</source>
        <translation>查找线程、进程、锁、队列或打印的行</translation>
    </message>
</context>
<context>
    <name>interleave::ui::SelectionText</name>
    <message>
        <source>thread %1</source>
        <translation>线程 %1</translation>
    </message>
    <message>
        <source>%1 (tid %2)</source>
        <translation>%1（tid %2）</translation>
    </message>
    <message>
        <source>process %1</source>
        <translation>进程 %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>queue “%1”, item %2</source>
        <translation>队列“%1”，第 %2 项</translation>
    </message>
    <message>
        <source>pipe “%1”, message %2</source>
        <translation>管道“%1”，第 %2 条消息</translation>
    </message>
    <message>
        <source>task %1 of pool “%2”</source>
        <translation>进程池“%2”的任务 %1</translation>
    </message>
    <message>
        <source>fork: child process %1</source>
        <translation>fork：子进程 %1</translation>
    </message>
    <message>
        <source>flow “%1”</source>
        <translation>流“%1”</translation>
    </message>
    <message>
        <source>from %1 at %2</source>
        <translation>来自 %1，时间 %2</translation>
    </message>
    <message>
        <source>to %1 at %2</source>
        <translation>到达 %1，时间 %2</translation>
    </message>
    <message>
        <source>latency %1</source>
        <translation>延迟 %1</translation>
    </message>
    <message>
        <source>State span</source>
        <translation>状态段</translation>
    </message>
    <message>
        <source>Arrow</source>
        <translation>箭头</translation>
    </message>
    <message>
        <source>Instant</source>
        <translation>瞬时事件</translation>
    </message>
    <message>
        <source>Range %1</source>
        <translation>范围 %1</translation>
    </message>
    <message>
        <source>Nothing selected</source>
        <translation>未选中任何内容</translation>
    </message>
    <message>
        <source>Thread</source>
        <translation>线程</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码</translation>
    </message>
    <message>
        <source>Carries</source>
        <translation>携带</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Sent at</source>
        <translation>发送时间</translation>
    </message>
    <message>
        <source>To</source>
        <translation>到</translation>
    </message>
    <message>
        <source>Received at</source>
        <translation>接收时间</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Lock acquisitions</source>
        <translation>获得锁次数</translation>
    </message>
    <message>
        <source>Lock waits</source>
        <translation>等待锁次数</translation>
    </message>
    <message>
        <source>%1, %2 waiting in all</source>
        <translation>%1 次，共等待 %2</translation>
    </message>
    <message>
        <source>Messages sent</source>
        <translation>发送的消息</translation>
    </message>
    <message>
        <source>Forks</source>
        <translation>fork 次数</translation>
    </message>
    <message>
        <source>Exits</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>%1 processes, %2 threads</source>
        <translation>%1 个进程，%2 个线程</translation>
    </message>
    <message>
        <source>fork() returned child %1</source>
        <translation>fork() 返回子进程 %1</translation>
    </message>
    <message>
        <source>fork() returned %1</source>
        <translation>fork() 返回 %1</translation>
    </message>
    <message>
        <source>exec %1 as pid %2</source>
        <translation>以 pid %2 执行 %1</translation>
    </message>
    <message>
        <source>process %1 exited with code %2</source>
        <translation>进程 %1 退出，退出码 %2</translation>
    </message>
    <message>
        <source>process %1 killed by %2</source>
        <translation>进程 %1 被 %2 终止</translation>
    </message>
    <message>
        <source>%1 sent to process %2</source>
        <translation>向进程 %2 发送 %1</translation>
    </message>
    <message>
        <source>What</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>At</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>running %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>ready %1</source>
        <translation>就绪 %1</translation>
    </message>
    <message>
        <source>on a lock %1</source>
        <translation>等锁 %1</translation>
    </message>
    <message>
        <source>other waits %1</source>
        <translation>其他等待 %1</translation>
    </message>
    <message>
        <source>sleeping %1</source>
        <translation>睡眠 %1</translation>
    </message>
    <message>
        <source>acquired a lock %1×</source>
        <translation>获得锁 %1 次</translation>
    </message>
    <message>
        <source>waited for a lock %1× (%2)</source>
        <translation>等锁 %1 次（%2）</translation>
    </message>
    <message>
        <source>sent %1</source>
        <translation>发送 %1 条</translation>
    </message>
    <message>
        <source>exited</source>
        <translation>已退出</translation>
    </message>
    <message>
        <source>instant event %1</source>
        <translation>瞬时事件 %1</translation>
    </message>
</context>
<context>
    <name>interleave::ui::StepSentence</name>
    <message>
        <source>%1 waits for %2</source>
        <translation>%1 等待 %2</translation>
    </message>
    <message>
        <source>%1 obtained %2</source>
        <translation>%1 拿到了 %2</translation>
    </message>
    <message>
        <source>%1 released %2</source>
        <translation>%1 释放了 %2</translation>
    </message>
    <message>
        <source>%1 gave up waiting for %2</source>
        <translation>%1 放弃等待 %2</translation>
    </message>
    <message>
        <source>%1 waits on condition %2</source>
        <translation>%1 在条件变量 %2 上等待</translation>
    </message>
    <message>
        <source>%1 woke up from condition %2</source>
        <translation>%1 从条件变量 %2 上醒来</translation>
    </message>
    <message>
        <source>%1 waits for semaphore %2</source>
        <translation>%1 等待信号量 %2</translation>
    </message>
    <message>
        <source>%1 acquired semaphore %2</source>
        <translation>%1 获得了信号量 %2</translation>
    </message>
    <message>
        <source>%1 released semaphore %2</source>
        <translation>%1 释放了信号量 %2</translation>
    </message>
    <message>
        <source>%1 put an item into %2</source>
        <translation>%1 向 %2 放入一项</translation>
    </message>
    <message>
        <source>%1 waits for an item from %2</source>
        <translation>%1 等待 %2 中的一项</translation>
    </message>
    <message>
        <source>%1 got an item from %2</source>
        <translation>%1 从 %2 取出一项</translation>
    </message>
    <message>
        <source>%1 sent a message into %2</source>
        <translation>%1 向 %2 发送一条消息</translation>
    </message>
    <message>
        <source>%1 waits for a message from %2</source>
        <translation>%1 等待 %2 的消息</translation>
    </message>
    <message>
        <source>%1 received a message from %2</source>
        <translation>%1 从 %2 收到一条消息</translation>
    </message>
    <message>
        <source>%1 waits for %2 to finish (join)</source>
        <translation>%1 等待 %2 结束（join）</translation>
    </message>
    <message>
        <source>%1 joined %2</source>
        <translation>%1 等到了 %2 结束（join）</translation>
    </message>
    <message>
        <source>%1 waits for input/output: %2</source>
        <translation>%1 等待输入/输出：%2</translation>
    </message>
    <message>
        <source>%1 printed &quot;%2&quot;</source>
        <translation>%1 打印了“%2”</translation>
    </message>
    <message>
        <source>%1 started the program %2</source>
        <translation>%1 启动了程序 %2</translation>
    </message>
    <message>
        <source>%1 starts process %2</source>
        <translation>%1 启动进程 %2</translation>
    </message>
    <message>
        <source>%1: phase &quot;%2&quot; begins</source>
        <translation>%1：阶段“%2”开始</translation>
    </message>
    <message>
        <source>%1 begins %2</source>
        <translation>%1 开始 %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>the session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>process %1 was killed by signal %2</source>
        <translation>进程 %1 被信号 %2 杀死</translation>
    </message>
    <message>
        <source>process %1 exited with code %2</source>
        <translation>进程 %1 退出，退出码 %2</translation>
    </message>
    <message>
        <source>%1 returned from fork() in the child</source>
        <translation>%1 在子进程中从 fork() 返回</translation>
    </message>
    <message>
        <source>%1 forked child process %2</source>
        <translation>%1 fork 出子进程 %2</translation>
    </message>
    <message>
        <source>%1 sent signal %2 to process %3</source>
        <translation>%1 向进程 %3 发送信号 %2</translation>
    </message>
    <message>
        <source>%1 started</source>
        <translation>%1 开始运行</translation>
    </message>
    <message>
        <source>%1 finished</source>
        <translation>%1 结束</translation>
    </message>
    <message>
        <source>%1 woke all waiters of %2</source>
        <translation>%1 唤醒了 %2 的所有等待者</translation>
    </message>
    <message>
        <source>%1 woke one waiter of %2</source>
        <translation>%1 唤醒了 %2 的一个等待者</translation>
    </message>
    <message>
        <source>%1 submitted task %2 to %3</source>
        <translation>%1 把任务 %2 提交给 %3</translation>
    </message>
    <message>
        <source>%1 started task %2</source>
        <translation>%1 开始执行任务 %2</translation>
    </message>
    <message>
        <source>%1 finished task %2</source>
        <translation>%1 完成了任务 %2</translation>
    </message>
    <message>
        <source>task %1 failed</source>
        <translation>任务 %1 失败</translation>
    </message>
    <message>
        <source>%1 sleeps for %2</source>
        <translation>%1 睡眠 %2</translation>
    </message>
    <message>
        <source>%1 woke up from its sleep</source>
        <translation>%1 睡醒了</translation>
    </message>
    <message>
        <source>%1 got its input/output</source>
        <translation>%1 等到了输入/输出</translation>
    </message>
    <message>
        <source>%1 read %2 = %3</source>
        <translation>%1 读到 %2 = %3</translation>
    </message>
    <message>
        <source>%1 wrote %2 = %3</source>
        <translation>%1 写入 %2 = %3</translation>
    </message>
    <message numerus="yes">
        <source>deadlock: %n thread(s) wait for each other in a cycle</source>
        <translation>
            <numerusform>死锁：%n 个线程互相等待，形成环</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 did something</source>
        <translation>%1 有动作</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%2 时：%1</translation>
    </message>
    <message numerus="yes">
        <source>(and %n more at the same time)</source>
        <translation>
            <numerusform>（同一时刻还有 %n 件）</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>interleave::ui::Theme</name>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Projector</source>
        <translation>投影仪</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>ready (waiting for a core)</source>
        <translation>就绪（等待 CPU 核）</translation>
    </message>
    <message>
        <source>sleeping</source>
        <translation>睡眠</translation>
    </message>
    <message>
        <source>exited</source>
        <translation>已退出</translation>
    </message>
    <message>
        <source>blocked on a lock</source>
        <translation>阻塞：等锁</translation>
    </message>
    <message>
        <source>blocked in join</source>
        <translation>阻塞：join 等待</translation>
    </message>
    <message>
        <source>blocked on a queue</source>
        <translation>阻塞：等队列</translation>
    </message>
    <message>
        <source>blocked on a pipe</source>
        <translation>阻塞：等管道</translation>
    </message>
    <message>
        <source>blocked in IO</source>
        <translation>阻塞：IO</translation>
    </message>
    <message>
        <source>blocked on a condition</source>
        <translation>阻塞：等条件变量</translation>
    </message>
    <message>
        <source>blocked on a semaphore</source>
        <translation>阻塞：等信号量</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>阻塞</translation>
    </message>
    <message>
        <source>not started</source>
        <translation>未开始</translation>
    </message>
    <message>
        <source>held by Pause</source>
        <translation>被暂停挂起</translation>
    </message>
</context>
<context>
    <name>interleave::ui::TimeFormat</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 微秒</translation>
    </message>
    <message>
        <source>%1 ns</source>
        <translation>%1 纳秒</translation>
    </message>
</context>
<context>
    <name>interleave::ui::TimelineView</name>
    <message>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <source>No trace yet. Run a scenario or open a trace: every thread&apos;s life appears here.</source>
        <translation>还没有轨迹。运行一个场景或打开一个轨迹文件：每个线程的一生都会显示在这里。</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>thread %1</source>
        <translation>线程 %1</translation>
    </message>
    <message>
        <source>process</source>
        <translation>进程</translation>
    </message>
    <message>
        <source>%1 · pid %2 · parent %3</source>
        <translation>%1 · pid %2 · 父进程 %3</translation>
    </message>
    <message>
        <source>%1 · pid %2</source>
        <translation>%1 · pid %2</translation>
    </message>
    <message>
        <source>command: %1</source>
        <translation>命令：%1</translation>
    </message>
    <message>
        <source>started at %1</source>
        <translation>启动于 %1</translation>
    </message>
    <message>
        <source>killed by %1 at %2</source>
        <translation>在 %2 被 %1 杀死</translation>
    </message>
    <message>
        <source>exited with code %1 at %2</source>
        <translation>在 %2 退出，退出码 %1</translation>
    </message>
    <message>
        <source>fork() = %1</source>
        <translation>fork() = %1</translation>
    </message>
    <message>
        <source>exec %1</source>
        <translation>exec %1</translation>
    </message>
    <message>
        <source>killed by %1</source>
        <translation>被 %1 杀死</translation>
    </message>
    <message>
        <source>exit %1</source>
        <translation>退出 %1</translation>
    </message>
    <message>
        <source>DEADLOCK</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>Queue depth</source>
        <translation>队列长度</translation>
    </message>
    <message>
        <source>%1 (max %2)</source>
        <translation>%1（最大 %2）</translation>
    </message>
    <message>
        <source>Deadlock at %1</source>
        <translation>%1 发生死锁</translation>
    </message>
    <message>
        <source>%1 waits for %2, held by %3</source>
        <translation>%1 等待 %2，它被 %3 持有</translation>
    </message>
    <message>
        <source>%1: %2 items at %3</source>
        <translation>%1：%3 时有 %2 项</translation>
    </message>
    <message>
        <source>holds %1</source>
        <translation>持有 %1</translation>
    </message>
    <message>
        <source>waits for %1</source>
        <translation>等待 %1</translation>
    </message>
    <message>
        <source>%1 from %2 for %3</source>
        <translation>%1：从 %2 开始，持续 %3</translation>
    </message>
    <message>
        <source>%1 (tid %2, pid %3)
%4
from %5 for %6</source>
        <translation>%1（tid %2，pid %3）
%4
从 %5 开始，持续 %6</translation>
    </message>
    <message>
        <source>holds a lock</source>
        <translation>持有锁</translation>
    </message>
    <message>
        <source>waits for a lock</source>
        <translation>等待锁</translation>
    </message>
    <message>
        <source>queue: put → get</source>
        <translation>队列：put → get</translation>
    </message>
    <message>
        <source>pipe: send → receive</source>
        <translation>管道：send → recv</translation>
    </message>
    <message>
        <source>task: submit → start</source>
        <translation>任务：提交 → 开始</translation>
    </message>
    <message>
        <source>fork: parent → child</source>
        <translation>fork：父进程 → 子进程</translation>
    </message>
    <message>
        <source>flow</source>
        <translation>数据流</translation>
    </message>
    <message>
        <source>deadlock</source>
        <translation>死锁</translation>
    </message>
    <message>
        <source>playhead</source>
        <translation>播放头</translation>
    </message>
    <message>
        <source>in flight: up to %1 at once</source>
        <translation>在途：同时最多 %1 个</translation>
    </message>
    <message>
        <source>×%1</source>
        <translation>×%1</translation>
    </message>
    <message>
        <source>lock %1</source>
        <translation>锁 %1</translation>
    </message>
    <message>
        <source>free at %1</source>
        <translation>%1 时空闲</translation>
    </message>
    <message>
        <source>held by %1 at %2</source>
        <translation>%2 时由 %1 持有</translation>
    </message>
    <message>
        <source>%1 waits from %2 for %3, then gives up: timed out</source>
        <translation>%1 从 %2 起等待了 %3，然后放弃：超时</translation>
    </message>
    <message>
        <source>%1 waits from %2 for %3</source>
        <translation>%1 从 %2 起等待了 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n more waits here</source>
        <translation>
            <numerusform>这里还有 %n 次等待</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 in flight at %3</source>
        <translation>%1：%3 时有 %2 个在途</translation>
    </message>
    <message>
        <source>lock lane: holder in its thread&apos;s colour</source>
        <translation>锁泳道：持有者用其线程的颜色</translation>
    </message>
    <message>
        <source>in flight: one bar per wait</source>
        <translation>在途：每个等待一条横条</translation>
    </message>
    <message>
        <source>phase</source>
        <translation>阶段</translation>
    </message>
    <message>
        <source>paused (threads held)</source>
        <translation>已暂停（线程被挂起）</translation>
    </message>
    <message>
        <source>&amp;Next Lost Update</source>
        <translation>下一次丢失的更新(&amp;N)</translation>
    </message>
    <message>
        <source>Pre&amp;vious Lost Update</source>
        <translation>上一次丢失的更新(&amp;V)</translation>
    </message>
    <message>
        <source>Each moment shows the busiest state of any of its threads.</source>
        <translation>每一时刻显示其各线程中最忙的状态。</translation>
    </message>
    <message numerus="yes">
        <source>%1 … %2 · %n processes</source>
        <translation>
            <numerusform>%1 … %2 · %n 个进程</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>+%n threads</source>
        <translation>
            <numerusform>+%n 个线程</numerusform>
        </translation>
    </message>
    <message>
        <source>Click the header&apos;s name (or G with one of its threads selected) to show its threads.</source>
        <translation>单击标题行的名称（或选中其中一个线程后按 G），展开显示其线程。</translation>
    </message>
    <message>
        <source>Click the header&apos;s name (or G with one of its threads selected) to fold it into one lane.</source>
        <translation>单击标题行的名称（或选中其中一个线程后按 G），折叠为一条泳道。</translation>
    </message>
    <message numerus="yes">
        <source>%n slice(s), %1 of %2 levels shown</source>
        <translation>
            <numerusform>%n 个切片，显示 %2 层中的 %1 层</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n slice(s)</source>
        <translation>
            <numerusform>%n 个切片</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 from %2, still open at the end of the trace</source>
        <translation>%1：从 %2 开始，到轨迹结束时仍未结束</translation>
    </message>
    <message>
        <source>%1, depth %2
%3</source>
        <translation>%1，第 %2 层
%3</translation>
    </message>
    <message>
        <source>%1: no value yet at %2</source>
        <translation>%1：%2 时还没有值</translation>
    </message>
    <message>
        <source>%1: %2 at %3</source>
        <translation>%1：%3 时为 %2</translation>
    </message>
    <message>
        <source>alive; the file does not say when it ran on a core</source>
        <translation>存活；文件没有说明它何时在核心上运行</translation>
    </message>
    <message>
        <source>alive (the file has no scheduling data)</source>
        <translation>存活（文件中没有调度数据）</translation>
    </message>
    <message>
        <source>Counters</source>
        <translation>计数器</translation>
    </message>
</context>
<context>
    <name>interleave::ui::TraceDialog</name>
    <message>
        <source>Name the program or the Python script to trace.</source>
        <translation>请填写要追踪的程序或 Python 脚本。</translation>
    </message>
    <message>
        <source>There is no program named %1 on PATH: give its path, or Browse.</source>
        <translation>PATH 中没有名为 %1 的程序：请给出它的路径，或点“浏览”。</translation>
    </message>
    <message>
        <source>There is no file %1.</source>
        <translation>文件 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a folder: name a program or a .py script in it.</source>
        <translation>%1 是文件夹：请填写其中的程序或 .py 脚本。</translation>
    </message>
    <message>
        <source>%1 is not executable: make it so (chmod +x) or pick a .py script.</source>
        <translation>%1 不可执行：请给它执行权限（chmod +x），或选择一个 .py 脚本。</translation>
    </message>
    <message>
        <source>%1 cannot be read.</source>
        <translation>无法读取 %1。</translation>
    </message>
    <message>
        <source>There is no folder %1.</source>
        <translation>文件夹 %1 不存在。</translation>
    </message>
    <message>
        <source>%1 is a file, not a folder.</source>
        <translation>%1 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>Trace a Program</source>
        <translation>追踪一个程序</translation>
    </message>
    <message>
        <source>&amp;Program or script:</source>
        <translation>程序或脚本(&amp;P)：</translation>
    </message>
    <message>
        <source>a program on PATH, a path to one, or a .py script (run with python3)</source>
        <translation>PATH 中的程序、程序的路径，或 .py 脚本（用 python3 运行）</translation>
    </message>
    <message>
        <source>Any dynamically linked program (C with pthreads, for one) or a Python script; it runs unchanged, with Interleave&apos;s recorder preloaded</source>
        <translation>任何动态链接的程序（例如用 pthreads 的 C 程序）或 Python 脚本；它原样运行，只是预先加载了 Interleave 的记录器</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>&amp;Arguments:</source>
        <translation>参数(&amp;A)：</translation>
    </message>
    <message>
        <source>&amp;Working folder:</source>
        <translation>工作文件夹(&amp;W)：</translation>
    </message>
    <message>
        <source>the script&apos;s folder</source>
        <translation>脚本所在的文件夹</translation>
    </message>
    <message>
        <source>&amp;Recent (double-click to fill in):</source>
        <translation>最近使用(&amp;R)（双击填入）：</translation>
    </message>
    <message>
        <source>&amp;Trace</source>
        <translation>追踪(&amp;T)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Runs: %1
In: %2</source>
        <translation>运行：%1
位置：%2</translation>
    </message>
    <message>
        <source>%1    in %2</source>
        <translation>%1    位于 %2</translation>
    </message>
    <message>
        <source>Program or Script to Trace</source>
        <translation>要追踪的程序或脚本</translation>
    </message>
    <message>
        <source>All files (*);;Python scripts (*.py)</source>
        <translation>所有文件 (*);;Python 脚本 (*.py)</translation>
    </message>
    <message>
        <source>Working Folder</source>
        <translation>工作文件夹</translation>
    </message>
    <message>
        <source>separated by spaces; &quot;double quotes&quot; keep a space inside one</source>
        <translation>用空格分隔；放在 &quot;双引号&quot; 里的空格不分隔</translation>
    </message>
</context>
<context>
    <name>interleave::ui::VideoEncoder</name>
    <message>
        <source>this FFmpeg cannot write %1</source>
        <translation>这个 FFmpeg 无法写入 %1</translation>
    </message>
    <message>
        <source>this FFmpeg has no %1 encoder</source>
        <translation>这个 FFmpeg 没有 %1 编码器</translation>
    </message>
    <message>
        <source>out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>cannot convert the frames to YUV</source>
        <translation>无法把帧转换为 YUV</translation>
    </message>
    <message>
        <source>the file could not be closed</source>
        <translation>无法关闭文件</translation>
    </message>
</context>
</TS>
