// SPDX-License-Identifier: MIT
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace interleave::test {

/// A new private folder "interleave-WHAT-XXXXXX" in the temporary folder (TMPDIR, else /tmp), or
/// an empty string if it cannot be made. Under scripts/test, TMPDIR is a folder of the test run's
/// own that is checked for leftovers and then removed, so even a test that dies before its own
/// clean-up leaves nothing on the machine.
inline std::string makeTempDir(const std::string &what)
{
    std::error_code ec;
    const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
    std::string path = (ec ? std::filesystem::path("/tmp") : base) / ("interleave-" + what + "-XXXXXX");
    return ::mkdtemp(path.data()) ? path : std::string();
}

} // namespace interleave::test
