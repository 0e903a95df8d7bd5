#include "communicator.h"

#include <QtGlobal>

namespace cs {

int launchedRanks()
{
    for (const char *name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_STEP_NUM_TASKS"}) {
        bool ok = false;
        const int n = qEnvironmentVariableIntValue(name, &ok);
        if (ok && n > 0)
            return n;
    }
    return 1;
}

} // namespace cs
