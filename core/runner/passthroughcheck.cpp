#include "passthroughcheck.h"

#include "stores/passthrough.h"

#include <memory>

namespace cs {

namespace {

std::unique_ptr<Store> planningStore(const ArraySpec *spec)
{
    if (!spec || !spec->kind())
        return nullptr;
    const StoreArray array = spec->storeArray();
    // A new array whose shape comes from a file at run time cannot be planned before.
    if (!array.existing && (array.shape.empty() || array.chunks.empty() || !array.dtypeKnown))
        return nullptr;
    return spec->kind()->planningStore(spec->options, array);
}

} // namespace

QString passthroughRefusalBeforeRun(const Scenario &scenario, const RunSpec &run)
{
    if (run.passthrough != PassthroughMode::Require)
        return {};
    try {
        const std::unique_ptr<Store> source = planningStore(scenario.array(run.source));
        const std::unique_ptr<Store> target = planningStore(scenario.array(run.target));
        if (!source || !target)
            return {};
        const Coords chunks = run.chunks.empty() ? source->chunks() : Coords::fromVector(run.chunks);
        if (const auto why = passthroughRefusal(*source, *target, chunks))
            return requireRefusalMessage(*why);
    } catch (const StoreError &e) {
        // The run itself says what is wrong with the array, as it does without passthrough.
        Q_UNUSED(e);
    }
    return {};
}

} // namespace cs
