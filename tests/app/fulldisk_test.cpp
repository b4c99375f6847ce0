// SPDX-License-Identifier: MIT
// Issue 21, finding 4, as a user meets it: every output format written onto a full disk. The SVG
// and PDF exports wrote a truncated file over the old one and exited 0; .iltrace, JSON and PNG
// kept the old file but said "Unknown error", and PNG added libpng's own line.
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <gtest/gtest.h>

namespace {

QString interleaveBin()
{
    return QString::fromLocal8Bit(qgetenv("INTERLEAVE_BIN")) + QStringLiteral("/interleave");
}

QByteArray bytesOf(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray noSpace()
{
    return QByteArray(std::strerror(ENOSPC));
}

/// A small trace to export, made once per test: the fork lesson, a few processes.
QString recordTrace(const QTemporaryDir &dir)
{
    const QString trace = dir.filePath(QStringLiteral("fork.iltrace"));
    QProcess p;
    p.start(interleaveBin(), {QStringLiteral("run"), QStringLiteral("fork"), QStringLiteral("--save"), trace});
    EXPECT_TRUE(p.waitForFinished(60000));
    EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().constData();
    return trace;
}

/// What --chrome wrote is a whole Chrome trace of the fork lesson.
bool isWholeChromeTrace(const QString &path)
{
    const QJsonObject json = QJsonDocument::fromJson(bytesOf(path)).object();
    return json.value(QStringLiteral("traceEvents")).toArray().size() > 5 &&
           json.value(QStringLiteral("otherData")).toObject().value(QStringLiteral("scenario")).toString() ==
               QLatin1String("fork");
}

/// The kernel's full device (1, 7) at `path`: as root a node of its own, so that a save which
/// wrongly renamed over it (QSaveFile follows a link to its target) replaces only that node,
/// never /dev/full; else a link to /dev/full, which only root could replace.
bool makeFullDevice(const QString &path)
{
    const QByteArray native = QFile::encodeName(path);
    if (::geteuid() == 0)
        return ::mknod(native.constData(), S_IFCHR | 0666, makedev(1, 7)) == 0;
    return QFile::link(QStringLiteral("/dev/full"), path);
}

/// True while `path` is still the full device (a node or a link to it), not a file put there.
bool isFullDevice(const QString &path)
{
    struct stat st
    {};
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 && S_ISCHR(st.st_mode) && ::major(st.st_rdev) == 1 &&
           ::minor(st.st_rdev) == 7;
}

} // namespace

// On the full device: each full output is one line that names the cause, exit 1, and the other
// outputs of the same command are written whole.
TEST(CommandLineFullDisk, EachOutputOnTheFullDeviceIsOneLineAndTheOthersAreWritten)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString trace = recordTrace(dir);
    const QString okJson = dir.filePath(QStringLiteral("ok.json"));
    const QString okImage = dir.filePath(QStringLiteral("ok.png"));
    struct Case
    {
        const char *option; ///< the output put on the full device
        const char *suffix;
        bool chromeToo; ///< else the other output is a PNG image
    };
    for (const Case c : {Case{"--image", "svg", true}, Case{"--image", "pdf", true}, Case{"--image", "png", true},
                         Case{"--save", "iltrace", true}, Case{"--chrome", "json", false}}) {
        const QString full = dir.filePath(QStringLiteral("full.") + QLatin1String(c.suffix));
        ASSERT_TRUE(makeFullDevice(full)) << std::strerror(errno);
        QStringList args{QStringLiteral("open"), trace, QLatin1String(c.option), full};
        args << (c.chromeToo ? QStringList{QStringLiteral("--chrome"), okJson}
                             : QStringList{QStringLiteral("--image"), okImage});
        QProcess p;
        p.start(interleaveBin(), args);
        ASSERT_TRUE(p.waitForFinished(60000));
        const QByteArray err = p.readAllStandardError();
        EXPECT_EQ(p.exitCode(), 1) << c.suffix << ": " << err.constData();
        EXPECT_EQ(err.count('\n'), 1) << c.suffix << ": " << err.constData(); // no libpng line
        EXPECT_TRUE(err.startsWith("interleave: cannot ")) << err.constData();
        EXPECT_TRUE(err.contains(QByteArray("'" + QFile::encodeName(full) + "': " + noSpace() + ";")))
            << err.constData();
        EXPECT_FALSE(err.contains("Unknown error")) << err.constData();
        EXPECT_TRUE(isFullDevice(full)) << c.suffix << ": the device was replaced by a file";
        if (c.chromeToo)
            EXPECT_TRUE(isWholeChromeTrace(okJson)) << c.suffix << ": ok.json missing or cut";
        else
            EXPECT_EQ(QImage(okImage).size(), QSize(1600, 900)) << c.suffix << ": ok.png missing or cut";
        QFile::remove(okJson);
        QFile::remove(okImage);
        QFile::remove(full);
    }
    EXPECT_EQ(QDir(dir.path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot),
              QStringList{QStringLiteral("fork.iltrace")}); // no temporary file left
}

// A real full file system: a 128 KiB tmpfs in a private mount namespace (root or CAP_SYS_ADMIN;
// skipped elsewhere) holding the old outputs. The images (50 KB and more) meet it with 16 KiB
// left, so the disk fills in the middle of the image, as in the finding (the SVG and PDF were
// committed cut short, exit 0); the trace and the JSON meet it full from the first byte. Every
// format keeps its old file byte for byte, says "No space left on device" in one line, exits 1,
// and leaves no temporary file; the output beside it on a disk with room is written.
TEST(CommandLineFullDisk, EveryFormatOnAFullFileSystemKeepsTheOldFile)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    if (QProcess::execute(QStringLiteral("unshare"), {QStringLiteral("-m"), QStringLiteral("true")}) != 0)
        GTEST_SKIP() << "no private mount namespace here (needs CAP_SYS_ADMIN)";
    const QString trace = recordTrace(dir);
    const QString disk = dir.filePath(QStringLiteral("disk"));
    const QString report = dir.filePath(QStringLiteral("report"));
    ASSERT_TRUE(QDir().mkdir(disk) && QDir().mkdir(report));
    // The mount lives only as long as the shell: each export runs inside, and what it left on the
    // full disk is copied out to `report` before the shell ends.
    const QString script = QStringLiteral(R"(set -u
B=$1 T=$2 D=$3 R=$4
mount -t tmpfs -o size=128k tmpfs "$D" || exit 77
for f in svg pdf png iltrace json; do printf 'the old %s' $f > "$D/old.$f"; done
dd if=/dev/zero of="$D/room" bs=4096 count=4 2>/dev/null
dd if=/dev/zero of="$D/filler" bs=4096 2>/dev/null
for f in svg pdf png iltrace json; do
  case $f in
    svg|pdf|png) rm -f "$D/room" ;;
    *) dd if=/dev/zero of="$D/room" bs=4096 2>/dev/null ;;
  esac
  case $f in
    iltrace) "$B" open "$T" --save "$D/old.$f" --chrome "$R/ok-$f.json" ;;
    json) "$B" open "$T" --chrome "$D/old.$f" --image "$R/ok-$f.png" ;;
    *) "$B" open "$T" --image "$D/old.$f" --chrome "$R/ok-$f.json" ;;
  esac 2>"$R/err-$f"
  echo $? > "$R/rc-$f"
  cp "$D/old.$f" "$R/kept-$f"
done
rm -f "$D/room"
ls -A "$D" > "$R/files"
)");
    const int shell = QProcess::execute(QStringLiteral("unshare"),
                                        {QStringLiteral("-m"), QStringLiteral("sh"), QStringLiteral("-c"), script,
                                         QStringLiteral("sh"), interleaveBin(), trace, disk, report});
    if (shell == 77)
        GTEST_SKIP() << "cannot mount a tmpfs here";
    ASSERT_EQ(shell, 0);
    EXPECT_TRUE(QDir(disk).isEmpty()) << "the mount was not private";
    for (const char *f : {"svg", "pdf", "png", "iltrace", "json"}) {
        const QString suffix = QLatin1String(f);
        const QByteArray err = bytesOf(report + QStringLiteral("/err-") + suffix);
        EXPECT_EQ(bytesOf(report + QStringLiteral("/rc-") + suffix).trimmed(), QByteArray("1")) << f << err.constData();
        EXPECT_EQ(err.count('\n'), 1) << f << ": " << err.constData();
        const QString old = disk + QStringLiteral("/old.") + suffix;
        EXPECT_TRUE(err.contains(QByteArray("'" + QFile::encodeName(old) + "': " + noSpace() + ";")))
            << err.constData();
        EXPECT_TRUE(err.contains("the existing file was left unchanged")) << err.constData();
        EXPECT_EQ(bytesOf(report + QStringLiteral("/kept-") + suffix), QByteArray("the old " + suffix.toUtf8()))
            << f << ": " << QFileInfo(report + QStringLiteral("/kept-") + suffix).size()
            << " bytes where the old file was";
        if (suffix == QLatin1String("json"))
            EXPECT_EQ(QImage(report + QStringLiteral("/ok-json.png")).size(), QSize(1600, 900));
        else
            EXPECT_TRUE(isWholeChromeTrace(report + QStringLiteral("/ok-") + suffix + QStringLiteral(".json"))) << f;
    }
    EXPECT_EQ(bytesOf(report + QStringLiteral("/files")),
              QByteArray("filler\nold.iltrace\nold.json\nold.pdf\nold.png\nold.svg\n")); // no temporary file
}
