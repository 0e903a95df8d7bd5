#include "errorline.h"

#include "scenario/jsoncheck.h"

#include <cstdio>

namespace cs {

void printError(const QString &message)
{
    std::fprintf(stderr, "error: %s\n", escapeControls(message).toLocal8Bit().constData());
}

} // namespace cs
