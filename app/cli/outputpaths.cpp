#include "outputpaths.h"

#include "scenario/storagelocation.h"

#include <cstdio>

namespace cs {

namespace {

struct Output {
    const char *option;
    QString path;
};

QString refusal(const Output &out, const Scenario &scenario)
{
    if (!scenario.filePath.isEmpty() && sameLocation(out.path, scenario.filePath))
        return QStringLiteral("%1: %2 names the scenario file; writing there would overwrite it")
            .arg(out.path, QLatin1String(out.option));
    for (const ArraySpec &spec : scenario.arrays) {
        const QString storage = storagePath(spec);
        if (storage.isEmpty() || !locationWithin(out.path, storage))
            continue;
        return QStringLiteral("%1: %2 %3 the storage of array %4 (%5); writing there could corrupt it")
            .arg(out.path, QLatin1String(out.option),
                 sameLocation(out.path, storage) ? QStringLiteral("names") : QStringLiteral("lies inside"), spec.id,
                 storage);
    }
    return QString();
}

} // namespace

bool checkOutputPaths(const CommandLine &cl, const Scenario &scenario)
{
    const Output outputs[] = {{"--json", cl.jsonFile},
                              {"--trace", cl.traceFile},
                              {"--csv", cl.csvDir},
                              {"--png", cl.pngDir},
                              {"--svg", cl.svgDir}};
    for (const Output &out : outputs) {
        if (out.path.isEmpty())
            continue;
        if (const QString why = refusal(out, scenario); !why.isEmpty()) {
            std::fprintf(stderr, "error: %s\n", qPrintable(why));
            return false;
        }
    }
    return true;
}

} // namespace cs
