// SPDX-License-Identifier: MIT
// GraphBuilder's families of short-lived sibling processes, drawn as one node in the process tree.
#include "ui/graph/graphdataimpl.h"

#include <set>
#include <string>

namespace interleave::ui::graphdetail {

namespace {

/// "P-12" -> "P", "worker_3" -> "worker", "pool" -> "pool": a name without its number.
std::string family(const std::string &name)
{
    size_t end = name.size();
    while (end > 0 && name[end - 1] >= '0' && name[end - 1] <= '9')
        --end;
    while (end > 0 && (name[end - 1] == '-' || name[end - 1] == '_' || name[end - 1] == ' '))
        --end;
    return name.substr(0, end);
}

} // namespace

ProcessGroups ProcessGroups::find(const std::vector<const core::ProcessInfo *> &processes)
{
    std::set<int32_t> parents;
    for (const core::ProcessInfo *p : processes)
        if (p->ppid != p->pid)
            parents.insert(p->ppid);
    std::map<std::pair<int32_t, std::string>, std::vector<const core::ProcessInfo *>> candidates;
    for (const core::ProcessInfo *p : processes) {
        if (parents.count(p->pid) || !p->exited || p->name.empty())
            continue; // a parent, a live process or a nameless one stands alone
        candidates[{p->ppid, family(p->name)}].push_back(p);
    }
    ProcessGroups groups;
    for (auto &[id, members] : candidates) {
        if (members.size() < kAtLeast)
            continue;
        const int32_t first = members.front()->pid;
        for (const core::ProcessInfo *m : members)
            groups.leader[m->pid] = first;
        groups.families[first] = std::move(members);
    }
    return groups;
}

uint64_t ProcessGroups::keyOf(int32_t pid) const
{
    const auto it = leader.find(pid);
    return GraphNode::processKey(it == leader.end() ? pid : it->second);
}

bool ProcessGroups::hidden(int32_t pid) const
{
    const auto it = leader.find(pid);
    return it != leader.end() && it->second != pid;
}

void ProcessGroups::describe(GraphNode &node, int64_t t) const
{
    const auto it = families.find(node.pid);
    if (it == families.end())
        return;
    const std::vector<const core::ProcessInfo *> &members = it->second;
    node.groupSize = int(members.size());
    node.groupLastPid = members.back()->pid;
    node.name = members.front()->name + " … " + members.back()->name;
    node.groupExited = 0;
    node.groupKilled = 0;
    node.groupSameExit = true;
    for (const core::ProcessInfo *m : members) {
        if (!(m->exited && m->end <= t))
            continue;
        ++node.groupExited;
        node.groupKilled += m->signaled ? 1 : 0;
        if (m->signaled || m->exitStatus != members.front()->exitStatus)
            node.groupSameExit = false;
    }
    node.exited = node.groupExited == node.groupSize;
    node.signaled = false;
    node.exitStatus = members.front()->exitStatus;
}

} // namespace interleave::ui::graphdetail
