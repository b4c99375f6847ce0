// SPDX-License-Identifier: MIT
// Opening a 1 M-event Chrome JSON trace as a user does (`interleave open FILE --json`, its own
// process): wall time and peak memory against the file's size, beside reading the file alone.
#include <benchmark/benchmark.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

constexpr int kEvents = 1'000'000;

/// The interleave program beside this benchmark (both are in the build's bin/).
std::string interleaveProgram()
{
    char self[PATH_MAX] = {};
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string path(self, n > 0 ? size_t(n) : 0);
    return path.substr(0, path.rfind('/') + 1) + "interleave";
}

/// A trace as a browser or Node.js writes one: 8 threads of nested complete slices, begin/end
/// pairs, instants and a counter; about 100 bytes an event.
std::string writeTrace(const std::string &dir)
{
    const std::string path = dir + "/one-million.json";
    std::FILE *f = std::fopen(path.c_str(), "w");
    if (!f)
        return {};
    std::fputs("{\"traceEvents\":[\n", f);
    for (int t = 0; t < 8; ++t)
        std::fprintf(
            f, "{\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"ts\":0,\"name\":\"thread_name\",\"args\":{\"name\":\"T%d\"}},\n",
            t + 1, t);
    long long ts = 1'437'000'000; // µs since boot, as browsers stamp
    for (int i = 0; i < kEvents; ++i) {
        const int tid = i % 8 + 1;
        ts += 3;
        switch (i % 10) {
        case 0:
            std::fprintf(f, "{\"ph\":\"B\",\"pid\":1,\"tid\":%d,\"ts\":%lld,\"cat\":\"task\",\"name\":\"RunTask\"}",
                         tid, ts);
            break;
        case 9:
            std::fprintf(f, "{\"ph\":\"E\",\"pid\":1,\"tid\":%d,\"ts\":%lld}", (i - 9) % 8 + 1, ts);
            break;
        case 5:
            std::fprintf(f, "{\"ph\":\"C\",\"pid\":1,\"tid\":%d,\"ts\":%lld,\"name\":\"heap\",\"args\":{\"used\":%d}}",
                         tid, ts, i % 977);
            break;
        case 7:
            std::fprintf(f, "{\"ph\":\"i\",\"pid\":1,\"tid\":%d,\"ts\":%lld,\"name\":\"mark\",\"s\":\"t\"}", tid, ts);
            break;
        default:
            std::fprintf(
                f,
                "{\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"ts\":%lld,\"dur\":2,\"cat\":\"blink\",\"name\":\"Layout\","
                "\"args\":{\"n\":%d}}",
                tid, ts, i);
        }
        std::fputs(i + 1 < kEvents ? ",\n" : "\n", f);
    }
    std::fputs("]}\n", f);
    std::fclose(f);
    return path;
}

struct Trace
{
    std::string dir;
    std::string path;
    double megabytes = 0;
    Trace()
    {
        char tmpl[] = "/tmp/interleave-bench-XXXXXX";
        if (const char *d = ::mkdtemp(tmpl))
            dir = d;
        path = writeTrace(dir);
        struct stat st = {};
        if (::stat(path.c_str(), &st) == 0)
            megabytes = double(st.st_size) / 1e6;
    }
    ~Trace()
    {
        ::unlink(path.c_str());
        ::rmdir(dir.c_str());
    }
};

const Trace &trace()
{
    static const Trace t;
    return t;
}

void BM_ChromeOpenMillion(benchmark::State &state)
{
    const Trace &t = trace();
    const std::string program = interleaveProgram();
    double peakMb = 0;
    double wallMs = 0;
    for (auto _ : state) {
        const auto start = std::chrono::steady_clock::now();
        const pid_t pid = ::fork();
        if (pid == 0) {
            const int null = ::open("/dev/null", O_WRONLY);
            ::dup2(null, STDOUT_FILENO);
            ::execl(program.c_str(), program.c_str(), "open", t.path.c_str(), "--json", static_cast<char *>(nullptr));
            ::_exit(127);
        }
        int status = 0;
        rusage usage = {};
        ::wait4(pid, &status, 0, &usage);
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
        state.SetIterationTime(ms / 1000.0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            state.SkipWithError("interleave open failed");
        wallMs = ms;
        peakMb = double(usage.ru_maxrss) * 1024.0 / 1e6;
    }
    state.counters["wall_ms"] = wallMs;
    state.counters["peak_mb"] = peakMb;
    state.counters["file_mb"] = t.megabytes;
    state.counters["peak_per_file"] = t.megabytes > 0 ? peakMb / t.megabytes : 0;
    state.counters["events"] = kEvents;
}
BENCHMARK(BM_ChromeOpenMillion)->Unit(benchmark::kMillisecond)->UseManualTime()->Iterations(1);

// The baseline: reading the same file's bytes, nothing else.
void BM_ChromeReadMillion(benchmark::State &state)
{
    const Trace &t = trace();
    std::vector<char> buffer(1 << 20);
    for (auto _ : state) {
        const int fd = ::open(t.path.c_str(), O_RDONLY);
        while (::read(fd, buffer.data(), buffer.size()) > 0) {
        }
        ::close(fd);
    }
    state.counters["file_mb"] = t.megabytes;
}
BENCHMARK(BM_ChromeReadMillion)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

} // namespace

BENCHMARK_MAIN();
