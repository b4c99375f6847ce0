// SPDX-License-Identifier: MIT
#include "run/traceable.h"

#include "tempdir.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/xattr.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include <filesystem>
#include <fstream>

using namespace interleave::core;
namespace fs = std::filesystem;

namespace {

class Traceable : public ::testing::Test
{
protected:
    void SetUp() override
    {
        dir = interleave::test::makeTempDir("traceable");
        ASSERT_FALSE(dir.empty());
    }
    void TearDown() override
    {
        if (!dir.empty())
            fs::remove_all(dir);
    }

    QString path(const std::string &name) const { return QString::fromStdString((dir / name).string()); }
    /// Writes a file with the given mode.
    QString file(const std::string &name, const std::string &text, fs::perms mode = fs::perms(0755))
    {
        std::ofstream(dir / name) << text;
        fs::permissions(dir / name, mode);
        return path(name);
    }
    /// Compiles `main` with extra gcc flags; false (and a message) if gcc cannot.
    bool compile(const std::string &name, const QStringList &flags, QString *why)
    {
        file("main.c", "int main(void) { return 0; }\n", fs::perms(0644));
        QProcess gcc;
        gcc.start(QStringLiteral("gcc"), QStringList{path("main.c"), QStringLiteral("-o"), path(name)} << flags);
        if (!gcc.waitForFinished(60000) || gcc.exitStatus() != QProcess::NormalExit || gcc.exitCode() != 0) {
            *why = QStringLiteral("gcc ") + flags.join(QLatin1Char(' ')) + QStringLiteral(" failed: ") +
                   QString::fromLocal8Bit(gcc.readAllStandardError()) + gcc.errorString();
            return false;
        }
        return true;
    }

    fs::path dir;
};

std::string problem(const QString &program, QString *resolved = nullptr, const QString &cwd = {})
{
    return traceProblem(program, resolved, cwd).toStdString();
}

} // namespace

TEST_F(Traceable, ShellIsTraceableByPathAndByName)
{
    QString resolved;
    EXPECT_EQ(problem(QStringLiteral("/bin/sh"), &resolved), "");
    EXPECT_EQ(resolved, QStringLiteral("/bin/sh"));
    EXPECT_EQ(problem(QStringLiteral("sh"), &resolved), "");
    EXPECT_TRUE(resolved.startsWith(QLatin1Char('/')) && resolved.endsWith(QStringLiteral("/sh")))
        << resolved.toStdString();
}

TEST_F(Traceable, PythonScriptThroughEnvIsTraceable)
{
    if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
        GTEST_SKIP() << "python3 is not installed";
    const QString script = file("hello.py", "#!/usr/bin/env python3\nprint('hello')\n");
    QString resolved;
    EXPECT_EQ(problem(script, &resolved), "");
    EXPECT_EQ(resolved, script);
    // Options and variables before the name are env's, not the program.
    EXPECT_EQ(problem(file("opts.py", "#!/usr/bin/env -S PYTHONUNBUFFERED=1 python3 -u\n")), "");
}

TEST_F(Traceable, MissingProgramsAreNamed)
{
    QString resolved = QStringLiteral("stale");
    EXPECT_EQ(problem(QStringLiteral("interleave-no-such-program"), &resolved),
              "cannot trace 'interleave-no-such-program': there is no program of that name in PATH");
    EXPECT_TRUE(resolved.isEmpty());
    const QString gone = path("gone");
    EXPECT_EQ(problem(gone), "cannot trace '" + gone.toStdString() + "': there is no such file");
    EXPECT_EQ(problem(QString()), "cannot trace: no program given (interleave trace -- PROGRAM [ARGS...])");
}

TEST_F(Traceable, RelativePathIsFoundInTheWorkingFolder)
{
    fs::copy_file("/bin/true", dir / "mytrue");
    QString resolved;
    EXPECT_EQ(problem(QStringLiteral("./mytrue"), &resolved, QString::fromStdString(dir.string())), "");
    EXPECT_EQ(resolved, path("mytrue"));
}

TEST_F(Traceable, TextFilesAndFoldersAreNotPrograms)
{
    const QString text = file("notes.txt", "just words\n");
    EXPECT_EQ(problem(text), "cannot trace '" + text.toStdString() +
                                 "': it is neither an ELF program nor a script that starts with \"#!\"");
    const QString plain = file("plain.txt", "just words\n", fs::perms(0644));
    EXPECT_EQ(problem(plain),
              "cannot trace '" + plain.toStdString() + "': it is not executable (chmod +x makes it so)");
    fs::create_directory(dir / "folder");
    EXPECT_EQ(problem(path("folder")),
              "cannot trace '" + path("folder").toStdString() + "': it is not a file that runs (a folder or a device)");
    const QString empty = file("empty", "");
    EXPECT_NE(problem(empty).find("neither an ELF program"), std::string::npos);
}

TEST_F(Traceable, SetuidCopyIsRefused)
{
    fs::copy_file("/bin/true", dir / "true-suid");
    ASSERT_EQ(::chmod((dir / "true-suid").c_str(), 04755), 0);
    EXPECT_NE(problem(path("true-suid")).find("set-user-ID or set-group-ID"), std::string::npos);
    fs::copy_file("/bin/true", dir / "true-sgid");
    ASSERT_EQ(::chmod((dir / "true-sgid").c_str(), 02755), 0);
    EXPECT_NE(problem(path("true-sgid")).find("set-user-ID or set-group-ID"), std::string::npos);
}

TEST_F(Traceable, ProgramWithFileCapabilitiesIsRefused)
{
    fs::copy_file("/bin/true", dir / "true-cap");
    // struct vfs_cap_data, revision 2, with CAP_NET_RAW (13) permitted and effective.
    const uint32_t caps[5] = {0x02000000u | 1u, 1u << 13, 0, 0, 0};
    if (::setxattr((dir / "true-cap").c_str(), "security.capability", caps, sizeof caps, 0) != 0)
        GTEST_SKIP() << "cannot give a file capabilities here: " << std::strerror(errno);
    EXPECT_EQ(problem(path("true-cap")), "cannot trace '" + path("true-cap").toStdString() +
                                             "': it has file capabilities (setcap), and the loader ignores preloaded "
                                             "libraries in such programs (trace a copy without them)");
}

TEST_F(Traceable, StaticProgramIsRefusedAlsoAsAnInterpreter)
{
    QString why;
    if (!compile("static", {QStringLiteral("-static")}, &why))
        GTEST_SKIP() << "no static program to check: " << why.toStdString();
    const std::string expected = "it is statically linked, so no library can be preloaded into it (link it "
                                 "without -static)";
    EXPECT_EQ(problem(path("static")), "cannot trace '" + path("static").toStdString() + "': " + expected);
    const QString script = file("script", "#!" + path("static").toStdString() + " -x\n");
    EXPECT_EQ(problem(script), "cannot trace '" + script.toStdString() + "' (run by '" + path("static").toStdString() +
                                   "'): " + expected);
    // A dynamically linked build of the same program is fine.
    ASSERT_TRUE(compile("dynamic", {}, &why)) << why.toStdString();
    EXPECT_EQ(problem(path("dynamic")), "");
}

TEST_F(Traceable, OtherCLibraryIsNamedByItsLoader)
{
    QString why;
    // The program need not run: only its PT_INTERP is read.
    if (!compile("musl", {QStringLiteral("-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1")}, &why))
        GTEST_SKIP() << why.toStdString();
    EXPECT_EQ(problem(path("musl")), "cannot trace '" + path("musl").toStdString() +
                                         "': it is linked against another C library than glibc (its loader is "
                                         "'/lib/ld-musl-x86_64.so.1'); the recorder needs glibc");
}

TEST_F(Traceable, ObjectFileIsNotAProgram)
{
    QString why;
    if (!compile("main.o", {QStringLiteral("-c")}, &why))
        GTEST_SKIP() << why.toStdString();
    fs::permissions(dir / "main.o", fs::perms(0755));
    EXPECT_EQ(problem(path("main.o")),
              "cannot trace '" + path("main.o").toStdString() + "': it is an ELF file but not a program");
}

TEST_F(Traceable, ScriptsWithBrokenInterpreters)
{
    const QString none = file("none", "#!\n");
    EXPECT_EQ(problem(none), "cannot trace '" + none.toStdString() + "': its \"#!\" line names no interpreter");
    const QString missing = file("missing", "#!/usr/bin/env interleave-no-such-interpreter\n");
    EXPECT_EQ(problem(missing), "cannot trace '" + missing.toStdString() +
                                    "': it runs 'interleave-no-such-interpreter' through env, and there is no "
                                    "program of that name in PATH");
    const QString gone = file("gone", "#!" + path("nothing").toStdString() + "\n");
    EXPECT_EQ(problem(gone), "cannot trace '" + gone.toStdString() + "' (run by '" + path("nothing").toStdString() +
                                 "'): there is no such file");
    // Two scripts naming each other: the kernel gives up, and so does the check.
    const QString a = file("a", "#!" + path("b").toStdString() + "\n");
    file("b", "#!" + path("a").toStdString() + "\n");
    EXPECT_NE(problem(a).find("too many interpreters in a row"), std::string::npos) << problem(a);
}
