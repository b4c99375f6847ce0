// SPDX-License-Identifier: MIT
// The one writer of every output file: complete or not there at all, the old file kept, the OS
// reason named.
#include "io/safewrite.h"

#include "filesizelimit.h"

#include <gtest/gtest.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <cstring>
#include <thread>

using namespace interleave::core;

namespace {

QStringList filesIn(const QString &folder)
{
    return QDir(folder).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
}

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
}

void put(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    ASSERT_TRUE(f.open(QIODevice::WriteOnly));
    ASSERT_EQ(f.write(bytes), bytes.size());
}

/// Writes `total` bytes in pieces of `piece` and, as QTextStream, QSvgGenerator and QPdfWriter
/// do, never looks at what write() returned.
Produce careless(qint64 total, qint64 piece)
{
    return [total, piece](QIODevice &out, QString *) {
        const QByteArray chunk(piece, 'x');
        for (qint64 done = 0; done < total; done += piece)
            out.write(chunk);
        return true;
    };
}

QString osReason(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

} // namespace

TEST(SafeWrite, WritesTheWholeContentAndKeepsTheFilesPermissions)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.bin"));
    put(path, "old");
    ASSERT_EQ(0, ::chmod(QFile::encodeName(path).constData(), 0640));
    QString why;
    // Pieces below and above the writer's own buffer, so both of its paths write.
    const Produce produce = [](QIODevice &out, QString *) {
        for (int i = 0; i < 50; ++i)
            out.write(QByteArray(i % 2 ? 100'000 : 1'000, char('a' + i % 26)));
        return true;
    };
    ASSERT_TRUE(writeFileSafely(path, produce, &why)) << why.toStdString();
    const QByteArray bytes = bytesOf(path);
    EXPECT_EQ(25 * 100'000 + 25 * 1'000, bytes.size());
    EXPECT_EQ(QByteArray(1'000, 'a'), bytes.left(1'000));
    EXPECT_EQ(QByteArray(100'000, 'b'), bytes.mid(1'000, 100'000));
    struct stat st
    {};
    ASSERT_EQ(0, ::stat(QFile::encodeName(path).constData(), &st));
    EXPECT_EQ(0640u, st.st_mode & 0777);
    EXPECT_EQ(QStringList{QStringLiteral("out.bin")}, filesIn(dir.path()));
}

TEST(SafeWrite, AFullDiskKeepsTheOldFileAndNamesTheReason)
{
    // A write cut short by a full disk is no error to QFileDevice: a producer that ignores what
    // write() returns had its truncated file committed (SVG, PDF), one that checks it was told
    // "Unknown error" (.iltrace, Chrome JSON).
    const qint64 total = 4 * 1024 * 1024;
    const Produce checking = [total](QIODevice &out, QString *) { return out.write(QByteArray(total, 'x')) == total; };
    const std::pair<const char *, Produce> producers[] = {
        {"small pieces", careless(total, 700)},
        {"one big write", careless(total, total)},
        {"checks the count", checking},
    };
    for (const auto &[what, produce] : producers) {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("out.svg"));
        put(path, "the old file");
        QString why;
        bool written = true;
        {
            interleave::test::FileSizeLimit limit(250'000); // not a multiple of any buffer size
            written = writeFileSafely(path, produce, &why);
        }
        EXPECT_FALSE(written) << what;
        EXPECT_TRUE(why.startsWith(osReason(EFBIG) + QStringLiteral("; "))) << what << ": " << why.toStdString();
        EXPECT_TRUE(why.contains(QStringLiteral("free some disk space"))) << why.toStdString();
        EXPECT_TRUE(why.contains(QStringLiteral("left unchanged"))) << why.toStdString();
        EXPECT_FALSE(why.contains(QLatin1Char('\n')));
        EXPECT_EQ(QByteArray("the old file"), bytesOf(path)) << what;
        EXPECT_EQ(QStringList{QStringLiteral("out.svg")}, filesIn(dir.path())) << what; // no temporary file
    }
}

TEST(SafeWrite, AProducersOwnFailureKeepsTheOldFileAndItsReason)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("out.png"));
    put(path, "old");
    QString why;
    const Produce fails = [](QIODevice &out, QString *problem) {
        out.write(QByteArray(10'000, 'x'));
        *problem = QStringLiteral("the image could not be drawn");
        return false;
    };
    EXPECT_FALSE(writeFileSafely(path, fails, &why));
    EXPECT_EQ(QStringLiteral("the image could not be drawn"), why);
    EXPECT_EQ(QByteArray("old"), bytesOf(path));
    EXPECT_EQ(QStringList{QStringLiteral("out.png")}, filesIn(dir.path()));

    // A new file that fails is not there at all, and nothing says an old one was kept.
    const QString fresh = dir.filePath(QStringLiteral("new.png"));
    {
        interleave::test::FileSizeLimit limit(4096);
        EXPECT_FALSE(writeFileSafely(fresh, careless(100'000, 100), &why));
    }
    EXPECT_FALSE(QFile::exists(fresh));
    EXPECT_FALSE(why.contains(QStringLiteral("left unchanged"))) << why.toStdString();
}

TEST(SafeWrite, APipeIsWrittenInPlaceAndItsErrorNamed)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fifo"));
    const QByteArray native = QFile::encodeName(path);
    ASSERT_EQ(0, ::mkfifo(native.constData(), 0600));
    QByteArray received;
    std::thread reader([&] {
        const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
        char buf[65536];
        for (ssize_t n; fd >= 0 && (n = ::read(fd, buf, sizeof buf)) > 0;)
            received.append(buf, n);
        ::close(fd);
    });
    QString why;
    const bool written = writeFileSafely(path, careless(300'000, 1'000), &why);
    reader.join();
    EXPECT_TRUE(written) << why.toStdString();
    EXPECT_EQ(300'000, received.size());
    struct stat st
    {};
    ASSERT_EQ(0, ::stat(native.constData(), &st));
    EXPECT_TRUE(S_ISFIFO(st.st_mode)) << "the pipe was replaced by a file";

    // A reader that goes away: the broken pipe is named, not "Unknown error".
    const auto oldPipe = std::signal(SIGPIPE, SIG_IGN);
    std::thread quitter([&] {
        // It leaves only once the writer is there (it read from it), so the writer cannot wait
        // for a reader that has come and gone.
        const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC);
        char buf[100];
        (void)!::read(fd, buf, sizeof buf);
        ::close(fd);
    });
    const bool broken = writeFileSafely(path, careless(300'000, 1'000), &why);
    quitter.join();
    std::signal(SIGPIPE, oldPipe);
    EXPECT_FALSE(broken);
    EXPECT_TRUE(why.startsWith(osReason(EPIPE))) << why.toStdString();
    EXPECT_FALSE(why.contains(QStringLiteral("left unchanged"))) << why.toStdString();
}

TEST(SafeWrite, PathProblemsAreFoundBeforeWriting)
{
    QTemporaryDir dir;
    EXPECT_TRUE(outputPathProblem(dir.filePath(QStringLiteral("ok.json"))).isEmpty());
    EXPECT_TRUE(outputPathProblem(dir.path()).startsWith(QStringLiteral("it is a folder")));
    const QString missing = dir.filePath(QStringLiteral("no/such/x.json"));
    EXPECT_TRUE(outputPathProblem(missing).contains(QStringLiteral("does not exist")))
        << outputPathProblem(missing).toStdString();
    QString why;
    int produced = 0;
    const Produce count = [&](QIODevice &, QString *) { return ++produced > 0; };
    EXPECT_FALSE(writeFileSafely(missing, count, &why));
    EXPECT_TRUE(why.contains(QStringLiteral("does not exist"))) << why.toStdString();
    EXPECT_FALSE(writeFileSafely(dir.path(), count, &why));
    EXPECT_EQ(0, produced);
    EXPECT_TRUE(filesIn(dir.path()).isEmpty());
}

TEST(SafeWrite, SameOutputPathSeesThroughDotsLinksAndRelativeNames)
{
    QTemporaryDir dir;
    ASSERT_TRUE(QDir(dir.path()).mkdir(QStringLiteral("sub")));
    const QString a = dir.filePath(QStringLiteral("sub/out.json"));
    ASSERT_TRUE(QFile::link(dir.filePath(QStringLiteral("sub")), dir.filePath(QStringLiteral("link"))));
    EXPECT_TRUE(sameOutputPath(a, dir.filePath(QStringLiteral("sub/../sub/./out.json"))));
    EXPECT_TRUE(sameOutputPath(a, dir.filePath(QStringLiteral("link/out.json")))); // not there yet
    put(a, "x");
    EXPECT_TRUE(sameOutputPath(a, dir.filePath(QStringLiteral("link/out.json")))); // there
    const QString before = QDir::currentPath();
    ASSERT_TRUE(QDir::setCurrent(dir.filePath(QStringLiteral("sub"))));
    EXPECT_TRUE(sameOutputPath(a, QStringLiteral("out.json")));
    EXPECT_FALSE(sameOutputPath(a, QStringLiteral("out.iltrace")));
    QDir::setCurrent(before);
    EXPECT_FALSE(sameOutputPath(a, QString()));
    EXPECT_FALSE(sameOutputPath(QString(), QString()));
}
