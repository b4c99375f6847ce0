// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace interleave::core {

/// Messages on the control channel (a SOCK_SEQPACKET pair): one datagram each.
/// window -> runner: "stop", "pause", "resume", "step", "step <tid>" (that thread only).
/// runner -> window: "done <notes json>", "failed <one line>".
namespace control {
inline constexpr char kStop[] = "stop";
inline constexpr char kPause[] = "pause";
inline constexpr char kResume[] = "resume";
inline constexpr char kStep[] = "step";
inline constexpr char kStepThread[] = "step ";
inline constexpr char kDone[] = "done ";
inline constexpr char kFailed[] = "failed ";
} // namespace control

/// The hidden mode the session starts: `interleave __runner --log-fd N --control-fd M
/// --scenario ID --params JSON --seed S`. Runs the scenario in this process, which is the leader
/// of its own process group and a child subreaper, and leaves no descendant behind.
int runnerMain(const QStringList &arguments);

/// The argument that selects runner mode.
inline constexpr char kRunnerMode[] = "__runner";

} // namespace interleave::core
