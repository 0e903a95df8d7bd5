#include "checkcommand.h"

#include "cliscenario.h"
#include "cluster/communicator.h"
#include "errorline.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace cs {

int runCheckCommand(const CommandLine &cl)
{
    const std::optional<Scenario> scenario = loadScenarioForCommand(ScenarioBytes::read(cl.scenario), cl.runs, true);
    if (!scenario)
        return 2;
    errno = 0;
    // Started by an MPI launcher, as `run` would be: what each rank of that job holds.
    const int ranks = cl.ranks > 0 ? cl.ranks : launchedRanks();
    std::printf("%s: valid: %lld arrays, %lld runs%s\n", qPrintable(cl.scenario), (long long)scenario->arrays.size(),
                (long long)scenario->runs.size(),
                ranks > 1 ? qPrintable(QStringLiteral("; memory per rank of %1 MPI ranks").arg(ranks)) : "");
    std::printf("%s", qPrintable(allocationReport(*scenario, ranks)));
    if (const int error = flushStandardOutput()) {
        printError(QStringLiteral("standard output: cannot write the report: %1")
                       .arg(QString::fromLocal8Bit(std::strerror(error))));
        return 1;
    }
    return 0;
}

} // namespace cs
