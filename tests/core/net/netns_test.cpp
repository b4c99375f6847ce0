// SPDX-License-Identifier: MIT
// Two hosts on one machine: the master and a worker in separate network namespaces joined by a
// veth pair, each the real `interleave` program, exchange tasks over a real (virtual) link.
#include "instrument/process.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <climits>
#include <regex>
#include <string>

using namespace interleave::core;
using namespace std::chrono_literals;

namespace {

std::string programBeside(const char *name)
{
    char self[PATH_MAX] = {};
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir(self, n > 0 ? size_t(n) : 0);
    return dir.substr(0, dir.rfind('/') + 1) + name;
}

bool ip(std::vector<std::string> args, std::string *why = nullptr)
{
    args.insert(args.begin(), "ip");
    SpawnOptions o;
    o.captureStderr = true;
    Process p = Process::spawn(args, o);
    p.communicate(10s);
    if (!p.finished()) {
        p.kill();
        p.join();
    }
    if (p.exitCode() != 0 && why)
        *why = p.error().empty() ? p.stderrText() : p.error();
    return p.exitCode() == 0;
}

/// Two namespaces joined by a veth pair: 10.213.N.1 (master side) and 10.213.N.2 (worker side).
class TwoHosts
{
public:
    TwoHosts()
    {
        const std::string tag = std::to_string(getpid() % 100000);
        m_master = "ilm" + tag;
        m_worker = "ilw" + tag;
        const std::string a = "ilva" + tag;
        const std::string b = "ilvb" + tag;
        const std::string net = "10.213." + std::to_string(getpid() % 250) + ".";
        m_address = net + "1";
        m_ok = ip({"netns", "add", m_master}, &m_why) && ip({"netns", "add", m_worker}, &m_why) &&
               ip({"link", "add", a, "type", "veth", "peer", "name", b}, &m_why) &&
               ip({"link", "set", a, "netns", m_master}, &m_why) && ip({"link", "set", b, "netns", m_worker}, &m_why) &&
               ip({"-n", m_master, "addr", "add", net + "1/24", "dev", a}, &m_why) &&
               ip({"-n", m_worker, "addr", "add", net + "2/24", "dev", b}, &m_why) &&
               ip({"-n", m_master, "link", "set", a, "up"}, &m_why) &&
               ip({"-n", m_worker, "link", "set", b, "up"}, &m_why) &&
               ip({"-n", m_master, "link", "set", "lo", "up"}, &m_why);
    }
    ~TwoHosts()
    {
        // Deleting a namespace deletes its end of the veth pair, and with it the other end.
        ip({"netns", "del", m_master});
        ip({"netns", "del", m_worker});
    }
    bool ok() const { return m_ok; }
    const std::string &why() const { return m_why; }
    std::string m_master, m_worker, m_address, m_why;
    bool m_ok = false;
};

} // namespace

TEST(NetNamespaces, MasterAndWorkerOnTwoHostsExchangeTasks)
{
    TwoHosts hosts;
    if (!hosts.ok())
        GTEST_SKIP() << "cannot create network namespaces here (needs root and ip netns): " << hosts.why();
    const std::string program = programBeside("interleave");
    const std::string address = hosts.m_address + ":5000";
    SpawnOptions masterOptions;
    masterOptions.captureStderr = true;
    Process master = Process::spawn({"ip", "netns", "exec", hosts.m_master, program, "master", "--listen", address,
                                     "--authkey", "classroom", "--tasks", "4"},
                                    masterOptions);
    SpawnOptions workerOptions = masterOptions;
    std::vector<std::string> env;
    for (char **e = environ; *e; ++e)
        env.emplace_back(*e);
    env.emplace_back("INTERLEAVE_WORKER_PACE_MS=20");
    workerOptions.env = env;
    Process worker = Process::spawn({"ip", "netns", "exec", hosts.m_worker, program, "worker", "--connect", address,
                                     "--authkey", "classroom", "--name", "far-away"},
                                    workerOptions);
    EXPECT_TRUE(master.communicate(30s)) << "the master did not finish";
    EXPECT_TRUE(worker.communicate(30s)) << "the worker did not finish";
    for (Process *p : {&master, &worker}) {
        if (!p->finished()) {
            p->kill();
            p->join();
        }
    }
    EXPECT_EQ(master.exitCode(), 0) << master.stdoutText() << master.stderrText();
    EXPECT_EQ(worker.exitCode(), 0) << worker.stdoutText() << worker.stderrText();
    // Every result the master printed is n * n, and there are four of them.
    const std::string out = master.stdoutText();
    const std::regex line(R"(Result: (\d+) \* (\d+) = (\d+))");
    int results = 0;
    for (auto it = std::sregex_iterator(out.begin(), out.end(), line); it != std::sregex_iterator(); ++it) {
        const long long n = std::stoll((*it)[1]);
        EXPECT_EQ(std::stoll((*it)[3]), n * n) << it->str();
        ++results;
    }
    EXPECT_EQ(results, 4) << out;
    EXPECT_NE(worker.stdoutText().find("run task"), std::string::npos) << worker.stdoutText();
}
