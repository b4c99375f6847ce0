// SPDX-License-Identifier: MIT
#pragma once

#include "scenarios/scenario.h"

#include <string>
#include <vector>

// The lessons: what each scenario's run() does, the chapter's Python re-enacted in C++, one file
// per scenario in this folder (the code panel shows that file, beside the Python). The scenario's
// class, parameters and findings stay in core/scenarios/<id>.cpp.
namespace interleave::core {

/// "timeslice": twice as many busy threads as cores.
void timesliceLesson(ScenarioContext &ctx);
/// "fork": os.fork(), one call, two returns.
void forkLesson(ScenarioContext &ctx);
/// "process": Process(target=run_proc, args=('test',)), start() and join().
void processLesson(ScenarioContext &ctx);
/// "pool": Pool(4) and five long_time_task()s, close() and join().
void poolLesson(ScenarioContext &ctx);
/// "subprocess": Popen a program with stdin and stdout piped, communicate().
void subprocessLesson(ScenarioContext &ctx);
/// The subprocess lesson's argv as typed, split on spaces (no shell).
std::vector<std::string> splitArgv(const QString &text);
/// "queue": a writer and a reader process around one Queue.
void queueLesson(ScenarioContext &ctx);
/// "pipe": a duplex Pipe, requests one way and replies the other.
void pipeLesson(ScenarioContext &ctx);
/// "threads": LoopThread counts, MainThread joins it.
void threadsLesson(ScenarioContext &ctx);
/// "race": change_it(5) and change_it(8) in two threads on one balance, with no lock.
void raceLesson(ScenarioContext &ctx);
/// "lock": the same, each change_it holding one lock.
void lockLesson(ScenarioContext &ctx);
/// "deadlock": two threads take two locks in opposite orders.
void deadlockLesson(ScenarioContext &ctx);
/// "gil": one busy thread per core, with and without a global interpreter lock.
void gilLesson(ScenarioContext &ctx);
/// "threadlocal": one global local_school, a student per thread.
void threadlocalLesson(ScenarioContext &ctx);
/// "cpu-vs-io": one pool of threads swept over 1, 2, 4, 8 ... workers, compute-bound then IO-bound.
void cpuVsIoLesson(ScenarioContext &ctx);
/// "async": N requests as coroutines on one event-loop thread, then as N threads.
void asyncLesson(ScenarioContext &ctx);
/// Its phases, by which its findings tell the parts of a run apart.
inline constexpr const char *kLoopPhase = "event loop: every request on one thread";
inline constexpr const char *kThreadsPhase = "threads: one thread per request";
/// "distributed": task_master serves two queues over TCP, workers take tasks and put results.
void distributedLesson(ScenarioContext &ctx);
/// "process-vs-thread": a crash in one of several processes, then in one of several threads.
void processVsThreadLesson(ScenarioContext &ctx);
/// Its phases, by which its findings tell the parts of a run apart.
inline constexpr const char *kProcessCrashPhase = "a crash in one of several processes";
inline constexpr const char *kThreadCrashPhase = "a crash in one of several threads";
inline constexpr const char *kThreadCostPhase = "creating threads";
inline constexpr const char *kProcessCostPhase = "creating processes";
/// The middle value (the upper one of an even count), 0 for none: the lesson's creation costs and
/// its findings' spacing of creations.
double processVsThreadMedian(std::vector<double> values);

} // namespace interleave::core
