#pragma once

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <optional>

namespace cs {

// Replacing a file's contents so that a reader, a crash or a full disk never leaves it half written:
// the bytes go to a new temporary file beside the target (".NAME.PID@HOST.N.partial", created with
// O_EXCL and the usual 0666 & ~umask), every short write is resumed, the file is closed and checked,
// and only then renamed over the target. A target that exists and is neither a regular file nor a
// symbolic link (a device node, a FIFO, a socket, a directory) is never replaced: the rename step
// fails with EEXIST (EISDIR for a directory). On any failure the temporary file is removed and the
// target keeps its old bytes.

struct ReplaceOptions {
    // fsync before the rename, so that the new name never points at data still in the page cache
    // (after a crash, a file renamed unsynced can be empty on ext4 and XFS). It also surfaces I/O
    // errors that only writeback finds.
    bool sync = true;
    // Give the temporary file the permission bits of the target it replaces, when there is one.
    bool keepMode = true;
};

struct ReplaceFailure {
    enum class Step { None, Create, Write, Sync, Close, Rename };
    Step step = Step::None;
    int error = 0; // errno
    explicit operator bool() const { return step != Step::None; }
};

// The core, for hot paths: no allocation; `target` is a NUL-terminated native path of targetLen
// bytes. Step::Create with ENOENT means the target's directory does not exist.
ReplaceFailure replaceFileContents(const char *target, size_t targetLen, const char *data, size_t size,
                                   ReplaceOptions options = {}) noexcept;

// For whole outputs (results, CSV, traces, pictures, scenarios, metadata): synced, mode kept, and a
// symbolic link is followed so that the file it points to is replaced. On failure returns false and
// sets *error to "PATH: cannot write: REASON".
bool replaceFile(const QString &path, const QByteArray &bytes, QString *error);

// The reason of a failure, as strerror words it.
QString replaceFailureReason(const ReplaceFailure &failure);

// Whether a file name is one replaceFileContents gives its temporary files, so that listings skip
// them and an overwrite removes them.
bool isTemporaryFileName(const QString &name);

// This host's name as temporary file names carry it: gethostname() with every byte outside
// [A-Za-z0-9-] made '-' (at most 64 bytes, HOST_NAME_MAX). On a file system that several hosts share,
// only the host that wrote a temporary file can tell from its process id whether its writer lives.
QString temporaryHostName();

// The writer a temporary file's name names: ".NAME.PID@HOST.SEQ.partial", or ".NAME.PID.SEQ.partial"
// as versions before the host was named wrote them (host empty). nullopt for any other name.
struct TemporaryWriter {
    long long pid = 0;
    QString host;
};
std::optional<TemporaryWriter> temporaryWriterOf(const QString &name);

} // namespace cs
