#include "errorline.h"

#include "io/jsoncheck.h"

#include <cerrno>
#include <cstdio>

namespace cs {

void printError(const QString &message)
{
    std::fprintf(stderr, "error: %s\n", escapeControls(message).toLocal8Bit().constData());
}

int flushStandardOutput()
{
    if (std::fflush(stdout) == 0 && !std::ferror(stdout))
        return 0;
    return errno != 0 ? errno : EIO;
}

} // namespace cs
