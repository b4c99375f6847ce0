<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>TraceFile</name>
    <message>
        <source>cannot open trace &apos;%1&apos;: it is a folder, not a file; choose a .iltrace file</source>
        <translation>无法打开轨迹“%1”：它是文件夹而不是文件；请选择一个 .iltrace 文件</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: the file does not exist; check the path</source>
        <translation>无法打开轨迹“%1”：文件不存在；请检查路径</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: %2; check that the file is readable</source>
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
        <source>unknown language &apos;%1&apos; for --lang (use zh_CN or en)</source>
        <translation>--lang 不认识语言“%1”（请用 zh_CN 或 en）</translation>
    </message>
    <message>
        <source>unknown option &apos;%1&apos; (see interleave --help)</source>
        <translation>未知选项“%1”（见 interleave --help）</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos; (commands: list, run, open, master, worker; see interleave --help)</source>
        <translation>未知命令“%1”（可用命令：list、run、open、master、worker；见 interleave --help）</translation>
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
        <source>image export (--image, --view, --size, --theme) is not available in this build yet</source>
        <translation>此版本尚不支持导出图片（--image、--view、--size、--theme）</translation>
    </message>
    <message>
        <source>--set takes NAME=VALUE, not &apos;%1&apos;</source>
        <translation>--set 的格式是 名称=值，而不是“%1”</translation>
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
        <source>cannot export Chrome trace &apos;%1&apos;: %2; %3</source>
        <translation>无法导出 Chrome 轨迹“%1”：%2；%3</translation>
    </message>
    <message>
        <source>the folder &apos;%1&apos; does not exist</source>
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
        <source>cannot open trace &apos;%1&apos;: the file does not exist; check the path</source>
        <translation>无法打开轨迹“%1”：文件不存在；请检查路径</translation>
    </message>
    <message>
        <source>cannot open trace &apos;%1&apos;: %2; check that it is a readable file</source>
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
        <source>cannot write &apos;%1&apos;: it is a folder; give a file name</source>
        <translation>无法写入“%1”：它是文件夹；请给出文件名</translation>
    </message>
    <message>
        <source>cannot run &apos;%1&apos;: %2</source>
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
        <source>cannot save trace &apos;%1&apos;: the folder &apos;%2&apos; does not exist; choose an existing folder</source>
        <translation>无法保存轨迹“%1”：文件夹“%2”不存在；请选择一个已存在的文件夹</translation>
    </message>
    <message>
        <source>cannot save trace &apos;%1&apos;: it is a folder; choose a file name</source>
        <translation>无法保存轨迹“%1”：它是文件夹；请给出文件名</translation>
    </message>
    <message>
        <source>cannot save trace &apos;%1&apos;: %2; choose a folder you can write to</source>
        <translation>无法保存轨迹“%1”：%2；请选择一个有写权限的文件夹</translation>
    </message>
    <message>
        <source>cannot save trace &apos;%1&apos;: %2; free some disk space or choose another folder (an existing file was left unchanged)</source>
        <translation>无法保存轨迹“%1”：%2；请释放磁盘空间或换一个文件夹（原有文件未被改动）</translation>
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
        <source>%n scenario(s) from the chapter &quot;Processes and threads&quot;</source>
        <translation>
            <numerusform>来自“进程和线程”一章的 %n 个场景</numerusform>
        </translation>
    </message>
    <message>
        <source>The timeline of this scenario will appear here when it runs.</source>
        <translation>场景运行时，它的时间线会显示在这里。</translation>
    </message>
</context>
</TS>
