#include "communicator.h"

#include <QtGlobal>

namespace cs {

int launchedRanks()
{
    bool ok = false;
    int n = qEnvironmentVariableIntValue("OMPI_COMM_WORLD_SIZE", &ok);
    if (!ok)
        n = qEnvironmentVariableIntValue("PMI_SIZE", &ok);
    return ok && n > 0 ? n : 1;
}

} // namespace cs
