// SPDX-License-Identifier: MIT
#pragma once

namespace interleave::core {

/// SIGTERM (a logout, `kill PID`), SIGINT (Ctrl+C) and SIGHUP (the terminal closed) as a request
/// to stop, for the processes a user starts (the window, `interleave run`): while one of these
/// objects lives, the first such signal only marks the request and makes fd() readable, so the
/// program can stop its run and keep what was recorded; a second one does what the default does
/// and ends the process. A signal that was ignored when it was made (nohup, a background job)
/// stays ignored. One at a time; the handlers go back to the default when it is destroyed.
class StopSignals
{
public:
    StopSignals();
    ~StopSignals();
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;

    /// The signal that asked to stop, or 0 if none came yet.
    static int requested();
    /// Readable once a signal came (for an event loop); -1 if the handlers could not be set up.
    int fd() const;

private:
    bool m_owner = false; // false for a second object made while the first one lives
};

} // namespace interleave::core
