// SPDX-License-Identifier: MIT
#include "run/traceable.h"

#include <QByteArray>
#include <QByteArrayList>
#include <QDir>
#include <QFile>

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace interleave::core {

namespace {

/// Interpreters naming interpreters: the kernel follows four (BINPRM's recursion limit).
constexpr int kMaxInterpreters = 4;
/// The kernel reads a "#!" line from the first 256 bytes of the file.
constexpr qint64 kShebangBytes = 256;

QString fromPath(const QByteArray &path)
{
    return QFile::decodeName(path);
}

QByteArray absolute(const QByteArray &path, const QString &workingDir)
{
    if (path.startsWith('/'))
        return path;
    const QDir base(workingDir.isEmpty() ? QDir::currentPath() : workingDir);
    return QFile::encodeName(QDir::cleanPath(base.absoluteFilePath(fromPath(path))));
}

bool isExecutableFile(const QByteArray &path)
{
    struct stat st;
    return ::stat(path.constData(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.constData(), X_OK) == 0;
}

/// execvp's search: a name with a '/' is a path; else the first executable file of that name in
/// PATH (/bin:/usr/bin when unset), else the first file of that name that is not executable.
QByteArray findProgram(const QByteArray &name, const QString &workingDir)
{
    if (name.contains('/'))
        return absolute(name, workingDir);
    QByteArray path = qgetenv("PATH");
    if (path.isNull())
        path = "/bin:/usr/bin";
    QByteArray notExecutable;
    for (const QByteArray &dir : path.split(':')) {
        const QByteArray candidate = absolute((dir.isEmpty() ? QByteArray(".") : dir) + '/' + name, workingDir);
        if (isExecutableFile(candidate))
            return candidate;
        struct stat st;
        if (notExecutable.isEmpty() && ::stat(candidate.constData(), &st) == 0 && S_ISREG(st.st_mode))
            notExecutable = candidate;
    }
    return notExecutable;
}

/// Class and machine of this process' own program: what the preloaded library is built for.
struct Architecture
{
    int elfClass = ELFCLASSNONE;
    int machine = EM_NONE;
};

Architecture readArchitecture(int fd)
{
    Architecture a;
    Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
    GElf_Ehdr ehdr;
    if (elf && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &ehdr)) {
        a.elfClass = ehdr.e_ident[EI_CLASS];
        a.machine = ehdr.e_machine;
    }
    if (elf)
        elf_end(elf);
    return a;
}

const Architecture &ownArchitecture()
{
    static const Architecture own = [] {
        const int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
        const Architecture a = fd >= 0 ? readArchitecture(fd) : Architecture{};
        if (fd >= 0)
            ::close(fd);
        return a;
    }();
    return own;
}

/// The ELF program's problem: not ELF, another architecture, static, or not glibc's loader.
QString elfProblem(int fd)
{
    Elf *elf = elf_begin(fd, ELF_C_READ, nullptr);
    if (!elf || elf_kind(elf) != ELF_K_ELF) {
        if (elf)
            elf_end(elf);
        return TraceableTr::tr("it is neither an ELF program nor a script that starts with \"#!\"");
    }
    QString problem;
    GElf_Ehdr ehdr;
    size_t count = 0;
    const Architecture &own = ownArchitecture();
    if (!gelf_getehdr(elf, &ehdr) || elf_getphdrnum(elf, &count) != 0 ||
        (ehdr.e_type != ET_EXEC && ehdr.e_type != ET_DYN))
        problem = TraceableTr::tr("it is an ELF file but not a program");
    else if (own.machine != EM_NONE && (ehdr.e_ident[EI_CLASS] != own.elfClass || ehdr.e_machine != own.machine))
        problem = TraceableTr::tr("it is built for another architecture than this machine's");
    QByteArray loader;
    for (size_t i = 0; problem.isEmpty() && i < count; ++i) {
        GElf_Phdr phdr;
        if (!gelf_getphdr(elf, int(i), &phdr) || phdr.p_type != PT_INTERP)
            continue;
        loader.resize(qsizetype(qMin<GElf_Xword>(phdr.p_filesz, 4096)));
        const ssize_t n = ::pread(fd, loader.data(), size_t(loader.size()), off_t(phdr.p_offset));
        loader.truncate(n > 0 ? qsizetype(::strnlen(loader.constData(), size_t(n))) : 0);
        if (loader.isEmpty())
            loader = "?";
        break;
    }
    elf_end(elf);
    if (!problem.isEmpty())
        return problem;
    if (loader.isEmpty())
        return TraceableTr::tr("it is statically linked, so no library can be preloaded into it (link it "
                               "without -static)");
    const QByteArray name = loader.mid(loader.lastIndexOf('/') + 1);
    if (!name.startsWith("ld-linux"))
        return TraceableTr::tr("it is linked against another C library than glibc (its loader is '%1'); the "
                               "recorder needs glibc")
            .arg(fromPath(loader));
    return {};
}

/// "#!" line: the interpreter and its one optional argument, as the kernel splits them.
bool readShebang(const QByteArray &head, QByteArray &interpreter, QByteArray &argument)
{
    if (!head.startsWith("#!"))
        return false;
    QByteArray line = head.mid(2);
    const qsizetype end = line.indexOf('\n');
    if (end >= 0)
        line.truncate(end);
    line = line.trimmed();
    qsizetype space = 0;
    while (space < line.size() && line[space] != ' ' && line[space] != '\t')
        ++space;
    interpreter = line.left(space);
    argument = line.mid(space).trimmed();
    return true;
}

/// What "/usr/bin/env ARGS" runs: the first word of ARGS that is neither an option nor NAME=VALUE.
QByteArray envTarget(const QByteArray &argument)
{
    for (const QByteArray &word : argument.simplified().split(' ')) {
        if (!word.isEmpty() && !word.startsWith('-') && !word.contains('='))
            return word;
    }
    return {};
}

struct Verdict
{
    QString problem;    ///< empty: traceable
    QByteArray culprit; ///< the interpreter the problem is about; empty: the program itself
};

Verdict judge(const QByteArray &path, const QString &workingDir, int depth);

/// A script is judged by its interpreter (or by what env runs).
Verdict judgeScript(const QByteArray &head, const QString &workingDir, int depth)
{
    QByteArray interpreter, argument;
    readShebang(head, interpreter, argument);
    if (interpreter.isEmpty())
        return {TraceableTr::tr("its \"#!\" line names no interpreter"), {}};
    if (depth >= kMaxInterpreters)
        return {TraceableTr::tr("it names too many interpreters in a row"), {}};
    QByteArray target = absolute(interpreter, workingDir);
    const QByteArray env = envTarget(argument);
    if (interpreter.mid(interpreter.lastIndexOf('/') + 1) == "env" && !env.isEmpty()) {
        target = findProgram(env, workingDir);
        if (target.isEmpty())
            return {TraceableTr::tr("it runs '%1' through env, and there is no program of that name in PATH")
                        .arg(fromPath(env)),
                    {}};
    }
    Verdict v = judge(target, workingDir, depth + 1);
    if (!v.problem.isEmpty() && v.culprit.isEmpty())
        v.culprit = target;
    return v;
}

Verdict judge(const QByteArray &path, const QString &workingDir, int depth)
{
    struct stat st;
    if (::stat(path.constData(), &st) != 0)
        return {TraceableTr::tr("there is no such file"), {}};
    if (!S_ISREG(st.st_mode))
        return {TraceableTr::tr("it is not a file that runs (a folder or a device)"), {}};
    if (::access(path.constData(), X_OK) != 0)
        return {TraceableTr::tr("it is not executable (chmod +x makes it so)"), {}};
    if (st.st_mode & (S_ISUID | S_ISGID))
        return {TraceableTr::tr("it is set-user-ID or set-group-ID, and the loader ignores preloaded libraries in "
                                "such programs (trace a copy without that bit)"),
                {}};
    // File capabilities make a secure execution too (AT_SECURE), as set-user-ID does.
    if (::getxattr(path.constData(), "security.capability", nullptr, 0) > 0)
        return {TraceableTr::tr("it has file capabilities (setcap), and the loader ignores preloaded libraries in "
                                "such programs (trace a copy without them)"),
                {}};
    const int fd = ::open(path.constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {TraceableTr::tr("it cannot be read: %1").arg(QString::fromLocal8Bit(::strerror(errno))), {}};
    QByteArray head(kShebangBytes, '\0');
    const ssize_t n = ::pread(fd, head.data(), size_t(head.size()), 0);
    head.truncate(n > 0 ? qsizetype(n) : 0);
    Verdict v;
    if (head.startsWith("#!"))
        v = judgeScript(head, workingDir, depth);
    else
        v.problem = elfProblem(fd);
    ::close(fd);
    return v;
}

} // namespace

QString traceProblem(const QString &program, QString *resolvedPath, const QString &workingDir)
{
    static const bool elfReady = elf_version(EV_CURRENT) != EV_NONE;
    if (resolvedPath)
        resolvedPath->clear();
    if (program.isEmpty())
        return TraceableTr::tr("cannot trace: no program given (interleave trace -- PROGRAM [ARGS...])");
    const QByteArray found = findProgram(QFile::encodeName(program), workingDir);
    if (found.isEmpty())
        return TraceableTr::tr("cannot trace '%1': there is no program of that name in PATH").arg(program);
    if (resolvedPath)
        *resolvedPath = fromPath(found);
    if (!elfReady)
        return TraceableTr::tr("cannot trace '%1': this build's libelf does not work").arg(program);
    const Verdict v = judge(found, workingDir, 0);
    if (v.problem.isEmpty())
        return {};
    if (v.culprit.isEmpty())
        return TraceableTr::tr("cannot trace '%1': %2").arg(program, v.problem);
    return TraceableTr::tr("cannot trace '%1' (run by '%2'): %3").arg(program, fromPath(v.culprit), v.problem);
}

} // namespace interleave::core
