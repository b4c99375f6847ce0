# SPDX-License-Identifier: MIT
# The Debian package: `cpack -G DEB` in the build folder makes interleave_<version>_<arch>.deb of
# what `cmake --install` installs, under /usr (scripts/package builds and makes it).
include_guard(GLOBAL)

set(INTERLEAVE_PACKAGE_MAINTAINER "The Interleave developers <maintainers@interleave.invalid>"
    CACHE STRING "The Debian package's Maintainer field")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME interleave)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${INTERLEAVE_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_HOMEPAGE_URL ${INTERLEAVE_HOMEPAGE})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # interleave_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${INTERLEAVE_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION education)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Depends: the libraries the binaries link (dpkg-shlibdeps, from dpkg-dev), and Qt's platform
# plugins, which Qt loads at run time: no library links them, yet the window and --image need one.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
# Chinese type for the zh_CN interface and its images, and Qt's own zh_CN dialogs and buttons.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fonts-noto-cjk, qt6-translations-l10n")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "see processes, threads, locks and queues at work
Interleave lets students and teachers see concurrency happen. Each scenario
re-enacts an example of the classic chapter on processes and threads (fork,
multiprocessing, Pool, Queue, Pipe, threading, Lock, ThreadLocal, processes vs
threads, CPU- vs IO-bound, async IO, distributed master/worker) on real
operating-system primitives, records what they do and draws it: every thread's
states over time, which core ran it, who held which lock and who waited, what
crossed a queue, and a deadlock, found as a cycle in the wait-for graph.

It also traces any C or Python program unchanged (interleave trace), exports
images, .iltrace files and Chrome/Perfetto JSON, and speaks English and
Chinese.")

include(CPack)
