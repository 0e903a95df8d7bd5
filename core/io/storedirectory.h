#pragma once

#include <QString>

#include <optional>

namespace cs {

// What a store checks and tidies in its own directory when it opens it for writing.
//
// A store writes only below its own directory. A symbolic link to a directory found there would
// send its chunk writes (and an overwrite's deletions) to some other place, so stores look for one
// and refuse it.

// The first entry below `root` that is a symbolic link to a directory, searching `root` itself and,
// when `recursive`, the real directories below it (links are never followed); nullopt when there is
// none.
std::optional<QString> findDirectoryLink(const QString &root, bool recursive);

// "PATH is a symbolic link to a directory; not writing through it".
QString directoryLinkRefusal(const QString &path);

// Removes, in `dir` (and, when `recursive`, in the real directories below it), the temporary files
// that replaceFileContents (io/atomicfile.h) left when its process was killed: those whose name,
// ".NAME.PID@HOST.SEQ.partial", names this host and the id of a process that no longer exists here,
// and those of the older form ".NAME.PID.SEQ.partial" whose process no longer exists. Another host's
// files are kept (its writer may be alive), and so are a live process's, whoever owns them. Returns
// how many were removed; one that cannot be removed is left.
int removeStaleTemporaries(const QString &dir, bool recursive);

} // namespace cs
