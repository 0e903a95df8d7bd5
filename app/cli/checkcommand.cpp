#include "checkcommand.h"

#include "cliscenario.h"

#include <cstdio>

namespace cs {

int runCheckCommand(const CommandLine &cl)
{
    const std::optional<Scenario> scenario = loadScenarioForCommand(cl.scenario, cl.runs, true);
    if (!scenario)
        return 2;
    std::printf("%s: valid: %lld arrays, %lld runs\n", qPrintable(cl.scenario), (long long)scenario->arrays.size(),
                (long long)scenario->runs.size());
    std::printf("%s", qPrintable(allocationReport(*scenario)));
    return 0;
}

} // namespace cs
