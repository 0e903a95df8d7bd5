#include "checkcommand.h"

#include "cliscenario.h"
#include "errorline.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cs {

int runCheckCommand(const CommandLine &cl)
{
    const std::optional<Scenario> scenario = loadScenarioForCommand(cl.scenario, cl.runs, true);
    if (!scenario)
        return 2;
    errno = 0;
    std::printf("%s: valid: %lld arrays, %lld runs\n", qPrintable(cl.scenario), (long long)scenario->arrays.size(),
                (long long)scenario->runs.size());
    std::printf("%s", qPrintable(allocationReport(*scenario)));
    if (const int error = flushStandardOutput()) {
        printError(QStringLiteral("standard output: cannot write the report: %1")
                       .arg(QString::fromLocal8Bit(std::strerror(error))));
        return 1;
    }
    return 0;
}

} // namespace cs
