// SPDX-License-Identifier: MIT
#include "trace/symbolizer.h"

#include "tempdir.h"

#include <QProcess>
#include <QStringList>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace interleave::core;
namespace fs = std::filesystem;

namespace {

// A program that prints, in the recorder's format, the return address of one of its calls and the
// addresses of two globals, and the same from a shared library it links. Each line to find is
// marked with a comment, so the test knows the expected line numbers.
constexpr const char *kLibrarySource = R"(#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
pthread_mutex_t lib_lock = PTHREAD_MUTEX_INITIALIZER;
static void print(const char *prefix, const void *address, const char *self)
{
    Dl_info info;
    if (dladdr(address, &info) == 0)
        return;
    const char *path = info.dli_fname[0] == '/' ? info.dli_fname : self;
    printf("%s%s+0x%lx\n", prefix, path, (unsigned long)((const char *)address - (const char *)info.dli_fbase));
}
__attribute__((noinline)) void where_from(const char *self)
{
    print("@at:", __builtin_return_address(0), self);
}
void lib_call(const char *self)
{
    where_from(self); /* LIBCALL */
    print("@var:", &lib_lock, self);
}
)";

constexpr const char *kProgramSource = R"(#include <pthread.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
void where_from(const char *self);
void lib_call(const char *self);
void print_var(const void *address, const char *self);
pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static long counters[4];
int main(void)
{
    char self[PATH_MAX];
    if (!realpath("/proc/self/exe", self))
        return 1;
    where_from(self); /* MAINCALL */
    print_var(&lock_a, self);
    print_var(&counters[2], self);
    lib_call(self);
    return 0;
}
)";

// The var printer lives in the program, so that it uses the program's path for its own globals.
constexpr const char *kPrintVarSource = R"(#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
void print_var(const void *address, const char *self)
{
    Dl_info info;
    if (dladdr(address, &info) == 0)
        return;
    printf("@var:%s+0x%lx\n", self, (unsigned long)((const char *)address - (const char *)info.dli_fbase));
}
)";

int lineOf(const std::string &source, const std::string &marker)
{
    std::istringstream in(source);
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.find(marker) != std::string::npos)
            return n;
    }
    return -1;
}

void writeFile(const fs::path &path, const std::string &text)
{
    std::ofstream(path) << text;
}

/// Runs a command; its standard output, or "" with a test failure if it did not exit with 0.
std::string run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(program, args);
    if (!p.waitForStarted() || !p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit ||
        p.exitCode() != 0) {
        ADD_FAILURE() << program.toStdString() << " failed: " << p.readAllStandardError().toStdString();
        return {};
    }
    return p.readAllStandardOutput().toStdString();
}

bool haveCompiler()
{
    QProcess p;
    p.start(QStringLiteral("gcc"), {QStringLiteral("--version")});
    return p.waitForFinished(30000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

class SymbolizerProgram : public ::testing::Test
{
protected:
    void SetUp() override
    {
        if (!haveCompiler())
            GTEST_SKIP() << "gcc is not installed: no test program to symbolize";
        dir = interleave::test::makeTempDir("symbolizer");
        ASSERT_FALSE(dir.empty());
        writeFile(dir / "lib.c", kLibrarySource);
        writeFile(dir / "main.c", kProgramSource);
        writeFile(dir / "printvar.c", kPrintVarSource);
    }
    void TearDown() override
    {
        if (!dir.empty())
            fs::remove_all(dir);
    }

    /// Builds the library and the program (with `flags`, e.g. -g, and the program also with
    /// `programFlags`) into `out` and runs it: the lines it printed.
    std::vector<std::string> buildAndRun(const fs::path &out, const QStringList &flags,
                                         const QStringList &programFlags = {})
    {
        fs::create_directories(out);
        const QString lib = QString::fromStdString((out / "libfix.so").string());
        const QString exe = QString::fromStdString((out / "prog").string());
        const QString src = QString::fromStdString(dir.string());
        run(QStringLiteral("gcc"),
            QStringList{QStringLiteral("-shared"), QStringLiteral("-fPIC"), QStringLiteral("-O1"),
                        src + QStringLiteral("/lib.c"), QStringLiteral("-o"), lib}
                << flags);
        run(QStringLiteral("gcc"), QStringList{QStringLiteral("-O1"), src + QStringLiteral("/main.c"),
                                               src + QStringLiteral("/printvar.c"), QStringLiteral("-o"), exe, lib,
                                               QStringLiteral("-Wl,-rpath,") + QString::fromStdString(out.string())}
                                       << flags << programFlags);
        std::vector<std::string> lines;
        std::istringstream in(run(exe, {}));
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
        return lines;
    }

    fs::path dir;
};

} // namespace

TEST_F(SymbolizerProgram, CallSiteIsFileAndLineAndGlobalsAreNamed)
{
    const std::vector<std::string> lines = buildAndRun(dir / "g", {QStringLiteral("-g")});
    ASSERT_EQ(lines.size(), 5u);
    Symbolizer s;
    const std::string main = (dir / "main.c").string();
    const std::string lib = (dir / "lib.c").string();
    EXPECT_EQ(s.resolve(lines[0]), main + ":" + std::to_string(lineOf(kProgramSource, "MAINCALL")));
    EXPECT_EQ(s.resolve(lines[1]), "lock_a");
    EXPECT_EQ(s.resolve(lines[2]), "counters+0x10");
    EXPECT_EQ(s.resolve(lines[3]), lib + ":" + std::to_string(lineOf(kLibrarySource, "LIBCALL")));
    EXPECT_EQ(s.resolve(lines[4]), "lib_lock");
    // Cached answers are the same answers.
    EXPECT_EQ(s.resolve(lines[1]), "lock_a");
}

TEST_F(SymbolizerProgram, WithoutLineInfoACallSiteIsFunctionPlusOffset)
{
    const std::vector<std::string> lines = buildAndRun(dir / "nodebug", {});
    ASSERT_EQ(lines.size(), 5u);
    Symbolizer s;
    EXPECT_TRUE(s.resolve(lines[0]).starts_with("main+0x")) << s.resolve(lines[0]);
    EXPECT_TRUE(s.resolve(lines[3]).starts_with("lib_call+0x")) << s.resolve(lines[3]);
    EXPECT_EQ(s.resolve(lines[1]), "lock_a");
}

TEST_F(SymbolizerProgram, StrippedProgramFallsBackToModuleAndOffset)
{
    const std::vector<std::string> lines = buildAndRun(dir / "stripped", {QStringLiteral("-s")});
    ASSERT_EQ(lines.size(), 5u);
    Symbolizer s;
    const std::string offset = lines[2].substr(lines[2].rfind('+'));
    EXPECT_EQ(s.resolve(lines[2]), "prog" + offset);
    // The program's globals are not in its dynamic symbols; its call site has no symbol either.
    EXPECT_TRUE(s.resolve(lines[0]).starts_with("prog+0x")) << s.resolve(lines[0]);
    // The library exports its mutex: the dynamic symbol table still names it.
    EXPECT_EQ(s.resolve(lines[4]), "lib_lock");
}

TEST_F(SymbolizerProgram, PathWithPlusSignsResolves)
{
    const std::vector<std::string> lines = buildAndRun(dir / "a+0x1b+c", {QStringLiteral("-g")});
    ASSERT_EQ(lines.size(), 5u);
    Symbolizer s;
    EXPECT_EQ(s.resolve(lines[1]), "lock_a");
    EXPECT_EQ(s.resolve(lines[4]), "lib_lock");
}

TEST(Symbolizer, OtherTextIsUnchanged)
{
    Symbolizer s;
    EXPECT_EQ(s.resolve("main.c:12"), "main.c:12");
    EXPECT_EQ(s.resolve(""), "");
    EXPECT_EQ(s.resolve("at:/bin/sh+0x10"), "at:/bin/sh+0x10");
    EXPECT_FALSE(Symbolizer::needsResolving("lock_a"));
    EXPECT_TRUE(Symbolizer::needsResolving("@var:/x+0x1"));
}

TEST(Symbolizer, MissingOrNonElfModulesFallBackToModuleAndOffset)
{
    const fs::path dir = interleave::test::makeTempDir("symbolizer");
    ASSERT_FALSE(dir.empty());
    writeFile(dir / "notes.txt", "not an ELF file\n");
    Symbolizer s;
    EXPECT_EQ(s.resolve("@at:" + (dir / "notes.txt").string() + "+0x10"), "notes.txt+0x10");
    EXPECT_EQ(s.resolve("@var:" + (dir / "gone.so").string() + "+0xABC"), "gone.so+0xabc");
    EXPECT_EQ(s.resolve("@at:" + dir.string() + "+0x1"), dir.filename().string() + "+0x1"); // a folder
    EXPECT_EQ(s.resolve("@at:/dev/zero+0x1"), "zero+0x1");                                  // a device is never opened
    EXPECT_EQ(s.resolve("@at:relative.so+0x2"), "relative.so+0x2");
    fs::remove_all(dir);
}

TEST(Symbolizer, MalformedStringsStayAsTheyAre)
{
    Symbolizer s;
    for (const std::string &bad :
         std::vector<std::string>{"@at:", "@var:", "@at:+0x10", "@at:/bin/sh", "@at:/bin/sh+0x", "@at:/bin/sh+0xZZ",
                                  "@at:/bin/sh+0x12345678901234567", "@var:/bin/sh+10", "@at:/bin/sh+0x-1",
                                  std::string("@at:/bin/sh\0+0x1", 16)})
        EXPECT_EQ(s.resolve(bad), bad);
    // The largest offset is well formed: it resolves to the module and that offset, without overflow.
    EXPECT_EQ(s.resolve("@at:/bin/sh+0xffffffffffffffff"), "sh+0xffffffffffffffff");
    EXPECT_EQ(s.resolve("@at:/bin/sh+0x0"), "sh+0x0");
}

TEST(Symbolizer, NewStringsOfATraceAreRewrittenInPlace)
{
    TraceData data;
    data.setString(4, "@at:/nonexistent/libx.so+0x20");
    data.setString(9, "main.c:3");
    data.setString(12, "@var:/nonexistent/prog+0x40");
    Symbolizer s;
    symbolizeNewStrings(data, 1, s);
    EXPECT_EQ(data.string(4), "@at:/nonexistent/libx.so+0x20"); // before `first`: left alone
    EXPECT_EQ(data.string(9), "main.c:3");
    EXPECT_EQ(data.string(12), "prog+0x40");
    symbolizeNewStrings(data, 0, s);
    EXPECT_EQ(data.string(4), "libx.so+0x20");
}

TEST_F(SymbolizerProgram, NonPieProgramIsLoadedAtItsLinkAddress)
{
    // dli_fbase of a fixed-address program is its first segment's address, not 0.
    const std::vector<std::string> lines =
        buildAndRun(dir / "nopie", {QStringLiteral("-g")}, {QStringLiteral("-no-pie")});
    ASSERT_EQ(lines.size(), 5u);
    Symbolizer s;
    EXPECT_EQ(s.resolve(lines[0]),
              (dir / "main.c").string() + ":" + std::to_string(lineOf(kProgramSource, "MAINCALL")));
    EXPECT_EQ(s.resolve(lines[1]), "lock_a");
    EXPECT_EQ(s.resolve(lines[2]), "counters+0x10");
}

TEST(Symbolizer, RandomDamageNeverCrashesAndKeepsUnknownTextAsItIs)
{
    // Random cuts and byte flips of well-formed strings (this test program's own path among them).
    const std::string self = fs::read_symlink("/proc/self/exe").string();
    const std::vector<std::string> seeds = {"@at:" + self + "+0x1234", "@var:" + self + "+0x40", "@at:/bin/sh+0x10",
                                            "@var:/nonexistent/x+y.so+0x8"};
    std::mt19937 rng(3);
    Symbolizer s;
    for (int i = 0; i < 3000; ++i) {
        std::string text = seeds[size_t(i) % seeds.size()];
        const size_t flips = rng() % 3;
        for (size_t k = 0; k < flips && !text.empty(); ++k)
            text[rng() % text.size()] = char(rng() % 256);
        if (rng() % 4 == 0)
            text.resize(rng() % (text.size() + 1));
        const std::string answer = s.resolve(text);
        if (!Symbolizer::needsResolving(text)) {
            EXPECT_EQ(answer, text);
        }
        EXPECT_FALSE(answer.empty() && !text.empty()) << text;
    }
}
